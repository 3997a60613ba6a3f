//! HTTP and the other text protocols' first line, as tcpdump's `txtproto_print` shows it.

use super::names;
use super::print::Printer;
use super::text::TextOut;

impl Printer<'_> {
    /// tcpdump's `txtproto_print` for HTTP: `HTTP` and, for a request or response, its
    /// first line. `payload` is what was captured, `len` the payload length on the wire.
    pub(super) fn http(&mut self, payload: &[u8], len: u32) {
        let len = len as usize;
        let cap = &payload[..payload.len().min(len)];
        self.out.s("HTTP");
        let mut is_reqresp = false;
        if let Some((next, tok)) = fetch_token(cap, len, 0) {
            if names::HTTP_METHODS
                .iter()
                .any(|m| m.as_bytes().eq_ignore_ascii_case(tok))
            {
                is_reqresp = true;
            }
            if let Some((_, code)) = fetch_token(cap, len, next)
                && code.len() == 3
                && code.iter().all(u8::is_ascii_digit)
            {
                is_reqresp = true;
            }
        }
        if !is_reqresp {
            return;
        }
        let mut i = 0;
        while i < len {
            let Some(&c) = cap.get(i) else {
                break; // captured bytes end inside the line
            };
            if c == b'\n' {
                self.out.s(": ");
                self.out.extend_from_slice(&cap[..i]);
                return;
            }
            if c == b'\r' {
                if i + 1 >= len {
                    return;
                }
                match cap.get(i + 1) {
                    None => break,
                    Some(b'\n') => {
                        self.out.s(": ");
                        self.out.extend_from_slice(&cap[..i]);
                        return;
                    }
                    Some(_) => return,
                }
            }
            if !c.is_ascii() || (!is_print(c) && c != b'\t') {
                return;
            }
            i += 1;
        }
        self.out.s(": ");
        self.out.extend_from_slice(&cap[..i]);
        self.out.s("[!http]");
    }
}

pub(super) fn is_print(c: u8) -> bool {
    (0x20..0x7F).contains(&c)
}

/// tcpdump's `fetch_token`: the token at `from` and where the next one starts; `None`
/// when there is none or it runs past the captured bytes.
pub(super) fn fetch_token(cap: &[u8], len: usize, from: usize) -> Option<(usize, &[u8])> {
    let mut i = from;
    while i < len {
        let c = *cap.get(i)?;
        if !c.is_ascii() {
            return None;
        }
        if c.is_ascii_whitespace() || c == 0x0B {
            break;
        }
        if !is_print(c) || i - from >= 127 {
            return None;
        }
        i += 1;
    }
    if i == from {
        return None;
    }
    let token = &cap[from..i];
    while i < len {
        let Some(&c) = cap.get(i) else { break };
        if c == b'\r' || c == b'\n' || !is_print(c) || c != b' ' {
            break;
        }
        i += 1;
    }
    Some((i, token))
}
