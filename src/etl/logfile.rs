//! The logfile header event (TRACE_LOGFILE_HEADER): session facts, the clock, and the time
//! zone; the conversion of event timestamps to wall-clock time.

use super::bytes::{i32_at, u16_at, u32_at, u64_at, utf16z_at};

/// FILETIME (100 ns since 1601-01-01 UTC) of the Unix epoch.
pub const FILETIME_UNIX_EPOCH: i64 = 116_444_736_000_000_000;

/// TRACE_LOGFILE_HEADER fields, in the names `pktmon format` prints them with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogfileHeader {
    pub buffer_size: u32,
    /// Major, minor, sub-version, sub-minor bytes (0x0002000A = Windows 10.0, format 2.0).
    pub version: u32,
    /// The Windows build number.
    pub provider_version: u32,
    pub number_of_processors: u32,
    pub end_time: i64,
    pub timer_resolution: u32,
    pub maximum_file_size: u32,
    pub log_file_mode: u32,
    pub buffers_written: u32,
    pub start_buffers: u32,
    pub pointer_size: u32,
    pub events_lost: u32,
    pub cpu_speed_mhz: u32,
    pub logger_name_ptr: u64,
    pub log_file_name_ptr: u64,
    pub time_zone: TimeZone,
    pub boot_time: i64,
    pub perf_freq: u64,
    pub start_time: i64,
    /// Clock type: 1 QPC, 2 system time, 3 CPU cycle counter.
    pub reserved_flags: u32,
    pub buffers_lost: u32,
    pub logger_name: String,
    pub log_file_name: String,
}

/// The parts of TIME_ZONE_INFORMATION needed to turn UTC into the capture machine's local time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimeZone {
    /// Minutes; UTC = local + bias.
    pub bias: i32,
    pub standard_bias: i32,
    pub daylight_bias: i32,
    pub standard_date: SystemTime,
    pub daylight_date: SystemTime,
}

/// SYSTEMTIME as used by TIME_ZONE_INFORMATION's transition rules (`year` 0 = "every year,
/// `day` is the week of the month, 5 = last").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SystemTime {
    pub year: u16,
    pub month: u16,
    pub day_of_week: u16,
    pub day: u16,
    pub hour: u16,
    pub minute: u16,
    pub second: u16,
}

impl SystemTime {
    fn parse(b: &[u8], off: usize) -> Option<SystemTime> {
        Some(SystemTime {
            year: u16_at(b, off)?,
            month: u16_at(b, off + 2)?,
            day_of_week: u16_at(b, off + 4)?,
            day: u16_at(b, off + 6)?,
            hour: u16_at(b, off + 8)?,
            minute: u16_at(b, off + 10)?,
            second: u16_at(b, off + 12)?,
        })
    }
}

impl LogfileHeader {
    /// Parses the data of the logfile header event (after its SYSTEM_TRACE_HEADER);
    /// `pointer64` comes from the header type. `None` if the data is too short.
    pub fn parse(d: &[u8], pointer64: bool) -> Option<LogfileHeader> {
        // Offsets past LoggerName/LogFileName shift by 8 in the 32-bit layout.
        let (ptr_size, shift) = if pointer64 { (8, 0) } else { (4, 8) };
        let ptr = |o: usize| -> Option<u64> {
            if pointer64 {
                u64_at(d, o)
            } else {
                u32_at(d, o).map(u64::from)
            }
        };
        let tz = 0x48 - shift;
        let after = 0xF8 - shift;
        let end = after + 0x20;
        let mut h = LogfileHeader {
            buffer_size: u32_at(d, 0x00)?,
            version: u32_at(d, 0x04)?,
            provider_version: u32_at(d, 0x08)?,
            number_of_processors: u32_at(d, 0x0C)?,
            end_time: u64_at(d, 0x10)? as i64,
            timer_resolution: u32_at(d, 0x18)?,
            maximum_file_size: u32_at(d, 0x1C)?,
            log_file_mode: u32_at(d, 0x20)?,
            buffers_written: u32_at(d, 0x24)?,
            start_buffers: u32_at(d, 0x28)?,
            pointer_size: u32_at(d, 0x2C)?,
            events_lost: u32_at(d, 0x30)?,
            cpu_speed_mhz: u32_at(d, 0x34)?,
            logger_name_ptr: ptr(0x38)?,
            log_file_name_ptr: ptr(0x38 + ptr_size)?,
            time_zone: TimeZone {
                bias: i32_at(d, tz)?,
                standard_date: SystemTime::parse(d, tz + 4 + 64)?,
                standard_bias: i32_at(d, tz + 4 + 64 + 16)?,
                daylight_date: SystemTime::parse(d, tz + 4 + 64 + 16 + 4 + 64)?,
                daylight_bias: i32_at(d, tz + 4 + 64 + 16 + 4 + 64 + 16)?,
            },
            boot_time: u64_at(d, after)? as i64,
            perf_freq: u64_at(d, after + 8)?,
            start_time: u64_at(d, after + 0x10)? as i64,
            reserved_flags: u32_at(d, after + 0x18)?,
            buffers_lost: u32_at(d, after + 0x1C)?,
            logger_name: String::new(),
            log_file_name: String::new(),
        };
        if let Some((name, used)) = utf16z_at(d, end) {
            h.logger_name = name;
            if let Some((file, _)) = utf16z_at(d, end + used) {
                h.log_file_name = file;
            }
        }
        Some(h)
    }

    /// True for files whose buffers are LZ77-compressed (EVENT_TRACE_COMPRESSED_MODE).
    pub fn compressed_mode(&self) -> bool {
        self.log_file_mode & 0x0400_0000 != 0
    }
}

/// Converts session-clock timestamps to FILETIME, anchored at the logfile header event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Clock {
    kind: ClockKind,
    start_time: i64,
    header_ts: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClockKind {
    /// Ticks per second (QPC).
    Ticks(u64),
    /// Timestamps already are FILETIMEs.
    SystemTime,
}

impl Clock {
    /// `None` if the header names a clock that cannot be converted (zero frequency).
    pub fn new(h: &LogfileHeader, header_ts: u64) -> Option<Clock> {
        let kind = match h.reserved_flags {
            2 => ClockKind::SystemTime,
            // CPU cycle counter: MHz million ticks per second.
            3 => ClockKind::Ticks(u64::from(h.cpu_speed_mhz).checked_mul(1_000_000)?),
            _ => ClockKind::Ticks(h.perf_freq),
        };
        if kind == ClockKind::Ticks(0) {
            return None;
        }
        Some(Clock {
            kind,
            start_time: h.start_time,
            header_ts,
        })
    }

    /// FILETIME of a session-clock timestamp (saturating at the i64 range).
    pub fn filetime(&self, ts: u64) -> i64 {
        match self.kind {
            ClockKind::SystemTime => ts as i64,
            // 100-ns ticks (every sample): no scaling, no 128-bit division.
            ClockKind::Ticks(10_000_000) => self
                .start_time
                .saturating_add((ts as i64).wrapping_sub(self.header_ts as i64)),
            ClockKind::Ticks(freq) => {
                let delta = i128::from(ts) - i128::from(self.header_ts);
                let t = i128::from(self.start_time) + delta * 10_000_000 / i128::from(freq);
                t.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
            }
        }
    }
}

/// Nanoseconds since the Unix epoch of a FILETIME (0 for times before 1970).
pub fn filetime_to_unix_ns(ft: i64) -> u64 {
    let t = ft.saturating_sub(FILETIME_UNIX_EPOCH);
    if t <= 0 { 0 } else { (t as u64) * 100 }
}

impl TimeZone {
    /// Minutes to subtract from UTC to get local time at `utc_ft` (bias plus the standard or
    /// daylight bias, whichever rule is in force then).
    pub fn bias_at(&self, utc_ft: i64) -> i64 {
        let base = i64::from(self.bias);
        if self.daylight_date.month == 0 || self.standard_date.month == 0 {
            return base + i64::from(self.standard_bias);
        }
        let local_std = utc_ft - (base + i64::from(self.standard_bias)) * 600_000_000;
        let (year, ..) = civil_from_filetime(local_std);
        let (Some(dst_start), Some(dst_end)) = (
            transition(year, &self.daylight_date),
            transition(year, &self.standard_date),
        ) else {
            return base + i64::from(self.standard_bias);
        };
        // Transitions are in local time: DST starts at standard time, ends at daylight time.
        let utc_start = dst_start + (base + i64::from(self.standard_bias)) * 600_000_000;
        let utc_end = dst_end + (base + i64::from(self.daylight_bias)) * 600_000_000;
        let in_dst = if utc_start < utc_end {
            utc_ft >= utc_start && utc_ft < utc_end
        } else {
            // Southern hemisphere: DST spans the new year.
            utc_ft >= utc_start || utc_ft < utc_end
        };
        base + i64::from(if in_dst {
            self.daylight_bias
        } else {
            self.standard_bias
        })
    }

    /// Local FILETIME for a UTC FILETIME.
    pub fn to_local(&self, utc_ft: i64) -> i64 {
        utc_ft.saturating_sub(self.bias_at(utc_ft).saturating_mul(600_000_000))
    }
}

/// Local FILETIME of a transition rule in `year`.
fn transition(year: i64, st: &SystemTime) -> Option<i64> {
    if !(1..=12).contains(&st.month) {
        return None;
    }
    let month = i64::from(st.month);
    let day = if st.year != 0 {
        i64::from(st.day)
    } else {
        // `day`-th `day_of_week` of the month (5 = last).
        let first = days_from_civil(year, month, 1);
        let dow_first = (first + 4).rem_euclid(7); // 1970-01-01 was a Thursday (4)
        let mut d = 1 + (i64::from(st.day_of_week) - dow_first).rem_euclid(7);
        d += 7 * (i64::from(st.day.clamp(1, 5)) - 1);
        let len = days_in_month(year, month);
        while d > len {
            d -= 7;
        }
        d
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400
        + i64::from(st.hour) * 3600
        + i64::from(st.minute) * 60
        + i64::from(st.second);
    Some(FILETIME_UNIX_EPOCH + secs * 10_000_000)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    days_from_civil(
        if m == 12 { y + 1 } else { y },
        if m == 12 { 1 } else { m + 1 },
        1,
    ) - days_from_civil(y, m, 1)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of days since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Calendar fields of a FILETIME: (year, month, day, hour, minute, second, 100-ns fraction).
pub fn civil_from_filetime(ft: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let t = ft - FILETIME_UNIX_EPOCH;
    let secs = t.div_euclid(10_000_000);
    let frac = t.rem_euclid(10_000_000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (y, m, d, sod / 3600, sod % 3600 / 60, sod % 60, frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000i64, -1, 0, 59, 365, 18_781, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(18_781), (2021, 6, 3));
    }

    #[test]
    fn filetime_fields() {
        // 2021-06-03 13:49:55.4540046 UTC (StartTime of sample -a).
        let (y, mo, d, h, mi, s, f) = civil_from_filetime(132_672_017_954_540_046);
        assert_eq!((y, mo, d, h, mi, s, f), (2021, 6, 3, 13, 49, 55, 4_540_046));
        assert_eq!(filetime_to_unix_ns(FILETIME_UNIX_EPOCH + 15), 1500);
        assert_eq!(filetime_to_unix_ns(0), 0);
    }

    #[test]
    fn clock_converts_qpc_ticks() {
        let h = LogfileHeader {
            perf_freq: 3_000_000,
            start_time: 1_000_000_000,
            reserved_flags: 1,
            ..test_header()
        };
        let c = Clock::new(&h, 500).unwrap();
        assert_eq!(c.filetime(500), 1_000_000_000);
        assert_eq!(c.filetime(500 + 3_000_000), 1_000_000_000 + 10_000_000);
        assert_eq!(c.filetime(200), 1_000_000_000 - 1000);
        let zero = LogfileHeader {
            perf_freq: 0,
            ..h.clone()
        };
        assert!(Clock::new(&zero, 0).is_none());
    }

    #[test]
    fn daylight_saving_rules() {
        // Central Europe: bias -60, DST from last Sunday of March 02:00 to last Sunday of
        // October 03:00, daylight bias -60.
        let tz = TimeZone {
            bias: -60,
            standard_bias: 0,
            daylight_bias: -60,
            standard_date: SystemTime {
                month: 10,
                day: 5,
                hour: 3,
                ..Default::default()
            },
            daylight_date: SystemTime {
                month: 3,
                day: 5,
                hour: 2,
                ..Default::default()
            },
        };
        let ft =
            |y, m, d, h| FILETIME_UNIX_EPOCH + (days_from_civil(y, m, d) * 24 + h) * 36_000_000_000;
        assert_eq!(tz.bias_at(ft(2021, 1, 15, 12)), -60);
        assert_eq!(tz.bias_at(ft(2021, 6, 3, 12)), -120);
        // 2021-03-28 01:00 UTC = 03:00 CEST: DST has begun; 00:59 UTC it has not.
        assert_eq!(tz.bias_at(ft(2021, 3, 28, 1)), -120);
        assert_eq!(tz.bias_at(ft(2021, 3, 28, 1) - 600_000_000), -60);
        // 2021-10-31 01:00 UTC = 02:00 CET: DST is over.
        assert_eq!(tz.bias_at(ft(2021, 10, 31, 1)), -60);
        assert_eq!(tz.bias_at(ft(2021, 10, 31, 1) - 1), -120);
        let ist = TimeZone {
            bias: -330,
            ..Default::default()
        };
        assert_eq!(ist.to_local(0), 330 * 600_000_000);
    }

    fn test_header() -> LogfileHeader {
        LogfileHeader {
            buffer_size: 0,
            version: 0,
            provider_version: 0,
            number_of_processors: 0,
            end_time: 0,
            timer_resolution: 0,
            maximum_file_size: 0,
            log_file_mode: 0,
            buffers_written: 0,
            start_buffers: 0,
            pointer_size: 8,
            events_lost: 0,
            cpu_speed_mhz: 0,
            logger_name_ptr: 0,
            log_file_name_ptr: 0,
            time_zone: TimeZone::default(),
            boot_time: 0,
            perf_freq: 10_000_000,
            start_time: 0,
            reserved_flags: 1,
            buffers_lost: 0,
            logger_name: String::new(),
            log_file_name: String::new(),
        }
    }
}
