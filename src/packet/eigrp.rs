//! EIGRP (IP protocol 88, RFC 7868): tcpdump's default line, `EIGRP Hello, length: 40`.

use super::text::TextOut;

const VERSION: u8 = 2;
/// The common header tcpdump wants captured before it prints anything.
const HEADER_LEN: usize = 20;

fn opcode(op: u8) -> Option<&'static str> {
    Some(match op {
        1 => "Update",
        3 => "Query",
        4 => "Reply",
        5 => "Hello",
        6 => "IPX SAP",
        7 => "Probe",
        _ => return None,
    })
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let (Some(&version), Some(&op), Some(_)) =
        (data.first(), data.get(1), data.get(HEADER_LEN - 1))
    else {
        out.s(" [|eigrp]");
        return;
    };
    if version != VERSION {
        out.s("EIGRP version ");
        out.num(version);
        out.s(" packet not supported");
        return;
    }
    out.s("EIGRP ");
    out.name_or_unknown(opcode(op), op);
    out.s(", length: ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn opcodes_versions_and_cut_short() {
        let mut m = [0u8; 20];
        m[0] = 2;
        m[1] = 5;
        assert_eq!(text(&m, 40), "EIGRP Hello, length: 40");
        m[1] = 9;
        assert_eq!(text(&m, 40), "EIGRP unknown (9), length: 40");
        m[0] = 1;
        assert_eq!(text(&m, 40), "EIGRP version 1 packet not supported");
        assert_eq!(text(&m[..19], 40), " [|eigrp]");
    }
}
