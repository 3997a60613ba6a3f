//! pktmon packet filters: the model, its persistence in the state directory, the
//! user-space matcher that decides (and says which filter matched), and the kernel BPF
//! prefilter that must never reject what the matcher accepts.

pub mod bpf;
pub mod fields;
pub mod matcher;
pub mod parse;
pub mod table;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

/// At most this many filters at once (Windows pktmon's Gen 3 limit).
pub const MAX_FILTERS: usize = 32;
/// UDP port of failover-cluster heartbeats (`-b`).
pub const HEARTBEAT_PORT: u16 = 3343;
/// Default VXLAN port for `-e`.
pub const VXLAN_PORT: u16 = 4789;

// The numbers are the decoder's (defined once in packet::numbers).
pub use crate::packet::numbers::ether_type::{
    ARP as ETHERTYPE_ARP, IPV4 as ETHERTYPE_IPV4, IPV6 as ETHERTYPE_IPV6,
};
pub use crate::packet::numbers::ip_proto::{
    ICMP as PROTO_ICMP, ICMPV6 as PROTO_ICMPV6, TCP as PROTO_TCP, UDP as PROTO_UDP,
};

/// An IP address with a prefix length (a host is /32 or /128).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpNet {
    pub addr: IpAddr,
    pub prefix: u8,
}

impl IpNet {
    pub fn is_host(&self) -> bool {
        self.prefix == if self.addr.is_ipv4() { 32 } else { 128 }
    }

    /// The address with its host bits cleared (`10.0.0.9/24` -> `10.0.0.0`).
    pub fn network(&self) -> IpAddr {
        fn mask(bytes: &mut [u8], prefix: u8) {
            for (i, b) in bytes.iter_mut().enumerate() {
                let keep = (prefix as usize).saturating_sub(i * 8).min(8);
                *b &= if keep == 0 { 0 } else { 0xFFu8 << (8 - keep) };
            }
        }
        match self.addr {
            IpAddr::V4(a) => {
                let mut o = a.octets();
                mask(&mut o, self.prefix);
                IpAddr::from(o)
            }
            IpAddr::V6(a) => {
                let mut o = a.octets();
                mask(&mut o, self.prefix);
                IpAddr::from(o)
            }
        }
    }

    /// Whether `ip` (4 or 16 bytes) lies in this network.
    pub fn contains(&self, ip: &[u8]) -> bool {
        match self.addr {
            IpAddr::V4(a) => prefix_match(&a.octets(), ip, self.prefix),
            IpAddr::V6(a) => prefix_match(&a.octets(), ip, self.prefix),
        }
    }
}

fn prefix_match(net: &[u8], ip: &[u8], prefix: u8) -> bool {
    if net.len() != ip.len() {
        return false;
    }
    let full = (prefix / 8) as usize;
    if net[..full] != ip[..full] {
        return false;
    }
    let rest = prefix % 8;
    if rest == 0 {
        return true;
    }
    let mask = 0xFFu8 << (8 - rest);
    (net[full] & mask) == (ip[full] & mask)
}

impl std::fmt::Display for IpNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_host() {
            write!(f, "{}", self.addr)
        } else {
            write!(f, "{}/{}", self.addr, self.prefix)
        }
    }
}

/// One pktmon filter: every condition that is set must hold (AND).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub name: String,
    /// One MAC: source or destination. Two: the packet holds both, either direction.
    pub macs: Vec<[u8; 6]>,
    pub vlan: Option<u16>,
    pub ethertype: Option<u16>,
    /// IP protocol number.
    pub protocol: Option<u8>,
    /// TCP flags that must all be set (only with protocol TCP).
    pub tcp_flags: u8,
    /// Same family; one or two (the pair rule as for MACs).
    pub ips: Vec<IpNet>,
    /// TCP or UDP ports; one or two (the pair rule).
    pub ports: Vec<u16>,
    /// UDP port 3343 (source or destination).
    pub heartbeat: bool,
    /// `-e`: also match the inner headers of VXLAN (this UDP port), GRE, NVGRE, IP-in-IP.
    pub encap: Option<u16>,
}

impl Filter {
    pub fn has_condition(&self) -> bool {
        !self.macs.is_empty()
            || self.vlan.is_some()
            || self.ethertype.is_some()
            || self.protocol.is_some()
            || !self.ips.is_empty()
            || !self.ports.is_empty()
            || self.heartbeat
    }

    /// IPv4 (Some(false)), IPv6 (Some(true)) or unknown, from the IPs or the EtherType.
    pub fn ipv6(&self) -> Option<bool> {
        if let Some(n) = self.ips.first() {
            return Some(n.addr.is_ipv6());
        }
        match self.ethertype {
            Some(ETHERTYPE_IPV4) => Some(false),
            Some(ETHERTYPE_IPV6) => Some(true),
            _ => None,
        }
    }
}

/// The filters in force, each with its stable number (1..).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterSet {
    pub filters: Vec<NumberedFilter>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberedFilter {
    pub number: u32,
    pub filter: Filter,
}

impl FilterSet {
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    pub fn len(&self) -> usize {
        self.filters.len()
    }

    /// Filters numbered 1, 2, … in order, as `filter add` numbers a fresh list (no limit
    /// check: for building sets directly).
    pub fn numbered(filters: Vec<Filter>) -> FilterSet {
        FilterSet {
            filters: filters
                .into_iter()
                .zip(1..)
                .map(|(filter, number)| NumberedFilter { number, filter })
                .collect(),
        }
    }

    /// Adds a filter; numbers continue after the highest in use, so removing one filter
    /// never renumbers the others.
    pub fn add(&mut self, filter: Filter) -> Result<u32> {
        if self.filters.len() >= MAX_FILTERS {
            return Err(Error::failure(format!(
                "Failed to add filter: at most {MAX_FILTERS} filters can be active at once. \
                 Remove some with 'pktmon filter remove'."
            )));
        }
        let number = self.filters.iter().map(|f| f.number).max().unwrap_or(0) + 1;
        self.filters.push(NumberedFilter { number, filter });
        Ok(number)
    }

    /// Removes the filter with this number or name; returns how many were removed.
    pub fn remove(&mut self, which: &str) -> usize {
        let before = self.filters.len();
        match which.parse::<u32>() {
            Ok(n) => self.filters.retain(|f| f.number != n),
            Err(_) => self.filters.retain(|f| f.filter.name != which),
        }
        before - self.filters.len()
    }
}

/// Where the filters live: `<state>/filters.json`, shared by every session (as pktmon's
/// filters are global to the driver).
fn store_path() -> std::path::PathBuf {
    crate::session::state::state_dir().join("filters.json")
}

pub fn load() -> Result<FilterSet> {
    match std::fs::read(store_path()) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
            Error::failure(format!(
                "the stored filters ({}) are unreadable: {e}; 'pktmon filter remove' clears them",
                store_path().display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FilterSet::default()),
        Err(e) => Err(Error::failure(format!(
            "cannot read {}: {e}",
            store_path().display()
        ))),
    }
}

pub fn save(set: &FilterSet) -> Result<()> {
    crate::session::state::ensure_state_dir()?;
    let json = serde_json::to_vec_pretty(set).map_err(|e| Error::failure(e.to_string()))?;
    crate::session::state::write_private(&store_path(), &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str, p: u8) -> IpNet {
        IpNet {
            addr: s.parse().unwrap(),
            prefix: p,
        }
    }

    #[test]
    fn cidr_edges() {
        let n = net("10.10.10.0", 24);
        assert!(n.contains(&[10, 10, 10, 0]));
        assert!(n.contains(&[10, 10, 10, 255]));
        assert!(!n.contains(&[10, 10, 11, 0]));
        assert!(!n.contains(&[10, 10, 9, 255]));
        let n = net("10.10.10.128", 25);
        assert!(n.contains(&[10, 10, 10, 200]));
        assert!(!n.contains(&[10, 10, 10, 127]));
        assert!(net("0.0.0.0", 0).contains(&[1, 2, 3, 4]));
        assert!(net("1.2.3.4", 32).contains(&[1, 2, 3, 4]));
        assert!(!net("1.2.3.4", 32).contains(&[1, 2, 3, 5]));
        let v6 = net("2001:db8::", 33);
        let mut a = "2001:db8::1"
            .parse::<std::net::Ipv6Addr>()
            .unwrap()
            .octets();
        assert!(v6.contains(&a));
        a[4] = 0x80;
        assert!(!v6.contains(&a));
        assert!(!v6.contains(&[10, 0, 0, 1]), "families never match");
        assert_eq!(net("10.0.0.0", 8).to_string(), "10.0.0.0/8");
        assert_eq!(net("10.1.2.3", 12).network().to_string(), "10.0.0.0");
        assert_eq!(net("10.1.2.3", 0).network().to_string(), "0.0.0.0");
        assert_eq!(net("2001:db8::1", 33).network().to_string(), "2001:db8::");
        assert_eq!(net("10.0.0.1", 32).to_string(), "10.0.0.1");
    }

    #[test]
    fn numbers_stay_stable_and_33rd_is_refused() {
        let mut s = FilterSet::default();
        let f = |name: &str| Filter {
            name: name.into(),
            heartbeat: true,
            ..Default::default()
        };
        assert_eq!(s.add(f("a")).unwrap(), 1);
        assert_eq!(s.add(f("b")).unwrap(), 2);
        assert_eq!(s.add(f("c")).unwrap(), 3);
        assert_eq!(s.remove("2"), 1);
        assert_eq!(s.add(f("d")).unwrap(), 4);
        let numbers: Vec<u32> = s.filters.iter().map(|f| f.number).collect();
        assert_eq!(numbers, [1, 3, 4]);
        assert_eq!(s.remove("a"), 1);
        assert_eq!(s.remove("zzz"), 0);
        while s.len() < MAX_FILTERS {
            s.add(f("x")).unwrap();
        }
        let e = s.add(f("y")).unwrap_err();
        assert!(e.to_string().contains("at most 32 filters"));
    }
}
