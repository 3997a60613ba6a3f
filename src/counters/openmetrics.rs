//! A session's numbers as Prometheus metrics: `pktmon counters --format openmetrics|prometheus`
//! and the session's `--metrics` endpoint. One model ([`Family`]) rendered two ways:
//! OpenMetrics 1.0 (what Prometheus asks for first) and the Prometheus text format 0.0.4
//! (what older scrapers and `promtool check metrics` read). They differ only in the
//! metadata lines: OpenMetrics names a counter family without `_total` and states units
//! (`# UNIT`), and ends with `# EOF`.
//!
//! Latency per hop is a summary (quantiles 0.5 and 0.99, a count, and the max as a gauge),
//! not a histogram: the session keeps an HDR histogram per hop and publishes its
//! quantiles, which are exact to 1%; fixed Prometheus buckets would be coarser and cost a
//! second structure per hop on the capture path. The price: quantiles do not aggregate
//! across hosts (compare hosts' p99s, do not average them).

use crate::session::SessionReport;
use std::fmt::Write;

/// Which text format to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// OpenMetrics 1.0 (`application/openmetrics-text; version=1.0.0`).
    OpenMetrics,
    /// Prometheus text exposition 0.0.4 (`text/plain; version=0.0.4`).
    Prometheus,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Format::Prometheus => "text/plain; version=0.0.4; charset=utf-8",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Counter,
    Gauge,
    Summary,
}

/// A sample's labels, in order.
type Labels = Vec<(&'static str, String)>;

/// One metric family: its name (without `_total`), type, unit, help and samples
/// (suffix after the name, labels, value).
struct Family {
    name: &'static str,
    kind: Kind,
    unit: Option<&'static str>,
    help: &'static str,
    samples: Vec<(&'static str, Labels, f64)>,
}

impl Family {
    fn new(name: &'static str, kind: Kind, unit: Option<&'static str>, help: &'static str) -> Self {
        Family {
            name,
            kind,
            unit,
            help,
            samples: Vec::new(),
        }
    }

    /// A counter sample (named `<family>_total`).
    fn total(&mut self, labels: Labels, value: u64) {
        self.samples.push(("_total", labels, value as f64));
    }

    fn sample(&mut self, suffix: &'static str, labels: Labels, value: f64) {
        self.samples.push((suffix, labels, value));
    }
}

/// Label values escaped as both formats want (backslash, quote, newline).
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn component_labels(id: u32, name: &str) -> Labels {
    vec![("component", id.to_string()), ("name", name.to_string())]
}

fn with(mut labels: Labels, key: &'static str, value: &str) -> Labels {
    labels.push((key, value.to_string()));
    labels
}

fn families(r: &SessionReport) -> Vec<Family> {
    let mut packets = Family::new(
        "pktmon_packets",
        Kind::Counter,
        None,
        "Packets that passed the filters, by component and direction.",
    );
    let mut bytes = Family::new(
        "pktmon_bytes",
        Kind::Counter,
        Some("bytes"),
        "Bytes on the wire of the packets that passed the filters, by component and direction.",
    );
    let mut drops = Family::new(
        "pktmon_dropped_packets",
        Kind::Counter,
        None,
        "Packets the kernel dropped at a component, by direction.",
    );
    let mut reasons = Family::new(
        "pktmon_drop_reason_packets",
        Kind::Counter,
        None,
        "Packets the kernel dropped at a component, by drop reason.",
    );
    let mut iface = Family::new(
        "pktmon_interface_dropped_packets",
        Kind::Counter,
        None,
        "The interface's own drop counters since the session started, by direction.",
    );
    for c in &r.counters.components {
        let base = component_labels(c.id, &c.name);
        for (dir, flow, drop, if_drops) in [
            ("rx", c.rx, c.drop_rx, c.iface_rx_dropped),
            ("tx", c.tx, c.drop_tx, c.iface_tx_dropped),
        ] {
            let labels = with(base.clone(), "direction", dir);
            packets.total(labels.clone(), flow.packets);
            bytes.total(labels.clone(), flow.bytes);
            drops.total(labels.clone(), drop.packets);
            iface.total(labels, if_drops);
        }
        for (reason, n) in &c.drop_reasons {
            reasons.total(with(base.clone(), "reason", reason), *n);
        }
    }
    let mut lost = Family::new(
        "pktmon_events_lost",
        Kind::Counter,
        None,
        "Packets the kernel could not hand to the session because the capture buffer was full.",
    );
    lost.total(Vec::new(), r.events_lost);
    let mut seen = Family::new(
        "pktmon_packets_seen",
        Kind::Counter,
        None,
        "Packet records the capture delivered, before the filters.",
    );
    seen.total(Vec::new(), r.packets_seen);
    let mut logged = Family::new(
        "pktmon_packets_logged",
        Kind::Counter,
        None,
        "Packet records written to the log file.",
    );
    logged.total(Vec::new(), r.packets_logged);
    let mut filtered = Family::new(
        "pktmon_packets_filtered_out",
        Kind::Counter,
        None,
        "Packet records no filter matched.",
    );
    filtered.total(Vec::new(), r.packets_filtered_out);
    let mut up = Family::new(
        "pktmon_session_running",
        Kind::Gauge,
        None,
        "1 while the session captures, 0 once it stopped.",
    );
    up.sample("", Vec::new(), if r.running { 1.0 } else { 0.0 });

    let mut latency = Family::new(
        "pktmon_hop_latency_seconds",
        Kind::Summary,
        Some("seconds"),
        "Delay of packets between two consecutive components of their path.",
    );
    let mut latency_max = Family::new(
        "pktmon_hop_latency_max_seconds",
        Kind::Gauge,
        Some("seconds"),
        "Largest delay of a packet between two consecutive components of its path.",
    );
    let name_of = |id: u32| {
        r.counters
            .components
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| format!("Component {id}"), |c| c.name.clone())
    };
    for h in &r.counters.hops {
        let labels = vec![
            ("from", h.from.to_string()),
            ("from_name", name_of(h.from)),
            ("to", h.to.to_string()),
            ("to_name", name_of(h.to)),
        ];
        let secs = |ns: u64| ns as f64 / 1e9;
        latency.sample("", with(labels.clone(), "quantile", "0.5"), secs(h.p50_ns));
        latency.sample("", with(labels.clone(), "quantile", "0.99"), secs(h.p99_ns));
        latency.sample("_count", labels.clone(), h.packets as f64);
        latency_max.sample("", labels, secs(h.max_ns));
    }
    vec![
        packets,
        bytes,
        drops,
        reasons,
        iface,
        lost,
        seen,
        logged,
        filtered,
        up,
        latency,
        latency_max,
    ]
}

/// The session's metrics in `format`.
pub fn render(r: &SessionReport, format: Format) -> String {
    let mut out = String::new();
    for f in families(r) {
        let kind = match f.kind {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Summary => "summary",
        };
        // The 0.0.4 format names a counter by its sample name.
        let meta_name = match (format, f.kind) {
            (Format::Prometheus, Kind::Counter) => format!("{}_total", f.name),
            _ => f.name.to_string(),
        };
        let _ = writeln!(out, "# HELP {meta_name} {}", f.help);
        let _ = writeln!(out, "# TYPE {meta_name} {kind}");
        if let (Format::OpenMetrics, Some(unit)) = (format, f.unit) {
            let _ = writeln!(out, "# UNIT {meta_name} {unit}");
        }
        for (suffix, labels, value) in &f.samples {
            out.push_str(f.name);
            out.push_str(suffix);
            if !labels.is_empty() {
                out.push('{');
                for (i, (k, v)) in labels.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{k}=\"{}\"", escape(v));
                }
                out.push('}');
            }
            let _ = writeln!(out, " {value}");
        }
    }
    if format == Format::OpenMetrics {
        out.push_str("# EOF\n");
    }
    out
}
