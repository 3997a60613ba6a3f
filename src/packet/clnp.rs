//! CLNP (ISO 8473, NLPID 0x81): tcpdump's default line, `49.0001 > 49.0002, Echo
//! Request, length 60` (source and destination NSAPs, the PDU type).

use super::osi::{Shown, counted, nsap, short_header};
use super::text::TextOut;

/// NLPID, length indicator, version, lifetime, type, segment length, checksum.
const FIXED_LEN: usize = 9;
const VERSION: u8 = 1;

fn pdu_name(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Error Report",
        28 => "Data",
        29 => "MD",
        30 => "Echo Request",
        31 => "Echo Response",
        _ => return None,
    })
}

/// Appends the line for a CLNP PDU of wire length `len` (from its NLPID); `None` when
/// the capture ends inside the header (the caller marks `[|clnp]`).
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) -> Option<Shown> {
    let fixed = data.get(..FIXED_LEN)?;
    let li = fixed[1];
    if fixed[2] != VERSION {
        out.s("version ");
        out.num(fixed[2]);
        out.s(" packet not supported");
        return Some(Shown::Refused);
    }
    if u32::from(li) > len {
        out.s(" length indicator(");
        out.num(li);
        out.s(") > PDU size (");
        out.num(len);
        out.s(")!");
        return Some(Shown::Refused);
    }
    if usize::from(li) < FIXED_LEN {
        short_header(out, data, li);
        return Some(Shown::Refused);
    }
    let pdu_type = fixed[4] & 0x1f;
    // The addresses must fit the length indicator before the capture is asked for them.
    let mut left = usize::from(li) - FIXED_LEN;
    let Some((destination, at)) = address(data, FIXED_LEN, &mut left) else {
        return short_addresses(out);
    };
    let destination = destination?;
    let Some((source, _)) = address(data, at, &mut left) else {
        return short_addresses(out);
    };
    let source = source?;
    nsap(out, source);
    out.s(" > ");
    nsap(out, destination);
    out.s(", ");
    out.name_or_unknown(pdu_name(pdu_type), pdu_type);
    out.s(", length ");
    out.num(len);
    Some(Shown::Whole)
}

/// The length-prefixed address at `at` within the `left` bytes the length indicator
/// still covers: `None` when it does not fit them, `Some((None, _))` when the capture
/// ends inside it.
fn address<'a>(data: &'a [u8], at: usize, left: &mut usize) -> Option<(Option<&'a [u8]>, usize)> {
    *left = left.checked_sub(1)?;
    let Some(&n) = data.get(at) else {
        return Some((None, at));
    };
    *left = left.checked_sub(usize::from(n))?;
    Some(match counted(data, at) {
        Some((field, next)) => (Some(field), next),
        None => (None, at),
    })
}

fn short_addresses(out: &mut Vec<u8>) -> Option<Shown> {
    out.s("li < size of fixed part of CLNP header and addresses");
    Some(Shown::Refused)
}

#[cfg(test)]
mod tests {
    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        super::super::osi::print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn addresses_and_type() {
        let d = [
            0x81, 15, 1, 0x30, 0x1e, 0, 0, 0, 0, 2, 0xe8, 0x30, 1, 0x00, 0xaa,
        ];
        assert_eq!(
            text(&d, 262129),
            "OSI NLPID CLNP (0x81): 00 > e8.30, Echo Request, length 262129"
        );
        let mut t = d;
        t[4] = 0x07;
        assert!(text(&t, 20).contains(", unknown (7), length 20"));
    }

    #[test]
    fn bad_headers() {
        assert_eq!(
            text(&[0x81, 9, 1, 0, 0], 20),
            "OSI NLPID CLNP (0x81):  [|clnp]"
        );
        let d = [0x81, 5, 1, 0, 0x1c, 0, 0, 0, 0];
        assert_eq!(
            text(&d, 9),
            "OSI NLPID CLNP (0x81):  length indicator 5 < min PDU size:810501001C00000000\
             \n\t0x0000:  8105 0100 1c00 0000 00"
        );
        let d = [0x81, 12, 1, 0, 0x1c, 0, 0, 0, 0, 4, 1, 2, 3, 4];
        assert!(text(&d, 14).starts_with(
            "OSI NLPID CLNP (0x81): li < size of fixed part of CLNP header and addresses\n"
        ));
        assert!(
            text(&d, 10)
                .starts_with("OSI NLPID CLNP (0x81):  length indicator(12) > PDU size (10)!\n")
        );
    }
}
