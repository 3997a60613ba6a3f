//! PPP in HDLC-like framing (LINKTYPE_PPP, 9): the header view, its decode and tcpdump's
//! `-e` form `IP (0x0021), length 177: ` (`In  `/`Out ` first for pppd's direction
//! bytes); the protocol's packet follows (IP, IPv6, OSI, PPP's own protocols).

use super::decode::{DecodeOptions, Decoder, Level, Link, MAX_LEVELS, Net, Printed};
use super::numbers::ether_type;
use super::print::Printer;
use super::text::TextOut;

/// The address/control bytes HDLC-like framing may put before the protocol.
const ADDRESS: u8 = 0xff;
const CONTROL: u8 = 0x03;
/// pppd's direction in the address byte (DLT_PPP_PPPD).
const PPPD_IN: u8 = 0x00;
const PPPD_OUT: u8 = 0x01;
/// A protocol field whose first byte is the HDLC flag: the frame's octets are still
/// escaped (RFC 1662).
const ESCAPED_PROTOCOL: u16 = 0x7e00;
/// The HDLC control escape: the next octet, XOR 0x20, is the data.
const CONTROL_ESCAPE: u8 = 0x7d;
/// tcpdump wants this much captured before it looks.
const MIN_CAPTURE: usize = 4;
const CUT: &str = " [|ppp]";

pub const PROTO_IPV4: u16 = 0x0021;
pub const PROTO_OSI: u16 = 0x0023;
pub const PROTO_VJNC: u16 = 0x002f;
pub const PROTO_ML: u16 = 0x003d;
pub const PROTO_IPV6: u16 = 0x0057;
pub const PROTO_MPLS_UNICAST: u16 = 0x0281;
pub const PROTO_MPLS_MULTICAST: u16 = 0x0283;
pub const PROTO_COMP: u16 = 0x00fd;
pub const PROTO_PAP: u16 = 0xc023;
pub const PROTO_CHAP: u16 = 0xc223;

/// pppd's direction, when the frame carries it instead of the address byte.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PppdDirection {
    In,
    Out,
}

/// A PPP header: the protocol and the frame's wire length.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PppHeader {
    pub protocol: u16,
    pub length: u32,
    pub direction: Option<PppdDirection>,
}

/// The header of `data` and the bytes after it; `None` when cut short.
pub fn decode(data: &[u8], wire_len: u32) -> Option<(PppHeader, &[u8])> {
    let mut direction = None;
    let body = match data {
        [ADDRESS, CONTROL, rest @ ..] => rest,
        [PPPD_IN, CONTROL, rest @ ..] => {
            direction = Some(PppdDirection::In);
            rest
        }
        [PPPD_OUT, CONTROL, rest @ ..] => {
            direction = Some(PppdDirection::Out);
            rest
        }
        _ => data,
    };
    let header_len = data.len() - body.len();
    if (wire_len as usize) < header_len + 2 {
        return None;
    }
    // An odd first byte is a protocol compressed to one byte (RFC 1661 §6.5).
    let (protocol, rest) = match body {
        [first, rest @ ..] if first & 1 == 1 => (u16::from(*first), rest),
        [first, second, rest @ ..] => (u16::from_be_bytes([*first, *second]), rest),
        _ => return None,
    };
    Some((
        PppHeader {
            protocol,
            length: wire_len,
            direction,
        },
        rest,
    ))
}

/// The protocol's name, tcpdump's spelling (its `ppptype2str`).
pub fn protocol_name(p: u16) -> Option<&'static str> {
    Some(match p {
        0x0021 => "IP",
        0x0023 => "OSI",
        0x0025 => "NS",
        0x0027 => "DECNET",
        0x0029 => "APPLE",
        0x002b => "IPX",
        0x002d => "VJC IP",
        0x002f => "VJNC IP",
        0x0031 => "BRPDU",
        0x0033 => "STII",
        0x0035 => "VINES",
        0x0281 | 0x0283 => "MPLS",
        0x00fd => "Compressed",
        0x003d => "MLPPP",
        0x0057 => "IP6",
        0x0201 => "HELLO",
        0x0231 => "LUXCOM",
        0x0233 => "SNS",
        0x8021 => "IPCP",
        0x8023 => "OSICP",
        0x8025 => "NSCP",
        0x8027 => "DECNETCP",
        0x8029 => "APPLECP",
        0x802b => "IPXCP",
        0x8033 => "STIICP",
        0x8035 => "VINESCP",
        0x8057 => "IP6CP",
        0x8281 => "MPLSCP",
        0xc021 => "LCP",
        0xc023 => "PAP",
        0xc025 => "LQM",
        0xc223 => "CHAP",
        0xc227 => "EAP",
        0xc027 => "SPAP",
        0xc123 => "Old-SPAP",
        0xc02b => "BACP",
        0xc02d => "BAP",
        0x803d => "MLPPP-CP",
        0x80fd => "CCP",
        _ => return None,
    })
}

/// The control protocols tcpdump prints as `NAME, Code (0x01), id 1, length 12`.
fn is_control(p: u16) -> bool {
    matches!(
        p,
        0xc021 | 0x8021 | 0x8023 | 0x8281 | 0x8057 | 0x80fd | 0xc02b
    )
}

/// `IP (0x0021), length 177: ` (tcpdump -e); a protocol without a name ends the line
/// after its length.
pub fn print(out: &mut Vec<u8>, h: &PppHeader) {
    match h.direction {
        Some(PppdDirection::In) => out.s("In  "),
        Some(PppdDirection::Out) => out.s("Out "),
        None => {}
    }
    let name = protocol_name(h.protocol);
    out.s(name.unwrap_or("unknown"));
    out.s(" (0x");
    out.hex(u64::from(h.protocol), 4);
    out.s("), length ");
    out.num(h.length);
    if name.is_some() {
        out.s(": ");
    }
}

macro_rules! control_printer {
    ($name:ident, $text:literal) => {
        fn $name(out: &mut Vec<u8>, data: &[u8], len: u32) {
            super::ppp_control::print_control(out, $text, data, len)
        }
    };
}

control_printer!(print_lcp, "LCP");
control_printer!(print_ipcp, "IPCP");
control_printer!(print_osicp, "OSICP");
control_printer!(print_mplscp, "MPLSCP");
control_printer!(print_ip6cp, "IP6CP");
control_printer!(print_ccp, "CCP");
control_printer!(print_bacp, "BACP");

fn control_printer(p: u16) -> Option<super::decode::LinePrinter> {
    Some(match p {
        0xc021 => print_lcp,
        0x8021 => print_ipcp,
        0x8023 => print_osicp,
        0x8281 => print_mplscp,
        0x8057 => print_ip6cp,
        0x80fd => print_ccp,
        0xc02b => print_bacp,
        _ => return None,
    })
}

fn print_compressed(out: &mut Vec<u8>, _data: &[u8], _len: u32) {
    out.s("compressed PPP data");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ppp(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let cut = Level {
            link: Link::None,
            net: Net::Truncated(CUT),
        };
        if data.len() < MIN_CAPTURE {
            return cut;
        }
        let Some((header, rest)) = decode(data, wire_len) else {
            return cut;
        };
        let len = wire_len.saturating_sub((data.len() - rest.len()) as u32);
        // With -e tcpdump prints nothing after a protocol it cannot name.
        let net = match protocol_name(header.protocol) {
            None => Net::None,
            Some(_) => self.ppp_payload(header.protocol, rest, len),
        };
        Level {
            link: Link::Ppp(header),
            net,
        }
    }

    /// PPP over a serial line (LINKTYPE_PPP_SERIAL, 50): `ff 03 60 IPCP: ` and the
    /// protocol's packet; Cisco HDLC frames share the link type.
    pub(super) fn ppp_serial(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let cut = Level {
            link: Link::None,
            net: Net::Truncated(" [|ppp_hdlc]"),
        };
        match data {
            [0x0f | 0x8f, _, ..] => self.chdlc(data, wire_len),
            [_, _, _, _, ..] => {
                let rest = &data[4..];
                let len = wire_len.saturating_sub(4);
                let net = if data[0] == ADDRESS {
                    let protocol = u16::from_be_bytes([data[2], data[3]]);
                    if protocol & 0xff00 == ESCAPED_PROTOCOL && len > 0 {
                        // tcpdump un-escapes from the protocol's second byte on.
                        Net::PppEscaped(&data[3..])
                    } else {
                        self.ppp_payload(protocol, rest, len)
                    }
                } else {
                    Net::None
                };
                Level::headed(print_serial_header, data, wire_len, true, net)
            }
            _ => cut,
        }
    }

    /// What PPP protocol `protocol` carries (tcpdump's `handle_ppp`).
    fn ppp_payload(&mut self, protocol: u16, rest: &'a [u8], len: u32) -> Net<'a> {
        let printed = |print| {
            Net::Printed(Printed {
                print,
                data: rest,
                length: len,
            })
        };
        match protocol {
            PROTO_IPV4 | PROTO_VJNC | ether_type::IPV4 => Net::Ipv4(self.ipv4(rest, len)),
            PROTO_IPV6 | ether_type::IPV6 => Net::Ipv6(self.ipv6(rest, len)),
            PROTO_MPLS_UNICAST | PROTO_MPLS_MULTICAST => self.mpls(rest, len),
            p => payload_printer(p).map_or(Net::None, printed),
        }
    }
}

/// The printer of what PPP protocol `p` carries, for the protocols printed whole (not
/// IP, which the decoder continues into).
pub fn payload_printer(p: u16) -> Option<super::decode::LinePrinter> {
    match p {
        p if is_control(p) => control_printer(p),
        PROTO_OSI => Some(super::osi::print),
        PROTO_ML => Some(super::ppp_control::print_mlppp),
        PROTO_PAP => Some(super::ppp_control::print_pap),
        PROTO_CHAP => Some(super::ppp_control::print_chap),
        PROTO_COMP => Some(print_compressed),
        _ => None,
    }
}

/// A PPP frame inside another protocol's line (OSI's NLPID 0xcf): the `-e` header, then
/// the protocols printed whole; the line stops before IP, which needs the decoder.
pub fn print_line(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if data.len() < 2 || len < 2 {
        out.s(CUT);
        return;
    }
    let Some((header, rest)) = decode(data, len) else {
        out.s(CUT);
        return;
    };
    print(out, &header);
    if protocol_name(header.protocol).is_none() {
        return;
    }
    if let Some(payload) = payload_printer(header.protocol) {
        let rest_len = len.saturating_sub((data.len() - rest.len()) as u32);
        payload(out, rest, rest_len);
    }
}

impl Printer<'_> {
    /// A PPP frame still HDLC-escaped, from the protocol's second byte (`data`):
    /// tcpdump un-escapes the captured bytes and guesses their protocol field's form.
    pub(super) fn ppp_escaped(&mut self, data: &[u8]) {
        // Rare (a capture of raw serial octets): the copy is not on the common path.
        let mut b = Vec::with_capacity(data.len());
        let mut octets = data.iter();
        while let Some(&c) = octets.next() {
            b.push(if c == CONTROL_ESCAPE {
                match octets.next() {
                    Some(&next) => next ^ 0x20,
                    None => break,
                }
            } else {
                c
            });
        }
        let (protocol, at) = match b.as_slice() {
            [] => return self.out.s(" [|ppp_hdlc]"),
            [p, ..] if u16::from(*p) == PROTO_IPV4 || u16::from(*p) == PROTO_IPV6 => {
                (u16::from(*p), 1)
            }
            [_] => return self.out.s(" [|ppp_hdlc]"),
            [ADDRESS, CONTROL, rest @ ..] => match rest {
                [hi, lo, ..] => (u16::from_be_bytes([*hi, *lo]), 4),
                _ => return self.out.s(" [|ppp_hdlc]"),
            },
            [hi, lo, ..] => (u16::from_be_bytes([*hi, *lo]), 2),
        };
        if protocol & 0xff00 == ESCAPED_PROTOCOL {
            self.out.s("(protocol 0x");
            self.out.hex(u64::from(protocol), 4);
            self.out.s(" invalid)");
            return;
        }
        let opts = DecodeOptions::default();
        let mut decoder = Decoder {
            opts: &opts,
            inner: None,
            inner_continues: false,
            depth: MAX_LEVELS,
        };
        let net = decoder.ppp_payload(protocol, &b[at..], (b.len() - at) as u32);
        self.level(&Level {
            link: Link::None,
            net,
        });
    }
}

/// Whether PPP protocol `p` carries IP (the decoder goes on into it).
pub fn carries_ip(p: u16) -> Option<bool> {
    match p {
        PROTO_IPV4 | PROTO_VJNC => Some(true),
        PROTO_IPV6 => Some(false),
        _ => None,
    }
}

/// `ff 03 62279 IPCP: ` (the name is printed with or without -e), or for another address
/// byte `30 30 262144 unknown addr 30; ctrl 30`.
fn print_serial_header(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.hex(u64::from(data[0]), 2);
    out.s(" ");
    out.hex(u64::from(data[1]), 2);
    out.s(" ");
    out.num(len);
    out.s(" ");
    if data[0] != ADDRESS {
        out.s("unknown addr ");
        out.hex(u64::from(data[2]), 2);
        out.s("; ctrl ");
        out.hex(u64::from(data[3]), 2);
        return;
    }
    let protocol = u16::from_be_bytes([data[2], data[3]]);
    match protocol_name(protocol) {
        Some(name) => out.s(name),
        None => {
            out.s("unknown PPP protocol (0x");
            out.hex(u64::from(protocol), 4);
            out.s(")");
        }
    }
    out.s(": ");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8]) -> String {
        crate::packet::text::frame_text(crate::record::LinkType(9), data, data.len() as u32)
    }

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

    #[test]
    fn ethertype_ppp_puts_a_colon_before_the_frame() {
        let mut frame = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x0b];
        frame.extend_from_slice(&[0xff, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x04]);
        assert_eq!(
            crate::packet::text::frame_text(crate::record::LinkType(1), &frame, 22),
            "02-00-00-00-00-01 > 02-00-00-00-00-02, ethertype PPP (0x880b), length 22: :\n\
             LCP (0xc021), length 8: LCP, Echo-Request (0x09), id 1, length 6\n"
        );
    }

    #[test]
    fn lines() {
        assert_eq!(
            line(&[0xff, 0x03, 0x80, 0x21, 0x01, 0x05, 0x00, 0x04]),
            "IPCP (0x8021), length 8: IPCP, Conf-Request (0x01), id 5, length 6\n"
        );
        assert_eq!(
            line(&[0x01, 0x03, 0xc0, 0x21, 0x09, 0x01, 0x00, 0x08]),
            "Out LCP (0xc021), length 8: LCP, Echo-Request (0x09), id 1, length 6\n"
        );
        assert_eq!(
            line(&[0xff, 0x03, 0x12, 0x34, 0, 0]),
            "unknown (0x1234), length 6\n"
        );
        assert_eq!(
            line(&[0xff, 0x03, 0x00, 0x3d, 0xc0, 0x02]),
            "MLPPP (0x003d), length 6: seq 0x002, Flags [begin, end], length 2\n"
        );
        assert_eq!(line(&[0xff, 0x03, 0x00]), " [|ppp]\n");
        let serial = |d: &[u8]| {
            let link = crate::packet::numbers::link_type::PPP_SERIAL;
            crate::packet::text::frame_text(link, d, d.len() as u32)
        };
        assert_eq!(
            serial(&[0xff, 0x03, 0x80, 0x21, 0x01, 0x00, 0x00, 0x04]),
            "ff 03 8 IPCP: IPCP, Conf-Request (0x01), id 0, length 6\n"
        );
        assert_eq!(
            serial(&[0x30, 0x30, 0x31, 0x32]),
            "30 30 4 unknown addr 31; ctrl 32\n"
        );
        assert_eq!(serial(&[0x30]), " [|ppp_hdlc]\n");
        // A protocol field opening with the HDLC flag: the octets are un-escaped
        // (7d 01 is 0x21) and read again.
        assert_eq!(
            serial(&[0xff, 0x03, 0x7e, 0x80, 0x7d, 0x01, 0x01, 0x00, 0x00, 0x04]),
            "ff 03 10 unknown PPP protocol (0x7e80): IPCP, Conf-Request (0x01), id 0, length 6\n"
        );
        assert_eq!(
            serial(&[0xff, 0x03, 0x7e, 0x21, 0x45]),
            "ff 03 5 unknown PPP protocol (0x7e21): [|ip]\n"
        );
    }
}
