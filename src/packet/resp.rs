//! RESP, the Redis protocol (TCP 6379): tcpdump's default text, `RESP` then each string
//! of the (possibly pipelined) commands and replies in quotes, `RESP "SET" "key" "xxx"`.

use super::text::{TextOut, printn};

pub const PORT: u16 = 6379;

/// Deepest array nesting followed (tcpdump has no limit; this keeps the stack bounded).
const MAX_DEPTH: u32 = 64;

/// The captured bytes or the wire length end before a field: tcpdump's ` [|resp]`.
struct Cut;

type Parsed<T> = Result<T, Cut>;

/// Appends the text for a TCP payload of wire length `len` whose captured bytes are
/// `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s(": RESP");
    let mut at = 0usize;
    let mut left = i64::from(len);
    while left > 0 {
        match item(out, data, at, left, 0) {
            Ok(n) if n > 0 => {
                at += n;
                left -= n as i64;
            }
            _ => {
                out.s(" [|resp]");
                return;
            }
        }
    }
}

fn byte(data: &[u8], at: usize) -> Parsed<u8> {
    data.get(at).copied().ok_or(Cut)
}

/// One item from `at` with `left` bytes of the wire length; returns the bytes it used.
fn item(out: &mut Vec<u8>, data: &[u8], at: usize, left: i64, depth: u32) -> Parsed<usize> {
    if left < 1 || depth > MAX_DEPTH {
        return Err(Cut);
    }
    match byte(data, at)? {
        b'+' | b'-' | b':' => line(out, data, at, left),
        b'$' => bulk_string(out, data, at, left),
        b'*' => array(out, data, at, left, depth),
        _ => inline(out, data, at, left),
    }
}

/// A simple string, error or integer: the text up to CR LF.
fn line(out: &mut Vec<u8>, data: &[u8], at: usize, left: i64) -> Parsed<usize> {
    let start = at + 1;
    let mut end = start;
    let mut rest = left - 1;
    find_crlf(data, &mut end, &mut rest)?;
    segment(out, data, start, end - start)?;
    Ok(1 + (end - start) + 2)
}

fn bulk_string(out: &mut Vec<u8>, data: &[u8], at: usize, left: i64) -> Parsed<usize> {
    let (n, mut p) = length(data, at + 1, left - 1)?;
    // The wire length left is reckoned from where the length line ended, as tcpdump does.
    let mut rest = left - (p - at) as i64;
    match n {
        Length::Count(0) => out.s(" empty"),
        Length::Count(n) => {
            let n = n as usize;
            if rest < n as i64 || data.len() < p + n {
                return Err(Cut);
            }
            segment(out, data, p, n)?;
            p += n;
            rest -= n as i64;
        }
        other => {
            other.print(out)?;
            return Ok((left - rest) as usize);
        }
    }
    find_crlf(data, &mut p, &mut rest)?;
    rest -= 2;
    Ok((left - rest) as usize)
}

fn array(out: &mut Vec<u8>, data: &[u8], at: usize, left: i64, depth: u32) -> Parsed<usize> {
    let (n, mut p) = length(data, at + 1, left - 1)?;
    // The wire length left is reckoned from where the length line ended, as tcpdump does.
    let mut rest = left - (p - at) as i64;
    match n {
        Length::Count(0) => out.s(" empty"),
        Length::Count(n) => {
            for _ in 0..n {
                let used = item(out, data, p, rest, depth + 1)?;
                p += used;
                rest -= used as i64;
            }
        }
        other => other.print(out)?,
    }
    Ok((left - rest) as usize)
}

/// An inline command: text ended by CR, LF or both (after any leading ones).
fn inline(out: &mut Vec<u8>, data: &[u8], at: usize, left: i64) -> Parsed<usize> {
    let mut start = at;
    let mut rest = left;
    skip_cr_lf(data, &mut start, &mut rest)?;
    let mut end = start;
    loop {
        if rest < 1 {
            return Err(Cut);
        }
        if matches!(byte(data, end)?, b'\r' | b'\n') {
            break;
        }
        end += 1;
        rest -= 1;
    }
    segment(out, data, start, end - start)?;
    skip_cr_lf(data, &mut end, &mut rest)?;
    Ok((left - rest) as usize)
}

/// ` "text"`, escaped as tcpdump prints packet text.
fn segment(out: &mut Vec<u8>, data: &[u8], at: usize, n: usize) -> Parsed<()> {
    out.s(" \"");
    let text = data.get(at..).unwrap_or(&[]);
    printn(out, &text[..n.min(text.len())]);
    if text.len() < n {
        return Err(Cut);
    }
    out.s("\"");
    Ok(())
}

/// Moves `p` to the next CR LF.
fn find_crlf(data: &[u8], p: &mut usize, rest: &mut i64) -> Parsed<()> {
    loop {
        if *rest < 2 {
            return Err(Cut);
        }
        if (byte(data, *p)?, byte(data, *p + 1)?) == (b'\r', b'\n') {
            return Ok(());
        }
        *p += 1;
        *rest -= 1;
    }
}

/// Moves `p` past CR and LF bytes; the data may end after at least one.
fn skip_cr_lf(data: &[u8], p: &mut usize, rest: &mut i64) -> Parsed<()> {
    let mut found = false;
    loop {
        let Some(&c) = data.get(*p).filter(|_| *rest > 0) else {
            return if found { Ok(()) } else { Err(Cut) };
        };
        if c != b'\r' && c != b'\n' {
            return Ok(());
        }
        found = true;
        *p += 1;
        *rest -= 1;
    }
}

/// A bulk string's or array's length line.
enum Length {
    Count(u32),
    Null,
    Cut,
    TooLarge,
    Negative,
    Invalid,
}

impl Length {
    /// The word tcpdump prints for a length that is not a count.
    fn print(&self, out: &mut Vec<u8>) -> Parsed<()> {
        out.s(match self {
            Length::Count(_) => return Ok(()),
            Length::Null => " null",
            Length::Cut => return Err(Cut),
            Length::TooLarge => " length too large",
            Length::Negative => " length negative and not -1",
            Length::Invalid => " invalid",
        });
        Ok(())
    }
}

/// Reads `<digits>\r\n` (or `-1\r\n`) from `p` with `rest` bytes of wire length left;
/// returns it and where it ended.
fn length(data: &[u8], mut p: usize, mut rest: i64) -> Parsed<(Length, usize)> {
    if rest == 0 {
        return Ok((Length::Cut, p));
    }
    let negative = byte(data, p)? == b'-';
    if negative {
        p += 1;
        rest -= 1;
    }
    let mut value: i64 = 0;
    let mut digits = false;
    let mut too_large = false;
    loop {
        if rest == 0 {
            return Ok((Length::Cut, p));
        }
        let c = byte(data, p)?;
        if !c.is_ascii_digit() {
            if !digits {
                return Ok((Length::Invalid, p + 1));
            }
            break;
        }
        // Saturates where tcpdump's int would overflow.
        value = value * 10 + i64::from(c - b'0');
        if value > i64::from(i32::MAX) {
            too_large = true;
            value = i64::from(i32::MAX);
        }
        p += 1;
        rest -= 1;
        digits = true;
    }
    if byte(data, p)? != b'\r' {
        return Ok((Length::Invalid, p + 1));
    }
    p += 1;
    rest -= 1;
    if rest == 0 {
        return Ok((Length::Cut, p));
    }
    if byte(data, p)? != b'\n' {
        return Ok((Length::Invalid, p + 1));
    }
    p += 1;
    let length = if negative {
        if too_large || value != 1 {
            Length::Negative
        } else {
            Length::Null
        }
    } else if too_large {
        Length::TooLarge
    } else {
        Length::Count(value as u32)
    };
    Ok((length, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8]) -> String {
        crate::packet::text::printed(print, data, data.len() as u32)
    }

    #[test]
    fn commands_replies_and_pipelining() {
        assert_eq!(
            text(b"*3\r\n$3\r\nSET\r\n$4\r\nkey1\r\n$3\r\nxxx\r\n"),
            ": RESP \"SET\" \"key1\" \"xxx\""
        );
        assert_eq!(text(b"+OK\r\n:3\r\n"), ": RESP \"OK\" \"3\"");
        assert_eq!(text(b"PING\r\nPING\r\n"), ": RESP \"PING\" \"PING\"");
        assert_eq!(text(b"$-1\r\n*0\r\n"), ": RESP null empty");
        assert_eq!(text(b"$-2\r\n"), ": RESP length negative and not -1");
        // The length line stops after `x`; the CR LF left is an inline command without text.
        assert_eq!(text(b"$x\r\n"), ": RESP invalid [|resp]");
    }

    #[test]
    fn cut_short() {
        assert_eq!(text(b"$5\r\nab"), ": RESP [|resp]");
        let mut out = Vec::new();
        print(&mut out, b"+OK", 5);
        assert_eq!(String::from_utf8(out).unwrap(), ": RESP [|resp]");
        let mut out = Vec::new();
        print(&mut out, b"-ERR x", 6);
        assert_eq!(String::from_utf8(out).unwrap(), ": RESP [|resp]");
    }
}
