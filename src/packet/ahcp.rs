//! AHCP (UDP 5359, the ad-hoc configuration protocol): tcpdump's default line,
//! `AHCP Version 1`, with ` (invalid)` for a malformed message.

use super::decode::be16;
use super::text::TextOut;

const MAGIC: u8 = 43;
/// Magic, version, hop counts, nonce, source and destination ids.
const HEADER: u32 = 24;
/// Type, must-be-zero and the body length.
const BODY_HEADER: u32 = 4;

/// Why the message could not be walked to its end.
enum Stop {
    /// Bytes past the capture.
    Truncated,
    /// Too short for what it declares; `rest` bytes from `at` still go unprinted.
    Invalid { at: usize, rest: u32 },
}

/// `n` bytes from `at` are captured.
fn captured(data: &[u8], at: usize, n: u32) -> bool {
    at.checked_add(n as usize)
        .is_some_and(|end| end <= data.len())
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("AHCP");
    match walk(out, data, len) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|ahcp]"),
        Err(Stop::Invalid { at, rest }) => {
            out.s(" (invalid)");
            // tcpdump still checks that the unprinted rest was captured.
            if !captured(data, at, rest) {
                out.s(" [|ahcp]");
            }
        }
    }
}

fn walk(out: &mut Vec<u8>, data: &[u8], len: u32) -> Result<(), Stop> {
    if len < 2 {
        return Err(Stop::Invalid { at: 0, rest: len });
    }
    if *data.first().ok_or(Stop::Truncated)? != MAGIC {
        return Err(Stop::Invalid { at: 0, rest: len });
    }
    let version = *data.get(1).ok_or(Stop::Truncated)?;
    let len = len - 2;
    if version != 1 {
        out.s(" Version ");
        out.num(version);
        out.s(" (unknown)");
        return if captured(data, 2, len) {
            Ok(())
        } else {
            Err(Stop::Truncated)
        };
    }
    out.s(" Version 1");
    let fixed = HEADER - 2;
    if len < fixed {
        return Err(Stop::Invalid { at: 2, rest: len });
    }
    if !captured(data, 2, fixed) {
        return Err(Stop::Truncated);
    }
    let at = HEADER as usize;
    let len = len - fixed;
    if len < BODY_HEADER {
        return Err(Stop::Invalid { at, rest: len });
    }
    data.get(at + 1).ok_or(Stop::Truncated)?;
    let body_len = u32::from(be16(data, at + 2).ok_or(Stop::Truncated)?);
    let at = at + BODY_HEADER as usize;
    let len = len - BODY_HEADER;
    if body_len > len {
        return Err(Stop::Invalid { at, rest: len });
    }
    if captured(data, at, body_len) {
        Ok(())
    } else {
        Err(Stop::Truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    fn message(body: &[u8]) -> Vec<u8> {
        let mut m = vec![MAGIC, 1];
        m.resize(HEADER as usize, 0);
        m.extend_from_slice(&[2, 0]);
        m.extend_from_slice(&(body.len() as u16).to_be_bytes());
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn version_one() {
        let m = message(&[0, 1, 2]);
        assert_eq!(line(&m, m.len() as u32), "AHCP Version 1");
        assert_eq!(line(&[MAGIC, 2, 0], 3), "AHCP Version 2 (unknown)");
    }

    #[test]
    fn problems() {
        assert_eq!(line(&[MAGIC], 1), "AHCP (invalid)");
        assert_eq!(line(&[44, 1, 0], 3), "AHCP (invalid)");
        // The body claims more than the datagram holds.
        let m = message(&[0, 1, 2]);
        assert_eq!(line(&m, m.len() as u32 - 1), "AHCP Version 1 (invalid)");
        // The body runs past the capture.
        assert_eq!(
            line(&m[..m.len() - 1], m.len() as u32),
            "AHCP Version 1 [|ahcp]"
        );
        // Too short for the header, and the rest not captured either.
        assert_eq!(line(&m[..5], 10), "AHCP Version 1 (invalid) [|ahcp]");
    }
}
