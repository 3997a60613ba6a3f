//! PPP in HDLC-like framing (LINKTYPE_PPP, 9): the header view, its decode and tcpdump's
//! `-e` form `IP (0x0021), length 177: `.

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::text::TextOut;

/// The address/control bytes HDLC-like framing may put before the protocol.
const ALL_STATIONS_UI: [u8; 2] = [0xff, 0x03];

pub const PROTO_IPV4: u16 = 0x0021;
pub const PROTO_IPV6: u16 = 0x0057;
/// OSI network layer PDUs (NLPID first).
pub const PROTO_OSI: u16 = 0x0023;

/// A PPP header: the protocol and the frame's wire length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PppHeader {
    pub protocol: u16,
    pub length: u32,
}

/// The header of `data` and the bytes after it; `None` when cut short.
pub fn decode(data: &[u8], wire_len: u32) -> Option<(PppHeader, &[u8])> {
    let body = data.strip_prefix(&ALL_STATIONS_UI[..]).unwrap_or(data);
    let first = *body.first()?;
    // An odd first byte is a protocol compressed to one byte (RFC 1661 §6.5).
    let (protocol, rest) = if first & 1 == 1 {
        (u16::from(first), &body[1..])
    } else {
        (u16::from_be_bytes([first, *body.get(1)?]), &body[2..])
    };
    Some((
        PppHeader {
            protocol,
            length: wire_len,
        },
        rest,
    ))
}

/// The protocol's name, tcpdump's spelling.
pub fn protocol_name(p: u16) -> &'static str {
    match p {
        0x0021 => "IP",
        0x0023 => "OSI",
        0x0029 => "Appletalk",
        0x002b => "IPX",
        0x003d => "ML",
        0x0057 => "IPv6",
        0x0281 => "MPLS",
        0x0283 => "MPLS",
        0x8021 => "IPCP",
        0x8057 => "IP6CP",
        0x80fd => "CCP",
        0xc021 => "LCP",
        0xc023 => "PAP",
        0xc025 => "LQM",
        0xc223 => "CHAP",
        0xc227 => "EAP",
        _ => "unknown",
    }
}

/// `IP (0x0021), length 177: ` (tcpdump -e).
pub fn print(out: &mut Vec<u8>, h: &PppHeader) {
    out.s(protocol_name(h.protocol));
    out.s(" (0x");
    out.hex(u64::from(h.protocol), 4);
    out.s("), length ");
    out.num(h.length);
    out.s(": ");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ppp(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        use super::ppp;
        let Some((header, rest)) = ppp::decode(data, wire_len) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|ppp]"),
            };
        };
        let len = wire_len.saturating_sub((data.len() - rest.len()) as u32);
        let net = match header.protocol {
            ppp::PROTO_IPV4 => Net::Ipv4(self.ipv4(rest, len)),
            ppp::PROTO_IPV6 => Net::Ipv6(self.ipv6(rest, len)),
            ppp::PROTO_OSI => Net::Printed(Printed {
                print: super::osi::print,
                data: rest,
                length: len,
            }),
            _ => Net::None,
        };
        Level {
            link: Link::Ppp(header),
            net,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing_and_compressed_protocols() {
        let (h, rest) = decode(&[0xff, 0x03, 0x00, 0x21, 0x45], 5).unwrap();
        assert_eq!(h.protocol, PROTO_IPV4);
        assert_eq!(rest, &[0x45]);
        let (h, rest) = decode(&[0x21, 0x45], 2).unwrap();
        assert_eq!((h.protocol, rest.len()), (0x21, 1));
        assert!(decode(&[0xff, 0x03], 2).is_none());
        assert!(decode(&[0x00], 1).is_none());
        let mut out = Vec::new();
        print(&mut out, &h);
        assert_eq!(out, b"IP (0x0021), length 2: ");
    }
}
