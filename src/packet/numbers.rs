//! Protocol numbers defined once, for the decoder, the filters (src/filter) and the drop
//! tracer (src/capture/drops): EtherTypes (IEEE registry) and IP protocol numbers (IANA).

/// EtherTypes.
pub mod ether_type {
    pub const IPV4: u16 = 0x0800;
    pub const ARP: u16 = 0x0806;
    pub const TEB: u16 = 0x6558;
    pub const RARP: u16 = 0x8035;
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
    pub const SCTP: u8 = 132;
    pub const MOBILITY: u8 = 135;
    pub const VRRP: u8 = 112;
    pub const PGM: u8 = 113;
}
