//! ES-IS (ISO 9542, NLPID 0x82): tcpdump's default line, the PDU type and length
//! (`ESH, length 65565`).

use super::osi::short_header;
use super::text::TextOut;

/// NLPID, length indicator, version, reserved, type, holding time, checksum.
const FIXED_LEN: usize = 9;
const VERSION: u8 = 1;

/// Appends the line for an ES-IS PDU of wire length `len` (from its NLPID); `None` when
/// the capture ends inside the header (the caller marks `[|esis]`).
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) -> Option<()> {
    if len <= 2 {
        out.s("no header at all!");
        return Some(());
    }
    let fixed = data.get(..FIXED_LEN)?;
    let li = fixed[1];
    if fixed[2] != VERSION {
        out.s(" version ");
        out.num(fixed[2]);
        out.s(" packet not supported");
    } else if u32::from(li) > len {
        out.s(" length indicator(");
        out.num(li);
        out.s(") > PDU size (");
        out.num(len);
        out.s(")!");
    } else if usize::from(li) < FIXED_LEN + 2 {
        short_header(out, data, li);
    } else {
        match fixed[4] & 0x1f {
            2 => out.s("ESH"),
            4 => out.s("ISH"),
            6 => out.s("redirect"),
            t => {
                out.s("unknown type (");
                out.num(t);
                out.s(")");
            }
        }
        out.s(", length ");
        out.num(len);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        super::super::osi::print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn types() {
        let d = [0x82, 0x22, 1, 0, 0x02, 0, 0, 0, 0];
        assert_eq!(text(&d, 65565), "OSI NLPID ES-IS (0x82): ESH, length 65565");
        let d = [0x82, 0x22, 1, 0, 0x26, 0, 0, 0, 0];
        assert_eq!(
            text(&d, 65565),
            "OSI NLPID ES-IS (0x82): redirect, length 65565"
        );
        let d = [0x82, 0x22, 1, 0, 0x00, 0, 0, 0, 0];
        assert_eq!(
            text(&d, 65565),
            "OSI NLPID ES-IS (0x82): unknown type (0), length 65565"
        );
    }

    #[test]
    fn bad_headers() {
        assert_eq!(
            text(&[0x82, 0x22], 2),
            "OSI NLPID ES-IS (0x82): no header at all!"
        );
        assert_eq!(
            text(&[0x82, 0x22, 1], 40),
            "OSI NLPID ES-IS (0x82):  [|esis]"
        );
        let d = [0x82, 10, 1, 0, 2, 0, 0, 0, 0];
        assert_eq!(
            text(&d, 40),
            "OSI NLPID ES-IS (0x82):  length indicator 10 < min PDU size:820A01000200000000"
        );
        let d = [0x82, 10, 2, 0, 2, 0, 0, 0, 0];
        assert_eq!(
            text(&d, 40),
            "OSI NLPID ES-IS (0x82):  version 2 packet not supported"
        );
    }
}
