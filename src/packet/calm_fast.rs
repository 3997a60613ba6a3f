//! ISO CALM FAST (EtherType 0x1111): tcpdump's default line,
//! `CALM FAST src:..; SrcNwref:1; DstNwref:2; `.

use super::text::TextOut;

/// Appends the line for a packet of wire length `len` whose captured bytes are `data`,
/// sent from `source`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, source: Option<&[u8; 6]>) {
    out.s("CALM FAST");
    if let Some(mac) = source {
        out.s(" src:");
        out.mac(mac);
    }
    out.s("; ");
    if len < 2 {
        out.s(" (length ");
        out.num(len);
        out.s(" < 2) (invalid)");
        if data.len() < len as usize {
            out.s(" [|calm_fast]");
        }
        return;
    }
    for (i, name) in ["SrcNwref:", "DstNwref:"].into_iter().enumerate() {
        let Some(&nwref) = data.get(i) else {
            out.s(" [|calm_fast]");
            return;
        };
        out.s(name);
        out.num(nwref);
        out.s("; ");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len, Some(&[0, 0x0c, 0x42, 0x6d, 0x54, 0xdb]));
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lines() {
        assert_eq!(
            text(&[1, 2, 3], 3),
            "CALM FAST src:00-0C-42-6D-54-DB; SrcNwref:1; DstNwref:2; "
        );
        assert_eq!(
            text(&[1], 3),
            "CALM FAST src:00-0C-42-6D-54-DB; SrcNwref:1;  [|calm_fast]"
        );
        assert_eq!(
            text(&[1], 1),
            "CALM FAST src:00-0C-42-6D-54-DB;  (length 1 < 2) (invalid)"
        );
    }
}
