//! The dispatch tables in one place: link type → link decoder, EtherType → network
//! layer, IP protocol → transport, and each level's printer.

use super::arp::Arp;
use super::decode::{
    AddressedPrinted, AddressedPrinter, Addressing, App, Decoder, Inner, Level, LinePrinter, Link,
    MAX_LEVELS, Net, Printed, Transport, be32,
};
use super::dns::DnsMessage;
use super::ethernet::Ethernet;
use super::icmp::Icmp;
use super::numbers::{ether_type, ip_proto};
use super::print::{Addrs, Printer};
use super::text::TextOut;
use super::wifi::{self};
use crate::record::LinkType;
use etherparse::ArpPacketSlice;

/// EtherType → its printer, for protocols printed whole by their file.
pub(super) const ETHER_TYPE_PRINTERS: &[(u16, LinePrinter)] =
    &[(ether_type::AOE, super::aoe::print)];

/// IP protocol → its printer, for protocols printed whole by their file (after
/// `src > dst: `).
pub(super) const IP_PROTO_PRINTERS: &[(u8, LinePrinter)] = &[
    (ip_proto::RSVP, super::rsvp::print),
    (ip_proto::EIGRP, super::eigrp::print),
];

/// IP protocol → its printer, for protocols whose line opens with the addresses and
/// their own ports (tcpdump's IP printers leave out `src > dst: ` for them).
pub(super) const IP_PROTO_ADDRESSED_PRINTERS: &[(u8, AddressedPrinter)] = &[
    (ip_proto::SCTP, super::sctp::print),
    (ip_proto::DCCP, super::dccp::print),
];

/// UDP ports → the application's printer, for applications printed whole by their file
/// (after `src.port > dst.port: `). A row matches when either port is in its range; the
/// first matching row wins (tcpdump's order), after DNS, BFD and VXLAN.
pub(super) const UDP_PORT_PRINTERS: &[(u16, u16, LinePrinter)] = &[
    (super::hsrp::PORT, super::hsrp::PORT, super::hsrp::print),
    (super::ldp::PORT, super::ldp::PORT, super::ldp::print),
    (super::lmp::PORT, super::lmp::PORT, super::lmp::print),
];

/// TCP ports → the application's printer, as [`UDP_PORT_PRINTERS`]; the printer's text
/// follows `, length N` and opens with its own separator (tcpdump's `: RESP ...`; SSH
/// prints nothing for a segment that is not its version line).
pub(super) const TCP_PORT_PRINTERS: &[(u16, u16, LinePrinter)] = &[
    (super::whois::PORT, super::whois::PORT, super::whois::print),
    (super::pptp::PORT, super::pptp::PORT, super::pptp::print),
    (super::resp::PORT, super::resp::PORT, super::resp::print),
    (super::ldp::PORT, super::ldp::PORT, super::ldp::print),
    (super::ssh::PORT, super::ssh::PORT, super::ssh::print),
];

/// The printer of the first row of a port table that either port falls in.
fn port_printer(table: &[(u16, u16, LinePrinter)], ports: (u16, u16)) -> Option<LinePrinter> {
    let within = |p: u16, lo: u16, hi: u16| (lo..=hi).contains(&p);
    table
        .iter()
        .find(|(lo, hi, _)| within(ports.0, *lo, *hi) || within(ports.1, *lo, *hi))
        .map(|row| row.2)
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
        App::OpenFlow(payload)
    } else if let Some(print) = port_printer(TCP_PORT_PRINTERS, ports) {
        App::Printed(Printed {
            print,
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
    if is(53) || is(5353) {
        App::Dns {
            message: DnsMessage::new(payload, payload_len),
            multicast: !is(53),
        }
    } else if let Some(port) = super::bfd::port(ports).filter(|&p| super::bfd::shown(p, payload)) {
        App::Bfd(port, payload, payload_len)
    } else if is(546) || is(547) {
        App::Dhcp6(payload)
    } else if is(decoder.opts.vxlan_port) {
        decoder.vxlan(payload, payload_len)
    } else if let Some(print) = port_printer(UDP_PORT_PRINTERS, ports) {
        App::Printed(Printed {
            print,
            data: payload,
            length: payload_len,
        })
    } else {
        App::None
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
            Inner::Sll(data, len, v2) => self.sll(data, len, v2),
            Inner::Ppp(data, len) => self.ppp(data, len),
            Inner::Chdlc(data, len) => self.chdlc(data, len),
        }
    }

    pub(super) fn ether_payload(&mut self, ether_type: u16, data: &'a [u8], len: u32) -> Net<'a> {
        match ether_type {
            ether_type::IPV4 => Net::Ipv4(self.ipv4(data, len)),
            ether_type::IPV6 => Net::Ipv6(self.ipv6(data, len)),
            ether_type::ARP | ether_type::RARP => Net::Arp(Arp {
                packet: ArpPacketSlice::from_slice(data).ok(),
                length: len,
            }),
            other => match table_printer(ETHER_TYPE_PRINTERS, other) {
                Some(print) => Net::Printed(Printed {
                    print,
                    data,
                    length: len,
                }),
                None => Net::None,
            },
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
            ip_proto::IGMP if super::igmp::shown(data) => Transport::Igmp(data, len),
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
            Link::Raw if self.eflag() => self.out.s("ip: "),
            Link::Ppp(h) if self.eflag() => super::ppp::print(self.out, h),
            Link::Chdlc(h) if self.eflag() => super::chdlc::print(self.out, h),
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
            Link::Wifi { header, llc } => {
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
            Net::Printed(p) => p.print(self.out),
            Net::Unknown(payload) => {
                super::hexdump::hex_and_ascii(self.out, payload, self.line_start)
            }
            Net::Truncated(t) => self.out.s(t),
            Net::Arp(arp) => self.arp(arp),
            Net::Ipv4(ip) => self.ipv4(ip),
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
            Transport::Printed(p) => p.print(self.out),
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
