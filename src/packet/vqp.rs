//! Cisco VQP, the VLAN Query Protocol (UDP 1589): tcpdump's default line,
//! `VQPv1 Request, Join Port Message, error-code No error (0), length 100`.

use super::text::TextOut;

/// Version, message type, error code, item count, sequence number.
const HEADER: usize = 8;
const VERSION: u8 = 1;

fn message_name(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Request, Join Port",
        2 => "Response, VLAN",
        3 => "Request, Reconfirm",
        4 => "Response, Reconfirm",
        _ => return None,
    })
}

fn error_name(e: u8) -> &'static str {
    match e {
        0 => "No error",
        3 => "Access denied",
        4 => "Shutdown port",
        5 => "Wrong VTP domain",
        _ => "unknown",
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let Some(h) = data.get(..HEADER) else {
        out.s(" [|vqp]");
        return;
    };
    if (len as usize) < HEADER {
        out.s(" (invalid)");
        return;
    }
    if h[0] != VERSION {
        out.s("VQP version ");
        out.num(h[0]);
        out.s(" packet not supported");
        return;
    }
    out.s("VQPv");
    out.num(h[0]);
    out.s(" ");
    match message_name(h[1]) {
        Some(name) => out.s(name),
        None => {
            out.s("unknown (");
            out.num(h[1]);
            out.s(")");
        }
    }
    out.s(" Message, error-code ");
    out.s(error_name(h[2]));
    out.s(" (");
    out.num(h[2]);
    out.s("), length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::printed;

    #[test]
    fn default_lines() {
        let m = [1, 1, 0, 2, 0, 0, 0, 7];
        assert_eq!(
            printed(print, &m, 100),
            "VQPv1 Request, Join Port Message, error-code No error (0), length 100"
        );
        assert_eq!(
            printed(print, &[1, 127, 31, 0, 0, 0, 0, 0], 18),
            "VQPv1 unknown (127) Message, error-code unknown (31), length 18"
        );
        assert_eq!(
            printed(print, &[2, 1, 0, 0, 0, 0, 0, 0], 8),
            "VQP version 2 packet not supported"
        );
        assert_eq!(printed(print, &m, 7), " (invalid)");
        assert_eq!(printed(print, &m[..7], 100), " [|vqp]");
    }
}
