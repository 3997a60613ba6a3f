//! OpenFlow (TCP 6653, 6633): tcpdump's default print, `: OpenFlow` and a continuation
//! line per message header: `version 1.0, type HELLO, length 8, xid 0x00000001`. A message
//! may go on in the next segment; one whose body the capture cuts ends in `[|openflow]`.

use super::text::TextOut;

pub const PORTS: [u16; 2] = [6653, 6633];
const HEADER_LEN: usize = 8;

/// Message type names of OpenFlow 1.0 (wire version 1).
const TYPES_1_0: &[&str] = &[
    "HELLO",
    "ERROR",
    "ECHO_REQUEST",
    "ECHO_REPLY",
    "VENDOR",
    "FEATURES_REQUEST",
    "FEATURES_REPLY",
    "GET_CONFIG_REQUEST",
    "GET_CONFIG_REPLY",
    "SET_CONFIG",
    "PACKET_IN",
    "FLOW_REMOVED",
    "PORT_STATUS",
    "PACKET_OUT",
    "FLOW_MOD",
    "PORT_MOD",
    "STATS_REQUEST",
    "STATS_REPLY",
    "BARRIER_REQUEST",
    "BARRIER_REPLY",
    "QUEUE_GET_CONFIG_REQUEST",
    "QUEUE_GET_CONFIG_REPLY",
];

/// Message type names of OpenFlow 1.3 and later (wire versions 4..).
const TYPES_1_3: &[&str] = &[
    "HELLO",
    "ERROR",
    "ECHO_REQUEST",
    "ECHO_REPLY",
    "EXPERIMENTER",
    "FEATURES_REQUEST",
    "FEATURES_REPLY",
    "GET_CONFIG_REQUEST",
    "GET_CONFIG_REPLY",
    "SET_CONFIG",
    "PACKET_IN",
    "FLOW_REMOVED",
    "PORT_STATUS",
    "PACKET_OUT",
    "FLOW_MOD",
    "GROUP_MOD",
    "PORT_MOD",
    "TABLE_MOD",
    "MULTIPART_REQUEST",
    "MULTIPART_REPLY",
    "BARRIER_REQUEST",
    "BARRIER_REPLY",
    "QUEUE_GET_CONFIG_REQUEST",
    "QUEUE_GET_CONFIG_REPLY",
    "ROLE_REQUEST",
    "ROLE_REPLY",
    "GET_ASYNC_REQUEST",
    "GET_ASYNC_REPLY",
    "SET_ASYNC",
    "METER_MOD",
];

/// The version's name (tcpdump's `ofver_str`) and, for the versions tcpdump knows the
/// message types of, their names.
fn version(v: u8) -> Option<(&'static str, Option<&'static [&'static str]>)> {
    Some(match v {
        1 => ("1.0", Some(TYPES_1_0)),
        2 => ("1.1", None),
        3 => ("1.2", None),
        4 => ("1.3", Some(TYPES_1_3)),
        5 => ("1.4", None),
        6 => ("1.5", None),
        _ => return None,
    })
}

/// Why the messages stop printing early.
enum Stop {
    /// The capture ends inside the segment: ` [|openflow]`.
    Truncated,
}

/// Appends `: OpenFlow` and one line per message header of a TCP payload of wire length
/// `len` whose captured bytes are `payload`.
pub fn print(out: &mut Vec<u8>, payload: &[u8], len: u32) {
    out.s(": OpenFlow");
    match messages(out, payload, len as usize) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|openflow]"),
    }
}

/// Whether `n` more bytes from `at` were captured.
fn captured(d: &[u8], at: usize, n: usize) -> Result<(), Stop> {
    match at.checked_add(n) {
        Some(end) if end <= d.len() => Ok(()),
        _ => Err(Stop::Truncated),
    }
}

fn messages(out: &mut Vec<u8>, d: &[u8], mut left: usize) -> Result<(), Stop> {
    let mut at = 0;
    while left > 0 {
        let &v = d.get(at).ok_or(Stop::Truncated)?;
        out.s("\nversion ");
        let types = match version(v) {
            Some((name, types)) => {
                out.s(name);
                types
            }
            None => {
                out.s("unknown (0x");
                out.hex(u64::from(v), 2);
                out.s(")");
                None
            }
        };
        // Each field is printed if the segment holds it (wire length), read if captured.
        let header_end = |n: usize| left < n;
        if header_end(2) {
            return partial_header(out, d, at + 1, left - 1);
        }
        let &kind = d.get(at + 1).ok_or(Stop::Truncated)?;
        match types.and_then(|t| t.get(usize::from(kind))) {
            Some(name) => {
                out.s(", type ");
                out.s(name);
            }
            None => {
                out.s(", type unknown (0x");
                out.hex(u64::from(kind), 2);
                out.s(")");
            }
        }
        if header_end(4) {
            return partial_header(out, d, at + 2, left - 2);
        }
        let l = d.get(at + 2..at + 4).ok_or(Stop::Truncated)?;
        let length = usize::from(u16::from_be_bytes([l[0], l[1]]));
        out.s(", length ");
        out.num(length);
        if length < HEADER_LEN {
            out.s(" (too short!)");
        }
        if header_end(HEADER_LEN) {
            return partial_header(out, d, at + 4, left - 4);
        }
        let x = d.get(at + 4..at + 8).ok_or(Stop::Truncated)?;
        out.s(", xid 0x");
        out.hex(u64::from(u32::from_be_bytes([x[0], x[1], x[2], x[3]])), 8);
        at += HEADER_LEN;
        left -= HEADER_LEN;
        if length < HEADER_LEN {
            out.s(" (invalid)");
            return captured(d, at, left);
        }
        // The body, whole or not, must be captured as far as the message says.
        let body = length - HEADER_LEN;
        captured(d, at, body)?;
        if body > left {
            return Ok(());
        }
        at += body;
        left -= body;
    }
    Ok(())
}

/// A header cut by the end of the segment.
fn partial_header(out: &mut Vec<u8>, d: &[u8], at: usize, left: usize) -> Result<(), Stop> {
    out.s(" (end of TCP payload)");
    captured(d, at, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_message() {
        let mut out = Vec::new();
        let msgs = [
            &[1u8, 4, 0, 8, 0, 0, 0, 0x18][..],
            &[1, 18, 0, 8, 0, 0, 0, 0x19],
        ]
        .concat();
        print(&mut out, &msgs, 16);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            ": OpenFlow\nversion 1.0, type VENDOR, length 8, xid 0x00000018\
             \nversion 1.0, type BARRIER_REQUEST, length 8, xid 0x00000019"
        );
        let mut out = Vec::new();
        print(&mut out, &[4, 99, 0, 4, 0, 0, 0, 1, 4], 9);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            ": OpenFlow\nversion 1.3, type unknown (0x63), length 4 (too short!), xid 0x00000001 (invalid)"
        );
    }

    #[test]
    fn cut_bodies_and_headers_print_tcpdumps_marks() {
        let mut out = Vec::new();
        // Declared 30 bytes, 10 captured and 10 in the segment: goes on in the next one.
        print(&mut out, &[1, 4, 0, 30, 0, 0, 0, 0x20, 0, 0], 10);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            ": OpenFlow\nversion 1.0, type VENDOR, length 30, xid 0x00000020 [|openflow]"
        );
        let mut out = Vec::new();
        print(&mut out, &[2, 0xea, 0, 0, 0, 0x0c, 0x8c, 0], 8);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            ": OpenFlow\nversion 1.1, type unknown (0xea), length 0 (too short!), xid 0x000c8c00 (invalid)"
        );
        let mut out = Vec::new();
        print(&mut out, &[1, 0, 0, 8, 0, 0, 0, 1, 1, 2, 0], 11);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            ": OpenFlow\nversion 1.0, type HELLO, length 8, xid 0x00000001\
             \nversion 1.0, type ECHO_REQUEST (end of TCP payload)"
        );
    }
}
