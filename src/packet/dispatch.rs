//! The dispatch tables in one place: link type → link decoder, EtherType → network
//! layer, IP protocol → transport, and each level's printer.

use super::arp::Arp;
use super::decode::{
    AddressedPrinted, AddressedPrinter, Addressing, App, Decoder, Inner, Level, LinePrinter, Link,
    MAX_LEVELS, Net, Printed, SourcePrinter, Transport, be32,
};
use super::dns::DnsMessage;
use super::ethernet::{Ethernet, SwitchTagKind};
use super::icmp::Icmp;
use super::memory::{Remembered, RememberingPrinter};
use super::numbers::{ether_type, ip_proto, link_type, llc_sap, oui, snap_pid, udp_port};
use super::print::{Addrs, Printer};
use super::text::TextOut;
use super::wifi::{self};
use crate::record::LinkType;

/// EtherType → its printer, for protocols printed whole by their file.
pub(super) const ETHER_TYPE_PRINTERS: &[(u16, LinePrinter)] = &[
    (ether_type::AOE, super::aoe::print),
    (ether_type::MS_NLB, super::msnlb::print),
    (ether_type::DECNET, super::decnet::print),
    (ether_type::APPLETALK, super::atalk::print),
    (ether_type::AARP, super::aarp::print),
    (ether_type::IPX, super::ipx::print_ethernet),
    (ether_type::TIPC, super::tipc::print),
    (ether_type::OSI, super::osi::print_ether),
    (ether_type::PTP, super::ptp::print),
    (ether_type::LLDP, super::lldp::print),
    (ether_type::EAPOL, super::eapol::print),
    (ether_type::LOOPBACK, super::loopback::print),
    (ether_type::SLOW, super::slow::print),
    (ether_type::CFM, super::cfm::print),
    (ether_type::CFM_OLD, super::cfm::print),
];

/// EtherType → its printer, for protocols whose line names the frame's source address.
pub(super) const ETHER_TYPE_SOURCE_PRINTERS: &[(u16, SourcePrinter)] = &[
    (ether_type::GEONET, super::geonet::print),
    (ether_type::GEONET_OLD, super::geonet::print),
    (ether_type::CALM_FAST, super::calm_fast::print),
];

/// 802.2 LLC SAP → the printer of what follows the LLC header, for UI frames whose DSAP
/// and SSAP are both that SAP.
pub(super) const LLC_SAP_PRINTERS: &[(u8, LinePrinter)] = &[
    (llc_sap::OSI, super::osi::print),
    (llc_sap::IPX, super::ipx::print_llc),
    (llc_sap::STP, super::stp::print),
];

/// SNAP (OUI, protocol ID) → the printer of what follows the SNAP header (the OUIs whose
/// protocol IDs are EtherTypes go to [`ETHER_TYPE_PRINTERS`]).
pub(super) const SNAP_PRINTERS: &[(u32, u16, LinePrinter)] = &[
    (oui::CISCO, snap_pid::CDP, super::cdp::print),
    (oui::CISCO, snap_pid::DTP, super::dtp::print),
    (oui::CISCO, snap_pid::UDLD, super::udld::print),
    (oui::CISCO, snap_pid::VTP, super::vtp::print),
    (oui::CISCO, snap_pid::PVST, super::stp::print),
    (oui::CISCO, snap_pid::VLAN_BRIDGE, super::stp::print),
    (oui::RFC2684, snap_pid::BPDU, super::stp::print),
];

pub(super) fn llc_sap_printer(sap: u8) -> Option<LinePrinter> {
    table_printer(LLC_SAP_PRINTERS, sap)
}

pub(super) fn snap_printer(oui: u32, pid: u16) -> Option<LinePrinter> {
    SNAP_PRINTERS
        .iter()
        .find(|row| row.0 == oui && row.1 == pid)
        .map(|row| row.2)
}

/// IP protocol → its printer, for protocols printed whole by their file (after
/// `src > dst: `).
pub(super) const IP_PROTO_PRINTERS: &[(u8, LinePrinter)] = &[
    (ip_proto::IGRP, super::igrp::print),
    (ip_proto::RSVP, super::rsvp::print),
    (ip_proto::EIGRP, super::eigrp::print),
    (ip_proto::IPCOMP, super::ipcomp::print),
];

/// IP protocol → its printer, for protocols whose line opens with the addresses and
/// their own ports (tcpdump's IP printers leave out `src > dst: ` for them).
pub(super) const IP_PROTO_ADDRESSED_PRINTERS: &[(u8, AddressedPrinter)] = &[
    (ip_proto::SCTP, super::sctp::print),
    (ip_proto::DCCP, super::dccp::print),
];

/// Which ports of a datagram a port-table row looks at.
#[derive(Clone, Copy)]
pub(super) enum Ports {
    /// Either port within `lo..=hi`.
    Either(u16, u16),
    /// The destination port only.
    Dst(u16),
    /// The source port only.
    Src(u16),
}

impl Ports {
    /// The rule [`PortIndex`] precomputes (tests check it against this).
    #[cfg(test)]
    fn matches(self, (sport, dport): (u16, u16)) -> bool {
        match self {
            Ports::Either(lo, hi) => (lo..=hi).contains(&sport) || (lo..=hi).contains(&dport),
            Ports::Dst(p) => dport == p,
            Ports::Src(p) => sport == p,
        }
    }
}

/// One port, either way.
const fn either(p: u16) -> Ports {
    Ports::Either(p, p)
}

/// How a UDP port row handles the payload.
pub(super) enum UdpApp {
    /// Printed whole by its file (after `src.port > dst.port: `).
    Line(LinePrinter),
    /// Printed whole by its file, by one printer over IPv4 and another over IPv6.
    LinePerIp(LinePrinter, LinePrinter),
    /// Printed whole by its file, which remembers earlier packets of the capture.
    Remembering(RememberingPrinter),
    /// A tunnel header whose carried frame or packet is the next level.
    Carrier(for<'d, 'a> fn(&mut Decoder<'d, 'a>, &'a [u8], u32) -> App<'a>),
}

/// UDP ports → the application. The first matching row wins, in tcpdump's order
/// (print-udp.c), after DNS, BFD, DHCPv6 and VXLAN.
pub(super) const UDP_PORT_PRINTERS: &[(Ports, UdpApp)] = &[
    (either(udp_port::TIMED), UdpApp::Line(super::timed::print)),
    (either(udp_port::TFTP), UdpApp::Line(super::tftp::print)),
    (either(udp_port::BOOTPS), UdpApp::Line(super::bootp::print)),
    (either(udp_port::BOOTPC), UdpApp::Line(super::bootp::print)),
    (either(udp_port::RIP), UdpApp::Line(super::rip::print)),
    (
        either(udp_port::ISAKMP),
        UdpApp::Remembering(super::isakmp::print),
    ),
    (
        either(udp_port::ISAKMP_NAT_T),
        UdpApp::Remembering(super::isakmp::print_nat_traversal),
    ),
    (
        either(udp_port::ISAKMP_USER1),
        UdpApp::Remembering(super::isakmp::print),
    ),
    (
        either(udp_port::ISAKMP_USER2),
        UdpApp::Remembering(super::isakmp::print),
    ),
    (either(super::snmp::PORT), UdpApp::Line(super::snmp::print)),
    (
        either(super::snmp::TRAP_PORT),
        UdpApp::Line(super::snmp::print),
    ),
    (either(udp_port::L2TP), UdpApp::Line(super::l2tp::print)),
    (either(udp_port::NTP), UdpApp::Line(super::ntp::print)),
    (either(udp_port::KERBEROS), UdpApp::Line(super::krb::print)),
    (
        either(udp_port::KERBEROS_SEC),
        UdpApp::Line(super::krb::print),
    ),
    (
        either(udp_port::AODV),
        UdpApp::LinePerIp(super::aodv::print_v4, super::aodv::print_v6),
    ),
    (
        either(udp_port::ZEPHYR_SERVER),
        UdpApp::Line(super::zephyr::print),
    ),
    (
        either(udp_port::ZEPHYR_CLIENT),
        UdpApp::Line(super::zephyr::print),
    ),
    (
        Ports::Either(udp_port::RX_LOW, udp_port::RX_HIGH),
        UdpApp::Remembering(super::rx::print),
    ),
    (either(udp_port::RIPNG), UdpApp::Line(super::ripng::print)),
    (
        Ports::Either(udp_port::DHCP6_CLIENT, udp_port::DHCP6_SERVER),
        UdpApp::Carrier(super::dhcp6::decode),
    ),
    (either(udp_port::AHCP), UdpApp::Line(super::ahcp::print)),
    (either(udp_port::BABEL), UdpApp::Line(super::babel::print)),
    (
        either(udp_port::BABEL_OLD),
        UdpApp::Line(super::babel::print),
    ),
    (either(udp_port::HNCP), UdpApp::Line(super::hncp::print)),
    (
        either(udp_port::CISCO_AUTORP),
        UdpApp::Line(super::autorp::print),
    ),
    (either(udp_port::RADIUS), UdpApp::Line(super::radius::print)),
    (
        either(udp_port::RADIUS_NEW),
        UdpApp::Line(super::radius::print),
    ),
    (
        either(udp_port::RADIUS_ACCOUNTING),
        UdpApp::Line(super::radius::print),
    ),
    (
        either(udp_port::RADIUS_NEW_ACCOUNTING),
        UdpApp::Line(super::radius::print),
    ),
    (
        either(udp_port::RADIUS_CISCO_COA),
        UdpApp::Line(super::radius::print),
    ),
    (
        either(udp_port::RADIUS_COA),
        UdpApp::Line(super::radius::print),
    ),
    (Ports::Dst(udp_port::HSRP), UdpApp::Line(super::hsrp::print)),
    (
        either(udp_port::OLSR),
        UdpApp::LinePerIp(super::olsr::print_v4, super::olsr::print_v6),
    ),
    (
        either(udp_port::MPLS_LSP_PING),
        UdpApp::Line(super::lspping::print),
    ),
    (either(udp_port::SFLOW), UdpApp::Line(super::sflow::print)),
    (
        Ports::Dst(udp_port::LWAPP_CONTROL),
        UdpApp::Line(super::lwapp::print_control_to_controller),
    ),
    (
        Ports::Src(udp_port::LWAPP_CONTROL),
        UdpApp::Line(super::lwapp::print_control),
    ),
    (
        either(udp_port::LWAPP_DATA),
        UdpApp::Line(super::lwapp::print_data),
    ),
    (either(udp_port::SYSLOG), UdpApp::Line(super::syslog::print)),
    (either(udp_port::OTV), UdpApp::Carrier(super::otv::decode)),
    (
        either(udp_port::GENEVE),
        UdpApp::Carrier(super::geneve::decode),
    ),
    (
        either(udp_port::LISP_CONTROL),
        UdpApp::Line(super::lisp::print),
    ),
    (
        either(udp_port::VXLAN_GPE),
        UdpApp::Carrier(super::vxlan_gpe::decode),
    ),
    (
        either(udp_port::MPLS),
        UdpApp::Carrier(super::mpls::decode_udp),
    ),
    (either(udp_port::SOMEIP), UdpApp::Line(super::someip::print)),
    (either(super::ldp::PORT), UdpApp::Line(super::ldp::print)),
    (either(super::lmp::PORT), UdpApp::Line(super::lmp::print)),
    (either(udp_port::VQP), UdpApp::Line(super::vqp::print)),
    (
        Ports::Either(super::ptp::EVENT_PORT, super::ptp::GENERAL_PORT),
        UdpApp::Line(super::ptp::print),
    ),
];

/// UDP source port → the application's printer, for applications tcpdump recognises by
/// their source port alone; tried before BFD, as tcpdump does.
pub(super) const UDP_SOURCE_PORT_PRINTERS: &[(u16, LinePrinter)] =
    &[(super::bcm_li::PORT, super::bcm_li::print)];

/// TCP ports → the application's printer; the printer's text follows `, length N` and
/// opens with its own separator (tcpdump's `: RESP ...`; SSH prints nothing for a
/// segment that is not its version line).
pub(super) const TCP_PORT_PRINTERS: &[(Ports, LinePrinter)] = &[
    (either(super::telnet::PORT), super::telnet::print),
    (either(super::whois::PORT), super::whois::print),
    (either(super::pptp::PORT), super::pptp::print),
    (either(super::resp::PORT), super::resp::print),
    (either(super::ssh::PORT), super::ssh::print),
    (either(super::rpki_rtr::PORT), super::rpki_rtr::print),
    (either(super::ldp::PORT), super::ldp::print),
];

/// For each port, the first row of a port table that a datagram from (`src`) or to
/// (`dst`) that port matches: two loads instead of a walk over ~60 rows for every
/// datagram (the walk was a tenth of `etl2txt`'s time on plain UDP traffic).
struct PortIndex {
    src: Box<[u8]>,
    dst: Box<[u8]>,
}

/// No row.
const NO_ROW: u8 = u8::MAX;

impl PortIndex {
    fn new(rows: impl Iterator<Item = Ports>) -> PortIndex {
        let mut src = vec![NO_ROW; 1 << 16].into_boxed_slice();
        let mut dst = vec![NO_ROW; 1 << 16].into_boxed_slice();
        for (i, which) in rows.enumerate() {
            let i = u8::try_from(i).expect("a port table has fewer than 255 rows");
            let mark = |side: &mut [u8], lo: u16, hi: u16| {
                for slot in &mut side[usize::from(lo)..=usize::from(hi)] {
                    *slot = (*slot).min(i);
                }
            };
            match which {
                Ports::Either(lo, hi) => {
                    mark(&mut src, lo, hi);
                    mark(&mut dst, lo, hi);
                }
                Ports::Src(p) => mark(&mut src, p, p),
                Ports::Dst(p) => mark(&mut dst, p, p),
            }
        }
        PortIndex { src, dst }
    }

    /// The first matching row's index.
    fn row(&self, (sport, dport): (u16, u16)) -> Option<usize> {
        let i = self.src[usize::from(sport)].min(self.dst[usize::from(dport)]);
        (i != NO_ROW).then_some(usize::from(i))
    }
}

fn udp_index() -> &'static PortIndex {
    static INDEX: std::sync::OnceLock<PortIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| PortIndex::new(UDP_PORT_PRINTERS.iter().map(|row| row.0)))
}

/// The printer of the first row of the TCP port table that matches the ports.
fn tcp_port_printer(ports: (u16, u16)) -> Option<LinePrinter> {
    static INDEX: std::sync::OnceLock<PortIndex> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| PortIndex::new(TCP_PORT_PRINTERS.iter().map(|row| row.0)));
    index.row(ports).map(|i| TCP_PORT_PRINTERS[i].1)
}

fn table_printer<K: PartialEq, P: Copy>(table: &[(K, P)], key: K) -> Option<P> {
    table.iter().find(|row| row.0 == key).map(|row| row.1)
}

/// Link type → where its first level starts; `None` for a link type not decoded.
pub(super) fn link_input(link_type: LinkType, data: &[u8], wire_len: u32) -> Option<Inner<'_>> {
    Some(match link_type {
        LinkType::ETHERNET => Inner::Ethernet(data, wire_len),
        // DLT_RAW as BSD and OpenBSD number it, and LINKTYPE_IPV4 / LINKTYPE_IPV6.
        LinkType::RAW | LinkType(12) | LinkType(14) | LinkType(228) | LinkType(229) => {
            Inner::Ip(data, wire_len)
        }
        LinkType(9) => Inner::Ppp(data, wire_len),
        LinkType(104) => Inner::Chdlc(data, wire_len),
        LinkType::NULL => Inner::Null(data, wire_len),
        LinkType::IEEE802_11 => Inner::Wifi(data, wire_len),
        link_type::IEEE802_11_RADIO => Inner::Radiotap(data, wire_len),
        link_type::FRELAY => Inner::FrameRelay(data, wire_len),
        link_type::MFR => Inner::Mfr(data, wire_len),
        link_type::ARCNET_LINUX => Inner::ArcnetLinux(data, wire_len),
        link_type::IPOIB => Inner::Ipoib(data, wire_len),
        link_type::IPNET => Inner::Ipnet(data, wire_len),
        link_type::NFLOG => Inner::Nflog(data, wire_len),
        link_type::VSOCK => Inner::Vsock(data, wire_len),
        link_type::SLIP => Inner::Slip(data, wire_len),
        link_type::PPP_SERIAL => Inner::PppSerial(data, wire_len),
        link_type::PKTAP | link_type::USER2 => Inner::Pktap(data, wire_len),
        link_type::DSA_TAG_BRCM => Inner::SwitchTagged(data, wire_len, SwitchTagKind::Brcm),
        link_type::DSA_TAG_BRCM_PREPEND => {
            Inner::SwitchTagged(data, wire_len, SwitchTagKind::BrcmPrepended)
        }
        link_type::DSA_TAG_DSA => Inner::SwitchTagged(data, wire_len, SwitchTagKind::Dsa),
        link_type::DSA_TAG_EDSA => Inner::SwitchTagged(data, wire_len, SwitchTagKind::Edsa),
        LinkType::LINUX_SLL => Inner::Sll(data, wire_len, false),
        LinkType::LINUX_SLL2 => Inner::Sll(data, wire_len, true),
        _ => return None,
    })
}

/// Well-known TCP port → application; `seg_len` is the payload's wire length (> 0).
pub(super) fn tcp_app(ports: (u16, u16), payload: &[u8], seg_len: u32) -> App<'_> {
    let is = |p: u16| ports.0 == p || ports.1 == p;
    if is(80) || is(8080) {
        App::Http(payload)
    } else if is(53) && seg_len > 2 {
        // DNS over TCP: a 2-byte length, then the message.
        let msg = payload.get(2..).unwrap_or(&[]);
        App::Dns {
            message: DnsMessage::new(msg, seg_len - 2),
            multicast: false,
        }
    } else if is(179) {
        App::Bgp
    } else if super::openflow::PORTS.iter().any(|&p| is(p)) {
        App::Printed(Printed {
            print: super::openflow::print,
            data: payload,
            length: seg_len,
        })
    } else if let Some(print) = tcp_port_printer(ports) {
        App::Printed(Printed {
            print,
            data: payload,
            length: seg_len,
        })
    } else if super::nfs::is_tcp_message(ports, payload, seg_len) {
        // Last in tcpdump's order of TCP applications.
        App::Remembered(Remembered {
            print: super::nfs::print_tcp,
            data: payload,
            length: seg_len,
        })
    } else {
        App::None
    }
}

/// Well-known UDP port → application; `payload_len` is the payload's wire length.
pub(super) fn udp_app<'a>(
    decoder: &mut Decoder<'_, 'a>,
    ports: (u16, u16),
    payload: &'a [u8],
    payload_len: u32,
) -> App<'a> {
    let is = |p: u16| ports.0 == p || ports.1 == p;
    if super::nfs::is_udp_message(ports, payload) {
        // tcpdump looks for NFS before any port table.
        App::Nfs(Remembered {
            print: super::nfs::print_udp,
            data: payload,
            length: payload_len,
        })
    } else if is(53) || is(5353) {
        App::Dns {
            message: DnsMessage::new(payload, payload_len),
            multicast: !is(53),
        }
    } else if let Some(print) = table_printer(UDP_SOURCE_PORT_PRINTERS, ports.0) {
        // tcpdump tries these before BFD.
        App::Printed(Printed {
            print,
            data: payload,
            length: payload_len,
        })
    } else if let Some(port) = super::bfd::port(ports).filter(|&p| super::bfd::shown(p, payload)) {
        App::Bfd(port, payload, payload_len)
    } else if is(decoder.opts.vxlan_port) {
        decoder.vxlan(payload, payload_len)
    } else {
        match udp_index().row(ports).map(|i| &UDP_PORT_PRINTERS[i]) {
            Some((_, UdpApp::Line(print))) => App::Printed(Printed {
                print: *print,
                data: payload,
                length: payload_len,
            }),
            Some((_, UdpApp::LinePerIp(v4, v6))) => App::PrintedPerIp(
                Printed {
                    print: *v4,
                    data: payload,
                    length: payload_len,
                },
                *v6,
            ),
            Some((_, UdpApp::Remembering(print))) => App::Remembered(Remembered {
                print: *print,
                data: payload,
                length: payload_len,
            }),
            Some((_, UdpApp::Carrier(decode))) => decode(decoder, payload, payload_len),
            None => App::None,
        }
    }
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn level(&mut self, input: Inner<'a>) -> Level<'a> {
        match input {
            Inner::Ethernet(data, len) => self.ethernet(data, len),
            Inner::Ip(data, len) => Level {
                link: Link::Raw,
                net: self.ip_any(data, len),
            },
            Inner::Ipv4(data, len) => Level {
                link: Link::None,
                net: Net::Ipv4(self.ipv4(data, len)),
            },
            Inner::Ipv6(data, len) => Level {
                link: Link::None,
                net: Net::Ipv6(self.ipv6(data, len)),
            },
            Inner::Null(data, len) => self.null(data, len),
            Inner::Wifi(data, len) => self.wifi(data, len),
            Inner::Radiotap(data, len) => self.radiotap(data, len),
            Inner::Sll(data, len, v2) => self.sll(data, len, v2),
            Inner::Ppp(data, len) => self.ppp(data, len),
            Inner::Chdlc(data, len) => self.chdlc(data, len),
            Inner::Printed(printed) => Level {
                link: Link::None,
                net: Net::Printed(printed),
            },
            Inner::FrameRelay(data, len) => self.frame_relay(data, len),
            Inner::Mfr(data, len) => self.mfr(data, len),
            Inner::ArcnetLinux(data, len) => self.arcnet_linux(data, len),
            Inner::Ipoib(data, len) => self.ipoib(data, len),
            Inner::Ipnet(data, len) => self.ipnet(data, len),
            Inner::Nflog(data, len) => self.nflog(data, len),
            Inner::Vsock(data, len) => self.vsock(data, len),
            Inner::Slip(data, len) => self.slip(data, len),
            Inner::PppSerial(data, len) => self.ppp_serial(data, len),
            Inner::Pktap(data, len) => self.pktap(data, len),
            Inner::SwitchTagged(data, len, kind) => self.switch_tagged(data, len, kind),
            Inner::Mpls(data, len) => Level {
                link: Link::None,
                net: self.mpls(data, len),
            },
        }
    }

    pub(super) fn ether_payload(&mut self, ether_type: u16, data: &'a [u8], len: u32) -> Net<'a> {
        match ether_type {
            ether_type::IPV4 => Net::Ipv4(self.ipv4(data, len)),
            ether_type::IPV6 => Net::Ipv6(self.ipv6(data, len)),
            ether_type::PPPOE_DISCOVERY | ether_type::PPPOE_SESSION => self.pppoe(data, len),
            ether_type::MPLS_UNICAST | ether_type::MPLS_MULTICAST => self.mpls(data, len),
            // tcpdump puts `: ` before the PPP frame; the frame is the next level.
            ether_type::PPP if len > 0 => {
                if self.depth + 1 < MAX_LEVELS {
                    self.inner = Some(Inner::Ppp(data, len));
                }
                Net::Note(":")
            }
            ether_type::ARP | ether_type::RARP => Net::Arp(Arp { data, length: len }),
            ether_type::NSH => self.nsh(data, len),
            other => {
                if let Some(print) = table_printer(ETHER_TYPE_PRINTERS, other) {
                    Net::Printed(Printed {
                        print,
                        data,
                        length: len,
                    })
                } else if let Some(print) = table_printer(ETHER_TYPE_SOURCE_PRINTERS, other) {
                    Net::FromSource {
                        print,
                        data,
                        length: len,
                    }
                } else {
                    Net::None
                }
            }
        }
    }

    /// An 802.3 frame whose "SAPs" are 0xffff has no LLC header: it is a raw IPX
    /// datagram (0xffff its checksum field).
    pub(super) fn headerless_8023_payload(data: &'a [u8], len: u32) -> Net<'a> {
        Net::Printed(Printed {
            print: super::ipx::print_raw,
            data,
            length: len,
        })
    }

    /// IPv4 (`version` 4), IPv6 (6), or the bytes dumped with `cut` as tcpdump's mark
    /// (another family, named by a link header such as IPNET's or NFLOG's); true when
    /// the link header must print even without -e (the dump case).
    pub(super) fn ip_or_dump(
        &mut self,
        version: Option<u8>,
        rest: &'a [u8],
        len: u32,
        cut: &'static str,
    ) -> (Net<'a>, bool) {
        match version {
            Some(4) => (Net::Ipv4(self.ipv4(rest, len)), false),
            Some(6) => (Net::Ipv6(self.ipv6(rest, len)), false),
            _ => (Net::dump(rest, cut), true),
        }
    }

    pub(super) fn ip_any(&mut self, data: &'a [u8], len: u32) -> Net<'a> {
        match data.first().map(|b| b >> 4) {
            None => Net::Truncated("[|ip]"),
            Some(4) => Net::Ipv4(self.ipv4(data, len)),
            Some(6) => Net::Ipv6(self.ipv6(data, len)),
            Some(v) => Net::UnknownIpVersion(v),
        }
    }

    pub(super) fn transport(
        &mut self,
        protocol: u8,
        data: &'a [u8],
        len: u32,
        addressing: Addressing,
        fragmented: bool,
    ) -> Transport<'a> {
        match protocol {
            ip_proto::TCP => Transport::Tcp(self.tcp(data, len, addressing)),
            ip_proto::UDP => Transport::Udp(self.udp(data, len, addressing, fragmented)),
            ip_proto::ICMP => Transport::Icmp(Icmp {
                data,
                length: len,
                fragmented,
            }),
            ip_proto::ICMPV6 => Transport::Icmp6(Icmp {
                data,
                length: len,
                fragmented,
            }),
            ip_proto::GRE => Transport::Gre(self.gre(data, len)),
            ip_proto::IPIP | ip_proto::IPV6 => {
                if self.depth + 1 < MAX_LEVELS {
                    self.inner = Some(if protocol == ip_proto::IPIP {
                        Inner::Ipv4(data, len)
                    } else {
                        Inner::Ipv6(data, len)
                    });
                }
                Transport::Tunnel {
                    protocol,
                    length: len,
                }
            }
            ip_proto::ESP => Transport::Esp {
                spi: be32(data, 0).zip(be32(data, 4)),
                length: len,
            },
            ip_proto::NO_NEXT_HEADER => Transport::NoNextHeader,
            ip_proto::VRRP => Transport::Vrrp(data, len),
            ip_proto::OSPF => Transport::Ospf(data, len),
            ip_proto::PGM => Transport::Pgm(data, addressing),
            ip_proto::IGMP => Transport::Igmp(data, len),
            ip_proto::PIM if super::pim::is_v2(data) => Transport::Pim {
                first: data[0],
                length: len,
            },
            other => {
                if let Some(print) = table_printer(IP_PROTO_ADDRESSED_PRINTERS, other) {
                    Transport::Addressed(AddressedPrinted {
                        print,
                        data,
                        length: len,
                    })
                } else if let Some(print) = table_printer(IP_PROTO_PRINTERS, other) {
                    Transport::Printed(Printed {
                        print,
                        data,
                        length: len,
                    })
                } else {
                    Transport::Other {
                        protocol,
                        length: len,
                    }
                }
            }
        }
    }
}

impl Printer<'_> {
    /// `ip-proto-N len` (IPv4 puts a second space before it, as tcpdump does).
    fn other_protocol(&mut self, v4: bool, protocol: u8, length: u32) {
        if v4 {
            self.out.s(" ");
        }
        self.out.s("ip-proto-");
        self.out.num(protocol);
        self.out.s(" ");
        self.out.num(length);
    }

    pub(super) fn level(&mut self, level: &Level<'_>) {
        match &level.link {
            Link::Ethernet(eth) if self.eflag() => self.ethernet(eth),
            Link::Ethernet(eth) => self.switch_tag_alone(eth),
            Link::Raw if self.eflag() => self.out.s("ip: "),
            Link::Ppp(h) if self.eflag() => super::ppp::print(self.out, h),
            Link::Chdlc(h) if self.eflag() => super::chdlc::print(self.out, h),
            Link::Printed { header, always } if *always || self.eflag() => {
                header.print(self.out, self.line_start)
            }
            Link::FrameRelay(fr) => super::frame_relay::print(self.out, fr, self.eflag()),
            Link::Null { family, length } if self.eflag() => {
                self.out.s("AF ");
                self.out.s(match family {
                    2 => "IPv4",
                    24 | 28 | 30 => "IPv6",
                    _ => "Unknown",
                });
                self.out.s(" (");
                self.out.num(*family);
                self.out.s("), length ");
                self.out.num(*length);
                self.out.s(": ");
            }
            Link::Sll {
                packet_type,
                address,
                protocol,
                interface,
                length,
            } => {
                let kind = match packet_type {
                    0 => "In",
                    1 => "B",
                    2 => "M",
                    3 => "P",
                    4 => "Out",
                    _ => "?",
                };
                if interface.is_some() || self.eflag() {
                    // tcpdump: `%3s ` (SLL, with -e) or `%-3s ` (SLL2, always).
                    if interface.is_none() {
                        for _ in kind.len()..3 {
                            self.out.s(" ");
                        }
                    }
                    self.out.s(kind);
                    if interface.is_some() {
                        for _ in kind.len()..3 {
                            self.out.s(" ");
                        }
                    }
                    self.out.s(" ");
                }
                if self.eflag() {
                    if let Some(i) = interface {
                        self.out.s("ifindex ");
                        self.out.num(*i);
                        self.out.s(" ");
                    }
                    if let Some(a) = address {
                        self.out.mac(a);
                        self.out.s(" ");
                    }
                    match protocol {
                        1 => self.out.s("802.3"),
                        4 => self.out.s("802.2"),
                        p => {
                            self.out.s("ethertype ");
                            self.ether_type_and_number(*p, "Unknown");
                        }
                    }
                    self.length(*length);
                    self.out.s(": ");
                }
            }
            Link::Radiotap(radio) => super::radiotap::print(self.out, radio),
            Link::Wifi { radio, header, llc } => {
                if let Some(radio) = radio {
                    super::radiotap::print(self.out, radio);
                }
                if self.eflag() {
                    wifi::print_header(self.out, header, self.opts.windows_wifi_addresses);
                }
                if let Some(llc) = llc {
                    self.llc(llc);
                }
            }
            _ => {}
        }
        if let Link::Ethernet(Ethernet { llc: Some(llc), .. }) = &level.link {
            self.llc(llc);
        }
        match &level.net {
            Net::None => {}
            Net::Printed(p) => p.print(self.out, self.line_start),
            Net::FromSource {
                print,
                data,
                length,
            } => {
                let source = match &level.link {
                    Link::Ethernet(eth) => Some(&eth.source),
                    _ => None,
                };
                print(self.out, data, *length, source)
            }
            Net::PppEscaped(data) => self.ppp_escaped(data),
            Net::Unknown(payload) => {
                super::hexdump::hex_and_ascii(self.out, payload, self.line_start)
            }
            Net::Truncated(t) | Net::Note(t) => self.out.s(t),
            Net::Dump {
                bytes,
                length,
                cut,
                ascii,
            } => {
                let shown = bytes.len().min(*length as usize);
                if *ascii {
                    super::hexdump::hex_and_ascii(self.out, &bytes[..shown], self.line_start);
                } else {
                    super::hexdump::hex_only(self.out, &bytes[..shown], self.line_start);
                }
                if shown < *length as usize {
                    self.out.s(cut);
                }
            }
            Net::Arp(arp) => self.arp(arp),
            Net::Ipv4(ip) => self.ipv4(ip),
            Net::Mpls(m) => self.mpls(m),
            Net::Ipv6(ip) => self.ipv6(ip),
            Net::UnknownIpVersion(v) => {
                self.out.s("unknown ip ");
                self.out.num(*v);
            }
            Net::Unsupported { link_type, length } => {
                self.out.s("unsupported link type ");
                self.out.num(link_type.0);
                self.length(*length);
            }
            Net::Wifi(body) => self.wifi(&level.link, body),
        }
    }

    /// `ttl` is the IP TTL or hop limit (VRRP shows an unexpected one).
    pub(super) fn transport(&mut self, t: &Transport<'_>, addrs: Addrs, v4: bool, ttl: u8) {
        match t {
            Transport::Tcp(tcp) => self.tcp(tcp, addrs, v4),
            Transport::Udp(udp) => self.udp(udp, addrs, v4),
            Transport::Icmp(icmp) => self.icmp(icmp),
            Transport::Icmp6(icmp) => self.icmp6(icmp, addrs),
            Transport::Gre(gre) => self.gre(gre),
            Transport::Esp { spi, length } => match spi {
                Some((spi, seq)) => {
                    self.spi_seq("ESP", *spi, *seq);
                    self.length(*length);
                }
                None => self.out.s("[|ESP]"),
            },
            Transport::Tunnel { protocol, length } | Transport::Other { protocol, length } => {
                self.other_protocol(v4, *protocol, *length)
            }
            Transport::Fragment { protocol } => {
                self.out.s("ip-proto-");
                self.out.num(*protocol);
            }
            Transport::NoNextHeader => self.out.s("no next header"),
            Transport::Carried => {}
            Transport::Printed(p) => p.print(self.out, self.line_start),
            Transport::Addressed(p) => (p.print)(self.out, p.data, p.length, addrs),
            Transport::Ospf(data, len) => super::ospf::print(self.out, data, *len, v4),
            Transport::Pgm(data, addressing) => {
                super::pgm::print(self.out, data, *addressing, addrs)
            }
            Transport::Vrrp(data, len) => super::vrrp::print(self.out, data, *len, ttl),
            Transport::Igmp(_, len) if self.opts.windows_printers => {
                self.other_protocol(v4, super::numbers::ip_proto::IGMP, *len)
            }
            Transport::Igmp(data, len) => super::igmp::print(self.out, data, *len),
            Transport::Pim { first, length } => super::pim::print(self.out, *first, *length),
            Transport::Stopped => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index gives the first row a walk over the table would give, for every pair of
    /// the ports the tables name (and their neighbours) plus unclaimed ones.
    #[test]
    fn port_index_agrees_with_a_walk_over_the_rows() {
        let mut ports = vec![0u16, 1, 9999, 65535];
        let rows: Vec<Ports> = UDP_PORT_PRINTERS
            .iter()
            .map(|r| r.0)
            .chain(TCP_PORT_PRINTERS.iter().map(|r| r.0))
            .collect();
        for which in &rows {
            let (lo, hi) = match *which {
                Ports::Either(lo, hi) => (lo, hi),
                Ports::Src(p) | Ports::Dst(p) => (p, p),
            };
            ports.extend([lo.saturating_sub(1), lo, hi, hi.saturating_add(1)]);
        }
        for (table, index) in [
            (
                UDP_PORT_PRINTERS.iter().map(|r| r.0).collect::<Vec<_>>(),
                udp_index(),
            ),
            (
                TCP_PORT_PRINTERS.iter().map(|r| r.0).collect::<Vec<_>>(),
                &PortIndex::new(TCP_PORT_PRINTERS.iter().map(|r| r.0)),
            ),
        ] {
            for &s in &ports {
                for &d in &ports {
                    let walk = table.iter().position(|w| w.matches((s, d)));
                    assert_eq!(index.row((s, d)), walk, "ports {s} > {d}");
                }
            }
        }
    }
}
