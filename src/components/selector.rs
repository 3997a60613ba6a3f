//! `--comp`: what the user asked for (all, nics, ids, network namespaces) and picking the
//! components from a `ComponentSet`. The resolved `SelectionScope` is kept by a session so
//! that it can tell whether an interface that appears later belongs to it.

use super::{Component, ComponentSet};
use crate::error::Error;
use serde::{Deserialize, Serialize};

/// A network namespace named on the command line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NamespaceSpec {
    /// Its readable name as `pktmon list` shows it (`host`, an `ip netns` name, ...).
    Name(String),
    /// `pid:N`: the namespace process N is in.
    Pid(u32),
}

/// One value of `--comp` besides `all` and `nics`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SelectorItem {
    Id(u32),
    Namespace(NamespaceSpec),
}

/// What `--comp` asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComponentSelector {
    All,
    Nics,
    /// Component ids and/or whole namespaces, in the order given.
    Listed(Vec<SelectorItem>),
}

/// A namespace picked by `--comp`, resolved to its inode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectedNetns {
    pub inode: u64,
    pub name: String,
}

/// What a selection means for interfaces that appear after it was made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SelectionScope {
    /// Every interface of every namespace.
    All,
    /// Every network adapter (`Component::is_nic`) of every namespace.
    Nics,
    /// These ids, plus every interface of these namespaces.
    Listed {
        ids: Vec<u32>,
        namespaces: Vec<SelectedNetns>,
    },
}

impl SelectionScope {
    /// Whether `c` (maybe created after the selection was made) is selected.
    pub fn admits(&self, c: &Component) -> bool {
        match self {
            SelectionScope::All => true,
            SelectionScope::Nics => c.is_nic(),
            SelectionScope::Listed { ids, namespaces } => {
                ids.contains(&c.id)
                    || c.netns_inode()
                        .is_some_and(|i| namespaces.iter().any(|n| n.inode == i))
            }
        }
    }
}

/// The components picked now, and the scope for later ones.
#[derive(Clone, Debug)]
pub struct Selection {
    pub components: Vec<Component>,
    pub scope: SelectionScope,
}

/// Why `--comp` was refused; every one is an invalid parameter (exit 87).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    #[error(
        "Error: '{value}' is not a valid argument to parameter '--comp'. \
         Use all, nics, component ids or network namespaces (names or pid:N) from 'pktmon list'."
    )]
    BadValue { value: String },
    #[error("Error: component id {id} does not exist.{valid}")]
    UnknownId { id: u32, valid: String },
    #[error("Error: '{name}' is neither a component id nor a network namespace.{valid}")]
    UnknownNamespace { name: String, valid: String },
    #[error("Error: process {pid} does not exist or its network namespace cannot be read.{valid}")]
    NoSuchProcess { pid: u32, valid: String },
    #[error("Error: the network namespace of process {pid} is not one pktmon can list.{valid}")]
    ProcessNamespaceNotListed { pid: u32, valid: String },
}

impl From<SelectError> for Error {
    fn from(e: SelectError) -> Error {
        Error::invalid(e.to_string())
    }
}

impl ComponentSelector {
    /// Parses the values of `--comp` (each may hold several, split on spaces and commas).
    /// Names are checked against the namespaces only by `select`.
    pub fn parse(values: &[String]) -> Result<ComponentSelector, SelectError> {
        let values: Vec<&str> = values
            .iter()
            .flat_map(|v| v.split([',', ' ']))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        match values.as_slice() {
            [] => return Ok(ComponentSelector::All),
            [v] if v.eq_ignore_ascii_case("all") => return Ok(ComponentSelector::All),
            [v] if v.eq_ignore_ascii_case("nics") => return Ok(ComponentSelector::Nics),
            _ => {}
        }
        let bad = |v: &str| SelectError::BadValue {
            value: v.to_string(),
        };
        let mut items = Vec::new();
        for v in values {
            let item = if let Ok(n) = v.parse::<u32>() {
                SelectorItem::Id(n)
            } else if let Some(pid) = v.get(..4).filter(|p| p.eq_ignore_ascii_case("pid:")) {
                let n: u32 = v[pid.len()..].parse().map_err(|_| bad(v))?;
                SelectorItem::Namespace(NamespaceSpec::Pid(n))
            } else if v.eq_ignore_ascii_case("all")
                || v.eq_ignore_ascii_case("nics")
                || v.contains('/')
                || v.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            {
                // keywords only stand alone; a path or a mistyped number is no name
                return Err(bad(v));
            } else {
                SelectorItem::Namespace(NamespaceSpec::Name(v.to_string()))
            };
            if !items.contains(&item) {
                items.push(item);
            }
        }
        Ok(ComponentSelector::Listed(items))
    }

    /// True when only component ids were given: failing to arm one of them fails `start`
    /// (a namespace, like `all`, takes what can be armed).
    pub fn is_explicit(&self) -> bool {
        matches!(self, ComponentSelector::Listed(items)
            if items.iter().all(|i| matches!(i, SelectorItem::Id(_))))
    }

    /// True when components or namespaces were named (not `all` or `nics`).
    pub fn is_listed(&self) -> bool {
        matches!(self, ComponentSelector::Listed(_))
    }

    /// The `Monitored Components:` label.
    pub fn label(&self) -> String {
        match self {
            ComponentSelector::All => "All".into(),
            ComponentSelector::Nics => "NICs".into(),
            ComponentSelector::Listed(items) => items
                .iter()
                .map(|i| match i {
                    SelectorItem::Id(id) => id.to_string(),
                    SelectorItem::Namespace(NamespaceSpec::Name(n)) => n.clone(),
                    SelectorItem::Namespace(NamespaceSpec::Pid(p)) => format!("pid:{p}"),
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Picks the components; an unknown id or namespace is an error that lists the valid
    /// ones. `pid:N` is looked up in /proc.
    pub fn select(&self, set: &ComponentSet) -> Result<Selection, SelectError> {
        self.select_with(set, pid_netns)
    }

    /// `select` with the process → namespace inode lookup given (tests).
    pub fn select_with(
        &self,
        set: &ComponentSet,
        pid_netns: impl Fn(u32) -> Option<u64>,
    ) -> Result<Selection, SelectError> {
        let comps = &set.components;
        let items = match self {
            ComponentSelector::All => {
                return Ok(Selection {
                    components: comps.clone(),
                    scope: SelectionScope::All,
                });
            }
            ComponentSelector::Nics => {
                return Ok(Selection {
                    components: comps.iter().filter(|c| c.is_nic()).cloned().collect(),
                    scope: SelectionScope::Nics,
                });
            }
            ComponentSelector::Listed(items) => items,
        };
        let mut out: Vec<Component> = Vec::new();
        let mut ids = Vec::new();
        let mut namespaces: Vec<SelectedNetns> = Vec::new();
        let add = |c: &Component, out: &mut Vec<Component>| {
            if !out.iter().any(|o| o.id == c.id) {
                out.push(c.clone());
            }
        };
        for item in items {
            let ns = match item {
                SelectorItem::Id(id) => {
                    let c = comps.iter().find(|c| c.id == *id).ok_or_else(|| {
                        SelectError::UnknownId {
                            id: *id,
                            valid: valid_list(set),
                        }
                    })?;
                    add(c, &mut out);
                    ids.push(*id);
                    continue;
                }
                SelectorItem::Namespace(NamespaceSpec::Name(name)) => set
                    .namespaces
                    .iter()
                    .find(|n| n.name == *name)
                    .or_else(|| {
                        set.namespaces
                            .iter()
                            .find(|n| n.name.eq_ignore_ascii_case(name))
                    })
                    .ok_or_else(|| SelectError::UnknownNamespace {
                        name: name.clone(),
                        valid: valid_list(set),
                    })?,
                SelectorItem::Namespace(NamespaceSpec::Pid(pid)) => {
                    let inode = pid_netns(*pid).ok_or_else(|| SelectError::NoSuchProcess {
                        pid: *pid,
                        valid: valid_list(set),
                    })?;
                    set.namespaces
                        .iter()
                        .find(|n| n.inode == inode)
                        .ok_or_else(|| SelectError::ProcessNamespaceNotListed {
                            pid: *pid,
                            valid: valid_list(set),
                        })?
                }
            };
            for c in comps.iter().filter(|c| c.netns_inode() == Some(ns.inode)) {
                add(c, &mut out);
            }
            if !namespaces.iter().any(|n| n.inode == ns.inode) {
                namespaces.push(SelectedNetns {
                    inode: ns.inode,
                    name: ns.name.clone(),
                });
            }
        }
        Ok(Selection {
            components: out,
            scope: SelectionScope::Listed { ids, namespaces },
        })
    }
}

/// The process's network namespace inode.
fn pid_netns(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        super::netns::netns_of_pid(pid).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// " Valid component ids:\n ..." and, where there are several, the namespaces.
fn valid_list(set: &ComponentSet) -> String {
    let mut s = String::from(" Valid component ids:");
    for c in &set.components {
        s.push_str(&format!("\n    {:>4} {}", c.id, c.display_name()));
    }
    if !set.namespaces.is_empty() {
        s.push_str("\nValid network namespaces (or pid:N, the namespace of process N):");
        for n in &set.namespaces {
            s.push_str(&format!("\n    {}", n.name));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::{ComponentKind, NetnsInfo};

    fn s(v: &[&str]) -> Result<ComponentSelector, SelectError> {
        ComponentSelector::parse(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    fn ns(inode: u64, name: &str, own: bool) -> NetnsInfo {
        NetnsInfo {
            inode,
            name: name.into(),
            own,
        }
    }

    fn comp(id: u32, ifindex: u32, name: &str, kind: ComponentKind, n: &NetnsInfo) -> Component {
        let mut c = Component::new(id, name, kind);
        c.ifindex = ifindex;
        c.netns = Some(n.clone());
        c
    }

    fn two_namespaces() -> ComponentSet {
        let host = ns(100, "host", true);
        let red = ns(200, "red", false);
        ComponentSet {
            components: vec![
                comp(1, 1, "lo", ComponentKind::Loopback, &host),
                comp(2, 2, "eth0", ComponentKind::Ethernet, &host),
                comp(3, 3, "br0", ComponentKind::Bridge, &host),
                comp(4, 4, "veth0", ComponentKind::Veth, &host),
                comp(10001, 1, "lo", ComponentKind::Loopback, &red),
                comp(10005, 5, "veth1", ComponentKind::Veth, &red),
            ],
            namespaces: vec![host, red],
            notes: vec![],
        }
    }

    #[test]
    fn parses_pktmon_forms_and_namespaces() {
        use NamespaceSpec::*;
        use SelectorItem::*;
        assert_eq!(s(&["ALL"]).unwrap(), ComponentSelector::All);
        assert_eq!(s(&[]).unwrap(), ComponentSelector::All);
        assert_eq!(s(&["nics"]).unwrap(), ComponentSelector::Nics);
        assert_eq!(
            s(&["4,5"]).unwrap(),
            ComponentSelector::Listed(vec![Id(4), Id(5)])
        );
        assert_eq!(
            s(&["4", "5", "4"]).unwrap(),
            ComponentSelector::Listed(vec![Id(4), Id(5)])
        );
        assert_eq!(
            s(&["red, PID:42 4"]).unwrap(),
            ComponentSelector::Listed(vec![
                Namespace(Name("red".into())),
                Namespace(Pid(42)),
                Id(4)
            ])
        );
        for bad in [
            &["pid:x"][..],
            &["4x"],
            &["all", "4"],
            &["/run/netns/x"],
            &["-1"],
        ] {
            let e = s(bad).unwrap_err();
            assert!(matches!(e, SelectError::BadValue { .. }), "{bad:?}: {e:?}");
            assert_eq!(Error::from(e).exit_code(), 87);
        }
        assert_eq!(s(&["4", "red", "pid:7"]).unwrap().label(), "4, red, pid:7");
        assert!(s(&["4"]).unwrap().is_explicit());
        assert!(!s(&["red", "4"]).unwrap().is_explicit());
        assert!(s(&["red"]).unwrap().is_listed());
        assert!(!s(&["nics"]).unwrap().is_explicit());
        assert!(!s(&["nics"]).unwrap().is_listed());
    }

    #[test]
    fn nics_leave_loopback_and_bridges_out_and_unknown_ids_list_valid_ones() {
        let set = two_namespaces();
        let nics = ComponentSelector::Nics.select(&set).unwrap();
        let ids: Vec<u32> = nics.components.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![2, 4, 10005]);
        assert_eq!(
            ComponentSelector::All
                .select(&set)
                .unwrap()
                .components
                .len(),
            6
        );
        let e = s(&["9"]).unwrap().select(&set).unwrap_err();
        assert!(matches!(e, SelectError::UnknownId { id: 9, .. }));
        let e = Error::from(e);
        let msg = e.to_string();
        assert!(msg.contains("component id 9 does not exist"), "{msg}");
        assert!(msg.contains("veth0") && msg.contains("veth1@red"), "{msg}");
        assert!(msg.contains("\n    red"), "{msg}");
        assert_eq!(e.exit_code(), 87);
    }

    #[test]
    fn a_namespace_selects_all_its_interfaces_and_later_ones() {
        let set = two_namespaces();
        let sel = s(&["red"]).unwrap().select_with(&set, |_| None).unwrap();
        let ids: Vec<u32> = sel.components.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![10001, 10005]);
        let red = set.namespaces[1].clone();
        let later = comp(10009, 9, "veth9", ComponentKind::Veth, &red);
        assert!(sel.scope.admits(&later));
        assert!(!sel.scope.admits(&set.components[1]));
        // pid:N finds the namespace through the process
        let sel = s(&["pid:77", "2"])
            .unwrap()
            .select_with(&set, |p| (p == 77).then_some(200))
            .unwrap();
        let ids: Vec<u32> = sel.components.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![10001, 10005, 2]);
        assert_eq!(
            sel.scope,
            SelectionScope::Listed {
                ids: vec![2],
                namespaces: vec![SelectedNetns {
                    inode: 200,
                    name: "red".into()
                }]
            }
        );
        let e = s(&["pid:78"]).unwrap().select_with(&set, |_| None);
        assert!(matches!(e, Err(SelectError::NoSuchProcess { pid: 78, .. })));
        let e = s(&["pid:78"]).unwrap().select_with(&set, |_| Some(999));
        assert!(matches!(
            e,
            Err(SelectError::ProcessNamespaceNotListed { pid: 78, .. })
        ));
        let e = s(&["blue"])
            .unwrap()
            .select_with(&set, |_| None)
            .unwrap_err();
        assert!(matches!(e, SelectError::UnknownNamespace { .. }));
        assert!(e.to_string().contains("host"), "{e}");
        // scopes survive the trip through the session config
        let json = serde_json::to_string(&sel.scope).unwrap();
        let back: SelectionScope = serde_json::from_str(&json).unwrap();
        assert!(back.admits(&later));
        assert!(SelectionScope::Nics.admits(&later));
        assert!(!SelectionScope::Nics.admits(&set.components[0]));
    }
}
