//! The user-space matcher: decides whether a packet is reported and by which filter.

use super::fields::{Headers, IpPair};
use super::{Filter, FilterSet, HEARTBEAT_PORT, IpNet, PROTO_TCP, PROTO_UDP};
use crate::record::LinkType;

/// Either order of a pair: {a, b} == {x, y}.
fn pair<T: PartialEq>(a: &T, b: &T, x: &T, y: &T) -> bool {
    (a == x && b == y) || (a == y && b == x)
}

fn ips_match(nets: &[IpNet], ip: &IpPair) -> bool {
    if nets[0].addr.is_ipv6() != ip.is_v6() {
        return false;
    }
    let (s, d) = (ip.src(), ip.dst());
    match nets {
        [n] => n.contains(s) || n.contains(d),
        [a, b] => (a.contains(s) && b.contains(d)) || (b.contains(s) && a.contains(d)),
        _ => false,
    }
}

impl Filter {
    /// Whether one header stack satisfies every condition of this filter.
    pub fn matches_headers(&self, h: &Headers) -> bool {
        match (self.macs.as_slice(), h.macs) {
            ([], _) => {}
            (_, None) => return false,
            ([m], Some((s, d))) => {
                if *m != s && *m != d {
                    return false;
                }
            }
            ([a, b], Some((s, d))) => {
                if !pair(a, b, &s, &d) {
                    return false;
                }
            }
            _ => return false,
        }
        if self.vlan.is_some() && self.vlan != h.vlan {
            return false;
        }
        if self.ethertype.is_some() && self.ethertype != h.ethertype {
            return false;
        }
        if self.protocol.is_some() && self.protocol != h.protocol {
            return false;
        }
        if self.tcp_flags != 0 {
            match h.tcp_flags {
                Some(f)
                    if h.protocol == Some(PROTO_TCP) && f & self.tcp_flags == self.tcp_flags => {}
                _ => return false,
            }
        }
        if !self.ips.is_empty() {
            match &h.ip {
                Some(ip) if ips_match(&self.ips, ip) => {}
                _ => return false,
            }
        }
        if !self.ports.is_empty() || self.heartbeat {
            let Some((s, d)) = h.ports else {
                return false;
            };
            match self.ports.as_slice() {
                [] => {}
                [p] => {
                    if *p != s && *p != d {
                        return false;
                    }
                }
                [a, b] => {
                    if !pair(a, b, &s, &d) {
                        return false;
                    }
                }
                _ => return false,
            }
            if self.heartbeat
                && (h.protocol != Some(PROTO_UDP) || (s != HEARTBEAT_PORT && d != HEARTBEAT_PORT))
            {
                return false;
            }
        }
        true
    }
}

/// A filter set ready for the hot path: parses each packet once, and the tunnels only
/// when some filter asks for them.
#[derive(Clone, Debug)]
pub struct Matcher {
    set: FilterSet,
    wants_inner: bool,
}

impl Matcher {
    pub fn new(set: FilterSet) -> Matcher {
        let wants_inner = set.filters.iter().any(|f| f.filter.encap.is_some());
        Matcher { set, wants_inner }
    }

    pub fn filters(&self) -> &FilterSet {
        &self.set
    }

    /// The number of the first filter the packet satisfies; `Some(0)` when there are no
    /// filters (everything is reported); None when the packet is not reported.
    pub fn matching_filter(&self, frame: &[u8], link: LinkType) -> Option<u32> {
        if self.set.filters.is_empty() {
            return Some(0);
        }
        let outer = Headers::parse(frame, link);
        let mut inner: Option<Option<Headers>> = None;
        for nf in &self.set.filters {
            let f = &nf.filter;
            if f.matches_headers(&outer) {
                return Some(nf.number);
            }
            if let Some(port) = f.encap
                && self.wants_inner
            {
                // Tunnels on the default port are parsed once; another port, per filter.
                let h = if port == super::VXLAN_PORT {
                    *inner.get_or_insert_with(|| outer.inner(frame, port))
                } else {
                    outer.inner(frame, port)
                };
                if h.is_some_and(|h| f.matches_headers(&h)) {
                    return Some(nf.number);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Filter, IpNet, NumberedFilter};

    fn set(filters: Vec<Filter>) -> Matcher {
        Matcher::new(FilterSet {
            filters: filters
                .into_iter()
                .enumerate()
                .map(|(i, filter)| NumberedFilter {
                    number: i as u32 + 1,
                    filter,
                })
                .collect(),
        })
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
