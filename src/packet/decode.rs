//! Decoding: the bytes of one frame → the layers pktmon prints, outermost first.
//!
//! The walk follows tcpdump's printers (pktmon's decode is tcpdump's): each protocol is
//! handed the *wire* length that is left (`length`, from the record's original size and
//! the headers' own length fields) and the *captured* bytes (which may be cut short, e.g.
//! at pktmon's default 128 bytes). Header parsing is etherparse's; what to do when a
//! header is cut short, and which port means which application, is tcpdump's.
//!
//! Each encapsulation layer (VXLAN, GRE, IP-in-IP) starts a new [`Level`], which the
//! renderer prints as a line of its own.

use super::dns::DnsMessage;
use super::wifi::{self, WifiHeader};
use crate::record::LinkType;
use arrayvec::ArrayVec;
use etherparse::{
    ArpPacketSlice, Ethernet2HeaderSlice, Ipv4HeaderSlice, Ipv6HeaderSlice, TcpHeaderSlice,
};

/// Deepest nesting decoded; a packet tunnelled deeper keeps its inner bytes undecoded.
pub const MAX_LEVELS: usize = 4;
/// Most VLAN tags and IPv6 extension headers decoded in one level.
const MAX_TAGS: usize = 4;
const MAX_EXTS: usize = 4;

/// Knobs that change what a frame decodes to.
#[derive(Clone, Copy, Debug)]
pub struct DecodeOptions {
    /// UDP port whose payload is VXLAN (pktmon `--vxlan`, default 4789).
    pub vxlan_port: u16,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions { vxlan_port: 4789 }
    }
}

/// A decoded frame: one [`Level`] per encapsulation layer, outermost first.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub levels: ArrayVec<Level<'a>, MAX_LEVELS>,
}

/// One encapsulation layer: an optional link header and what it carries.
#[derive(Debug)]
pub struct Level<'a> {
    pub link: Link<'a>,
    pub net: Net<'a>,
}

/// The link-layer header of a level.
#[derive(Debug)]
pub enum Link<'a> {
    /// No link header at this level (the inner packet of GRE / IP-in-IP).
    None,
    /// A raw IP link (LINKTYPE_RAW): no header, tcpdump says `ip: `.
    Raw,
    Ethernet(Ethernet),
    /// BSD loopback (DLT_NULL): the address family in host byte order.
    Null {
        family: u32,
        length: u32,
    },
    /// PPP (LINKTYPE_PPP).
    Ppp(super::ppp::PppHeader),
    /// Cisco HDLC (LINKTYPE_C_HDLC).
    Chdlc(super::chdlc::ChdlcHeader),
    /// Linux cooked capture (SLL, or SLL2 with an interface index), as `tcpdump -i any`
    /// writes: packet type (0 to us, 4 from us, ...), link address, protocol.
    Sll {
        packet_type: u16,
        address: Option<[u8; 6]>,
        protocol: u16,
        interface: Option<u32>,
        length: u32,
    },
    /// IEEE 802.11 MAC header, and the LLC header of a data frame.
    Wifi {
        header: WifiHeader<'a>,
        llc: Option<Llc>,
    },
}

/// An 802.2 LLC header, and SNAP when it carries one.
#[derive(Clone, Copy, Debug)]
pub struct Llc {
    pub dsap_field: u8,
    pub ssap_field: u8,
    pub control: u16,
    /// Unnumbered format (one control byte).
    pub unnumbered: bool,
    pub snap: Option<Snap>,
}

#[derive(Clone, Copy, Debug)]
pub struct Snap {
    pub oui: u32,
    pub ether_type: u16,
    /// Wire length after the SNAP header.
    pub length: u32,
}

#[derive(Debug)]
pub struct Ethernet {
    pub source: [u8; 6],
    pub destination: [u8; 6],
    /// The type/length field after the addresses.
    pub ether_type: u16,
    /// Frame length on the wire.
    pub length: u32,
    pub vlans: ArrayVec<VlanTag, MAX_TAGS>,
    /// The LLC header of an 802.3 frame (type field ≤ 1500).
    pub llc: Option<Llc>,
}

/// One 802.1Q tag and the type field that follows it.
#[derive(Clone, Copy, Debug)]
pub struct VlanTag {
    pub tci: u16,
    pub ether_type: u16,
}

/// What a link header carries.
#[derive(Debug)]
pub enum Net<'a> {
    /// Nothing decodable follows (unknown ethertype, 802.3 frame).
    None,
    /// A header was cut short; the text is tcpdump's marker (`[|ether]`).
    Truncated(&'static str),
    Arp(Arp<'a>),
    Ipv4(Ipv4<'a>),
    Ipv6(Ipv6<'a>),
    /// Raw IP whose version nibble is neither 4 nor 6.
    UnknownIpVersion(u8),
    /// A link type the decoder does not know.
    Unsupported {
        link_type: LinkType,
        length: u32,
    },
    /// An 802.11 frame that is not data carried by LLC.
    Wifi(WifiBody<'a>),
}

/// What an 802.11 frame holds besides LLC data.
#[derive(Debug)]
pub enum WifiBody<'a> {
    /// A frame type tcpdump does not know: it prints only that.
    UnknownType(u8),
    UnknownControl(u8),
    /// Cut short inside the frame control field or the MAC header.
    Cut,
    /// A data frame without data (null function).
    Empty,
    /// A protected data frame: the captured body (IV first).
    Protected(&'a [u8]),
    /// A management frame body and its length on the wire.
    Management {
        body: &'a [u8],
        length: u32,
    },
    /// A control frame (from its first byte: tcpdump reads fields of the header).
    Control {
        frame: &'a [u8],
    },
}

#[derive(Debug)]
pub struct Arp<'a> {
    /// `None` when the captured bytes end before the target protocol address.
    pub packet: Option<ArpPacketSlice<'a>>,
    /// Wire length from the ARP header on.
    pub length: u32,
}

#[derive(Debug)]
pub enum Ipv4<'a> {
    /// Fewer than 20 bytes were captured.
    Truncated,
    /// The fixed header was captured, its options were cut short.
    OptionsCut {
        source: [u8; 4],
        destination: [u8; 4],
    },
    /// Wire length below a minimal header (`truncated-ip N`).
    ShortWire(u32),
    /// The version nibble is not 4 (an IPv6 packet behind ethertype IPv4, say).
    WrongVersion(u8),
    /// Header length field below 20 (`bad-hlen N`).
    BadHeaderLength(u32),
    /// Total length below the header length (`bad-len N`).
    BadTotalLength {
        total: u16,
        missing: u32,
    },
    Datagram(Ipv4Datagram<'a>),
}

#[derive(Debug)]
pub struct Ipv4Datagram<'a> {
    pub header: Ipv4HeaderSlice<'a>,
    /// Bytes the header's total length claims beyond the wire length (tcpdump's
    /// `truncated-ip - N bytes missing!`), 0 normally.
    pub missing: u32,
    pub transport: Transport<'a>,
}

// Decoded values live on the stack, one per packet: boxing the large variant would cost
// an allocation per packet for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Ipv6<'a> {
    Truncated,
    ShortWire(u32),
    WrongVersion(u8),
    Datagram(Ipv6Datagram<'a>),
}

#[derive(Debug)]
pub struct Ipv6Datagram<'a> {
    pub header: Ipv6HeaderSlice<'a>,
    pub missing: u32,
    /// Extension headers in the order they appear.
    pub exts: ArrayVec<Ipv6Ext<'a>, MAX_EXTS>,
    pub transport: Transport<'a>,
}

/// An IPv6 extension header as tcpdump prints it.
#[derive(Debug)]
pub enum Ipv6Ext<'a> {
    HopByHop,
    DestinationOptions,
    /// `offset` in bytes; `length` of the fragment's payload.
    Fragment {
        offset: u16,
        length: i64,
    },
    Routing {
        length: u8,
        routing_type: u8,
        segments_left: u8,
        reserved: u32,
        /// The addresses of a type 0/2 header (16 bytes each).
        addresses: &'a [u8],
    },
    Authentication {
        spi: u32,
        sequence: u32,
    },
    /// The header was cut short; tcpdump's marker.
    Truncated(&'static str),
}

/// The transport (or next) protocol inside an IP datagram.
#[derive(Debug)]
pub enum Transport<'a> {
    Tcp(Tcp<'a>),
    Udp(Udp<'a>),
    Icmp(Icmp<'a>),
    Icmp6(Icmp<'a>),
    /// GRE; the carried packet is the next level.
    Gre(Gre),
    /// IP in IP (4) or IPv6 in IP (41); the carried packet is the next level.
    Tunnel {
        protocol: u8,
        length: u32,
    },
    Esp {
        spi: Option<(u32, u32)>,
        length: u32,
    },
    /// A later IPv4 fragment: no transport header in it.
    Fragment {
        protocol: u8,
    },
    /// IPv6 next header 59.
    NoNextHeader,
    /// A protocol the decoder does not know (`ip-proto-N len`).
    Other {
        protocol: u8,
        length: u32,
    },
    /// Decoding stopped inside the extension headers.
    Stopped,
}

/// Who sent the transport header: tcpdump prints addresses with the ports only when the
/// transport header follows the IP header directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addressing {
    WithAddresses,
    PortsOnly,
}

#[derive(Debug)]
pub struct Tcp<'a> {
    pub addressing: Addressing,
    /// Captured bytes from the TCP header on.
    pub raw: &'a [u8],
    /// `(source, destination)` when at least 4 bytes were captured.
    pub ports: Option<(u16, u16)>,
    /// The whole header with options, when captured and well formed.
    pub header: Option<TcpHeaderSlice<'a>>,
    /// The data offset field times 4 (may be below 20 in a broken header).
    pub header_len: u32,
    /// Segment length on the wire (header + payload).
    pub length: u32,
    /// Captured payload bytes.
    pub payload: &'a [u8],
    pub app: App<'a>,
}

#[derive(Debug)]
pub struct Udp<'a> {
    pub addressing: Addressing,
    /// Captured bytes from the UDP header on.
    pub raw: &'a [u8],
    /// Part of a fragmented datagram (no checksum check).
    pub fragmented: bool,
    pub ports: Option<(u16, u16)>,
    /// The UDP length field, when captured.
    pub udp_length: Option<u16>,
    /// Wire length handed to UDP (from the IP header).
    pub length: u32,
    pub payload: &'a [u8],
    pub app: App<'a>,
}

#[derive(Debug)]
pub struct Icmp<'a> {
    /// Captured ICMP bytes.
    pub data: &'a [u8],
    /// ICMP length on the wire.
    pub length: u32,
    /// Part of a fragmented datagram (no checksum check).
    pub fragmented: bool,
}

impl Icmp<'_> {
    pub fn kind(&self) -> Option<u8> {
        self.data.first().copied()
    }
    pub fn code(&self) -> Option<u8> {
        self.data.get(1).copied()
    }
    pub fn u16_at(&self, at: usize) -> Option<u16> {
        Some(u16::from_be_bytes([
            *self.data.get(at)?,
            *self.data.get(at + 1)?,
        ]))
    }
    pub fn u32_at(&self, at: usize) -> Option<u32> {
        let b = self.data.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn bytes_at(&self, at: usize, n: usize) -> Option<&[u8]> {
        self.data.get(at..at + n)
    }
}

#[derive(Debug)]
pub struct Gre {
    pub version: u8,
    pub flags: u16,
    /// `None` when cut short before the protocol field.
    pub protocol: Option<u16>,
    pub offset: Option<u16>,
    pub key: Option<u32>,
    pub sequence: Option<u32>,
    /// Wire length of the GRE packet.
    pub length: u32,
    /// The optional fields were cut short.
    pub truncated: bool,
}

/// The application protocol a transport payload was recognised as (by port).
#[derive(Debug)]
pub enum App<'a> {
    None,
    /// DNS (port 53) or mDNS (5353); over TCP the 2-byte length is already skipped.
    Dns {
        message: DnsMessage<'a>,
        multicast: bool,
    },
    /// HTTP on port 80 or 8080: the captured payload.
    Http(&'a [u8]),
    /// DHCPv6 (ports 546/547): the captured message.
    Dhcp6(&'a [u8]),
    /// VXLAN; the carried Ethernet frame is the next level.
    Vxlan {
        flags: u8,
        vni: u32,
    },
    /// A VXLAN header cut short.
    VxlanTruncated,
}

/// What the next level starts with.
enum Inner<'a> {
    Ethernet(&'a [u8], u32),
    /// IP of either version, chosen by the version nibble.
    Ip(&'a [u8], u32),
    Ipv4(&'a [u8], u32),
    Ipv6(&'a [u8], u32),
    /// BSD loopback: a 4-byte address family, then IP.
    Null(&'a [u8], u32),
    Wifi(&'a [u8], u32),
    Ppp(&'a [u8], u32),
    Chdlc(&'a [u8], u32),
    /// Linux cooked capture; true for version 2.
    Sll(&'a [u8], u32, bool),
}

/// Decodes one frame of `link_type`; `data` are the captured bytes, `wire_len` the
/// frame's length on the wire (at least `data.len()`).
pub fn decode<'a>(
    link_type: LinkType,
    data: &'a [u8],
    wire_len: u32,
    opts: &DecodeOptions,
) -> Decoded<'a> {
    let mut d = Decoded::new();
    d.decode(link_type, data, wire_len, opts);
    d
}

impl<'a> Decoded<'a> {
    pub fn new() -> Self {
        Decoded {
            levels: ArrayVec::new(),
        }
    }

    /// Decodes into `self` (cleared first): the per-packet path keeps one `Decoded` on
    /// its stack instead of moving a freshly built one out of a function.
    pub fn decode(
        &mut self,
        link_type: LinkType,
        data: &'a [u8],
        wire_len: u32,
        opts: &DecodeOptions,
    ) {
        let levels = &mut self.levels;
        levels.clear();
        let wire_len = wire_len.max(data.len() as u32);
        let mut next = match link_type {
            LinkType::ETHERNET => Some(Inner::Ethernet(data, wire_len)),
            // DLT_RAW as BSD and OpenBSD number it, and LINKTYPE_IPV4 / LINKTYPE_IPV6.
            LinkType::RAW | LinkType(12) | LinkType(14) | LinkType(228) | LinkType(229) => {
                Some(Inner::Ip(data, wire_len))
            }
            LinkType(9) => Some(Inner::Ppp(data, wire_len)),
            LinkType(104) => Some(Inner::Chdlc(data, wire_len)),
            LinkType::NULL => Some(Inner::Null(data, wire_len)),
            LinkType::IEEE802_11 => Some(Inner::Wifi(data, wire_len)),
            LinkType::LINUX_SLL => Some(Inner::Sll(data, wire_len, false)),
            LinkType::LINUX_SLL2 => Some(Inner::Sll(data, wire_len, true)),
            other => {
                levels.push(Level {
                    link: Link::None,
                    net: Net::Unsupported {
                        link_type: other,
                        length: wire_len,
                    },
                });
                None
            }
        };
        let mut d = Decoder {
            opts,
            inner: None,
            depth: levels.len(),
        };
        while let Some(input) = next.take() {
            if levels.is_full() {
                break;
            }
            d.depth = levels.len();
            levels.push(d.level(input));
            next = d.inner.take();
        }
    }
}

impl Default for Decoded<'_> {
    fn default() -> Self {
        Decoded::new()
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

struct Decoder<'o, 'a> {
    opts: &'o DecodeOptions,
    /// What the level being decoded carries, if it is a tunnel.
    inner: Option<Inner<'a>>,
    depth: usize,
}

impl<'a> Decoder<'_, 'a> {
    fn level(&mut self, input: Inner<'a>) -> Level<'a> {
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

    fn ppp(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        use super::ppp;
        let Some((header, rest)) = ppp::decode(data, wire_len) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|ppp]"),
            };
        };
        let len = wire_len.saturating_sub((data.len() - rest.len()) as u32);
        let net = match header.protocol {
            ppp::PROTO_IPV4 => Net::Ipv4(self.ipv4(rest, len)),
            ppp::PROTO_IPV6 => Net::Ipv6(self.ipv6(rest, len)),
            _ => Net::None,
        };
        Level {
            link: Link::Ppp(header),
            net,
        }
    }

    fn chdlc(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let Some((header, rest)) = super::chdlc::decode(data, wire_len) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|chdlc]"),
            };
        };
        let len = wire_len.saturating_sub(super::chdlc::HEADER_LEN as u32);
        let net = match header.protocol {
            // tcpdump decodes SLARP here, not (R)ARP.
            0x0800 | 0x86dd => self.ether_payload(header.protocol, rest, len),
            _ => Net::None,
        };
        Level {
            link: Link::Chdlc(header),
            net,
        }
    }

    fn sll(&mut self, data: &'a [u8], wire_len: u32, v2: bool) -> Level<'a> {
        let hdrlen = if v2 { 20 } else { 16 };
        if data.len() < hdrlen || (wire_len as usize) < hdrlen {
            return Level {
                link: Link::None,
                net: Net::Truncated(if v2 { "[|sll2]" } else { "[|sll]" }),
            };
        }
        let be16 = |at: usize| u16::from_be_bytes([data[at], data[at + 1]]);
        let (packet_type, halen, addr_at, protocol, interface) = if v2 {
            (
                u16::from(data[10]),
                data[11],
                12,
                be16(0),
                Some(u32::from_be_bytes([data[4], data[5], data[6], data[7]])),
            )
        } else {
            (be16(0), data[5], 6, be16(14), None)
        };
        let address = (halen == 6).then(|| {
            let mut a = [0u8; 6];
            a.copy_from_slice(&data[addr_at..addr_at + 6]);
            a
        });
        let rest = &data[hdrlen..];
        let len = wire_len - hdrlen as u32;
        let net = match protocol {
            // 802.2: an LLC header follows.
            0x0004 => self.llc(rest, len).1,
            p if p <= 1500 => Net::None,
            p => self.ether_payload(p, rest, len),
        };
        Level {
            link: Link::Sll {
                packet_type,
                address,
                protocol,
                interface,
                length: wire_len,
            },
            net,
        }
    }

    fn wifi(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let alone = |body| Level {
            link: Link::None,
            net: Net::Wifi(body),
        };
        let Some(fc) = data.get(0..2).map(|b| u16::from_le_bytes([b[0], b[1]])) else {
            return alone(WifiBody::Cut);
        };
        let hdrlen = match wifi::header_length(fc) {
            Ok(n) => n,
            Err((true, subtype)) => return alone(WifiBody::UnknownControl(subtype)),
            Err((false, kind)) => return alone(WifiBody::UnknownType(kind)),
        };
        if data.len() < hdrlen {
            return alone(WifiBody::Cut);
        }
        let header = WifiHeader {
            fc,
            header: &data[..hdrlen],
        };
        let body = &data[hdrlen..];
        let len = wire_len.saturating_sub(hdrlen as u32);
        let (llc, net) = match header.frame_type() {
            wifi::TYPE_MGMT => (None, Net::Wifi(WifiBody::Management { body, length: len })),
            wifi::TYPE_CTRL => (None, Net::Wifi(WifiBody::Control { frame: data })),
            _ if header.subtype() & 4 != 0 => (None, Net::Wifi(WifiBody::Empty)),
            _ if header.protected() => (None, Net::Wifi(WifiBody::Protected(body))),
            _ => self.llc(body, len),
        };
        Level {
            link: Link::Wifi { header, llc },
            net,
        }
    }

    /// An 802.2 LLC header (and SNAP) and what follows it.
    fn llc(&mut self, data: &'a [u8], len: u32) -> (Option<Llc>, Net<'a>) {
        if data.len() < 3 || len < 3 {
            return (None, Net::Truncated("[|llc]"));
        }
        let unnumbered = data[2] & 3 == 3;
        let (control, hdrlen) = if unnumbered {
            (u16::from(data[2]), 3usize)
        } else {
            if data.len() < 4 || len < 4 {
                return (None, Net::Truncated("[|llc]"));
            }
            (u16::from_le_bytes([data[2], data[3]]), 4)
        };
        let mut llc = Llc {
            dsap_field: data[0],
            ssap_field: data[1],
            control,
            unnumbered,
            snap: None,
        };
        let (dsap, ssap) = (data[0] & !1, data[1] & !1);
        if !(dsap == 0xaa && ssap == 0xaa && control == 0x03) {
            return (Some(llc), Net::None);
        }
        let rest = &data[hdrlen..];
        let len = len - hdrlen as u32;
        let Some(s) = rest.get(0..5) else {
            return (Some(llc), Net::Truncated("[|snap]"));
        };
        let ether_type = u16::from_be_bytes([s[3], s[4]]);
        let length = len.saturating_sub(5);
        llc.snap = Some(Snap {
            oui: u32::from_be_bytes([0, s[0], s[1], s[2]]),
            ether_type,
            length,
        });
        (
            Some(llc),
            self.ether_payload(ether_type, &rest[5..], length),
        )
    }

    fn null(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let Some(b) = data.get(0..4) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|null]"),
            };
        };
        // The family is in the capturing host's byte order; small values tell which.
        let le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let family = if le & 0xFFFF_0000 != 0 {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        } else {
            le
        };
        let (rest, len) = (&data[4..], wire_len.saturating_sub(4));
        let net = match family {
            2 => Net::Ipv4(self.ipv4(rest, len)),
            10 | 24 | 28 | 30 => Net::Ipv6(self.ipv6(rest, len)),
            _ => Net::None,
        };
        Level {
            link: Link::Null {
                family,
                length: wire_len,
            },
            net,
        }
    }

    fn ip_any(&mut self, data: &'a [u8], len: u32) -> Net<'a> {
        match data.first().map(|b| b >> 4) {
            None => Net::Truncated("[|ip]"),
            Some(4) => Net::Ipv4(self.ipv4(data, len)),
            Some(6) => Net::Ipv6(self.ipv6(data, len)),
            Some(v) => Net::UnknownIpVersion(v),
        }
    }

    fn ethernet(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let Ok(header) = Ethernet2HeaderSlice::from_slice(data) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|ether]"),
            };
        };
        if wire_len < 14 {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|ether]"),
            };
        }
        let mut eth = Ethernet {
            source: header.source(),
            destination: header.destination(),
            ether_type: header.ether_type().0,
            length: wire_len,
            vlans: ArrayVec::new(),
            llc: None,
        };
        let mut rest = &data[14..];
        let mut len = wire_len - 14;
        let mut ether_type = eth.ether_type;
        while super::names::is_vlan_ether_type(ether_type) {
            if rest.len() < 4 || len < 4 || eth.vlans.is_full() {
                return Level {
                    link: Link::Ethernet(eth),
                    net: Net::Truncated("[|vlan]"),
                };
            }
            let tci = u16::from_be_bytes([rest[0], rest[1]]);
            ether_type = u16::from_be_bytes([rest[2], rest[3]]);
            eth.vlans.push(VlanTag { tci, ether_type });
            rest = &rest[4..];
            len -= 4;
        }
        let net = if ether_type <= 1500 {
            // 802.3: the type field is the length of what follows, an LLC header.
            let (llc, net) = self.llc(rest, u32::from(ether_type));
            eth.llc = llc;
            net
        } else {
            self.ether_payload(ether_type, rest, len)
        };
        Level {
            link: Link::Ethernet(eth),
            net,
        }
    }

    fn ether_payload(&mut self, ether_type: u16, data: &'a [u8], len: u32) -> Net<'a> {
        match ether_type {
            0x0800 => Net::Ipv4(self.ipv4(data, len)),
            0x86dd => Net::Ipv6(self.ipv6(data, len)),
            0x0806 | 0x8035 => Net::Arp(Arp {
                packet: ArpPacketSlice::from_slice(data).ok(),
                length: len,
            }),
            _ => Net::None,
        }
    }

    fn ipv4(&mut self, data: &'a [u8], wire_len: u32) -> Ipv4<'a> {
        let Some(first) = data.first() else {
            return Ipv4::Truncated;
        };
        let version = first >> 4;
        if version != 4 {
            return Ipv4::WrongVersion(version);
        }
        if data.len() < 20 {
            return Ipv4::Truncated;
        }
        if wire_len < 20 {
            return Ipv4::ShortWire(wire_len);
        }
        let hlen = u32::from(data[0] & 0x0F) * 4;
        if hlen < 20 {
            return Ipv4::BadHeaderLength(hlen);
        }
        let Ok(header) = Ipv4HeaderSlice::from_slice(data) else {
            return Ipv4::OptionsCut {
                source: [data[12], data[13], data[14], data[15]],
                destination: [data[16], data[17], data[18], data[19]],
            };
        };
        let total = u32::from(header.total_len());
        let missing = total.saturating_sub(wire_len);
        if total < hlen {
            return Ipv4::BadTotalLength {
                total: header.total_len(),
                missing,
            };
        }
        // tcpdump cuts the captured bytes at the end of the datagram (Ethernet padding).
        let end = (total as usize).min(data.len());
        let payload = &data[hlen as usize..end];
        let payload_len = total - hlen;
        let fragment_offset = u16::from(header.fragments_offset());
        let protocol = header.protocol().0;
        let transport = if fragment_offset != 0 {
            Transport::Fragment { protocol }
        } else {
            self.transport(
                protocol,
                payload,
                payload_len,
                Addressing::WithAddresses,
                header.more_fragments(),
            )
        };
        Ipv4::Datagram(Ipv4Datagram {
            header,
            missing,
            transport,
        })
    }

    fn ipv6(&mut self, data: &'a [u8], wire_len: u32) -> Ipv6<'a> {
        if data.len() < 40 {
            return Ipv6::Truncated;
        }
        if wire_len < 40 {
            return Ipv6::ShortWire(wire_len);
        }
        let version = data[0] >> 4;
        if version != 6 {
            return Ipv6::WrongVersion(version);
        }
        let Ok(header) = Ipv6HeaderSlice::from_slice(data) else {
            return Ipv6::Truncated;
        };
        let total = u32::from(header.payload_length()) + 40;
        let missing = total.saturating_sub(wire_len);
        let end = (total as usize).min(data.len());
        let mut captured = &data[40..end];
        // Offset of `captured` from the start of the IPv6 header.
        let mut pos = 40usize;
        let mut len = total - 40;
        let mut nh = header.next_header().0;
        let mut exts = ArrayVec::new();
        let mut addressing = Addressing::WithAddresses;
        let mut fragmented = false;
        let transport = loop {
            match nh {
                0 | 60 => {
                    let Some(ext_len) = captured.get(1).map(|l| (usize::from(*l) + 1) * 8) else {
                        exts.push(Ipv6Ext::Truncated(if nh == 0 {
                            "[|HBH]"
                        } else {
                            "[|DSTOPT]"
                        }));
                        break Transport::Stopped;
                    };
                    if captured.len() < ext_len || (len as usize) < ext_len {
                        exts.push(Ipv6Ext::Truncated(if nh == 0 {
                            "[|HBH]"
                        } else {
                            "[|DSTOPT]"
                        }));
                        break Transport::Stopped;
                    }
                    exts.push(if nh == 0 {
                        Ipv6Ext::HopByHop
                    } else {
                        Ipv6Ext::DestinationOptions
                    });
                    nh = captured[0];
                    captured = &captured[ext_len..];
                    pos += ext_len;
                    len -= ext_len as u32;
                }
                44 => {
                    if captured.len() < 8 {
                        exts.push(Ipv6Ext::Truncated("[|frag]"));
                        break Transport::Stopped;
                    }
                    let offset = u16::from_be_bytes([captured[2], captured[3]]) & 0xFFF8;
                    let length = i64::from(header.payload_length()) + 40 - pos as i64 - 8;
                    exts.push(Ipv6Ext::Fragment { offset, length });
                    if offset != 0 || captured.len() <= 8 || len < 8 {
                        break Transport::Stopped;
                    }
                    fragmented = true;
                    nh = captured[0];
                    captured = &captured[8..];
                    pos += 8;
                    len -= 8;
                }
                43 => {
                    if captured.len() < 4 {
                        exts.push(Ipv6Ext::Truncated("[|srcrt]"));
                        break Transport::Stopped;
                    }
                    let ext_len = (usize::from(captured[1]) + 1) * 8;
                    let routing_type = captured[2];
                    let reserved = be32(captured, 4);
                    let Some(reserved) = reserved.filter(|_| matches!(routing_type, 0 | 2)) else {
                        exts.push(Ipv6Ext::Truncated("[|srcrt]"));
                        break Transport::Stopped;
                    };
                    let n_addr = usize::from(captured[1] / 2);
                    if captured[1] % 2 == 1
                        || captured.len() < 8 + 16 * n_addr
                        || captured.len() < ext_len
                        || (len as usize) < ext_len
                    {
                        exts.push(Ipv6Ext::Truncated("[|srcrt]"));
                        break Transport::Stopped;
                    }
                    exts.push(Ipv6Ext::Routing {
                        length: captured[1],
                        routing_type,
                        segments_left: captured[3],
                        reserved,
                        addresses: &captured[8..8 + 16 * n_addr],
                    });
                    nh = captured[0];
                    captured = &captured[ext_len..];
                    pos += ext_len;
                    len -= ext_len as u32;
                }
                51 => {
                    let (Some(spi), Some(sequence)) = (be32(captured, 4), be32(captured, 8)) else {
                        exts.push(Ipv6Ext::Truncated("[|AH]"));
                        break Transport::Stopped;
                    };
                    let ext_len = (usize::from(captured[1]) + 2) * 4;
                    exts.push(Ipv6Ext::Authentication { spi, sequence });
                    if captured.len() < ext_len || (len as usize) < ext_len {
                        break Transport::Stopped;
                    }
                    nh = captured[0];
                    captured = &captured[ext_len..];
                    pos += ext_len;
                    len -= ext_len as u32;
                }
                _ => break self.transport(nh, captured, len, addressing, fragmented),
            }
            if exts.is_full() {
                break Transport::Stopped;
            }
            addressing = Addressing::PortsOnly;
        };
        Ipv6::Datagram(Ipv6Datagram {
            header,
            missing,
            exts,
            transport,
        })
    }

    fn transport(
        &mut self,
        protocol: u8,
        data: &'a [u8],
        len: u32,
        addressing: Addressing,
        fragmented: bool,
    ) -> Transport<'a> {
        match protocol {
            6 => Transport::Tcp(self.tcp(data, len, addressing)),
            17 => Transport::Udp(self.udp(data, len, addressing, fragmented)),
            1 => Transport::Icmp(Icmp {
                data,
                length: len,
                fragmented,
            }),
            58 => Transport::Icmp6(Icmp {
                data,
                length: len,
                fragmented,
            }),
            47 => Transport::Gre(self.gre(data, len)),
            4 | 41 => {
                if self.depth + 1 < MAX_LEVELS {
                    self.inner = Some(if protocol == 4 {
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
            50 => Transport::Esp {
                spi: be32(data, 0).zip(be32(data, 4)),
                length: len,
            },
            59 => Transport::NoNextHeader,
            _ => Transport::Other {
                protocol,
                length: len,
            },
        }
    }

    fn tcp(&mut self, data: &'a [u8], len: u32, addressing: Addressing) -> Tcp<'a> {
        let ports = be16(data, 0).zip(be16(data, 2));
        let header_len = data.get(12).map_or(0, |b| u32::from(b >> 4) * 4);
        let header = if header_len >= 20 {
            TcpHeaderSlice::from_slice(data).ok()
        } else {
            None
        };
        let payload = match &header {
            Some(h) => &data[h.slice().len()..],
            None => &[],
        };
        let mut tcp = Tcp {
            addressing,
            raw: data,
            ports,
            header,
            header_len,
            length: len,
            payload,
            app: App::None,
        };
        if let (Some((sport, dport)), Some(_)) = (tcp.ports, &tcp.header)
            && len > header_len
        {
            let seg_len = len - header_len;
            let is = |p: u16| sport == p || dport == p;
            tcp.app = if is(80) || is(8080) {
                App::Http(payload)
            } else if is(53) && seg_len > 2 {
                // DNS over TCP: a 2-byte length, then the message.
                let msg = payload.get(2..).unwrap_or(&[]);
                App::Dns {
                    message: DnsMessage::new(msg, seg_len - 2),
                    multicast: false,
                }
            } else {
                App::None
            };
        }
        tcp
    }

    fn udp(&mut self, data: &'a [u8], len: u32, addressing: Addressing, frag: bool) -> Udp<'a> {
        let ports = be16(data, 0).zip(be16(data, 2));
        let udp_length = be16(data, 4);
        let mut udp = Udp {
            addressing,
            raw: data,
            fragmented: frag,
            ports,
            udp_length,
            length: len,
            payload: data.get(8..).unwrap_or(&[]),
            app: App::None,
        };
        let (Some((sport, dport)), Some(ulen)) = (ports, udp_length) else {
            return udp;
        };
        if len < 8 || ulen < 8 || data.len() < 8 {
            return udp;
        }
        let payload_len = u32::from(ulen - 8).min(len - 8);
        let is = |p: u16| sport == p || dport == p;
        udp.app = if is(53) {
            App::Dns {
                message: DnsMessage::new(udp.payload, payload_len),
                multicast: false,
            }
        } else if is(5353) {
            App::Dns {
                message: DnsMessage::new(udp.payload, payload_len),
                multicast: true,
            }
        } else if is(546) || is(547) {
            App::Dhcp6(udp.payload)
        } else if is(self.opts.vxlan_port) {
            self.vxlan(udp.payload, payload_len)
        } else {
            App::None
        };
        udp
    }

    fn vxlan(&mut self, data: &'a [u8], len: u32) -> App<'a> {
        if len < 8 || data.len() < 8 {
            return App::VxlanTruncated;
        }
        let flags = data[0];
        let vni = u32::from_be_bytes([0, data[4], data[5], data[6]]);
        if self.depth + 1 < MAX_LEVELS {
            self.inner = Some(Inner::Ethernet(&data[8..], len - 8));
        }
        App::Vxlan { flags, vni }
    }

    fn gre(&mut self, data: &'a [u8], len: u32) -> Gre {
        let mut gre = Gre {
            version: 0,
            flags: 0,
            protocol: None,
            offset: None,
            key: None,
            sequence: None,
            length: len,
            truncated: true,
        };
        let Some(flags) = be16(data, 0) else {
            return gre;
        };
        gre.flags = flags;
        gre.version = (flags & 0x0007) as u8;
        if gre.version != 0 {
            gre.truncated = false;
            return gre;
        }
        let Some(protocol) = be16(data, 2).filter(|_| len >= 4) else {
            return gre;
        };
        gre.protocol = Some(protocol);
        let mut at = 4usize;
        let mut left = len - 4;
        if flags & 0xC000 != 0 {
            // Checksum present: it and the offset field take 4 bytes.
            let Some(off) = be16(data, at + 2).filter(|_| left >= 4) else {
                return gre;
            };
            gre.offset = Some(off);
            at += 4;
            left -= 4;
        }
        if flags & 0x2000 != 0 {
            let Some(key) = be32(data, at).filter(|_| left >= 4) else {
                return gre;
            };
            gre.key = Some(key);
            at += 4;
            left -= 4;
        }
        if flags & 0x1000 != 0 {
            let Some(seq) = be32(data, at).filter(|_| left >= 4) else {
                return gre;
            };
            gre.sequence = Some(seq);
            at += 4;
            left -= 4;
        }
        if flags & 0x4000 != 0 {
            // Source routing entries are rare and obsolete; stop here.
            return gre;
        }
        gre.truncated = false;
        let inner = &data[at.min(data.len())..];
        if self.depth + 1 < MAX_LEVELS {
            self.inner = match protocol {
                0x0800 => Some(Inner::Ipv4(inner, left)),
                0x86dd => Some(Inner::Ipv6(inner, left)),
                0x6558 => Some(Inner::Ethernet(inner, left)),
                _ => None,
            };
        }
        gre
    }
}
