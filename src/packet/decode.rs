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

pub use super::arp::Arp;
use super::dns::DnsMessage;
pub use super::ethernet::{Ethernet, VlanTag};
pub use super::gre::Gre;
pub use super::icmp::Icmp;
pub use super::ipv4::{Ipv4, Ipv4Datagram};
pub use super::ipv6::{Ipv6, Ipv6Datagram, Ipv6Ext};
pub use super::llc::{Llc, Snap};
use super::radiotap::Radiotap;
pub use super::tcp::Tcp;
pub use super::udp::Udp;
use super::wifi::WifiHeader;
use crate::record::LinkType;
use arrayvec::ArrayVec;

/// A protocol printed whole by its own file: appends its text for the captured bytes
/// (from its header on) and its wire length. Most protocols need nothing else, so adding
/// one is a file and a row in a table of `dispatch.rs`.
pub type LinePrinter = fn(&mut Vec<u8>, &[u8], u32);

/// A [`LinePrinter`] that also names the frame's source MAC address, when the link has
/// one (tcpdump hands it to the GeoNetworking and CALM FAST printers).
pub type SourcePrinter = fn(&mut Vec<u8>, &[u8], u32, Option<&[u8; 6]>);

/// A level's protocol handed to its [`LinePrinter`].
#[derive(Clone, Copy)]
pub struct Printed<'a> {
    pub print: LinePrinter,
    pub data: &'a [u8],
    pub length: u32,
}

impl Printed<'_> {
    /// Prints the protocol; each `\n` it writes (tcpdump's line break) opens a line that
    /// starts with `line_start`, as the level's own line does.
    pub(super) fn print(&self, out: &mut Vec<u8>, line_start: &[u8]) {
        let from = out.len();
        (self.print)(out, self.data, self.length);
        indent_lines(out, from, line_start);
    }
}

/// Puts `line_start` after each `\n` in `out[from..]`, in place.
pub(super) fn indent_lines(out: &mut Vec<u8>, from: usize, line_start: &[u8]) {
    let breaks = out[from..].iter().filter(|&&b| b == b'\n').count();
    if breaks == 0 || line_start.is_empty() {
        return;
    }
    let old_len = out.len();
    out.resize(old_len + breaks * line_start.len(), 0);
    // Move the text right, from its end, opening room after each break.
    let mut write = out.len();
    for read in (from..old_len).rev() {
        let b = out[read];
        if b == b'\n' {
            write -= line_start.len();
            out[write..write + line_start.len()].copy_from_slice(line_start);
        }
        write -= 1;
        out[write] = b;
    }
}

/// A transport printed whole by its file that opens its text with the datagram's
/// addresses and its own ports (`src.port > dst.port: `), as SCTP and DCCP do.
pub type AddressedPrinter = fn(&mut Vec<u8>, &[u8], u32, super::print::Addrs);

/// A transport handed to its [`AddressedPrinter`].
#[derive(Clone, Copy)]
pub struct AddressedPrinted<'a> {
    pub print: AddressedPrinter,
    pub data: &'a [u8],
    pub length: u32,
}

/// `Debug` for a message handed to its printer (`data`, `length` and a fn pointer):
/// the data's length and the wire length.
macro_rules! debug_data_and_length {
    ($($t:ident),*) => {$(
        impl std::fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    .field("data", &self.data.len())
                    .field("length", &self.length)
                    .finish()
            }
        }
    )*};
}
pub(super) use debug_data_and_length;

debug_data_and_length!(AddressedPrinted, Printed);

/// Deepest nesting decoded; a packet tunnelled deeper keeps its inner bytes undecoded.
pub const MAX_LEVELS: usize = 4;
/// Most VLAN tags and IPv6 extension headers decoded in one level.
pub(super) const MAX_TAGS: usize = 4;
pub(super) const MAX_EXTS: usize = 4;

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
    /// Bit `i` set: level `i` goes on the line of the level before (tcpdump prints a
    /// packet carried after IPv6 extension headers right after them).
    same_line: u8,
}

/// One encapsulation layer: an optional link header and what it carries.
#[derive(Debug)]
pub struct Level<'a> {
    pub link: Link<'a>,
    pub net: Net<'a>,
}

impl<'a> Level<'a> {
    /// A level whose link header its file prints from the frame (`data`, wire length
    /// `length`); `always`: even without -e.
    pub(super) fn headed(
        print: LinePrinter,
        data: &'a [u8],
        length: u32,
        always: bool,
        net: Net<'a>,
    ) -> Level<'a> {
        Level {
            link: Link::Printed {
                header: Printed {
                    print,
                    data,
                    length,
                },
                always,
            },
            net,
        }
    }
}

impl<'a> Net<'a> {
    /// The captured bytes dumped in hex and ASCII, `cut` where the capture ends.
    pub(super) fn dump(bytes: &'a [u8], cut: &'static str) -> Net<'a> {
        Net::Dump {
            bytes,
            length: bytes.len() as u32,
            cut,
            ascii: true,
        }
    }
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
    /// Frame Relay (Q.922 address and encapsulation), after an FRF.16 header if any.
    FrameRelay(super::frame_relay::FrameRelay),
    /// A link header printed whole by its file; tcpdump prints it with `-e` only unless
    /// `always`.
    Printed {
        header: Printed<'a>,
        always: bool,
    },
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
    /// A radiotap header before an 802.11 frame whose MAC header was not decoded.
    Radiotap(Radiotap<'a>),
    /// IEEE 802.11 MAC header (after its radiotap header, if any), and the LLC header of
    /// a data frame.
    Wifi {
        radio: Option<Radiotap<'a>>,
        header: WifiHeader<'a>,
        llc: Option<Llc>,
    },
}

/// What a link header carries.
#[derive(Debug)]
pub enum Net<'a> {
    /// Nothing decodable follows (unknown ethertype, 802.3 frame).
    None,
    /// An MPLS label stack and the packet under it.
    Mpls(super::mpls::Mpls<'a>),
    /// An EtherType printed whole by its file (`dispatch::ETHER_TYPE_PRINTERS`).
    Printed(Printed<'a>),
    /// An EtherType printed whole by its file with the frame's source address
    /// (`dispatch::ETHER_TYPE_SOURCE_PRINTERS`).
    FromSource {
        print: SourcePrinter,
        data: &'a [u8],
        length: u32,
    },
    /// An EtherType nobody decodes: the captured payload, printed as a hex dump.
    Unknown(&'a [u8]),
    /// A PPP frame whose octets are still HDLC-escaped, from its protocol field's
    /// second byte: printing un-escapes and decodes it.
    PppEscaped(&'a [u8]),
    /// A header was cut short; the text is tcpdump's marker (`[|ether]`).
    Truncated(&'static str),
    /// A fixed text tcpdump prints instead of the protocol (`Q.922, invalid address`).
    Note(&'static str),
    /// Bytes tcpdump dumps (in hex and ASCII, its default printer, or in hex alone): the
    /// captured bytes, their wire length, and the mark it prints when the capture ends
    /// first.
    Dump {
        bytes: &'a [u8],
        length: u32,
        cut: &'static str,
        ascii: bool,
    },
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

// Decoded values live on the stack, one per packet: boxing the large variant would cost
// an allocation per packet for nothing.

/// The transport (or next) protocol inside an IP datagram.
#[derive(Debug)]
pub enum Transport<'a> {
    Tcp(Tcp<'a>),
    Udp(Udp<'a>),
    Icmp(Icmp<'a>),
    Icmp6(Icmp<'a>),
    /// PIMv2: the first byte (version, type) and the wire length.
    Pim {
        first: u8,
        length: u32,
    },
    /// IGMP: the captured message and its wire length.
    Igmp(&'a [u8], u32),
    /// An IP protocol printed whole by its file (`dispatch::IP_PROTO_PRINTERS`).
    Printed(Printed<'a>),
    /// An IP protocol printed whole with its addresses (`dispatch::IP_PROTO_ADDRESSED_PRINTERS`).
    Addressed(AddressedPrinted<'a>),
    /// OSPF: the captured message and its wire length (read as the IP version's OSPF).
    Ospf(&'a [u8], u32),
    /// PGM: the captured packet, and whether it follows the IP header directly (then
    /// its ports come with the addresses).
    Pgm(&'a [u8], Addressing),
    /// VRRP: the captured message and its wire length.
    Vrrp(&'a [u8], u32),
    /// GRE; the carried packet is the next level.
    Gre(Gre<'a>),
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
    /// A packet the next level holds whole, with no word of this level before it
    /// (Ethernet in IPv6, a tunnel after IPv6 extension headers).
    Carried,
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
    /// BGP (TCP 179): tcpdump prints only the name without -v.
    Bgp,
    /// BFD: its port, the captured message and its wire length.
    Bfd(u16, &'a [u8], u32),
    /// A port's application printed whole by its file (`dispatch::UDP_PORT_PRINTERS`,
    /// `dispatch::TCP_PORT_PRINTERS`).
    Printed(Printed<'a>),
    /// As [`App::Printed`], with the printer for the datagram over IPv6 beside the one
    /// over IPv4 (for applications whose line names the IP version).
    PrintedPerIp(Printed<'a>, LinePrinter),
    /// DHCPv6 (ports 546/547): the captured message.
    Dhcp6(&'a [u8]),
    /// An application whose line depends on earlier packets of the capture
    /// (`dispatch::UdpApp::Remembering`).
    Remembered(super::memory::Remembered<'a>),
    /// NFS over UDP: as [`App::Remembered`], printed before the checksum verdict (tcpdump
    /// looks for NFS first, and prints no verdict for it).
    Nfs(super::memory::Remembered<'a>),
    /// Nothing of its own: what the datagram carries is the next level (MPLS over UDP).
    Carried,
    /// VXLAN; the carried Ethernet frame is the next level.
    Vxlan {
        flags: u8,
        vni: u32,
    },
    /// A VXLAN header cut short.
    VxlanTruncated,
    /// Geneve: the captured message and its wire length; what it carries is the next
    /// level.
    Geneve(&'a [u8], u32),
    /// OTV, as [`App::Geneve`].
    Otv(&'a [u8], u32),
}

/// What the next level starts with.
pub(super) enum Inner<'a> {
    Ethernet(&'a [u8], u32),
    /// IP of either version, chosen by the version nibble.
    Ip(&'a [u8], u32),
    Ipv4(&'a [u8], u32),
    Ipv6(&'a [u8], u32),
    /// BSD loopback: a 4-byte address family, then IP.
    Null(&'a [u8], u32),
    Wifi(&'a [u8], u32),
    /// A radiotap header, then an 802.11 frame.
    Radiotap(&'a [u8], u32),
    Ppp(&'a [u8], u32),
    Chdlc(&'a [u8], u32),
    FrameRelay(&'a [u8], u32),
    ArcnetLinux(&'a [u8], u32),
    Ipoib(&'a [u8], u32),
    Ipnet(&'a [u8], u32),
    Nflog(&'a [u8], u32),
    Vsock(&'a [u8], u32),
    Slip(&'a [u8], u32),
    PppSerial(&'a [u8], u32),
    Pktap(&'a [u8], u32),
    /// Ethernet with a switch's tag.
    SwitchTagged(&'a [u8], u32, super::ethernet::SwitchTagKind),
    /// Multilink Frame Relay (FRF.16).
    Mfr(&'a [u8], u32),
    /// Linux cooked capture; true for version 2.
    Sll(&'a [u8], u32, bool),
    /// A protocol printed whole by its file (OSI in GRE).
    Printed(Printed<'a>),
    /// An MPLS label stack (MPLS over UDP).
    Mpls(&'a [u8], u32),
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
            same_line: 0,
        }
    }

    /// Whether level `i` continues the line of the level before.
    pub fn continues_line(&self, i: usize) -> bool {
        self.same_line & (1 << i) != 0
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
        self.same_line = 0;
        let wire_len = wire_len.max(data.len() as u32);
        let mut next = super::dispatch::link_input(link_type, data, wire_len);
        if next.is_none() {
            levels.push(Level {
                link: Link::None,
                net: Net::Unsupported {
                    link_type,
                    length: wire_len,
                },
            });
        }
        let mut d = Decoder {
            opts,
            inner: None,
            inner_continues: false,
            depth: levels.len(),
        };
        while let Some(input) = next.take() {
            if levels.is_full() {
                break;
            }
            d.depth = levels.len();
            levels.push(d.level(input));
            next = d.inner.take();
            if std::mem::take(&mut d.inner_continues) && next.is_some() {
                self.same_line |= 1 << levels.len();
            }
        }
    }
}

impl Default for Decoded<'_> {
    fn default() -> Self {
        Decoded::new()
    }
}

pub(super) fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

pub(super) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

pub(super) struct Decoder<'o, 'a> {
    pub(super) opts: &'o DecodeOptions,
    /// What the level being decoded carries, if it is a tunnel.
    pub(super) inner: Option<Inner<'a>>,
    /// The inner packet goes on this level's line.
    pub(super) inner_continues: bool,
    pub(super) depth: usize,
}

#[cfg(test)]
mod tests {
    use super::indent_lines;

    #[test]
    fn breaks_open_indented_lines() {
        let mut out = b"kept\nA\n\nB".to_vec();
        indent_lines(&mut out, 4, b"\t>");
        assert_eq!(out, b"kept\n\t>A\n\t>\n\t>B");
        let mut out = b"no breaks".to_vec();
        indent_lines(&mut out, 0, b"\t");
        assert_eq!(out, b"no breaks");
    }
}
