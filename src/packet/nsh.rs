//! NSH, the Network Service Header (EtherType 0x894f, RFC 8300): the header decode and
//! tcpdump's default line, `NSH, flags [none], service-path-id 0x000309,
//! service-index 0x7`; the carried packet or frame is the next level.

use super::decode::{Decoder, Inner, MAX_LEVELS, Net, Printed, be32};
use super::text::TextOut;

/// The base header and the service path header, 4 bytes each.
const FIXED_LEN: u32 = 8;
/// The header's length field counts 4-byte words.
const WORD: u32 = 4;
/// The flags' O (OAM) bit.
const OAM: u32 = 0x2;

/// Next-protocol codes, shared with VXLAN-GPE (one IANA registry).
pub(super) const NEXT_IPV4: u8 = 0x01;
pub(super) const NEXT_IPV6: u8 = 0x02;
pub(super) const NEXT_ETHERNET: u8 = 0x03;

/// The base header's fields tcpdump uses.
struct Base {
    version: u32,
    flags: u32,
    /// Length of all headers, in words.
    words: u32,
    next: u8,
}

impl Base {
    fn new(word: u32) -> Base {
        Base {
            version: word >> 30,
            flags: word >> 28 & 0x3,
            words: word >> 16 & 0x3f,
            next: word.to_be_bytes()[3],
        }
    }

    fn headers_len(&self) -> u32 {
        self.words * WORD
    }
}

impl<'a> Decoder<'_, 'a> {
    /// An NSH message at the network layer; what it carries becomes the next level.
    pub(super) fn nsh(&mut self, data: &'a [u8], len: u32) -> Net<'a> {
        if self.depth + 1 < MAX_LEVELS {
            self.inner = carried(data, len);
        }
        Net::Printed(Printed {
            print,
            data,
            length: len,
        })
    }
}

/// What a well-formed message of wire length `len` carries after its headers.
pub(super) fn carried(data: &[u8], len: u32) -> Option<Inner<'_>> {
    let base = Base::new(be32(data, 0)?);
    if len < FIXED_LEN || base.version != 0 || base.words < 2 {
        return None;
    }
    let rest_len = len.checked_sub(base.headers_len())?;
    let rest = data.get(base.headers_len() as usize..)?;
    next_level(base.next, rest, rest_len)
}

/// The packet or frame a next-protocol code names (NSH's and VXLAN-GPE's), if any.
pub(super) fn next_level(next: u8, rest: &[u8], rest_len: u32) -> Option<Inner<'_>> {
    match next {
        NEXT_IPV4 => Some(Inner::Ipv4(rest, rest_len)),
        NEXT_IPV6 => Some(Inner::Ipv6(rest, rest_len)),
        NEXT_ETHERNET => Some(Inner::Ethernet(rest, rest_len)),
        _ => None,
    }
}

/// Appends the header's line for a message of wire length `len`, captured `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < FIXED_LEN {
        out.s(" (packet length ");
        out.num(len);
        out.s(" < 8) (invalid)");
        return;
    }
    let Some(word) = be32(data, 0) else {
        out.s(" [|nsh]");
        return;
    };
    let base = Base::new(word);
    out.s("NSH, ");
    if base.version != 0 {
        return;
    }
    out.s(if base.flags & OAM != 0 {
        "flags [O], "
    } else {
        "flags [none], "
    });
    if len < base.headers_len() {
        out.s(" (too many headers for packet length ");
        out.num(len);
        out.s(") (invalid)");
        return;
    }
    let Some(path) = data.get(4..7) else {
        out.s(" [|nsh]");
        return;
    };
    out.s("service-path-id 0x");
    out.hex(
        u64::from(u32::from_be_bytes([0, path[0], path[1], path[2]])),
        6,
    );
    out.s(", ");
    let Some(&index) = data.get(7) else {
        out.s(" [|nsh]");
        return;
    };
    out.s("service-index 0x");
    out.hex(u64::from(index), 0);
    if base.words < 2 {
        out.s(" (less than two headers) (invalid)");
        return;
    }
    if data.len() < base.headers_len() as usize {
        out.s(" [|nsh]");
        return;
    }
    if !matches!(base.next, NEXT_IPV4 | NEXT_IPV6 | NEXT_ETHERNET) {
        out.s(": ERROR: unknown-next-protocol");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::printed;

    /// Base header (version 0, `flags`, 2 words, MD type 2, `next`) and service path.
    fn header(flags: u8, next: u8) -> Vec<u8> {
        vec![flags << 4, 0x02, 0x02, next, 0x00, 0x03, 0x09, 0x07]
    }

    #[test]
    fn header_lines() {
        assert_eq!(
            printed(print, &header(0, NEXT_IPV4), 28),
            "NSH, flags [none], service-path-id 0x000309, service-index 0x7"
        );
        assert_eq!(
            printed(print, &header(2, NEXT_IPV6), 28),
            "NSH, flags [O], service-path-id 0x000309, service-index 0x7"
        );
        assert_eq!(
            printed(print, &header(0, 0x05), 28),
            "NSH, flags [none], service-path-id 0x000309, service-index 0x7: \
             ERROR: unknown-next-protocol"
        );
        assert_eq!(
            printed(print, &header(0, 1), 6),
            " (packet length 6 < 8) (invalid)"
        );
        assert_eq!(
            printed(print, &header(0, 1)[..6], 28),
            "NSH, flags [none],  [|nsh]"
        );
        assert_eq!(
            printed(print, &header(0, 1)[..7], 28),
            "NSH, flags [none], service-path-id 0x000309,  [|nsh]"
        );
        let mut v1 = header(0, 1);
        v1[0] = 0x40;
        assert_eq!(printed(print, &v1, 28), "NSH, ");
    }

    #[test]
    fn carries_what_its_next_protocol_names() {
        let mut m = header(0, NEXT_IPV4);
        m.extend_from_slice(&[0x45, 0]);
        assert!(matches!(carried(&m, 30), Some(Inner::Ipv4(rest, 22)) if rest.len() == 2));
        assert!(carried(&header(0, 0x05), 28).is_none());
    }
}
