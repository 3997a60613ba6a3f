//! Linux NFLOG (LINKTYPE_NFLOG, 239): a 4-byte header (family, version, resource id)
//! printed with `-e` as `version 0, resource ID 20, family IPv4 (2), length 180: `, then
//! TLVs up to the one holding the packet, which is printed as IPv4 or IPv6.
//!
//! TLV fields are in the capturing host's byte order; tcpdump reads them in its own,
//! which is little-endian here as on nearly every machine that captures NFLOG.

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::text::TextOut;

const HEADER_LEN: usize = 4;
const TLV_HEADER_LEN: usize = 4;
/// The TLV whose value is the packet.
const NFULA_PAYLOAD: u16 = 9;
const AF_INET: u8 = 2;
const AF_INET6: u8 = 10;
const CUT: &str = " [|nflog]";

/// The header of the frame of wire length `len` whose captured bytes are `data` (at
/// least the header).
pub fn print_header(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("version ");
    out.num(data[1]);
    out.s(", resource ID ");
    out.num(u16::from_be_bytes([data[2], data[3]]));
    out.s(", family ");
    out.s(match data[0] {
        AF_INET => "IPv4",
        AF_INET6 => "IPv6",
        _ => "Unknown",
    });
    out.s(" (");
    out.num(data[0]);
    out.s("), length ");
    out.num(len);
    out.s(": ");
}

/// `version 1 (unknown)`: tcpdump stops at a version it does not know.
fn print_unknown_version(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    out.s("version ");
    out.num(data[1]);
    out.s(" (unknown)");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn nflog(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let alone = |net| Level {
            link: Link::None,
            net,
        };
        if data.len() < HEADER_LEN {
            return alone(Net::Truncated(CUT));
        }
        if data[1] != 0 {
            return alone(Net::Printed(Printed {
                print: print_unknown_version,
                data,
                length: wire_len,
            }));
        }
        let header = |always| Link::Printed {
            header: Printed {
                print: print_header,
                data,
                length: wire_len,
            },
            always,
        };
        let mut rest = &data[HEADER_LEN..];
        let mut len = wire_len.saturating_sub(HEADER_LEN as u32);
        while len > 0 {
            let Some(tlv) = rest.get(..TLV_HEADER_LEN) else {
                return Level {
                    link: header(false),
                    net: Net::Truncated(CUT),
                };
            };
            let size = usize::from(u16::from_le_bytes([tlv[0], tlv[1]])).next_multiple_of(4);
            if size < TLV_HEADER_LEN || rest.len() < size {
                return Level {
                    link: header(false),
                    net: Net::Truncated(CUT),
                };
            }
            if u16::from_le_bytes([tlv[2], tlv[3]]) == NFULA_PAYLOAD {
                rest = &rest[TLV_HEADER_LEN..];
                len = len.saturating_sub(TLV_HEADER_LEN as u32);
                break;
            }
            rest = &rest[size..];
            len = len.saturating_sub(size as u32);
        }
        let version = match data[0] {
            AF_INET => Some(4),
            AF_INET6 => Some(6),
            // Another family: the header even without -e, then the bytes.
            _ => None,
        };
        let (net, always) = self.ip_or_dump(version, rest, len, CUT);
        Level {
            link: header(always),
            net,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::numbers::link_type;

    fn text(frame: &[u8], wire: u32) -> String {
        crate::packet::text::frame_text(link_type::NFLOG, frame, wire)
    }

    #[test]
    fn tlvs_then_payload() {
        // Family 7 (unknown), resource 20; a prefix TLV of 5 bytes (padded to 8), then
        // the payload TLV.
        let mut f = vec![7, 0, 0, 20];
        f.extend_from_slice(&[5, 0, 10, 0, b'x', 0, 0, 0]);
        f.extend_from_slice(&[8, 0, 9, 0, 0x41, 0x42, 0x43, 0x44]);
        assert_eq!(
            text(&f, 20),
            format!(
                "version 0, resource ID 20, family Unknown (7), length 20: \n0x0000:  4142 4344{}ABCD\n",
                " ".repeat(32)
            )
        );
        assert_eq!(
            text(&f[..18], 20),
            "version 0, resource ID 20, family Unknown (7), length 20:  [|nflog]\n"
        );
        assert_eq!(text(&[2, 1, 0, 0], 4), "version 1 (unknown)\n");
        assert_eq!(text(&[2, 0], 4), " [|nflog]\n");
    }
}
