//! The session's one record pipeline. Every source feeds it — the capture backend, the
//! kernel path tracer, the kernel drop tracer — and each record goes through the same
//! steps: correlate (group and appearance, per-hop latency), match the filters once per
//! packet (at its first sighting), count, log, print.

use super::PacketType;
use super::daemon::Console;
use super::log::SessionLog;
use crate::counters::CounterSet;
use crate::filter::matcher::Matcher;
use crate::path::{Correlator, HopLatencies, Identity, Placement};
use crate::pcapng::InterfaceDescription;
use crate::record::{LinkType, PacketRecord};
use std::collections::HashMap;

/// Pseudo-component of drops whose interface the kernel source cannot tell (perf).
pub const KERNEL_COMPONENT: u32 = 0;

/// Which components' records the session reports.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Component id → pcapng interface name.
    names: HashMap<u32, String>,
    /// Drops of no known interface are reported (under the `kernel` component).
    pub kernel_drops: bool,
}

impl Scope {
    pub fn new(kernel_drops: bool) -> Scope {
        Scope {
            names: HashMap::new(),
            kernel_drops,
        }
    }

    pub fn insert(&mut self, id: u32, name: String) {
        self.names.insert(id, name);
    }

    pub fn contains(&self, id: u32) -> bool {
        self.names.contains_key(&id) || (id == KERNEL_COMPONENT && self.kernel_drops)
    }

    fn name(&self, id: u32) -> String {
        if id == KERNEL_COMPONENT {
            return "kernel".to_string();
        }
        self.names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("ifindex {id}"))
    }
}

/// Counts of what went through.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Throughput {
    /// Sightings the sources delivered.
    pub seen: u64,
    /// Sightings of packets no filter matched.
    pub filtered_out: u64,
}

pub struct RecordPipeline<'c> {
    matcher: Matcher,
    correlator: Correlator,
    counters: CounterSet,
    hops: HopLatencies,
    log: SessionLog,
    console: Option<Console<'c>>,
    packet_type: PacketType,
    /// Bytes logged per record (0 = all): a tracepoint source may copy more, for identity.
    snaplen: usize,
    scope: Scope,
    throughput: Throughput,
}

impl<'c> RecordPipeline<'c> {
    pub fn new(
        matcher: Matcher,
        counters: CounterSet,
        log: SessionLog,
        console: Option<Console<'c>>,
        packet_type: PacketType,
        snaplen: u32,
        scope: Scope,
    ) -> RecordPipeline<'c> {
        RecordPipeline {
            matcher,
            correlator: Correlator::new(),
            counters,
            hops: HopLatencies::new(),
            log,
            console,
            packet_type,
            snaplen: snaplen as usize,
            scope,
            throughput: Throughput::default(),
        }
    }

    /// A sighting of a packet at a component (a flow record, or a drop record a backend
    /// reports in its own stream, as the PktMon driver does).
    pub fn sighting(&mut self, rec: &PacketRecord<'_>, identity: Identity) {
        self.throughput.seen += 1;
        if identity == Identity::Assigned {
            // The source numbered the groups itself; only the filters are ours.
            match self.matcher.matching_filter(&rec.data, rec.link_type) {
                Some(filter_id) => {
                    let mut placed = rec.view(0);
                    placed.filter_id = filter_id;
                    self.emit(&placed);
                }
                None => self.throughput.filtered_out += 1,
            }
            return;
        }
        let matcher = &self.matcher;
        let p = self.correlator.sight(identity, rec, || {
            matcher.matching_filter(&rec.data, rec.link_type)
        });
        let Some(filter_id) = p.filter else {
            self.throughput.filtered_out += 1;
            return;
        };
        if let Some((from, t0)) = p.previous {
            self.hops
                .record(from, rec.component, rec.timestamp_ns.saturating_sub(t0));
        }
        let placed = self.placed(rec, &p, filter_id);
        self.emit(&placed);
    }

    /// A packet the kernel dropped, from a drop source. It joins the group of the packet
    /// it ends and is attributed to the component where that packet was last seen; a
    /// packet never seen before keeps the component the drop source named.
    pub fn kernel_drop(&mut self, rec: &PacketRecord<'_>, identity: Identity) {
        let matcher = &self.matcher;
        let p = self.correlator.drop(identity, rec, || {
            matcher.matching_filter(&rec.data, rec.link_type)
        });
        let component = p.last_component.unwrap_or(rec.component);
        if !self.scope.contains(component) {
            return;
        }
        // pktmon filters apply to drops too: the group's decision, else the drop's bytes.
        let Some(filter_id) = p.placement.filter else {
            return;
        };
        let mut placed = self.placed(rec, &p.placement, filter_id);
        placed.component = component;
        self.emit(&placed);
    }

    /// The record as its group places it, cut to the logged length.
    fn placed<'r>(
        &self,
        rec: &'r PacketRecord<'_>,
        p: &Placement,
        filter_id: u32,
    ) -> PacketRecord<'r> {
        let mut out = rec.view(self.snaplen);
        out.group_id = p.group_id;
        out.appearance = p.appearance;
        out.group_inferred = p.inferred;
        out.filter_id = filter_id;
        out
    }

    fn emit(&mut self, rec: &PacketRecord<'_>) {
        self.counters.record(rec);
        let logged = if rec.is_drop() {
            self.packet_type.logs_drops()
        } else {
            self.packet_type.logs_flows()
        };
        if !logged {
            return;
        }
        // A source may report a component or link type not armed (PktMon streams raw IP
        // from Ethernet components; drops come as raw IP; tracepoints see components that
        // appeared after start).
        let scope = &self.scope;
        self.log.write_adding_interface(rec, || {
            extra_interface(scope, rec.component, rec.link_type, rec.is_drop())
        });
        if let Some(c) = self.console.as_mut() {
            c(rec);
        }
    }

    /// A component joined the session (a tracepoint saw it after start, or saw it renamed):
    /// it gets counters and, in the log, an interface block of its own (a renamed one a
    /// new block, which its later records use).
    pub fn join(
        &mut self,
        c: &crate::components::Component,
        desc: InterfaceDescription,
        role: crate::pcapng::meta::ComponentRole,
    ) {
        self.counters
            .add_component(c.id, c.display_name(), c.hidden());
        self.scope.insert(c.id, c.display_name());
        self.log.add_interface(&desc, role);
    }

    /// Publishes the counters, with the per-hop latency summaries, into `out` (reusing
    /// its allocations).
    pub fn publish_counters(&self, out: &mut CounterSet) {
        out.clone_from(&self.counters);
        out.hops = self.hops.summaries();
    }

    #[cfg(test)]
    fn counters_with_hops(&self) -> CounterSet {
        let mut c = CounterSet::default();
        self.publish_counters(&mut c);
        c
    }

    pub fn reset_counters(&mut self) {
        self.counters.reset();
        self.hops.reset();
    }

    pub fn throughput(&self) -> Throughput {
        self.throughput
    }

    pub fn log(&self) -> &SessionLog {
        &self.log
    }

    pub fn log_mut(&mut self) -> &mut SessionLog {
        &mut self.log
    }

    /// Ends the pipeline, handing back the log to finish.
    pub fn into_log(self) -> SessionLog {
        self.log
    }
}

/// The pcapng interface for records of a component in a link type its capture was not
/// armed with, or of a component that joined later.
fn extra_interface(
    scope: &Scope,
    component: u32,
    link_type: LinkType,
    drop: bool,
) -> InterfaceDescription {
    let name = scope.name(component);
    InterfaceDescription {
        component,
        name: if drop {
            format!("{name} (drops)")
        } else {
            name
        },
        description: if drop {
            format!("Component {component}, packets the kernel dropped")
        } else {
            format!("Component {component}")
        },
        link_type,
        snaplen: 0,
        mac: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::FilterSet;
    use crate::record::{Direction, RecordKind};
    use std::cell::RefCell;

    fn udp(id: u16, dport: u16) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        f.extend_from_slice(&[0x45, 0, 0, 32]);
        f.extend_from_slice(&id.to_be_bytes());
        f.extend_from_slice(&[0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend_from_slice(&[0x10, 0x00]);
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&[0, 12, 0, 0, b'a', b'b', b'c', b'd']);
        f
    }

    fn pipeline<'c>(
        filters: FilterSet,
        console: Console<'c>,
        packet_type: PacketType,
    ) -> RecordPipeline<'c> {
        let mut scope = Scope::new(false);
        scope.insert(1, "a".into());
        scope.insert(2, "b".into());
        RecordPipeline::new(
            Matcher::new(filters),
            CounterSet::new([(1, "a".to_string(), false), (2, "b".to_string(), false)]),
            SessionLog::new(None, std::path::PathBuf::new()),
            Some(console),
            packet_type,
            40,
            scope,
        )
    }

    fn sight<'a>(data: &'a [u8], comp: u32, dir: Direction, ts: u64) -> PacketRecord<'a> {
        let mut r = PacketRecord::flow(comp, LinkType::ETHERNET, ts, data);
        r.direction = dir;
        r
    }

    #[test]
    fn one_packet_across_two_components_then_dropped_is_one_group() {
        let seen = RefCell::new(Vec::new());
        let mut print = |r: &PacketRecord<'_>| seen.borrow_mut().push(r.clone().into_owned());
        let mut p = pipeline(FilterSet::default(), &mut print, PacketType::All);
        let pkt = udp(1, 53);
        let id = Identity::Buffer(0x1000);
        p.sighting(&sight(&pkt, 1, Direction::Tx, 100), id);
        p.sighting(&sight(&pkt, 2, Direction::Rx, 250), id);
        let mut drop = PacketRecord::flow(9, LinkType::RAW, 300, &pkt[14..]);
        drop.kind = RecordKind::Drop {
            reason: "NO_SOCKET".into(),
            location: "__udp4_lib_rcv+0x4bc".into(),
        };
        p.kernel_drop(&drop, id);
        let c = p.counters_with_hops();
        drop_pipeline(p);
        let seen = seen.into_inner();
        assert_eq!(seen.len(), 3);
        assert!(seen.iter().all(|r| r.group_id == seen[0].group_id));
        let app: Vec<u32> = seen.iter().map(|r| r.appearance).collect();
        assert_eq!(app, vec![1, 2, 3]);
        // The drop is attributed to where the packet was last seen.
        assert_eq!(seen[2].component, 2);
        assert!(seen[2].is_drop());
        // Logged bytes are cut to the snap length.
        assert_eq!(seen[0].data.len(), 40);
        assert_eq!(seen[0].original_len as usize, pkt.len());
        assert_eq!(c.hops.len(), 1);
        assert_eq!((c.hops[0].from, c.hops[0].to, c.hops[0].packets), (1, 2, 1));
        assert_eq!(c.components[1].drop_rx.packets, 1);
    }

    fn drop_pipeline(p: RecordPipeline<'_>) {
        drop(p.into_log());
    }

    #[test]
    fn the_first_sighting_decides_and_the_group_stays_followed() {
        let seen = RefCell::new(Vec::new());
        let mut print = |r: &PacketRecord<'_>| seen.borrow_mut().push(r.clone().into_owned());
        let set = FilterSet::numbered(vec![crate::filter::Filter {
            ports: vec![53],
            ..Default::default()
        }]);
        let mut p = pipeline(set, &mut print, PacketType::All);
        let asked = udp(1, 53);
        // The same packet after NAT rewrote its port: still followed.
        let mut natted = asked.clone();
        natted[36] = 0x99;
        let other = udp(2, 80);
        p.sighting(&sight(&asked, 1, Direction::Tx, 1), Identity::Buffer(1));
        p.sighting(&sight(&natted, 2, Direction::Rx, 2), Identity::Buffer(1));
        p.sighting(&sight(&other, 1, Direction::Tx, 3), Identity::Buffer(2));
        let t = p.throughput();
        drop_pipeline(p);
        let seen = seen.into_inner();
        assert_eq!(seen.len(), 2);
        assert!(seen.iter().all(|r| r.filter_id == 1));
        assert_eq!(t.seen, 3);
        assert_eq!(t.filtered_out, 1);
    }

    #[test]
    fn drops_outside_the_scope_and_flows_with_type_drop_are_not_logged() {
        let seen = RefCell::new(Vec::new());
        let mut print = |r: &PacketRecord<'_>| seen.borrow_mut().push(r.clone().into_owned());
        let mut p = pipeline(FilterSet::default(), &mut print, PacketType::Drop);
        let pkt = udp(3, 53);
        p.sighting(&sight(&pkt, 1, Direction::Rx, 1), Identity::Content);
        let mut drop = PacketRecord::flow(7, LinkType::RAW, 2, &pkt[14..]);
        drop.kind = RecordKind::Drop {
            reason: "NO_SOCKET".into(),
            location: "x".into(),
        };
        // Never seen, on a component outside the session: not reported.
        p.kernel_drop(&drop, Identity::Buffer(99));
        let counted = p.counters_with_hops().components[0].rx.packets;
        drop_pipeline(p);
        assert!(seen.into_inner().is_empty());
        assert_eq!(counted, 1, "counters count flows with --type drop");
    }
}
