//! IP over InfiniBand (LINKTYPE_IPOIB, 242): a 44-byte header (destination and source
//! hardware addresses, EtherType) printed with `-e` as
//! `IPOIB, ethertype IPv4 (0x0800), length 128: `.

use super::decode::{Decoder, Level, Link, Net};
use super::names;
use super::text::TextOut;

const HEADER_LEN: usize = 44;
/// Where the EtherType is.
const TYPE_AT: usize = 40;
const CUT: &str = " [|ipoib]";

fn ether_type(data: &[u8]) -> u16 {
    u16::from_be_bytes([data[TYPE_AT], data[TYPE_AT + 1]])
}

/// The header of the frame of wire length `len` whose captured bytes are `data` (at
/// least the header).
pub fn print_header(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let t = ether_type(data);
    out.s("IPOIB, ethertype ");
    out.s(names::ether_type(t).unwrap_or("Unknown"));
    out.s(" (0x");
    out.hex(u64::from(t), 4);
    out.s("), length ");
    out.num(len);
    out.s(": ");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ipoib(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        if data.len() < HEADER_LEN || (wire_len as usize) < HEADER_LEN {
            return Level {
                link: Link::None,
                net: Net::Truncated(CUT),
            };
        }
        let t = ether_type(data);
        let rest = &data[HEADER_LEN..];
        let mut net = self.ether_payload(t, rest, wire_len - HEADER_LEN as u32);
        // A type tcpdump has no printer for: the header even without -e, then the bytes.
        let unknown = matches!(net, Net::None) && names::ether_type(t).is_none();
        if unknown {
            net = Net::dump(rest, CUT);
        }
        Level::headed(print_header, data, wire_len, unknown, net)
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::numbers::link_type;

    fn text(frame: &[u8], wire: u32) -> String {
        crate::packet::text::frame_text(link_type::IPOIB, frame, wire)
    }

    #[test]
    fn header_and_payload() {
        let mut f = vec![0u8; 40];
        f.extend_from_slice(&[0x08, 0x06, 0, 0]);
        // ARP over InfiniBand: 20-byte hardware addresses.
        f.extend_from_slice(&[0x00, 0x20, 0x08, 0x00, 20, 4, 0x00, 0x02]);
        f.extend_from_slice(&[0x80; 20]);
        f.extend_from_slice(&[192, 168, 56, 24]);
        f.extend_from_slice(&[0; 20]);
        f.extend_from_slice(&[192, 168, 56, 10]);
        let wire = f.len() as u32;
        let line = text(&f, wire);
        assert!(
            line.starts_with(
                "IPOIB, ethertype ARP (0x0806), length 100: Reply 192.168.56.24 is-at 80:80:"
            ),
            "{line}"
        );
        assert!(line.ends_with(":80, length 56\n"));
        let mut f = vec![0u8; 40];
        f.extend_from_slice(&[0x12, 0x34, 0, 0, 0x41]);
        assert_eq!(
            text(&f, 45),
            "IPOIB, ethertype Unknown (0x1234), length 45: \n0x0000:  41                                       A\n"
        );
        assert_eq!(text(&f[..43], 45), " [|ipoib]\n");
    }
}
