//! AODV (UDP 654, RFC 3561, and the IPv6 draft): tcpdump's default lines,
//! ` aodv rrep 20 prefix 0 hops 1` then `\n\tdst 10.0.0.1 dseq 7 src 10.0.0.2 3000 ms`.

use super::text::TextOut;

const RREQ: u8 = 1;
const RREP: u8 = 2;
const RERR: u8 = 3;
const RREP_ACK: u8 = 4;
const DRAFT_RREQ: u8 = 16;
const DRAFT_RREP: u8 = 17;
const DRAFT_RERR: u8 = 18;
const DRAFT_RREP_ACK: u8 = 19;
const EXT_HELLO: u8 = 1;
const CUT: &str = " [|aodv]";

/// Where a message's fields sit: RFC 3561 puts each sequence number after its address,
/// the IPv6 draft puts the numbers first.
#[derive(Clone, Copy)]
struct Layout {
    addr: usize,
    draft: bool,
}

impl Layout {
    /// A request's offsets of (destination, its sequence, originator, its sequence).
    fn request_fields(self) -> [usize; 4] {
        let a = self.addr;
        if self.draft {
            [16, 8, 16 + a, 12]
        } else {
            [8, 8 + a, 12 + a, 12 + 2 * a]
        }
    }

    /// Size of a request or reply: 4 bytes of type and flags, an optional 4-byte ID,
    /// two addresses and two numbers.
    fn size(self, with_id: bool) -> usize {
        4 + usize::from(with_id) * 4 + 2 * self.addr + 8
    }
}

/// Appends the line for a message over IPv4.
pub fn print_v4(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print(out, data, len, 4);
}

/// Appends the line for a message over IPv6.
pub fn print_v6(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print(out, data, len, 16);
}

fn print(out: &mut Vec<u8>, data: &[u8], len: u32, addr: usize) {
    let Some(&kind) = data.first() else {
        out.s(CUT);
        return;
    };
    out.s(" aodv");
    let rfc = Layout { addr, draft: false };
    let draft = Layout {
        addr: 16,
        draft: true,
    };
    match kind {
        RREQ => request(out, data, len, rfc),
        RREP => reply(out, data, len, rfc),
        RERR => error(out, data, len, addr),
        DRAFT_RREQ => request(out, data, len, draft),
        DRAFT_RREP => reply(out, data, len, draft),
        DRAFT_RERR => error(out, data, len, 16),
        RREP_ACK | DRAFT_RREP_ACK => {
            out.s(" rrep-ack ");
            out.num(len);
        }
        _ => {
            out.s(" type ");
            out.num(kind);
            out.s(" ");
            out.num(len);
        }
    }
}

fn be32(data: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}

fn address(out: &mut Vec<u8>, a: &[u8]) {
    match a.len() {
        4 => out.ipv4([a[0], a[1], a[2], a[3]]),
        _ => {
            let mut v6 = [0; 16];
            v6.copy_from_slice(&a[..16]);
            out.ipv6(v6);
        }
    }
}

/// The message's fixed part when captured and within `len`.
fn whole(data: &[u8], len: u32, size: usize) -> Option<&[u8]> {
    data.get(..size).filter(|_| len as usize >= size)
}

fn request(out: &mut Vec<u8>, data: &[u8], len: u32, layout: Layout) {
    let size = layout.size(true);
    let Some(m) = whole(data, len, size) else {
        out.s(CUT);
        return;
    };
    out.s(" rreq ");
    out.num(len);
    out.s(" ");
    // tcpdump tests the flags in the type byte, not the flags byte.
    for (bit, mark) in [(0x80, "[J]"), (0x40, "[R]"), (0x20, "[G]"), (0x10, "[D]")] {
        if m[0] & bit != 0 {
            out.s(mark);
        }
    }
    out.s(if m[0] & 0x08 != 0 { "[U] " } else { " " });
    out.s("hops ");
    out.num(m[3]);
    out.s(" id 0x");
    out.hex(u64::from(be32(m, 4)), 8);
    let [da, ds, oa, os] = layout.request_fields();
    out.s("\n\tdst ");
    address(out, &m[da..da + layout.addr]);
    out.s(" seq ");
    out.num(be32(m, ds));
    out.s(" src ");
    address(out, &m[oa..oa + layout.addr]);
    out.s(" seq ");
    out.num(be32(m, os));
    extension(out, &data[size..], len as usize - size);
}

fn reply(out: &mut Vec<u8>, data: &[u8], len: u32, layout: Layout) {
    let size = layout.size(false);
    let Some(m) = whole(data, len, size) else {
        out.s(CUT);
        return;
    };
    out.s(" rrep ");
    out.num(len);
    out.s(" ");
    // As for requests, the flags tested are the type byte's.
    if m[0] & 0x80 != 0 {
        out.s("[R]");
    }
    out.s(if m[0] & 0x40 != 0 { "[A] " } else { " " });
    out.s("prefix ");
    out.num(m[2] & 0x1f);
    out.s(" hops ");
    out.num(m[3]);
    // A reply has one sequence number (the draft puts it before the addresses).
    let a = layout.addr;
    let (da, ds, oa) = if layout.draft {
        (8, 4, 8 + a)
    } else {
        (4, 4 + a, 8 + a)
    };
    out.s("\n\tdst ");
    address(out, &m[da..da + layout.addr]);
    out.s(" dseq ");
    out.num(be32(m, ds));
    out.s(" src ");
    address(out, &m[oa..oa + layout.addr]);
    out.s(" ");
    out.num(be32(m, size - 4));
    out.s(" ms");
    extension(out, &data[size..], len as usize - size);
}

fn error(out: &mut Vec<u8>, data: &[u8], len: u32, addr: usize) {
    let Some(m) = whole(data, len, 4) else {
        out.s(CUT);
        return;
    };
    out.s(" rerr ");
    if m[1] & 0x80 != 0 {
        out.s("[D]");
    }
    out.s(" [items ");
    out.num(m[3]);
    out.s("] [");
    out.num(len);
    out.s("]:");
    let entry = addr + 4;
    for i in 0..usize::from(m[3]) {
        let at = 4 + i * entry;
        let Some(e) = whole(data, len, at + entry).map(|d| &d[at..]) else {
            out.s(CUT);
            return;
        };
        out.s(" {");
        address(out, &e[..addr]);
        out.s("}(");
        out.num(be32(e, addr));
        out.s(")");
    }
}

/// The extension after a request or reply, when at least its 2-byte header fits in the
/// `left` bytes of the datagram.
fn extension(out: &mut Vec<u8>, data: &[u8], left: usize) {
    if left < 2 {
        return;
    }
    let Some(&[kind, ext_len]) = data.get(..2) else {
        out.s(CUT);
        return;
    };
    if kind != EXT_HELLO {
        out.s("\n\text ");
        out.num(kind);
        out.s(" ");
        out.num(ext_len);
        return;
    }
    let Some(hello) = data.get(..6).filter(|_| left >= 6) else {
        out.s(CUT);
        return;
    };
    if ext_len < 4 {
        out.s("\n\text HELLO - bad length ");
        out.num(ext_len);
        return;
    }
    out.s("\n\text HELLO ");
    out.num(be32(hello, 2));
    out.s(" ms");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::printed;

    #[test]
    fn requests_and_replies() {
        let mut rreq = vec![RREQ, 0, 0, 2, 0, 0, 0, 9, 10, 0, 0, 1, 0, 0, 0, 5];
        rreq.extend_from_slice(&[10, 0, 0, 2, 0, 0, 0, 6]);
        assert_eq!(
            printed(print_v4, &rreq, 24),
            " aodv rreq 24  hops 2 id 0x00000009\n\tdst 10.0.0.1 seq 5 src 10.0.0.2 seq 6"
        );
        let mut rrep = vec![RREP, 0, 0x24, 11, 10, 0, 0, 1, 0, 0, 0, 5];
        rrep.extend_from_slice(&[10, 0, 0, 2, 0, 0, 0x0b, 0xb8]);
        rrep.extend_from_slice(&[EXT_HELLO, 4, 0, 0, 3, 0xe8]);
        assert_eq!(
            printed(print_v4, &rrep, 26),
            " aodv rrep 26  prefix 4 hops 11\n\tdst 10.0.0.1 dseq 5 src 10.0.0.2 3000 ms\n\text HELLO 1000 ms"
        );
        assert_eq!(
            printed(print_v4, &rrep[..22], 26),
            " aodv rrep 26  prefix 4 hops 11\n\tdst 10.0.0.1 dseq 5 src 10.0.0.2 3000 ms [|aodv]"
        );
        rrep[20] = 0;
        assert!(printed(print_v4, &rrep, 22).ends_with("3000 ms\n\text 0 4"));
        assert_eq!(printed(print_v4, &rrep[..19], 26), " aodv [|aodv]");
    }

    #[test]
    fn draft_ipv6_reply() {
        let mut rrep = vec![DRAFT_RREP, 0, 0x40, 1, 0, 0, 0, 5];
        rrep.extend_from_slice(&[0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        rrep.extend_from_slice(&[0; 16]);
        rrep.extend_from_slice(&[0, 0, 0, 9]);
        assert_eq!(
            printed(print_v4, &rrep, 44),
            " aodv rrep 44  prefix 0 hops 1\n\tdst 2001:db8::1 dseq 5 src :: 9 ms"
        );
    }

    #[test]
    fn errors_and_others() {
        let rerr = [RERR, 0x80, 0, 1, 10, 0, 0, 1, 0, 0, 0, 7];
        assert_eq!(
            printed(print_v4, &rerr, 12),
            " aodv rerr [D] [items 1] [12]: {10.0.0.1}(7)"
        );
        assert_eq!(
            printed(print_v4, &rerr[..8], 12),
            " aodv rerr [D] [items 1] [12]: [|aodv]"
        );
        assert_eq!(
            printed(print_v6, &rerr, 12),
            " aodv rerr [D] [items 1] [12]: [|aodv]"
        );
        assert_eq!(printed(print_v4, &[RREP_ACK, 0], 2), " aodv rrep-ack 2");
        assert_eq!(printed(print_v4, &[99], 1), " aodv type 99 1");
        assert_eq!(printed(print_v4, &[], 1), " [|aodv]");
    }
}
