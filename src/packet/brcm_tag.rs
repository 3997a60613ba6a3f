//! Broadcom switch tags (LINKTYPE_DSA_TAG_BRCM 281, after the MAC addresses;
//! LINKTYPE_DSA_TAG_BRCM_PREPEND 282, before the frame): 4 bytes printed as
//! `BRCM tag OP: IG, TC: 0, TE: None, TS: 0, DST map: 0x0080, `.

use super::text::TextOut;

pub const TAG_LEN: usize = 4;

const TE_NAMES: [&str; 4] = ["None", "Untag", "Header", "Reserved"];

fn reason_name(rc: u8) -> &'static str {
    match rc {
        1 => "mirror",
        2 => "MAC learning",
        4 => "switching",
        8 => "prot term",
        16 => "prot snoop",
        32 => "exception",
        _ => "reserved",
    }
}

/// The tag's text (tcpdump prints it with and without `-e`), ending with `, `.
pub fn print(out: &mut Vec<u8>, tag: &[u8; TAG_LEN]) {
    out.s("BRCM tag OP: ");
    out.s(if tag[0] != 0 { "IG" } else { "EG" });
    if tag[0] & 0x20 != 0 {
        // Ingress (towards the switch).
        out.s(", TC: ");
        out.num((tag[1] >> 2) & 0x7);
        out.s(", TE: ");
        out.s(TE_NAMES[usize::from(tag[1] & 0x3)]);
        out.s(", TS: ");
        out.num(tag[1] >> 7);
        out.s(", DST map: 0x");
        out.hex(u64::from(u16::from_be_bytes([tag[2], tag[3]]) & 0x1ff), 4);
    } else {
        out.s(", CID: ");
        out.num(tag[1]);
        out.s(", RC: ");
        out.s(reason_name(tag[2]));
        out.s(", TC: ");
        out.num((tag[3] >> 5) & 0x7);
        out.s(", port: ");
        out.num(tag[3] & 0x1f);
    }
    out.s(", ");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(tag: [u8; 4]) -> String {
        let mut out = Vec::new();
        print(&mut out, &tag);
        String::from_utf8(out).unwrap()
    }

    fn frame(link: u16, f: &[u8], opts: &crate::packet::PrintOptions) -> String {
        let link = crate::record::LinkType(link);
        let d = crate::packet::decode(link, f, f.len() as u32, &Default::default());
        let mut out = Vec::new();
        crate::packet::print_lines(&mut out, &d, opts, b"", &mut Default::default());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn in_and_before_frames() {
        let macs = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
        let tag = [0x00, 0x00, 0x20, 0x05];
        // An unknown type after the tag: its bytes in hex.
        let mut inner = macs.to_vec();
        inner.extend_from_slice(&tag);
        inner.extend_from_slice(&[0x88, 0xb5, 0x41]);
        let e = Default::default();
        assert_eq!(
            frame(281, &inner, &e),
            "02-00-00-00-00-02 > 02-00-00-00-00-01, BRCM tag OP: EG, CID: 0, RC: exception, TC: 0, port: 5, ethertype Unknown (0x88b5), length 19: \n0x0000:  41                                       A\n"
        );
        // Without -e the tag inside the frame is still printed.
        let no_e = crate::packet::PrintOptions {
            no_link_header: true,
            ..Default::default()
        };
        assert!(frame(281, &inner, &no_e).starts_with("BRCM tag OP: EG, CID: 0, "));
        let mut before = tag.to_vec();
        before.extend_from_slice(&macs);
        before.extend_from_slice(&[0x88, 0xb5, 0x41]);
        assert!(frame(282, &before, &e).starts_with(
            "BRCM tag OP: EG, CID: 0, RC: exception, TC: 0, port: 5, 02-00-00-00-00-02 > 02-00-00-00-00-01, ethertype Unknown (0x88b5), length 15: "
        ));
        assert_eq!(frame(281, &inner[..17], &e), " [|brcm-tag]\n");
        assert_eq!(frame(282, &before[..3], &e), " [|brcm-tag-prepend]\n");
    }

    #[test]
    fn ingress_and_egress() {
        assert_eq!(
            text([0x20, 0x00, 0x00, 0x80]),
            "BRCM tag OP: IG, TC: 0, TE: None, TS: 0, DST map: 0x0080, "
        );
        assert_eq!(
            text([0x00, 0x00, 0x20, 0x05]),
            "BRCM tag OP: EG, CID: 0, RC: exception, TC: 0, port: 5, "
        );
        // An opcode other than 0 and 1: "IG" with the egress fields.
        assert_eq!(
            text([0x40, 0x03, 0x07, 0xe1]),
            "BRCM tag OP: IG, CID: 3, RC: reserved, TC: 7, port: 1, "
        );
    }
}
