//! Arista's vendor EtherType (0xd28b) header before the real type field: the TapAgg
//! timestamp, `SubType Timestamp (0x0001), Timescale TAI (0), Format 64-bit (1), HwInfo
//! R/R2 (0), Timestamp 2019-05-29 20:36:39.944724424: `.

use super::text::TextOut;

pub const ETHER_TYPE: u16 = 0xd28b;
const SUBTYPE_TIMESTAMP: u16 = 0x0001;
const FORMAT_64BIT: u8 = 1;
const FORMAT_48BIT: u8 = 2;

/// A timestamp header tcpdump can read (other subtypes and formats are dumped).
#[derive(Clone, Copy, Debug)]
pub struct Timestamp {
    pub timescale: u8,
    pub format: u8,
    pub hw_info: u8,
    pub seconds: u64,
    pub nanoseconds: u32,
    /// Bytes of the header (before the next type field).
    pub len: usize,
}

/// The header at the start of `d`, when it is a timestamp of a known format.
pub fn parse(d: &[u8]) -> Option<Timestamp> {
    let h = d.get(..4)?;
    if u16::from_be_bytes([h[0], h[1]]) != SUBTYPE_TIMESTAMP {
        return None;
    }
    let (format, hw_info) = (h[3] >> 4, h[3] & 0x0f);
    let be32 = |s: &[u8]| u32::from_be_bytes([s[0], s[1], s[2], s[3]]);
    let (seconds, nanoseconds, len) = match format {
        FORMAT_64BIT => {
            let t = d.get(4..12)?;
            (u64::from(be32(&t[..4])), be32(&t[4..]), 12)
        }
        FORMAT_48BIT => {
            let t = d.get(4..10)?;
            (
                u64::from(u16::from_be_bytes([t[0], t[1]])),
                be32(&t[2..]),
                10,
            )
        }
        _ => return None,
    };
    Some(Timestamp {
        timescale: h[2],
        format,
        hw_info,
        seconds: seconds + u64::from(nanoseconds / 1_000_000_000),
        nanoseconds: nanoseconds % 1_000_000_000,
        len,
    })
}

fn pad(out: &mut Vec<u8>, v: u64, width: usize) {
    let digits = v.checked_ilog10().map_or(1, |d| d as usize + 1);
    for _ in digits..width {
        out.s("0");
    }
    out.num(v);
}

/// `2019-05-29 20:36:39` for seconds since 1970 (UTC).
fn date_time(out: &mut Vec<u8>, secs: u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    out.num(year);
    out.s("-");
    pad(out, month as u64, 2);
    out.s("-");
    pad(out, day as u64, 2);
    out.s(" ");
    pad(out, rem / 3600, 2);
    out.s(":");
    pad(out, rem / 60 % 60, 2);
    out.s(":");
    pad(out, rem % 60, 2);
}

/// The header's text, ending with `: `.
pub fn print(out: &mut Vec<u8>, t: &Timestamp) {
    out.s("SubType Timestamp (0x0001), Timescale ");
    out.s(match t.timescale {
        0 => "TAI",
        1 => "UTC",
        _ => "Unknown",
    });
    out.s(" (");
    out.num(t.timescale);
    out.s("), Format ");
    out.s(if t.format == FORMAT_64BIT {
        "64-bit"
    } else {
        "48-bit"
    });
    out.s(" (");
    out.num(t.format);
    out.s("), HwInfo ");
    out.s(match t.hw_info {
        0 => "R/R2",
        1 => "R3",
        _ => "Unknown",
    });
    out.s(" (");
    out.num(t.hw_info);
    out.s("), Timestamp ");
    if t.format == FORMAT_64BIT {
        date_time(out, t.seconds);
    } else {
        out.num(t.seconds);
    }
    out.s(".");
    pad(out, u64::from(t.nanoseconds), 9);
    out.s(": ");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let mut h = vec![0, 1, 0, 0x10];
        h.extend_from_slice(&1_559_162_199u32.to_be_bytes());
        h.extend_from_slice(&944_724_424u32.to_be_bytes());
        let t = parse(&h).unwrap();
        assert_eq!(t.len, 12);
        let mut out = Vec::new();
        print(&mut out, &t);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "SubType Timestamp (0x0001), Timescale TAI (0), Format 64-bit (1), HwInfo R/R2 (0), Timestamp 2019-05-29 20:36:39.944724424: "
        );
        let h48 = [0, 1, 1, 0x21, 0, 5, 0x3b, 0x9a, 0xca, 0x01];
        let mut out = Vec::new();
        print(&mut out, &parse(&h48).unwrap());
        assert!(out.ends_with(b"Timestamp 6.000000001: "));
        assert!(parse(&[0, 2, 0, 0x10]).is_none());
        assert!(parse(&h[..11]).is_none());
    }
}
