//! Protocol numbers defined once, for the decoder, the filters (src/filter) and the drop
//! tracer (src/capture/drops): EtherTypes (IEEE registry), IP protocol numbers and the
//! well-known UDP ports the decoder dispatches on (IANA).

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
    pub const IPV6: u8 = 41;
    pub const GRE: u8 = 47;
    pub const ESP: u8 = 50;
    pub const AH: u8 = 51;
    pub const ICMPV6: u8 = 58;
    pub const NO_NEXT_HEADER: u8 = 59;
    pub const PIM: u8 = 103;
    pub const VRRP: u8 = 112;
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
    pub const NTP: u16 = 123;
    pub const RIP: u16 = 520;
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
    pub const AHCP: u16 = 5359;
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
    pub const SOMEIP: u16 = 30490;
}
