//! `PacketRecord`: the one data type that flows from sources to sinks.

use std::borrow::Cow;

/// Direction of a packet relative to the component that saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Unknown,
    Rx,
    Tx,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Unknown => "Unknown",
            Direction::Rx => "Rx",
            Direction::Tx => "Tx",
        }
    }
}

/// Whether the packet went on its way or was dropped (with pktmon's reason and location).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum RecordKind<'a> {
    #[default]
    Flow,
    Drop {
        reason: Cow<'a, str>,
        location: Cow<'a, str>,
    },
}

/// Link-layer type of `data`, as a pcap LINKTYPE_* number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkType(pub u16);

impl LinkType {
    pub const NULL: LinkType = LinkType(0);
    pub const ETHERNET: LinkType = LinkType(1);
    pub const RAW: LinkType = LinkType(101);
    pub const IEEE802_11: LinkType = LinkType(105);
    pub const LINUX_SLL: LinkType = LinkType(113);
    /// Private use (pcap reserves 147–162): pktmon payloads without a link layer; USER0 +
    /// the PktMon packet type (`pktmon_meta::record_link_type`).
    pub const USER0: LinkType = LinkType(147);
    pub const LINUX_SLL2: LinkType = LinkType(276);

    /// pktmon's "Type" word for records of this link type.
    pub fn pktmon_name(self) -> &'static str {
        match self {
            LinkType::ETHERNET => "Ethernet",
            LinkType::IEEE802_11 => "WiFi",
            LinkType::RAW => "IP",
            // PktMon payloads without a link layer (`pktmon_meta::record_link_type`).
            LinkType(151) => "HTTP",
            LinkType(152) => "TCP",
            LinkType(153) => "UDP",
            LinkType(154) => "ARP",
            LinkType(155) => "ICMP",
            LinkType(156) => "ESP",
            LinkType(157) => "AH",
            LinkType(158) => "L4Payload",
            _ => "Unknown",
        }
    }
}

/// One sighting of one packet at one component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketRecord<'a> {
    /// Nanoseconds since the Unix epoch.
    pub timestamp_ns: u64,
    pub component: u32,
    pub direction: Direction,
    pub edge: u32,
    pub group_id: u64,
    pub packet_number: u32,
    pub appearance: u32,
    /// The group was linked by content (no kernel identity): an inference.
    pub group_inferred: bool,
    pub kind: RecordKind<'a>,
    /// The filter that matched (0 = no filters configured).
    pub filter_id: u32,
    /// Length on the wire; `data` may be shorter.
    pub original_len: u32,
    pub link_type: LinkType,
    pub data: Cow<'a, [u8]>,
}

impl<'a> PacketRecord<'a> {
    /// A flow record with the defaults of a single observation point.
    pub fn flow(component: u32, link_type: LinkType, timestamp_ns: u64, data: &'a [u8]) -> Self {
        PacketRecord {
            timestamp_ns,
            component,
            direction: Direction::Unknown,
            edge: 1,
            group_id: 0,
            packet_number: 1,
            appearance: 1,
            group_inferred: false,
            kind: RecordKind::Flow,
            filter_id: 0,
            original_len: data.len() as u32,
            link_type,
            data: Cow::Borrowed(data),
        }
    }

    pub fn is_drop(&self) -> bool {
        matches!(self.kind, RecordKind::Drop { .. })
    }

    /// The same record borrowing from this one, with at most `max_len` bytes (0 = all):
    /// a view to adjust per sink without copying bytes or drop texts.
    pub fn view(&self, max_len: usize) -> PacketRecord<'_> {
        let data: &[u8] = &self.data;
        let kind = match &self.kind {
            RecordKind::Flow => RecordKind::Flow,
            RecordKind::Drop { reason, location } => RecordKind::Drop {
                reason: Cow::Borrowed(reason),
                location: Cow::Borrowed(location),
            },
        };
        PacketRecord {
            data: Cow::Borrowed(if max_len != 0 && data.len() > max_len {
                &data[..max_len]
            } else {
                data
            }),
            kind,
            ..*self
        }
    }

    /// The same record owning its bytes (to keep it past the source's next read).
    /// Makes `dst` an owned copy of this record, reusing its buffers: a queue of records
    /// recycled this way allocates nothing once warm.
    pub fn copy_into(&self, dst: &mut PacketRecord<'static>) {
        fn text(dst: &mut Cow<'static, str>, src: &str) {
            match dst {
                Cow::Owned(s) => {
                    s.clear();
                    s.push_str(src);
                }
                Cow::Borrowed(_) => *dst = Cow::Owned(src.to_owned()),
            }
        }
        match (&self.kind, &mut dst.kind) {
            (RecordKind::Flow, kind) => *kind = RecordKind::Flow,
            (
                RecordKind::Drop { reason, location },
                RecordKind::Drop {
                    reason: r,
                    location: l,
                },
            ) => {
                text(r, reason);
                text(l, location);
            }
            (RecordKind::Drop { reason, location }, kind) => {
                *kind = RecordKind::Drop {
                    reason: Cow::Owned(reason.to_string()),
                    location: Cow::Owned(location.to_string()),
                }
            }
        }
        match &mut dst.data {
            Cow::Owned(v) => {
                v.clear();
                v.extend_from_slice(&self.data);
            }
            Cow::Borrowed(_) => dst.data = Cow::Owned(self.data.to_vec()),
        }
        dst.timestamp_ns = self.timestamp_ns;
        dst.component = self.component;
        dst.direction = self.direction;
        dst.edge = self.edge;
        dst.group_id = self.group_id;
        dst.packet_number = self.packet_number;
        dst.appearance = self.appearance;
        dst.group_inferred = self.group_inferred;
        dst.filter_id = self.filter_id;
        dst.original_len = self.original_len;
        dst.link_type = self.link_type;
    }

    pub fn into_owned(self) -> PacketRecord<'static> {
        let kind = match self.kind {
            RecordKind::Flow => RecordKind::Flow,
            RecordKind::Drop { reason, location } => RecordKind::Drop {
                reason: Cow::Owned(reason.into_owned()),
                location: Cow::Owned(location.into_owned()),
            },
        };
        PacketRecord {
            timestamp_ns: self.timestamp_ns,
            component: self.component,
            direction: self.direction,
            edge: self.edge,
            group_id: self.group_id,
            packet_number: self.packet_number,
            appearance: self.appearance,
            group_inferred: self.group_inferred,
            kind,
            filter_id: self.filter_id,
            original_len: self.original_len,
            link_type: self.link_type,
            data: Cow::Owned(self.data.into_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_into_equals_an_owned_clone_whatever_the_spare_held() {
        let bytes = [1u8, 2, 3, 4, 5];
        let mut drop = PacketRecord::flow(7, LinkType::RAW, 42, &bytes);
        drop.kind = RecordKind::Drop {
            reason: "NO_SOCKET".into(),
            location: "__udp4_lib_rcv+0x4bc".into(),
        };
        drop.direction = Direction::Rx;
        let flow = PacketRecord::flow(3, LinkType::ETHERNET, 9, &bytes[..2]);
        // A spare that held a longer drop, one that held a flow, one that borrows.
        let mut spares = vec![
            drop.clone().into_owned(),
            flow.clone().into_owned(),
            PacketRecord::flow(1, LinkType::NULL, 0, &[]),
        ];
        for spare in &mut spares {
            for src in [&drop, &flow, &drop] {
                src.copy_into(spare);
                assert_eq!(*spare, src.clone().into_owned());
            }
        }
    }
}
