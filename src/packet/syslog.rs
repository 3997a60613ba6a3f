//! Syslog (UDP 514, RFC 3164): tcpdump's default line, `SYSLOG user.notice, length: 79`.

use super::text::TextOut;

/// At most this many digits of the priority are read.
const MAX_DIGITS: usize = 3;

const FACILITIES: [&str; 24] = [
    "kernel", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
    "authpriv", "ftp", "ntp", "security", "console", "cron", "local0", "local1", "local2",
    "local3", "local4", "local5", "local6", "local7",
];
const SEVERITIES: [&str; 8] = [
    "emergency",
    "alert",
    "critical",
    "error",
    "warning",
    "notice",
    "info",
    "debug",
];

/// Why the `<priority>` could not be read.
enum Stop {
    Truncated,
    Invalid,
}

/// The priority between `<` and `>`.
fn priority(data: &[u8]) -> Result<u16, Stop> {
    let byte = |i: usize| data.get(i).copied().ok_or(Stop::Truncated);
    if byte(0)? != b'<' {
        return Err(Stop::Invalid);
    }
    let mut at = 1;
    let mut pri = 0u16;
    while at <= MAX_DIGITS && byte(at)?.is_ascii_digit() {
        pri = pri * 10 + u16::from(byte(at)? - b'0');
        at += 1;
    }
    if byte(at)? != b'>' {
        return Err(Stop::Invalid);
    }
    Ok(pri)
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let pri = match priority(data) {
        Ok(pri) => pri,
        Err(Stop::Truncated) => return out.s(" [|syslog]"),
        Err(Stop::Invalid) => return out.s(" (invalid)"),
    };
    let facility = (pri & 0x03f8) >> 3;
    let severity = pri & 0x07;
    out.s("SYSLOG ");
    out.name_or_unknown(FACILITIES.get(usize::from(facility)).copied(), facility);
    out.s(".");
    out.name_or_unknown(SEVERITIES.get(usize::from(severity)).copied(), severity);
    out.s(", length: ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn facility_and_severity() {
        assert_eq!(line(b"<13>Oct", 79), "SYSLOG user.notice, length: 79");
        assert_eq!(line(b"<0>", 3), "SYSLOG kernel.emergency, length: 3");
        assert_eq!(line(b"<999>", 5), "SYSLOG unknown (124).debug, length: 5");
    }

    #[test]
    fn problems() {
        assert_eq!(line(b"13>", 3), " (invalid)");
        assert_eq!(line(b"<1234>", 6), " (invalid)");
        assert_eq!(line(b"<13", 5), " [|syslog]");
    }
}
