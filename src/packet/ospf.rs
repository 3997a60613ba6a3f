//! OSPF (IP protocol 89): tcpdump's default line, `OSPFv2, Hello, length 44`. Over IPv4
//! tcpdump reads it as OSPFv2 (RFC 2328), over IPv6 as OSPFv3 (RFC 5340), whatever the
//! version byte says.

use super::decode::be16;
use super::text::TextOut;

/// OSPFv2's authentication type for cryptographic (MD5) authentication, whose 16-byte
/// trailer tcpdump leaves out of the length.
const AUTH_MD5: u16 = 2;
const MD5_TRAILER_LEN: u32 = 16;
/// Offset of OSPFv2's authentication type.
const AUTH_TYPE_AT: usize = 14;

fn packet_type(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Hello",
        2 => "Database Description",
        3 => "LS-Request",
        4 => "LS-Update",
        5 => "LS-Ack",
        _ => return None,
    })
}

/// Appends the line for an OSPF packet of wire length `len` (captured bytes `data`)
/// carried by IPv4 (`v4`) or IPv6.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, v4: bool) {
    if v4 {
        print_v2(out, data, len)
    } else {
        print_v3(out, data, len)
    }
}

fn print_v2(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let (Some(auth), Some(&version), Some(&t)) =
        (be16(data, AUTH_TYPE_AT), data.first(), data.get(1))
    else {
        out.s(" [|ospf2]");
        return;
    };
    // tcpdump's unsigned length wraps when the trailer is longer than the packet.
    let len = if auth == AUTH_MD5 {
        len.wrapping_sub(MD5_TRAILER_LEN)
    } else {
        len
    };
    head(out, version, t, "unknown LS-type ", "", len);
}

fn print_v3(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let (Some(&version), Some(&t)) = (data.first(), data.get(1)) else {
        out.s(" [|ospf3]");
        return;
    };
    head(out, version, t, "unknown packet type (", ")", len);
}

/// `OSPFvN, <type>, length L`, an unknown type's number between `before` and `after`.
fn head(out: &mut Vec<u8>, version: u8, t: u8, before: &str, after: &str, len: u32) {
    out.s("OSPFv");
    out.num(version);
    out.s(", ");
    match packet_type(t) {
        Some(name) => out.s(name),
        None => {
            out.s(before);
            out.num(t);
            out.s(after);
        }
    }
    out.s(", length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32, v4: bool) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len, v4);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn v2_and_v3_lines() {
        let mut m = [0u8; 24];
        m[0] = 2;
        m[1] = 1;
        assert_eq!(text(&m, 44, true), "OSPFv2, Hello, length 44");
        m[AUTH_TYPE_AT + 1] = 2;
        m[1] = 4;
        assert_eq!(text(&m, 80, true), "OSPFv2, LS-Update, length 64");
        m[1] = 7;
        assert_eq!(text(&m, 80, true), "OSPFv2, unknown LS-type 7, length 64");
        assert_eq!(text(&m[..15], 80, true), " [|ospf2]");
        m[0] = 3;
        assert_eq!(
            text(&m, 36, false),
            "OSPFv3, unknown packet type (7), length 36"
        );
        m[1] = 2;
        assert_eq!(
            text(&m[..2], 36, false),
            "OSPFv3, Database Description, length 36"
        );
        assert_eq!(text(&m[..1], 36, false), " [|ospf3]");
    }
}
