//! Arista vendor-specific EtherType 0xd28b (TapAgg timestamp header): the view, its
//! decode and tcpdump's -e form `SubType Timestamp (0x0001), Timescale TAI (0),
//! Format 64-bit (1), HwInfo R/R2 (0), Timestamp 2019-05-29 20:36:39.944724424: `, after
//! which the frame goes on with its original type field.

use super::cursor::Bytes;
use super::text::TextOut;

const SUBTYPE_TIMESTAMP: u16 = 0x0001;
const FORMAT_64BIT: u8 = 1;
const FORMAT_48BIT: u8 = 2;

#[derive(Clone, Copy, Debug)]
pub struct Header {
    pub subtype: u16,
    /// Timescale, format and hardware info, when captured.
    pub version: Option<(u8, u8, u8)>,
    /// Seconds and nanoseconds, when the format is known and captured.
    pub timestamp: Option<(u64, u32)>,
    /// The type field after the header, once decoded.
    pub inner_type: Option<u16>,
}

/// How the header ends.
pub enum End {
    /// It is this long; the original type field follows.
    Known(usize),
    /// Cut short: tcpdump prints ` [|arista]` where it stopped.
    Cut,
    /// A subtype or format tcpdump does not know: it dumps the bytes.
    Unknown,
}

/// The header at the start of `data` (after the 0xd28b type field); `None` when its
/// subtype is not captured.
pub fn decode(data: &[u8]) -> Option<(Header, End)> {
    let b = Bytes(data);
    let subtype = b.be16(0)?;
    let mut h = Header {
        subtype,
        version: None,
        timestamp: None,
        inner_type: None,
    };
    if subtype != SUBTYPE_TIMESTAMP {
        return Some((h, End::Unknown));
    }
    let (Some(timescale), Some(v)) = (b.u8(2), b.u8(3)) else {
        return Some((h, End::Cut));
    };
    let format = v >> 4;
    h.version = Some((timescale, format, v & 0x0f));
    let (timestamp, len) = match format {
        FORMAT_64BIT => ((b.be32(4), b.be32(8)), 12),
        FORMAT_48BIT => ((b.be16(4).map(u32::from), b.be32(6)), 10),
        _ => return Some((h, End::Unknown)),
    };
    let (Some(seconds), Some(nanos)) = timestamp else {
        return Some((h, End::Cut));
    };
    h.timestamp = Some((
        u64::from(seconds) + u64::from(nanos / 1_000_000_000),
        nanos % 1_000_000_000,
    ));
    Some((h, End::Known(len)))
}

fn name(names: &[&'static str], i: u8) -> &'static str {
    names.get(usize::from(i)).copied().unwrap_or("Unknown")
}

/// The header as far as it was decoded; a complete one ends with `: `.
pub fn print(out: &mut Vec<u8>, h: &Header) {
    out.s("SubType ");
    out.s(if h.subtype == SUBTYPE_TIMESTAMP {
        "Timestamp"
    } else {
        "Unknown"
    });
    out.s(" (0x");
    out.hex(u64::from(h.subtype), 4);
    out.s("), ");
    let Some((timescale, format, hw)) = h.version else {
        return;
    };
    out.s("Timescale ");
    out.s(name(&["TAI", "UTC"], timescale));
    out.s(" (");
    out.num(timescale);
    out.s("), Format ");
    out.s(name(&["Unknown", "64-bit", "48-bit"], format));
    out.s(" (");
    out.num(format);
    out.s("), HwInfo ");
    out.s(name(&["R/R2", "R3"], hw));
    out.s(" (");
    out.num(hw);
    out.s("), Timestamp ");
    let Some((seconds, nanos)) = h.timestamp else {
        return;
    };
    if format == FORMAT_64BIT {
        date_time(out, seconds);
    } else {
        out.num(seconds);
    }
    out.s(".");
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(nanos);
    for _ in digits.len()..9 {
        out.s("0");
    }
    out.s(digits);
    out.s(": ");
}

/// `YYYY-MM-DD HH:MM:SS` (UTC) of `seconds` since 1970.
fn date_time(out: &mut Vec<u8>, seconds: u64) {
    let days = (seconds / 86_400) as i64;
    let secs = seconds % 86_400;
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let two = |out: &mut Vec<u8>, v: u64| {
        if v < 10 {
            out.s("0");
        }
        out.num(v);
    };
    out.num(year);
    out.s("-");
    two(out, month as u64);
    out.s("-");
    two(out, day as u64);
    out.s(" ");
    two(out, secs / 3600);
    out.s(":");
    two(out, secs / 60 % 60);
    out.s(":");
    two(out, secs % 60);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8]) -> (String, &'static str) {
        let (h, end) = decode(d).unwrap();
        let mut out = Vec::new();
        print(&mut out, &h);
        let end = match end {
            End::Known(_) => "known",
            End::Cut => "cut",
            End::Unknown => "unknown",
        };
        (String::from_utf8(out).unwrap(), end)
    }

    #[test]
    fn timestamps() {
        // 2019-05-29 20:36:39 is 1559162199 (0x5ceeed57).
        let d = [
            0, 1, 0, 0x10, 0x5c, 0xee, 0xed, 0x57, 0x38, 0x4f, 0x0b, 0xc8,
        ];
        assert_eq!(
            text(&d),
            (
                "SubType Timestamp (0x0001), Timescale TAI (0), Format 64-bit (1), \
                 HwInfo R/R2 (0), Timestamp 2019-05-29 20:36:39.944704456: "
                    .to_string(),
                "known"
            )
        );
        let d = [0, 1, 1, 0x21, 0xed, 0x95, 0x18, 0x15, 0x24, 0xd4];
        assert_eq!(
            text(&d),
            (
                "SubType Timestamp (0x0001), Timescale UTC (1), Format 48-bit (2), \
                 HwInfo R3 (1), Timestamp 60821.404038868: "
                    .to_string(),
                "known"
            )
        );
        assert_eq!(text(&d[..8]).1, "cut");
        assert_eq!(
            text(&[0, 2, 0]),
            ("SubType Unknown (0x0002), ".to_string(), "unknown")
        );
        assert!(decode(&[0]).is_none());
    }

    #[test]
    fn dates() {
        let date = |s: u64| {
            let mut out = Vec::new();
            date_time(&mut out, s);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(date(0), "1970-01-01 00:00:00");
        assert_eq!(date(951_782_400), "2000-02-29 00:00:00");
        assert_eq!(date(4_102_444_799), "2099-12-31 23:59:59");
    }
}
