//! Cisco Auto-RP (UDP 496): tcpdump's default line,
//! ` auto-rp candidate-advert Hold 16m16s RP 1.235.99.5 PIMv2 224.0.0.0/4`.

use super::decode::be16;
use super::text::{TextOut, relative_seconds};

/// Type, RP count, hold time and 4 reserved bytes.
const HEADER: u32 = 8;
/// Per group: flags (negative, bidir), mask length, group address.
const GROUP: u32 = 6;

/// The message ran past the datagram (tcpdump's `[|cisco_autorp]`).
struct Truncated;

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if walk(out, data, len).is_err() {
        out.s(" [|cisco_autorp]");
    }
}

fn ipv4(out: &mut Vec<u8>, data: &[u8], at: usize) -> Result<(), Truncated> {
    let a = data.get(at..at + 4).ok_or(Truncated)?;
    out.ipv4([a[0], a[1], a[2], a[3]]);
    Ok(())
}

fn walk(out: &mut Vec<u8>, data: &[u8], len: u32) -> Result<(), Truncated> {
    if len < HEADER {
        return Err(Truncated);
    }
    out.s(" auto-rp ");
    let kind = *data.first().ok_or(Truncated)?;
    match kind {
        0x11 => out.s("candidate-advert"),
        0x12 => out.s("mapping"),
        _ => {
            out.s("type-0x");
            out.hex(u64::from(kind), 2);
        }
    }
    let mut rps = *data.get(1).ok_or(Truncated)?;
    out.s(" Hold ");
    match be16(data, 2).ok_or(Truncated)? {
        0 => out.s("FOREVER"),
        hold => relative_seconds(out, u32::from(hold)),
    }
    let mut at = HEADER as usize;
    let mut left = len - HEADER;
    while rps != 0 {
        if left < 4 {
            return Err(Truncated);
        }
        out.s(" RP ");
        ipv4(out, data, at)?;
        at += 4;
        left -= 4;
        if left < 1 {
            return Err(Truncated);
        }
        let versions = *data.get(at).ok_or(Truncated)?;
        out.s(match versions & 0x3 {
            0 => " PIMv?",
            1 => " PIMv1",
            2 => " PIMv2",
            _ => " PIMv1+2",
        });
        if versions & 0xfc != 0 {
            out.s(" [rsvd=0x");
            out.hex(u64::from(versions & 0xfc), 2);
            out.s("]");
        }
        at += 1;
        left -= 1;
        if left < 1 {
            return Err(Truncated);
        }
        let mut groups = *data.get(at).ok_or(Truncated)?;
        at += 1;
        left -= 1;
        let mut separator = " ";
        while groups != 0 {
            if left < GROUP {
                return Err(Truncated);
            }
            let (Some(&flags), Some(&mask)) = (data.get(at), data.get(at + 1)) else {
                return Err(Truncated);
            };
            // tcpdump reads the address before printing the entry.
            data.get(at + 2..at + 6).ok_or(Truncated)?;
            out.s(separator);
            if flags & 1 != 0 {
                out.s("!");
            }
            ipv4(out, data, at + 2)?;
            out.s("/");
            out.num(mask);
            if flags & 0x02 != 0 {
                out.s(" bidir");
            }
            if flags & 0xfc != 0 {
                out.s("[rsvd=0x");
                out.hex(u64::from(flags & 0xfc), 2);
                out.s("]");
            }
            separator = ",";
            at += GROUP as usize;
            left -= GROUP;
            groups -= 1;
        }
        rps -= 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn candidate_advert() {
        let mut m = vec![0x11, 1, 0x03, 0xd0, 0, 0, 0, 0, 1, 235, 99, 5, 0xe8, 2];
        m.extend_from_slice(&[0x02, 0, 4, 0, 0, 0]);
        m.extend_from_slice(&[0x15, 33, 255, 0, 0, 0]);
        assert_eq!(
            line(&m, m.len() as u32),
            " auto-rp candidate-advert Hold 16m16s RP 1.235.99.5 PIMv? [rsvd=0xe8] \
             4.0.0.0/0 bidir,!255.0.0.0/33[rsvd=0x14]"
        );
        assert_eq!(
            line(&m, m.len() as u32 - 1),
            " auto-rp candidate-advert Hold 16m16s RP 1.235.99.5 PIMv? [rsvd=0xe8] \
             4.0.0.0/0 bidir [|cisco_autorp]"
        );
    }

    #[test]
    fn mapping_and_short() {
        let m = [0x12, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(line(&m, 8), " auto-rp mapping Hold FOREVER");
        assert_eq!(line(&m, 7), " [|cisco_autorp]");
    }
}
