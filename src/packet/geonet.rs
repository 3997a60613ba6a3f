//! ETSI GeoNetworking (EtherType 0x8947, 0x0707 before 2013): tcpdump's default line,
//! `GeoNet src:..; v:0 NH:1-BTP-A HT:5-0-TopoScopeBcast-SH HopLim:1 Payload:42
//! GN_ADDR:.. lat:.. lon:..; BTP Dst:2001 Src:0; ItsPduHeader v:1 t:2-CAM`.

use super::cursor::Bytes;
use super::text::TextOut;

const COMMON_HEADER_LEN: u32 = 36;

/// Why tcpdump stops before the end of a message.
enum Stop {
    /// Past the captured bytes: ` [|geonet]`.
    Truncated,
    /// A length that does not fit: ` (invalid)`.
    Invalid,
}

fn get<T>(v: Option<T>) -> Result<T, Stop> {
    v.ok_or(Stop::Truncated)
}

fn next_header(n: u8) -> &'static str {
    match n {
        0 => "Any",
        1 => "BTP-A",
        2 => "BTP-B",
        3 => "IPv6",
        _ => "Unknown",
    }
}

fn header_type(t: u8, sub: u8) -> &'static str {
    match (t, sub) {
        (0, _) => "Any",
        (1, _) => "Beacon",
        (2, _) => "GeoUnicast",
        (3, 0) => "GeoAnycastCircle",
        (3, 1) => "GeoAnycastRect",
        (3, 2) => "GeoAnycastElipse",
        (4, 0) => "GeoBroadcastCircle",
        (4, 1) => "GeoBroadcastRect",
        (4, 2) => "GeoBroadcastElipse",
        (5, 0) => "TopoScopeBcast-SH",
        (5, 1) => "TopoScopeBcast-MH",
        (6, 0) => "LocService-Request",
        (6, 1) => "LocService-Reply",
        _ => "Unknown",
    }
}

/// The extended header's length, for the header types tcpdump looks past.
fn extended_header_len(t: u8, sub: u8) -> Option<u32> {
    match (t, sub) {
        (0 | 1, _) | (5, 0) => Some(0),
        (5, 1) => Some(68 - COMMON_HEADER_LEN),
        _ => None,
    }
}

fn its_message(t: u8) -> Option<&'static str> {
    Some(match t {
        0 => "CAM",
        1 => "DENM",
        101 => "TPEGM",
        102 => "TSPDM",
        103 => "VPM",
        104 => "SRM",
        105 => "SLAM",
        106 => "ecoCAM",
        107 => "ITM",
        150 => "SA",
        _ => return None,
    })
}

/// Appends the line for a packet of wire length `len` whose captured bytes are `data`,
/// sent from `source`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, source: Option<&[u8; 6]>) {
    out.s("GeoNet ");
    if let Some(mac) = source {
        out.s("src:");
        out.mac(mac);
    }
    out.s("; ");
    match packet(out, Bytes(data), len) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|geonet]"),
        Err(Stop::Invalid) => out.s(" (invalid)"),
    }
}

fn packet(out: &mut Vec<u8>, b: Bytes<'_>, len: u32) -> Result<(), Stop> {
    if len < COMMON_HEADER_LEN {
        out.s(" (common header length ");
        out.num(len);
        out.s(" < 36)");
        return Err(Stop::Invalid);
    }
    let first = get(b.u8(0))?;
    let (version, next) = (first >> 4, first & 0x0f);
    let second = get(b.u8(1))?;
    let (kind, sub) = (second >> 4, second & 0x0f);
    let payload = get(b.be16(4))?;
    let hop_limit = get(b.u8(7))?;
    out.s("v:");
    out.num(version);
    out.s(" NH:");
    out.num(next);
    out.s("-");
    out.s(next_header(next));
    out.s(" HT:");
    out.num(kind);
    out.s("-");
    out.num(sub);
    out.s("-");
    out.s(header_type(kind, sub));
    out.s(" HopLim:");
    out.num(hop_limit);
    out.s(" Payload:");
    out.num(payload);
    out.s(" ");
    let address = get(b.0.get(8..16))?;
    out.s("GN_ADDR:");
    for (i, &byte) in address.iter().enumerate() {
        if i > 0 {
            out.s(":");
        }
        out.hex(u64::from(byte), 2);
    }
    out.s(" ");
    out.s("lat:");
    out.num(get(b.be(20, 4))?);
    out.s(" ");
    out.s("lon:");
    out.num(get(b.be(24, 4))?);
    get(b.0.get(..COMMON_HEADER_LEN as usize))?;
    let Some(ext_len) = extended_header_len(kind, sub) else {
        return Ok(());
    };
    let left = len - COMMON_HEADER_LEN;
    if left < ext_len {
        out.s(" (header size ");
        out.num(ext_len);
        out.s(" > ");
        out.num(left);
        out.s(")");
        return Err(Stop::Invalid);
    }
    let at = (COMMON_HEADER_LEN + ext_len) as usize;
    get(b.0.get(..at))?;
    let left = left - ext_len;
    if next == 1 || next == 2 {
        if left < 4 {
            out.s(" (BTP length ");
            out.num(left);
            out.s(" < 4)");
            return Err(Stop::Invalid);
        }
        out.s("; BTP Dst:");
        out.num(get(b.be16(at))?);
        out.s(" Src:");
        out.num(get(b.be16(at + 2))?);
        if left - 4 >= 2 {
            out.s("; ItsPduHeader v:");
            out.num(get(b.u8(at + 4))?);
            let t = get(b.u8(at + 5))?;
            out.s(" t:");
            out.num(t);
            out.s("-");
            out.name_or_unknown(its_message(t), t);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: [u8; 6] = [0x00, 0x0c, 0x42, 0x6d, 0x54, 0xdb];

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len, Some(&SOURCE));
        String::from_utf8(out).unwrap()
    }

    fn header(first: u8, second: u8) -> Vec<u8> {
        let mut h = vec![first, second, 0, 0, 0, 42, 0, 1];
        h.extend_from_slice(&[0, 0, 0, 0x0c, 0x42, 0x6d, 0x54, 0xdb]);
        h.extend_from_slice(&[0; 4]);
        h.extend_from_slice(&[0x1e, 0xae, 0xc2, 0x9a, 0x03, 0x5f, 0x9b, 0x1b]);
        h.extend_from_slice(&[0; 8]);
        h
    }

    const START: &str = "GeoNet src:00-0C-42-6D-54-DB; v:0 ";
    const POSITION: &str = "HopLim:1 Payload:42 GN_ADDR:00:00:00:0c:42:6d:54:db \
                            lat:514769562 lon:56597275";

    #[test]
    fn beacon_and_btp() {
        assert_eq!(
            text(&header(0x00, 0x10), 36),
            format!("{START}NH:0-Any HT:1-0-Beacon {POSITION}")
        );
        let mut m = header(0x01, 0x50);
        m.extend_from_slice(&[0x07, 0xd1, 0, 0, 1, 2]);
        assert_eq!(
            text(&m, 42),
            format!(
                "{START}NH:1-BTP-A HT:5-0-TopoScopeBcast-SH {POSITION}; BTP Dst:2001 Src:0; \
                 ItsPduHeader v:1 t:2-unknown (2)"
            )
        );
        assert_eq!(
            text(&m, 40),
            format!("{START}NH:1-BTP-A HT:5-0-TopoScopeBcast-SH {POSITION}; BTP Dst:2001 Src:0")
        );
        assert_eq!(
            text(&m, 38),
            format!(
                "{START}NH:1-BTP-A HT:5-0-TopoScopeBcast-SH {POSITION} (BTP length 2 < 4) (invalid)"
            )
        );
        let m = header(0x02, 0x51);
        assert_eq!(
            text(&m, 40),
            format!(
                "{START}NH:2-BTP-B HT:5-1-TopoScopeBcast-MH {POSITION} (header size 32 > 4) (invalid)"
            )
        );
    }

    #[test]
    fn short() {
        assert_eq!(
            text(&header(0, 0x10), 35),
            "GeoNet src:00-0C-42-6D-54-DB;  (common header length 35 < 36) (invalid)"
        );
        assert_eq!(
            text(&header(0, 0x10)[..6], 36),
            "GeoNet src:00-0C-42-6D-54-DB;  [|geonet]"
        );
        assert_eq!(
            text(&header(0, 0x10)[..30], 36),
            format!("{START}NH:0-Any HT:1-0-Beacon {POSITION} [|geonet]")
        );
        assert_eq!(
            text(&header(0, 0x10)[..15], 36),
            format!("{START}NH:0-Any HT:1-0-Beacon HopLim:1 Payload:42  [|geonet]")
        );
    }
}
