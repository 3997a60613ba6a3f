//! Components: the network interfaces pktmon can monitor, with their kind and relations
//! (veth peers, bridge and bond members, VLAN parents).

#[cfg(target_os = "linux")]
mod linux;
#[cfg(all(unix, not(target_os = "linux")))]
mod pcap_devices;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// What kind of interface a component is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComponentKind {
    Ethernet,
    Wireless,
    Loopback,
    Veth,
    Bridge,
    Bond,
    Vlan,
    Tun,
    Tap,
    Dummy,
    WireGuard,
    MacVlan,
    IpVlan,
    Vxlan,
    Tunnel(String),
    Other(String),
}

impl ComponentKind {
    /// Lower-case name as users of `ip link` know it.
    pub fn name(&self) -> &str {
        match self {
            ComponentKind::Ethernet => "ethernet",
            ComponentKind::Wireless => "wireless",
            ComponentKind::Loopback => "loopback",
            ComponentKind::Veth => "veth",
            ComponentKind::Bridge => "bridge",
            ComponentKind::Bond => "bond",
            ComponentKind::Vlan => "vlan",
            ComponentKind::Tun => "tun",
            ComponentKind::Tap => "tap",
            ComponentKind::Dummy => "dummy",
            ComponentKind::WireGuard => "wireguard",
            ComponentKind::MacVlan => "macvlan",
            ComponentKind::IpVlan => "ipvlan",
            ComponentKind::Vxlan => "vxlan",
            ComponentKind::Tunnel(k) | ComponentKind::Other(k) => k,
        }
    }

    /// Maps an `IFLA_INFO_KIND` string (or its absence) to a kind.
    pub fn from_info_kind(kind: Option<&str>) -> ComponentKind {
        match kind {
            None => ComponentKind::Ethernet,
            Some("veth") => ComponentKind::Veth,
            Some("bridge") | Some("openvswitch") => ComponentKind::Bridge,
            Some("bond") | Some("team") => ComponentKind::Bond,
            Some("vlan") => ComponentKind::Vlan,
            Some("dummy") => ComponentKind::Dummy,
            Some("wireguard") => ComponentKind::WireGuard,
            Some("macvlan") | Some("macvtap") => ComponentKind::MacVlan,
            Some("ipvlan") | Some("ipvtap") => ComponentKind::IpVlan,
            Some("vxlan") | Some("geneve") => ComponentKind::Vxlan,
            Some(
                k @ ("gre" | "gretap" | "ip6gre" | "ip6gretap" | "ipip" | "ip6tnl" | "sit" | "vti"
                | "vti6" | "erspan"),
            ) => ComponentKind::Tunnel(k.to_string()),
            Some(k) => ComponentKind::Other(k.to_string()),
        }
    }
}

/// Which `pktmon list` group a component belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ComponentGroup {
    NetworkAdapters,
    Bridges,
    VirtualInterfaces,
    Loopback,
}

impl ComponentGroup {
    pub fn title(self) -> &'static str {
        match self {
            ComponentGroup::NetworkAdapters => "Network Adapters",
            ComponentGroup::Bridges => "Bridges",
            ComponentGroup::VirtualInterfaces => "Virtual Interfaces",
            ComponentGroup::Loopback => "Loopback",
        }
    }
}

/// One network interface.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Stable for the life of the interface: its ifindex.
    pub id: u32,
    pub name: String,
    pub mac: Option<[u8; 6]>,
    pub kind: ComponentKind,
    pub up: bool,
    /// The bridge or bond this interface is a port of.
    pub master: Option<u32>,
    /// veth peer or VLAN/macvlan parent (an ifindex, maybe in another namespace).
    pub link: Option<u32>,
    /// Set when `link` lives in another network namespace.
    pub link_netnsid: Option<i32>,
    /// Bridge ports or bond members (filled in by `list_components`).
    pub members: Vec<u32>,
}

impl Component {
    pub fn group(&self) -> ComponentGroup {
        match self.kind {
            ComponentKind::Loopback => ComponentGroup::Loopback,
            ComponentKind::Bridge => ComponentGroup::Bridges,
            ComponentKind::Ethernet
            | ComponentKind::Wireless
            | ComponentKind::Veth
            | ComponentKind::Tap
            | ComponentKind::Tun => ComponentGroup::NetworkAdapters,
            _ => ComponentGroup::VirtualInterfaces,
        }
    }

    /// Hidden unless `--include-hidden`: loopback.
    pub fn hidden(&self) -> bool {
        self.kind == ComponentKind::Loopback
    }

    /// Member of `--comp nics`: the network adapters group.
    pub fn is_nic(&self) -> bool {
        self.group() == ComponentGroup::NetworkAdapters
    }

    /// `AA-BB-CC-DD-EE-FF`, or empty without a MAC.
    pub fn mac_string(&self) -> String {
        self.mac.map(|m| format_mac(&m)).unwrap_or_default()
    }

    /// One line on what this interface is and how it relates to others.
    pub fn describe(&self, all: &[Component]) -> String {
        let name_of = |id: u32| {
            all.iter()
                .find(|c| c.id == id)
                .map(|c| format!("{} ({id})", c.name))
                .unwrap_or_else(|| id.to_string())
        };
        let mut s = self.kind.name().to_string();
        match self.kind {
            ComponentKind::Veth => {
                if let Some(peer) = self.link {
                    if self.link_netnsid.is_some() {
                        s.push_str(&format!(", peer ifindex {peer} in another namespace"));
                    } else {
                        s.push_str(&format!(", peer {}", name_of(peer)));
                    }
                }
            }
            ComponentKind::Bridge | ComponentKind::Bond if !self.members.is_empty() => {
                let ports: Vec<String> = self.members.iter().map(|&m| name_of(m)).collect();
                let label = if self.kind == ComponentKind::Bridge {
                    "ports"
                } else {
                    "members"
                };
                s.push_str(&format!(", {label} {}", ports.join(" ")));
            }
            ComponentKind::Vlan | ComponentKind::MacVlan | ComponentKind::IpVlan => {
                if let (Some(parent), None) = (self.link, self.link_netnsid) {
                    s.push_str(&format!(" on {}", name_of(parent)));
                }
            }
            _ => {}
        }
        if let Some(m) = self.master {
            s.push_str(&format!(", port of {}", name_of(m)));
        }
        if !self.up {
            s.push_str(", down");
        }
        s
    }
}

pub fn format_mac(m: &[u8; 6]) -> String {
    format!(
        "{:02X}-{:02X}-{:02X}-{:02X}-{:02X}-{:02X}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

/// Every interface of the current network namespace, ordered by id, with bridge/bond
/// members filled in.
pub fn list_components() -> Result<Vec<Component>> {
    #[cfg(target_os = "linux")]
    let mut comps = linux::list()?;
    #[cfg(all(unix, not(target_os = "linux")))]
    let mut comps = pcap_devices::list()?;
    #[cfg(windows)]
    let mut comps = crate::capture::pktmonapi::list_components()?;
    comps.sort_by_key(|c| c.id);
    let masters: Vec<(u32, u32)> = comps
        .iter()
        .filter_map(|c| c.master.map(|m| (m, c.id)))
        .collect();
    for (m, port) in masters {
        if let Some(c) = comps.iter_mut().find(|c| c.id == m) {
            c.members.push(port);
        }
    }
    Ok(comps)
}

/// Each interface's own drop counters: (id, rx_dropped, tx_dropped). Empty where the
/// platform has no such source.
pub fn interface_drop_counters() -> Result<Vec<(u32, u64, u64)>> {
    #[cfg(target_os = "linux")]
    {
        linux::drop_counters()
    }
    #[cfg(not(target_os = "linux"))]
    {
        Ok(Vec::new())
    }
}

/// What `--comp` asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComponentSelector {
    All,
    Nics,
    Ids(Vec<u32>),
}

impl ComponentSelector {
    /// Parses the values of `--comp` (already split on spaces and commas).
    pub fn parse(values: &[String]) -> Result<ComponentSelector> {
        let values: Vec<&str> = values
            .iter()
            .flat_map(|v| v.split([',', ' ']))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        match values.as_slice() {
            [] => Ok(ComponentSelector::All),
            [v] if v.eq_ignore_ascii_case("all") => Ok(ComponentSelector::All),
            [v] if v.eq_ignore_ascii_case("nics") => Ok(ComponentSelector::Nics),
            ids => {
                let mut out = Vec::new();
                for id in ids {
                    let n: u32 = id.parse().map_err(|_| {
                        Error::invalid(format!(
                            "Error: '{id}' is not a valid argument to parameter '--comp'. \
                             Use all, nics, or component ids from 'pktmon list'."
                        ))
                    })?;
                    if !out.contains(&n) {
                        out.push(n);
                    }
                }
                Ok(ComponentSelector::Ids(out))
            }
        }
    }

    /// The `Monitored Components:` label.
    pub fn label(&self) -> String {
        match self {
            ComponentSelector::All => "All".into(),
            ComponentSelector::Nics => "NICs".into(),
            ComponentSelector::Ids(ids) => ids
                .iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Picks the components; an unknown id is an error that lists the valid ones.
    pub fn select(&self, comps: &[Component]) -> Result<Vec<Component>> {
        match self {
            ComponentSelector::All => Ok(comps.to_vec()),
            ComponentSelector::Nics => Ok(comps.iter().filter(|c| c.is_nic()).cloned().collect()),
            ComponentSelector::Ids(ids) => {
                let mut out = Vec::new();
                for id in ids {
                    match comps.iter().find(|c| c.id == *id) {
                        Some(c) => out.push(c.clone()),
                        None => {
                            let valid: Vec<String> = comps
                                .iter()
                                .map(|c| format!("    {:>4} {}", c.id, c.name))
                                .collect();
                            return Err(Error::invalid(format!(
                                "Error: component id {id} does not exist. Valid component ids:\n{}",
                                valid.join("\n")
                            )));
                        }
                    }
                }
                Ok(out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(id: u32, name: &str, kind: ComponentKind) -> Component {
        Component {
            id,
            name: name.into(),
            mac: None,
            kind,
            up: true,
            master: None,
            link: None,
            link_netnsid: None,
            members: vec![],
        }
    }

    #[test]
    fn selector_parses_pktmon_forms() {
        let s = |v: &[&str]| {
            ComponentSelector::parse(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(s(&["ALL"]).unwrap(), ComponentSelector::All);
        assert_eq!(s(&["nics"]).unwrap(), ComponentSelector::Nics);
        assert_eq!(s(&["4,5"]).unwrap(), ComponentSelector::Ids(vec![4, 5]));
        assert_eq!(
            s(&["4", "5", "4"]).unwrap(),
            ComponentSelector::Ids(vec![4, 5])
        );
        let e = s(&["eth0"]).unwrap_err();
        assert_eq!(e.exit_code(), 87);
    }

    #[test]
    fn select_nics_leaves_loopback_and_bridges_out_and_unknown_ids_list_valid_ones() {
        let comps = vec![
            comp(1, "lo", ComponentKind::Loopback),
            comp(2, "eth0", ComponentKind::Ethernet),
            comp(3, "br0", ComponentKind::Bridge),
            comp(4, "veth0", ComponentKind::Veth),
        ];
        let nics = ComponentSelector::Nics.select(&comps).unwrap();
        assert_eq!(nics.iter().map(|c| c.id).collect::<Vec<_>>(), vec![2, 4]);
        assert_eq!(ComponentSelector::All.select(&comps).unwrap().len(), 4);
        let e = ComponentSelector::Ids(vec![9]).select(&comps).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("component id 9 does not exist"), "{msg}");
        assert!(msg.contains("veth0"), "{msg}");
        assert_eq!(e.exit_code(), 87);
    }

    #[test]
    fn kinds_from_netlink_names() {
        assert_eq!(
            ComponentKind::from_info_kind(Some("veth")),
            ComponentKind::Veth
        );
        assert_eq!(ComponentKind::from_info_kind(None), ComponentKind::Ethernet);
        assert_eq!(
            ComponentKind::from_info_kind(Some("bridge")).name(),
            "bridge"
        );
        assert_eq!(ComponentKind::from_info_kind(Some("gre")).name(), "gre");
        assert_eq!(
            format_mac(&[0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x0f]),
            "AA-BB-CC-DD-EE-0F"
        );
    }
}
