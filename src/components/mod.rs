//! Components: the network interfaces pktmon can monitor, with their kind and relations
//! (veth peers, bridge and bond members, VLAN parents).

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub mod netns;
// Also built for Linux tests: the same libpcap and getifaddrs calls run there.
#[cfg(any(all(unix, not(target_os = "linux")), all(test, target_os = "linux")))]
mod pcap_devices;
#[cfg(target_os = "linux")]
pub mod registry;
mod selector;

use crate::error::Result;
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

/// The network namespace a component lives in (Linux).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetnsInfo {
    /// Inode of the namespace (`readlink /proc/PID/ns/net` shows `net:[inode]`); what the
    /// kernel's tracepoints report as the namespace.
    pub inode: u64,
    /// Readable name: its `ip netns` name, else the Docker netns file name, else
    /// `pid N (comm)` of a process in it; the init namespace is `host`.
    pub name: String,
    /// The namespace pktmon itself runs in.
    pub own: bool,
}

/// One network interface.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Stable for the life of the interface and unique across namespaces: the ifindex in
    /// pktmon's own namespace, derived from a per-namespace slot elsewhere (see
    /// `registry`).
    pub id: u32,
    /// The interface's index inside its namespace (equals `id` in pktmon's own namespace;
    /// 0 in state written by older versions, where it was the id).
    #[serde(default)]
    pub ifindex: u32,
    /// Its network namespace; None where namespaces are not known (other systems, older
    /// state).
    #[serde(default)]
    pub netns: Option<NetnsInfo>,
    pub name: String,
    pub mac: Option<[u8; 6]>,
    pub kind: ComponentKind,
    pub up: bool,
    /// The bridge or bond this interface is a port of (an ifindex in the same namespace).
    pub master: Option<u32>,
    /// veth peer or VLAN/macvlan parent (an ifindex, maybe in another namespace).
    pub link: Option<u32>,
    /// Set when `link` lives in another network namespace.
    pub link_netnsid: Option<i32>,
    /// Bridge ports or bond members (ifindexes; filled in by `list_components`).
    pub members: Vec<u32>,
    /// The component id of a veth peer in another namespace, when pktmon found it.
    #[serde(default)]
    pub peer: Option<u32>,
    /// The driver file behind it (Windows: a PktMon data source's `Name`, e.g. `e1dn.sys`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub driver: Option<String>,
}

impl Component {
    /// A component with nothing but its identity and kind (no MAC, up, no relations).
    pub fn new(id: u32, name: &str, kind: ComponentKind) -> Component {
        Component {
            id,
            ifindex: id,
            netns: None,
            name: name.to_string(),
            mac: None,
            kind,
            up: true,
            master: None,
            link: None,
            link_netnsid: None,
            members: Vec::new(),
            peer: None,
            driver: None,
        }
    }

    /// The ifindex in its namespace (state from older versions has only the id).
    pub fn index(&self) -> u32 {
        if self.ifindex == 0 {
            self.id
        } else {
            self.ifindex
        }
    }

    /// Inode of its namespace, when known.
    pub fn netns_inode(&self) -> Option<u64> {
        self.netns.as_ref().map(|n| n.inode)
    }

    /// True unless it is known to live outside pktmon's own namespace.
    pub fn in_own_netns(&self) -> bool {
        self.netns.as_ref().is_none_or(|n| n.own)
    }

    /// The name in logs and pcapng: `ifname@namespace` outside pktmon's own namespace
    /// (interface names repeat across namespaces), else the interface name.
    pub fn display_name(&self) -> String {
        match &self.netns {
            Some(ns) if !ns.own => format!("{}@{}", self.name, ns.name),
            _ => self.name.clone(),
        }
    }

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
        // Relations are ifindexes of the same namespace; show the name and component id.
        let ns = self.netns_inode();
        let name_of = |ifindex: u32| {
            all.iter()
                .find(|c| c.netns_inode() == ns && c.index() == ifindex)
                .map(|c| format!("{} ({})", c.name, c.id))
                .unwrap_or_else(|| ifindex.to_string())
        };
        let mut s = self.kind.name().to_string();
        match self.kind {
            ComponentKind::Veth => {
                let found_peer = self
                    .peer
                    .and_then(|p| all.iter().find(|c| c.id == p && c.netns.is_some()));
                if let Some(p) = found_peer {
                    s.push_str(&format!(", peer {} ({})", p.display_name(), p.id));
                } else if let Some(peer) = self.link {
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
        if let Some(d) = &self.driver {
            s.push_str(&format!(", driver {d}"));
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

/// Every interface of the current network namespace, ordered by id (= ifindex), with
/// bridge/bond members filled in; namespace not filled in (see `component_set`).
pub fn list_components() -> Result<Vec<Component>> {
    #[cfg(target_os = "linux")]
    let mut comps = linux::list()?;
    #[cfg(all(unix, not(target_os = "linux")))]
    let mut comps = pcap_devices::list()?;
    #[cfg(windows)]
    let mut comps = crate::capture::pktmonapi::list_components()?;
    comps.sort_by_key(|c| c.id);
    fill_members(&mut comps);
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

/// Every component pktmon can see, across network namespaces where the platform has them.
#[derive(Clone, Debug, Default)]
pub struct ComponentSet {
    /// pktmon's own namespace first (by id), then the other namespaces in `namespaces`
    /// order (by id within each).
    pub components: Vec<Component>,
    /// The namespaces the components come from, own first; empty where namespaces are not
    /// known (non-Linux).
    pub namespaces: Vec<NetnsInfo>,
    /// What could not be looked at, for the user.
    pub notes: Vec<SetNote>,
}

/// Why a `ComponentSet` may be incomplete.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetNote {
    /// Entering other namespaces needs CAP_SYS_ADMIN; only the own one is listed.
    #[error(
        "{count} other network namespace(s) not listed: entering them needs root (CAP_SYS_ADMIN)"
    )]
    OtherNamespacesNeedPrivilege { count: usize },
    /// A namespace that was found but could not be read.
    #[error("network namespace {name} not listed: {reason}")]
    NamespaceUnreadable { name: String, reason: String },
    /// Slots of other namespaces could not be kept in the state directory: their ids are
    /// unique in this run but may differ in the next.
    #[error("component ids of other namespaces are not persisted: {reason}")]
    IdsNotPersisted { reason: String },
}

impl ComponentSet {
    /// A set of one namespace (or of a system without namespaces).
    pub fn single(components: Vec<Component>) -> ComponentSet {
        let namespaces = components
            .iter()
            .find_map(|c| c.netns.clone())
            .into_iter()
            .collect();
        ComponentSet {
            components,
            namespaces,
            notes: Vec::new(),
        }
    }
}

/// Every component in every network namespace pktmon may enter (only its own without
/// privileges, see `notes`); elsewhere the same as `list_components`.
pub fn component_set() -> Result<ComponentSet> {
    #[cfg(target_os = "linux")]
    {
        match registry::ComponentRegistry::open() {
            Ok(r) => Ok(r.snapshot()),
            // No /proc (namespaces cannot be found): the own namespace as before.
            Err(e) => list_components().map(ComponentSet::single).map_err(|_| e),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        Ok(ComponentSet::single(list_components()?))
    }
}

/// Fills in bridge ports / bond members from the members' `master` (same namespace).
pub(crate) fn fill_members(comps: &mut [Component]) {
    let masters: Vec<(Option<u64>, u32, u32)> = comps
        .iter()
        .filter_map(|c| c.master.map(|m| (c.netns_inode(), m, c.index())))
        .collect();
    for c in comps.iter_mut() {
        c.members.clear();
    }
    for (ns, m, port) in masters {
        if let Some(c) = comps
            .iter_mut()
            .find(|c| c.netns_inode() == ns && c.index() == m)
        {
            c.members.push(port);
        }
    }
}

pub use selector::{
    ComponentSelector, NamespaceSpec, SelectedNetns, Selection, SelectionScope, SelectorItem,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_names_relations_in_the_same_namespace_and_peers_elsewhere() {
        let host = NetnsInfo {
            inode: 1,
            name: "host".into(),
            own: true,
        };
        let red = NetnsInfo {
            inode: 2,
            name: "red".into(),
            own: false,
        };
        let mut br = Component::new(3, "br0", ComponentKind::Bridge);
        br.netns = Some(host.clone());
        let mut v = Component::new(4, "v0", ComponentKind::Veth);
        v.netns = Some(host.clone());
        v.master = Some(3);
        v.link = Some(7);
        v.link_netnsid = Some(0);
        v.peer = Some(10007);
        // same ifindex 3 in another namespace: not the bridge
        let mut other = Component::new(10003, "br0", ComponentKind::Bridge);
        other.ifindex = 3;
        other.netns = Some(red.clone());
        let mut p = Component::new(10007, "v1", ComponentKind::Veth);
        p.ifindex = 7;
        p.netns = Some(red);
        let mut all = vec![other, br, v, p];
        fill_members(&mut all);
        assert_eq!(all[1].members, vec![4]);
        assert!(all[0].members.is_empty());
        assert_eq!(all[1].describe(&all), "bridge, ports v0 (4)");
        assert_eq!(
            all[2].describe(&all),
            "veth, peer v1@red (10007), port of br0 (3)"
        );
        assert_eq!(all[3].display_name(), "v1@red");
        assert_eq!(all[2].display_name(), "v0");
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
