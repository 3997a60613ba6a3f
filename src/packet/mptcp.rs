//! Multipath TCP options (TCP option 30, RFC 8684): tcpdump's form of the data sequence
//! signal, `mptcp 20 dss ack 1 seq 2 subseq 3 len 4 csum 0x5`. Other subtypes still print
//! as the option's bytes in hex.

use super::text::TextOut;

const SUBTYPE_DSS: u8 = 2;
const FLAG_DATA_FIN: u8 = 0x10;
const FLAG_SEQ_8: u8 = 0x08;
const FLAG_SEQ: u8 = 0x04;
const FLAG_ACK_8: u8 = 0x02;
const FLAG_ACK: u8 = 0x01;

/// Appends ` <len> dss …` for an option of `len` bytes whose data (after kind and length)
/// is `d`; false, with nothing appended, when `d` is not a whole DSS option.
pub fn print_option(out: &mut Vec<u8>, len: usize, d: &[u8]) -> bool {
    let mut text = Vec::new();
    if dss(&mut text, len, d).is_none() {
        return false;
    }
    out.extend_from_slice(&text);
    true
}

fn dss(out: &mut Vec<u8>, len: usize, d: &[u8]) -> Option<()> {
    if d.first()? >> 4 != SUBTYPE_DSS {
        return None;
    }
    let flags = *d.get(1)?;
    let mut at = 2;
    let mut number = |out: &mut Vec<u8>, wide: bool| -> Option<()> {
        let n = if wide { 8 } else { 4 };
        let b = d.get(at..at + n)?;
        at += n;
        let v = b.iter().fold(0u64, |v, &x| (v << 8) | u64::from(x));
        out.num(v);
        Some(())
    };
    out.s(" ");
    out.num(len);
    out.s(" dss");
    if flags & FLAG_DATA_FIN != 0 {
        out.s(" fin");
    }
    if flags & FLAG_ACK != 0 {
        out.s(" ack ");
        number(out, flags & FLAG_ACK_8 != 0)?;
    }
    if flags & FLAG_SEQ != 0 {
        out.s(" seq ");
        number(out, flags & FLAG_SEQ_8 != 0)?;
        out.s(" subseq ");
        number(out, false)?;
        let l = d.get(at..at + 2)?;
        out.s(" len ");
        out.num(u16::from_be_bytes([l[0], l[1]]));
        at += 2;
        if let Some(c) = d.get(at..at + 2) {
            out.s(" csum 0x");
            out.hex(u64::from(u16::from_be_bytes([c[0], c[1]])), 0);
            at += 2;
        }
    }
    (at == d.len()).then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8]) -> Option<String> {
        let mut out = Vec::new();
        print_option(&mut out, d.len() + 2, d).then(|| String::from_utf8(out).unwrap())
    }

    #[test]
    fn dss_forms() {
        assert_eq!(text(&[0x20, 0x01, 0, 0, 1, 2]).unwrap(), " 8 dss ack 258");
        let full = [
            0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 1, 0, 1, 0x09, 0x1f,
        ];
        assert_eq!(
            text(&full).unwrap(),
            " 20 dss ack 9 seq 7 subseq 1 len 1 csum 0x91f"
        );
        let fin = [0x20, 0x14, 0, 0, 0, 7, 0, 0, 0, 0, 0, 1];
        assert_eq!(text(&fin).unwrap(), " 14 dss fin seq 7 subseq 0 len 1");
        // Not DSS, or cut short: the caller's hex form.
        assert_eq!(text(&[0x00, 0x01]), None);
        assert_eq!(text(&[0x20, 0x01, 0, 0]), None);
    }
}
