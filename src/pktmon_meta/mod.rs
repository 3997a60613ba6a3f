//! PktMon packet metadata → record fields: one mapping for every source that carries it,
//! the ETL reader (events 160/170) and the PktMonApi.dll real-time stream
//! (`PACKETMONITOR_STREAM_METADATA`). Both carry the same DirTag, PacketType, DropReason
//! and DropLocation values (`docs/spec/pktmon-cli.md` §5.5–5.7).

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::record::{Direction, LinkType, RecordKind};

pub mod drop_reasons;

/// `PKTMON_DIRECTION_TAG`.
pub mod direction {
    pub const UNSPECIFIED: u16 = 0;
    pub const IN: u16 = 1;
    pub const OUT: u16 = 2;
    pub const RX: u16 = 3;
    pub const TX: u16 = 4;
    pub const INGRESS: u16 = 5;
    pub const EGRESS: u16 = 6;
}

/// `PKTMON_PACKET_TYPE`: what the payload starts with.
pub mod packet_type {
    pub const UNKNOWN: u16 = 0;
    pub const ETHERNET: u16 = 1;
    pub const WIFI: u16 = 2;
    pub const IP: u16 = 3;
    pub const HTTP: u16 = 4;
    pub const TCP: u16 = 5;
    pub const UDP: u16 = 6;
    pub const ARP: u16 = 7;
    pub const ICMP: u16 = 8;
    pub const ESP: u16 = 9;
    pub const AH: u16 = 10;
    /// A TCP or UDP header.
    pub const L4_PAYLOAD: u16 = 11;
}

/// The receive-path tags (In, Rx, Ingress) → Rx; the send-path ones → Tx; else Unknown.
pub fn direction(tag: u16) -> Direction {
    match tag {
        direction::IN | direction::RX | direction::INGRESS => Direction::Rx,
        direction::OUT | direction::TX | direction::EGRESS => Direction::Tx,
        _ => Direction::Unknown,
    }
}

/// The pcap link type of a payload that starts at a link layer (or at IP: raw IP). `None`
/// for HTTP, the transport-level types (TCP, UDP, ARP, ICMP, ESP, AH, L4Payload), Unknown
/// and codes the enum does not have: pcap has no link type for a payload that starts there.
pub fn link_type(packet_type: u16) -> Option<LinkType> {
    match packet_type {
        packet_type::ETHERNET => Some(LinkType::ETHERNET),
        packet_type::WIFI => Some(LinkType::IEEE802_11),
        packet_type::IP => Some(LinkType::RAW),
        _ => None,
    }
}

/// What a record carries for payloads without a pcap link type and no known packet type:
/// LINKTYPE_USER0, a private one, so that no reader takes their bytes for a header they are
/// not. (Before, the ETL path used 0, LINKTYPE_NULL, so decoders read the first 4 bytes of
/// a TCP header as a BSD loopback address family, and the stream used raw IP.) Our text
/// decoder prints `unsupported link type 147, length N`, Wireshark shows the bytes
/// undissected, and a pcapng keeps these packets on an interface of their own.
pub const NO_LINK_LAYER: LinkType = LinkType::USER0;

/// The link type a record carries: [`link_type`], else the private LINKTYPE_USER0 + the
/// packet type (USER4 = HTTP … USER11 = L4Payload), so that a pcapng keeps what such a
/// payload starts with and the record line can name it; [`NO_LINK_LAYER`] for Unknown and
/// codes the enum does not have.
pub fn record_link_type(packet_type: u16) -> LinkType {
    link_type(packet_type).unwrap_or(match packet_type {
        packet_type::HTTP..=packet_type::L4_PAYLOAD => LinkType(LinkType::USER0.0 + packet_type),
        _ => NO_LINK_LAYER,
    })
}

/// DropLocation as pktmon prints it: `0x`, upper-case hex, no padding (TDH's HexInt32;
/// every location pktmon defines has 8 digits).
pub fn write_drop_location(out: &mut String, location: u32) {
    let _ = write!(out, "0x{location:X}");
}

pub fn drop_location(location: u32) -> String {
    let mut s = String::with_capacity(10);
    write_drop_location(&mut s, location);
    s
}

/// pktmon's display name for a drop reason: Windows' own (the Server 2022 map, 260 codes),
/// else a name for the 3 other members of the current Win32 enum
/// ([`drop_reasons::ENUM_ONLY`]). `None` for codes neither has, including the old
/// numbering's 101–104 (the current enum moved those to 201–204).
pub fn drop_reason_name(code: u32) -> Option<&'static str> {
    [drop_reasons::SERVER_2022, drop_reasons::ENUM_ONLY]
        .into_iter()
        .find_map(|table| {
            let i = table.binary_search_by_key(&code, |&(c, _)| c).ok()?;
            Some(table[i].1)
        })
}

/// A drop's record kind. The reason is `file_name` (the name an ETL file's own DropReason
/// map gives the code: a file's words win), else [`drop_reason_name`], else the number.
pub fn drop_kind<'a>(code: u32, location: u32, file_name: Option<&'a str>) -> RecordKind<'a> {
    let reason = match file_name.or_else(|| drop_reason_name(code)) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(code.to_string()),
    };
    RecordKind::Drop {
        reason,
        location: Cow::Owned(drop_location(location)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_direction_tag() {
        let want = [
            (direction::UNSPECIFIED, Direction::Unknown),
            (direction::IN, Direction::Rx),
            (direction::OUT, Direction::Tx),
            (direction::RX, Direction::Rx),
            (direction::TX, Direction::Tx),
            (direction::INGRESS, Direction::Rx),
            (direction::EGRESS, Direction::Tx),
            (7, Direction::Unknown),
            (u16::MAX, Direction::Unknown),
        ];
        for (tag, dir) in want {
            assert_eq!(direction(tag), dir, "tag {tag}");
        }
    }

    #[test]
    fn every_packet_type() {
        let with_link = [
            (packet_type::ETHERNET, LinkType::ETHERNET),
            (packet_type::WIFI, LinkType::IEEE802_11),
            (packet_type::IP, LinkType::RAW),
        ];
        for (ptype, link) in with_link {
            assert_eq!(link_type(ptype), Some(link), "type {ptype}");
            assert_eq!(record_link_type(ptype), link, "type {ptype}");
        }
        // Without a pcap link type: a private one per packet type, named as pktmon names it.
        let named = [
            (packet_type::HTTP, "HTTP"),
            (packet_type::TCP, "TCP"),
            (packet_type::UDP, "UDP"),
            (packet_type::ARP, "ARP"),
            (packet_type::ICMP, "ICMP"),
            (packet_type::ESP, "ESP"),
            (packet_type::AH, "AH"),
            (packet_type::L4_PAYLOAD, "L4Payload"),
        ];
        for (ptype, name) in named {
            assert_eq!(link_type(ptype), None, "type {ptype}");
            let link = record_link_type(ptype);
            assert!((148..=162).contains(&link.0), "type {ptype}: {link:?}");
            assert_eq!(link.pktmon_name(), name);
        }
        for ptype in [packet_type::UNKNOWN, 12, u16::MAX] {
            assert_eq!(link_type(ptype), None, "type {ptype}");
            assert_eq!(record_link_type(ptype), NO_LINK_LAYER, "type {ptype}");
            assert_eq!(NO_LINK_LAYER.pktmon_name(), "Unknown");
        }
    }

    #[test]
    fn drop_locations_print_as_windows_does() {
        assert_eq!(drop_location(0xE000_460A), "0xE000460A");
        assert_eq!(drop_location(0xE000_1001), "0xE0001001");
        assert_eq!(drop_location(0x1F), "0x1F");
        assert_eq!(drop_location(0), "0x0");
        let mut s = String::from("DropLocation ");
        write_drop_location(&mut s, 0xE000_9007);
        assert_eq!(s, "DropLocation 0xE0009007");
    }

    #[test]
    fn drop_reason_names_from_each_range() {
        let want = [
            // VMSwitch-compatible 0–38
            (0, "Unspecified"),
            (23, "MTU mismatch"),
            (38, "Adapter is in low power state"),
            // General (current numbering)
            (201, "Adapter paused"),
            (204, "Unsupported EtherType"),
            // NetVsc
            (401, "Microport error"),
            (404, "VMBus error"),
            // FL
            (601, "Loopback Ethernet packet"),
            (
                613,
                "No interface available to receive packets for an isolation ID",
            ),
            // VFP
            (701, "Failed ARP Guard"),
            (719, "NIC Suspended"),
            // NL, with its ICMP and ARP parts
            (904, "Port unreachable"),
            (951, "ICMP: general failure"),
            (995, "ARP: not locally destined"),
            (
                997,
                "IPSNPI: URO segment size exceeds forward interface MTU",
            ),
            (998, "ICMP: packet was fragmented"),
            // INET
            (1200, "INET: source unspecified"),
            (1204, "INET: transport endpoint was not found"),
            (1232, "INET: accept redirection"),
            // SlbMux, IPsec, NetCx (Windows' typo kept)
            (
                1302,
                "SluMux: First packet for the fragmented datagram is not at offset 0",
            ),
            (1418, "IPSEC: Operation was unsuccessful"),
            (1507, "NETCX: NetBuffer bounce operation failed"),
            // Only the enum has these
            (29, "Windows Network Virtualization error"),
            (801, "HTTP: receive suppressed"),
            (996, "NL: client discard"),
        ];
        for (code, name) in want {
            assert_eq!(drop_reason_name(code), Some(name), "code {code}");
        }
    }

    #[test]
    fn unknown_drop_reasons_have_no_name() {
        // 101–104: the old numbering of the general group; 39, 1233...: gaps; beyond the end.
        for code in [
            39,
            101,
            104,
            200,
            205,
            500,
            800,
            999,
            1199,
            1233,
            1508,
            u32::MAX,
        ] {
            assert_eq!(drop_reason_name(code), None, "code {code}");
        }
    }

    #[test]
    fn tables_are_sorted_and_disjoint() {
        for table in [drop_reasons::SERVER_2022, drop_reasons::ENUM_ONLY] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
        assert_eq!(drop_reasons::SERVER_2022.len(), 260);
        assert!(
            drop_reasons::ENUM_ONLY
                .iter()
                .all(|(c, _)| drop_reasons::SERVER_2022.iter().all(|(s, _)| s != c))
        );
    }

    #[test]
    fn drop_kind_prefers_the_file_then_the_table_then_the_number() {
        let kind = |code, file| match drop_kind(code, 0xE000_460A, file) {
            RecordKind::Drop { reason, location } => {
                assert_eq!(location, "0xE000460A");
                reason.into_owned()
            }
            RecordKind::Flow => panic!("a drop"),
        };
        assert_eq!(kind(1204, Some("Endpoint not found")), "Endpoint not found");
        assert_eq!(kind(1204, None), "INET: transport endpoint was not found");
        assert_eq!(kind(801, None), "HTTP: receive suppressed");
        assert_eq!(kind(4242, None), "4242");
    }
}
