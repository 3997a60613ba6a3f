//! The IPv6 Mobility Header (next header 135, RFC 6275): tcpdump's default line,
//! `mobility: BU seq#=1000 A lifetime=14400`.

use super::decode::be16;
use super::text::TextOut;

/// Smallest header (Binding Refresh Request).
const MIN_LEN: u32 = 8;

/// Message types tcpdump knows, with the header length each needs at least.
fn message(t: u8) -> Option<(&'static str, u32)> {
    Some(match t {
        0 => ("BRR", MIN_LEN),
        1 => ("HoTI", MIN_LEN + 8),
        2 => ("CoTI", MIN_LEN + 8),
        3 => ("HoT", MIN_LEN + 16),
        4 => ("CoT", MIN_LEN + 16),
        5 => ("BU", MIN_LEN + 4),
        6 => ("BA", MIN_LEN + 4),
        7 => ("BE", MIN_LEN + 16),
        _ => return None,
    })
}

/// Binding Update flags, printed without separators.
const BINDING_UPDATE_FLAGS: [(u8, &str); 4] = [(0x8, "A"), (0x4, "H"), (0x2, "L"), (0x1, "K")];

/// The captured bytes end before a field tcpdump reads: ` [|mobility]`.
struct Cut;

/// Appends the text for the captured bytes `mh` from the header's start.
pub fn print(out: &mut Vec<u8>, mh: &[u8]) {
    if fields(out, mh).is_err() {
        out.s(" [|mobility]");
    }
}

fn byte(mh: &[u8], at: usize) -> Result<u8, Cut> {
    mh.get(at).copied().ok_or(Cut)
}

fn word(mh: &[u8], at: usize) -> Result<u16, Cut> {
    be16(mh, at).ok_or(Cut)
}

fn fields(out: &mut Vec<u8>, mh: &[u8]) -> Result<(), Cut> {
    let units = byte(mh, 1)?;
    let len = (u32::from(units) + 1) << 3;
    let t = byte(mh, 2)?;
    let known = message(t);
    if known.is_some_and(|(_, needed)| len < needed) {
        out.s("(header length ");
        out.num(len);
        out.s(" is too small for type ");
        out.num(t);
        out.s(")");
        return Err(Cut);
    }
    out.s("mobility: ");
    match known {
        Some((name, _)) => out.s(name),
        None => {
            out.s("type-#");
            out.num(t);
        }
    }
    match t {
        3 | 4 => {
            let nonce = word(mh, 6)?;
            out.s(" nonce id=0x");
            out.hex(u64::from(nonce), 0);
        }
        5 => {
            let seq = word(mh, 6)?;
            out.s(" seq#=");
            out.num(seq);
            word(mh, 8)?;
            let bits = mh[8] >> 4;
            if bits != 0 {
                out.s(" ");
                for (bit, name) in BINDING_UPDATE_FLAGS {
                    if bits & bit != 0 {
                        out.s(name);
                    }
                }
            }
            lifetime(out, mh)?;
        }
        6 => {
            let status = byte(mh, 6)?;
            out.s(" status=");
            out.num(status);
            if byte(mh, 7)? & 0x80 != 0 {
                out.s(" K");
            }
            let seq = word(mh, 8)?;
            out.s(" seq#=");
            out.num(seq);
            lifetime(out, mh)?;
        }
        7 => {
            let status = byte(mh, 6)?;
            out.s(" status=");
            out.num(status);
            let addr: [u8; 16] = mh.get(8..24).ok_or(Cut)?.try_into().map_err(|_| Cut)?;
            out.s(" homeaddr ");
            out.ipv6(addr);
        }
        0..=2 => {}
        _ => {
            out.s(" len=");
            out.num(units);
        }
    }
    Ok(())
}

/// Binding Update and Acknowledgement: the lifetime, in units of 4 seconds.
fn lifetime(out: &mut Vec<u8>, mh: &[u8]) -> Result<(), Cut> {
    let units = word(mh, 10)?;
    out.s(" lifetime=");
    out.num(u32::from(units) << 2);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(mh: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, mh);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn messages() {
        assert_eq!(text(&[59, 0, 0, 0, 0, 0, 0, 0]), "mobility: BRR");
        let bu = [
            59, 1, 5, 0, 0, 0, 0x03, 0xe8, 0x80, 0, 0x0e, 0x10, 0, 0, 0, 0,
        ];
        assert_eq!(text(&bu), "mobility: BU seq#=1000 A lifetime=14400");
        let ba = [59, 1, 6, 0, 0, 0, 48, 0x80, 0x03, 0xe8, 0x0e, 0x10];
        assert_eq!(
            text(&ba),
            "mobility: BA status=48 K seq#=1000 lifetime=14400"
        );
        assert_eq!(text(&ba[..9]), "mobility: BA status=48 K [|mobility]");
        assert_eq!(
            text(&[59, 0, 4, 0, 0, 0, 9, 10]),
            "(header length 8 is too small for type 4) [|mobility]"
        );
        assert_eq!(text(&[59, 2, 9, 0]), "mobility: type-#9 len=2");
        assert_eq!(text(&[59]), " [|mobility]");
    }
}
