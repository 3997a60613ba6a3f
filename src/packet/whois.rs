//! WHOIS (TCP 43): tcpdump prints it as a text protocol, `: WHOIS: <first line>`.

use super::http::is_print;
use super::text::TextOut;

pub const PORT: u16 = 43;

/// Appends the text for a payload of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s(": WHOIS");
    let len = len as usize;
    for i in 0..len {
        let Some(&c) = data.get(i) else {
            out.s(" [|whois]");
            return;
        };
        match c {
            b'\n' => return line(out, &data[..i]),
            b'\r' => {
                if i + 1 >= len {
                    return;
                }
                match data.get(i + 1) {
                    None => out.s(" [|whois]"),
                    Some(b'\n') => line(out, &data[..i]),
                    Some(_) => {}
                }
                return;
            }
            // Binary data: tcpdump prints no line.
            c if !is_print(c) && c != b'\t' => return,
            _ => {}
        }
    }
    // Text to the end without a line end: printed, and marked as cut short.
    line(out, &data[..len]);
    out.s(" [|whois]");
}

fn line(out: &mut Vec<u8>, text: &[u8]) {
    out.s(": ");
    out.extend_from_slice(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn first_lines() {
        assert_eq!(text(b"example.com\r\n", 13), ": WHOIS: example.com");
        assert_eq!(text(b"% IANA\nmore", 11), ": WHOIS: % IANA");
        assert_eq!(text(b"abc", 3), ": WHOIS: abc [|whois]");
        assert_eq!(text(b"abc", 10), ": WHOIS [|whois]");
        assert_eq!(text(b"a\x01b\n", 4), ": WHOIS");
    }
}
