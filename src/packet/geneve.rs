//! Geneve (UDP 6081, RFC 8926): the header decode and tcpdump's line,
//! `Geneve, Flags [C], vni 0xa, proto TEB (0x6558), options [8 bytes]`; the carried
//! frame or packet is the next level.

use super::decode::{App, Decoder, Inner, MAX_LEVELS, be16};
use super::names;
use super::numbers::ether_type;
use super::text::TextOut;

/// Version and options length, flags, protocol, VNI and a reserved byte.
const HEADER: usize = 8;

/// The options' length in bytes (the low 6 bits count 4-byte words).
fn options_len(first: u8) -> usize {
    usize::from(first & 0x3F) * 4
}

/// The header's application; what it carries becomes the next level.
pub(super) fn decode<'a>(decoder: &mut Decoder<'_, 'a>, data: &'a [u8], len: u32) -> App<'a> {
    if let (Some(h), true) = (data.get(..HEADER), len as usize >= HEADER) {
        let start = HEADER + options_len(h[0]);
        let protocol = u16::from_be_bytes([h[2], h[3]]);
        let carried = data.get(start..).zip((len as usize).checked_sub(start));
        if let (0, Some((rest, rest_len))) = (h[0] >> 6, carried) {
            let rest_len = rest_len as u32;
            let inner = match protocol {
                ether_type::TEB => Some(Inner::Ethernet(rest, rest_len)),
                ether_type::IPV4 => Some(Inner::Ipv4(rest, rest_len)),
                ether_type::IPV6 => Some(Inner::Ipv6(rest, rest_len)),
                _ => None,
            };
            if decoder.depth + 1 < MAX_LEVELS {
                decoder.inner = inner;
            }
        }
    }
    App::Geneve(data, len)
}

/// Appends the header's line; `eflag` shows the carried protocol (tcpdump's `-e`).
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, eflag: bool) {
    out.s("Geneve");
    if len < HEADER as u32 {
        out.s(" [length ");
        out.num(len);
        out.s(" < 8] (invalid)");
        return;
    }
    let Some(h) = data.get(..HEADER) else {
        out.s(" [|geneve]");
        return;
    };
    let version = h[0] >> 6;
    if version != 0 {
        out.s(" ERROR: unknown-version ");
        out.num(version);
        return;
    }
    let flags = h[1];
    out.s(", Flags [");
    let names = [
        (0x80, "O"),
        (0x40, "C"),
        (0x20, "R1"),
        (0x10, "R2"),
        (0x08, "R3"),
    ];
    out.bit_letters(flags, &names);
    out.s("], vni 0x");
    out.hex(u64::from(u32::from_be_bytes([0, h[4], h[5], h[6]])), 0);
    if h[7] != 0 {
        out.s(", rsvd 0x");
        out.hex(u64::from(h[7]), 0);
    }
    let protocol = be16(h, 2).unwrap_or(0);
    if eflag {
        out.s(", proto ");
        out.s(names::ether_type(protocol).unwrap_or("unknown"));
        out.s(" (0x");
        out.hex(u64::from(protocol), 4);
        out.s(")");
    }
    let opts = options_len(h[0]);
    let left = len as usize - HEADER;
    if left < opts {
        out.s(" truncated-geneve - ");
        out.num(opts - left);
        out.s(" bytes missing");
        return;
    }
    if data.len() < HEADER + opts {
        out.s(" [|geneve]");
        return;
    }
    if opts > 0 {
        out.s(", options [");
        out.num(opts);
        out.s(" bytes]");
    }
    if !matches!(
        protocol,
        ether_type::TEB | ether_type::IPV4 | ether_type::IPV6
    ) {
        out.s(": geneve-proto-0x");
        out.hex(u64::from(protocol), 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32, eflag: bool) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len, eflag);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn header_forms() {
        let mut g = vec![0x02, 0x40, 0x65, 0x58, 0, 0, 0x0a, 0];
        g.extend_from_slice(&[0; 8]);
        assert_eq!(
            line(&g, 30, true),
            "Geneve, Flags [C], vni 0xa, proto TEB (0x6558), options [8 bytes]"
        );
        assert_eq!(
            line(&g, 30, false),
            "Geneve, Flags [C], vni 0xa, options [8 bytes]"
        );
        let g = [0, 0, 0x12, 0x34, 0, 1, 0, 3];
        assert_eq!(
            line(&g, 8, false),
            "Geneve, Flags [none], vni 0x100, rsvd 0x3: geneve-proto-0x1234"
        );
    }

    #[test]
    fn problems() {
        assert_eq!(line(&[0; 8], 7, true), "Geneve [length 7 < 8] (invalid)");
        assert_eq!(line(&[0; 7], 8, true), "Geneve [|geneve]");
        assert_eq!(
            line(&[0x40, 0, 0, 0, 0, 0, 0, 0], 8, true),
            "Geneve ERROR: unknown-version 1"
        );
        let g = [0x02, 0, 0x65, 0x58, 0, 0, 1, 0];
        assert_eq!(
            line(&g, 12, false),
            "Geneve, Flags [none], vni 0x1 truncated-geneve - 4 bytes missing"
        );
        assert_eq!(
            line(&g, 16, false),
            "Geneve, Flags [none], vni 0x1 [|geneve]"
        );
    }
}
