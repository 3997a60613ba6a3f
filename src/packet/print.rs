//! Printing a [`Decoded`] frame as pktmon's TAB-indented decode lines: one line per
//! encapsulation level, in the words of tcpdump 4.9's printers (which pktmon embeds: its
//! lines match them, down to the double space before `ip-proto-N`), with pktmon's link
//! layer form (`54-8C-A0-98-0E-25 > 3C-84-6A-01-EA-8B, ethertype IPv4 (0x0800), length 54: `).
//!
//! pktmon prints the link header (tcpdump's `-e`) and absolute sequence numbers
//! (tcpdump's `-S`); `-e/--no-ethernet` drops the link header as tcpdump without `-e`.

use super::decode::{
    Addressing, App, Arp, Decoded, Ethernet, Gre, Icmp, Ipv4, Ipv4Datagram, Ipv6, Ipv6Datagram,
    Ipv6Ext, Level, Link, Llc, Net, Tcp, Transport, Udp, WifiBody,
};
use super::dns;
use super::names;
use super::text::TextOut;
use super::wifi;

/// How much to print.
#[derive(Clone, Copy, Debug, Default)]
pub struct PrintOptions {
    /// Leave out the link-layer header (pktmon `-e/--no-ethernet`).
    pub no_link_header: bool,
    /// Abbreviated lines (pktmon `-b/--brief`, tcpdump's `-q`).
    pub brief: bool,
    /// 0..=3 (pktmon `-v`, tcpdump's `-v`..`-vvv`).
    pub verbose: u8,
    /// Print 802.11 addresses as Windows pktmon does (its third address is a copy of
    /// the first, its fourth of the second), to reproduce `pktmon format` on Windows
    /// logs; otherwise the real addresses, as tcpdump prints them.
    pub windows_wifi_addresses: bool,
    /// Print DNS cut short inside a record as Windows pktmon does (`A [|domain]`, a space
    /// before the mark) for its logs; otherwise tcpdump's `A[|domain]`.
    pub windows_dns_truncation: bool,
}

/// Appends one line per level of `d` to `out`, each starting with `line_start` (e.g. a
/// TAB) and ending with `\n`.
pub fn print_lines(out: &mut Vec<u8>, d: &Decoded<'_>, opts: &PrintOptions, line_start: &[u8]) {
    for level in &d.levels {
        out.extend_from_slice(line_start);
        Printer { out, opts }.level(level);
        out.push(b'\n');
    }
}

/// `HTTP` and the first line of an HTTP request or response (`hex2pkt --type HTTP`).
pub fn print_http(out: &mut Vec<u8>, payload: &[u8]) {
    let opts = PrintOptions::default();
    Printer { out, opts: &opts }.http(payload, payload.len() as u32);
}

/// Source and destination of the enclosing IP datagram.
#[derive(Clone, Copy)]
enum Addrs {
    V4([u8; 4], [u8; 4]),
    V6([u8; 16], [u8; 16]),
}

impl Addrs {
    fn src(self, out: &mut Vec<u8>) {
        match self {
            Addrs::V4(s, _) => out.ipv4(s),
            Addrs::V6(s, _) => out.ipv6(s),
        }
    }
    fn dst(self, out: &mut Vec<u8>) {
        match self {
            Addrs::V4(_, d) => out.ipv4(d),
            Addrs::V6(_, d) => out.ipv6(d),
        }
    }
    /// `src > dst` with a separator after each address's port, if any.
    fn pair(self, out: &mut Vec<u8>, ports: Option<(u16, u16)>) {
        self.src(out);
        if let Some((s, _)) = ports {
            out.s(".");
            out.num(s);
        }
        out.s(" > ");
        self.dst(out);
        if let Some((_, d)) = ports {
            out.s(".");
            out.num(d);
        }
    }
    /// The pseudo-header sum for transport checksums.
    fn pseudo_sum(self, protocol: u8, len: u32) -> u32 {
        let mut sum = u32::from(protocol) + (len >> 16) + (len & 0xFFFF);
        let mut add = |b: &[u8]| {
            for c in b.chunks(2) {
                sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
            }
        };
        let (s, d): (&[u8], &[u8]) = match &self {
            Addrs::V4(s, d) => (s, d),
            Addrs::V6(s, d) => (s, d),
        };
        add(s);
        add(d);
        sum
    }
}

/// One's complement sum of `data` folded to 16 bits, started from `sum`.
fn checksum(mut sum: u32, data: &[u8]) -> u16 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

/// The value a checksum field should have had (tcpdump's `in_cksum_shouldbe`).
fn should_be(field: u16, sum: u16) -> u16 {
    let mut s = u32::from(!field) + u32::from(!sum);
    s = (s & 0xFFFF) + (s >> 16);
    s = (s & 0xFFFF) + (s >> 16);
    !(s as u16)
}

struct Printer<'p> {
    out: &'p mut Vec<u8>,
    opts: &'p PrintOptions,
}

impl Printer<'_> {
    fn eflag(&self) -> bool {
        !self.opts.no_link_header
    }

    fn level(&mut self, level: &Level<'_>) {
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

    /// `LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: ` and
    /// `oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 40: ` (tcpdump -e only).
    fn llc(&mut self, llc: &Llc) {
        if !self.eflag() {
            return;
        }
        let (dsap, ssap) = (llc.dsap_field & !1, llc.ssap_field & !1);
        self.out.s("LLC, dsap ");
        self.out.s(wifi::sap_name(dsap));
        self.out.s(" (0x");
        self.out.hex(u64::from(dsap), 2);
        self.out.s(if llc.dsap_field & 1 != 0 {
            ") Group, ssap "
        } else {
            ") Individual, ssap "
        });
        self.out.s(wifi::sap_name(ssap));
        self.out.s(" (0x");
        self.out.hex(u64::from(ssap), 2);
        self.out.s(if llc.ssap_field & 1 != 0 {
            ") Response, ctrl 0x"
        } else {
            ") Command, ctrl 0x"
        });
        self.out
            .hex(u64::from(llc.control), if llc.unnumbered { 2 } else { 4 });
        self.out.s(": ");
        if let Some(snap) = &llc.snap {
            self.out.s("oui ");
            self.out.s(wifi::oui_name(snap.oui));
            self.out.s(" (0x");
            self.out.hex(u64::from(snap.oui), 6);
            self.out.s(if snap.oui == 0 {
                "), ethertype "
            } else {
                "), pid "
            });
            self.out.s(if snap.oui == 0 {
                wifi::snap_ether_type(snap.ether_type)
            } else {
                "Unknown"
            });
            self.out.s(" (0x");
            self.out.hex(u64::from(snap.ether_type), 4);
            self.out.s("), length ");
            self.out.num(snap.length);
            self.out.s(": ");
        }
    }

    fn wifi(&mut self, link: &Link<'_>, body: &WifiBody<'_>) {
        let header = match link {
            Link::Wifi { header, .. } => Some(header),
            _ => None,
        };
        let shown = self.eflag();
        let ok = match (body, header) {
            (WifiBody::UnknownType(t), _) => {
                self.out.s("unknown 802.11 frame type (");
                self.out.num(*t);
                self.out.s(")");
                true
            }
            (WifiBody::UnknownControl(t), _) => {
                self.out.s("unknown 802.11 ctrl frame subtype (");
                self.out.num(*t);
                self.out.s(")");
                true
            }
            (WifiBody::Empty, _) => true,
            (WifiBody::Protected(body), _) => {
                self.out.s("Data");
                wifi::print_iv(self.out, body)
            }
            (WifiBody::Management { body, length }, Some(h)) => {
                wifi::print_management(self.out, h, body, *length as usize, shown)
            }
            (WifiBody::Control { frame }, Some(h)) => {
                wifi::print_control(self.out, h, frame, shown)
            }
            _ => false,
        };
        if !ok {
            self.out.s(" [|802.11]");
        }
    }

    /// `IPv4 (0x0800)`: an ether type's name (`unknown` when it has none) and number.
    fn ether_type_and_number(&mut self, t: u16, unknown: &str) {
        self.out.s(names::ether_type(t).unwrap_or(unknown));
        self.out.s(" (0x");
        self.out.hex(u64::from(t), 4);
        self.out.s(")");
    }

    /// An ether type's name, or its number in hex between `before` and `after`.
    fn ether_type_or_hex(&mut self, t: u16, before: &str, after: &str) {
        match names::ether_type(t) {
            Some(n) => self.out.s(n),
            None => {
                self.out.s(before);
                self.out.hex(u64::from(t), 4);
                self.out.s(after);
            }
        }
    }

    /// A value's name, or its number between `before` and `after`.
    fn name_or_number(
        &mut self,
        name: Option<&str>,
        before: &str,
        n: impl itoa::Integer,
        after: &str,
    ) {
        match name {
            Some(name) => self.out.s(name),
            None => {
                self.out.s(before);
                self.out.num(n);
                self.out.s(after);
            }
        }
    }

    /// The names of the bits set in `bits`, `, `-separated, or `none` (tcpdump's
    /// `bittok2str`).
    fn bit_names(&mut self, bits: u16, names: &[(u16, &str)]) {
        let mut none = true;
        for &(bit, name) in names {
            if bits & bit != 0 {
                if !none {
                    self.out.s(", ");
                }
                self.out.s(name);
                none = false;
            }
        }
        if none {
            self.out.s("none");
        }
    }

    /// `, length N`, how tcpdump ends most lines.
    fn length(&mut self, n: impl itoa::Integer) {
        self.out.s(", length ");
        self.out.num(n);
    }

    /// `<label>1a2b (->3c4d)!`: a checksum field in error and the value it should have
    /// had (tcpdump's IPv4 and ICMP form).
    fn cksum_should_be(&mut self, label: &str, field: u16, sum: u16) {
        self.out.s(label);
        self.out.hex(u64::from(field), 0);
        self.out.s(" (->");
        self.out.hex(u64::from(should_be(field, sum)), 0);
        self.out.s(")!");
    }

    /// `[bad udp cksum 0x1a2b -> 0x3c4d!] ` or `[udp sum ok] ` (tcpdump's UDP and ICMPv6
    /// form); `sum` is the folded sum, 0 when the checksum is right.
    fn cksum_verdict(&mut self, proto: &str, field: u16, sum: u16) {
        self.out.s("[");
        if sum != 0 {
            self.out.s("bad ");
            self.out.s(proto);
            self.out.s(" cksum 0x");
            self.out.hex(u64::from(field), 4);
            self.out.s(" -> 0x");
            self.out.hex(u64::from(should_be(field, sum)), 4);
            self.out.s("!] ");
        } else {
            self.out.s(proto);
            self.out.s(" sum ok] ");
        }
    }

    /// `ESP(spi=0x00000001,seq=0x2)` (tcpdump's AH and ESP form).
    fn spi_seq(&mut self, name: &str, spi: u32, seq: u32) {
        self.out.s(name);
        self.out.s("(spi=0x");
        self.out.hex(u64::from(spi), 8);
        self.out.s(",seq=0x");
        self.out.hex(u64::from(seq), 0);
        self.out.s(")");
    }

    fn ethernet(&mut self, eth: &Ethernet) {
        self.out.mac(&eth.source);
        self.out.s(" > ");
        self.out.mac(&eth.destination);
        let mut length = eth.length;
        if eth.ether_type <= 1500 {
            self.out.s(", 802.3");
            length = u32::from(eth.ether_type);
        } else if self.opts.brief {
            self.out.s(", ");
            self.ether_type_or_hex(eth.ether_type, "Unknown Ethertype (0x", ")");
        } else {
            self.out.s(", ethertype ");
            self.ether_type_and_number(eth.ether_type, "Unknown");
        }
        self.length(length);
        self.out.s(": ");
        for tag in &eth.vlans {
            self.out.s("vlan ");
            self.out.num(tag.tci & 0x0FFF);
            self.out.s(", p ");
            self.out.num(tag.tci >> 13);
            if tag.tci & 0x1000 != 0 {
                self.out.s(", DEI");
            }
            self.out.s(", ");
            if tag.ether_type > 1500 {
                self.out.s("ethertype ");
                self.ether_type_and_number(tag.ether_type, "Unknown");
                self.out.s(", ");
            } else if eth.llc.is_some() {
                // tcpdump 4.99 writes no separator between these two.
                self.out.s("802.3");
            }
        }
    }

    fn arp(&mut self, arp: &Arp<'_>) {
        let Some(p) = &arp.packet else {
            self.out.s("[|ARP]");
            return;
        };
        if !self.eflag() {
            self.out.s("ARP, ");
        }
        let hrd = p.hw_addr_type().0;
        let pro = p.proto_addr_type().0;
        let op = p.operation().0;
        let ipv4 = (pro == 0x0800 || pro == 0x1000) && p.proto_addr_size() == 4;
        let verbose = self.opts.verbose > 0;
        if !ipv4 || p.hw_addr_size() == 0 || verbose {
            match hrd {
                1 => self.out.s("Ethernet"),
                6 => self.out.s("TokenRing"),
                15 => self.out.s("FrameRelay"),
                19 => self.out.s("ATM"),
                24 => self.out.s("IEEE1394"),
                _ => {
                    self.out.s("Unknown Hardware (");
                    self.out.num(hrd);
                    self.out.s(")");
                }
            }
            self.out.s(" (len ");
            self.out.num(p.hw_addr_size());
            self.out.s("), ");
            self.ether_type_or_hex(pro, "Unknown Protocol (0x", ")");
            self.out.s(" (len ");
            self.out.num(p.proto_addr_size());
            self.out.s(")");
            if !verbose {
                self.length(arp.length);
                return;
            }
            self.out.s(", ");
        }
        let op_name = match op {
            1 => "Request",
            2 => "Reply",
            3 => "Reverse Request",
            4 => "Reverse Reply",
            8 => "Inverse Request",
            9 => "Inverse Reply",
            10 => "NACK Reply",
            _ => "",
        };
        if op_name.is_empty() {
            self.out.s("Unknown (");
            self.out.num(op);
            self.out.s(") ");
        } else {
            self.out.s(op_name);
            self.out.s(" ");
        }
        let proto_addr = |out: &mut Vec<u8>, a: &[u8]| {
            if !ipv4 {
                out.s("<wrong proto type>");
            } else {
                out.ipv4([a[0], a[1], a[2], a[3]]);
            }
        };
        match op {
            1 => {
                self.out.s("who-has ");
                proto_addr(self.out, p.target_protocol_addr());
                if p.target_hw_addr().iter().any(|b| *b != 0) {
                    self.out.s(" (");
                    self.out.mac(p.target_hw_addr());
                    self.out.s(")");
                }
                self.out.s(" tell ");
                proto_addr(self.out, p.sender_protocol_addr());
            }
            2 => {
                proto_addr(self.out, p.sender_protocol_addr());
                self.out.s(" is-at ");
                self.out.mac(p.sender_hw_addr());
            }
            3 | 8 => {
                self.out.s("who-is ");
                self.out.mac(p.target_hw_addr());
                self.out.s(" tell ");
                self.out.mac(p.sender_hw_addr());
            }
            4 => {
                self.out.mac(p.target_hw_addr());
                self.out.s(" at ");
                proto_addr(self.out, p.target_protocol_addr());
            }
            9 => {
                self.out.mac(p.sender_hw_addr());
                self.out.s(" at ");
                proto_addr(self.out, p.sender_protocol_addr());
            }
            // tcpdump dumps the bytes of other operations; the length alone says enough.
            _ => return,
        }
        self.length(arp.length);
    }

    fn ipv4(&mut self, ip: &Ipv4<'_>) {
        if let Ipv4::WrongVersion(v) = ip {
            if *v == 6 {
                self.out.s("IP6, wrong link-layer encapsulation ");
            } else {
                self.out.s("IP");
                self.out.num(*v);
                self.out.s(" ");
            }
            return;
        }
        if !self.eflag() {
            self.out.s("IP ");
        }
        match ip {
            Ipv4::WrongVersion(_) => {}
            Ipv4::Truncated => self.out.s("[|ip]"),
            Ipv4::OptionsCut {
                source,
                destination,
            } => {
                Addrs::V4(*source, *destination).pair(self.out, None);
                self.out.s(": [|ip]");
            }
            Ipv4::ShortWire(n) => {
                self.out.s("truncated-ip ");
                self.out.num(*n);
            }
            Ipv4::BadHeaderLength(n) => {
                self.out.s("bad-hlen ");
                self.out.num(*n);
            }
            Ipv4::BadTotalLength { total, missing } => {
                self.missing_v4(*missing);
                self.out.s("bad-len ");
                self.out.num(*total);
            }
            Ipv4::Datagram(d) => self.ipv4_datagram(d),
        }
    }

    fn missing_v4(&mut self, missing: u32) {
        if missing > 0 {
            self.out.s("truncated-ip - ");
            self.out.num(missing);
            self.out.s(" bytes missing! ");
        }
    }

    fn ipv4_datagram(&mut self, d: &Ipv4Datagram<'_>) {
        let h = &d.header;
        self.missing_v4(d.missing);
        if self.opts.verbose > 0 {
            let tos = h.slice()[1];
            self.out.s("(tos 0x");
            self.out.hex(u64::from(tos), 0);
            match tos & 3 {
                1 => self.out.s(",ECT(1)"),
                2 => self.out.s(",ECT(0)"),
                3 => self.out.s(",CE"),
                _ => {}
            }
            if h.ttl() >= 1 {
                self.out.s(", ttl ");
                self.out.num(h.ttl());
            }
            self.out.s(", id ");
            self.out.num(h.identification());
            self.out.s(", offset ");
            self.out.num(u32::from(u16::from(h.fragments_offset())) * 8);
            self.out.s(", flags [");
            let flags = u16::from_be_bytes([h.slice()[6], h.slice()[7]]);
            self.bit_names(flags, &[(0x8000, "rsvd"), (0x4000, "DF"), (0x2000, "+")]);
            self.out.s("], proto ");
            self.out.s(names::ip_proto(h.protocol().0));
            self.out.s(" (");
            self.out.num(h.protocol().0);
            self.out.s("), length ");
            self.out.num(h.total_len());
            let sum = checksum(0, h.slice());
            if sum != 0 {
                self.cksum_should_be(", bad cksum ", h.header_checksum(), sum);
            }
            // tcpdump continues on a new indented line; pktmon's lines are one per layer.
            self.out.s(") ");
        }
        let addrs = Addrs::V4(h.source(), h.destination());
        if let Transport::Fragment { protocol } = d.transport {
            addrs.pair(self.out, None);
            self.out.s(": ip-proto-");
            self.out.num(protocol);
            return;
        }
        if !matches!(d.transport, Transport::Tcp(_) | Transport::Udp(_)) {
            addrs.pair(self.out, None);
            self.out.s(": ");
        }
        self.transport(&d.transport, addrs, true);
    }

    fn ipv6(&mut self, ip: &Ipv6<'_>) {
        match ip {
            Ipv6::Truncated => {
                self.out.s("[|ip6]");
                return;
            }
            Ipv6::ShortWire(n) => {
                self.out.s("truncated-ip6 ");
                self.out.num(*n);
                return;
            }
            _ => {}
        }
        if !self.eflag() {
            self.out.s("IP6 ");
        }
        match ip {
            Ipv6::WrongVersion(v) => {
                self.out.s("version error: ");
                self.out.num(*v);
                self.out.s(" != 6");
            }
            Ipv6::Datagram(d) => self.ipv6_datagram(d),
            Ipv6::Truncated | Ipv6::ShortWire(_) => {}
        }
    }

    fn ipv6_datagram(&mut self, d: &Ipv6Datagram<'_>) {
        let h = &d.header;
        if d.missing > 0 {
            self.out.s("truncated-ip6 - ");
            self.out.num(d.missing);
            self.out.s(" bytes missing!");
        }
        if self.opts.verbose > 0 {
            let b = h.slice();
            let flow = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            self.out.s("(");
            if flow & 0x0FF0_0000 != 0 {
                self.out.s("class 0x");
                self.out.hex(u64::from((flow & 0x0FF0_0000) >> 20), 2);
                self.out.s(", ");
            }
            if flow & 0x000F_FFFF != 0 {
                self.out.s("flowlabel 0x");
                self.out.hex(u64::from(flow & 0x000F_FFFF), 5);
                self.out.s(", ");
            }
            self.out.s("hlim ");
            self.out.num(h.hop_limit());
            self.out.s(", next-header ");
            self.out.s(names::ip_proto(h.next_header().0));
            self.out.s(" (");
            self.out.num(h.next_header().0);
            self.out.s(") payload length: ");
            self.out.num(h.payload_length());
            self.out.s(") ");
        }
        let addrs = Addrs::V6(h.source(), h.destination());
        let first = h.next_header().0;
        if !matches!(first, 6 | 17 | 33 | 132) {
            addrs.pair(self.out, None);
            self.out.s(": ");
        }
        for ext in &d.exts {
            match ext {
                Ipv6Ext::HopByHop => self.out.s("HBH "),
                Ipv6Ext::DestinationOptions => self.out.s("DSTOPT "),
                Ipv6Ext::Fragment { offset, length } => {
                    self.out.s("frag (");
                    self.out.num(*offset);
                    self.out.s("|");
                    self.out.num(*length);
                    self.out.s(")");
                    if *offset == 0 && !matches!(d.transport, Transport::Stopped) {
                        self.out.s(" ");
                    }
                }
                Ipv6Ext::Routing {
                    length,
                    routing_type,
                    segments_left,
                    reserved,
                    addresses,
                } => {
                    self.out.s("srcrt (len=");
                    self.out.num(*length);
                    self.out.s(", type=");
                    self.out.num(*routing_type);
                    self.out.s(", segleft=");
                    self.out.num(*segments_left);
                    if *reserved != 0 || self.opts.verbose > 0 {
                        self.out.s(", rsv=0x");
                        self.out.hex(u64::from(*reserved), 0);
                    }
                    for (i, a) in addresses.chunks_exact(16).enumerate() {
                        self.out.s(", [");
                        self.out.num(i);
                        self.out.s("]");
                        let mut addr = [0u8; 16];
                        addr.copy_from_slice(a);
                        self.out.ipv6(addr);
                    }
                    self.out.s(") ");
                }
                Ipv6Ext::Authentication { spi, sequence } => {
                    self.spi_seq("AH", *spi, *sequence);
                    self.out.s(": ");
                }
                Ipv6Ext::Truncated(t) => self.out.s(t),
            }
        }
        self.transport(&d.transport, addrs, false);
    }

    fn transport(&mut self, t: &Transport<'_>, addrs: Addrs, v4: bool) {
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
                if v4 {
                    self.out.s(" ");
                }
                self.out.s("ip-proto-");
                self.out.num(*protocol);
                self.out.s(" ");
                self.out.num(*length);
            }
            Transport::Fragment { protocol } => {
                self.out.s("ip-proto-");
                self.out.num(*protocol);
            }
            Transport::NoNextHeader => self.out.s("no next header"),
            Transport::Stopped => {}
        }
    }

    fn ports_prefix(&mut self, addressing: Addressing, addrs: Addrs, ports: (u16, u16)) {
        match addressing {
            Addressing::WithAddresses => addrs.pair(self.out, Some(ports)),
            Addressing::PortsOnly => {
                self.out.num(ports.0);
                self.out.s(" > ");
                self.out.num(ports.1);
            }
        }
        self.out.s(": ");
    }

    fn tcp(&mut self, tcp: &Tcp<'_>, addrs: Addrs, v4: bool) {
        let Some(ports) = tcp.ports else {
            addrs.pair(self.out, None);
            self.out.s(": [|tcp]");
            return;
        };
        self.ports_prefix(tcp.addressing, addrs, ports);
        let raw = tcp.raw;
        if raw.len() < 20 {
            self.out.s("[|tcp]");
            return;
        }
        let hlen = tcp.header_len;
        let length = tcp.length;
        if hlen < 20 {
            self.out.s(" tcp ");
            self.out.num(i64::from(length) - i64::from(hlen));
            self.out.s(" [bad hdr length ");
            self.out.num(hlen);
            self.out.s(" - too short, < 20]");
            return;
        }
        let be32 = |at: usize| u32::from_be_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]]);
        let seq = be32(4);
        let ack = be32(8);
        let flags = raw[13];
        let win = u16::from_be_bytes([raw[14], raw[15]]);
        let urp = u16::from_be_bytes([raw[18], raw[19]]);
        if self.opts.brief {
            self.out.s("tcp ");
            self.out.num(i64::from(length) - i64::from(hlen));
            if hlen > length {
                self.too_long(hlen, length);
            }
            return;
        }
        self.out.s("Flags [");
        if flags == 0 {
            self.out.s("none");
        }
        for (bit, c) in [
            (0x01u8, "F"),
            (0x02, "S"),
            (0x04, "R"),
            (0x08, "P"),
            (0x10, "."),
            (0x20, "U"),
            (0x40, "E"),
            (0x80, "W"),
        ] {
            if flags & bit != 0 {
                self.out.s(c);
            }
        }
        self.out.s("]");
        if hlen > length {
            self.too_long(hlen, length);
            return;
        }
        if self.opts.verbose > 0 && (raw.len() as u32) >= length {
            let field = u16::from_be_bytes([raw[16], raw[17]]);
            let sum = checksum(addrs.pseudo_sum(6, length), &raw[..length as usize]);
            let v6_ok = !matches!(addrs, Addrs::V6(..)) || length > 0;
            if v6_ok {
                self.out.s(", cksum 0x");
                self.out.hex(u64::from(field), 4);
                if sum != 0 {
                    self.out.s(" (incorrect -> 0x");
                    self.out.hex(u64::from(should_be(field, sum)), 4);
                    self.out.s(")");
                } else {
                    self.out.s(" (correct)");
                }
            }
        }
        let _ = v4;
        let payload_len = length - hlen;
        if self.opts.verbose > 1 || payload_len > 0 || flags & 0x07 != 0 {
            self.out.s(", seq ");
            self.out.num(seq);
            if payload_len > 0 {
                self.out.s(":");
                self.out.num(seq.wrapping_add(payload_len));
            }
        }
        if flags & 0x10 != 0 {
            self.out.s(", ack ");
            self.out.num(ack);
        }
        self.out.s(", win ");
        self.out.num(win);
        if flags & 0x20 != 0 {
            self.out.s(", urg ");
            self.out.num(urp);
        }
        if hlen > 20 && !self.tcp_options(raw, hlen as usize) {
            return;
        }
        self.length(payload_len);
        if payload_len == 0 {
            return;
        }
        match &tcp.app {
            App::Http(payload) => {
                self.out.s(": ");
                self.http(payload, payload_len);
            }
            App::Dns { message, multicast } => {
                self.out.s(" ");
                dns::print(
                    self.out,
                    *message,
                    *multicast,
                    self.opts.verbose,
                    self.opts.windows_dns_truncation,
                );
            }
            _ => {}
        }
    }

    fn too_long(&mut self, hlen: u32, length: u32) {
        self.out.s(" [bad hdr length ");
        self.out.num(hlen);
        self.out.s(" - too long, > ");
        self.out.num(length);
        self.out.s("]");
    }

    /// `, options [mss 1460,nop,...]`; false when tcpdump stops the line inside them.
    fn tcp_options(&mut self, raw: &[u8], hlen: usize) -> bool {
        self.out.s(", options [");
        let end = hlen.min(raw.len());
        let mut cp = 20usize;
        let mut left = hlen - 20;
        let mut first = true;
        while left > 0 {
            if !first {
                self.out.s(",");
            }
            first = false;
            let Some(&opt) = raw.get(cp).filter(|_| cp < end) else {
                return self.tcp_trunc();
            };
            cp += 1;
            let len = if opt <= 1 {
                1
            } else {
                let Some(&l) = raw.get(cp).filter(|_| cp < end) else {
                    return self.tcp_trunc();
                };
                cp += 1;
                let l = usize::from(l);
                if l < 2 || l > left {
                    self.out.s("[bad opt]");
                    return false;
                }
                left -= 1;
                l
            };
            left -= 1;
            self.name_or_number(names::tcp_option(opt), "unknown-", opt, "");
            // Bytes of option data tcpdump reads, and whether they are there.
            let data_len = match opt {
                2 => 2,
                3 => 1,
                6 | 7 | 11..=13 => 4,
                8 => 8,
                19 => 16,
                20 | 28 => 2,
                0 | 1 | 4 => 0,
                _ => len - 2,
            };
            if data_len > left {
                self.out.s("[bad opt]");
                return false;
            }
            let Some(d) = raw.get(cp..cp + data_len).filter(|_| cp + data_len <= end) else {
                return self.tcp_trunc();
            };
            let be16 = |at: usize| u16::from_be_bytes([d[at], d[at + 1]]);
            let be32 = |at: usize| u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]);
            match opt {
                2 => {
                    self.out.s(" ");
                    self.out.num(be16(0));
                }
                3 => {
                    self.out.s(" ");
                    self.out.num(d[0]);
                }
                5 => {
                    if data_len % 8 != 0 {
                        self.out.s(" invalid sack");
                    } else {
                        self.out.s(" ");
                        self.out.num(data_len / 8);
                        self.out.s(" ");
                        for block in d.chunks_exact(8) {
                            self.out.s("{");
                            self.out
                                .num(u32::from_be_bytes([block[0], block[1], block[2], block[3]]));
                            self.out.s(":");
                            self.out
                                .num(u32::from_be_bytes([block[4], block[5], block[6], block[7]]));
                            self.out.s("}");
                        }
                    }
                }
                6 | 7 | 11..=13 => {
                    self.out.s(" ");
                    self.out.num(be32(0));
                }
                8 => {
                    self.out.s(" val ");
                    self.out.num(be32(0));
                    self.out.s(" ecr ");
                    self.out.num(be32(4));
                }
                19 => {
                    self.out.s(" ");
                    for b in d {
                        self.out.hex(u64::from(*b), 2);
                    }
                }
                20 => {
                    self.out.s(" cap ");
                    self.out.hex(u64::from(d[0]), 2);
                    self.out.s(" id ");
                    self.out.num(d[1]);
                }
                28 => {
                    // User timeout: 15 bits of minutes or seconds (in u32: minutes * 60
                    // overflows u16).
                    let v = u32::from(be16(0));
                    self.out.s(" 0x");
                    self.out.hex(u64::from(v), 0);
                    self.out.s(" ");
                    self.out
                        .num(if v & 1 != 0 { (v >> 1) * 60 } else { v >> 1 });
                }
                0 | 1 | 4 => {}
                _ => {
                    if !d.is_empty() {
                        self.out.s(" 0x");
                        for b in d {
                            self.out.hex(u64::from(*b), 2);
                        }
                    }
                }
            }
            cp += data_len;
            left -= data_len;
            let expected = data_len + 1 + usize::from(opt > 1);
            if expected != len {
                self.out.s("[len ");
                self.out.num(len);
                self.out.s("]");
            }
            if opt == 0 {
                break;
            }
        }
        self.out.s("]");
        true
    }

    fn tcp_trunc(&mut self) -> bool {
        self.out.s("[|tcp]");
        false
    }

    /// tcpdump's `txtproto_print` for HTTP: `HTTP` and, for a request or response, its
    /// first line. `payload` is what was captured, `len` the payload length on the wire.
    fn http(&mut self, payload: &[u8], len: u32) {
        let len = len as usize;
        let cap = &payload[..payload.len().min(len)];
        self.out.s("HTTP");
        let mut is_reqresp = false;
        if let Some((next, tok)) = fetch_token(cap, len, 0) {
            if names::HTTP_METHODS
                .iter()
                .any(|m| m.as_bytes().eq_ignore_ascii_case(tok))
            {
                is_reqresp = true;
            }
            if let Some((_, code)) = fetch_token(cap, len, next)
                && code.len() == 3
                && code.iter().all(u8::is_ascii_digit)
            {
                is_reqresp = true;
            }
        }
        if !is_reqresp {
            return;
        }
        let mut i = 0;
        while i < len {
            let Some(&c) = cap.get(i) else {
                break; // captured bytes end inside the line
            };
            if c == b'\n' {
                self.out.s(": ");
                self.out.extend_from_slice(&cap[..i]);
                return;
            }
            if c == b'\r' {
                if i + 1 >= len {
                    return;
                }
                match cap.get(i + 1) {
                    None => break,
                    Some(b'\n') => {
                        self.out.s(": ");
                        self.out.extend_from_slice(&cap[..i]);
                        return;
                    }
                    Some(_) => return,
                }
            }
            if !c.is_ascii() || (!is_print(c) && c != b'\t') {
                return;
            }
            i += 1;
        }
        self.out.s(": ");
        self.out.extend_from_slice(&cap[..i]);
        self.out.s("[!http]");
    }

    fn udp(&mut self, udp: &Udp<'_>, addrs: Addrs, v4: bool) {
        let Some(ports) = udp.ports else {
            if udp.addressing == Addressing::WithAddresses {
                addrs.pair(self.out, None);
                self.out.s(": ");
            }
            self.out.s("[|udp]");
            return;
        };
        if udp.length < 8 {
            self.ports_prefix(udp.addressing, addrs, ports);
            self.out.s("truncated-udp ");
            self.out.num(udp.length);
            return;
        }
        let Some(ulen) = udp.udp_length else {
            self.ports_prefix(udp.addressing, addrs, ports);
            self.out.s("[|udp]");
            return;
        };
        if ulen < 8 {
            self.ports_prefix(udp.addressing, addrs, ports);
            self.out.s("truncated-udplength ");
            self.out.num(ulen);
            return;
        }
        let ulen = u32::from(ulen) - 8;
        let length = (udp.length - 8).min(ulen);
        self.ports_prefix(udp.addressing, addrs, ports);
        if udp.raw.len() < 8 {
            self.out.s("[|udp]");
            return;
        }
        if self.opts.brief {
            self.udp_length(ulen, length);
            return;
        }
        let verbose = self.opts.verbose;
        let check = match addrs {
            Addrs::V4(..) => verbose > 1,
            Addrs::V6(..) => verbose > 0,
        };
        if check && !udp.fragmented {
            let field = u16::from_be_bytes([udp.raw[6], udp.raw[7]]);
            let total = length + 8;
            if v4 && field == 0 {
                self.out.s("[no cksum] ");
            } else if udp.raw.len() as u32 >= total {
                let sum = checksum(addrs.pseudo_sum(17, total), &udp.raw[..total as usize]);
                self.cksum_verdict("udp", field, sum);
            }
        }
        match &udp.app {
            App::Dns { message, multicast } => {
                dns::print(
                    self.out,
                    *message,
                    *multicast,
                    verbose,
                    self.opts.windows_dns_truncation,
                );
            }
            App::Dhcp6(payload) => {
                self.out.s("dhcp6");
                if payload.len() < 4 {
                    self.out.s("[|dhcp6]");
                    return;
                }
                self.out.s(" ");
                let kind = payload[0];
                self.name_or_number(names::dhcp6_message(kind), "msgtype-", kind, "");
                if verbose > 0 && !matches!(payload[0], 12 | 13) {
                    let xid = u32::from_be_bytes([0, payload[1], payload[2], payload[3]]);
                    self.out.s(" (xid=");
                    self.out.hex(u64::from(xid), 0);
                    self.out.s(")");
                }
            }
            App::Vxlan { flags, vni } => {
                self.out.s("VXLAN, flags [");
                self.out.s(if flags & 0x08 != 0 { "I" } else { "." });
                self.out.s("] (0x");
                self.out.hex(u64::from(*flags), 2);
                self.out.s("), vni ");
                self.out.num(*vni);
            }
            App::VxlanTruncated => self.out.s("[|VXLAN]"),
            App::None | App::Http(_) => self.udp_length(ulen, length),
        }
    }

    fn udp_length(&mut self, ulen: u32, length: u32) {
        if ulen > length {
            self.out.s("UDP, bad length ");
            self.out.num(ulen);
            self.out.s(" > ");
            self.out.num(length);
        } else {
            self.out.s("UDP, length ");
            self.out.num(ulen);
        }
    }

    fn icmp(&mut self, icmp: &Icmp<'_>) {
        match self.icmp_text(icmp) {
            Some(()) => {
                self.length(icmp.length);
                let len = icmp.length as usize;
                if self.opts.verbose > 0 && !icmp.fragmented && icmp.data.len() >= len {
                    let sum = checksum(0, &icmp.data[..len]);
                    if sum != 0 {
                        let field = icmp.u16_at(2).unwrap_or(0);
                        self.cksum_should_be(" (wrong icmp cksum ", field, sum);
                        self.out.s(")");
                    }
                }
            }
            None => self.out.s("[|icmp]"),
        }
    }

    /// `ICMP <what>`; `None` when the bytes it needs were not captured.
    fn icmp_text(&mut self, icmp: &Icmp<'_>) -> Option<()> {
        let kind = icmp.kind()?;
        let code = icmp.code()?;
        // Checks what a message type needs before printing anything (tcpdump formats
        // into a buffer first, so a cut-short message prints only the marker).
        let inner_dst = || -> Option<[u8; 4]> {
            let b = icmp.bytes_at(24, 4)?;
            Some([b[0], b[1], b[2], b[3]])
        };
        let mut line: Vec<u8> = Vec::with_capacity(64);
        let l = &mut line;
        match kind {
            0 | 8 => {
                let id = icmp.u16_at(4)?;
                let seq = icmp.u16_at(6)?;
                l.s(if kind == 8 {
                    "echo request, id "
                } else {
                    "echo reply, id "
                });
                l.num(id);
                l.s(", seq ");
                l.num(seq);
            }
            3 => {
                let dst = inner_dst()?;
                match code {
                    2 => {
                        let proto = *icmp.data.get(17)?;
                        l.ipv4(dst);
                        l.s(" protocol ");
                        l.num(proto);
                        l.s(" unreachable");
                    }
                    3 => {
                        let proto = *icmp.data.get(17)?;
                        let hlen = usize::from(icmp.data.get(8)? & 0x0F) * 4;
                        let dport = icmp.u16_at(8 + hlen + 2)?;
                        l.ipv4(dst);
                        match proto {
                            6 => l.s(" tcp port "),
                            17 => l.s(" udp port "),
                            _ => {
                                l.s(" protocol ");
                                l.num(proto);
                                l.s(" port ");
                            }
                        }
                        l.num(dport);
                        l.s(" unreachable");
                    }
                    4 => {
                        let mtu = icmp.u16_at(6).unwrap_or(0);
                        l.ipv4(dst);
                        l.s(" unreachable - need to frag");
                        if mtu != 0 {
                            l.s(" (mtu ");
                            l.num(mtu);
                            l.s(")");
                        }
                    }
                    _ => {
                        let (before, after) = match code {
                            0 => ("net ", " unreachable"),
                            1 => ("host ", " unreachable"),
                            5 => ("", " unreachable - source route failed"),
                            6 => ("net ", " unreachable - unknown"),
                            7 => ("host ", " unreachable - unknown"),
                            8 => ("", " unreachable - source host isolated"),
                            9 => ("net ", " unreachable - admin prohibited"),
                            10 => ("host ", " unreachable - admin prohibited"),
                            11 => ("net ", " unreachable - tos prohibited"),
                            12 => ("host ", " unreachable - tos prohibited"),
                            13 => ("host ", " unreachable - admin prohibited filter"),
                            14 => ("host ", " unreachable - host precedence violation"),
                            15 => ("host ", " unreachable - precedence cutoff"),
                            _ => ("", ""),
                        };
                        if after.is_empty() {
                            l.s("#");
                            l.num(code);
                            l.s(" ");
                            l.ipv4(dst);
                            l.s(" unreachable");
                        } else {
                            l.s(before);
                            l.ipv4(dst);
                            l.s(after);
                        }
                    }
                }
            }
            5 => {
                let dst = inner_dst()?;
                let gw = icmp.bytes_at(4, 4)?;
                let (word, to) = match code {
                    0 => ("redirect ", " to net "),
                    1 => ("redirect ", " to host "),
                    2 => ("redirect-tos ", " to net "),
                    3 => ("redirect-tos ", " to host "),
                    _ => ("", " to net "),
                };
                if word.is_empty() {
                    l.s("redirect-#");
                    l.num(code);
                    l.s(" ");
                } else {
                    l.s(word);
                }
                l.ipv4(dst);
                l.s(to);
                l.ipv4([gw[0], gw[1], gw[2], gw[3]]);
            }
            9 => {
                let num = *icmp.data.get(4)?;
                let size = *icmp.data.get(5)?;
                let lifetime = icmp.u16_at(6)?;
                l.s("router advertisement lifetime ");
                if lifetime < 60 {
                    l.num(lifetime);
                } else if lifetime < 3600 {
                    l.num(lifetime / 60);
                    l.s(":");
                    two_digits(l, lifetime % 60);
                } else {
                    l.num(lifetime / 3600);
                    l.s(":");
                    two_digits(l, (lifetime % 3600) / 60);
                    l.s(":");
                    two_digits(l, lifetime % 60);
                }
                l.s(" ");
                l.num(num);
                l.s(":");
                if size != 2 {
                    l.s(" [size ");
                    l.num(size);
                    l.s("]");
                } else {
                    for i in 0..usize::from(num) {
                        let a = icmp.bytes_at(8 + 8 * i, 4)?;
                        let pref = icmp.u32_at(12 + 8 * i)?;
                        l.s(" {");
                        l.ipv4([a[0], a[1], a[2], a[3]]);
                        l.s(" ");
                        l.num(pref);
                        l.s("}");
                    }
                }
            }
            11 => {
                inner_dst()?;
                match code {
                    0 => l.s("time exceeded in-transit"),
                    1 => l.s("ip reassembly time exceeded"),
                    _ => {
                        l.s("time exceeded-#");
                        l.num(code);
                    }
                }
            }
            12 => {
                if code != 0 {
                    l.s("parameter problem - code ");
                    l.num(code);
                } else {
                    let ptr = *icmp.data.get(4)?;
                    l.s("parameter problem - octet ");
                    l.num(ptr);
                }
            }
            13 => {
                let (id, seq) = (icmp.u16_at(4)?, icmp.u16_at(6)?);
                l.s("time stamp query id ");
                l.num(id);
                l.s(" seq ");
                l.num(seq);
            }
            14 => {
                let (id, seq) = (icmp.u16_at(4)?, icmp.u16_at(6)?);
                let (org, recv, xmit) = (icmp.u32_at(8)?, icmp.u32_at(12)?, icmp.u32_at(16)?);
                l.s("time stamp reply id ");
                l.num(id);
                l.s(" seq ");
                l.num(seq);
                for (label, t) in [(": org ", org), (", recv ", recv), (", xmit ", xmit)] {
                    l.s(label);
                    ms_of_day(l, t);
                }
            }
            18 => {
                let mask = icmp.u32_at(8)?;
                l.s("address mask is 0x");
                l.hex(u64::from(mask), 8);
            }
            _ => match kind {
                4 => l.s("source quench"),
                10 => l.s("router solicitation"),
                15 => l.s("information request"),
                16 => l.s("information reply"),
                17 => l.s("address mask request"),
                _ => {
                    l.s("type-#");
                    l.num(kind);
                }
            },
        }
        self.out.s("ICMP ");
        self.out.extend_from_slice(&line);
        Some(())
    }

    fn icmp6(&mut self, icmp: &Icmp<'_>, addrs: Addrs) {
        if icmp.data.len() < 4 {
            self.out.s("[|icmp6]");
            return;
        }
        let kind = icmp.data[0];
        let code = icmp.data[1];
        let verbose = self.opts.verbose;
        let len = icmp.length as usize;
        if verbose > 0 && !icmp.fragmented && icmp.data.len() >= len {
            let field = icmp.u16_at(2).unwrap_or(0);
            let sum = checksum(addrs.pseudo_sum(58, icmp.length), &icmp.data[..len]);
            self.cksum_verdict("icmp6", field, sum);
        }
        self.out.s("ICMP6, ");
        self.name_or_number(names::icmp6_type(kind), "unknown icmp6 type (", kind, ")");
        if verbose > 0 && matches!(kind, 133..=137 | 145 | 147) {
            self.length(icmp.length);
        }
        let addr_at = |at: usize| -> Option<[u8; 16]> { icmp.bytes_at(at, 16)?.try_into().ok() };
        let done = (|| -> Option<bool> {
            match kind {
                1 => {
                    let dst = addr_at(32)?;
                    self.out.s(", ");
                    self.out.s(match code {
                        0 => "unreachable route",
                        1 => " unreachable prohibited",
                        2 => "beyond scope",
                        3 => "unreachable address",
                        4 => "unreachable port",
                        _ => "",
                    });
                    match code {
                        0 | 1 | 3 => {
                            self.out.s(" ");
                            self.out.ipv6(dst);
                        }
                        2 => {
                            let src = addr_at(16)?;
                            self.out.s(" ");
                            self.out.ipv6(dst);
                            self.out.s(", source address ");
                            self.out.ipv6(src);
                        }
                        4 => {
                            let nh = *icmp.data.get(14)?;
                            let dport = icmp.u16_at(48 + 2)?;
                            self.out.s(", ");
                            self.out.ipv6(dst);
                            match nh {
                                6 => self.out.s(" tcp port "),
                                17 => self.out.s(" udp port "),
                                _ => {
                                    self.out.s(" protocol ");
                                    self.out.num(nh);
                                    self.out.s(" port ");
                                }
                            }
                            self.out.num(dport);
                            if !matches!(nh, 6 | 17) {
                                self.out.s(" unreachable");
                            }
                        }
                        _ => {
                            self.out.s("unknown unreach code (");
                            self.out.num(code);
                            self.out.s(")");
                            // tcpdump dumps the rest in hex and stops.
                            return Some(true);
                        }
                    }
                }
                2 => {
                    let mtu = icmp.u32_at(4)?;
                    self.out.s(", mtu ");
                    self.out.num(mtu);
                }
                3 => {
                    let dst = addr_at(32)?;
                    match code {
                        0 => {
                            self.out.s(" for ");
                            self.out.ipv6(dst);
                        }
                        1 => self.out.s(" (reassembly)"),
                        _ => {
                            self.out.s(", unknown code (");
                            self.out.num(code);
                            self.out.s(")");
                        }
                    }
                }
                4 => {
                    addr_at(32)?;
                    let ptr = icmp.u32_at(4)?;
                    match code {
                        0 => self.out.s(", erroneous - octet "),
                        1 => self.out.s(", next header - octet "),
                        2 => self.out.s(", option - octet "),
                        _ => {
                            self.out.s(", code-#");
                            self.out.num(code);
                            return Some(false);
                        }
                    }
                    self.out.num(ptr);
                }
                128 | 129 => {
                    let seq = icmp.u16_at(6)?;
                    self.out.s(", seq ");
                    self.out.num(seq);
                }
                130..=132 => {
                    if kind == 130 && icmp.length != 24 {
                        if icmp.length >= 28 {
                            self.out.s(" v2");
                        } else {
                            self.out.s(" unknown-version (len ");
                            self.out.num(icmp.length);
                            self.out.s(") ");
                        }
                    } else {
                        let delay = icmp.u16_at(4)?;
                        let addr = addr_at(8)?;
                        self.out.s("max resp delay: ");
                        self.out.num(delay);
                        self.out.s(" addr: ");
                        self.out.ipv6(addr);
                    }
                }
                135 => {
                    let target = addr_at(8)?;
                    self.out.s(", who has ");
                    self.out.ipv6(target);
                }
                136 => {
                    let target = addr_at(8)?;
                    self.out.s(", tgt is ");
                    self.out.ipv6(target);
                }
                137 => {
                    let dst = addr_at(24)?;
                    self.out.s(", ");
                    self.out.ipv6(dst);
                    let target = addr_at(8)?;
                    self.out.s(" to ");
                    self.out.ipv6(target);
                }
                143 => {
                    let groups = icmp.u16_at(6)?;
                    self.out.s(", ");
                    self.out.num(groups);
                    self.out.s(" group record(s)");
                }
                144 | 146 => {
                    let id = icmp.u16_at(4)?;
                    self.out.s(", id 0x");
                    self.out.hex(u64::from(id), 4);
                }
                133 | 134 | 138..=142 | 145 | 147 | 155 => {}
                _ => {
                    self.length(icmp.length);
                    return Some(true);
                }
            }
            Some(false)
        })();
        match done {
            None => self.out.s("[|icmp6]"),
            Some(true) => {}
            Some(false) => {
                if verbose == 0 {
                    self.length(icmp.length);
                }
            }
        }
    }

    fn gre(&mut self, gre: &Gre) {
        self.out.s("GREv");
        self.out.num(gre.version);
        if gre.version > 1 {
            self.out.s(" ERROR: unknown-version");
            return;
        }
        if gre.version == 0 && self.opts.verbose > 0 {
            self.out.s(", Flags [");
            self.bit_names(
                gre.flags,
                &[
                    (0x8000, "checksum present"),
                    (0x4000, "routing present"),
                    (0x2000, "key present"),
                    (0x1000, "sequence# present"),
                    (0x0800, "strict source route"),
                    (0x0080, "acknowledgment# present"),
                ],
            );
            self.out.s("]");
        }
        if let Some(off) = gre.offset {
            self.out.s(", off 0x");
            self.out.hex(u64::from(off), 0);
        }
        if let Some(key) = gre.key {
            self.out.s(", key=0x");
            self.out.hex(u64::from(key), 0);
        }
        if let Some(seq) = gre.sequence {
            self.out.s(", seq ");
            self.out.num(seq);
        }
        if gre.truncated {
            self.out.s(" [|gre]");
            return;
        }
        if let (Some(p), true) = (gre.protocol, self.eflag()) {
            self.out.s(", proto ");
            self.ether_type_and_number(p, "unknown");
        }
        self.length(gre.length);
        if let Some(p) = gre.protocol.filter(|p| !GRE_PAYLOADS_NAMED.contains(p)) {
            self.out.s(": gre-proto-0x");
            self.out.hex(u64::from(p), 0);
        }
    }
}

/// GRE payloads tcpdump prints (we print the IP and Ethernet ones); any other is
/// `gre-proto-0x..`.
const GRE_PAYLOADS_NAMED: &[u16] = &[0x0800, 0x86dd, 0x6558, 0x8847, 0x00fe, 0x880b];

fn is_print(c: u8) -> bool {
    (0x20..0x7F).contains(&c)
}

/// tcpdump's `fetch_token`: the token at `from` and where the next one starts; `None`
/// when there is none or it runs past the captured bytes.
fn fetch_token(cap: &[u8], len: usize, from: usize) -> Option<(usize, &[u8])> {
    let mut i = from;
    while i < len {
        let c = *cap.get(i)?;
        if !c.is_ascii() {
            return None;
        }
        if c.is_ascii_whitespace() || c == 0x0B {
            break;
        }
        if !is_print(c) || i - from >= 127 {
            return None;
        }
        i += 1;
    }
    if i == from {
        return None;
    }
    let token = &cap[from..i];
    while i < len {
        let Some(&c) = cap.get(i) else { break };
        if c == b'\r' || c == b'\n' || !is_print(c) || c != b' ' {
            break;
        }
        i += 1;
    }
    Some((i, token))
}

fn two_digits(out: &mut Vec<u8>, n: u16) {
    if n < 10 {
        out.s("0");
    }
    out.num(n);
}

/// Milliseconds since midnight UTC as `hh:mm:ss.mmm` (tcpdump's ICMP timestamps).
fn ms_of_day(out: &mut Vec<u8>, t: u32) {
    if t & 0x8000_0000 != 0 {
        out.s("[not standard]");
        return;
    }
    let (h, m, s, ms) = (t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
    for (i, v) in [h, m, s].into_iter().enumerate() {
        if i > 0 {
            out.s(":");
        }
        if v < 10 {
            out.s("0");
        }
        out.num(v);
    }
    out.s(".");
    if ms < 100 {
        out.s("0");
    }
    if ms < 10 {
        out.s("0");
    }
    out.num(ms);
}
