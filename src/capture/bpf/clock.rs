//! CLOCK_MONOTONIC (what `bpf_ktime_get_ns` and perf stamp) to Unix time.

use std::time::{Duration, Instant};

/// Converts monotonic nanoseconds to Unix nanoseconds; the offset is re-measured at most
/// once a second by [`RealtimeClock::refresh`] (NTP steps, suspend).
pub struct RealtimeClock {
    offset_ns: i128,
    measured_at: Instant,
}

pub(crate) fn clock_ns(id: libc::clockid_t) -> i128 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: ts is a valid timespec to fill.
    unsafe { libc::clock_gettime(id, &mut ts) };
    ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128
}

impl RealtimeClock {
    pub fn new() -> RealtimeClock {
        let mut c = RealtimeClock {
            offset_ns: 0,
            measured_at: Instant::now(),
        };
        c.measure();
        c
    }

    fn measure(&mut self) {
        // Realtime read between two monotonic reads: the midpoint is its monotonic time.
        let m1 = clock_ns(libc::CLOCK_MONOTONIC);
        let r = clock_ns(libc::CLOCK_REALTIME);
        let m2 = clock_ns(libc::CLOCK_MONOTONIC);
        self.offset_ns = r - (m1 + m2) / 2;
        self.measured_at = Instant::now();
    }

    /// Re-measures the offset when a second has passed.
    pub fn refresh(&mut self) {
        if self.measured_at.elapsed() >= Duration::from_secs(1) {
            self.measure();
        }
    }

    pub fn to_realtime(&self, monotonic_ns: u64) -> u64 {
        (monotonic_ns as i128 + self.offset_ns).clamp(0, u64::MAX as i128) as u64
    }
}

impl Default for RealtimeClock {
    fn default() -> Self {
        RealtimeClock::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_converts_to_unix_time() {
        let c = RealtimeClock::new();
        let now_mono = clock_ns(libc::CLOCK_MONOTONIC) as u64;
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as i128;
        let got = c.to_realtime(now_mono) as i128;
        assert!((got - unix).abs() < 50_000_000, "off by {} ns", got - unix);
    }
}
