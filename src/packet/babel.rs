//! Babel (UDP 6696, RFC 8966): tcpdump's default line names the TLVs in order,
//! `babel 2 (40) hello ihu`, then ` |` and the trailer's TLVs when there is one.

use super::text::TextOut;

/// The magic byte opening every Babel packet.
const MAGIC: u8 = 42;
const PAD1: u8 = 0;
const UPDATE: u8 = 8;

/// Why the TLV walk stopped early.
enum Stop {
    /// Bytes past the capture.
    Truncated,
    /// A TLV longer than the body or the datagram, or too short for its type.
    Invalid,
}

fn tlv_name(kind: u8) -> &'static str {
    match kind {
        1 => "padN",
        2 => "ack-req",
        3 => "ack",
        4 => "hello",
        5 => "ihu",
        6 => "router-id",
        7 => "nh",
        9 => "route-request",
        10 => "seqno-request",
        11 => "tspc",
        12 => "hmac",
        13 => "ss-update",
        14 => "ss-request",
        15 => "ss-mh-request",
        16 => "mac",
        17 => "pc",
        18 => "challenge_request",
        19 => "challenge_reply",
        _ => "unknown",
    }
}

/// Names the TLVs of `tlvs` (captured bytes) whose declared length is `declared`, with
/// `remaining` bytes left in the datagram.
fn print_tlvs(out: &mut Vec<u8>, tlvs: &[u8], declared: u32, remaining: u32) -> Result<(), Stop> {
    let fits = |at: usize, n: usize| {
        let end = (at + n) as u64;
        end <= u64::from(declared) && end <= u64::from(remaining)
    };
    let mut i = 0usize;
    while (i as u64) < u64::from(declared) {
        if !fits(i, 1) {
            return Err(Stop::Invalid);
        }
        let kind = *tlvs.get(i).ok_or(Stop::Truncated)?;
        if kind == PAD1 {
            out.s(" pad1");
            i += 1;
            continue;
        }
        if !fits(i, 2) {
            return Err(Stop::Invalid);
        }
        let len = usize::from(*tlvs.get(i + 1).ok_or(Stop::Truncated)?);
        if !fits(i, 2 + len) {
            return Err(Stop::Invalid);
        }
        let message = tlvs.get(i..i + 2 + len).ok_or(Stop::Truncated)?;
        if kind == UPDATE {
            out.s(" update");
            if len < 10 {
                return Err(Stop::Invalid);
            }
            let flags = message[3];
            if flags & 0x80 != 0 {
                out.s("/prefix");
            }
            if flags & 0x40 != 0 {
                out.s("/id");
            }
            if flags & 0x3f != 0 {
                out.s("/unknown");
            }
        } else {
            out.s(" ");
            out.s(tlv_name(kind));
        }
        i += 2 + len;
    }
    Ok(())
}

/// Appends the line for a packet of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("babel");
    let Some(header) = data.get(..4) else {
        out.s(" [|babel]");
        return;
    };
    if header[0] != MAGIC {
        out.s(" invalid header");
        return;
    }
    out.s(" ");
    out.num(header[1]);
    if header[1] != 2 {
        out.s(" unknown version");
        return;
    }
    let walked = print_v2(out, data, len);
    match walked {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|babel]"),
        Err(Stop::Invalid) => out.s(" (invalid)"),
    }
}

fn print_v2(out: &mut Vec<u8>, data: &[u8], len: u32) -> Result<(), Stop> {
    let length = len.checked_sub(4).ok_or(Stop::Invalid)?;
    let body_len = u16::from_be_bytes([data[2], data[3]]);
    out.s(" (");
    out.num(body_len);
    out.s(")");
    let body_len = u32::from(body_len);
    if length < body_len {
        return Err(Stop::Invalid);
    }
    let body = &data[4..];
    print_tlvs(out, body, body_len, length)?;
    let trailer_len = length - body_len;
    if trailer_len != 0 {
        out.s(" |");
        let trailer = body.get(body_len as usize..).unwrap_or(&[]);
        print_tlvs(out, trailer, trailer_len, trailer_len)?;
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
    fn names_each_tlv() {
        // hello (len 6), pad1, update with prefix+id flags (len 10).
        let mut p = vec![42, 2, 0, 21, 4, 6, 0, 0, 0, 1, 1, 144, 0];
        p.extend_from_slice(&[8, 10, 2, 0xC0, 64, 0, 1, 144, 0, 1, 0, 96]);
        assert_eq!(line(&p, 25), "babel 2 (21) hello pad1 update/prefix/id");
    }

    #[test]
    fn trailer_after_a_bar() {
        let p = [42, 2, 0, 2, 1, 0, 17, 0];
        assert_eq!(line(&p, 8), "babel 2 (2) padN | pc");
    }

    #[test]
    fn problems() {
        assert_eq!(line(&[43, 2, 0, 0], 4), "babel invalid header");
        assert_eq!(line(&[42, 1, 0, 0], 4), "babel 1 unknown version");
        assert_eq!(line(&[42, 2, 0], 3), "babel [|babel]");
        // Body longer than the datagram.
        assert_eq!(line(&[42, 2, 8, 8], 4), "babel 2 (2056) (invalid)");
        // A TLV running past the capture.
        assert_eq!(line(&[42, 2, 0, 8, 4, 6, 0], 12), "babel 2 (8) [|babel]");
        // An update too short to hold its flags.
        assert_eq!(
            line(&[42, 2, 0, 2, 8, 0], 6),
            "babel 2 (2) update (invalid)"
        );
    }
}
