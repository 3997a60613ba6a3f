//! ATA over Ethernet (EtherType 0x88a2): tcpdump's default line,
//! `AoE length 46, Ver 1, Flags: [Response]`.

use super::text::TextOut;

const FLAGS: [(u16, &str); 4] = [
    (0x08, "Response"),
    (0x04, "Error"),
    (0x02, "MBZ-1"),
    (0x01, "MBZ-0"),
];

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("AoE length ");
    out.num(len);
    let Some(&first) = data.first().filter(|_| len > 0) else {
        out.s(" [|aoe]");
        return;
    };
    let version = first >> 4;
    out.s(", Ver ");
    out.num(version);
    if version != 1 {
        return;
    }
    out.s(", Flags: [");
    out.bit_names(u16::from(first), &FLAGS);
    out.s("]");
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
    fn versions_and_flags() {
        assert_eq!(text(&[0x10], 46), "AoE length 46, Ver 1, Flags: [none]");
        assert_eq!(
            text(&[0x1b], 18),
            "AoE length 18, Ver 1, Flags: [Response, MBZ-1, MBZ-0]"
        );
        assert_eq!(text(&[0x00], 18), "AoE length 18, Ver 0");
        assert_eq!(text(&[], 18), "AoE length 18 [|aoe]");
    }
}
