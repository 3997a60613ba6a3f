//! Built-in schema of the Microsoft-Windows-PktMon provider: the fallback for files without
//! embedded metadata, and the English messages used when the embedded ones are localised.
//!
//! Layouts, messages and map names are those embedded in real pktmon files (Windows builds
//! 19042–22621; see `shared/spec/etl-format.md` §8). Exceptions, marked below: event 170's
//! message (from Microsoft's pktmon documentation), 50 and 110 (layouts from Microsoft's 2020
//! NetMon parser; messages assumed to follow 30 and 100).

use std::sync::OnceLock;

use super::bytes::Guid;
use super::raw::Descriptor;
use super::tdh::{
    EventTemplate, PropertyInfo, Schema, ValueMap, in_type as it, out_type as ot, prop_flag,
};

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
        ("DropReason", false, DROP_REASONS.to_vec()),
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

/// DropReason names as embedded in a Windows Server 2022 (build 20348) capture.
const DROP_REASONS: &[(u32, &str)] = &[
    (0, "Unspecified"),
    (1, "Invalid Data"),
    (2, "Invalid Packet"),
    (3, "Insufficient resources"),
    (4, "Adapter not ready"),
    (5, "Media Disconnected"),
    (6, "Not accepted"),
    (7, "Device busy"),
    (8, "Filtered"),
    (9, "Filtered VLAN"),
    (10, "Unauthorized VLAN"),
    (11, "Unauthorized MAC"),
    (12, "Failed security policy"),
    (13, "Failed pVlan setting"),
    (14, "QoS drop"),
    (15, "IPSec drop"),
    (16, "Spoofed MAC address is not allowed"),
    (17, "Failed DHCP guard"),
    (18, "Failed Router Guard"),
    (19, "Bridge is not allowed inside VM"),
    (20, "Virtual Subnet ID does not match"),
    (21, "Required vSwitch extension is missing"),
    (22, "Creating vSwitch over another vSwitch is not allowed"),
    (23, "MTU mismatch"),
    (24, "Native forwarding required"),
    (25, "Invalid VLAN format"),
    (26, "Invalid destination MAC"),
    (27, "Invalid source MAC"),
    (28, "First NB too small"),
    (30, "Storm limit exceeded"),
    (31, "ICMP request injected by switch"),
    (32, "Failed to update destination list"),
    (33, "Destination NIC is disabled"),
    (34, "Packet does not match destination NIC packet filter"),
    (35, "vSwitch data flow is disabled"),
    (36, "Port isolation setting does not allow untagged traffic"),
    (37, "Invalid PD queue"),
    (38, "Adapter is in low power state"),
    (201, "Adapter paused"),
    (202, "Adapter reset in progress"),
    (203, "Send aborted"),
    (204, "Unsupported EtherType"),
    (401, "Microport error"),
    (402, "VF not ready"),
    (403, "Microport not ready"),
    (404, "VMBus error"),
    (601, "Loopback Ethernet packet"),
    (602, "Invalid SNAP header"),
    (603, "Invalid Ethernet type"),
    (604, "Invalid packet length"),
    (605, "Header not contiguous"),
    (606, "Invalid destination type"),
    (607, "Interface not ready"),
    (608, "Provider not ready"),
    (609, "Invalid LSO information"),
    (610, "Invalid USO information"),
    (611, "Invalid medium type"),
    (612, "Invalid ARP header"),
    (
        613,
        "No interface available to receive packets for an isolation ID",
    ),
    (701, "Failed ARP Guard"),
    (702, "Invalid ARP Pkt Limiter"),
    (703, "Invalid DHCP Pkt Limiter"),
    (704, "Broadcast Blocked"),
    (705, "Block Non-IP Pkt"),
    (706, "Invalid ARP Filter"),
    (707, "Failed IPv4 Guard"),
    (708, "Failed IPv6 Guard"),
    (709, "Failed MAC Guard"),
    (710, "No Broadcast destination ports available"),
    (711, "No Unicast destination ports available"),
    (712, "Unicast port not ready"),
    (713, "Switch callback failed"),
    (714, "Invalid ICMPV6 limiter"),
    (715, "Intercept Pkt Drop"),
    (716, "Intercept Blocked"),
    (717, "Failed NDP Guard"),
    (718, "Port Blocked"),
    (719, "NIC Suspended"),
    (901, "Bad source address"),
    (902, "Not locally destined"),
    (903, "Protocol unreachable"),
    (904, "Port unreachable"),
    (905, "Bad length"),
    (906, "Malformed header"),
    (907, "No route available"),
    (908, "Beyond scope"),
    (909, "Inspection drop"),
    (910, "Too many decapsulations"),
    (911, "Administratively prohibited"),
    (912, "Bad checksum"),
    (913, "Max receive path discard reason"),
    (914, "Hop limit exceeded"),
    (915, "Address unreachable"),
    (916, "RSC packet"),
    (917, "Max forward path discard reason"),
    (918, "Arbitration unhandled"),
    (919, "Inspection absorb"),
    (920, "Fragment MTU exceeded"),
    (921, "Buffer length exceeded"),
    (922, "Address resolution timeout"),
    (923, "Address resolution failure"),
    (924, "IPsec failure"),
    (925, "Extension headers failure"),
    (926, "IPSNPI client drop"),
    (927, "Unsupported offload"),
    (928, "Routing failure"),
    (929, "Ancillary data failure"),
    (930, "Raw data failure"),
    (931, "Session state failure"),
    (932, "IPSNPI: modified but not forwarded"),
    (933, "IPSNPI: no next hop specified"),
    (934, "IPSNPI: compartment not found"),
    (935, "IPSNPI: interface not found"),
    (936, "IPSNPI: subinterface not found"),
    (937, "IPSNPI: disabled interface"),
    (938, "IPSNPI: segmentation failed"),
    (939, "IPSNPI: No Ethernet header"),
    (940, "IPSNPI: unexpected fragment"),
    (941, "IPSNPI: unsupported interface type"),
    (942, "IPSNPI: invalid LSO info"),
    (943, "IPSNPI: invalid USO info"),
    (944, "Unexpected internal error"),
    (945, "Administratively configured setting"),
    (946, "Bad option"),
    (947, "This type of packet is not accepted over loopback"),
    (948, "Scope of address is too limited"),
    (949, "Full queue"),
    (950, "Disabled interface"),
    (951, "ICMP: general failure"),
    (952, "ICMP: truncated header"),
    (953, "ICMP: invalid checksum"),
    (954, "ICMP: inspection drop"),
    (955, "ICMP: rejecting loopback neighbor discovery"),
    (956, "ICMP: unknown type/code"),
    (957, "ICMP: truncated IP header"),
    (958, "ICMP: oversized IP header"),
    (959, "ICMP: no handler"),
    (960, "ICMP: not responding with error for error"),
    (961, "ICMP: invalid source"),
    (962, "ICMP: interface rate limit"),
    (963, "ICMP: path rate limit"),
    (964, "ICMP: no route"),
    (965, "ICMP: no matching request"),
    (966, "ICMP: buffer too small"),
    (967, "ICMP: failed to obtain ancillary data"),
    (968, "ICMP: incorrect hop limit"),
    (969, "ICMP: unknown code"),
    (970, "ICMP: source not linklocal"),
    (971, "ICMP: truncated ND header"),
    (972, "ICMP: invalid ND option SourceLinkAddr"),
    (973, "ICMP: invalid ND option MTU"),
    (974, "ICMP: invalid ND option PrefixInformation"),
    (975, "ICMP: invalid ND option RouteInformation"),
    (976, "ICMP: invalid ND option RDNSS"),
    (977, "ICMP: invalid ND option DNSSL"),
    (978, "ICMP: packet parsing failure"),
    (979, "ICMP: disallowed by the current configuration"),
    (980, "ICMP: invalid router advertisement"),
    (
        981,
        "ICMP: source address is not on the same link as this interface",
    ),
    (
        982,
        "ICMP: invalid destination or target address for redirect message",
    ),
    (983, "ICMP: invalid neighbor discovery target"),
    (
        984,
        "ICMP: invalid neighbor advertisement - the solicited flag cannot be set if the destination address is multicast",
    ),
    (
        985,
        "ICMP: the link layer address belongs to this interface",
    ),
    (986, "ICMP: duplicate echo request"),
    (
        987,
        "ICMP: router advertisement came from a router that is not part of the potential router list",
    ),
    (
        988,
        "ICMP: router advertisement came from a router that is not part of the potential router list",
    ),
    (
        989,
        "ICMP: router advertisement came from a router that is not part of the potential router list",
    ),
    (
        990,
        "ICMP: router advertisement came from a router that is not part of the potential router list",
    ),
    (991, "ICMP: not locally destined"),
    (992, "ARP: invalid source"),
    (993, "ARP: invalid target"),
    (
        994,
        "ARP: the source address in the DL header belongs to the local interface",
    ),
    (995, "ARP: not locally destined"),
    (
        997,
        "IPSNPI: URO segment size exceeds forward interface MTU",
    ),
    (998, "ICMP: packet was fragmented"),
    (1200, "INET: source unspecified"),
    (1201, "INET: destination is multicast"),
    (1202, "INET: header is invalid"),
    (1203, "INET: checksum is invalid"),
    (1204, "INET: transport endpoint was not found"),
    (1205, "INET: connected path error"),
    (1206, "INET: session state error"),
    (1207, "INET: receive inspection"),
    (1208, "INET: invalid ACK in SYN_SENT state"),
    (1209, "INET: expected SYN"),
    (1210, "INET: received RST"),
    (1211, "INET: received SYN while in SYN_RCVD state"),
    (1212, "INET: simultaneous connect"),
    (1213, "INET: PAWS failed"),
    (1214, "INET: land attack"),
    (1215, "INET: missed RST"),
    (1216, "INET: outside receive window"),
    (1217, "INET: duplicate segment"),
    (1218, "INET: closed window"),
    (1219, "INET: TCB removed"),
    (1220, "INET: FIN-WAIT2"),
    (1221, "INET: reassembly conflict"),
    (1222, "INET: FIN received"),
    (1223, "INET: listener received segment with invalid flags"),
    (1224, "INET: TCB was not inserted in TCB table"),
    (
        1225,
        "INET: TIME-WAIT TCB received RST outside receive window",
    ),
    (
        1226,
        "INET: TIME-WAIT TCB received segment with SYN and other flags set",
    ),
    (1227, "INET: packet dropped by TIME_WAIT TCB"),
    (1228, "INET: SYN+ACK with fastopen cookie request"),
    (
        1229,
        "INET: listener dropped SYN because SO_PAUSE_ACCEPT was set",
    ),
    (1230, "INET: listener dropped SYN to reduce memory pressure"),
    (1231, "INET: accept inspection"),
    (1232, "INET: accept redirection"),
    (1301, "SlbMux: Parsing failure"),
    (
        1302,
        "SluMux: First packet for the fragmented datagram is not at offset 0",
    ),
    (
        1303,
        "SlbMux: Failed to parse or validate the IP packet contained in the ICMP error message payload",
    ),
    (
        1304,
        "SlbMux: IP packet contained in the ICMP error message payload does not match any existing session",
    ),
    (
        1305,
        "SlbMux: Failed to find a nexthop for external hairpinning",
    ),
    (
        1306,
        "SlbMux: No matching static mapping exists to let the packet in",
    ),
    (
        1307,
        "SlbMux: Failed to acquire a reference on the nexthop object",
    ),
    (1308, "SlbMux: Failed to clone the packet"),
    (1309, "SlbMux: Failed to translate the packet"),
    (1310, "SlbMux: Hop limit exceeded"),
    (
        1311,
        "SlbMux: Packet is larger than nexthop MTU and cannot be fragmented",
    ),
    (1312, "SlbMux: Unexpected route lookup failure"),
    (1313, "SlbMux: No route to packet destination was found"),
    (1314, "SlbMux: Failed to create a session object"),
    (
        1315,
        "SlbMux: The interface over which the packet is to be routed is not a SLBMUX external interface",
    ),
    (
        1316,
        "SlbMux: The interface over which the packet is to be routed does not have a matching SLBMUX instancee",
    ),
    (
        1317,
        "SlbMux: SLBMUX device itself is not allowed to be an internal host at the same time",
    ),
    (
        1318,
        "SlbMux: Packet is routable in its own arrival compartment",
    ),
    (
        1319,
        "SlbMux: Packet transport protocol is not supported by SLBMUX",
    ),
    (1320, "SlbMux: Packet is destined to SLBMUX itself"),
    (
        1321,
        "SlbMux: Packet destination address and port do not fall within any SLBMUX external address port range",
    ),
    (1322, "SlbMux: SLBMUX rejected the packet"),
    (
        1323,
        "SlbMux: SLBMUX failed to find the Vip/Dip configuration",
    ),
    (
        1324,
        "SlbMux: SLBMUX failed to send the encapsulated packet",
    ),
    (
        1325,
        "SlbMux: SLBMUX found invalid reachability encap type for diagnostic packet",
    ),
    (
        1326,
        "SlbMux: SLBMUX received redirect packet as the diagnostic packet",
    ),
    (1327, "SlbMux: SLBMUX unable to handle redirect packet"),
    (
        1401,
        "IPSEC: The SPI in the packet does not match a valid IPsec SA",
    ),
    (
        1402,
        "IPSEC: Packet was received on an IPsec SA whose lifetime has expired",
    ),
    (
        1403,
        "IPSEC: Packet was received on an IPsec SA that does not match the packet characteristics",
    ),
    (1404, "IPSEC: Packet sequence number replay check failed"),
    (
        1405,
        "IPSEC: IPsec header and/or trailer in the packet is invalid",
    ),
    (1406, "IPSEC: IPsec integrity check failed"),
    (1407, "IPSEC: IPsec dropped a clear text packet"),
    (
        1408,
        "IPSEC: IPsec dropped an incoming ESP packet in authenticated firewall mode",
    ),
    (1409, "IPSEC: IPsec dropped a packet due to DoS throttling"),
    (
        1410,
        "IPSEC: IPsec DoS Protection matched an explicit block rule",
    ),
    (
        1411,
        "IPSEC: IPsec DoS Protection received an IPsec specific multicast packet which is not allowed",
    ),
    (
        1412,
        "IPSEC: IPsec DoS Protection received an incorrectly formatted packet",
    ),
    (1413, "IPSEC: IPsec DoS Protection failed to look up state"),
    (
        1414,
        "IPSEC: IPsec DoS Protection failed to create state because the maximum number of entries allowed by policy has been reached",
    ),
    (
        1415,
        "IPSEC: IPsec DoS Protection received an IPsec negotiation packet for a keying module which is not allowed by policy",
    ),
    (
        1416,
        "IPSEC: IPsec DoS Protection failed to create a per internal IP rate limit queue because the maximum number of queues allowed by policy has been reached",
    ),
    (1417, "IPSEC: Failed to allocate memory"),
    (1418, "IPSEC: Operation was unsuccessful"),
    (1501, "NETCX: Failed to parse NetPacket Layout correctly"),
    (
        1502,
        "NETCX: Failed to calculate NetBuffer software checksum",
    ),
    (1503, "NETCX: Queue is being stopped or destroyed"),
    (1504, "NETCX: Invalid NetBuffer size"),
    (1505, "NETCX: Large Send Offload (LSO) failure"),
    (1506, "NETCX: UDP Segmentation Offload (USO) failure"),
    (1507, "NETCX: NetBuffer bounce operation failed"),
];

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
