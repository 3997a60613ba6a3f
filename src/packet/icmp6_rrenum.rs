//! ICMPv6 Router Renumbering (type 138, RFC 2894): tcpdump's default text after
//! `router renumbering`, `, command, seq=0 match(add,fec0::/48) use(3ffe:501::/48/16)`.

use super::decode::be32;
use super::text::TextOut;

const COMMAND: u8 = 0;
/// The message header; a command's match part follows it, then its use parts.
const HEADER_LEN: usize = 16;
const MATCH_LEN: usize = 24;
const USE_LEN: usize = 32;

/// Appends the text for the captured ICMPv6 message `m`; `None` where the captured
/// bytes end before a field tcpdump reads.
pub fn print(out: &mut Vec<u8>, m: &[u8]) -> Option<()> {
    m.get(12..HEADER_LEN)?;
    let code = m[1];
    match code {
        COMMAND => out.s(", command"),
        1 => out.s(", result"),
        255 => out.s(", sequence number reset"),
        _ => {
            out.s(", code-#");
            out.num(code);
        }
    }
    out.s(", seq=");
    out.num(be32(m, 4)?);
    if code != COMMAND {
        return Some(());
    }
    let matching = m.get(HEADER_LEN..HEADER_LEN + MATCH_LEN)?;
    out.s(" match(");
    match matching[0] {
        1 => out.s("add"),
        2 => out.s("change"),
        3 => out.s("setglobal"),
        c => {
            out.s("#");
            out.num(c);
        }
    }
    out.s(",");
    prefix(out, &matching[8..24]);
    out.s("/");
    out.num(matching[3]);
    out.s(")");
    // The match part's length (in 8-byte units) counts it and its use parts.
    let units = i32::from(matching[1]) - 3;
    if units % 4 != 0 {
        return None;
    }
    for i in 0..(units / 4).max(0) as usize {
        let at = HEADER_LEN + MATCH_LEN + USE_LEN * i;
        let part = m.get(at..at + USE_LEN)?;
        out.s(" use(");
        let flags = part[12];
        if flags != 0 {
            if flags & 0x80 != 0 {
                out.s("V");
            }
            if flags & 0x40 != 0 {
                out.s("P");
            }
            out.s(",");
        }
        prefix(out, &part[16..32]);
        out.s("/");
        out.num(part[0]);
        out.s("/");
        out.num(part[1]);
        out.s(")");
    }
    Some(())
}

fn prefix(out: &mut Vec<u8>, bytes: &[u8]) {
    if let Ok(a) = <[u8; 16]>::try_from(bytes) {
        out.ipv6(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_with_a_use_part() {
        let mut m = vec![138, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&[1, 7, 0, 48, 0, 0, 0, 0, 0xfe, 0xc0]);
        m.extend_from_slice(&[0; 14]);
        m.extend_from_slice(&[48, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0]);
        m.extend_from_slice(&[0x3f, 0xfe, 5, 1]);
        m.extend_from_slice(&[0; 12]);
        let mut out = Vec::new();
        assert_eq!(print(&mut out, &m), Some(()));
        assert_eq!(
            String::from_utf8(out).unwrap(),
            ", command, seq=1 match(add,fec0::/48) use(V,3ffe:501::/48/16)"
        );
        let mut out = Vec::new();
        assert_eq!(print(&mut out, &m[..60]), None);
    }
}
