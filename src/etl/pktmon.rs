//! Microsoft-Windows-PktMon events: packets (160) and drops (170) as [`PacketRecord`]s, and
//! the rundown (components, their properties and counters, filters) as a component table.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use super::bytes::{Guid, u16_at, u32_at, u64_at};
use super::tdh::{EventTemplate, ValueMap, in_type};
use super::value::{Field, Value, write_field};
use crate::pktmon_meta;
use crate::record::{Direction, LinkType, PacketRecord, RecordKind};

pub use super::builtin::{PKTMON_PROVIDER, PKTMON_PROVIDER_NAME};

/// Event ids of the provider.
pub mod id {
    pub const COMPONENT: u16 = 20;
    pub const PROPERTY_INT: u16 = 30;
    pub const PROPERTY_GUID: u16 = 40;
    pub const PROPERTY_HEX: u16 = 50;
    pub const PROPERTY_NDIS_MEDIUM: u16 = 60;
    pub const PROPERTY_IPV4: u16 = 65;
    pub const PROPERTY_IPV6: u16 = 66;
    pub const PROPERTY_BINARY: u16 = 70;
    pub const PROPERTY_STRING: u16 = 73;
    pub const PROPERTY_ETHERTYPE: u16 = 75;
    pub const DROP_COUNTERS: u16 = 80;
    pub const FLOW_COUNTERS: u16 = 90;
    pub const FILTER_IPV4: u16 = 100;
    pub const FILTER_IPV6: u16 = 110;
    pub const PACKET: u16 = 160;
    pub const DROP: u16 = 170;
}

/// What the PktMon hot path needs, resolved once: maps (embedded, else built-in) and
/// whether the packet templates are the known ones.
#[derive(Default)]
pub struct PacketMaps {
    pub direction: Option<Arc<ValueMap>>,
    pub packet_type: Option<Arc<ValueMap>>,
    pub drop_reason: Option<Arc<ValueMap>>,
    /// Per (event id, version): true if events can be read with the fixed layout.
    /// Few entries: a list is faster than hashing on every packet.
    pub fixed_layout: Vec<((u16, u16), bool)>,
    /// Per event id (160, 170): the chosen message is the standard one (fast text path).
    pub standard_message: [bool; 2],
}

/// The English messages of 160 and 170 (see builtin.rs).
pub const PACKET_MESSAGE: &str = "PktGroupId %1, PktNumber %2, Appearance %3, Direction %4, Type %5, Component %6, Edge %7, Filter %8, OriginalSize %11, LoggedSize %12 ";
pub const DROP_MESSAGE: &str = "Drop: PktGroupId %1, PktNumber %2, Appearance %3, Direction %4, Type %5, Component %6, Filter %8, DropReason %9, DropLocation %10, OriginalSize %11, LoggedSize %12 ";

/// Length of the fixed part of events 160/170 before the payload.
pub const PACKET_FIXED_LEN: usize = 34;

/// One packet (160) or dropped packet (170) event, field by field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketEvent<'a> {
    pub dropped: bool,
    pub group_id: u64,
    pub packet_number: u16,
    pub appearance: u16,
    /// PacketDirectionTag: 1 In, 2 Out, 3 Rx, 4 Tx, 5 Ingress, 6 Egress.
    pub direction_tag: u16,
    /// PacketType: 1 Ethernet, 2 WiFi, 3 IP, 4 HTTP, ...
    pub packet_type: u16,
    pub component_id: u16,
    pub edge_id: u16,
    pub filter_id: u16,
    pub drop_reason: u32,
    pub drop_location: u32,
    pub original_size: u16,
    pub logged_size: u16,
    pub payload: &'a [u8],
}

impl<'a> PacketEvent<'a> {
    /// Parses the user data in the layout every known Windows build uses. `None` if it is
    /// shorter than the fixed part or than the payload it announces.
    pub fn parse(data: &'a [u8], dropped: bool) -> Option<PacketEvent<'a>> {
        let logged_size = u16_at(data, 0x20)?;
        let payload = data.get(PACKET_FIXED_LEN..PACKET_FIXED_LEN + usize::from(logged_size))?;
        Some(PacketEvent {
            dropped,
            group_id: u64_at(data, 0)?,
            packet_number: u16_at(data, 0x08)?,
            appearance: u16_at(data, 0x0A)?,
            direction_tag: u16_at(data, 0x0C)?,
            packet_type: u16_at(data, 0x0E)?,
            component_id: u16_at(data, 0x10)?,
            edge_id: u16_at(data, 0x12)?,
            filter_id: u16_at(data, 0x14)?,
            drop_reason: u32_at(data, 0x16)?,
            drop_location: u32_at(data, 0x1A)?,
            original_size: u16_at(data, 0x1E)?,
            logged_size,
            payload,
        })
    }

    /// Builds the event from fields decoded with a template (for builds whose template
    /// differs from the known layout). `None` if a needed field is missing.
    pub fn from_fields(fields: &[Field<'a>], dropped: bool) -> Option<PacketEvent<'a>> {
        let num = |name: &str| field(fields, name).and_then(|f| f.value.as_u64());
        let payload = match field(fields, "Payload").map(|f| &f.value) {
            Some(Value::Binary(b)) => *b,
            _ => &[],
        };
        Some(PacketEvent {
            dropped,
            group_id: num("PktGroupId")?,
            packet_number: num("PktNumber")? as u16,
            appearance: num("AppearanceCount")? as u16,
            direction_tag: num("DirTag")? as u16,
            packet_type: num("PacketType")? as u16,
            component_id: num("ComponentId")? as u16,
            edge_id: num("EdgeId").unwrap_or(0) as u16,
            filter_id: num("FilterId").unwrap_or(0) as u16,
            drop_reason: num("DropReason").unwrap_or(0) as u32,
            drop_location: num("DropLocation").unwrap_or(0) as u32,
            original_size: num("OriginalPayloadSize").unwrap_or(payload.len() as u64) as u16,
            logged_size: num("LoggedPayloadSize").unwrap_or(payload.len() as u64) as u16,
            payload,
        })
    }

    /// The pcap link type of the payload (`pktmon_meta::link_type`): `None` for HTTP,
    /// the transport-level types and Unknown.
    pub fn link_type(&self) -> Option<LinkType> {
        pktmon_meta::link_type(self.packet_type)
    }

    pub fn direction(&self) -> Direction {
        pktmon_meta::direction(self.direction_tag)
    }

    /// The record. `reason_name` is the file's DropReason map's name for `drop_reason`
    /// (trailing space already removed), if it has one; else pktmon's built-in names apply
    /// (`pktmon_meta::drop_kind`).
    pub fn record(&self, timestamp_ns: u64, reason_name: Option<&'a str>) -> PacketRecord<'a> {
        let kind = if self.dropped {
            pktmon_meta::drop_kind(self.drop_reason, self.drop_location, reason_name)
        } else {
            RecordKind::Flow
        };
        PacketRecord {
            timestamp_ns,
            component: u32::from(self.component_id),
            direction: self.direction(),
            edge: u32::from(self.edge_id),
            group_id: self.group_id,
            packet_number: u32::from(self.packet_number),
            appearance: u32::from(self.appearance),
            group_inferred: false,
            kind,
            filter_id: u32::from(self.filter_id),
            original_len: u32::from(self.original_size.max(self.logged_size)),
            link_type: pktmon_meta::record_link_type(self.packet_type),
            data: Cow::Borrowed(self.payload),
        }
    }
}

/// True if a WiFi-labelled payload is really an Ethernet frame: filters above nwifi.sys
/// report their lower edge as WiFi although they see Ethernet (etl-format.md §8.2). Judged
/// by a known EtherType at bytes 12–13 where the frame does not parse as an 802.11 data
/// frame carrying an LLC/SNAP header (what real 802.11 frames at those edges are).
pub fn wifi_payload_is_ethernet(payload: &[u8]) -> bool {
    let Some(et) = payload.get(12..14) else {
        return false;
    };
    let ethertype = u16::from_be_bytes([et[0], et[1]]);
    let known = matches!(
        ethertype,
        0x0800 | 0x0806 | 0x86DD | 0x8100 | 0x88CC | 0x88D9 | 0x888E | 0x8863 | 0x8864
    );
    known && !is_80211_data_with_snap(payload)
}

fn is_80211_data_with_snap(p: &[u8]) -> bool {
    let (Some(&fc0), Some(&fc1)) = (p.first(), p.get(1)) else {
        return false;
    };
    let (version, frame_type, subtype) = (fc0 & 0x03, (fc0 >> 2) & 0x03, fc0 >> 4);
    if version != 0 || frame_type != 2 {
        return false;
    }
    let mut header = 24;
    if fc1 & 0x03 == 0x03 {
        header += 6; // ToDS and FromDS: a fourth address
    }
    if subtype & 0x08 != 0 {
        header += 2; // QoS control
        if fc1 & 0x80 != 0 {
            header += 4; // HT control
        }
    }
    p.get(header..header + 3) == Some(&[0xAA, 0xAA, 0x03][..])
}

/// True if `t`'s fields are, in order and type, the layout [`PacketEvent::parse`] reads.
pub fn template_is_fixed_layout(t: &EventTemplate) -> bool {
    const EXPECTED: [(u16, usize); 12] = [
        (in_type::UINT64, 8),
        (in_type::UINT16, 2),
        (in_type::UINT16, 2),
        (in_type::UINT16, 2),
        (in_type::UINT16, 2),
        (in_type::UINT16, 2),
        (in_type::UINT16, 2),
        (in_type::UINT16, 2),
        (in_type::UINT32, 4),
        (in_type::UINT32, 4),
        (in_type::UINT16, 2),
        (in_type::UINT16, 2),
    ];
    t.properties.len() == 13
        && t.top_level_count == 13
        && t.properties
            .iter()
            .zip(EXPECTED)
            .all(|(p, (ty, _))| p.in_type == ty && p.flags & 0x7 == 0)
        && t.properties[12].in_type == in_type::BINARY
        && t.properties[12].length == 11
}

pub(crate) fn field<'f, 'a>(fields: &'f [Field<'a>], name: &str) -> Option<&'f Field<'a>> {
    fields.iter().find(|f| f.name == name)
}

/// Packet and byte counts of one direction pair (events 80 and 90).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    pub dir_in: u16,
    pub packets_in: u64,
    pub bytes_in: u64,
    pub dir_out: u16,
    pub packets_out: u64,
    pub bytes_out: u64,
}

/// A component edge with its flow counters (event 90).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edge {
    pub id: u16,
    /// "Upper" / "Lower".
    pub name: String,
    pub counters: Counters,
}

/// One property of a component (events 30–75) in Windows' words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentProperty {
    /// PropertyType code.
    pub kind: u16,
    /// PropertyType name ("IfIndex", "PhysAddress", ...), or the number.
    pub name: String,
    /// The value as `pktmon format` prints it (map names without their trailing space).
    pub value: String,
}

/// One pktmon component, from the rundown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Component {
    pub id: u16,
    /// ComponentType code and name ("Miniport", "Filter", "Protocol", ...).
    pub type_code: u16,
    pub type_name: String,
    /// Driver file ("tcpip.sys").
    pub name: String,
    /// Description ("TCPIP6", an adapter name).
    pub description: String,
    pub properties: Vec<ComponentProperty>,
    pub mac: Option<Vec<u8>>,
    pub ipv4: Vec<Ipv4Addr>,
    pub ipv6: Vec<Ipv6Addr>,
    pub if_index: Option<u32>,
    pub if_guid: Option<Guid>,
    pub drop_counters: Option<Counters>,
    pub edges: Vec<Edge>,
}

/// A packet filter (events 100/110). Zero/empty fields were not set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub id: u16,
    pub name: String,
    pub mac1: Vec<u8>,
    pub mac2: Vec<u8>,
    pub ethertype: u16,
    pub vlan_id: u16,
    /// Addresses as printed ("10.0.0.1", "fe80::1"); empty when unset.
    pub ip1: String,
    pub ip2: String,
    pub protocol: u8,
    pub port1: u16,
    pub port2: u16,
    pub tcp_flags: u8,
}

/// The rundown of a file: components by id, and filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rundown {
    pub components: BTreeMap<u16, Component>,
    pub filters: Vec<Filter>,
}

impl Rundown {
    /// Takes one decoded PktMon event of the rundown; other ids are ignored.
    pub fn add(&mut self, event_id: u16, fields: &[Field<'_>]) {
        let num = |name: &str| field(fields, name).and_then(|f| f.value.as_u64());
        let text = |name: &str| -> String {
            field(fields, name)
                .map(|f| {
                    let mut s = String::new();
                    write_field(&mut s, f);
                    s.trim_end().to_string()
                })
                .unwrap_or_default()
        };
        match event_id {
            id::COMPONENT => {
                let Some(cid) = num("Id") else { return };
                let c = self.component(cid as u16);
                c.type_code = num("Type").unwrap_or(0) as u16;
                c.type_name = text("Type");
                c.name = text("Name");
                c.description = text("Description");
            }
            id::PROPERTY_INT
            | id::PROPERTY_GUID
            | id::PROPERTY_HEX
            | id::PROPERTY_NDIS_MEDIUM
            | id::PROPERTY_IPV4
            | id::PROPERTY_IPV6
            | id::PROPERTY_BINARY
            | id::PROPERTY_STRING
            | id::PROPERTY_ETHERTYPE => {
                let Some(cid) = num("ComponentId") else {
                    return;
                };
                // The value is the last field (70 has Size before it).
                let Some(value) = fields.iter().skip(2).last() else {
                    return;
                };
                let kind = num("Type").unwrap_or(0) as u16;
                let name = text("Type");
                let mut rendered = String::new();
                write_field(&mut rendered, value);
                let rendered = rendered.trim_end().to_string();
                let c = self.component(cid as u16);
                match (event_id, &value.value) {
                    (id::PROPERTY_BINARY, Value::Binary(b)) if kind == 6 => {
                        c.mac = Some(b.to_vec())
                    }
                    (id::PROPERTY_IPV4, Value::UInt(v)) => {
                        let b = (*v as u32).to_le_bytes();
                        c.ipv4.push(Ipv4Addr::new(b[0], b[1], b[2], b[3]));
                    }
                    (id::PROPERTY_IPV6, Value::Binary(b)) if b.len() == 16 => {
                        let mut a = [0u8; 16];
                        a.copy_from_slice(b);
                        c.ipv6.push(Ipv6Addr::from(a));
                    }
                    (id::PROPERTY_GUID, Value::Guid(g)) if kind == 4 => c.if_guid = Some(*g),
                    (id::PROPERTY_INT, Value::UInt(v)) if kind == 1 => c.if_index = Some(*v as u32),
                    _ => {}
                }
                c.properties.push(ComponentProperty {
                    kind,
                    name,
                    value: rendered,
                });
            }
            id::DROP_COUNTERS | id::FLOW_COUNTERS => {
                let Some(cid) = num("ComponentId") else {
                    return;
                };
                let counters = Counters {
                    dir_in: num("DirTagIn").unwrap_or(0) as u16,
                    packets_in: num("PacketsIn").unwrap_or(0),
                    bytes_in: num("BytesIn").unwrap_or(0),
                    dir_out: num("DirTagOut").unwrap_or(0) as u16,
                    packets_out: num("PacketsOut").unwrap_or(0),
                    bytes_out: num("BytesOut").unwrap_or(0),
                };
                let edge_name = text("EdgeName");
                let edge_id = num("EdgeId").unwrap_or(0) as u16;
                let c = self.component(cid as u16);
                if event_id == id::DROP_COUNTERS {
                    c.drop_counters = Some(counters);
                } else {
                    c.edges.push(Edge {
                        id: edge_id,
                        name: edge_name,
                        counters,
                    });
                }
            }
            id::FILTER_IPV4 | id::FILTER_IPV6 => {
                let bytes = |name: &str| match field(fields, name).map(|f| &f.value) {
                    Some(Value::Binary(b)) => b.to_vec(),
                    _ => Vec::new(),
                };
                let ip = |name: &str| {
                    let zero = match field(fields, name).map(|f| &f.value) {
                        Some(Value::UInt(v)) => *v == 0,
                        Some(Value::Binary(b)) => b.iter().all(|&x| x == 0),
                        _ => true,
                    };
                    if zero { String::new() } else { text(name) }
                };
                self.filters.push(Filter {
                    id: num("FilterId").unwrap_or(0) as u16,
                    name: text("FilterName"),
                    mac1: bytes("MacAddress1"),
                    mac2: bytes("MacAddress2"),
                    ethertype: num("EtherType").unwrap_or(0) as u16,
                    vlan_id: num("VlanId").unwrap_or(0) as u16,
                    ip1: ip("IpAddress1"),
                    ip2: ip("IpAddress2"),
                    protocol: num("Protocol").unwrap_or(0) as u8,
                    port1: num("Port1").unwrap_or(0) as u16,
                    port2: num("Port2").unwrap_or(0) as u16,
                    tcp_flags: num("TCPFlags").unwrap_or(0) as u8,
                });
            }
            _ => {}
        }
    }

    fn component(&mut self, id: u16) -> &mut Component {
        self.components.entry(id).or_insert_with(|| Component {
            id,
            ..Component::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet_bytes(payload: &[u8]) -> Vec<u8> {
        let mut d = Vec::new();
        d.extend_from_slice(&562_949_953_421_313u64.to_le_bytes());
        for v in [1u16, 2, 4, 1, 84, 1, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&1204u32.to_le_bytes());
        d.extend_from_slice(&0xE000_460Au32.to_le_bytes());
        d.extend_from_slice(&1500u16.to_le_bytes());
        d.extend_from_slice(&(payload.len() as u16).to_le_bytes());
        d.extend_from_slice(payload);
        d
    }

    #[test]
    fn parses_a_drop_into_a_record() {
        let d = packet_bytes(&[0xAA; 54]);
        let p = PacketEvent::parse(&d, true).unwrap();
        assert_eq!(p.group_id, 562_949_953_421_313);
        assert_eq!((p.packet_number, p.appearance), (1, 2));
        assert_eq!(p.component_id, 84);
        assert_eq!(p.payload.len(), 54);
        let r = p.record(7, Some("INET: transport endpoint was not found"));
        assert_eq!(r.direction, Direction::Tx);
        assert_eq!(r.link_type, LinkType::ETHERNET);
        assert_eq!(r.original_len, 1500);
        assert_eq!(
            r.kind,
            RecordKind::Drop {
                reason: "INET: transport endpoint was not found".into(),
                location: "0xE000460A".into()
            }
        );
        assert!(PacketEvent::parse(&d[..d.len() - 1], false).is_none());
        assert!(PacketEvent::parse(&d[..20], false).is_none());
    }

    #[test]
    fn transport_level_and_unnamed_drops_use_the_shared_mapping() {
        let mut d = packet_bytes(&[0x01, 0xBB, 0xC3, 0x50]);
        d[0x0E] = 5; // PacketType TCP: starts at the TCP header
        d[0x16..0x1A].copy_from_slice(&801u32.to_le_bytes());
        let p = PacketEvent::parse(&d, true).unwrap();
        assert_eq!(p.link_type(), None);
        let r = p.record(7, None);
        assert_eq!(r.link_type, LinkType(152)); // USER0 + TCP
        assert_eq!(r.link_type.pktmon_name(), "TCP");
        assert_eq!(
            r.kind,
            RecordKind::Drop {
                reason: "HTTP: receive suppressed".into(),
                location: "0xE000460A".into()
            }
        );
    }

    #[test]
    fn recognises_ethernet_in_wifi_labelled_frames() {
        let mut eth = vec![
            0x54, 0x8C, 0xA0, 0x98, 0x0E, 0x25, 0x3C, 0x84, 0x6A, 0x01, 0xEA, 0x8B,
        ];
        eth.extend_from_slice(&[0x08, 0x00, 0x45, 0x00]);
        assert!(wifi_payload_is_ethernet(&eth));
        // An 802.11 data frame with LLC/SNAP stays WiFi even if bytes 12-13 look like one.
        let mut wifi = vec![
            0x08, 0x01, 0x2C, 0, 0x3C, 0x84, 0x6A, 1, 0xEA, 0x8B, 0x54, 0x8C,
        ];
        wifi.extend_from_slice(&[
            0x08, 0x00, 0x0E, 0x25, 0x3C, 0x84, 0x6A, 0x01, 0xEA, 0x8B, 0x10, 0,
        ]);
        wifi.extend_from_slice(&[0xAA, 0xAA, 0x03, 0, 0, 0, 0x08, 0x00]);
        assert!(!wifi_payload_is_ethernet(&wifi));
        assert!(
            wifi_payload_is_ethernet(&wifi[..14]),
            "too short for 802.11 + SNAP"
        );
    }
}
