//! Cisco Discovery Protocol (SNAP OUI Cisco, PID 0x2000): tcpdump's default line,
//! `CDPv2, ttl: 180s, Device-ID 'Switch'`, a hex dump of every other TLV on continuation
//! lines, then `, length 378`.

use super::cursor::Bytes;
use super::hexdump::hex_only;
use super::text::{TextOut, printn};

const HEADER_LEN: u32 = 4;
const TLV_HEADER_LEN: u32 = 4;
const DEVICE_ID: u16 = 0x01;

/// Why tcpdump stops before the end of a message.
enum Stop {
    /// Past the captured bytes: ` [|cdp]`.
    Truncated,
    /// A length that does not fit: ` (invalid)`, then ` [|cdp]` if the rest is not all
    /// captured.
    Invalid,
}

fn name(t: u16) -> &'static str {
    match t {
        0x01 => "Device-ID",
        0x02 => "Address",
        0x03 => "Port-ID",
        0x04 => "Capability",
        0x05 => "Version String",
        0x06 => "Platform",
        0x07 => "Prefixes",
        0x08 => "Protocol-Hello option",
        0x09 => "VTP Management Domain",
        0x0a => "Native VLAN ID",
        0x0b => "Duplex",
        0x0e => "ATA-186 VoIP VLAN assignment",
        0x0f => "ATA-186 VoIP VLAN request",
        0x10 => "power consumption",
        0x11 => "MTU",
        0x12 => "AVVID trust bitmap",
        0x13 => "AVVID untrusted ports CoS",
        0x14 => "System Name",
        0x15 => "System Object ID (not decoded)",
        0x16 => "Management Addresses",
        0x17 => "Physical Location",
        _ => "unknown field type",
    }
}

/// The value lengths a TLV type must have (tcpdump flags others `(malformed TLV)`).
fn value_bounds(t: u16) -> (u32, u32) {
    match t {
        0x04 | 0x11 => (4, 4),
        0x0a => (2, 2),
        0x0b | 0x12 | 0x13 => (1, 1),
        0x0e => (3, 3),
        0x0f => (2, 3),
        0x10 => (1, 3),
        0x16 => (4, u32::MAX),
        0x17 => (1, u32::MAX),
        _ => (0, u32::MAX),
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let mut at = 0usize;
    match message(out, Bytes(data), len, &mut at) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|cdp]"),
        Err(Stop::Invalid) => {
            out.s(" (invalid)");
            let rest = len.saturating_sub(at as u32) as usize;
            if data.len().saturating_sub(at) < rest {
                out.s(" [|cdp]");
            }
        }
    }
}

fn get<T>(v: Option<T>) -> Result<T, Stop> {
    v.ok_or(Stop::Truncated)
}

/// `at` follows the offset tcpdump has reached, for the check after `(invalid)`.
fn message(out: &mut Vec<u8>, b: Bytes<'_>, len: u32, at: &mut usize) -> Result<(), Stop> {
    if len < HEADER_LEN {
        out.s(" (packet length ");
        out.num(len);
        out.s(" < 4)");
        return Err(Stop::Invalid);
    }
    let version = get(b.u8(0))?;
    let ttl = get(b.u8(1))?;
    out.s("CDPv");
    out.num(version);
    out.s(", ttl: ");
    out.num(ttl);
    out.s("s");
    get(b.be16(2))?;
    *at = HEADER_LEN as usize;
    let mut left = len - HEADER_LEN;
    while left > 0 {
        if left < TLV_HEADER_LEN {
            out.s(" (remaining packet length ");
            out.num(left);
            out.s(" < 4)");
            return Err(Stop::Invalid);
        }
        let kind = get(b.be16(*at))?;
        let tlv_len = u32::from(get(b.be16(*at + 2))?);
        if tlv_len < TLV_HEADER_LEN {
            out.s(", ");
            out.s(name(kind));
            out.s(" TLV length ");
            out.num(tlv_len);
            out.s(" too short");
            return Err(Stop::Invalid);
        }
        if tlv_len > left {
            out.s(" (TLV length ");
            out.num(tlv_len);
            out.s(" > ");
            out.num(left);
            out.s(")");
            return Err(Stop::Invalid);
        }
        *at += TLV_HEADER_LEN as usize;
        left -= TLV_HEADER_LEN;
        let value_len = tlv_len - TLV_HEADER_LEN;
        let value = b.from(*at);
        let (min, max) = value_bounds(kind);
        if kind == DEVICE_ID {
            out.s(", Device-ID '");
            let shown = value.get(..value_len as usize).unwrap_or(value);
            printn(out, shown);
            if shown.len() < value_len as usize {
                return Err(Stop::Truncated);
            }
            out.s("'");
        } else {
            if value_len < min || value_len > max {
                out.s(" (malformed TLV)");
            }
            let shown = get(value.get(..value_len as usize))?;
            hex_only(out, shown, b"\t  ");
        }
        *at += value_len as usize;
        left -= value_len;
    }
    out.s(", length ");
    out.num(len);
    Ok(())
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
        let mut m = vec![2, 180, 0xab, 0xcd];
        m.extend_from_slice(&[0, 1, 0, 10]);
        m.extend_from_slice(b"Switch");
        m.extend_from_slice(&[0, 0x0b, 0, 5, 1]);
        m.extend_from_slice(&[0, 0x04, 0, 6, 0, 0x28]);
        m
    }

    #[test]
    fn device_id_and_dumps() {
        let m = message();
        assert_eq!(
            text(&m, 25),
            "CDPv2, ttl: 180s, Device-ID 'Switch'\n\t  0x0000:  01 (malformed TLV)\
             \n\t  0x0000:  0028, length 25"
        );
    }

    #[test]
    fn truncated_and_invalid() {
        let m = message();
        assert_eq!(
            text(&m[..11], 25),
            "CDPv2, ttl: 180s, Device-ID 'Swi [|cdp]"
        );
        assert_eq!(
            text(&m[..16], 25),
            "CDPv2, ttl: 180s, Device-ID 'Switch' [|cdp]"
        );
        assert_eq!(text(&m, 3), " (packet length 3 < 4) (invalid)");
        assert_eq!(
            text(&m, 23),
            "CDPv2, ttl: 180s, Device-ID 'Switch'\n\t  0x0000:  01 (TLV length 6 > 4) (invalid)"
        );
        assert_eq!(
            text(&m, 27),
            "CDPv2, ttl: 180s, Device-ID 'Switch'\n\t  0x0000:  01 (malformed TLV)\
             \n\t  0x0000:  0028 (remaining packet length 2 < 4) (invalid) [|cdp]"
        );
        assert_eq!(
            text(&m[..24], 25),
            "CDPv2, ttl: 180s, Device-ID 'Switch'\n\t  0x0000:  01 (malformed TLV) [|cdp]"
        );
        let mut short = m.clone();
        short[7] = 2;
        assert_eq!(
            text(&short, 25),
            "CDPv2, ttl: 180s, Device-ID TLV length 2 too short (invalid)"
        );
    }
}
