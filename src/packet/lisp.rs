//! LISP control messages (UDP 4342, RFC 6830): tcpdump's default lines for a
//! Map-Register or Map-Notify, `LISP-Map-Register, 2 record(s),` then a line per EID
//! record (` EID 10.30.1.100/32, 1 locator(s) LOC 20.20.8.253`) and the xTR and site
//! ids; other types print their name only.

use super::decode::{be16, be32};
use super::hexdump::hex_only;
use super::text::TextOut;

/// Type and flags, reserved, flags, record count, nonce, key id, authentication length.
const HEADER: u16 = 16;
/// TTL, locator count, mask length, action, reserved, version, EID AFI.
const RECORD: u16 = 12;
/// Priority, weight, multicast priority and weight, flags, locator AFI.
const LOCATOR: u16 = 8;
const MAP_REGISTER: u8 = 3;
const MAP_NOTIFY: u8 = 4;
const AFI_IPV4: u16 = 1;
const AFI_IPV6: u16 = 2;

/// Why the message stopped printing early.
enum Stop {
    /// Bytes past the capture: `[|lisp]`.
    Truncated,
    /// `(invalid)`.
    Invalid,
    /// A record tcpdump does not decode (an EID family other than IPv4 and IPv6).
    Unsupported,
}

fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0 => "LISP-Reserved",
        1 => "LISP-Map-Request",
        2 => "LISP-Map-Reply",
        3 => "LISP-Map-Register",
        4 => "LISP-Map-Notify",
        8 => "LISP-Encapsulated-Contol-Message",
        _ => return None,
    })
}

/// Appends the lines for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    match walk(out, data, len) {
        Ok(()) | Err(Stop::Unsupported) => {}
        Err(Stop::Truncated) => out.s(" [|lisp]"),
        Err(Stop::Invalid) => out.s(" (invalid)"),
    }
}

/// The address of `afi` at `at`, printed after `label`; the bytes it took.
fn address(out: &mut Vec<u8>, data: &[u8], at: u16, afi: u16, label: &str) -> Result<u16, Stop> {
    let at = usize::from(at);
    match afi {
        AFI_IPV4 => {
            let a = data.get(at..at + 4).ok_or(Stop::Truncated)?;
            out.s(label);
            out.ipv4([a[0], a[1], a[2], a[3]]);
            Ok(4)
        }
        AFI_IPV6 => {
            let a: [u8; 16] = data
                .get(at..at + 16)
                .and_then(|a| a.try_into().ok())
                .ok_or(Stop::Truncated)?;
            out.s(label);
            out.ipv6(a);
            Ok(16)
        }
        _ => Ok(0),
    }
}

fn walk(out: &mut Vec<u8>, data: &[u8], len: u32) -> Result<(), Stop> {
    let header = data.get(..usize::from(HEADER)).ok_or(Stop::Truncated)?;
    let kind = header[0] >> 4;
    match type_name(kind) {
        Some(name) => out.s(name),
        None => {
            out.s("unknown-type-");
            out.num(kind);
        }
    }
    out.s(",");
    if kind != MAP_REGISTER && kind != MAP_NOTIFY {
        return Ok(());
    }
    let xtr_present = header[0] & if kind == MAP_REGISTER { 0x02 } else { 0x08 } != 0;
    let mut records = header[3];
    out.s(" ");
    out.num(records);
    out.s(" record(s),");
    // tcpdump keeps the offset in 16 bits.
    let mut at = HEADER.wrapping_add(be16(header, 14).unwrap_or(0));
    if records == 0 {
        return Err(Stop::Invalid);
    }
    let captured = |at: u16, n: u16| usize::from(at) + usize::from(n) <= data.len();
    while len > u32::from(at) && records != 0 {
        records -= 1;
        if !captured(at, RECORD) {
            return Err(Stop::Truncated);
        }
        out.s("\n");
        let r = usize::from(at);
        let (mut locators, mask) = (data[r + 4], data[r + 5]);
        let afi = u16::from_be_bytes([data[r + 10], data[r + 11]]);
        at = at.wrapping_add(RECORD);
        if afi != AFI_IPV4 && afi != AFI_IPV6 {
            return Err(Stop::Unsupported);
        }
        at = at.wrapping_add(address(out, data, at, afi, " EID ")?);
        out.s("/");
        out.num(mask);
        out.s(", ");
        out.num(locators);
        out.s(" locator(s)");
        while locators != 0 {
            locators -= 1;
            if !captured(at, LOCATOR) {
                return Err(Stop::Truncated);
            }
            let l = usize::from(at);
            let afi = u16::from_be_bytes([data[l + 6], data[l + 7]]);
            at = at.wrapping_add(LOCATOR);
            at = at.wrapping_add(address(out, data, at, afi, " LOC ")?);
        }
    }
    let rest = data.get(usize::from(at)..).unwrap_or(&[]);
    if xtr_present {
        if rest.len() < 24 {
            return Err(Stop::Invalid);
        }
        hex_only(out, &rest[..16], b"    xTR-ID: ");
        out.s("\n    SITE-ID: ");
        let site =
            (u64::from(be32(rest, 16).unwrap_or(0)) << 32) | u64::from(be32(rest, 20).unwrap_or(0));
        out.num(site);
    } else if !rest.is_empty() {
        hex_only(out, rest, b"    Data: ");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    fn header(kind_flags: u8, records: u8) -> Vec<u8> {
        let mut h = vec![0u8; HEADER as usize];
        h[0] = kind_flags;
        h[3] = records;
        h
    }

    fn v4_record(eid: [u8; 4], locators: &[[u8; 4]]) -> Vec<u8> {
        let mut r = vec![0, 0, 0, 0, locators.len() as u8, 32, 0, 0, 0, 0, 0, 1];
        r.extend_from_slice(&eid);
        for l in locators {
            r.extend_from_slice(&[1, 1, 1, 1, 0, 0, 0, 1]);
            r.extend_from_slice(l);
        }
        r
    }

    #[test]
    fn notify_with_records() {
        let mut m = header(0x40, 2);
        m.extend(v4_record([10, 30, 1, 100], &[[20, 20, 8, 253]]));
        m.extend(v4_record(
            [10, 30, 1, 96],
            &[[20, 20, 8, 251], [20, 20, 8, 252]],
        ));
        assert_eq!(
            line(&m, m.len() as u32),
            "LISP-Map-Notify, 2 record(s),\n EID 10.30.1.100/32, 1 locator(s) LOC 20.20.8.253\
             \n EID 10.30.1.96/32, 2 locator(s) LOC 20.20.8.251 LOC 20.20.8.252"
        );
        m.extend_from_slice(&[0xab, 0xcd]);
        assert!(line(&m, m.len() as u32).ends_with("\n    Data: 0x0000:  abcd"));
    }

    #[test]
    fn register_with_ids() {
        let mut m = header(0x32, 1);
        m.extend(v4_record([10, 0, 0, 1], &[]));
        m.extend_from_slice(&[0x97; 16]);
        m.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 7]);
        assert_eq!(
            line(&m, m.len() as u32),
            "LISP-Map-Register, 1 record(s),\n EID 10.0.0.1/32, 0 locator(s)\
             \n    xTR-ID: 0x0000:  9797 9797 9797 9797 9797 9797 9797 9797\
             \n    SITE-ID: 7"
        );
        m.truncate(m.len() - 1);
        assert!(line(&m, 99).ends_with("0 locator(s) (invalid)"));
    }

    #[test]
    fn problems() {
        assert_eq!(line(&header(0x10, 0), 16), "LISP-Map-Request,");
        assert_eq!(
            line(&header(0x40, 0), 16),
            "LISP-Map-Notify, 0 record(s), (invalid)"
        );
        assert_eq!(
            line(&header(0x40, 1), 40),
            "LISP-Map-Notify, 1 record(s), [|lisp]"
        );
        assert_eq!(line(&[0x40; 15], 16), " [|lisp]");
    }
}
