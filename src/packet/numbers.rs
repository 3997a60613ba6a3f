//! Protocol numbers defined once, for the decoder, the filters (src/filter) and the drop
//! tracer (src/capture/drops): EtherTypes (IEEE registry) and IP protocol numbers (IANA).

/// EtherTypes.
pub mod ether_type {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    pub const TEB: u16 = 0x6558;
    pub const RARP: u16 = 0x8035;
    pub const PPPOE_DISCOVERY: u16 = 0x8863;
    pub const PPPOE_SESSION: u16 = 0x8864;
    pub const VLAN: u16 = 0x8100;
    pub const IPV6: u16 = 0x86dd;
    pub const AOE: u16 = 0x88a2;
    pub const MPLS_UNICAST: u16 = 0x8847;
    pub const QINQ: u16 = 0x88a8;
    pub const VLAN_9100: u16 = 0x9100;
    /// The tag protocol identifiers that open an 802.1Q / 802.1ad tag.
    pub const VLAN_TPIDS: [u16; 3] = [VLAN, QINQ, VLAN_9100];
}

/// IP protocol numbers (IPv4 protocol, IPv6 next header).
pub mod ip_proto {
    pub const ICMP: u8 = 1;
    pub const IGMP: u8 = 2;
    pub const IPIP: u8 = 4;
    pub const TCP: u8 = 6;
    pub const UDP: u8 = 17;
    pub const IPV6: u8 = 41;
    pub const GRE: u8 = 47;
    pub const ESP: u8 = 50;
    pub const AH: u8 = 51;
    pub const ICMPV6: u8 = 58;
    pub const NO_NEXT_HEADER: u8 = 59;
    pub const PIM: u8 = 103;
    pub const VRRP: u8 = 112;
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
