//! `--stats-only`'s latency per hop: the log's flow records replayed through
//! [`HopReplay`] (group, component, time, in file order, which is appearance order in
//! every log we read) and rendered as `counters` renders a live session's hops.

use crate::counters::CounterSet;
use crate::counters::table::render_hops;
use crate::path::HopReplay;
use crate::record::PacketRecord;

#[derive(Debug, Default)]
pub struct LogHops {
    replay: HopReplay,
}

impl LogHops {
    /// One record of the log. Drops are no sighting of a hop: the packet went nowhere.
    pub fn record(&mut self, rec: &PacketRecord) {
        if !rec.is_drop() {
            self.replay
                .sighting(rec.group_id, rec.component, rec.timestamp_ns);
        }
    }

    /// Latency per hop so far.
    pub fn summaries(&self) -> Vec<crate::path::HopSummary> {
        self.replay.hops.summaries()
    }

    /// The section (None when no packet was seen at two components), components named
    /// by `name` (else `Component <id>`).
    pub fn render(&self, name: impl Fn(u32) -> Option<String>) -> Option<String> {
        let hops = self.replay.hops.summaries();
        let mut ids: Vec<u32> = hops.iter().flat_map(|h| [h.from, h.to]).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut set = CounterSet::new(
            ids.into_iter()
                .filter_map(|id| Some((id, name(id)?, false))),
        );
        set.hops = hops;
        render_hops(&set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{LinkType, RecordKind};
    use std::borrow::Cow;

    fn seen(group: u64, component: u32, ts: u64) -> PacketRecord<'static> {
        let mut r = PacketRecord::flow(component, LinkType::ETHERNET, ts, &[]);
        r.group_id = group;
        r
    }

    #[test]
    fn flows_make_hops_in_appearance_order_and_drops_do_not() {
        let mut h = LogHops::default();
        assert!(h.render(|_| None).is_none());
        // Two packets a -> b (100 and 250 ns: exact in the histogram), one of them on to
        // c; a drop after b.
        for r in [
            seen(1, 10, 1_000),
            seen(2, 10, 2_000),
            seen(1, 20, 1_100),
            seen(2, 20, 2_250),
            seen(1, 30, 1_300),
        ] {
            h.record(&r);
        }
        let mut dropped = seen(2, 30, 9_000);
        dropped.kind = RecordKind::Drop {
            reason: Cow::Borrowed("NETFILTER_DROP"),
            location: Cow::Borrowed(""),
        };
        h.record(&dropped);
        let names = |id: u32| (id != 30).then(|| format!("if{id}@ns"));
        let t = h.render(names).expect("hops");
        let rows: Vec<Vec<&str>> = t
            .lines()
            .skip(2)
            .map(|l| {
                l.split("  ")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .filter(|r: &Vec<&str>| !r.is_empty())
            .collect();
        assert!(t.starts_with("Latency per hop\n"), "{t}");
        assert_eq!(
            rows,
            vec![
                vec![
                    "if10@ns (10)",
                    "if20@ns (20)",
                    "2",
                    "100 ns",
                    "250 ns",
                    "250 ns"
                ],
                vec![
                    "if20@ns (20)",
                    "Component 30",
                    "1",
                    "200 ns",
                    "200 ns",
                    "200 ns"
                ],
            ],
            "{t}"
        );
    }
}
