//! Telnet (TCP 23, RFC 854): tcpdump prints the commands a segment starts with,
//! ` [telnet DONT OLD-ENVIRON, SB TERMINAL TYPE SEND SE]`, and nothing for plain data.

use super::text::TextOut;

pub const PORT: u16 = 23;

/// Interpret As Command: opens every command.
const IAC: u8 = 255;
/// The lowest command code (EOF) and tcpdump's names from there to IAC.
const FIRST_COMMAND: u8 = 236;
const COMMANDS: [&str; 20] = [
    "EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DMARK", "BRK", "IP", "AO", "AYT", "EC", "EL",
    "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC",
];
const SE: u8 = 240;
const SB: u8 = 250;
const WILL: u8 = 251;
const DONT: u8 = 254;

/// Option names by code.
const OPTIONS: [&str; 40] = [
    "BINARY",
    "ECHO",
    "RCP",
    "SUPPRESS GO AHEAD",
    "NAME",
    "STATUS",
    "TIMING MARK",
    "RCTE",
    "NAOL",
    "NAOP",
    "NAOCRD",
    "NAOHTS",
    "NAOHTD",
    "NAOFFD",
    "NAOVTS",
    "NAOVTD",
    "NAOLFD",
    "EXTEND ASCII",
    "LOGOUT",
    "BYTE MACRO",
    "DATA ENTRY TERMINAL",
    "SUPDUP",
    "SUPDUP OUTPUT",
    "SEND LOCATION",
    "TERMINAL TYPE",
    "END OF RECORD",
    "TACACS UID",
    "OUTPUT MARKING",
    "TTYLOC",
    "3270 REGIME",
    "X.3 PAD",
    "NAWS",
    "TSPEED",
    "LFLOW",
    "LINEMODE",
    "XDISPLOC",
    "OLD-ENVIRON",
    "AUTHENTICATION",
    "ENCRYPT",
    "NEW-ENVIRON",
];
const AUTHENTICATION: u8 = 37;
const ENCRYPT: u8 = 38;

/// A subnegotiation's first byte (the qualifier), by option.
const QUALIFIERS: &[Option<&str>] = &[Some("IS"), Some("SEND"), Some("INFO")];
const AUTH_QUALIFIERS: &[Option<&str>] = &[Some("IS"), Some("SEND"), Some("REPLY"), Some("NAME")];
const ENCRYPT_QUALIFIERS: &[Option<&str>] = &[
    Some("IS"),
    Some("SUPPORT"),
    Some("REPLY"),
    Some("START"),
    Some("END"),
    Some("REQUEST-START"),
    Some("REQUEST-END"),
    Some("END_KEYID"),
    Some("DEC_KEYID"),
];
/// The second byte of an authentication or encryption subnegotiation: the type.
const AUTH_TYPES: &[Option<&str>] = &[
    Some("NULL"),
    Some("KERBEROS_V4"),
    Some("KERBEROS_V5"),
    Some("SPX"),
    Some("MINK"),
    Some("SRP"),
    Some("RSA"),
    Some("SSL"),
    None,
    None,
    Some("LOKI"),
    Some("SSA"),
    Some("KEA_SJ"),
    Some("KEA_SJ_INTEG"),
    Some("DSS"),
    Some("NTLM"),
];
const ENCRYPT_TYPES: &[Option<&str>] = &[
    Some("NULL"),
    Some("DES_CFB64"),
    Some("DES_OFB64"),
    Some("DES3_CFB64"),
    Some("DES3_OFB64"),
    None,
    Some("CAST5_40_CFB64"),
    Some("CAST5_40_OFB64"),
    Some("CAST128_CFB64"),
    Some("CAST128_OFB64"),
];

/// The segment's bytes ran out before the command did: ` [|telnet]`.
struct Truncated;

/// Appends the text for a payload of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let mut at = 0usize;
    // tcpdump's remaining length is unsigned and a subnegotiation's end may overrun it:
    // it then wraps, and the captured bytes alone end the walk.
    let mut left = len;
    let mut first = true;
    while left > 0 {
        match data.get(at) {
            None => return out.s(" [|telnet]"),
            Some(&IAC) => {}
            Some(_) => break,
        }
        let mark = out.len();
        out.s(if first { " [telnet " } else { ", " });
        match command(out, data, at, left) {
            Ok(Some(n)) => {
                first = false;
                at += n;
                left = left.wrapping_sub(n as u32);
            }
            Ok(None) => {
                out.truncate(mark);
                break;
            }
            Err(Truncated) => {
                out.truncate(mark);
                return out.s(" [|telnet]");
            }
        }
    }
    if !first {
        out.s("]");
    }
}

/// The captured bytes from `start` on, with the command's remaining length.
struct Reader<'d> {
    data: &'d [u8],
    at: usize,
    left: u32,
}

impl Reader<'_> {
    fn get(&self, at: usize) -> Result<u8, Truncated> {
        self.data.get(at).copied().ok_or(Truncated)
    }

    /// The next byte, `None` past the length.
    fn fetch(&mut self) -> Result<Option<u8>, Truncated> {
        if self.left < 1 {
            return Ok(None);
        }
        let c = self.get(self.at)?;
        self.at += 1;
        self.left -= 1;
        Ok(Some(c))
    }
}

/// Prints the command at `start`; its length, or `None` where tcpdump stops looking.
fn command(
    out: &mut Vec<u8>,
    data: &[u8],
    start: usize,
    left: u32,
) -> Result<Option<usize>, Truncated> {
    let mut r = Reader {
        data,
        at: start,
        left,
    };
    macro_rules! fetch {
        () => {
            match r.fetch()? {
                Some(c) => c,
                None => return Ok(None),
            }
        };
    }
    if fetch!() != IAC {
        return Ok(None);
    }
    let c = fetch!();
    if c == IAC {
        out.s("IAC IAC");
        return Ok(Some(r.at - start));
    }
    if c < FIRST_COMMAND {
        return Ok(None);
    }
    let name = COMMANDS[usize::from(c - FIRST_COMMAND)];
    if !(c == SB || (WILL..=DONT).contains(&c)) {
        out.s(name);
        return Ok(Some(r.at - start));
    }
    let option = fetch!();
    out.s(name);
    out.s(" ");
    match OPTIONS.get(usize::from(option)) {
        Some(o) => out.s(o),
        None => number(out, option),
    }
    if c != SB {
        return Ok(Some(r.at - start));
    }
    // The subnegotiation runs to IAC SE (or the last byte).
    let mut end = r.at;
    while r.left as usize > end + 1 - r.at {
        if r.get(end)? == IAC && r.get(end + 1)? == SE {
            break;
        }
        end += 1;
    }
    if r.get(end)? != IAC {
        return Ok(None);
    }
    let (qualifiers, types) = match option {
        AUTHENTICATION => (AUTH_QUALIFIERS, Some(AUTH_TYPES)),
        ENCRYPT => (ENCRYPT_QUALIFIERS, Some(ENCRYPT_TYPES)),
        _ => (QUALIFIERS, None),
    };
    if end > r.at {
        out.s(" ");
        name_or_number(out, qualifiers, fetch!());
        if let Some(types) = types.filter(|_| end > r.at) {
            out.s(" ");
            name_or_number(out, types, fetch!());
        }
    }
    while end > r.at {
        out.s(" ");
        number(out, fetch!());
    }
    out.s(" SE");
    Ok(Some(r.at + 2 - start))
}

fn name_or_number(out: &mut Vec<u8>, names: &[Option<&str>], n: u8) {
    match names.get(usize::from(n)).copied().flatten() {
        Some(name) => out.s(name),
        None => number(out, n),
    }
}

/// C's `%#x`: `0`, `0x7b`.
fn number(out: &mut Vec<u8>, n: u8) {
    if n == 0 {
        out.s("0");
    } else {
        out.s("0x");
        out.hex(u64::from(n), 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::printed;

    fn text(data: &[u8]) -> String {
        printed(print, data, data.len() as u32)
    }

    #[test]
    fn negotiations() {
        assert_eq!(
            text(&[IAC, DONT, 36, IAC, SB, 24, 1, IAC, SE]),
            " [telnet DONT OLD-ENVIRON, SB TERMINAL TYPE SEND SE]"
        );
        assert_eq!(
            text(&[IAC, 253, 1, IAC, WILL, 200, IAC, 241, b'x']),
            " [telnet DO ECHO, WILL 0xc8, NOP]"
        );
        assert_eq!(
            text(&[IAC, SB, 37, 2, 8, 0, 0x7b, IAC, SE]),
            " [telnet SB AUTHENTICATION REPLY 0x8 0 0x7b SE]"
        );
        assert_eq!(text(&[IAC, IAC]), " [telnet IAC IAC]");
        assert_eq!(text(b"login: "), "");
    }

    #[test]
    fn cut_short_commands() {
        // The second command's option byte was not captured.
        assert_eq!(
            printed(print, &[IAC, 253, 1, IAC, 253], 6),
            " [telnet DO ECHO [|telnet]"
        );
        assert_eq!(printed(print, &[], 3), " [|telnet]");
        // Within the length but not a command tcpdump knows: it stops quietly.
        assert_eq!(text(&[IAC, 100]), "");
    }
}
