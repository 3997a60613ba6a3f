//! DCCP (IP protocol 33, RFC 4340): tcpdump's default line, the address and port pair,
//! `DCCP`, the packet type with its fixed fields, and the acknowledgement number.

use super::decode::{be16, be32};
use super::print::Addrs;
use super::text::TextOut;

/// The generic header with a 24-bit sequence number, and with the extended (48-bit) one.
const SHORT_HEADER_LEN: u32 = 12;
const LONG_HEADER_LEN: u32 = 16;

fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0 => "DCCP-Request",
        1 => "DCCP-Response",
        2 => "DCCP-Data",
        3 => "DCCP-Ack",
        4 => "DCCP-DataAck",
        5 => "DCCP-CloseReq",
        6 => "DCCP-Close",
        7 => "DCCP-Reset",
        8 => "DCCP-Sync",
        9 => "DCCP-SyncAck",
        _ => return None,
    })
}

const RESET_CODES: [&str; 12] = [
    "unspecified",
    "closed",
    "aborted",
    "no_connection",
    "packet_error",
    "option_error",
    "mandatory_error",
    "connection_refused",
    "bad_service_code",
    "too_busy",
    "bad_init_cookie",
    "aggression_penalty",
];

/// The captured bytes end before a field tcpdump reads: ` [|dccp]`.
struct Cut;

/// Appends the line for a DCCP packet of wire length `len` (captured bytes `data`)
/// carried between `addrs`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, addrs: Addrs) {
    if body(out, data, len, addrs).is_err() {
        out.s(" [|dccp]");
    }
}

fn body(out: &mut Vec<u8>, data: &[u8], len: u32, addrs: Addrs) -> Result<(), Cut> {
    captured(data, SHORT_HEADER_LEN)?;
    if len < SHORT_HEADER_LEN {
        return missing(out, "dccp", SHORT_HEADER_LEN - len);
    }
    let xtr = data[8];
    let extended = xtr & 1 != 0;
    let kind = (xtr >> 1) & 0xF;
    let mut fixed = if extended {
        LONG_HEADER_LEN
    } else {
        SHORT_HEADER_LEN
    };
    if len < fixed {
        return missing(out, "dccp", fixed - len);
    }
    captured(data, fixed)?;
    let ports = (be16(data, 0).ok_or(Cut)?, be16(data, 2).ok_or(Cut)?);
    addrs.pair(out, Some(ports));
    out.s(": DCCP ");
    let name = type_name(kind).unwrap_or("");
    // Bytes after the generic header each type needs: Response and Reset carry the
    // acknowledgement and 4 more bytes, the others that carry one 8 bytes.
    let extra = match kind {
        0 => 4,
        1 | 7 => 12,
        2 => 0,
        3..=9 => 8,
        _ => 0,
    };
    let start = fixed as usize;
    fixed += extra;
    if len < fixed {
        return missing(out, name, fixed - len);
    }
    match kind {
        0 | 1 => {
            captured(data, fixed)?;
            let service = be32(data, start + (extra as usize - 4)).ok_or(Cut)?;
            out.s(name);
            out.s(" (service=");
            out.num(service);
            out.s(") ");
        }
        7 => {
            captured(data, fixed)?;
            let code = data[start + 8];
            out.s(name);
            out.s(" (code=");
            out.s(RESET_CODES
                .get(usize::from(code))
                .copied()
                .unwrap_or("invalid"));
            out.s(") ");
        }
        2..=9 => {
            out.s(name);
            out.s(" ");
        }
        _ => {
            out.s("unknown-type-");
            out.num(kind);
            out.s(" ");
        }
    }
    if kind != 0 && kind != 2 {
        // The acknowledgement number: 48 bits after 2 reserved bytes, or 24 after 1.
        let (at, width) = if extended {
            (start + 2, 6)
        } else {
            (start + 1, 3)
        };
        let bytes = data.get(at..at + width).ok_or(Cut)?;
        let ack = bytes.iter().fold(0u64, |n, &b| n << 8 | u64::from(b));
        out.s("(ack=");
        out.num(ack);
        out.s(") ");
    }
    Ok(())
}

fn captured(data: &[u8], len: u32) -> Result<(), Cut> {
    if data.len() < len as usize {
        Err(Cut)
    } else {
        Ok(())
    }
}

/// `truncated-<what> - N bytes missing!`: the wire length ends inside a fixed part.
fn missing(out: &mut Vec<u8>, what: &str, n: u32) -> Result<(), Cut> {
    out.s("truncated-");
    out.s(what);
    out.s(" - ");
    out.num(n);
    out.s(" bytes missing!");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRS: Addrs = Addrs::V4([10, 0, 0, 1], [10, 0, 0, 2]);

    fn text(data: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len, ADDRS);
        String::from_utf8(out).unwrap()
    }

    fn header(kind: u8, extended: bool) -> Vec<u8> {
        let mut h = vec![
            0x99,
            0xfc,
            0x13,
            0x89,
            5,
            0,
            0,
            0,
            kind << 1 | u8::from(extended),
        ];
        h.extend_from_slice(if extended {
            &[0, 0, 0, 0, 0, 0, 1]
        } else {
            &[0, 0, 1]
        });
        h
    }

    #[test]
    fn types_and_acknowledgements() {
        let mut p = header(0, true);
        p.extend_from_slice(&[0, 0, 0, 42]);
        assert_eq!(
            text(&p, 20),
            "10.0.0.1.39420 > 10.0.0.2.5001: DCCP DCCP-Request (service=42) "
        );
        let mut p = header(1, true);
        p.extend_from_slice(&[0, 0, 0, 8, 0xf4, 0xae, 0x86, 0x7e, 0, 0, 0, 0]);
        assert_eq!(
            text(&p, 28),
            "10.0.0.1.39420 > 10.0.0.2.5001: DCCP DCCP-Response (service=0) (ack=38464816766) "
        );
        let mut p = header(7, false);
        p.extend_from_slice(&[0, 0, 0, 9, 1, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(
            text(&p, 24),
            "10.0.0.1.39420 > 10.0.0.2.5001: DCCP DCCP-Reset (code=closed) (ack=9) "
        );
    }

    #[test]
    fn cut_short_and_missing_bytes() {
        let p = header(3, true);
        assert_eq!(
            text(&p, 24),
            "10.0.0.1.39420 > 10.0.0.2.5001: DCCP DCCP-Ack  [|dccp]"
        );
        assert_eq!(
            text(&p, 18),
            "10.0.0.1.39420 > 10.0.0.2.5001: DCCP truncated-DCCP-Ack - 6 bytes missing!"
        );
        assert_eq!(text(&p, 14), "truncated-dccp - 2 bytes missing!");
        assert_eq!(text(&p[..11], 14), " [|dccp]");
    }
}
