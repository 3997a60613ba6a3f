//! The IPv6 Routing header (next header 43, RFC 8200; type 4 is the Segment Routing
//! header of RFC 8754): tcpdump's `RT6 (len=2, type=0 [Deprecated], segleft=1,
//! [0]2001:db8::1) `.

use super::decode::{be16, be32};
use super::text::TextOut;

/// Offset of the addresses (types 0, 2) or segments (type 4).
const ADDRESSES_AT: usize = 8;

/// The header's length in bytes when tcpdump reads it whole and goes on to what follows
/// (a known type, an even length, every address captured); `None` when it stops there.
pub fn length(rt: &[u8]) -> Option<usize> {
    let (&units, &kind) = (rt.get(1)?, rt.get(2)?);
    if !matches!(kind, 0 | 2 | 4) || units % 2 == 1 {
        return None;
    }
    rt.get(..ADDRESSES_AT + 16 * usize::from(units / 2))?;
    Some((usize::from(units) + 1) * 8)
}

/// Appends the text for the captured bytes `rt` from the header's start.
pub fn print(out: &mut Vec<u8>, rt: &[u8]) {
    out.s("RT6");
    if fields(out, rt).is_none() {
        out.s(" [|rt6]");
    }
}

fn fields(out: &mut Vec<u8>, rt: &[u8]) -> Option<()> {
    let units = *rt.get(1)?;
    out.s(" (len=");
    out.num(units);
    let kind = *rt.get(2)?;
    out.s(", type=");
    out.num(kind);
    if kind == 0 {
        out.s(" [Deprecated]");
    }
    let segments_left = *rt.get(3)?;
    out.s(", segleft=");
    out.num(segments_left);
    match kind {
        0 | 2 => {
            let reserved = be32(rt, 4)?;
            if reserved != 0 {
                out.s(", rsv=0x");
                out.hex(u64::from(reserved), 0);
            }
        }
        4 => {
            let last = *rt.get(4)?;
            out.s(", last-entry=");
            out.num(last);
            let flags = *rt.get(5)?;
            if flags != 0 {
                out.s(", flags=0x");
                out.hex(u64::from(flags), 0);
            }
            let tag = be16(rt, 6)?;
            out.s(", tag=");
            out.hex(u64::from(tag), 0);
        }
        _ => {
            out.s(" (unknown type) (invalid)");
            return Some(());
        }
    }
    if units % 2 == 1 {
        out.s(" (invalid length ");
        out.num(units);
        out.s(") (invalid)");
        return Some(());
    }
    for i in 0..usize::from(units / 2) {
        let at = ADDRESSES_AT + 16 * i;
        let addr: [u8; 16] = rt.get(at..at + 16)?.try_into().ok()?;
        out.s(", [");
        out.num(i);
        out.s("]");
        out.ipv6(addr);
    }
    out.s(") ");
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rt: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, rt);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn types_and_cut_short() {
        let mut rt = vec![58, 2, 0, 1, 0, 0, 0, 0];
        let mut addr = [0u8; 16];
        addr[0] = 0x20;
        addr[1] = 0x01;
        addr[15] = 1;
        rt.extend_from_slice(&addr);
        assert_eq!(length(&rt), Some(24));
        assert_eq!(
            text(&rt),
            "RT6 (len=2, type=0 [Deprecated], segleft=1, [0]2001::1) "
        );
        assert_eq!(
            text(&rt[..20]),
            "RT6 (len=2, type=0 [Deprecated], segleft=1 [|rt6]"
        );
        assert_eq!(length(&rt[..20]), None);
        rt[2] = 4;
        rt[4] = 1;
        assert_eq!(
            text(&rt),
            "RT6 (len=2, type=4, segleft=1, last-entry=1, tag=0, [0]2001::1) "
        );
        rt[1] = 3;
        assert_eq!(
            text(&rt),
            "RT6 (len=3, type=4, segleft=1, last-entry=1, tag=0 (invalid length 3) (invalid)"
        );
        assert_eq!(length(&rt), None);
        rt[2] = 9;
        assert_eq!(
            text(&rt),
            "RT6 (len=3, type=9, segleft=1 (unknown type) (invalid)"
        );
        assert_eq!(text(&rt[..1]), "RT6 [|rt6]");
    }
}
