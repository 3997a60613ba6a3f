//! Ethernet Configuration Testing Protocol, "Loopback" (EtherType 0x9000): tcpdump's
//! default line, `Loopback, skipCount 0, Reply, receipt number 0, data (40 octets)`.

use super::cursor::Bytes;
use super::text::TextOut;

const REPLY: u16 = 1;
const FORWARD_DATA: u16 = 2;

/// Why tcpdump stops before the end of a message.
enum Stop {
    /// Past the captured bytes: ` [|loopback]`.
    Truncated,
    /// A length that does not fit: ` (invalid)`, then ` [|loopback]` if what follows
    /// `at` is not all captured.
    Invalid,
}

/// Appends the line for a frame payload of wire length `len` whose captured bytes are
/// `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("Loopback");
    let mut at = 0usize;
    let mut left = len;
    match message(out, Bytes(data), &mut at, &mut left) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|loopback]"),
        Err(Stop::Invalid) => {
            out.s(" (invalid)");
            if data.len().saturating_sub(at) < left as usize {
                out.s(" [|loopback]");
            }
        }
    }
}

fn le16(b: Bytes<'_>, at: usize) -> Result<u16, Stop> {
    b.be16(at).map(u16::swap_bytes).ok_or(Stop::Truncated)
}

/// `Ok` when the bytes `at..at + n` are captured.
fn captured(b: Bytes<'_>, at: usize, n: u32) -> Result<(), Stop> {
    match b.0.len().checked_sub(at) {
        Some(have) if have >= n as usize => Ok(()),
        _ => Err(Stop::Truncated),
    }
}

/// `at` and `left` follow tcpdump's position, for the check after `(invalid)`.
fn message(out: &mut Vec<u8>, b: Bytes<'_>, at: &mut usize, left: &mut u32) -> Result<(), Stop> {
    if *left < 2 {
        return Err(Stop::Invalid);
    }
    let skip = le16(b, 0)?;
    *at = 2;
    *left -= 2;
    out.s(", skipCount ");
    out.num(skip);
    if skip % 8 != 0 {
        out.s(" (bogus)");
    }
    if u32::from(skip) > *left {
        return Err(Stop::Invalid);
    }
    captured(b, *at, u32::from(skip))?;
    *at += usize::from(skip);
    *left -= u32::from(skip);
    if *left < 2 {
        return Err(Stop::Invalid);
    }
    let function = le16(b, *at)?;
    *at += 2;
    *left -= 2;
    out.s(", ");
    match function {
        REPLY => out.s("Reply"),
        FORWARD_DATA => out.s("Forward Data"),
        other => {
            out.s(" invalid (");
            out.num(other);
            out.s(")");
        }
    }
    match function {
        REPLY => {
            if *left < 2 {
                return Err(Stop::Invalid);
            }
            out.s(", receipt number ");
            out.num(le16(b, *at)?);
            *at += 2;
            *left -= 2;
            out.s(", data (");
            out.num(*left);
            out.s(" octets)");
        }
        FORWARD_DATA => {
            if *left < 6 {
                return Err(Stop::Invalid);
            }
            let address = b.0.get(*at..*at + 6).ok_or(Stop::Truncated)?;
            out.s(", forwarding address ");
            out.mac(address);
            *at += 6;
            *left -= 6;
            out.s(", data (");
            out.num(*left);
            out.s(" octets)");
        }
        _ => {}
    }
    captured(b, *at, *left)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn reply_and_forward() {
        let reply = [0, 0, 1, 0, 7, 0, 0xaa, 0xbb];
        assert_eq!(
            text(&reply, 8),
            "Loopback, skipCount 0, Reply, receipt number 7, data (2 octets)"
        );
        assert_eq!(
            text(&reply, 9),
            "Loopback, skipCount 0, Reply, receipt number 7, data (3 octets) [|loopback]"
        );
        let forward = [
            8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0x1f, 0x6d, 0x96, 0xec, 4,
        ];
        assert_eq!(
            text(&forward, 18),
            "Loopback, skipCount 8, Forward Data, forwarding address 00-1F-6D-96-EC-04, \
             data (0 octets)"
        );
    }

    #[test]
    fn odd_ones() {
        assert_eq!(
            text(&[3, 0, 0], 3),
            "Loopback, skipCount 3 (bogus) (invalid)"
        );
        assert_eq!(
            text(&[0, 0, 5, 0], 4),
            "Loopback, skipCount 0,  invalid (5)"
        );
        assert_eq!(
            text(&[0, 0, 1, 0], 4),
            "Loopback, skipCount 0, Reply (invalid)"
        );
        assert_eq!(text(&[0], 4), "Loopback [|loopback]");
        assert_eq!(text(&[0], 1), "Loopback (invalid)");
    }
}
