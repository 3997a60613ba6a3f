//! Linux vsock monitor (LINKTYPE_VSOCK, 271): the 32-byte af_vsockmon header as tcpdump
//! prints it, `VIRTIO 3.1024 > 2.1234 CONNECT, length 76` (the length is the captured
//! length). All fields are little-endian.

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::text::TextOut;

const HEADER_LEN: usize = 32;
const CUT: &str = " [|vsock]";

/// Appends the line for a frame whose captured bytes are `data` (at least the header).
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    let le16 = |at: usize| u16::from_le_bytes([data[at], data[at + 1]]);
    let le32 = |at: usize| u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
    let le64 = |at: usize| u64::from(le32(at)) | (u64::from(le32(at + 4)) << 32);
    match le16(26) {
        0 => out.s("UNKNOWN"),
        1 => out.s("NO_INFO"),
        2 => out.s("VIRTIO"),
        t => {
            out.s("Invalid transport (");
            out.num(t);
            out.s(")");
        }
    }
    out.s(" ");
    out.num(le64(0));
    out.s(".");
    out.num(le32(16));
    out.s(" > ");
    out.num(le64(8));
    out.s(".");
    out.num(le32(20));
    out.s(" ");
    match le16(24) {
        0 => out.s("UNKNOWN"),
        1 => out.s("CONNECT"),
        2 => out.s("DISCONNECT"),
        3 => out.s("CONTROL"),
        4 => out.s("PAYLOAD"),
        op => {
            out.s(" invalid op (");
            out.num(op);
            out.s(")");
        }
    }
    out.s(", length ");
    out.num(data.len());
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn vsock(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        Level {
            link: Link::None,
            net: if data.len() < HEADER_LEN {
                Net::Truncated(CUT)
            } else {
                Net::Printed(Printed {
                    print,
                    data,
                    length: wire_len,
                })
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header() {
        let mut h = Vec::new();
        h.extend_from_slice(&3u64.to_le_bytes());
        h.extend_from_slice(&2u64.to_le_bytes());
        h.extend_from_slice(&1024u32.to_le_bytes());
        h.extend_from_slice(&1234u32.to_le_bytes());
        h.extend_from_slice(&[1, 0, 2, 0, 44, 0, 0, 0]);
        h.extend_from_slice(&[0; 44]);
        let mut out = Vec::new();
        print(&mut out, &h, 76);
        assert_eq!(out, b"VIRTIO 3.1024 > 2.1234 CONNECT, length 76");
        h[24] = 9;
        h[26] = 7;
        out.clear();
        print(&mut out, &h[..40], 76);
        assert_eq!(
            out,
            b"Invalid transport (7) 3.1024 > 2.1234  invalid op (9), length 40"
        );
    }
}
