//! TFTP (UDP 69, RFC 1350/2347): tcpdump's default line,
//! `TFTP, length 14, RRQ "file1" octet`.

use super::decode::be16;
use super::text::{TextOut, printn};

const RRQ: u16 = 1;
const WRQ: u16 = 2;
const DATA: u16 = 3;
const ACK: u16 = 4;
const ERROR: u16 = 5;
const OACK: u16 = 6;

const ERRORS: [&str; 8] = [
    "EUNDEF",
    "ENOTFOUND",
    "EACCESS",
    "ENOSPACE",
    "EBADOP",
    "EBADID",
    "EEXISTS",
    "ENOUSER",
];

/// The message ran past the datagram or the capture (tcpdump's `[|tftp]`).
struct Truncated;

/// Prints the NUL-terminated string at the start of `s`, at most `n` bytes, and returns
/// the bytes it took with its NUL; `Truncated` when no NUL comes first.
fn string(out: &mut Vec<u8>, s: &[u8], n: u32) -> Result<u32, Truncated> {
    let within = &s[..s.len().min(n as usize)];
    match within.iter().position(|&b| b == 0) {
        Some(end) => {
            printn(out, &within[..end]);
            Ok(end as u32 + 1)
        }
        None => {
            printn(out, within);
            Err(Truncated)
        }
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("TFTP, length ");
    out.num(len);
    if body(out, data, len).is_err() {
        out.s(" [|tftp]");
    }
}

fn body(out: &mut Vec<u8>, data: &[u8], len: u32) -> Result<(), Truncated> {
    if len < 2 {
        return Err(Truncated);
    }
    let opcode = be16(data, 0).ok_or(Truncated)?;
    out.s(", ");
    match opcode {
        RRQ => out.s("RRQ"),
        WRQ => out.s("WRQ"),
        DATA => out.s("DATA"),
        ACK => out.s("ACK"),
        ERROR => out.s("ERROR"),
        OACK => out.s("OACK"),
        _ => {
            out.s("tftp-#");
            out.num(opcode);
            return Ok(());
        }
    }
    let mut at = 2usize;
    let mut left = len - 2;
    // Options (after a request's file name and mode, or an OACK's own): strings, each
    // after a space unless empty.
    let options = |out: &mut Vec<u8>, mut at: usize, mut left: u32| {
        while left != 0 {
            let first = *data.get(at).ok_or(Truncated)?;
            if first != 0 {
                out.s(" ");
            }
            let took = string(out, data.get(at..).unwrap_or(&[]), left)?;
            at += took as usize;
            left -= took;
        }
        Ok(())
    };
    match opcode {
        RRQ | WRQ => {
            if left == 0 {
                return Err(Truncated);
            }
            out.s(" \"");
            let name = string(out, data.get(at..).unwrap_or(&[]), left);
            out.s("\"");
            let took = name?;
            at += took as usize;
            left -= took;
            if left == 0 {
                return Err(Truncated);
            }
            out.s(" ");
            let took = string(out, data.get(at..).unwrap_or(&[]), left)?;
            options(out, at + took as usize, left - took)
        }
        OACK => options(out, at, left),
        DATA | ACK => {
            if left < 2 {
                return Err(Truncated);
            }
            out.s(" block ");
            out.num(be16(data, at).ok_or(Truncated)?);
            Ok(())
        }
        _ => {
            if left < 2 {
                return Err(Truncated);
            }
            let code = be16(data, at).ok_or(Truncated)?;
            out.s(" ");
            match ERRORS.get(usize::from(code)) {
                Some(name) => out.s(name),
                None => {
                    out.s("tftp-err-#");
                    out.num(code);
                    out.s(" \"");
                }
            }
            at += 2;
            left -= 2;
            if left == 0 {
                return Err(Truncated);
            }
            out.s(" \"");
            let message = string(out, data.get(at..).unwrap_or(&[]), left);
            out.s("\"");
            message.map(|_| ())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn requests() {
        let m = b"\x00\x01file1\x00octet\x00";
        assert_eq!(line(m, 14), "TFTP, length 14, RRQ \"file1\" octet");
        let m = b"\x00\x02f\x00octet\x00blksize\x00512\x00";
        assert_eq!(
            line(m, m.len() as u32),
            "TFTP, length 22, WRQ \"f\" octet blksize 512"
        );
        // The mode runs past the capture: its space, then the mark.
        let m = b"\x00\x0100\x00";
        assert_eq!(line(m, 12308), "TFTP, length 12308, RRQ \"00\"  [|tftp]");
    }

    #[test]
    fn others() {
        assert_eq!(line(&[0, 3, 0, 7, 1], 5), "TFTP, length 5, DATA block 7");
        assert_eq!(line(&[0, 4, 0], 3), "TFTP, length 3, ACK [|tftp]");
        let m = b"\x00\x05\x00\x01no\x00";
        assert_eq!(line(m, 7), "TFTP, length 7, ERROR ENOTFOUND \"no\"");
        assert_eq!(line(&[0, 9], 2), "TFTP, length 2, tftp-#9");
        assert_eq!(line(&[0], 1), "TFTP, length 1 [|tftp]");
    }
}
