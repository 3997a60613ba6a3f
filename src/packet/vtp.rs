//! Cisco VLAN Trunking Protocol (SNAP OUI Cisco, PID 0x2003): tcpdump's default line,
//! `VTPv1, Message Summary advertisement (0x01), length 77`.

use super::text::TextOut;

/// Version, code, followers, domain name length and the 32-byte domain name.
const HEADER_LEN: u32 = 36;

fn message_type(t: u8) -> &'static str {
    match t {
        1 => "Summary advertisement",
        2 => "Subset advertisement",
        3 => "Advertisement request",
        4 => "Join message",
        _ => "Unknown message type",
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < HEADER_LEN {
        out.s(" (invalid)");
    } else {
        if data.len() < HEADER_LEN as usize {
            out.s(" [|vtp]");
            return;
        }
        out.s("VTPv");
        out.num(data[0]);
        out.s(", Message ");
        out.s(message_type(data[1]));
        out.s(" (0x");
        out.hex(u64::from(data[1]), 2);
        out.s("), length ");
        out.num(len);
    }
    // tcpdump checks that the whole message is captured, without printing it.
    if data.len() < len as usize {
        out.s(" [|vtp]");
    }
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
    fn header() {
        let mut m = vec![1, 1, 0, 4];
        m.resize(36, 0);
        assert_eq!(
            text(&m, 36),
            "VTPv1, Message Summary advertisement (0x01), length 36"
        );
        assert_eq!(
            text(&m, 40),
            "VTPv1, Message Summary advertisement (0x01), length 40 [|vtp]"
        );
        m[1] = 9;
        assert_eq!(
            text(&m, 36),
            "VTPv1, Message Unknown message type (0x09), length 36"
        );
        assert_eq!(text(&m[..35], 36), " [|vtp]");
        assert_eq!(text(&m, 35), " (invalid)");
        assert_eq!(text(&m[..2], 35), " (invalid) [|vtp]");
    }
}
