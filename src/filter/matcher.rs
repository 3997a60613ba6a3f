//! The user-space matcher: decides whether a packet is reported and by which filter.
//!
//! Filters are compiled into flat structures (no heap, IPs as masked integers) so that
//! trying all 32 filters on a packet stays cheap: the packet is parsed once, each filter is
//! a handful of integer compares.

use super::fields::Headers;
use super::{Filter, FilterSet, HEARTBEAT_PORT, IpNet, PROTO_TCP, PROTO_UDP};
use crate::record::LinkType;
use std::net::IpAddr;

/// Either order of a pair: {a, b} == {x, y}.
#[inline]
fn pair<T: PartialEq>(a: T, b: T, x: T, y: T) -> bool {
    (a == x && b == y) || (a == y && b == x)
}

/// A network as (address & mask, mask), IPv4 in the low 32 bits.
#[derive(Clone, Copy, Debug)]
struct Net {
    addr: u128,
    mask: u128,
}

impl Net {
    fn new(n: &IpNet) -> Net {
        let (addr, bits) = match n.addr {
            IpAddr::V4(a) => (u32::from(a) as u128, 32u32),
            IpAddr::V6(a) => (u128::from(a), 128u32),
        };
        let host_bits = bits - (n.prefix as u32).min(bits);
        let full = if bits == 32 {
            u32::MAX as u128
        } else {
            u128::MAX
        };
        let mask = if host_bits >= 128 {
            0
        } else {
            (full >> host_bits) << host_bits
        };
        Net {
            addr: addr & mask,
            mask,
        }
    }

    #[inline]
    fn contains(&self, ip: u128) -> bool {
        ip & self.mask == self.addr
    }
}

/// "No condition" in a filter's scalar fields, and "absent" in a packet's: two values that
/// never compare equal to a real one (or to each other).
const ANY: u32 = u32::MAX;
const ABSENT: u32 = u32::MAX - 1;

/// The scalar fields of a header stack, with absent ones as `ABSENT`, so that a filter's
/// scalar conditions are a few compares without branches.
#[derive(Clone, Copy)]
struct Key {
    protocol: u32,
    ethertype: u32,
    vlan: u32,
    /// TCP flags; 0 when the packet is not TCP.
    tcp_flags: u8,
}

impl Key {
    fn of(h: &Headers) -> Key {
        let tcp = h.protocol == Some(PROTO_TCP);
        Key {
            protocol: h.protocol.map_or(ABSENT, u32::from),
            ethertype: h.ethertype.map_or(ABSENT, u32::from),
            vlan: h.vlan.map_or(ABSENT, u32::from),
            tcp_flags: if tcp { h.tcp_flags.unwrap_or(0) } else { 0 },
        }
    }
}

/// One filter, flat.
#[derive(Clone, Debug)]
struct Compiled {
    number: u32,
    macs: u8,
    mac: [[u8; 6]; 2],
    vlan: u32,
    ethertype: u32,
    protocol: u32,
    tcp_flags: u8,
    ips: u8,
    ip_v6: bool,
    net: [Net; 2],
    ports: u8,
    port: [u16; 2],
    heartbeat: bool,
    encap: Option<u16>,
}

impl Compiled {
    fn new(number: u32, f: &Filter) -> Compiled {
        let none = Net { addr: 0, mask: 0 };
        let mut c = Compiled {
            number,
            macs: f.macs.len().min(2) as u8,
            mac: [[0; 6]; 2],
            vlan: f.vlan.map_or(ANY, u32::from),
            ethertype: f.ethertype.map_or(ANY, u32::from),
            protocol: f.protocol.map_or(ANY, u32::from),
            tcp_flags: f.tcp_flags,
            ips: f.ips.len().min(2) as u8,
            ip_v6: f.ips.first().is_some_and(|n| n.addr.is_ipv6()),
            net: [none, none],
            ports: f.ports.len().min(2) as u8,
            port: [0; 2],
            heartbeat: f.heartbeat,
            encap: f.encap,
        };
        for (i, m) in f.macs.iter().take(2).enumerate() {
            c.mac[i] = *m;
        }
        for (i, n) in f.ips.iter().take(2).enumerate() {
            c.net[i] = Net::new(n);
        }
        for (i, p) in f.ports.iter().take(2).enumerate() {
            c.port[i] = *p;
        }
        c
    }

    /// Whether one header stack satisfies every condition.
    #[inline(always)]
    fn matches(&self, h: &Headers, k: &Key) -> bool {
        let scalars = ((self.protocol == ANY) | (self.protocol == k.protocol))
            & ((self.ethertype == ANY) | (self.ethertype == k.ethertype))
            & ((self.vlan == ANY) | (self.vlan == k.vlan))
            & (k.tcp_flags & self.tcp_flags == self.tcp_flags);
        if !scalars {
            return false;
        }
        if self.ports != 0 || self.heartbeat {
            let Some((s, d)) = h.ports else {
                return false;
            };
            let ok = match self.ports {
                1 => self.port[0] == s || self.port[0] == d,
                2 => pair(self.port[0], self.port[1], s, d),
                _ => true,
            };
            if !ok {
                return false;
            }
            if self.heartbeat
                && (h.protocol != Some(PROTO_UDP) || (s != HEARTBEAT_PORT && d != HEARTBEAT_PORT))
            {
                return false;
            }
        }
        if self.ips != 0 {
            let Some(ip) = &h.ip else {
                return false;
            };
            if ip.v6 != self.ip_v6 {
                return false;
            }
            let [a, b] = &self.net;
            let ok = if self.ips == 1 {
                a.contains(ip.src) || a.contains(ip.dst)
            } else {
                (a.contains(ip.src) && b.contains(ip.dst))
                    || (b.contains(ip.src) && a.contains(ip.dst))
            };
            if !ok {
                return false;
            }
        }
        if self.macs != 0 {
            let Some((s, d)) = &h.macs else {
                return false;
            };
            let ok = if self.macs == 1 {
                self.mac[0] == *s || self.mac[0] == *d
            } else {
                pair(&self.mac[0], &self.mac[1], s, d)
            };
            if !ok {
                return false;
            }
        }
        true
    }
}

impl Filter {
    /// Whether one header stack satisfies every condition of this filter.
    pub fn matches_headers(&self, h: &Headers) -> bool {
        Compiled::new(0, self).matches(h, &Key::of(h))
    }
}

/// A filter set ready for the hot path.
#[derive(Clone, Debug)]
pub struct Matcher {
    set: FilterSet,
    compiled: Vec<Compiled>,
    index: Option<Index>,
}

/// Bitmasks (bit i = compiled filter i) that rule filters out before they are tried: a
/// packet's protocol, EtherType, VLAN and ports leave few candidates, and the survivors
/// are tried in order, so the first match is still the first matching filter.
#[derive(Clone, Debug)]
struct Index {
    /// By protocol number (256 = the packet has none).
    by_protocol: Vec<u64>,
    /// Filters without an EtherType condition, and per value those that name it.
    any_ethertype: u64,
    ethertypes: Vec<(u32, u64)>,
    any_vlan: u64,
    vlans: Vec<(u32, u64)>,
    /// Filters without a port condition, and per port those that need the packet to hold it.
    any_port: u64,
    ports: Vec<(u16, u64)>,
    /// Filters whose first IP condition is an IPv4 network of /8 or longer, by its first
    /// octet (the packet's source or destination must start with it); the rest in any_ip.
    any_ip: u64,
    v4_first_octet: Vec<u64>,
    /// Filters with a MAC condition, by the last byte of their first MAC.
    any_mac: u64,
    mac_last_byte: Vec<u64>,
    /// Filters with `-e` on the default VXLAN port (candidates also by the inner headers),
    /// and on another port (always candidates: their tunnels are parsed per filter).
    encap_default: u64,
    encap_other: u64,
}

fn add_to(list: &mut Vec<(u32, u64)>, value: u32, bit: u64) {
    match list.iter_mut().find(|(v, _)| *v == value) {
        Some((_, m)) => *m |= bit,
        None => list.push((value, bit)),
    }
}

impl Index {
    fn new(compiled: &[Compiled]) -> Option<Index> {
        if compiled.len() > 64 {
            return None;
        }
        let mut ix = Index {
            by_protocol: vec![0; 257],
            any_ethertype: 0,
            ethertypes: Vec::new(),
            any_vlan: 0,
            vlans: Vec::new(),
            any_port: 0,
            ports: Vec::new(),
            any_ip: 0,
            v4_first_octet: vec![0; 256],
            any_mac: 0,
            mac_last_byte: vec![0; 256],
            encap_default: 0,
            encap_other: 0,
        };
        for (i, c) in compiled.iter().enumerate() {
            let bit = 1u64 << i;
            for (p, m) in ix.by_protocol.iter_mut().enumerate() {
                if c.protocol == ANY || c.protocol == p as u32 {
                    *m |= bit;
                }
            }
            match c.ethertype {
                ANY => ix.any_ethertype |= bit,
                et => add_to(&mut ix.ethertypes, et, bit),
            }
            match c.vlan {
                ANY => ix.any_vlan |= bit,
                v => add_to(&mut ix.vlans, v, bit),
            }
            let needed_port = match (c.ports, c.heartbeat) {
                (0, false) => None,
                (0, true) => Some(HEARTBEAT_PORT),
                _ => Some(c.port[0]),
            };
            match needed_port {
                None => ix.any_port |= bit,
                Some(p) => match ix.ports.iter_mut().find(|(v, _)| *v == p) {
                    Some((_, m)) => *m |= bit,
                    None => ix.ports.push((p, bit)),
                },
            }
            let v4_prefix = !c.ip_v6 && c.net[0].mask >> 24 == 0xFF;
            if c.ips != 0 && v4_prefix {
                ix.v4_first_octet[(c.net[0].addr >> 24) as usize & 0xFF] |= bit;
            } else {
                ix.any_ip |= bit;
            }
            if c.macs != 0 {
                ix.mac_last_byte[c.mac[0][5] as usize] |= bit;
            } else {
                ix.any_mac |= bit;
            }
            match c.encap {
                Some(super::VXLAN_PORT) => ix.encap_default |= bit,
                Some(_) => ix.encap_other |= bit,
                None => {}
            }
        }
        Some(ix)
    }

    /// The filters whose conditions these headers may satisfy.
    fn candidates(&self, h: &Headers, k: &Key) -> u64 {
        let proto = if k.protocol == ABSENT {
            256
        } else {
            k.protocol as usize
        };
        let m = self.by_protocol.get(proto).copied().unwrap_or(0);
        let mut et = self.any_ethertype;
        for (v, bits) in &self.ethertypes {
            if *v == k.ethertype {
                et |= bits;
            }
        }
        let mut vl = self.any_vlan;
        for (v, bits) in &self.vlans {
            if *v == k.vlan {
                vl |= bits;
            }
        }
        let mut pt = self.any_port;
        if let Some((s, d)) = h.ports {
            for (p, bits) in &self.ports {
                if *p == s || *p == d {
                    pt |= bits;
                }
            }
        }
        let mut ip = self.any_ip;
        if let Some(pair) = &h.ip
            && !pair.v6
        {
            ip |= self.v4_first_octet[(pair.src >> 24) as usize & 0xFF]
                | self.v4_first_octet[(pair.dst >> 24) as usize & 0xFF];
        }
        let mut mac = self.any_mac;
        if let Some((s, d)) = &h.macs {
            mac |= self.mac_last_byte[s[5] as usize] | self.mac_last_byte[d[5] as usize];
        }
        m & et & vl & pt & ip & mac
    }
}

impl Matcher {
    pub fn new(set: FilterSet) -> Matcher {
        let compiled = set
            .filters
            .iter()
            .map(|nf| Compiled::new(nf.number, &nf.filter))
            .collect::<Vec<_>>();
        let index = Index::new(&compiled);
        Matcher {
            set,
            compiled,
            index,
        }
    }

    pub fn filters(&self) -> &FilterSet {
        &self.set
    }

    /// The number of the first filter the packet satisfies; `Some(0)` when there are no
    /// filters (everything is reported); None when the packet is not reported.
    pub fn matching_filter(&self, frame: &[u8], link: LinkType) -> Option<u32> {
        if self.compiled.is_empty() {
            return Some(0);
        }
        let outer = Headers::parse(frame, link);
        let key = Key::of(&outer);
        // A tunnel on the default VXLAN port (or GRE, IP-in-IP) is parsed once, when some
        // filter has `-e`.
        let default_inner = match &self.index {
            Some(ix) if ix.encap_default == 0 => None,
            _ => outer.inner(frame, super::VXLAN_PORT),
        };
        let mut candidates = match &self.index {
            Some(ix) => {
                let mut m = ix.candidates(&outer, &key);
                if let Some(h) = &default_inner {
                    m |= ix.candidates(h, &Key::of(h)) & ix.encap_default;
                }
                m | ix.encap_other
            }
            None => u64::MAX,
        };
        while candidates != 0 {
            let i = candidates.trailing_zeros() as usize;
            candidates &= candidates - 1;
            let Some(c) = self.compiled.get(i) else { break };
            if c.matches(&outer, &key) {
                return Some(c.number);
            }
            let Some(port) = c.encap else { continue };
            let inner = if port == super::VXLAN_PORT {
                default_inner
            } else {
                outer.inner(frame, port)
            };
            if inner.is_some_and(|h| c.matches(&h, &Key::of(&h))) {
                return Some(c.number);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Filter, IpNet};

    fn set(filters: Vec<Filter>) -> Matcher {
        Matcher::new(FilterSet::numbered(filters))
    }

    /// Ethernet + IPv4 + TCP or UDP with the given fields.
    fn frame(src: [u8; 4], dst: [u8; 4], proto: u8, sport: u16, dport: u16, flags: u8) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        let l4len = if proto == 6 { 20 } else { 8 };
        let total = (20 + l4len) as u16;
        f.extend_from_slice(&[0x45, 0]);
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 0, 64, proto, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        if proto == 6 {
            f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        } else {
            f.extend_from_slice(&[0, 8, 0, 0]);
        }
        f
    }

    fn ip(s: &str) -> IpNet {
        let (a, p) = s.split_once('/').unwrap_or((s, ""));
        let addr: std::net::IpAddr = a.parse().unwrap();
        let prefix = p.parse().unwrap_or(if addr.is_ipv4() { 32 } else { 128 });
        IpNet { addr, prefix }
    }

    const A: [u8; 4] = [10, 0, 0, 1];
    const B: [u8; 4] = [10, 0, 0, 2];
    const C: [u8; 4] = [10, 0, 1, 3];

    #[test]
    fn no_filters_report_everything_as_filter_0() {
        assert_eq!(
            set(vec![]).matching_filter(&[1, 2, 3], LinkType::ETHERNET),
            Some(0)
        );
    }

    #[test]
    fn pair_rule_both_directions_and_single_value_either_side() {
        let m = set(vec![Filter {
            ips: vec![ip("10.0.0.1"), ip("10.0.0.2")],
            ..Default::default()
        }]);
        let e = LinkType::ETHERNET;
        assert_eq!(m.matching_filter(&frame(A, B, 17, 1, 2, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(B, A, 17, 1, 2, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, C, 17, 1, 2, 0), e), None);
        assert_eq!(m.matching_filter(&frame(A, A, 17, 1, 2, 0), e), None);
        let m = set(vec![Filter {
            ports: vec![80],
            ..Default::default()
        }]);
        assert_eq!(m.matching_filter(&frame(A, B, 6, 80, 5000, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, B, 6, 5000, 80, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, B, 6, 5000, 81, 0), e), None);
        let m = set(vec![Filter {
            ports: vec![80, 5000],
            ..Default::default()
        }]);
        assert_eq!(m.matching_filter(&frame(A, B, 6, 5000, 80, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, B, 17, 80, 5000, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, B, 17, 80, 80, 0), e), None);
        let m = set(vec![Filter {
            macs: vec![[2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]],
            ..Default::default()
        }]);
        assert_eq!(m.matching_filter(&frame(A, B, 17, 1, 2, 0), e), Some(1));
    }

    #[test]
    fn and_inside_or_across_first_match_wins() {
        let m = set(vec![
            Filter {
                ips: vec![ip("10.0.1.0/24")],
                protocol: Some(6),
                ..Default::default()
            },
            Filter {
                protocol: Some(17),
                ..Default::default()
            },
            Filter {
                ips: vec![ip("10.0.0.0/16")],
                ..Default::default()
            },
        ]);
        let e = LinkType::ETHERNET;
        assert_eq!(m.matching_filter(&frame(A, C, 6, 1, 2, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, C, 17, 1, 2, 0), e), Some(2));
        assert_eq!(m.matching_filter(&frame(A, B, 6, 1, 2, 0), e), Some(3));
        assert_eq!(
            m.matching_filter(&frame([9, 9, 9, 9], [8, 8, 8, 8], 6, 1, 2, 0), e),
            None
        );
    }

    #[test]
    fn tcp_flags_all_listed_set_others_free() {
        let m = set(vec![Filter {
            protocol: Some(6),
            tcp_flags: 0x02,
            ..Default::default()
        }]);
        let e = LinkType::ETHERNET;
        assert_eq!(
            m.matching_filter(&frame(A, B, 6, 1, 2, 0x02), e),
            Some(1),
            "SYN"
        );
        assert_eq!(
            m.matching_filter(&frame(A, B, 6, 1, 2, 0x12), e),
            Some(1),
            "SYN-ACK"
        );
        assert_eq!(
            m.matching_filter(&frame(A, B, 6, 1, 2, 0x10), e),
            None,
            "ACK"
        );
        let m = set(vec![Filter {
            protocol: Some(6),
            tcp_flags: 0x12,
            ..Default::default()
        }]);
        assert_eq!(m.matching_filter(&frame(A, B, 6, 1, 2, 0x02), e), None);
        assert_eq!(m.matching_filter(&frame(A, B, 6, 1, 2, 0x12), e), Some(1));
    }

    #[test]
    fn heartbeat_is_udp_3343() {
        let m = set(vec![Filter {
            heartbeat: true,
            ..Default::default()
        }]);
        let e = LinkType::ETHERNET;
        assert_eq!(m.matching_filter(&frame(A, B, 17, 3343, 9, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, B, 17, 9, 3343, 0), e), Some(1));
        assert_eq!(m.matching_filter(&frame(A, B, 6, 9, 3343, 0), e), None);
    }

    #[test]
    fn encap_matches_inner_headers_of_vxlan_and_ipip() {
        let inner = frame(A, C, 6, 1, 443, 0x02);
        // Outer: IPv4/UDP to 4789, 8-byte VXLAN header, inner Ethernet frame.
        let mut outer = frame([192, 0, 2, 1], [192, 0, 2, 2], 17, 5555, 4789, 0);
        outer.extend_from_slice(&[0x08, 0, 0, 0, 0, 0, 1, 0]);
        outer.extend_from_slice(&inner);
        let f = Filter {
            ports: vec![443],
            ..Default::default()
        };
        let e = LinkType::ETHERNET;
        assert_eq!(
            set(vec![f.clone()]).matching_filter(&outer, e),
            None,
            "without -e"
        );
        let m = set(vec![Filter {
            encap: Some(4789),
            ..f.clone()
        }]);
        assert_eq!(m.matching_filter(&outer, e), Some(1));
        let m = set(vec![Filter {
            encap: Some(8472),
            ..f.clone()
        }]);
        assert_eq!(m.matching_filter(&outer, e), None, "other VXLAN port");
        // IP-in-IP: outer IPv4 proto 4, inner IPv4 (no L2).
        let mut ipip = frame([192, 0, 2, 1], [192, 0, 2, 2], 4, 0, 0, 0);
        ipip.truncate(14 + 20);
        ipip.extend_from_slice(&inner[14..]);
        let m = set(vec![Filter {
            encap: Some(4789),
            ..f
        }]);
        assert_eq!(m.matching_filter(&ipip, e), Some(1));
    }
}
