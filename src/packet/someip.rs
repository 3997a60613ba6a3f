//! SOME/IP (UDP 30490, AUTOSAR): tcpdump's default line,
//! `SOMEIP, service 1, method 2, len 8, client 8, session 5, pver 1, iver 1,
//! msgtype REQUEST_NO_RETURN, retcode E_OK`, which tcpdump ends with a line break.

use super::decode::be32;
use super::text::TextOut;

/// Message id, length, request id, versions, type and return code.
const HEADER: u32 = 16;

fn message_type(t: u8) -> &'static str {
    match t {
        0x00 => "REQUEST",
        0x01 => "REQUEST_NO_RETURN",
        0x02 => "NOTIFICATION",
        0x80 => "RESPONSE",
        0x81 => "ERROR",
        0x20 => "TP_REQUEST",
        0x21 => "TP_REQUEST_NO_RETURN",
        0x22 => "TP_NOTIFICATION",
        0xa0 => "TP_RESPONSE",
        0xa1 => "TP_ERROR",
        _ => "Unknown",
    }
}

fn return_code(c: u8) -> &'static str {
    match c {
        0x00 => "E_OK",
        0x01 => "E_NOT_OK",
        0x02 => "E_UNKNOWN_SERVICE",
        0x03 => "E_UNKNOWN_METHOD",
        0x04 => "E_NOT_READY",
        0x05 => "E_NOT_REACHABLE",
        0x06 => "E_TIMEOUT",
        0x07 => "E_WRONG_PROTOCOL_VERSION",
        0x08 => "E_WRONG_INTERFACE_VERSION",
        0x09 => "E_MALFORMED_MESSAGE",
        0x0a => "E_WRONG_MESSAGE_TYPE",
        0x0b => "E_E2E_REPEATED",
        0x0c => "E_E2E_WRONG_SEQUENCE",
        0x0d => "E_E2E",
        0x0e => "E_E2E_NOT_AVAILABLE",
        0x0f => "E_E2E_NO_NEW_DATA",
        _ => "Unknown",
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("SOMEIP");
    if len < HEADER {
        out.s(" (invalid)");
        return;
    }
    let Some(message_id) = be32(data, 0) else {
        out.s(" [|someip]");
        return;
    };
    out.s(", service ");
    out.num(message_id >> 16);
    out.s(if message_id & 0x8000 != 0 {
        ", event "
    } else {
        ", method "
    });
    out.num(message_id & 0x7FFF);
    let Some(length) = be32(data, 4) else {
        out.s(" [|someip]");
        return;
    };
    out.s(", len ");
    out.num(length);
    let Some(request) = be32(data, 8) else {
        out.s(" [|someip]");
        return;
    };
    out.s(", client ");
    out.num(request >> 16);
    out.s(", session ");
    out.num(request & 0xFFFF);
    let fields = [", pver ", ", iver "];
    for (i, name) in fields.into_iter().enumerate() {
        let Some(&v) = data.get(12 + i) else {
            out.s(" [|someip]");
            return;
        };
        out.s(name);
        out.num(v);
    }
    let Some(&kind) = data.get(14) else {
        out.s(" [|someip]");
        return;
    };
    out.s(", msgtype ");
    out.s(message_type(kind));
    let Some(&code) = data.get(15) else {
        out.s(" [|someip]");
        return;
    };
    out.s(", retcode ");
    out.s(return_code(code));
    out.s("\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn header() {
        let m = [0, 1, 0, 2, 0, 0, 0, 8, 0, 8, 0, 5, 1, 1, 1, 0];
        assert_eq!(
            line(&m, 16),
            "SOMEIP, service 1, method 2, len 8, client 8, session 5, pver 1, iver 1, \
             msgtype REQUEST_NO_RETURN, retcode E_OK\n"
        );
        let m = [0xff, 0xff, 0x81, 0, 0, 0, 0, 48, 0, 0, 0, 0, 1, 1, 2, 0];
        assert_eq!(
            line(&m, 56),
            "SOMEIP, service 65535, event 256, len 48, client 0, session 0, pver 1, iver 1, \
             msgtype NOTIFICATION, retcode E_OK\n"
        );
    }

    #[test]
    fn problems() {
        assert_eq!(line(&[0; 16], 15), "SOMEIP (invalid)");
        assert_eq!(
            line(&[0, 1, 0, 2, 0, 0], 16),
            "SOMEIP, service 1, method 2 [|someip]"
        );
    }
}
