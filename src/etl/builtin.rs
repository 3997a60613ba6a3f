//! Built-in schema of the Microsoft-Windows-PktMon provider: the fallback for files without
//! embedded metadata, and the English messages used when the embedded ones are localised.
//!
//! Layouts, messages and map names are those embedded in real pktmon files (Windows builds
//! 19042–22621; see `docs/spec/etl-format.md` §8). Exceptions, marked below: event 170's
//! message (from Microsoft's pktmon documentation), 50 and 110 (layouts from Microsoft's 2020
//! NetMon parser; messages assumed to follow 30 and 100).

use std::sync::OnceLock;

use super::bytes::Guid;
use super::raw::Descriptor;
use super::tdh::{
    EventTemplate, PropertyInfo, Schema, ValueMap, in_type as it, out_type as ot, prop_flag,
};
use crate::pktmon_meta::drop_reasons;

/// Microsoft-Windows-PktMon.
pub const PKTMON_PROVIDER: Guid = Guid::from_fields(
    0x4d4f80d9,
    0xc8bd,
    0x4d73,
    [0xbb, 0x5b, 0x19, 0xc9, 0x04, 0x02, 0xc5, 0xac],
);
pub const PKTMON_PROVIDER_NAME: &str = "Microsoft-Windows-PktMon";

/// Keyword bits (NetMon parser): Config, Rundown, NblParsed, NblInfo, Payload.
const KW_RUNDOWN: u64 = 0x2;
const KW_PAYLOAD: u64 = 0x10;

/// (name, in-type, out-type, map, flags, length or length-property index)
type P = (&'static str, u16, u16, Option<&'static str>, u32, u16);

const ID: P = ("ComponentId", it::UINT16, it::UINT16, None, 0, 2);
const PTYPE: P = ("Type", it::UINT16, it::UINT16, Some("PropertyType"), 0, 2);

fn property_event(value: P) -> Vec<P> {
    vec![ID, PTYPE, value]
}

fn counters(edge: bool) -> Vec<P> {
    let mut v = vec![ID];
    if edge {
        v.push((
            "EdgeName",
            it::UNICODE_STRING,
            it::UNICODE_STRING,
            None,
            0,
            0,
        ));
        v.push(("EdgeId", it::UINT16, it::UINT16, None, 0, 2));
    }
    let dir = |n| (n, it::UINT16, it::UINT16, Some("PacketDirectionTag"), 0, 2);
    let u64p = |n| (n, it::UINT64, it::UINT64, None, 0, 8);
    v.extend([
        dir("DirTagIn"),
        u64p("PacketsIn"),
        u64p("BytesIn"),
        dir("DirTagOut"),
        u64p("PacketsOut"),
        u64p("BytesOut"),
    ]);
    v
}

fn filter(v6: bool) -> Vec<P> {
    let mac = |n| {
        (
            n,
            it::BINARY,
            ot::HEXBINARY,
            None,
            prop_flag::PARAM_FIXED_LENGTH,
            6,
        )
    };
    let ip = |n| {
        if v6 {
            (
                n,
                it::BINARY,
                ot::IPV6,
                None,
                prop_flag::PARAM_FIXED_LENGTH,
                16,
            )
        } else {
            (n, it::UINT32, ot::IPV4, None, 0, 4)
        }
    };
    vec![
        ("FilterId", it::UINT16, it::UINT16, None, 0, 2),
        (
            "FilterName",
            it::UNICODE_STRING,
            it::UNICODE_STRING,
            None,
            0,
            0,
        ),
        mac("MacAddress1"),
        mac("MacAddress2"),
        ("EtherType", it::UINT16, it::UINT16, Some("EtherType"), 0, 2),
        ("VlanId", it::UINT16, it::UINT16, None, 0, 2),
        ip("IpAddress1"),
        ip("IpAddress2"),
        ("Protocol", it::UINT8, it::UINT8, Some("IPProtocol"), 0, 1),
        ("Port1", it::UINT16, it::UINT16, None, 0, 2),
        ("Port2", it::UINT16, it::UINT16, None, 0, 2),
        ("TCPFlags", it::UINT8, it::UINT8, Some("TCPFlags"), 0, 1),
    ]
}

fn packet() -> Vec<P> {
    let u16p = |n| (n, it::UINT16, it::UINT16, None, 0, 2);
    vec![
        ("PktGroupId", it::UINT64, it::UINT64, None, 0, 8),
        u16p("PktNumber"),
        u16p("AppearanceCount"),
        (
            "DirTag",
            it::UINT16,
            it::UINT16,
            Some("PacketDirectionTag"),
            0,
            2,
        ),
        (
            "PacketType",
            it::UINT16,
            it::UINT16,
            Some("PacketType"),
            0,
            2,
        ),
        u16p("ComponentId"),
        u16p("EdgeId"),
        u16p("FilterId"),
        (
            "DropReason",
            it::UINT32,
            it::UINT32,
            Some("DropReason"),
            0,
            4,
        ),
        ("DropLocation", it::UINT32, ot::HEXINT32, None, 0, 4),
        u16p("OriginalPayloadSize"),
        u16p("LoggedPayloadSize"),
        (
            "Payload",
            it::BINARY,
            ot::HEXBINARY,
            None,
            prop_flag::PARAM_LENGTH,
            11,
        ),
    ]
}

const PROPERTY_MSG: &str = "Property: Component %1, %2 = %3 ";
const FILTER_MSG: &str = "Packet Filter %1, Name %2, MAC-1 %3, MAC-2 %4, EtherType %5, VlanId %6, IP-1 %7, IP-2 %8, Protocol %9, Port-1 %10, Port-2 %11, TCPFlags %12 ";

fn templates() -> Vec<(u16, u64, &'static str, Vec<P>)> {
    let ip4 = ("IpAddress", it::UINT32, ot::IPV4, None, 0, 4);
    let ip6 = (
        "IpAddress",
        it::BINARY,
        ot::IPV6,
        None,
        prop_flag::PARAM_FIXED_LENGTH,
        16,
    );
    vec![
        (
            20,
            KW_RUNDOWN,
            "Component %1, Type %2, Name %3, %4 ",
            vec![
                ("Id", it::UINT16, it::UINT16, None, 0, 2),
                ("Type", it::UINT16, it::UINT16, Some("ComponentType"), 0, 2),
                ("Name", it::UNICODE_STRING, it::UNICODE_STRING, None, 0, 0),
                (
                    "Description",
                    it::UNICODE_STRING,
                    it::UNICODE_STRING,
                    None,
                    0,
                    0,
                ),
            ],
        ),
        (
            30,
            KW_RUNDOWN,
            PROPERTY_MSG,
            property_event(("Value", it::UINT32, it::UINT32, None, 0, 4)),
        ),
        (
            40,
            KW_RUNDOWN,
            PROPERTY_MSG,
            property_event(("Value", it::GUID, ot::GUID, None, 0, 16)),
        ),
        // NetMon parser layout; message assumed.
        (
            50,
            KW_RUNDOWN,
            PROPERTY_MSG,
            property_event(("Value", it::UINT32, ot::HEXINT32, None, 0, 4)),
        ),
        (
            60,
            KW_RUNDOWN,
            PROPERTY_MSG,
            property_event(("Value", it::UINT16, it::UINT16, Some("NdisMedium"), 0, 2)),
        ),
        (65, KW_RUNDOWN, PROPERTY_MSG, property_event(ip4)),
        (66, KW_RUNDOWN, PROPERTY_MSG, property_event(ip6)),
        (
            70,
            KW_RUNDOWN,
            "Property: Component %1, %2 = %4 ",
            vec![
                ID,
                PTYPE,
                ("Size", it::UINT32, it::UINT32, None, 0, 4),
                (
                    "Value",
                    it::BINARY,
                    ot::HEXBINARY,
                    None,
                    prop_flag::PARAM_LENGTH,
                    2,
                ),
            ],
        ),
        (
            73,
            KW_RUNDOWN,
            PROPERTY_MSG,
            property_event(("Value", it::UNICODE_STRING, it::UNICODE_STRING, None, 0, 0)),
        ),
        (
            75,
            KW_RUNDOWN,
            PROPERTY_MSG,
            property_event(("EtherType", it::UINT16, it::UINT16, Some("EtherType"), 0, 2)),
        ),
        (
            80,
            KW_RUNDOWN,
            "Drop Counters: Component %1, Direction In = %2, Packets In %3, Bytes In %4, Direction Out = %5, Packets Out %6, Bytes Out %7 ",
            counters(false),
        ),
        (
            90,
            KW_RUNDOWN,
            "Flow Counters: Component %1, Edge %2, Edge Id %3, Direction In = %4, Packets In %5, Bytes In %6, Direction Out = %7, Packets Out %8, Bytes Out %9 ",
            counters(true),
        ),
        (100, KW_RUNDOWN, FILTER_MSG, filter(false)),
        // NetMon parser layout; message assumed.
        (110, KW_RUNDOWN, FILTER_MSG, filter(true)),
        (
            160,
            KW_PAYLOAD,
            "PktGroupId %1, PktNumber %2, Appearance %3, Direction %4, Type %5, Component %6, Edge %7, Filter %8, OriginalSize %11, LoggedSize %12 ",
            packet(),
        ),
        // Message as in Microsoft's "Analyze Packet Monitor output" page.
        (
            170,
            KW_PAYLOAD,
            "Drop: PktGroupId %1, PktNumber %2, Appearance %3, Direction %4, Type %5, Component %6, Filter %8, DropReason %9, DropLocation %10, OriginalSize %11, LoggedSize %12 ",
            packet(),
        ),
    ]
}

fn template(id: u16, keyword: u64, message: &str, props: Vec<P>) -> EventTemplate {
    let properties: Vec<PropertyInfo> = props
        .into_iter()
        .map(
            |(name, in_type, out_type, map, flags, length)| PropertyInfo {
                name: name.to_string(),
                flags,
                in_type,
                out_type,
                map_name: map.map(str::to_string),
                struct_start: 0,
                struct_members: 0,
                count: 1,
                length,
            },
        )
        .collect();
    EventTemplate {
        provider: PKTMON_PROVIDER,
        descriptor: Descriptor {
            id,
            level: 4,
            keyword,
            ..Descriptor::default()
        },
        provider_name: Some(PKTMON_PROVIDER_NAME.to_string()),
        level_name: Some("win:Informational".to_string()),
        keywords_name: Some(
            if keyword == KW_PAYLOAD {
                "Payload"
            } else {
                "Rundown"
            }
            .to_string(),
        ),
        message: Some(message.to_string()),
        top_level_count: properties.len(),
        properties,
        ..EventTemplate::default()
    }
}

/// (map name, is a bitmap, entries without Windows' trailing space).
type MapSpec = (&'static str, bool, Vec<(u32, &'static str)>);

/// Built-in maps; the trailing space Windows' names carry is added when they are built.
fn maps() -> Vec<MapSpec> {
    vec![
        (
            "PacketDirectionTag",
            false,
            vec![
                (0, "None"),
                (1, "In"),
                (2, "Out"),
                (3, "Rx"),
                (4, "Tx"),
                (5, "Ingress"),
                (6, "Egress"),
            ],
        ),
        (
            "PacketType",
            false,
            vec![
                (0, "Unknown"),
                (1, "Ethernet"),
                (2, "WiFi"),
                (3, "IP"),
                (4, "HTTP"),
            ],
        ),
        (
            "ComponentType",
            false,
            vec![
                (1, "NDIS"),
                (2, "Miniport"),
                (3, "Filter"),
                (4, "Protocol"),
                (5, "VmsVmNic"),
                (6, "VmsMiniport"),
                (7, "VmsExtMiniport"),
                (8, "VmsProtocolNic"),
                (9, "NetVsc Miniport"),
                (10, "HTTP Protocol"),
                (12, "Slbmux"),
                (13, "IPSec"),
                (14, "NetCx"),
                (15, "HTTP Message"),
            ],
        ),
        (
            "PropertyType",
            false,
            vec![
                (1, "IfIndex"),
                (2, "MiniportIfIndex"),
                (3, "LowerIfIndex"),
                (4, "IfGuid"),
                (5, "NdisMedium"),
                (6, "PhysAddress"),
                (7, "EtherType"),
                (8, "OptDataPath"),
                (9, "NdisObject"),
                (10, "VMSwitchName"),
                (11, "VmsExtIfIndex"),
                (12, "LowestIfIndex"),
                (13, "IP Address"),
                (14, "IpIfIndex"),
                (15, "VSID"),
                (16, "VLAN"),
                (17, "Compartment ID"),
            ],
        ),
        (
            "NdisMedium",
            false,
            vec![(0, "Ethernet"), (16, "WiFi"), (19, "MBB")],
        ),
        (
            "EtherType",
            false,
            vec![
                (0x0800, "IPv4"),
                (0x0806, "ARP"),
                (0x8100, "VLAN"),
                (0x86DD, "IPv6"),
                (0x88CC, "LLDP"),
                (0x88D9, "LLTD"),
            ],
        ),
        (
            "IPProtocol",
            false,
            vec![(1, "ICMP"), (6, "TCP"), (17, "UDP"), (58, "ICMPv6")],
        ),
        (
            "TCPFlags",
            true,
            vec![
                (1, "FIN"),
                (2, "SYN"),
                (4, "RST"),
                (8, "PSH"),
                (16, "ACK"),
                (32, "URG"),
                (64, "ECE"),
                (128, "CWR"),
            ],
        ),
        ("DropReason", false, drop_reasons::SERVER_2022.to_vec()),
    ]
}

/// The built-in PktMon schema (built once).
pub fn pktmon_schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let mut s = Schema::default();
        for (id, kw, msg, props) in templates() {
            s.add_template(template(id, kw, msg, props));
        }
        for (name, bitmap, entries) in maps() {
            let spaced: Vec<(u32, String)> =
                entries.iter().map(|(v, n)| (*v, format!("{n} "))).collect();
            let refs: Vec<(u32, &str)> = spaced.iter().map(|(v, n)| (*v, n.as_str())).collect();
            s.add_map(PKTMON_PROVIDER, ValueMap::from_entries(name, bitmap, &refs));
        }
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_schema_has_the_packet_template_and_maps() {
        let s = pktmon_schema();
        let t = s.template(PKTMON_PROVIDER, 160, 0).expect("160");
        assert_eq!(t.properties.len(), 13);
        assert_eq!(t.properties[12].length, 11);
        let m = s.map(PKTMON_PROVIDER, "DropReason").expect("map");
        assert_eq!(m.entries.len(), 260);
        assert_eq!(m.get(1204), Some("INET: transport endpoint was not found "));
        assert_eq!(
            s.map(PKTMON_PROVIDER, "PacketDirectionTag").unwrap().get(4),
            Some("Tx ")
        );
    }
}
