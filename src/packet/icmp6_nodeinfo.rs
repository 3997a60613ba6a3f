//! ICMPv6 Node Information (types 139, 140, RFC 4620): tcpdump's default text after
//! `who-are-you request` / `who-are-you reply`, e.g.
//! ` node information query (node addresses [A], subject=2001:db8::1)`.

use super::decode::{be16, be32};
use super::text::TextOut;

const QUERY: u8 = 139;
/// Header with query type, flags and nonce.
const HEADER_LEN: usize = 16;
/// KAME's who-are-you request: the ICMPv6 header and 4 more bytes.
const WHO_ARE_YOU_LEN: usize = 12;

const QTYPE_NOOP: u16 = 0;
const QTYPE_SUPPORTED: u16 = 1;
const QTYPE_NAME: u16 = 2;
const QTYPE_ADDRESSES: u16 = 3;

/// Node address flags, in tcpdump's order.
const ADDRESS_FLAGS: [(u16, &str); 7] = [
    (0x40, "a"),
    (0x20, "G"),
    (0x10, "S"),
    (0x08, "L"),
    (0x04, "C"),
    (0x02, "A"),
    (0x01, "T"),
];

/// Appends the text for the captured message `m` (from the ICMPv6 type) of wire length
/// `length`; ` [|icmp6]` where tcpdump finds it cut short.
pub fn print(out: &mut Vec<u8>, m: &[u8], length: u32) {
    let done = if m.first() == Some(&QUERY) {
        query(out, m)
    } else {
        reply(out, m, length)
    };
    if done.is_none() {
        out.s(" [|icmp6]");
    }
}

/// ` [GSLCA]`-style flags when any is set; a query cannot carry the truncation flag.
fn address_flags(out: &mut Vec<u8>, flags: u16, with_truncate: bool) {
    if flags == 0 {
        return;
    }
    out.s(" [");
    for (bit, name) in ADDRESS_FLAGS {
        if flags & bit != 0 && (with_truncate || bit != 0x01) {
            out.s(name);
        }
    }
    out.s("]");
}

fn query(out: &mut Vec<u8>, m: &[u8]) -> Option<()> {
    if m.len() == WHO_ARE_YOU_LEN {
        // tcpdump names KAME's form after the type's own name (so it reads twice).
        out.s(" who-are-you request");
        return Some(());
    }
    out.s(" node information query");
    m.get(..HEADER_LEN)?;
    let (qtype, flags) = (be16(m, 4)?, be16(m, 6)?);
    out.s(" (");
    match qtype {
        QTYPE_NOOP => out.s("noop"),
        QTYPE_SUPPORTED => {
            out.s("supported qtypes");
            if flags != 0 {
                out.s(if flags & 1 != 0 { " [C]" } else { " []" });
            }
        }
        QTYPE_NAME => out.s("DNS name"),
        QTYPE_ADDRESSES => {
            out.s("node addresses");
            address_flags(out, flags, false);
        }
        _ => out.s("unknown"),
    }
    if qtype == QTYPE_NOOP || qtype == QTYPE_SUPPORTED {
        out.s(")");
        return Some(());
    }
    if m.len() == HEADER_LEN {
        out.s(", 03 draft)");
        return Some(());
    }
    let subject = &m[HEADER_LEN..];
    match m[1] {
        0 => {
            if let Ok(a) = <[u8; 16]>::try_from(subject) {
                out.s(", subject=");
                out.ipv6(a);
            }
        }
        1 => {
            out.s(", subject=DNS name");
            // The draft's Pascal string; RFC 4620's DNS-encoded names are not read.
            if usize::from(subject[0]) == subject.len() - 1 {
                out.s(", \"");
                super::text::printn(out, &subject[1..]);
                out.s("\"");
            }
        }
        2 => {
            if let Ok(a) = <[u8; 4]>::try_from(subject) {
                out.s(", subject=");
                out.ipv4(a);
            }
        }
        _ => out.s(", unknown subject"),
    }
    out.s(")");
    Some(())
}

fn reply(out: &mut Vec<u8>, m: &[u8], length: u32) -> Option<()> {
    if length as usize > m.len() {
        return None;
    }
    m.get(..HEADER_LEN)?;
    out.s(" node information reply (");
    let (qtype, flags) = (be16(m, 4)?, be16(m, 6)?);
    let code = m[1];
    match code {
        0 => {}
        1 => out.s("refused"),
        2 => out.s("unknown"),
        _ => {}
    }
    if code != 0 {
        out.s(")");
        return Some(());
    }
    match qtype {
        QTYPE_NOOP => out.s("noop"),
        QTYPE_SUPPORTED => {
            out.s("supported qtypes");
            if flags != 0 {
                out.s(if flags & 1 != 0 { " [C]" } else { " []" });
            }
        }
        QTYPE_NAME => out.s("DNS name"),
        QTYPE_ADDRESSES => {
            out.s("node addresses");
            // Each address follows its 4-byte TTL.
            for entry in m[HEADER_LEN..].chunks_exact(20) {
                let ttl = be32(entry, 0)?;
                let addr: [u8; 16] = entry[4..20].try_into().ok()?;
                out.s(" ");
                out.ipv6(addr);
                out.s("(");
                out.num(ttl);
                out.s(")");
            }
            address_flags(out, flags, true);
        }
        _ => out.s("unknown"),
    }
    out.s(")");
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8], length: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, m, length);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn queries_and_replies() {
        let mut q = vec![
            139, 2, 0, 0, 0, 3, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8, 192, 0, 2, 1,
        ];
        assert_eq!(
            text(&q, 20),
            " node information query (node addresses [A], subject=192.0.2.1)"
        );
        assert_eq!(text(&q[..12], 12), " who-are-you request");
        assert_eq!(text(&q[..15], 20), " node information query [|icmp6]");
        q[0] = 140;
        q[1] = 0;
        q[7] = 0x03;
        let mut r = q[..16].to_vec();
        r.extend_from_slice(&[0, 0, 0, 5]);
        r.extend_from_slice(&[0; 15]);
        r.push(1);
        assert_eq!(
            text(&r, 36),
            " node information reply (node addresses ::1(5) [AT])"
        );
        assert_eq!(text(&r[..4], 8), " [|icmp6]");
        r[1] = 1;
        assert_eq!(text(&r, 36), " node information reply (refused)");
    }
}
