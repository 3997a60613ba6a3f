//! Per-component counters: packets and bytes by direction for the packets that pass the
//! filters, drops by direction with the most recent reason, and the interfaces' own drop
//! counters. Kept by the capture loop (one thread, no locks per packet) and published as
//! snapshots.

pub mod openmetrics;
pub mod table;

use crate::record::{Direction, PacketRecord, RecordKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub packets: u64,
    pub bytes: u64,
}

impl Count {
    fn add(&mut self, bytes: u64) {
        self.packets += 1;
        self.bytes += bytes;
    }
    pub fn is_zero(&self) -> bool {
        self.packets == 0 && self.bytes == 0
    }
}

/// Counters of one component.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentCounters {
    pub id: u32,
    pub name: String,
    /// Loopback: hidden unless asked for.
    pub hidden: bool,
    /// Packets that went on their way (direction unknown counts as Rx).
    pub rx: Count,
    pub tx: Count,
    /// Packets the stack dropped here.
    pub drop_rx: Count,
    pub drop_tx: Count,
    pub last_drop_reason: Option<String>,
    /// Drops by reason, in order of first appearance.
    pub drop_reasons: Vec<(String, u64)>,
    /// The interface's own drop counters (rtnetlink stats64) since the session started.
    pub iface_rx_dropped: u64,
    pub iface_tx_dropped: u64,
}

/// All components' counters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CounterSet {
    pub components: Vec<ComponentCounters>,
    /// Latency per hop between consecutive components of a packet's path.
    #[serde(default)]
    pub hops: Vec<crate::path::HopSummary>,
    #[serde(skip)]
    last: usize,
}

impl CounterSet {
    pub fn new(components: impl IntoIterator<Item = (u32, String, bool)>) -> CounterSet {
        CounterSet {
            components: components
                .into_iter()
                .map(|(id, name, hidden)| ComponentCounters {
                    id,
                    name,
                    hidden,
                    ..Default::default()
                })
                .collect(),
            hops: Vec::new(),
            last: 0,
        }
    }

    /// A row for a component that joined after the session started (if it has none).
    pub fn add_component(&mut self, id: u32, name: String, hidden: bool) {
        match self.components.iter_mut().find(|c| c.id == id) {
            Some(c) => c.name = name,
            None => self.components.push(ComponentCounters {
                id,
                name,
                hidden,
                ..Default::default()
            }),
        }
    }

    fn slot(&mut self, component: u32) -> Option<&mut ComponentCounters> {
        if self.components.get(self.last).map(|c| c.id) != Some(component) {
            self.last = self.components.iter().position(|c| c.id == component)?;
        }
        self.components.get_mut(self.last)
    }

    /// Counts one record (flow or drop) under its component; unknown components (a drop
    /// seen outside the monitored ones) get a row of their own.
    pub fn record(&mut self, rec: &PacketRecord<'_>) {
        if self.slot(rec.component).is_none() {
            self.components.push(ComponentCounters {
                id: rec.component,
                name: format!("Component {}", rec.component),
                ..Default::default()
            });
            self.last = self.components.len() - 1;
        }
        let bytes = rec.original_len as u64;
        let Some(c) = self.slot(rec.component) else {
            return;
        };
        match (&rec.kind, rec.direction) {
            (RecordKind::Flow, Direction::Tx) => c.tx.add(bytes),
            (RecordKind::Flow, _) => c.rx.add(bytes),
            (RecordKind::Drop { reason, .. }, dir) => {
                if dir == Direction::Tx {
                    c.drop_tx.add(bytes);
                } else {
                    c.drop_rx.add(bytes);
                }
                if c.last_drop_reason.as_deref() != Some(reason) {
                    c.last_drop_reason = Some(reason.to_string());
                }
                match c.drop_reasons.iter_mut().find(|(r, _)| r == reason) {
                    Some((_, n)) => *n += 1,
                    None => c.drop_reasons.push((reason.to_string(), 1)),
                }
            }
        }
    }

    /// Zeroes every counter (`pktmon reset`).
    pub fn reset(&mut self) {
        self.hops.clear();
        for c in &mut self.components {
            *c = ComponentCounters {
                id: c.id,
                name: std::mem::take(&mut c.name),
                hidden: c.hidden,
                ..Default::default()
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::LinkType;
    use std::borrow::Cow;

    #[test]
    fn counts_by_component_direction_and_drop_reason() {
        let mut set =
            CounterSet::new([(1, "lo".to_string(), true), (5, "veth0".to_string(), false)]);
        let data = [0u8; 60];
        let mut r = PacketRecord::flow(5, LinkType::ETHERNET, 0, &data);
        r.original_len = 100;
        r.direction = Direction::Rx;
        set.record(&r);
        set.record(&r);
        r.direction = Direction::Tx;
        set.record(&r);
        r.kind = RecordKind::Drop {
            reason: Cow::Borrowed("NO_SOCKET"),
            location: Cow::Borrowed("__udp4_lib_rcv+0x4bc"),
        };
        r.direction = Direction::Rx;
        set.record(&r);
        r.component = 9; // not monitored: gets a row
        set.record(&r);
        let v = &set.components[1];
        assert_eq!(
            v.rx,
            Count {
                packets: 2,
                bytes: 200
            }
        );
        assert_eq!(
            v.tx,
            Count {
                packets: 1,
                bytes: 100
            }
        );
        assert_eq!(v.drop_rx.packets, 1);
        assert_eq!(v.last_drop_reason.as_deref(), Some("NO_SOCKET"));
        assert_eq!(set.components.len(), 3);
        set.reset();
        assert!(
            set.components
                .iter()
                .all(|c| c.rx.is_zero() && c.drop_rx.is_zero())
        );
        assert_eq!(set.components[1].name, "veth0");
    }
}
