//! Cisco UniDirectional Link Detection (SNAP OUI Cisco, PID 0x0111): tcpdump's default
//! line, `UDLDv1, Code Probe message (1), Flags [RT, RSY] (0x03), length 60`.

use super::text::TextOut;

const HEADER_LEN: u32 = 4;

const FLAGS: [(u16, &str); 8] = [
    (0x01, "RT"),
    (0x02, "RSY"),
    (0x04, "MBZ-2"),
    (0x08, "MBZ-3"),
    (0x10, "MBZ-4"),
    (0x20, "MBZ-5"),
    (0x40, "MBZ-6"),
    (0x80, "MBZ-7"),
];

fn code(c: u8) -> &'static str {
    match c {
        1 => "Probe message",
        2 => "Echo message",
        3 => "Flush message",
        _ => "Reserved",
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < HEADER_LEN {
        out.s(" (invalid)");
    } else {
        let (Some(&first), Some(&flags)) = (data.first(), data.get(1)) else {
            out.s(" [|udld]");
            return;
        };
        out.s("UDLDv");
        out.num(first >> 5);
        out.s(", Code ");
        out.s(code(first & 0x1f));
        out.s(" (");
        out.hex(u64::from(first & 0x1f), 0);
        out.s("), Flags [");
        out.bit_names(u16::from(flags), &FLAGS);
        out.s("] (0x");
        out.hex(u64::from(flags), 2);
        out.s("), length ");
        out.num(len);
    }
    // tcpdump checks that the rest is captured, without printing it.
    if data.len() < len as usize {
        out.s(" [|udld]");
    }
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
            text(&[0x21, 0x03, 0, 0], 4),
            "UDLDv1, Code Probe message (1), Flags [RT, RSY] (0x03), length 4"
        );
        assert_eq!(
            text(&[0x3f, 0x80, 0, 0], 6),
            "UDLDv1, Code Reserved (1f), Flags [MBZ-7] (0x80), length 6 [|udld]"
        );
        assert_eq!(text(&[0x21], 6), " [|udld]");
        assert_eq!(text(&[0x21, 0, 0], 3), " (invalid)");
    }
}
