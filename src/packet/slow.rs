//! IEEE 802.3 Slow Protocols (EtherType 0x8809: LACP, Marker, OAM): tcpdump's default
//! line, `LACPv1, length 110`; other subtypes get a hex dump of the whole message.

use super::hexdump::hex_only;
use super::text::TextOut;

const LACP: u8 = 1;
const MARKER: u8 = 2;
const OAM: u8 = 3;

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < 1 {
        out.s(" (packet is too short)");
        return;
    }
    let Some(&subtype) = data.first() else {
        out.s(" [|slow]");
        return;
    };
    let name = match subtype {
        LACP => "LACP",
        MARKER => "MARKER",
        OAM => "OAM",
        _ => "",
    };
    if subtype == LACP || subtype == MARKER {
        if len < 2 {
            out.s(" (packet is too short)");
            return;
        }
        let Some(&version) = data.get(1) else {
            out.s(" [|slow]");
            return;
        };
        out.s(name);
        if version != 1 {
            out.s(" version ");
            out.num(version);
            out.s(" packet not supported");
            return;
        }
        out.s("v1");
    } else if subtype == OAM {
        out.s(name);
    } else {
        out.s("unknown (");
        out.num(subtype);
        out.s(")");
    }
    out.s(", length ");
    out.num(len);
    if name.is_empty() {
        let shown = data.get(..len as usize).unwrap_or(data);
        hex_only(out, shown, b"\t");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn subtypes() {
        assert_eq!(text(&[1, 1, 1], 110), "LACPv1, length 110");
        assert_eq!(text(&[2, 1], 110), "MARKERv1, length 110");
        assert_eq!(text(&[1, 2], 110), "LACP version 2 packet not supported");
        assert_eq!(text(&[3, 0], 60), "OAM, length 60");
        assert_eq!(
            text(&[9, 1, 2], 3),
            "unknown (9), length 3\n\t0x0000:  0901 02"
        );
        assert_eq!(text(&[1], 1), " (packet is too short)");
        assert_eq!(text(&[1], 2), " [|slow]");
        assert_eq!(text(&[], 0), " (packet is too short)");
    }
}
