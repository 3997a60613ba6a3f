//! ISAKMP / IKE (UDP 500, RFC 2408 and 7296) and its NAT-traversal encapsulation
//! (UDP 4500, RFC 3948): tcpdump's default lines, `isakmp: parent_sa ikev2_init[I]`,
//! `NONESP-encap: isakmp: ...`, `UDP-encap: ESP(spi=0x...,seq=0x...), length N` and
//! `isakmp-nat-keep-alive`.

use super::decode::be32;
use super::memory::{CaptureMemory, Flow};
use super::print::Addrs;
use super::text::TextOut;

/// Initiator and responder cookies, next payload, version, exchange type, flags,
/// message id and length.
const HEADER: usize = 28;
const R_COOKIE: std::ops::Range<usize> = 8..16;
const ETYPE_AT: usize = 18;
const FLAGS_AT: usize = 19;
const MSGID_AT: usize = 20;
/// The ESP header: SPI and sequence number.
const ESP_HEADER: usize = 8;
/// Exchanges tcpdump remembers (the oldest entry is replaced).
const INITIATORS: usize = 20;

/// The first message of an IKEv1 exchange (a zero responder cookie): its initiator
/// cookie and addresses, by which later messages are told to come from the initiator
/// (`I`) or the responder (`R`).
#[derive(Clone, Copy, Debug, Default)]
struct Initiator {
    cookie: [u8; 8],
    /// The datagram's addresses (None: an empty entry, whose zero cookie still matches,
    /// as in tcpdump's zeroed table, and names no side).
    addrs: Option<([u8; 16], [u8; 16], bool)>,
}

/// The exchanges seen so far in the capture.
#[derive(Debug, Default)]
pub struct Initiators {
    entries: [Initiator; INITIATORS],
    next: usize,
}

/// An address pair as 16 bytes each, and whether it is IPv6.
fn wide(addrs: Addrs) -> ([u8; 16], [u8; 16], bool) {
    match addrs {
        Addrs::V4(s, d) => {
            let (mut ws, mut wd) = ([0; 16], [0; 16]);
            ws[..4].copy_from_slice(&s);
            wd[..4].copy_from_slice(&d);
            (ws, wd, false)
        }
        Addrs::V6(s, d) => (s, d, true),
    }
}

impl Initiators {
    fn find(&self, cookie: &[u8]) -> Option<usize> {
        self.entries.iter().position(|e| e.cookie[..] == *cookie)
    }

    /// Notes an exchange's first message; a known cookie only moves the replacement
    /// point past its entry.
    fn record(&mut self, cookie: &[u8], addrs: Addrs) {
        if let Some(i) = self.find(cookie) {
            self.next = (i + 1) % INITIATORS;
            return;
        }
        let e = &mut self.entries[self.next];
        e.cookie.copy_from_slice(cookie);
        e.addrs = Some(wide(addrs));
        self.next = (self.next + 1) % INITIATORS;
    }

    /// ` I`, ` R` or ` ?` for a message from `addrs`'s source in exchange `i`.
    fn side(&self, i: usize, addrs: Addrs) -> &'static str {
        let (src, _, v6) = wide(addrs);
        match self.entries[i].addrs {
            Some((ini, _, ev6)) if ev6 == v6 && ini == src => " I",
            Some((_, resp, ev6)) if ev6 == v6 && resp == src => " R",
            _ => " ?",
        }
    }

    /// The side of an IKEv1 message `h` (its header) from `addrs`, remembering the
    /// exchange when it is the first message.
    fn sight(&mut self, h: &[u8], addrs: Addrs) -> &'static str {
        let (cookie, responder) = (&h[..8], &h[R_COOKIE]);
        match self.find(cookie) {
            Some(i) => self.side(i, addrs),
            None if responder.iter().all(|&b| b == 0) => {
                self.record(cookie, addrs);
                " I"
            }
            None => " ?",
        }
    }
}

fn exchange_name(etype: u8) -> Option<&'static str> {
    Some(match etype {
        0 => "none",
        1 => "base",
        2 => "ident",
        3 => "auth",
        4 => "agg",
        5 => "inf",
        32 => "oakley-quick",
        33 => "oakley-newgroup",
        34 => "ikev2_init",
        35 => "ikev2_auth",
        36 => "child_sa",
        37 => "inf2",
        _ => return None,
    })
}

/// Appends the line for an ISAKMP message (UDP 500) of wire length `len` whose captured
/// bytes are `data`, sent in `flow`.
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32, flow: &Flow, memory: &mut CaptureMemory) {
    let Some(h) = data.get(..HEADER) else {
        out.s(" [|isakmp]");
        return;
    };
    out.s("isakmp:");
    let first_phase = be32(h, MSGID_AT) == Some(0);
    let (etype, flags) = (h[ETYPE_AT], h[FLAGS_AT]);
    match h[17] >> 4 {
        1 => {
            out.s(if first_phase {
                " phase 1"
            } else {
                " phase 2/others"
            });
            out.s(memory.isakmp.sight(h, flow.addrs));
            exchange(out, etype);
            if flags != 0 {
                out.s("[");
                if flags & 0x01 != 0 {
                    out.s("E");
                }
                if flags & 0x02 != 0 {
                    out.s("C");
                }
                out.s("]");
            }
        }
        2 => {
            out.s(if first_phase {
                " parent_sa"
            } else {
                " child_sa "
            });
            exchange(out, etype);
            if flags != 0 {
                out.s("[");
                if flags & 0x08 != 0 {
                    out.s("I");
                }
                if flags & 0x10 != 0 {
                    out.s("V");
                }
                if flags & 0x20 != 0 {
                    out.s("R");
                }
                out.s("]");
            }
        }
        _ => {}
    }
}

fn exchange(out: &mut Vec<u8>, etype: u8) {
    out.s(" ");
    match exchange_name(etype) {
        Some(name) => out.s(name),
        None => {
            out.s("#");
            out.num(etype);
        }
    }
}

/// Appends the line for a datagram on the NAT-traversal port (UDP 4500): a keep-alive,
/// IKE behind four zero bytes, or ESP.
pub fn print_nat_traversal(
    out: &mut Vec<u8>,
    data: &[u8],
    len: u32,
    flow: &Flow,
    memory: &mut CaptureMemory,
) {
    if len == 1 && data.first() == Some(&0xff) {
        out.s("isakmp-nat-keep-alive");
        return;
    }
    let Some(marker) = be32(data, 0).filter(|_| len >= 4) else {
        out.s(" [|isakmp_rfc3948]");
        return;
    };
    if marker == 0 {
        out.s("NONESP-encap: ");
        print(out, &data[4..], len - 4, flow, memory);
        return;
    }
    out.s("UDP-encap: ");
    // tcpdump wants a byte past the ESP header.
    if data.len() <= ESP_HEADER {
        out.s(" [|esp]");
        return;
    }
    out.s("ESP(spi=0x");
    out.hex(u64::from(marker), 8);
    out.s(",seq=0x");
    out.hex(u64::from(be32(data, 4).unwrap_or(0)), 0);
    out.s("), length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    const FROM_A: Flow = Flow {
        addrs: Addrs::V4([10, 0, 0, 1], [10, 0, 0, 2]),
        sport: 500,
        dport: 500,
    };
    const FROM_B: Flow = Flow {
        addrs: Addrs::V4([10, 0, 0, 2], [10, 0, 0, 1]),
        sport: 500,
        dport: 500,
    };

    fn said(data: &[u8], len: u32, flow: &Flow, memory: &mut CaptureMemory) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len, flow, memory);
        String::from_utf8(out).unwrap()
    }

    /// A message on its own (a fresh capture).
    fn line(data: &[u8], len: u32) -> String {
        said(data, len, &FROM_A, &mut CaptureMemory::default())
    }

    fn nat(data: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print_nat_traversal(&mut out, data, len, &FROM_A, &mut CaptureMemory::default());
        String::from_utf8(out).unwrap()
    }

    fn header(version: u8, etype: u8, flags: u8, msgid: u8, r_cookie: u8) -> Vec<u8> {
        let mut h = vec![0u8; HEADER];
        h[0] = 0x11;
        h[8] = r_cookie;
        h[17] = version << 4;
        h[ETYPE_AT] = etype;
        h[FLAGS_AT] = flags;
        h[MSGID_AT + 3] = msgid;
        h
    }

    #[test]
    fn ikev2() {
        assert_eq!(
            line(&header(2, 34, 0x08, 0, 0), 28),
            "isakmp: parent_sa ikev2_init[I]"
        );
        assert_eq!(
            line(&header(2, 36, 0x20, 5, 1), 28),
            "isakmp: child_sa  child_sa[R]"
        );
    }

    #[test]
    fn ikev1() {
        assert_eq!(line(&header(1, 2, 0, 0, 0), 28), "isakmp: phase 1 I ident");
        assert_eq!(
            line(&header(1, 16, 0, 7, 1), 28),
            "isakmp: phase 2/others ? #16"
        );
        assert_eq!(
            line(&header(1, 32, 1, 7, 0), 28),
            "isakmp: phase 2/others I oakley-quick[E]"
        );
        assert_eq!(line(&header(3, 2, 0, 0, 0), 28), "isakmp:");
        assert_eq!(line(&[0; 27], 28), " [|isakmp]");
    }

    #[test]
    fn ikev1_sides_come_from_the_exchanges_first_message() {
        let mut m = CaptureMemory::default();
        let mut first = header(1, 2, 0, 0, 0);
        first[..8].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]);
        let mut reply = first.clone();
        reply[8] = 9;
        // Before the first message, a reply names no side.
        let mut other = reply.clone();
        other[0] = 0x77;
        assert_eq!(said(&other, 28, &FROM_B, &mut m), "isakmp: phase 1 ? ident");
        assert_eq!(said(&first, 28, &FROM_A, &mut m), "isakmp: phase 1 I ident");
        assert_eq!(said(&reply, 28, &FROM_B, &mut m), "isakmp: phase 1 R ident");
        assert_eq!(said(&reply, 28, &FROM_A, &mut m), "isakmp: phase 1 I ident");
        let elsewhere = Flow {
            addrs: Addrs::V4([10, 0, 0, 3], [10, 0, 0, 1]),
            ..FROM_B
        };
        assert_eq!(
            said(&reply, 28, &elsewhere, &mut m),
            "isakmp: phase 1 ? ident"
        );
        // The same exchange over IPv6 is another family: no side.
        let v6 = Flow {
            addrs: Addrs::V6([0; 16], [1; 16]),
            ..FROM_A
        };
        assert_eq!(said(&reply, 28, &v6, &mut m), "isakmp: phase 1 ? ident");
        // Twenty newer exchanges push the first one out.
        for n in 0..INITIATORS as u8 {
            let mut f = header(1, 2, 0, 0, 0);
            f[..8].copy_from_slice(&[0xa0, n, 0, 0, 0, 0, 0, 1]);
            said(&f, 28, &FROM_A, &mut m);
        }
        assert_eq!(said(&reply, 28, &FROM_B, &mut m), "isakmp: phase 1 ? ident");
    }

    #[test]
    fn nat_traversal() {
        assert_eq!(nat(&[0xff], 1), "isakmp-nat-keep-alive");
        let mut ike = vec![0u8; 4];
        ike.extend_from_slice(&header(1, 2, 0, 0, 0));
        assert_eq!(nat(&ike, 32), "NONESP-encap: isakmp: phase 1 I ident");
        let esp = [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 2, 9];
        assert_eq!(
            nat(&esp, 116),
            "UDP-encap: ESP(spi=0x12345678,seq=0x2), length 116"
        );
        assert_eq!(nat(&esp[..8], 116), "UDP-encap:  [|esp]");
        assert_eq!(nat(&esp[..3], 116), " [|isakmp_rfc3948]");
        assert_eq!(nat(&esp, 3), " [|isakmp_rfc3948]");
    }
}
