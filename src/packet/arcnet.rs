//! Linux ARCNET (LINKTYPE_ARCNET_LINUX, 129): the `-e` header `be 00 ed 23: ` (source,
//! destination, type, length) and what it carries (IP, IPv6, ARP).
//!
//! tcpdump names the type from the third byte, which in the Linux header is the first
//! byte of the offset field (the real type is the fifth byte); the text keeps that.

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::text::TextOut;

const CUT: &str = " [|arcnet_linux]";
/// Source, destination, offset, type.
const HEADER_LEN: usize = 5;
/// With the fragmentation flag and sequence id (RFC 1201).
const HEADER_NEW_LEN: usize = 8;

/// ARCNET protocol types.
const IP_OLD: u8 = 240;
const ARP_OLD: u8 = 241;
const DIAGNOSE: u8 = 0x80;
const IP: u8 = 212;
const ARP: u8 = 213;
const REVARP: u8 = 214;
const INET6: u8 = 0xc4;
/// AppleTalk DDP.
const ATALK: u8 = 221;

fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        IP_OLD => "oldip",
        ARP_OLD => "oldarp",
        IP => "ip",
        ARP => "arp",
        REVARP => "rarp",
        ATALK => "atalk",
        247 => "banyan",
        250 => "ipx",
        INET6 => "ipv6",
        DIAGNOSE => "diag",
        _ => return None,
    })
}

/// `be 00 ed 23: ` for the frame of wire length `len` whose captured bytes are `data`
/// (at least the 5-byte header).
pub fn print_header(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.hex(u64::from(data[0]), 2);
    out.s(" ");
    out.hex(u64::from(data[1]), 2);
    out.s(" ");
    match type_name(data[2]) {
        Some(name) => out.s(name),
        None => out.hex(u64::from(data[2]), 2),
    }
    out.s(" ");
    out.num(len);
    out.s(": ");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn arcnet_linux(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let cut = Level {
            link: Link::None,
            net: Net::Truncated(CUT),
        };
        let Some(&arc_type) = data.get(4) else {
            return cut;
        };
        let hdr_len = match arc_type {
            IP_OLD | ARP_OLD | DIAGNOSE => HEADER_LEN,
            _ if data.len() < HEADER_NEW_LEN => return cut,
            _ => HEADER_NEW_LEN,
        };
        let rest = &data[hdr_len..];
        let len = wire_len.saturating_sub(hdr_len as u32);
        let net = match arc_type {
            IP_OLD | IP => Net::Ipv4(self.ipv4(rest, len)),
            INET6 => Net::Ipv6(self.ipv6(rest, len)),
            ARP_OLD | ARP | REVARP => Net::Arp(super::arp::Arp {
                data: rest,
                length: len,
            }),
            ATALK => Net::Printed(Printed {
                print: super::atalk::print,
                data: rest,
                length: len,
            }),
            // IPX: not decoded here.
            250 => Net::None,
            _ => Net::dump(rest, CUT),
        };
        Level::headed(print_header, data, wire_len, false, net)
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::numbers::link_type;

    fn text(frame: &[u8], wire: u32) -> String {
        crate::packet::text::frame_text(link_type::ARCNET_LINUX, frame, wire)
    }

    #[test]
    fn header_and_payloads() {
        // RFC 1201 ARP request with 1-byte hardware addresses.
        let f = [
            0xbe, 0x00, 0xea, 0x08, 0xd5, 0x00, 0x01, 0x65, // header, type ARP
            0x00, 0x07, 0x08, 0x00, 0x01, 0x04, 0x00, 0x01, // ARCnet, IPv4, request
            0xbe, 0x0a, 0x50, 0x83, 0x01, 0x00, 0x0a, 0x50, 0x83, 0xfe,
        ];
        assert_eq!(
            text(&f, 26),
            "be 00 ea 26: Request who-has 10.80.131.254 tell 10.80.131.1, length 18\n"
        );
        // An unknown type: the payload in hex.
        assert_eq!(
            text(&[0x50, 0xbe, 0xf0, 0x00, 0x80, 0x41], 6),
            "50 be oldip 6: \n0x0000:  41                                       A\n"
        );
        // AppleTalk: DDP after the 8-byte header (named from byte 2, as tcpdump does).
        assert_eq!(
            text(&[0x30, 0x30, 0x30, 0x30, 0xdd, 0x30, 0x30, 0x30, 0x30], 100),
            "30 30 30 100:  [|ddp]\n"
        );
        assert_eq!(text(&[0x50, 0xbe, 0xf0, 0x00], 6), " [|arcnet_linux]\n");
        assert_eq!(
            text(&[0x50, 0xbe, 0xf0, 0x00, 0xd4, 0], 6),
            " [|arcnet_linux]\n"
        );
    }
}
