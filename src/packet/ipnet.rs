//! Solaris IPNET (LINKTYPE_IPNET, 226): a 24-byte header printed with `-e` as
//! `4294967295 > 0, family IPv4 (2), length 108: ` (source and destination zones), then
//! IPv4 or IPv6.

use super::decode::{Decoder, Level, Link, Net};
use super::text::TextOut;

const HEADER_LEN: usize = 24;
const CUT: &str = " [|ipnet]";
const AF_INET: u8 = 2;
const AF_INET6: u8 = 26;

/// The header of the frame of wire length `len` whose captured bytes are `data` (at
/// least the header).
pub fn print_header(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let be32 = |at: usize| u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
    out.num(be32(16));
    out.s(" > ");
    out.num(be32(20));
    out.s(", family ");
    out.s(match data[1] {
        AF_INET => "IPv4",
        AF_INET6 => "IPv6",
        _ => "Unknown",
    });
    out.s(" (");
    out.num(data[1]);
    out.s("), length ");
    out.num(len);
    out.s(": ");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ipnet(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        if data.len() < HEADER_LEN {
            return Level {
                link: Link::None,
                net: Net::Truncated(CUT),
            };
        }
        let rest = &data[HEADER_LEN..];
        let len = wire_len.saturating_sub(HEADER_LEN as u32);
        let version = match data[1] {
            AF_INET => Some(4),
            AF_INET6 => Some(6),
            // Another family: the header even without -e, then the bytes.
            _ => None,
        };
        let (net, always) = self.ip_or_dump(version, rest, len, CUT);
        Level::headed(print_header, data, wire_len, always, net)
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::numbers::link_type;

    fn text(frame: &[u8]) -> String {
        crate::packet::text::frame_text(link_type::IPNET, frame, frame.len() as u32)
    }

    #[test]
    fn header_and_families() {
        let mut f = vec![1, 9, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0];
        f.extend_from_slice(&[0xff; 4]);
        f.extend_from_slice(&[0; 4]);
        f.push(0x41);
        assert_eq!(
            text(&f),
            "4294967295 > 0, family Unknown (9), length 25: \n0x0000:  41                                       A\n"
        );
        assert_eq!(text(&f[..23]), " [|ipnet]\n");
    }
}
