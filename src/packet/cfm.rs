//! IEEE 802.1ag Connectivity Fault Management (EtherType 0x8902, and 0xabcd before its
//! registration): tcpdump's default line,
//! `CFMv0 Continuity Check Message, MD Level 5, length 74`.

use super::text::TextOut;

const HEADER_LEN: u32 = 4;

fn opcode(op: u8) -> Option<&'static str> {
    Some(match op {
        1 => "Continuity Check Message",
        2 => "Loopback Reply",
        3 => "Loopback Message",
        4 => "Linktrace Reply",
        5 => "Linktrace Message",
        _ => return None,
    })
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < HEADER_LEN {
        out.s("\n\t\t packet is too short");
        return;
    }
    let Some(&[level_version, op, _, _]) = data.first_chunk::<4>() else {
        out.s(" [|cfm]");
        return;
    };
    let version = level_version & 0x1f;
    out.s("CFMv");
    out.num(version);
    if version != 0 {
        out.s(" not supported, length ");
        out.num(len);
        return;
    }
    out.s(" ");
    out.name_or_unknown(opcode(op), op);
    out.s(", MD Level ");
    out.num(level_version >> 5);
    out.s(", length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn header() {
        assert_eq!(
            text(&[0xa0, 1, 0, 70], 74),
            "CFMv0 Continuity Check Message, MD Level 5, length 74"
        );
        assert_eq!(
            text(&[0x00, 204, 0, 0], 168),
            "CFMv0 unknown (204), MD Level 0, length 168"
        );
        assert_eq!(text(&[0x01, 1, 0, 0], 8), "CFMv1 not supported, length 8");
        assert_eq!(text(&[0x00, 1, 0], 8), " [|cfm]");
        assert_eq!(text(&[0x00, 1, 0], 3), "\n\t\t packet is too short");
    }
}
