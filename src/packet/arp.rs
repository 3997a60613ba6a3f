//! ARP and RARP (and ATM ARP, RFC 2225): tcpdump's `Request who-has .. tell ..` lines,
//! with its forms for odd address lengths, unknown operations (a hex dump) and messages
//! cut short (`[|arp]`).

use super::print::Printer;
use super::text::TextOut;

/// Hardware types.
const HRD_FRELAY: u16 = 15;
const HRD_ATM2225: u16 = 19;
/// The protocol types whose addresses tcpdump prints as IPv4.
const PRO_IP: u16 = 0x0800;
const PRO_TRAIL: u16 = 0x1000;

/// The fixed header (hardware and protocol types and lengths, operation).
const HEADER_LEN: usize = 8;
/// ATM ARP's fixed header.
const ATM_HEADER_LEN: usize = 12;

const CUT: &str = " [|arp]";

/// An ARP message: the captured bytes from its header on and its wire length.
#[derive(Clone, Copy, Debug)]
pub struct Arp<'a> {
    pub data: &'a [u8],
    pub length: u32,
}

fn be16(d: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([d[at], d[at + 1]])
}

fn hardware_name(hrd: u16) -> Option<&'static str> {
    Some(match hrd {
        1 => "Ethernet",
        6 => "TokenRing",
        7 => "ArcNet",
        15 => "FrameRelay",
        23 => "Strip",
        24 => "IEEE 1394",
        19 => "ATM",
        32 => "InfiniBand",
        _ => return None,
    })
}

fn operation_name(op: u16) -> Option<&'static str> {
    Some(match op {
        1 => "Request",
        2 => "Reply",
        3 => "Reverse Request",
        4 => "Reverse Reply",
        8 => "Inverse Request",
        9 => "Inverse Reply",
        10 => "NACK Reply",
        _ => return None,
    })
}

/// How tcpdump names a hardware address: a MAC for 6-byte Ethernet-like ones, a DLCI
/// for Frame Relay, colon-separated hex otherwise.
#[derive(Clone, Copy, PartialEq)]
enum AddressKind {
    Ether,
    FrameRelay,
    Atm,
}

fn link_address(out: &mut Vec<u8>, a: &[u8], kind: AddressKind) {
    if a.is_empty() {
        out.s("<empty>");
    } else if kind == AddressKind::Ether && a.len() == 6 {
        out.mac(a);
    } else if kind == AddressKind::FrameRelay {
        match super::frame_relay::parse_q922(a, a.len() as u32) {
            Ok(q) => {
                out.s("DLCI ");
                out.num(q.dlci);
            }
            Err(super::frame_relay::AddressError::Invalid) => out.s("<Invalid DLCI>"),
            Err(super::frame_relay::AddressError::Cut) => out.s("<Truncated>"),
        }
    } else {
        for (i, b) in a.iter().enumerate() {
            if i > 0 {
                out.s(":");
            }
            out.hex(u64::from(*b), 2);
        }
    }
}

/// A protocol address: IPv4 for the IP protocol types, else tcpdump's complaint.
fn protocol_address(out: &mut Vec<u8>, pro: u16, a: &[u8], wrong_len: &str) {
    if pro != PRO_IP && pro != PRO_TRAIL {
        out.s("<wrong proto type>");
    } else if let Ok(v4) = <[u8; 4]>::try_from(a) {
        out.ipv4(v4);
    } else {
        out.s(wrong_len);
    }
}

impl Printer<'_> {
    fn arp_hardware(&mut self, hrd: u16) {
        self.name_or_number(hardware_name(hrd), "Unknown Hardware (", hrd, ")");
    }

    fn arp_operation(&mut self, op: u16) {
        if self.opts.verbose > 0 {
            self.out.s(", ");
        }
        self.name_or_number(operation_name(op), "Unknown (", op, ")");
        self.out.s(" ");
    }

    /// A message with an operation tcpdump does not decode: its captured bytes in hex.
    fn arp_dump(&mut self, data: &[u8]) {
        super::hexdump::hex_and_ascii(self.out, data, self.line_start);
    }

    pub(super) fn arp(&mut self, arp: &Arp<'_>) {
        let d = arp.data;
        if d.len() < HEADER_LEN {
            self.out.s(CUT);
            return;
        }
        let (hrd, pro) = (be16(d, 0), be16(d, 2));
        if hrd == HRD_ATM2225 {
            return self.atm_arp(arp);
        }
        let (hln, pln) = (usize::from(d[4]), usize::from(d[5]));
        let op = be16(d, 6);
        let sha = HEADER_LEN;
        let spa = sha + hln;
        let tha = spa + pln;
        let tpa = tha + hln;
        if d.len() < tpa + pln {
            self.out.s(CUT);
            return;
        }
        let kind = if hrd == HRD_FRELAY {
            AddressKind::FrameRelay
        } else {
            AddressKind::Ether
        };
        if !self.eflag() {
            self.out.s("ARP, ");
        }
        let verbose = self.opts.verbose > 0;
        if (pro != PRO_IP && pro != PRO_TRAIL) || pln != 4 || hln == 0 || verbose {
            self.arp_hardware(hrd);
            self.out.s(" (len ");
            self.out.num(hln);
            self.out.s("), ");
            self.ether_type_or_hex(pro, "Unknown Protocol (0x", ")");
            self.out.s(" (len ");
            self.out.num(pln);
            self.out.s(")");
            if !verbose {
                self.length(arp.length);
                return;
            }
        }
        self.arp_operation(op);
        let (sha, spa, tha, tpa) = (
            &d[sha..spa],
            &d[spa..spa + pln],
            &d[tha..tha + hln],
            &d[tpa..tpa + pln],
        );
        let out = &mut *self.out;
        match op {
            1 => {
                out.s("who-has ");
                protocol_address(out, pro, tpa, "<wrong len>");
                if tha.iter().any(|b| *b != 0) {
                    out.s(" (");
                    link_address(out, tha, kind);
                    out.s(")");
                }
                out.s(" tell ");
                protocol_address(out, pro, spa, "<wrong len>");
            }
            2 => {
                protocol_address(out, pro, spa, "<wrong len>");
                out.s(" is-at ");
                link_address(out, sha, kind);
            }
            3 | 8 => {
                out.s("who-is ");
                link_address(out, tha, kind);
                out.s(" tell ");
                link_address(out, sha, kind);
            }
            4 => {
                link_address(out, tha, kind);
                out.s(" at ");
                protocol_address(out, pro, tpa, "<wrong len>");
            }
            9 => {
                link_address(out, sha, kind);
                out.s(" at ");
                protocol_address(out, pro, spa, "<wrong len>");
            }
            _ => return self.arp_dump(d),
        }
        self.length(arp.length);
    }

    /// ATM ARP (RFC 2225): ATM numbers and subaddresses of their own lengths.
    fn atm_arp(&mut self, arp: &Arp<'_>) {
        let d = arp.data;
        if d.len() < ATM_HEADER_LEN {
            self.out.s(CUT);
            return;
        }
        let (hrd, pro, op) = (be16(d, 0), be16(d, 2), be16(d, 6));
        let len6 = |b: u8| usize::from(b & 0x3f);
        let (shl, ssl, spl) = (len6(d[4]), len6(d[5]), usize::from(d[8]));
        let (thl, tsl, tpl) = (len6(d[9]), len6(d[10]), usize::from(d[11]));
        let sha = ATM_HEADER_LEN;
        let ssa = sha + shl;
        let spa = ssa + ssl;
        let tha = spa + spl;
        let tsa = tha + thl;
        let tpa = tsa + tsl;
        if d.len() < tpa + tpl {
            self.out.s(CUT);
            return;
        }
        if !self.eflag() {
            self.out.s("ARP, ");
        }
        let verbose = self.opts.verbose > 0;
        if (pro != PRO_IP && pro != PRO_TRAIL) || spl != 4 || tpl != 4 || verbose {
            self.arp_hardware(hrd);
            self.out.s(", ");
            self.ether_type_or_hex(pro, "Unknown Protocol (0x", ")");
            self.out.s(" (len ");
            self.out.num(spl);
            self.out.s("/");
            self.out.num(tpl);
            self.out.s(")");
            if !verbose {
                self.length(arp.length);
                return;
            }
        }
        self.arp_operation(op);
        let atm_address = |out: &mut Vec<u8>, number: &[u8], sub: &[u8]| {
            if number.is_empty() {
                out.s("<No address>");
            } else {
                link_address(out, number, AddressKind::Atm);
                if !sub.is_empty() {
                    out.s(",");
                    link_address(out, sub, AddressKind::Atm);
                }
            }
        };
        let (sha, ssa, spa) = (&d[sha..ssa], &d[ssa..spa], &d[spa..spa + spl]);
        let (tha, tsa, tpa) = (&d[tha..tsa], &d[tsa..tpa], &d[tpa..tpa + tpl]);
        let out = &mut *self.out;
        match op {
            1 => {
                out.s("who-has ");
                protocol_address(out, pro, tpa, "<wrong tplen>");
                if !tha.is_empty() {
                    out.s(" (");
                    atm_address(out, tha, tsa);
                    out.s(")");
                }
                out.s(" tell ");
                protocol_address(out, pro, spa, "<wrong splen>");
            }
            2 => {
                protocol_address(out, pro, spa, "<wrong splen>");
                out.s(" is-at ");
                atm_address(out, sha, ssa);
            }
            8 => {
                out.s("who-is ");
                atm_address(out, tha, tsa);
                out.s(" tell ");
                atm_address(out, sha, ssa);
            }
            9 => {
                atm_address(out, sha, ssa);
                out.s("at ");
                protocol_address(out, pro, spa, "<wrong splen>");
            }
            10 => {
                out.s("for ");
                protocol_address(out, pro, spa, "<wrong splen>");
            }
            _ => return self.arp_dump(d),
        }
        self.length(arp.length);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::print::PrintOptions;

    fn text(data: &[u8], length: u32) -> String {
        let opts = PrintOptions::default();
        let mut out = Vec::new();
        Printer {
            out: &mut out,
            opts: &opts,
            line_start: b"\t",
            memory: &mut Default::default(),
        }
        .arp(&Arp { data, length });
        String::from_utf8(out).unwrap()
    }

    fn message(hrd: u16, hln: u8, pln: u8, op: u16, addrs: &[u8]) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&hrd.to_be_bytes());
        m.extend_from_slice(&PRO_IP.to_be_bytes());
        m.extend_from_slice(&[hln, pln]);
        m.extend_from_slice(&op.to_be_bytes());
        m.extend_from_slice(addrs);
        m
    }

    const ETHER_ADDRS: [u8; 20] = [
        0, 0x1f, 0x29, 0xda, 0xf8, 0xfb, 192, 168, 0, 37, // sender
        0, 0, 0, 0, 0, 0, 192, 168, 0, 1, // target
    ];

    #[test]
    fn operations() {
        let m = message(1, 6, 4, 1, &ETHER_ADDRS);
        assert_eq!(
            text(&m, 46),
            "who-has 192.168.0.1 tell 192.168.0.37, length 46".replace("who", "Request who")
        );
        let m = message(1, 6, 4, 2, &ETHER_ADDRS);
        assert_eq!(
            text(&m, 28),
            "Reply 192.168.0.37 is-at 00-1F-29-DA-F8-FB, length 28"
        );
        let m = message(1, 6, 4, 3, &ETHER_ADDRS);
        assert_eq!(
            text(&m, 28),
            "Reverse Request who-is 00-00-00-00-00-00 tell 00-1F-29-DA-F8-FB, length 28"
        );
        let m = message(1, 6, 4, 4, &ETHER_ADDRS);
        assert_eq!(
            text(&m, 28),
            "Reverse Reply 00-00-00-00-00-00 at 192.168.0.1, length 28"
        );
    }

    #[test]
    fn odd_forms() {
        // An operation tcpdump does not know: the message in hex.
        let m = message(1, 6, 4, 0x7501, &ETHER_ADDRS);
        assert!(text(&m, 28).starts_with("Unknown (29953) \n\t0x0000:  0001 0800 0604 7501"));
        // Hardware addresses of another length.
        let mut addrs = vec![0x30; 2];
        addrs.extend_from_slice(&[10, 0, 0, 1]);
        addrs.extend_from_slice(&[0x30, 0x31, 10, 0, 0, 2]);
        assert_eq!(
            text(&message(7, 2, 4, 1, &addrs), 28),
            "Request who-has 10.0.0.2 (30:31) tell 10.0.0.1, length 28"
        );
        // No hardware address: the types and lengths only.
        assert_eq!(
            text(&message(1, 0, 4, 1, &[10, 0, 0, 1, 10, 0, 0, 2]), 16),
            "Ethernet (len 0), IPv4 (len 4), length 16"
        );
        // Frame Relay: DLCIs.
        let mut addrs = vec![0x48, 0xd1, 10, 0, 0, 1];
        addrs.extend_from_slice(&[0x01, 0x00, 10, 0, 0, 2]);
        assert_eq!(
            text(&message(15, 2, 4, 2, &addrs), 20),
            "Reply 10.0.0.1 is-at DLCI 301, length 20"
        );
    }

    #[test]
    fn cut_short() {
        let m = message(1, 6, 4, 1, &ETHER_ADDRS);
        assert_eq!(text(&m[..27], 60), " [|arp]");
        assert_eq!(text(&m[..7], 60), " [|arp]");
    }

    #[test]
    fn atm() {
        // Request: source ATM number of 2 bytes, IPv4 addresses, no target number.
        let mut m = vec![0, 19, 0x08, 0x00, 2, 0, 0, 1, 4, 0, 0, 4];
        m.extend_from_slice(&[0x47, 0x00, 10, 0, 0, 1, 10, 0, 0, 2]);
        assert_eq!(
            text(&m, 22),
            "Request who-has 10.0.0.2 tell 10.0.0.1, length 22"
        );
        m[11] = 16;
        assert_eq!(text(&m, 22), " [|arp]");
    }
}
