//! MPLS LSP Ping (UDP 3503, RFC 8029): tcpdump's default line,
//! `LSP-PINGv1, MPLS Echo Request, seq 5, length: 60`.

use super::decode::{be16, be32};
use super::text::TextOut;

/// Version, flags, message type, reply mode, return code and subcode, sender's handle,
/// sequence number and the two timestamps.
const HEADER: usize = 32;
const SEQ_AT: usize = 12;

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < HEADER as u32 {
        out.s("\n\t\t packet is too short");
        return;
    }
    let (Some(header), Some(version)) = (data.get(..HEADER), be16(data, 0)) else {
        out.s(" [|lspping]");
        return;
    };
    if version != 1 {
        out.s("LSP-PING version ");
        out.num(version);
        out.s(" packet not supported");
        return;
    }
    out.s("LSP-PINGv1, ");
    match header[4] {
        1 => out.s("MPLS Echo Request"),
        2 => out.s("MPLS Echo Reply"),
        other => {
            out.s("unknown (");
            out.num(other);
            out.s(")");
        }
    }
    out.s(", seq ");
    out.num(be32(header, SEQ_AT).unwrap_or(0));
    out.s(", length: ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    fn header(version: u8, kind: u8, seq: u8) -> Vec<u8> {
        let mut h = vec![0u8; HEADER];
        h[1] = version;
        h[4] = kind;
        h[SEQ_AT + 3] = seq;
        h
    }

    #[test]
    fn type_and_sequence() {
        assert_eq!(
            line(&header(1, 1, 5), 60),
            "LSP-PINGv1, MPLS Echo Request, seq 5, length: 60"
        );
        assert_eq!(
            line(&header(1, 9, 2), 32),
            "LSP-PINGv1, unknown (9), seq 2, length: 32"
        );
        assert_eq!(
            line(&header(2, 1, 2), 32),
            "LSP-PING version 2 packet not supported"
        );
    }

    #[test]
    fn cut_short() {
        assert_eq!(line(&header(1, 1, 5)[..31], 60), " [|lspping]");
        assert_eq!(line(&header(1, 1, 5), 31), "\n\t\t packet is too short");
    }
}
