//! LDP (TCP and UDP 646, RFC 5036): tcpdump's default line, the first PDU's header,
//! `LDP, Label-Space-ID: 192.168.0.2:0, pdu-length: 28`. tcpdump prints it right after
//! TCP's `length N` (no separator) and after UDP's ports.

use super::decode::be16;
use super::text::TextOut;

pub const PORT: u16 = 646;

const VERSION: u16 = 1;
/// Common header (version, PDU length, LSR ID, label space).
const HEADER_LEN: usize = 10;
/// tcpdump looks at a PDU only when more than a common header and a message header
/// are left.
const SHORTEST: u32 = 10 + 8;
/// The PDU length counts the bytes after the version and the length field.
const COUNTED_HEADER_LEN: u16 = 6;

/// Appends the text for a payload of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len <= SHORTEST {
        return;
    }
    let (Some(version), Some(pdu_len), Some(lsr), Some(space)) = (
        be16(data, 0),
        be16(data, 2),
        data.get(4..8),
        be16(data, 8).filter(|_| data.len() >= HEADER_LEN),
    ) else {
        out.s(" [|ldp]");
        return;
    };
    if version != VERSION {
        out.s("LDP version ");
        out.num(version);
        out.s(" packet not supported");
        return;
    }
    if pdu_len < COUNTED_HEADER_LEN {
        out.s("LDP, pdu-length: ");
        out.num(pdu_len);
        out.s(" (too short, < 6)");
        return;
    }
    out.s("LDP, Label-Space-ID: ");
    out.ipv4([lsr[0], lsr[1], lsr[2], lsr[3]]);
    out.s(":");
    out.num(space);
    out.s(", pdu-length: ");
    out.num(pdu_len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn header_forms() {
        let mut p = [0, 1, 0, 28, 192, 168, 0, 2, 0, 0, 0, 0];
        assert_eq!(
            text(&p, 32),
            "LDP, Label-Space-ID: 192.168.0.2:0, pdu-length: 28"
        );
        assert_eq!(text(&p, 18), "");
        p[3] = 5;
        assert_eq!(text(&p, 32), "LDP, pdu-length: 5 (too short, < 6)");
        p[1] = 2;
        assert_eq!(text(&p, 32), "LDP version 2 packet not supported");
        assert_eq!(text(&p[..9], 32), " [|ldp]");
    }
}
