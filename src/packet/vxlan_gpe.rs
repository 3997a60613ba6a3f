//! VXLAN-GPE (UDP 4790, draft-ietf-nvo3-vxlan-gpe): the header decode and tcpdump's
//! line, `VXLAN-GPE, flags [IP], vni 16777215`; an NSH header it carries joins the line
//! (see nsh.rs), and the carried packet or frame is the next level.

use super::decode::{App, Decoder, MAX_LEVELS, Printed, be32};
use super::nsh::{NEXT_ETHERNET, NEXT_IPV4, NEXT_IPV6};
use super::text::TextOut;

/// Flags, two reserved bytes, next protocol, VNI and a reserved byte.
const HEADER: usize = 8;

/// Flag bits, in the order tcpdump names them (without separators).
const FLAGS: [(u8, &str); 4] = [(0x08, "I"), (0x04, "P"), (0x02, "B"), (0x01, "O")];

const NEXT_NSH: u8 = 0x04;

/// The header's application; what it carries becomes the next level.
pub(super) fn decode<'a>(decoder: &mut Decoder<'_, 'a>, data: &'a [u8], len: u32) -> App<'a> {
    if let (Some(rest), Some(rest_len)) = (data.get(HEADER..), len.checked_sub(HEADER as u32))
        && decoder.depth + 1 < MAX_LEVELS
    {
        decoder.inner = match data[3] {
            NEXT_NSH => super::nsh::carried(rest, rest_len),
            next => super::nsh::next_level(next, rest, rest_len),
        };
    }
    App::Printed(Printed {
        print,
        data,
        length: len,
    })
}

/// Appends the header's line (and a carried NSH header's) for a message of wire length
/// `len`, captured `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("VXLAN-GPE, ");
    if len < HEADER as u32 {
        out.s(" (len ");
        out.num(len);
        out.s(" < 8) (invalid)");
        return;
    }
    let Some(&flags) = data.first() else {
        out.s(" [|vxlan_gpe]");
        return;
    };
    out.s("flags [");
    out.bit_letters(flags, &FLAGS);
    out.s("], ");
    let (Some(word), Some(_)) = (be32(data, 4), data.get(HEADER - 1)) else {
        out.s(" [|vxlan_gpe]");
        return;
    };
    out.s("vni ");
    out.num(word >> 8);
    match data[3] {
        NEXT_IPV4 | NEXT_IPV6 | NEXT_ETHERNET => {}
        NEXT_NSH => {
            out.s(": ");
            super::nsh::print(out, &data[HEADER..], len - HEADER as u32);
        }
        _ => out.s(": ERROR: unknown-next-protocol (invalid)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::printed;

    #[test]
    fn header_lines() {
        let mut m = vec![0x0c, 0, 0, NEXT_NSH, 0xff, 0xff, 0xff, 0];
        m.extend_from_slice(&[0x20, 0x02, 0x02, 0x01, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(
            printed(print, &m, 36),
            "VXLAN-GPE, flags [IP], vni 16777215: NSH, flags [O], \
             service-path-id 0xffffff, service-index 0xff"
        );
        m[3] = NEXT_IPV4;
        m[0] = 0x00;
        assert_eq!(
            printed(print, &m, 36),
            "VXLAN-GPE, flags [none], vni 16777215"
        );
        m[3] = 9;
        assert_eq!(
            printed(print, &m, 36),
            "VXLAN-GPE, flags [none], vni 16777215: ERROR: unknown-next-protocol (invalid)"
        );
        assert_eq!(printed(print, &m, 6), "VXLAN-GPE,  (len 6 < 8) (invalid)");
        assert_eq!(
            printed(print, &m[..5], 36),
            "VXLAN-GPE, flags [none],  [|vxlan_gpe]"
        );
    }
}
