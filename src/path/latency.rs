//! Latency per hop: for each pair of consecutive components a packet crossed (A → B), the
//! delays between its sightings there, kept as an HDR histogram (2 significant digits,
//! 1 ns to 100 s) so that p50/p99/max stay exact enough at any rate in fixed memory.

use hdrhistogram::Histogram;
use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

const HIGHEST_NS: u64 = 100_000_000_000;

/// What `counters` shows for one hop.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HopSummary {
    pub from: u32,
    pub to: u32,
    pub packets: u64,
    pub p50_ns: u64,
    pub p99_ns: u64,
    pub max_ns: u64,
}

#[derive(Debug, Default)]
pub struct HopLatencies {
    hops: HashMap<(u32, u32), Histogram<u64>>,
    /// Hops in the order first seen (a stable display order).
    order: Vec<(u32, u32)>,
}

impl HopLatencies {
    pub fn new() -> HopLatencies {
        HopLatencies::default()
    }

    /// One packet went from `from` to `to` in `delay_ns`.
    pub fn record(&mut self, from: u32, to: u32, delay_ns: u64) {
        let h = match self.hops.get_mut(&(from, to)) {
            Some(h) => h,
            None => {
                let Ok(h) = Histogram::new_with_bounds(1, HIGHEST_NS, 2) else {
                    return;
                };
                self.order.push((from, to));
                self.hops.entry((from, to)).or_insert(h)
            }
        };
        h.saturating_record(delay_ns.max(1));
    }

    pub fn summaries(&self) -> Vec<HopSummary> {
        self.order
            .iter()
            .filter_map(|k| {
                let h = self.hops.get(k)?;
                Some(HopSummary {
                    from: k.0,
                    to: k.1,
                    packets: h.len(),
                    p50_ns: h.value_at_quantile(0.5),
                    p99_ns: h.value_at_quantile(0.99),
                    max_ns: h.max(),
                })
            })
            .collect()
    }

    pub fn reset(&mut self) {
        self.hops.clear();
        self.order.clear();
    }
}

/// Hop latencies of a finished capture, from its records' groups: each record that is not
/// its group's first appearance closes a hop from the group's previous sighting.
#[derive(Debug, Default)]
pub struct HopReplay {
    last: HashMap<u64, (u32, u64)>,
    pub hops: HopLatencies,
}

impl HopReplay {
    /// Feeds one flow sighting (group, component, time) in file order.
    pub fn sighting(&mut self, group_id: u64, component: u32, ts: u64) {
        if let Some((from, t0)) = self.last.insert(group_id, (component, ts))
            && from != component
        {
            self.hops.record(from, component, ts.saturating_sub(t0));
        }
        // Bound memory on long files: groups are short-lived.
        if self.last.len() > 1 << 20 {
            self.last.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_per_hop_in_first_seen_order() {
        let mut h = HopLatencies::new();
        for i in 1..=100u64 {
            h.record(1, 2, i * 1_000);
        }
        h.record(2, 3, 5_000_000);
        let s = h.summaries();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].from, s[0].to, s[0].packets), (1, 2, 100));
        // Two significant digits: within 1%.
        assert!((49_000..=51_000).contains(&s[0].p50_ns), "{:?}", s[0]);
        assert!((98_000..=100_000).contains(&s[0].p99_ns), "{:?}", s[0]);
        assert!((99_000..=101_000).contains(&s[0].max_ns), "{:?}", s[0]);
        assert_eq!((s[1].from, s[1].to, s[1].packets), (2, 3, 1));
        h.reset();
        assert!(h.summaries().is_empty());
    }

    #[test]
    fn replay_closes_a_hop_per_later_sighting() {
        let mut r = HopReplay::default();
        r.sighting(7, 1, 100);
        r.sighting(8, 1, 150);
        r.sighting(7, 2, 400);
        r.sighting(7, 3, 1_000);
        r.sighting(8, 2, 350);
        let s = r.hops.summaries();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].from, s[0].to, s[0].packets), (1, 2, 2));
        assert_eq!((s[1].from, s[1].to, s[1].packets), (2, 3, 1));
        assert!((590..=610).contains(&s[1].p50_ns));
    }
}
