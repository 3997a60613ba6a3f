//! RIP (UDP 520, RFC 1058/2453): tcpdump's default line, `RIPv2, Response, length: 96`.

use super::text::TextOut;

/// Command, version and two must-be-zero bytes.
const HEADER: usize = 4;

fn command_name(cmd: u8) -> Option<&'static str> {
    Some(match cmd {
        1 => "Request",
        2 => "Response",
        3 => "Trace on",
        4 => "Trace off",
        5 => "Poll",
        6 => "Poll Entry",
        _ => return None,
    })
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    // tcpdump wants the header within both the capture and the datagram.
    let Some(header) = data.get(..HEADER).filter(|_| len >= HEADER as u32) else {
        out.s(" [|rip]");
        return;
    };
    let (cmd, version) = (header[0], header[1]);
    out.s("RIPv");
    out.num(version);
    if version == 0 {
        // tcpdump dumps a version 0 message in hex on the lines after.
        return;
    }
    out.s(", ");
    match command_name(cmd) {
        Some(name) => out.s(name),
        None => {
            out.s("unknown command (");
            out.num(cmd);
            out.s(")");
        }
    }
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
    fn version_and_command() {
        assert_eq!(line(&[2, 2, 0, 0], 96), "RIPv2, Response, length: 96");
        assert_eq!(line(&[1, 1, 0, 0], 24), "RIPv1, Request, length: 24");
        assert_eq!(
            line(&[9, 2, 0, 0], 24),
            "RIPv2, unknown command (9), length: 24"
        );
    }

    #[test]
    fn cut_short() {
        assert_eq!(line(&[2, 2, 0], 24), " [|rip]");
        assert_eq!(line(&[2, 2, 0, 0], 3), " [|rip]");
    }
}
