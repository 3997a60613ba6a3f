//! VRRP versions 2 and 3 (IP protocol 112, RFC 3768 / RFC 9568): tcpdump's default line,
//! `VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl 1s, length 20`.

use super::text::TextOut;

const TYPE_ADVERTISEMENT: u8 = 1;
/// The TTL every VRRP packet must carry; tcpdump shows any other.
const REQUIRED_TTL: u8 = 255;

/// Appends the line for a message of wire length `len` whose captured bytes are `data`,
/// sent with IP TTL / hop limit `ttl`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, ttl: u8) {
    if line(out, &data[..data.len().min(len as usize)], len, ttl).is_none() {
        out.s(" [|vrrp]");
    }
}

fn line(out: &mut Vec<u8>, m: &[u8], len: u32, ttl: u8) -> Option<()> {
    let first = *m.first()?;
    let (version, kind) = (first >> 4, first & 0x0f);
    out.s("VRRPv");
    out.num(version);
    out.s(", ");
    if kind == TYPE_ADVERTISEMENT {
        out.s("Advertisement");
    } else {
        out.s("unknown type (");
        out.num(kind);
        out.s(")");
    }
    if ttl != REQUIRED_TTL {
        out.s(", (ttl ");
        out.num(ttl);
        out.s(")");
    }
    if kind != TYPE_ADVERTISEMENT {
        return Some(());
    }
    out.s(", vrid ");
    out.num(*m.get(1)?);
    out.s(", prio ");
    out.num(*m.get(2)?);
    if version == 2 {
        let auth = *m.get(4)?;
        out.s(", authtype ");
        match auth {
            0 => out.s("none"),
            1 => out.s("simple"),
            2 => out.s("ah"),
            a => {
                out.s("unknown (");
                out.num(a);
                out.s(")");
            }
        }
        out.s(", intvl ");
        out.num(*m.get(5)?);
        out.s("s");
    } else {
        let b = m.get(4..6)?;
        out.s(", intvl ");
        out.num(u16::from_be_bytes([b[0], b[1]]) & 0x0fff);
        out.s("cs");
    }
    out.s(", length ");
    out.num(len);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8], len: u32, ttl: u8) -> String {
        let mut out = Vec::new();
        print(&mut out, m, len, ttl);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn versions_ttl_and_cut_short() {
        let v2 = [
            0x21, 1, 100, 1, 0, 1, 0, 0, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(
            text(&v2, 20, 255),
            "VRRPv2, Advertisement, vrid 1, prio 100, authtype none, intvl 1s, length 20"
        );
        let v3 = [0x31, 128, 69, 1, 0, 100, 0, 0, 10, 0, 0, 1];
        assert_eq!(
            text(&v3, 12, 64),
            "VRRPv3, Advertisement, (ttl 64), vrid 128, prio 69, intvl 100cs, length 12"
        );
        assert_eq!(
            text(&v3[..4], 12, 64),
            "VRRPv3, Advertisement, (ttl 64), vrid 128, prio 69 [|vrrp]"
        );
        assert_eq!(text(&[0x33], 1, 1), "VRRPv3, unknown type (3), (ttl 1)");
    }
}
