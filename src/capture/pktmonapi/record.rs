//! Stream metadata (§5.5 `PACKETMONITOR_STREAM_METADATA`) → `PacketRecord`.

use super::ffi::StreamMetadata;
use crate::pktmon_meta;
use crate::record::{PacketRecord, RecordKind};
use std::borrow::Cow;

/// 100 ns intervals between 1601-01-01 and 1970-01-01.
const FILETIME_UNIX_EPOCH: i64 = 116_444_736_000_000_000;

/// FILETIME → nanoseconds since the Unix epoch (0 for times before 1970).
pub fn filetime_to_unix_ns(ft: i64) -> u64 {
    (ft.saturating_sub(FILETIME_UNIX_EPOCH).max(0) as u64).saturating_mul(100)
}

/// The record for one streamed packet. Direction, link type, drop reason name and drop
/// location text come from the mapping the ETL reader uses (`pktmon_meta`): a live drop
/// carries the reason name and location text the same drop read from an ETL file would.
pub fn to_record<'a>(meta: &StreamMetadata, packet: &'a [u8]) -> PacketRecord<'a> {
    let m = *meta; // packed: copy fields out by value
    let (reason, location) = (m.drop_reason, m.drop_location);
    let kind = if reason != 0 || location != 0 {
        pktmon_meta::drop_kind(reason, location, None)
    } else {
        RecordKind::Flow
    };
    PacketRecord {
        timestamp_ns: filetime_to_unix_ns(m.timestamp),
        component: u32::from(m.component_id),
        direction: pktmon_meta::direction(m.direction_name),
        edge: u32::from(m.edge_id),
        group_id: m.pkt_group_id,
        packet_number: u32::from(m.pkt_count),
        appearance: u32::from(m.appearance_count),
        group_inferred: false,
        kind,
        filter_id: u32::from(m.filter_id),
        original_len: packet.len() as u32,
        link_type: pktmon_meta::record_link_type(m.packet_type),
        data: Cow::Borrowed(packet),
    }
}

#[cfg(test)]
mod tests {
    use super::super::ffi::{direction, packet_type};
    use super::*;
    use crate::record::{Direction, LinkType};

    #[test]
    fn metadata_fields_land_in_the_record() {
        let meta = StreamMetadata {
            pkt_group_id: 0x0001_0000_0000_0042,
            pkt_count: 2,
            appearance_count: 3,
            direction_name: direction::TX,
            packet_type: packet_type::ETHERNET,
            component_id: 17,
            edge_id: 4,
            filter_id: 5,
            drop_reason: 1204,
            drop_location: 0xE000_460A,
            processor: 1,
            // 2021-01-01T00:00:00Z + 1.5 µs
            timestamp: FILETIME_UNIX_EPOCH + 16_094_592_000_000_000 + 15,
        };
        let data = [1u8, 2, 3];
        let r = to_record(&meta, &data);
        assert_eq!(r.group_id, 0x0001_0000_0000_0042);
        assert_eq!(
            (r.packet_number, r.appearance, r.edge, r.filter_id),
            (2, 3, 4, 5)
        );
        assert_eq!(r.component, 17);
        assert_eq!(r.direction, Direction::Tx);
        assert_eq!(r.link_type, LinkType::ETHERNET);
        assert_eq!(r.timestamp_ns, 1_609_459_200_000_001_500);
        assert_eq!(
            r.kind,
            RecordKind::Drop {
                reason: "INET: transport endpoint was not found".into(),
                location: "0xE000460A".into()
            }
        );
        assert_eq!(&*r.data, &data);
    }

    #[test]
    fn flows_and_directions() {
        let meta = StreamMetadata {
            direction_name: direction::INGRESS,
            packet_type: packet_type::IP,
            ..Default::default()
        };
        let r = to_record(&meta, &[]);
        assert_eq!(r.kind, RecordKind::Flow);
        assert_eq!(r.direction, Direction::Rx);
        assert_eq!(r.link_type, LinkType::RAW);
        assert_eq!(filetime_to_unix_ns(0), 0);
    }

    #[test]
    fn transport_level_payloads_are_not_taken_for_ip() {
        for ptype in [packet_type::TCP, packet_type::UDP, packet_type::L4_PAYLOAD] {
            let meta = StreamMetadata {
                direction_name: direction::UNSPECIFIED,
                packet_type: ptype,
                ..Default::default()
            };
            let r = to_record(&meta, &[0x01, 0xBB, 0xC3, 0x50]);
            assert_eq!(r.link_type, LinkType(147 + ptype), "type {ptype}");
            assert_ne!(r.link_type.pktmon_name(), "IP");
            assert_eq!(r.direction, Direction::Unknown);
        }
    }

    #[test]
    fn a_drop_without_a_known_name_keeps_its_number() {
        let meta = StreamMetadata {
            drop_reason: 4242,
            drop_location: 0xE000_1001,
            ..Default::default()
        };
        assert_eq!(
            to_record(&meta, &[]).kind,
            RecordKind::Drop {
                reason: "4242".into(),
                location: "0xE0001001".into()
            }
        );
    }
}
