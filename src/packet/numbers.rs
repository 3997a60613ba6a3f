//! Protocol numbers defined once, for the decoder, the filters (src/filter) and the drop
//! tracer (src/capture/drops): EtherTypes (IEEE registry), IP protocol numbers and the
//! well-known UDP ports the decoder dispatches on (IANA).

/// EtherTypes.
pub mod ether_type {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    /// DECnet Phase IV routing.
    pub const DECNET: u16 = 0x6003;
    pub const TEB: u16 = 0x6558;
    pub const RARP: u16 = 0x8035;
    /// AppleTalk DDP.
    pub const APPLETALK: u16 = 0x809b;
    /// AppleTalk ARP.
    pub const AARP: u16 = 0x80f3;
    pub const IPX: u16 = 0x8137;
    pub const PPPOE_DISCOVERY: u16 = 0x8863;
    pub const PPPOE_SESSION: u16 = 0x8864;
    /// PPP with its HDLC-like framing (PPTP's GRE, and Ethernet).
    pub const PPP: u16 = 0x880b;
    pub const VLAN: u16 = 0x8100;
    pub const IPV6: u16 = 0x86dd;
    pub const AOE: u16 = 0x88a2;
    /// Microsoft Network Load Balancing heartbeats.
    pub const MS_NLB: u16 = 0x886f;
    pub const TIPC: u16 = 0x88ca;
    /// OSI network layer PDUs (one byte, then the NLPID).
    pub const OSI: u16 = 0xfefe;
    /// OSI PDUs in GRE (NLPID first).
    pub const GRE_OSI: u16 = 0x00fe;
    pub const PTP: u16 = 0x88f7;
    pub const LLDP: u16 = 0x88cc;
    /// Arista's vendor-specific type (timestamp header).
    pub const ARISTA: u16 = 0xd28b;
    /// 802.1AE MACsec.
    pub const MACSEC: u16 = 0x88e5;
    /// 802.1ag CFM, and its number before the registration.
    pub const CFM: u16 = 0x8902;
    pub const CFM_OLD: u16 = 0xabcd;
    /// 802.3 Slow Protocols (LACP, Marker, OAM).
    pub const SLOW: u16 = 0x8809;
    pub const EAPOL: u16 = 0x888e;
    /// Ethernet Configuration Testing Protocol.
    pub const LOOPBACK: u16 = 0x9000;
    /// ETSI GeoNetworking, and its number before the IEEE registration (2013).
    pub const GEONET: u16 = 0x8947;
    pub const GEONET_OLD: u16 = 0x0707;
    /// ISO CALM FAST.
    pub const CALM_FAST: u16 = 0x1111;
    /// Network Service Header (RFC 8300).
    pub const NSH: u16 = 0x894f;
    pub const MPLS_UNICAST: u16 = 0x8847;
    pub const MPLS_MULTICAST: u16 = 0x8848;
    pub const QINQ: u16 = 0x88a8;
    pub const VLAN_9100: u16 = 0x9100;
    /// The tag protocol identifiers that open an 802.1Q / 802.1ad tag.
    pub const VLAN_TPIDS: [u16; 3] = [VLAN, QINQ, VLAN_9100];
}

/// IEEE 802.2 LLC service access points.
pub mod llc_sap {
    /// OSI network layer PDUs (ISO 9577 NLPID first).
    pub const OSI: u8 = 0xfe;
    pub const IPX: u8 = 0xe0;
    /// Both SAPs 0xff: no LLC header but a raw 802.3 IPX datagram (its checksum field).
    pub const GLOBAL: u8 = 0xff;
    /// 802.1D Spanning Tree.
    pub const STP: u8 = 0x42;
    /// RFC 948 IP over 802.3.
    pub const IP: u8 = 0x06;
    pub const NETBEUI: u8 = 0xf0;
}

/// SNAP organisation codes.
pub mod oui {
    /// The protocol ID is an EtherType.
    pub const ENCAP_ETHER: u32 = 0x000000;
    pub const CISCO: u32 = 0x00000c;
    /// Cisco bridging; the protocol ID is an EtherType.
    pub const CISCO_90: u32 = 0x0000f8;
    pub const APPLETALK: u32 = 0x080007;
    /// IEEE 802.1 bridged (RFC 2684).
    pub const RFC2684: u32 = 0x0080c2;
}

/// SNAP protocol IDs under a non-Ethernet OUI.
pub mod snap_pid {
    /// Cisco's.
    pub const CDP: u16 = 0x2000;
    pub const VTP: u16 = 0x2003;
    pub const DTP: u16 = 0x2004;
    pub const UDLD: u16 = 0x0111;
    pub const PVST: u16 = 0x010b;
    pub const VLAN_BRIDGE: u16 = 0x010c;
    /// RFC 2684's.
    pub const BPDU: u16 = 0x000e;
}

/// IP protocol numbers (IPv4 protocol, IPv6 next header).
pub mod ip_proto {
    pub const ICMP: u8 = 1;
    pub const IGMP: u8 = 2;
    pub const IGRP: u8 = 9;
    pub const IPIP: u8 = 4;
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
    pub const DCCP: u8 = 33;
    pub const IPV6: u8 = 41;
    pub const RSVP: u8 = 46;
    pub const GRE: u8 = 47;
    pub const ESP: u8 = 50;
    pub const AH: u8 = 51;
    pub const ICMPV6: u8 = 58;
    pub const NO_NEXT_HEADER: u8 = 59;
    /// The IPv6 Mobility Header's number before RFC 6275 (tcpdump reads both).
    pub const MOBILITY_OLD: u8 = 62;
    pub const EIGRP: u8 = 88;
    pub const OSPF: u8 = 89;
    pub const PIM: u8 = 103;
    pub const IPCOMP: u8 = 108;
    /// Ethernet in IPv6 (RFC 8986's segment routing behaviours).
    pub const ETHERNET: u8 = 143;
    pub const SCTP: u8 = 132;
    pub const MOBILITY: u8 = 135;
    pub const VRRP: u8 = 112;
    pub const PGM: u8 = 113;
}

/// ISO/IEC TR 9577 network layer protocol identifiers (Frame Relay, OSI).
pub mod nlpid {
    pub const NULL: u8 = 0x00;
    pub const Q933: u8 = 0x08;
    pub const SNAP: u8 = 0x80;
    pub const CLNP: u8 = 0x81;
    pub const ESIS: u8 = 0x82;
    pub const ISIS: u8 = 0x83;
    pub const IPV6: u8 = 0x8e;
    pub const FRF15: u8 = 0xb1;
    pub const IPV4: u8 = 0xcc;
    pub const PPP: u8 = 0xcf;
}

/// pcap LINKTYPE_* numbers decoded here beyond the common ones of
/// [`LinkType`](crate::record::LinkType).
pub mod link_type {
    use crate::record::LinkType;

    pub const SLIP: LinkType = LinkType(8);
    pub const PPP_SERIAL: LinkType = LinkType(50);
    pub const FRELAY: LinkType = LinkType(107);
    pub const IEEE802_11_RADIO: LinkType = LinkType(127);
    pub const ARCNET_LINUX: LinkType = LinkType(129);
    pub const MFR: LinkType = LinkType(182);
    pub const IPNET: LinkType = LinkType(226);
    pub const NFLOG: LinkType = LinkType(239);
    pub const IPOIB: LinkType = LinkType(242);
    pub const PKTAP: LinkType = LinkType(258);
    /// Darwin writes PKTAP captures as LINKTYPE_USER2.
    pub const USER2: LinkType = LinkType(149);
    pub const VSOCK: LinkType = LinkType(271);
    pub const DSA_TAG_BRCM: LinkType = LinkType(281);
    pub const DSA_TAG_BRCM_PREPEND: LinkType = LinkType(282);
    pub const DSA_TAG_DSA: LinkType = LinkType(284);
    pub const DSA_TAG_EDSA: LinkType = LinkType(285);
}

/// Well-known UDP ports (as tcpdump's udp.h names them).
pub mod udp_port {
    pub const TIMED: u16 = 525;
    pub const TFTP: u16 = 69;
    pub const BOOTPS: u16 = 67;
    pub const BOOTPC: u16 = 68;
    pub const ISAKMP: u16 = 500;
    pub const ISAKMP_NAT_T: u16 = 4500;
    pub const ISAKMP_USER1: u16 = 7500;
    pub const ISAKMP_USER2: u16 = 8500;
    pub const L2TP: u16 = 1701;
    pub const NTP: u16 = 123;
    pub const RIP: u16 = 520;
    pub const RIPNG: u16 = 521;
    pub const AODV: u16 = 654;
    pub const VQP: u16 = 1589;
    pub const ZEPHYR_SERVER: u16 = 2103;
    pub const ZEPHYR_CLIENT: u16 = 2104;
    pub const KERBEROS: u16 = 88;
    pub const KERBEROS_SEC: u16 = 750;
    /// AFS's Rx services use 7000 to 7009.
    pub const RX_LOW: u16 = 7000;
    pub const RX_HIGH: u16 = 7009;
    /// The AFS file server's Rx port.
    pub const AFS_FILE: u16 = 7000;
    /// The AFS cache manager's callback Rx port.
    pub const AFS_CALLBACK: u16 = 7001;
    /// The AFS protection server's Rx port.
    pub const AFS_PROTECTION: u16 = 7002;
    /// The AFS volume location server's Rx port.
    pub const AFS_VOLUME_LOCATION: u16 = 7003;
    /// The AFS Kerberos authentication server's Rx port.
    pub const AFS_KAUTH: u16 = 7004;
    /// The AFS volume server's Rx port.
    pub const AFS_VOLUME: u16 = 7005;
    /// The AFS basic overseer's Rx port.
    pub const AFS_BOS: u16 = 7007;
    pub const AHCP: u16 = 5359;
    pub const DHCP6_CLIENT: u16 = 546;
    pub const DHCP6_SERVER: u16 = 547;
    /// MPLS over UDP (RFC 7510).
    pub const MPLS: u16 = 6635;
    pub const CISCO_AUTORP: u16 = 496;
    pub const RADIUS: u16 = 1645;
    pub const RADIUS_ACCOUNTING: u16 = 1646;
    pub const RADIUS_CISCO_COA: u16 = 1700;
    pub const RADIUS_NEW: u16 = 1812;
    pub const RADIUS_NEW_ACCOUNTING: u16 = 1813;
    pub const RADIUS_COA: u16 = 3799;
    pub const OLSR: u16 = 698;
    pub const MPLS_LSP_PING: u16 = 3503;
    pub const BABEL: u16 = 6696;
    /// Babel's port before IANA assigned 6696.
    pub const BABEL_OLD: u16 = 6697;
    pub const HNCP: u16 = 8231;
    pub const HSRP: u16 = 1985;
    pub const SFLOW: u16 = 6343;
    pub const LWAPP_DATA: u16 = 12222;
    pub const LWAPP_CONTROL: u16 = 12223;
    pub const SYSLOG: u16 = 514;
    pub const OTV: u16 = 8472;
    pub const GENEVE: u16 = 6081;
    pub const LISP_CONTROL: u16 = 4342;
    pub const VXLAN_GPE: u16 = 4790;
    pub const SOMEIP: u16 = 30490;
}
