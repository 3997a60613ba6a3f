//! `pktmon counters` rendering: the §3.6 table (a group per component, `Rx … | Tx …`,
//! comma-grouped numbers, long names cut with `...`) and the JSON shape.

use super::{ComponentCounters, Count, CounterSet};
use crate::output::group_thousands;
use serde_json::{Value, json};

/// Which counters to show (`--type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CounterType {
    All,
    Flow,
    Drop,
}

#[derive(Clone, Copy, Debug)]
pub struct View {
    pub kind: CounterType,
    pub include_hidden: bool,
    pub zeros: bool,
    pub drop_reason: bool,
}

struct Row<'a> {
    counter: &'static str,
    drop: bool,
    rx: Count,
    tx: Count,
    reason: Option<&'a str>,
}

fn rows<'a>(c: &'a ComponentCounters, v: &View) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    if v.kind != CounterType::Drop {
        out.push(Row {
            counter: "Upper",
            drop: false,
            rx: c.rx,
            tx: c.tx,
            reason: None,
        });
    }
    if v.kind != CounterType::Flow {
        out.push(Row {
            counter: "Drop",
            drop: true,
            rx: c.drop_rx,
            tx: c.drop_tx,
            reason: c.last_drop_reason.as_deref(),
        });
        out.push(Row {
            counter: "Iface drop",
            drop: true,
            rx: Count {
                packets: c.iface_rx_dropped,
                bytes: 0,
            },
            tx: Count {
                packets: c.iface_tx_dropped,
                bytes: 0,
            },
            reason: None,
        });
    }
    out.retain(|r| v.zeros || !(r.rx.is_zero() && r.tx.is_zero()));
    out
}

const NAME_WIDTH: usize = 17;

fn cut(name: &str) -> String {
    if name.chars().count() <= NAME_WIDTH {
        name.to_string()
    } else {
        let head: String = name.chars().take(NAME_WIDTH - 3).collect();
        format!("{head}...")
    }
}

/// The table; `None` when no row is left to show.
pub fn render(set: &CounterSet, v: &View) -> Option<String> {
    let shown: Vec<(&ComponentCounters, Vec<Row<'_>>)> = set
        .components
        .iter()
        .filter(|c| v.include_hidden || !c.hidden)
        .map(|c| (c, rows(c, v)))
        .filter(|(_, r)| !r.is_empty())
        .collect();
    if shown.is_empty() {
        return None;
    }
    let all_rows = || {
        shown
            .iter()
            .flat_map(|(c, rs)| rs.iter().map(move |r| (*c, r)))
    };
    let w = |f: &dyn Fn(&ComponentCounters, &Row) -> String, header: &str| {
        all_rows()
            .map(|(c, r)| f(c, r).chars().count())
            .chain([header.len()])
            .max()
            .unwrap_or(0)
    };
    let id_w = w(&|c, _| c.id.to_string(), "Id");
    let counter_w = w(&|_, r| r.counter.to_string(), "Counter");
    let rxp_w = w(&|_, r| group_thousands(r.rx.packets), "Packets");
    let rxb_w = w(&|_, r| group_thousands(r.rx.bytes), "Bytes");
    let txp_w = w(&|_, r| group_thousands(r.tx.packets), "Packets");
    let txb_w = w(&|_, r| group_thousands(r.tx.bytes), "Bytes");
    let line = |id: &str, name: &str, counter: &str, cols: [&str; 6], reason: Option<&str>| {
        let mut s = format!(
            " {id:>id_w$} {name:<NAME_WIDTH$} {counter:<counter_w$} {:<9} {:>rxp_w$} {:>rxb_w$} | {:<9} {:>txp_w$} {:>txb_w$}",
            cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]
        );
        if let Some(r) = reason {
            s.push(' ');
            s.push_str(r);
        }
        format!("{}\n", s.trim_end())
    };
    let mut out = String::new();
    for (c, rs) in &shown {
        out.push_str(&format!("{}\n", c.name));
        out.push_str(&line(
            "Id",
            "Name",
            "Counter",
            [
                "Direction",
                "Packets",
                "Bytes",
                "Direction",
                "Packets",
                "Bytes",
            ],
            v.drop_reason.then_some("Drop Reason"),
        ));
        for r in rs {
            let (rp, rb, tp, tb) = (
                group_thousands(r.rx.packets),
                group_thousands(r.rx.bytes),
                group_thousands(r.tx.packets),
                group_thousands(r.tx.bytes),
            );
            let reason = if v.drop_reason && r.drop {
                Some(r.reason.unwrap_or(""))
            } else {
                None
            };
            out.push_str(&line(
                &c.id.to_string(),
                &cut(&c.name),
                r.counter,
                ["Rx", &rp, &rb, "Tx", &tp, &tb],
                reason,
            ));
        }
        out.push('\n');
    }
    Some(out)
}

/// A delay as people read it: ns, µs or ms with three significant digits.
pub fn human_delay(ns: u64) -> String {
    let f = ns as f64;
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{:.3} us", f / 1e3)
    } else if ns < 1_000_000_000 {
        format!("{:.3} ms", f / 1e6)
    } else {
        format!("{:.3} s", f / 1e9)
    }
}

/// The per-hop latency section: one line per pair of consecutive components a packet
/// crossed (None when no packet crossed two).
pub fn render_hops(set: &CounterSet) -> Option<String> {
    if set.hops.is_empty() {
        return None;
    }
    let name = |id: u32| {
        set.components
            .iter()
            .find(|c| c.id == id)
            .map(|c| format!("{} ({id})", cut(&c.name)))
            .unwrap_or_else(|| format!("Component {id}"))
    };
    let rows: Vec<[String; 6]> = set
        .hops
        .iter()
        .map(|h| {
            [
                name(h.from),
                name(h.to),
                group_thousands(h.packets),
                human_delay(h.p50_ns),
                human_delay(h.p99_ns),
                human_delay(h.max_ns),
            ]
        })
        .collect();
    let header = ["From", "To", "Packets", "p50", "p99", "max"];
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cols: [&str; 6]| {
        let mut s = String::from(" ");
        for (i, c) in cols.iter().enumerate() {
            if i < 2 {
                s.push_str(&format!("{c:<w$}  ", w = widths[i]));
            } else {
                s.push_str(&format!("{c:>w$}  ", w = widths[i]));
            }
        }
        format!("{}\n", s.trim_end())
    };
    let mut out = String::from("Latency per hop\n");
    out.push_str(&line(header));
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]));
    }
    out.push('\n');
    Some(out)
}

/// The §3.6 JSON shape (implies `-i` and `-r`); each component also lists the hops that
/// leave it (`Hops`: to, packets, p50/p99/max in ns).
pub fn to_json(set: &CounterSet, kind: CounterType, zeros: bool) -> Value {
    let v = View {
        kind,
        include_hidden: true,
        zeros,
        drop_reason: true,
    };
    Value::Array(
        set.components
            .iter()
            .map(|c| {
                let counters: Vec<Value> = rows(c, &v)
                    .iter()
                    .map(|r| {
                        let mut o = json!({
                            "Name": r.counter,
                            "Type": if r.drop { "Drop" } else { "Flow" },
                            "Inbound": {"Packets": r.rx.packets, "Bytes": r.rx.bytes},
                            "Outbound": {"Packets": r.tx.packets, "Bytes": r.tx.bytes},
                        });
                        if r.drop && r.counter == "Drop" {
                            o["DropReason"] = json!(r.reason);
                            o["DropReasons"] = json!(
                                c.drop_reasons
                                    .iter()
                                    .map(|(n, k)| json!({"Reason": n, "Packets": k}))
                                    .collect::<Vec<_>>()
                            );
                        }
                        o
                    })
                    .collect();
                let hops: Vec<Value> = set
                    .hops
                    .iter()
                    .filter(|h| h.from == c.id)
                    .map(|h| {
                        json!({
                            "To": h.to,
                            "Packets": h.packets,
                            "P50Ns": h.p50_ns,
                            "P99Ns": h.p99_ns,
                            "MaxNs": h.max_ns,
                        })
                    })
                    .collect();
                let mut o = json!({
                    "Group": c.name,
                    "Components": [{"Id": c.id, "Name": c.name, "Counters": counters}],
                });
                if !hops.is_empty() {
                    o["Hops"] = Value::Array(hops);
                }
                o
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_render_as_a_section_and_in_json() {
        let mut s = CounterSet::new([(4, "a".to_string(), false), (7, "b@ns".to_string(), false)]);
        assert!(render_hops(&s).is_none());
        s.hops.push(crate::path::HopSummary {
            from: 4,
            to: 7,
            packets: 1200,
            p50_ns: 12_345,
            p99_ns: 2_500_000,
            max_ns: 999,
        });
        let t = render_hops(&s).expect("section");
        assert!(t.starts_with("Latency per hop\n"), "{t}");
        assert!(t.contains("a (4)"), "{t}");
        assert!(t.contains("b@ns (7)"), "{t}");
        assert!(t.contains("1,200"), "{t}");
        assert!(
            t.contains("12.345 us") && t.contains("2.500 ms") && t.contains("999 ns"),
            "{t}"
        );
        let j = to_json(&s, CounterType::All, true);
        assert_eq!(j[0]["Hops"][0]["To"], 7);
        assert_eq!(j[0]["Hops"][0]["P50Ns"], 12_345);
        assert!(j[1].get("Hops").is_none());
    }

    fn set() -> CounterSet {
        let mut s = CounterSet::new([
            (
                10,
                "Intel(R) Ethernet Connection (7) I219-LM".to_string(),
                false,
            ),
            (1, "lo".to_string(), true),
        ]);
        s.components[0].rx = Count {
            packets: 118,
            bytes: 147_232,
        };
        s.components[0].tx = Count {
            packets: 34,
            bytes: 4_668,
        };
        s
    }

    #[test]
    fn table_layout() {
        let v = View {
            kind: CounterType::All,
            include_hidden: false,
            zeros: false,
            drop_reason: false,
        };
        let t = render(&set(), &v).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "Intel(R) Ethernet Connection (7) I219-LM");
        assert_eq!(
            lines[1],
            " Id Name              Counter Direction Packets   Bytes | Direction Packets Bytes"
        );
        assert_eq!(
            lines[2],
            " 10 Intel(R) Ether... Upper   Rx            118 147,232 | Tx             34 4,668"
        );
        assert_eq!(
            lines.len(),
            4,
            "zero rows and the hidden loopback are left out: {t}"
        );
        let v = View {
            zeros: true,
            include_hidden: true,
            ..v
        };
        let t = render(&set(), &v).unwrap();
        assert!(t.contains("\nlo\n") && t.contains("Iface drop"), "{t}");
        let v = View {
            kind: CounterType::Drop,
            include_hidden: false,
            zeros: false,
            drop_reason: true,
        };
        assert!(render(&set(), &v).is_none());
    }

    #[test]
    fn json_shape() {
        let j = to_json(&set(), CounterType::All, false);
        assert_eq!(j[0]["Group"], "Intel(R) Ethernet Connection (7) I219-LM");
        let c = &j[0]["Components"][0]["Counters"][0];
        assert_eq!(c["Inbound"]["Packets"], 118);
        assert_eq!(c["Outbound"]["Bytes"], 4668);
        assert_eq!(c["Type"], "Flow");
    }
}
