//! AppleTalk DDP (EtherType 0x809b, or SNAP): tcpdump's line, `1.2.253 > 1.255.2:
//! nbp-lkup 5: "=:LaserWriter@*"`, with NBP and ATP decoded and other DDP types named.

use super::decode::be16;
use super::text::{TextOut, printn};

/// Length, checksum, destination and source network, node and socket, type.
const DDP_LEN: usize = 13;
const ATP_LEN: usize = 8;
const NBP_HEADER_LEN: usize = 2;
/// Network, node, socket, enumerator; the names follow.
const NBP_TUPLE_LEN: usize = 5;
/// NBP names are at most this long (longer is an error).
const NBP_NAME_MAX: usize = 32;

const DDP_NBP: u8 = 2;
const DDP_ATP: u8 = 3;

/// A cut-short message, as tcpdump's AppleTalk printers mark it (and go on).
const TRUNCATED: &str = " [|atalk]";

/// Appends the line for a DDP datagram of wire length `len`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if (len as usize) < DDP_LEN {
        out.s(" [|ddp ");
        out.num(len);
        out.s("]");
        return;
    }
    let Some(h) = data.get(..DDP_LEN) else {
        out.s(" [|ddp]");
        return;
    };
    let source = Source {
        net: u16::from_be_bytes([h[6], h[7]]),
        node: h[9],
        socket: h[11],
    };
    address(out, source.net, source.node);
    out.s(".");
    out.num(source.socket);
    out.s(" > ");
    address(out, u16::from_be_bytes([h[4], h[5]]), h[8]);
    out.s(".");
    out.num(h[10]);
    out.s(": ");
    let body = &data[DDP_LEN..];
    let len = len - DDP_LEN as u32;
    match h[12] {
        DDP_NBP => nbp(out, body, len, source),
        DDP_ATP => atp(out, body, len),
        t => {
            out.s(" at-");
            match type_name(t) {
                Some(name) => out.s(name),
                None => {
                    out.s("#");
                    out.num(t);
                }
            }
            out.s(" ");
            out.num(len);
        }
    }
}

/// Where a datagram came from (NBP flags tuples naming another address).
#[derive(Clone, Copy)]
struct Source {
    net: u16,
    node: u8,
    socket: u8,
}

fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "rtmp",
        5 => "rtmpReq",
        4 => "echo",
        22 => "IP",
        23 => "ARP",
        0x4b => "KLAP",
        _ => return None,
    })
}

/// `net.node`, or `net` alone for node 255 (the network's broadcast).
fn address(out: &mut Vec<u8>, net: u16, node: u8) {
    out.num(net);
    if node != 255 {
        out.s(".");
        out.num(node);
    }
}

fn atp(out: &mut Vec<u8>, d: &[u8], len: u32) {
    let Some(h) = d.get(..ATP_LEN) else {
        out.s(TRUNCATED);
        return;
    };
    if (len as usize) < ATP_LEN {
        out.s(" [|atp ");
        out.num(len);
        out.s("]");
        return;
    }
    let len = len - ATP_LEN as u32;
    let (control, bitmap) = (h[0], h[1]);
    let transaction = u16::from_be_bytes([h[2], h[3]]);
    let (xo, eom, sts) = (
        control & 0x20 != 0,
        control & 0x10 != 0,
        control & 0x08 != 0,
    );
    match control & 0xc0 {
        0x40 => {
            out.s(" atp-req");
            out.s(if xo { "  " } else { "* " });
            out.num(transaction);
            bitmap_ranges(out, bitmap);
            extra_length(out, len);
            out.s(match (eom, sts) {
                (true, false) => " [EOM]",
                (false, true) => " [STS]",
                (true, true) => " [EOM,STS]",
                _ => "",
            });
        }
        0x80 => {
            out.s(" atp-resp");
            out.s(if eom { "*" } else { " " });
            out.num(transaction);
            out.s(":");
            out.num(bitmap);
            out.s(" (");
            out.num(len);
            out.s(")");
            out.s(match (xo, sts) {
                (true, false) => " [XO]",
                (false, true) => " [STS]",
                (true, true) => " [XO,STS]",
                _ => "",
            });
        }
        0xc0 => {
            out.s(" atp-rel  ");
            out.num(transaction);
            bitmap_ranges(out, bitmap);
            extra_length(out, len);
            // A release carries no flags; name any set.
            let mut open = "[";
            for (set, name) in [(xo, "XO"), (eom, "EOM"), (sts, "STS")] {
                if set {
                    out.s(open);
                    out.s(name);
                    open = ",";
                }
            }
            if open == "," {
                out.s("]");
            }
        }
        _ => {
            out.s(" atp-0x");
            out.hex(u64::from(control), 0);
            out.s("  ");
            out.num(transaction);
            out.s(" (");
            out.num(len);
            out.s(")");
        }
    }
    let user_data = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
    if user_data != 0 {
        out.s(" 0x");
        out.hex(u64::from(user_data), 0);
    }
}

fn extra_length(out: &mut Vec<u8>, len: u32) {
    if len != 0 {
        out.s(" [len=");
        out.num(len);
        out.s("]");
    }
}

/// The packets a bitmap asks for: `<0-3>` when they run from 0, else `<1,4>`.
fn bitmap_ranges(out: &mut Vec<u8>, bitmap: u8) {
    let bits = u16::from(bitmap);
    if (bits + 1) & bits != 0 {
        let mut open = "<";
        for i in 0..8 {
            if bits & (1 << i) != 0 {
                out.s(open);
                out.num(i);
                open = ",";
            }
        }
        out.s(">");
    } else {
        let count = 8 - bitmap.leading_zeros();
        if count > 1 {
            out.s("<0-");
            out.num(count - 1);
            out.s(">");
        } else {
            out.s("<0>");
        }
    }
}

fn nbp(out: &mut Vec<u8>, d: &[u8], len: u32, source: Source) {
    if (len as usize) < NBP_HEADER_LEN {
        out.s(" truncated-nbp ");
        out.num(len);
        return;
    }
    if len as usize - NBP_HEADER_LEN < 8 {
        // Room for one tuple at least.
        out.s(" truncated-nbp ");
        out.num(len);
        return;
    }
    let (Some(&control), Some(&id)) = (d.first(), d.get(1)) else {
        out.s(TRUNCATED);
        return;
    };
    let kind = control & 0xf0;
    match kind {
        0x10 | 0x20 => {
            out.s(if kind == 0x20 {
                " nbp-lkup "
            } else {
                " nbp-brRq "
            });
            out.num(id);
            out.s(":");
            let Some(t) = d.get(NBP_HEADER_LEN..NBP_HEADER_LEN + NBP_TUPLE_LEN) else {
                out.s(TRUNCATED);
                return;
            };
            name(out, d, NBP_HEADER_LEN + NBP_TUPLE_LEN);
            // The spec allows one tuple, the source's address, enumerator zero.
            if control & 0x0f != 1 {
                out.s(" [ntup=");
                out.num(control & 0x0f);
                out.s("]");
            }
            if t[4] != 0 {
                out.s(" [enum=");
                out.num(t[4]);
                out.s("]");
            }
            let net = be16(t, 0).unwrap_or(0);
            if net != source.net || t[2] != source.node || t[3] != source.socket {
                out.s(" [addr=");
                address(out, net, t[2]);
                out.s(".");
                out.num(t[3]);
                out.s("]");
            }
        }
        0x30 => {
            out.s(" nbp-reply ");
            out.num(id);
            out.s(":");
            let mut at = Some(NBP_HEADER_LEN);
            for _ in 0..control & 0x0f {
                let Some(tuple) = at else { break };
                at = reply_tuple(out, d, tuple, source);
            }
        }
        _ => {
            out.s(" nbp-0x");
            out.hex(u64::from(control), 0);
            out.s("  ");
            out.num(id);
            out.s(" (");
            out.num(len - NBP_HEADER_LEN as u32);
            out.s(")");
        }
    }
}

/// One tuple of a lookup reply; where the next starts, `None` when this one's names
/// could not be read.
fn reply_tuple(out: &mut Vec<u8>, d: &[u8], at: usize, source: Source) -> Option<usize> {
    let Some(t) = d.get(at..at + NBP_TUPLE_LEN) else {
        out.s(TRUNCATED);
        return None;
    };
    let next = name(out, d, at + NBP_TUPLE_LEN);
    if t[4] != 1 {
        out.s("(");
        out.num(t[4]);
        out.s(")");
    }
    if t[3] != source.socket {
        out.s(" ");
        out.num(t[3]);
    }
    let net = be16(t, 0).unwrap_or(0);
    if net != source.net || t[2] != source.node {
        out.s(" [addr=");
        address(out, net, t[2]);
        out.s("]");
    }
    next
}

/// ` "object:type@zone"`: three counted strings; where they end, `None` when one is
/// cut short or too long (the quote then stays open, as tcpdump leaves it).
fn name(out: &mut Vec<u8>, d: &[u8], at: usize) -> Option<usize> {
    out.s(" \"");
    let at = counted_string(out, d, at)?;
    out.s(":");
    let at = counted_string(out, d, at)?;
    out.s("@");
    let at = counted_string(out, d, at)?;
    out.s("\"");
    Some(at)
}

fn counted_string(out: &mut Vec<u8>, d: &[u8], at: usize) -> Option<usize> {
    let Some(&n) = d.get(at) else {
        out.s(TRUNCATED);
        return None;
    };
    let n = usize::from(n);
    if n > NBP_NAME_MAX {
        out.s("[len=");
        out.num(n);
        out.s("]");
        return None;
    }
    let available = d.get(at + 1..).unwrap_or(&[]);
    printn(out, &available[..n.min(available.len())]);
    if available.len() < n {
        out.s(TRUNCATED);
        return None;
    }
    Some(at + 1 + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    /// A DDP header from 1.2 socket 253 to `to` (net 1) socket 2, of `ddp_type`.
    fn ddp(to: u8, ddp_type: u8, body: &[u8]) -> Vec<u8> {
        let mut d = vec![0, 0, 0, 0, 0, 1, 0, 1, to, 2, 2, 253, ddp_type];
        d.extend(body);
        d
    }

    #[test]
    fn nbp_lookup_and_reply() {
        let mut body = vec![0x21, 5, 0, 1, 2, 253, 0];
        for s in [&b"="[..], b"LaserWriter", b"*"] {
            body.push(s.len() as u8);
            body.extend(s);
        }
        let d = ddp(255, DDP_NBP, &body);
        assert_eq!(
            text(&d, d.len() as u32),
            "1.2.253 > 1.2:  nbp-lkup 5: \"=:LaserWriter@*\""
        );
        assert_eq!(
            text(&d[..25], d.len() as u32),
            "1.2.253 > 1.2:  nbp-lkup 5: \"=:La [|atalk]"
        );
        let mut body = vec![0x31, 6, 0, 1, 9, 4, 1];
        for s in [&b"printer"[..], b"LaserWriter", b"*"] {
            body.push(s.len() as u8);
            body.extend(s);
        }
        let d = ddp(3, DDP_NBP, &body);
        assert_eq!(
            text(&d, d.len() as u32),
            "1.2.253 > 1.3.2:  nbp-reply 6: \"printer:LaserWriter@*\" 4 [addr=1.9]"
        );
        let d = ddp(3, DDP_NBP, &[0x31, 6, 0, 1]);
        assert_eq!(
            text(&d, d.len() as u32),
            "1.2.253 > 1.3.2:  truncated-nbp 4"
        );
    }

    #[test]
    fn atp_and_other_types() {
        let d = ddp(3, DDP_ATP, &[0x40, 0x0f, 0, 7, 0, 0, 0, 0]);
        assert_eq!(
            text(&d, d.len() as u32),
            "1.2.253 > 1.3.2:  atp-req* 7<0-3>"
        );
        let d = ddp(3, DDP_ATP, &[0x90, 0x01, 0, 7, 0, 0, 0, 9, 1, 2]);
        assert_eq!(
            text(&d, d.len() as u32),
            "1.2.253 > 1.3.2:  atp-resp*7:1 (2) 0x9"
        );
        let d = ddp(3, DDP_ATP, &[0xc0, 0x05, 0, 7, 0, 0, 0, 0]);
        assert_eq!(
            text(&d, d.len() as u32),
            "1.2.253 > 1.3.2:  atp-rel  7<0,2>"
        );
        let d = ddp(3, 4, &[1, 2, 3]);
        assert_eq!(text(&d, d.len() as u32), "1.2.253 > 1.3.2:  at-echo 3");
        let d = ddp(3, 6, &[]);
        assert_eq!(text(&d, d.len() as u32), "1.2.253 > 1.3.2:  at-#6 0");
        assert_eq!(text(&d[..5], 20), " [|ddp]");
        assert_eq!(text(&d, 12), " [|ddp 12]");
    }
}
