//! Link Layer Discovery Protocol (EtherType 0x88cc): tcpdump's default line,
//! `LLDP, length 282: S2.cisco.com` (only the system name is shown without -v).

use super::cursor::Bytes;
use super::text::{TextOut, printn};

const SYSTEM_NAME: u16 = 5;

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("LLDP, length ");
    out.num(len);
    if tlvs(out, Bytes(data), len).is_none() {
        out.s(" [|lldp]");
    }
}

/// `None` where the captured bytes or the message's length end inside a TLV.
fn tlvs(out: &mut Vec<u8>, b: Bytes<'_>, len: u32) -> Option<()> {
    let mut at = 0usize;
    let mut left = len;
    while left >= 2 {
        let header = b.be16(at)?;
        let (kind, tlv_len) = (header >> 9, u32::from(header & 0x1ff));
        at += 2;
        left -= 2;
        // tcpdump stops at an end-of-LLDPDU or empty TLV.
        if kind == 0 || tlv_len == 0 {
            break;
        }
        let value = b.0.get(at..at + tlv_len as usize)?;
        if left < tlv_len {
            return None;
        }
        if kind == SYSTEM_NAME {
            out.s(": ");
            // Up to the first NUL, as tcpdump's nd_printjnp.
            let end = value.iter().position(|&c| c == 0).unwrap_or(value.len());
            printn(out, &value[..end]);
        }
        at += tlv_len as usize;
        left -= tlv_len;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    fn message() -> Vec<u8> {
        let mut m = vec![0x02, 0x07, 4, 0, 0x19, 0x2f, 0xa7, 0xb2, 0x8d];
        m.extend_from_slice(&[0x0a, 0x06]);
        m.extend_from_slice(b"S2\0x\x01y");
        m.extend_from_slice(&[0x0a, 0x02, b'a', 0xc1]);
        m.extend_from_slice(&[0, 0]);
        m
    }

    #[test]
    fn system_names() {
        let m = message();
        assert_eq!(text(&m, m.len() as u32), "LLDP, length 23: S2: aM-A");
        assert_eq!(text(&m[..12], 23), "LLDP, length 23 [|lldp]");
        assert_eq!(text(&m, 15), "LLDP, length 15 [|lldp]");
        assert_eq!(text(&m, 17), "LLDP, length 17: S2");
        assert_eq!(text(&[], 0), "LLDP, length 0");
    }
}
