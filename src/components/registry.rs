//! Components of every network namespace with ids that are unique across namespaces and
//! stable while the interface lives, and the lookup a running session uses for what a
//! tracepoint saw: (netns inode, ifindex, ifname) → component.
//!
//! # Id scheme
//!
//! - pktmon's own namespace: id = ifindex (what scripts and the pcapng of earlier versions
//!   rely on).
//! - Every other namespace gets a *slot* (1..=`MAX_SLOT`) the first time pktmon sees it,
//!   kept in the state directory (`netns-ids.json`, owner-only, under a lock), so every
//!   pktmon process agrees. Its interfaces get id = slot × `SLOT_SPAN` + ifindex
//!   (slot 1: 10001..19999).
//! - Limits: an ifindex ≥ `SLOT_SPAN` in another namespace, or a derived id that equals an
//!   ifindex of pktmon's own namespace (own ifindexes grow past 10000 on hosts that create
//!   many interfaces), gets an id from `EXTRA_BASE` (2,000,000,000) upwards instead, also
//!   kept in the state file, never one an own interface has. Own ids always win: should the
//!   own namespace later create an interface whose ifindex equals an id given to another
//!   namespace, that other interface moves to an extra id. Slots are not reused until all
//!   199,999 have been handed out; the table forgets namespaces that are gone once it holds
//!   more than `PRUNE_ABOVE` of them. `pktmon unload` deletes the table.
//!
//! Interfaces created, renamed or moved after the registry was built are found by
//! `resolve`: it re-reads a namespace's links (at most every `links_interval`) or looks for
//! new namespaces (at most every `discovery_interval`) when a sighting does not match the
//! cache; in between it answers from the cache and trusts the sighting's name.

use super::netns::{self, Discovery, NamespaceDesc, NetnsError, NetnsOrigin, NsLinks};
use super::{Component, ComponentKind, ComponentSet, NetnsInfo, SetNote, fill_members};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Ids per namespace slot.
pub const SLOT_SPAN: u32 = 10_000;
/// Highest slot: derived ids stay below `EXTRA_BASE`.
pub const MAX_SLOT: u32 = 199_999;
/// First id for interfaces the slot scheme cannot number.
pub const EXTRA_BASE: u32 = 2_000_000_000;
/// The table drops namespaces no longer found once it holds more than this many.
pub const PRUNE_ABOVE: usize = 1024;
/// File in the state directory.
pub const TABLE_FILE: &str = "netns-ids.json";

/// The id of `ifindex` in the namespace of `slot` under the plain scheme, if it applies.
pub fn derived_id(slot: u32, ifindex: u32) -> Option<u32> {
    ((1..SLOT_SPAN).contains(&ifindex) && (1..=MAX_SLOT).contains(&slot))
        .then(|| slot * SLOT_SPAN + ifindex)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct SlotEntry {
    inode: u64,
    slot: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct ExtraEntry {
    inode: u64,
    ifindex: u32,
    id: u32,
}

/// Slots of namespaces and extra ids, as persisted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTable {
    #[serde(default)]
    slots: Vec<SlotEntry>,
    #[serde(default)]
    extra: Vec<ExtraEntry>,
    #[serde(default)]
    next_slot: u32,
    #[serde(default)]
    next_extra: u32,
}

impl IdTable {
    pub fn slot(&self, inode: u64) -> Option<u32> {
        self.slots.iter().find(|s| s.inode == inode).map(|s| s.slot)
    }

    fn extra(&self, inode: u64, ifindex: u32) -> Option<u32> {
        self.extra
            .iter()
            .find(|e| e.inode == inode && e.ifindex == ifindex)
            .map(|e| e.id)
    }

    /// A slot for `inode`: the next never used, or after the last one the lowest free.
    fn allocate_slot(&mut self, inode: u64) -> Option<u32> {
        if let Some(s) = self.slot(inode) {
            return Some(s);
        }
        let next = self.next_slot.max(1);
        let slot = if next <= MAX_SLOT {
            next
        } else {
            let used: HashSet<u32> = self.slots.iter().map(|s| s.slot).collect();
            (1..=MAX_SLOT).find(|s| !used.contains(s))?
        };
        self.slots.push(SlotEntry { inode, slot });
        self.next_slot = slot + 1;
        Some(slot)
    }

    /// A fresh extra id for (inode, ifindex), none that `taken` says is in use (own
    /// ifindexes); replaces an earlier one.
    fn allocate_extra(
        &mut self,
        inode: u64,
        ifindex: u32,
        taken: &dyn Fn(u32) -> bool,
    ) -> Option<u32> {
        self.extra
            .retain(|e| !(e.inode == inode && e.ifindex == ifindex));
        let used: HashSet<u32> = self.extra.iter().map(|e| e.id).collect();
        let mut candidate = self.next_extra.max(EXTRA_BASE);
        // Among this many consecutive candidates at least one is free.
        for _ in 0..=(used.len() + 1024) {
            if !used.contains(&candidate) && !taken(candidate) {
                self.extra.push(ExtraEntry {
                    inode,
                    ifindex,
                    id: candidate,
                });
                self.next_extra = candidate.checked_add(1).unwrap_or(EXTRA_BASE);
                return Some(candidate);
            }
            candidate = candidate.checked_add(1).unwrap_or(EXTRA_BASE);
        }
        None
    }

    /// Forgets namespaces not in `live` once the table is large.
    fn prune(&mut self, live: &HashSet<u64>) {
        if self.slots.len() > PRUNE_ABOVE {
            self.slots.retain(|s| live.contains(&s.inode));
        }
        if self.extra.len() > PRUNE_ABOVE {
            self.extra.retain(|e| live.contains(&e.inode));
        }
    }
}

/// Why the id table could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum IdStoreError {
    #[error("{0}")]
    StateDir(String),
    #[error("cannot lock {path}: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Write(String),
}

/// Where the id table lives.
pub trait IdStore: Send {
    /// Applies `change` to the current table atomically (other pktmon processes may share
    /// it) and returns the table as kept.
    fn update(
        &mut self,
        change: &mut dyn FnMut(&mut IdTable),
    ) -> std::result::Result<IdTable, IdStoreError>;
}

/// The table in memory only (tests; several registries may share one).
#[derive(Clone, Default)]
pub struct MemoryIdStore(pub std::sync::Arc<std::sync::Mutex<IdTable>>);

impl IdStore for MemoryIdStore {
    fn update(
        &mut self,
        change: &mut dyn FnMut(&mut IdTable),
    ) -> std::result::Result<IdTable, IdStoreError> {
        let mut t = self
            .0
            .lock()
            .map_err(|_| IdStoreError::Write("table lock poisoned".into()))?;
        change(&mut t);
        Ok(t.clone())
    }
}

/// The table in the state directory, `TABLE_FILE`, owner-only, under a file lock.
pub struct FileIdStore {
    dir: Option<PathBuf>,
}

impl FileIdStore {
    /// In the state directory (`session::state::state_dir`).
    pub fn in_state_dir() -> FileIdStore {
        FileIdStore { dir: None }
    }

    /// In `dir` (tests).
    pub fn in_dir(dir: PathBuf) -> FileIdStore {
        FileIdStore { dir: Some(dir) }
    }
}

impl IdStore for FileIdStore {
    fn update(
        &mut self,
        change: &mut dyn FnMut(&mut IdTable),
    ) -> std::result::Result<IdTable, IdStoreError> {
        let dir = match &self.dir {
            Some(d) => d.clone(),
            None => crate::session::state::ensure_state_dir()
                .map_err(|e| IdStoreError::StateDir(e.to_string()))?,
        };
        let path = dir.join(TABLE_FILE);
        let lock_path = path.with_extension("lock");
        let lock = crate::session::state::private_file_keep(&lock_path).map_err(|source| {
            IdStoreError::Lock {
                path: lock_path.clone(),
                source,
            }
        })?;
        lock.lock().map_err(|source| IdStoreError::Lock {
            path: lock_path.clone(),
            source,
        })?;
        // A missing or damaged table starts afresh: ids of other namespaces may change
        // then, nothing worse.
        let old: IdTable = std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let mut table = old.clone();
        change(&mut table);
        if table != old {
            let json =
                serde_json::to_vec(&table).map_err(|e| IdStoreError::Write(e.to_string()))?;
            crate::session::state::write_private(&path, &json)
                .map_err(|e| IdStoreError::Write(e.to_string()))?;
        }
        Ok(table)
    }
}

/// Finds namespaces and reads their links; the system's, or injected data in tests.
pub trait NamespaceSource: Send {
    fn discover(&mut self) -> std::result::Result<Discovery, NetnsError>;
    /// Links of each namespace in `nss`, in order (id = ifindex, namespace not filled in);
    /// `known` are all namespaces found (for nsids).
    fn read_links(
        &mut self,
        nss: &[NamespaceDesc],
        known: &[NamespaceDesc],
    ) -> Vec<std::result::Result<NsLinks, NetnsError>>;
    /// Whether `ns` is still the namespace found under its inode (see
    /// `netns::is_current`).
    fn is_current(&self, ns: &NamespaceDesc) -> bool;
}

/// `/proc`, `/run/netns`, setns and rtnetlink.
pub struct SystemNamespaces;

impl NamespaceSource for SystemNamespaces {
    fn discover(&mut self) -> std::result::Result<Discovery, NetnsError> {
        netns::discover()
    }
    fn read_links(
        &mut self,
        nss: &[NamespaceDesc],
        known: &[NamespaceDesc],
    ) -> Vec<std::result::Result<NsLinks, NetnsError>> {
        netns::read_links(nss, known)
    }
    fn is_current(&self, ns: &NamespaceDesc) -> bool {
        netns::is_current(ns)
    }
}

/// How often `resolve` may go back to the system.
#[derive(Clone, Copy, Debug)]
pub struct RescanPolicy {
    /// Between looks for new namespaces.
    pub discovery_interval: Duration,
    /// Between re-reads of one namespace's links.
    pub links_interval: Duration,
}

impl Default for RescanPolicy {
    fn default() -> Self {
        RescanPolicy {
            discovery_interval: Duration::from_secs(1),
            links_interval: Duration::from_millis(250),
        }
    }
}

struct Entry {
    comp: Component,
    /// In the latest read of its namespace (or seen by a tracepoint since).
    live: bool,
}

struct NsState {
    desc: NamespaceDesc,
    /// Found by the latest discovery (a namespace only a tracepoint reported is not).
    present: bool,
    links: BTreeMap<u32, Entry>,
    /// (nsid here, inode): where its veths' peers are.
    nsids: Vec<(i32, u64)>,
    last_read: Option<Instant>,
    error: Option<String>,
}

impl NsState {
    fn info(&self) -> NetnsInfo {
        NetnsInfo {
            inode: self.desc.inode,
            name: self.desc.name.clone(),
            own: self.desc.own,
        }
    }
}

/// Components of every namespace, kept up to date on demand.
pub struct ComponentRegistry {
    source: Box<dyn NamespaceSource>,
    store: Box<dyn IdStore>,
    /// Set once the store failed: from then on ids are kept in memory only.
    store_failed: Option<String>,
    table: IdTable,
    policy: RescanPolicy,
    own: u64,
    namespaces: Vec<NsState>,
    last_discovery: Option<Instant>,
    not_entered: usize,
    /// What `resolve` returns when no id is left (see `unnumbered`).
    unnumbered: Component,
}

impl ComponentRegistry {
    /// The system's namespaces, ids kept in the state directory.
    pub fn open() -> Result<ComponentRegistry> {
        Self::with_parts(
            Box::new(SystemNamespaces),
            Box::new(FileIdStore::in_state_dir()),
            RescanPolicy::default(),
        )
    }

    /// Built from the given parts; reads every namespace once.
    pub fn with_parts(
        source: Box<dyn NamespaceSource>,
        store: Box<dyn IdStore>,
        policy: RescanPolicy,
    ) -> Result<ComponentRegistry> {
        let mut r = ComponentRegistry {
            source,
            store,
            store_failed: None,
            table: IdTable::default(),
            policy,
            own: 0,
            namespaces: Vec::new(),
            last_discovery: None,
            not_entered: 0,
            unnumbered: Component::new(u32::MAX, "", ComponentKind::Other("unknown".into())),
        };
        let d = r
            .source
            .discover()
            .map_err(|e| Error::failure(format!("cannot list network interfaces: {e}")))?;
        r.own = d
            .namespaces
            .iter()
            .find(|n| n.own)
            .map(|n| n.inode)
            .ok_or_else(|| Error::failure("cannot find pktmon's own network namespace"))?;
        r.merge_discovery(d);
        // Without the own namespace's links there is nothing to list: fail as before.
        if let Some(e) = r.namespaces.first().and_then(|n| n.error.clone()) {
            return Err(Error::failure(e));
        }
        Ok(r)
    }

    /// Inode of pktmon's own namespace.
    pub fn own_inode(&self) -> u64 {
        self.own
    }

    /// Looks for namespaces again and re-reads every one.
    pub fn refresh(&mut self) -> Result<()> {
        let d = self
            .source
            .discover()
            .map_err(|e| Error::failure(format!("cannot list network namespaces: {e}")))?;
        self.merge_discovery(d);
        let all: Vec<u64> = self
            .namespaces
            .iter()
            .filter(|n| n.present)
            .map(|n| n.desc.inode)
            .collect();
        self.read(&all);
        Ok(())
    }

    /// Takes a discovery's namespaces in (names may have changed) and reads the new ones.
    fn merge_discovery(&mut self, d: Discovery) {
        self.last_discovery = Some(Instant::now());
        self.not_entered = d.not_entered;
        let was_present: HashSet<u64> = self
            .namespaces
            .iter()
            .filter(|n| n.present)
            .map(|n| n.desc.inode)
            .collect();
        for n in &mut self.namespaces {
            n.present = false;
        }
        let mut new = Vec::new();
        let mut order = Vec::new();
        for desc in d.namespaces {
            order.push(desc.inode);
            match self
                .namespaces
                .iter_mut()
                .find(|n| n.desc.inode == desc.inode)
            {
                Some(n) => {
                    // known so far only from a tracepoint: read it now
                    if !was_present.contains(&desc.inode) {
                        new.push(desc.inode);
                    }
                    n.present = true;
                    if n.desc.name != desc.name {
                        let info = NetnsInfo {
                            inode: desc.inode,
                            name: desc.name.clone(),
                            own: desc.own,
                        };
                        for e in n.links.values_mut() {
                            e.comp.netns = Some(info.clone());
                        }
                    }
                    n.desc = desc;
                }
                None => {
                    new.push(desc.inode);
                    self.namespaces.push(NsState {
                        desc,
                        present: true,
                        links: BTreeMap::new(),
                        nsids: Vec::new(),
                        last_read: None,
                        error: None,
                    });
                }
            }
        }
        // Discovery order (own first); namespaces only tracepoints reported go last.
        self.namespaces.sort_by_key(|n| {
            order
                .iter()
                .position(|i| *i == n.desc.inode)
                .unwrap_or(usize::MAX)
        });
        let live: HashSet<u64> = self.namespaces.iter().map(|n| n.desc.inode).collect();
        let slots_needed: Vec<u64> = new
            .iter()
            .copied()
            .filter(|i| *i != self.own && self.table.slot(*i).is_none())
            .collect();
        // Only touch the state directory when there is something to allocate (an
        // unprivileged `list` sees just its own namespace and writes nothing).
        if !slots_needed.is_empty() {
            self.update_table(&mut |t| {
                for &i in &slots_needed {
                    t.allocate_slot(i);
                }
                t.prune(&live);
            });
        }
        self.read(&new);
    }

    /// Applies a change to the id table, through the store while it works.
    fn update_table(&mut self, change: &mut dyn FnMut(&mut IdTable)) {
        if self.store_failed.is_none() {
            match self.store.update(change) {
                Ok(t) => {
                    self.table = t;
                    return;
                }
                Err(e) => self.store_failed = Some(e.to_string()),
            }
        }
        change(&mut self.table);
    }

    /// Re-reads the links of these namespaces and numbers them.
    fn read(&mut self, inodes: &[u64]) {
        let descs: Vec<NamespaceDesc> = inodes
            .iter()
            .filter_map(|i| self.ns(*i).map(|n| n.desc.clone()))
            .collect();
        if descs.is_empty() {
            return;
        }
        let known: Vec<NamespaceDesc> = self
            .namespaces
            .iter()
            .filter(|n| n.present)
            .map(|n| n.desc.clone())
            .collect();
        let results = self.source.read_links(&descs, &known);
        let now = Instant::now();
        let mut own_read = false;
        for (desc, result) in descs.iter().zip(results) {
            let Some(idx) = self.ns_index(desc.inode) else {
                continue;
            };
            let n = &mut self.namespaces[idx];
            n.last_read = Some(now);
            match result {
                Ok(NsLinks { components, nsids }) => {
                    n.error = None;
                    n.nsids = nsids;
                    for e in n.links.values_mut() {
                        e.live = false;
                    }
                    let info = n.info();
                    for mut c in components {
                        c.ifindex = c.index();
                        c.netns = Some(info.clone());
                        // the id is set by `number` below
                        n.links.insert(
                            c.ifindex,
                            Entry {
                                comp: c,
                                live: true,
                            },
                        );
                    }
                    own_read |= desc.own;
                }
                // Gone between finding and reading it (a process exited): not an error.
                Err(NetnsError::Gone { .. }) if !desc.own => n.present = false,
                Err(e) => n.error = Some(e.to_string()),
            }
        }
        if own_read {
            // new own ifindexes may take ids other namespaces had
            let all: Vec<u64> = self.namespaces.iter().map(|n| n.desc.inode).collect();
            self.number(&all);
        } else {
            self.number(inodes);
        }
    }

    /// Ifindexes of pktmon's own namespace (their ids are theirs).
    fn own_ids(&self) -> HashSet<u32> {
        self.ns(self.own)
            .map(|n| n.links.keys().copied().collect())
            .unwrap_or_default()
    }

    /// The id of (inode, ifindex) from the table, if it has one that is free.
    fn id_from_table(&self, inode: u64, ifindex: u32, own: &HashSet<u32>) -> Option<u32> {
        if inode == self.own {
            return Some(ifindex);
        }
        let id = self
            .table
            .extra(inode, ifindex)
            .or_else(|| self.table.slot(inode).and_then(|s| derived_id(s, ifindex)))?;
        (!own.contains(&id)).then_some(id)
    }

    /// Gives every link of these namespaces its id, allocating slots and extra ids.
    fn number(&mut self, inodes: &[u64]) {
        let own = self.own_ids();
        let mut missing_slots = Vec::new();
        let mut missing_extra = Vec::new();
        for &inode in inodes {
            let Some(n) = self.ns(inode) else { continue };
            if inode != self.own && self.table.slot(inode).is_none() {
                missing_slots.push(inode);
            }
            for &ifindex in n.links.keys() {
                if self.id_from_table(inode, ifindex, &own).is_none()
                    && (self.table.slot(inode).is_some() || inode == self.own)
                {
                    missing_extra.push((inode, ifindex));
                }
            }
        }
        if !missing_slots.is_empty() {
            self.update_table(&mut |t| {
                for &i in &missing_slots {
                    t.allocate_slot(i);
                }
            });
            // with the slots known, find what still needs an extra id
            for &inode in &missing_slots {
                if let Some(n) = self.ns(inode) {
                    for &ifindex in n.links.keys() {
                        if self.id_from_table(inode, ifindex, &own).is_none() {
                            missing_extra.push((inode, ifindex));
                        }
                    }
                }
            }
        }
        if !missing_extra.is_empty() {
            let own_set = own.clone();
            let own_ns = self.own;
            self.update_table(&mut |t| {
                for &(inode, ifindex) in &missing_extra {
                    // another process may have numbered it meanwhile
                    let usable = t
                        .extra(inode, ifindex)
                        .or_else(|| t.slot(inode).and_then(|s| derived_id(s, ifindex)))
                        .is_some_and(|id| !own_set.contains(&id));
                    if inode != own_ns && !usable {
                        t.allocate_extra(inode, ifindex, &|id| own_set.contains(&id));
                    }
                }
            });
        }
        for &inode in inodes {
            let ids: Vec<(u32, Option<u32>)> = match self.ns(inode) {
                Some(n) => n
                    .links
                    .keys()
                    .map(|&ifindex| (ifindex, self.id_from_table(inode, ifindex, &own)))
                    .collect(),
                None => continue,
            };
            let Some(idx) = self.ns_index(inode) else {
                continue;
            };
            let n = &mut self.namespaces[idx];
            for (ifindex, id) in ids {
                match id {
                    Some(id) => {
                        if let Some(e) = n.links.get_mut(&ifindex) {
                            e.comp.id = id;
                        }
                    }
                    // No id left (every slot and extra id taken): leave it out rather
                    // than give it one that is in use.
                    None => {
                        n.links.remove(&ifindex);
                    }
                }
            }
        }
    }

    fn ns_index(&self, inode: u64) -> Option<usize> {
        self.namespaces.iter().position(|n| n.desc.inode == inode)
    }

    fn ns(&self, inode: u64) -> Option<&NsState> {
        self.namespaces.iter().find(|n| n.desc.inode == inode)
    }

    fn due(last: Option<Instant>, interval: Duration, now: Instant) -> bool {
        last.is_none_or(|t| now.saturating_duration_since(t) >= interval)
    }

    /// The component known for (namespace, ifindex), without reading anything (for
    /// sources that do not know the interface's name, such as drop records).
    pub fn known(&self, netns_inode: u64, ifindex: u32) -> Option<&Component> {
        self.ns(netns_inode)
            .and_then(|n| n.links.get(&ifindex))
            .map(|e| &e.comp)
    }

    /// The component a tracepoint sighting belongs to: from the cache when it matches; else
    /// after re-reading the namespace's links (or looking for new namespaces), each at most
    /// once per `RescanPolicy` interval; else (rate-limited, or the interface is already
    /// gone) a component made from the sighting itself, with the id the scheme gives it and
    /// kind `unknown`, replaced by the real one at the next re-read.
    pub fn resolve(&mut self, netns_inode: u64, ifindex: u32, ifname: &str) -> &Component {
        // The capture loop's common case: a cache hit, no allocation.
        let hit = self.ns_index(netns_inode).filter(|&i| {
            self.namespaces[i]
                .links
                .get(&ifindex)
                .is_some_and(|e| e.live && e.comp.name == ifname)
        });
        if let Some(i) = hit {
            return &self.namespaces[i].links[&ifindex].comp;
        }
        let now = Instant::now();
        let matches = |r: &Self| {
            r.ns(netns_inode)
                .and_then(|n| n.links.get(&ifindex))
                .is_some_and(|e| e.comp.name == ifname)
        };
        if !matches(self) {
            // A namespace never seen is looked for at once, rate limit or not: it happens
            // once per namespace (afterwards it is known, found or not), and its first
            // packets should carry its real name (a container that just started).
            // So is one whose inode now belongs to another namespace (the one known
            // under it is gone): measured under parallel tests, a new container's
            // interfaces named after a deleted namespace.
            // It is forgotten, links and all, and looked for as a new one.
            if self
                .ns(netns_inode)
                .is_some_and(|n| !n.desc.own && !self.source.is_current(&n.desc))
            {
                self.namespaces.retain(|n| n.desc.inode != netns_inode);
            }
            if self.ns(netns_inode).is_none()
                && let Ok(d) = self.source.discover()
            {
                self.merge_discovery(d);
            }
            let stale = self
                .ns(netns_inode)
                .is_some_and(|n| Self::due(n.last_read, self.policy.links_interval, now));
            if !matches(self) && stale {
                self.read(&[netns_inode]);
            }
        }
        if self.ns(netns_inode).is_none() {
            // Seen by a tracepoint but not found (gone already, or held only by a file
            // descriptor): numbered like the others, named by its inode.
            self.namespaces.push(NsState {
                desc: NamespaceDesc {
                    inode: netns_inode,
                    name: format!("netns {netns_inode}"),
                    own: false,
                    origin: NetnsOrigin::Unnamed,
                    paths: Vec::new(),
                },
                present: false,
                links: BTreeMap::new(),
                nsids: Vec::new(),
                last_read: Some(now),
                error: None,
            });
        }
        let idx = self.ns_index(netns_inode).unwrap_or_default();
        let info = self.namespaces[idx].info();
        let entry_ok = match self.namespaces[idx].links.get_mut(&ifindex) {
            Some(e) => {
                // The tracepoint read the name at event time: newer than our last read.
                if e.comp.name != ifname {
                    e.comp.name = ifname.to_string();
                }
                e.live = true;
                true
            }
            None => false,
        };
        if !entry_ok {
            let mut c = Component::new(0, ifname, ComponentKind::Other("unknown".into()));
            c.ifindex = ifindex;
            c.netns = Some(info);
            self.namespaces[idx].links.insert(
                ifindex,
                Entry {
                    comp: c,
                    live: true,
                },
            );
            if netns_inode == self.own {
                let all: Vec<u64> = self.namespaces.iter().map(|n| n.desc.inode).collect();
                self.number(&all);
            } else {
                self.number(&[netns_inode]);
            }
        }
        if self.namespaces[idx].links.contains_key(&ifindex) {
            &self.namespaces[idx].links[&ifindex].comp
        } else {
            self.unnumbered(ifindex, ifname)
        }
    }

    /// Only when every id is taken: a component outside the id space, never stored.
    fn unnumbered(&mut self, ifindex: u32, ifname: &str) -> &Component {
        let mut c = Component::new(u32::MAX, ifname, ComponentKind::Other("unknown".into()));
        c.ifindex = ifindex;
        self.unnumbered = c;
        &self.unnumbered
    }

    /// Every live component of the namespaces found, own namespace first, with bridge
    /// members and veth peers across namespaces filled in.
    pub fn snapshot(&self) -> ComponentSet {
        let mut components = Vec::new();
        let mut namespaces = Vec::new();
        let mut notes = Vec::new();
        for n in self.namespaces.iter().filter(|n| n.present) {
            if let Some(e) = &n.error {
                notes.push(SetNote::NamespaceUnreadable {
                    name: n.desc.name.clone(),
                    reason: e.clone(),
                });
                if n.links.is_empty() {
                    continue;
                }
            }
            namespaces.push(n.info());
            let mut comps: Vec<Component> = n
                .links
                .values()
                .filter(|e| e.live)
                .map(|e| e.comp.clone())
                .collect();
            comps.sort_by_key(|c| c.id);
            components.extend(comps);
        }
        fill_members(&mut components);
        let nsids: Vec<(u64, i32, u64)> = self
            .namespaces
            .iter()
            .flat_map(|n| n.nsids.iter().map(|&(id, to)| (n.desc.inode, id, to)))
            .collect();
        find_peers(&mut components, &nsids);
        if self.not_entered > 0 {
            notes.push(SetNote::OtherNamespacesNeedPrivilege {
                count: self.not_entered,
            });
        }
        if let Some(reason) = &self.store_failed {
            notes.push(SetNote::IdsNotPersisted {
                reason: reason.clone(),
            });
        }
        ComponentSet {
            components,
            namespaces,
            notes,
        }
    }
}

/// veth peers across namespaces. Where the namespace told which namespace its nsid
/// stands for (`nsids`: (namespace, nsid, inode)), that decides; else each end's link must
/// be the other's ifindex and only an unambiguous match is taken.
fn find_peers(comps: &mut [Component], nsids: &[(u64, i32, u64)]) {
    struct End {
        at: usize,
        ns: Option<u64>,
        ifindex: u32,
        link: u32,
        nsid: Option<i32>,
    }
    let ends: Vec<End> = comps
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ComponentKind::Veth && c.link_netnsid.is_some())
        .filter_map(|(at, c)| {
            Some(End {
                at,
                ns: c.netns_inode(),
                ifindex: c.index(),
                link: c.link?,
                nsid: c.link_netnsid,
            })
        })
        .collect();
    for e in &ends {
        let target = nsids
            .iter()
            .find(|&&(from, id, _)| Some(from) == e.ns && Some(id) == e.nsid)
            .map(|&(_, _, to)| to);
        let candidates: Vec<usize> = ends
            .iter()
            .filter(|o| {
                o.at != e.at
                    && o.ns != e.ns
                    && o.ifindex == e.link
                    && match target {
                        Some(t) => o.ns == Some(t),
                        None => o.link == e.ifindex,
                    }
            })
            .map(|o| o.at)
            .collect();
        if let [j] = candidates[..] {
            comps[e.at].peer = Some(comps[j].id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    #[derive(Default)]
    struct World {
        namespaces: Vec<NamespaceDesc>,
        links: HashMap<u64, Vec<Component>>,
        nsids: HashMap<u64, Vec<(i32, u64)>>,
        discoveries: usize,
        reads: usize,
    }

    #[derive(Clone, Default)]
    struct Fake(Arc<Mutex<World>>);

    impl Fake {
        fn add_ns(&self, inode: u64, name: &str, own: bool) {
            let mut w = self.0.lock().unwrap();
            w.namespaces.push(NamespaceDesc {
                inode,
                name: name.into(),
                own,
                origin: if own {
                    NetnsOrigin::Init
                } else {
                    NetnsOrigin::Named
                },
                paths: vec![],
            });
            w.links.entry(inode).or_default();
        }
        fn add_link(&self, inode: u64, ifindex: u32, name: &str, kind: ComponentKind) {
            let mut c = Component::new(ifindex, name, kind);
            c.ifindex = ifindex;
            self.0
                .lock()
                .unwrap()
                .links
                .entry(inode)
                .or_default()
                .push(c);
        }
        fn rename(&self, inode: u64, ifindex: u32, name: &str) {
            let mut w = self.0.lock().unwrap();
            for c in w.links.get_mut(&inode).unwrap() {
                if c.ifindex == ifindex {
                    c.name = name.into();
                }
            }
        }
        fn remove_ns(&self, inode: u64) {
            let mut w = self.0.lock().unwrap();
            w.namespaces.retain(|n| n.inode != inode);
            w.links.remove(&inode);
        }
        fn counts(&self) -> (usize, usize) {
            let w = self.0.lock().unwrap();
            (w.discoveries, w.reads)
        }
    }

    impl NamespaceSource for Fake {
        fn discover(&mut self) -> std::result::Result<Discovery, NetnsError> {
            let mut w = self.0.lock().unwrap();
            w.discoveries += 1;
            Ok(Discovery {
                namespaces: w.namespaces.clone(),
                not_entered: 0,
            })
        }
        fn read_links(
            &mut self,
            nss: &[NamespaceDesc],
            _known: &[NamespaceDesc],
        ) -> Vec<std::result::Result<NsLinks, NetnsError>> {
            let mut w = self.0.lock().unwrap();
            w.reads += 1;
            nss.iter()
                .map(|n| {
                    let components = w.links.get(&n.inode).cloned().ok_or(NetnsError::Gone {
                        name: n.name.clone(),
                    })?;
                    let nsids = w.nsids.get(&n.inode).cloned().unwrap_or_default();
                    Ok(NsLinks { components, nsids })
                })
                .collect()
        }
        fn is_current(&self, ns: &NamespaceDesc) -> bool {
            // A name stands for the paths: the same inode under another name is another
            // namespace.
            let w = self.0.lock().unwrap();
            w.namespaces
                .iter()
                .any(|n| n.inode == ns.inode && n.name == ns.name)
        }
    }

    fn world() -> Fake {
        let f = Fake::default();
        f.add_ns(100, "host", true);
        f.add_link(100, 1, "lo", ComponentKind::Loopback);
        f.add_link(100, 2, "eth0", ComponentKind::Ethernet);
        f.add_ns(200, "red", false);
        f.add_link(200, 1, "lo", ComponentKind::Loopback);
        f.add_link(200, 7, "v-red", ComponentKind::Veth);
        f.add_ns(300, "blue", false);
        f.add_link(300, 1, "lo", ComponentKind::Loopback);
        f.add_link(300, 12345, "big", ComponentKind::Dummy);
        f
    }

    fn registry(f: &Fake, store: &MemoryIdStore, policy: RescanPolicy) -> ComponentRegistry {
        ComponentRegistry::with_parts(Box::new(f.clone()), Box::new(store.clone()), policy).unwrap()
    }

    const EAGER: RescanPolicy = RescanPolicy {
        discovery_interval: Duration::ZERO,
        links_interval: Duration::ZERO,
    };
    const LAZY: RescanPolicy = RescanPolicy {
        discovery_interval: Duration::from_secs(3600),
        links_interval: Duration::from_secs(3600),
    };

    fn ids(set: &ComponentSet) -> Vec<(String, u32)> {
        set.components
            .iter()
            .map(|c| (c.display_name(), c.id))
            .collect()
    }

    #[test]
    fn own_ids_are_ifindexes_others_come_from_persisted_slots() {
        let f = world();
        let store = MemoryIdStore::default();
        let set = registry(&f, &store, EAGER).snapshot();
        assert_eq!(
            ids(&set),
            vec![
                ("lo".to_string(), 1),
                ("eth0".to_string(), 2),
                ("lo@red".to_string(), 10001),
                ("v-red@red".to_string(), 10007),
                ("lo@blue".to_string(), 20001),
                ("big@blue".to_string(), EXTRA_BASE),
            ]
        );
        let names: Vec<&str> = set.namespaces.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, vec!["host", "red", "blue"]);
        // Another process, namespaces found in another order: the same ids.
        f.0.lock().unwrap().namespaces.swap(1, 2);
        let again = registry(&f, &store, EAGER).snapshot();
        let mut a = ids(&set);
        let mut b = ids(&again);
        a.sort();
        b.sort();
        assert_eq!(a, b);
        // A new namespace gets the next slot.
        f.add_ns(400, "green", false);
        f.add_link(400, 3, "g", ComponentKind::Veth);
        let third = registry(&f, &store, EAGER).snapshot();
        assert!(ids(&third).contains(&("g@green".to_string(), 30003)));
    }

    #[test]
    fn a_session_may_keep_the_registry_on_another_thread() {
        fn send<T: Send>() {}
        send::<ComponentRegistry>();
    }

    #[test]
    fn id_scheme_limits() {
        assert_eq!(derived_id(1, 1), Some(10001));
        assert_eq!(derived_id(1, 9999), Some(19999));
        assert_eq!(derived_id(1, 10000), None);
        assert_eq!(derived_id(1, 0), None);
        assert_eq!(derived_id(0, 5), None);
        assert_eq!(derived_id(MAX_SLOT, 9999), Some(EXTRA_BASE - 1));
        assert_eq!(derived_id(MAX_SLOT + 1, 1), None);
        let mut t = IdTable::default();
        assert_eq!(t.allocate_slot(5), Some(1));
        assert_eq!(t.allocate_slot(6), Some(2));
        assert_eq!(t.allocate_slot(5), Some(1));
        t.next_slot = MAX_SLOT + 1;
        assert_eq!(
            t.allocate_slot(7),
            Some(3),
            "after the last slot: lowest free"
        );
        let taken = |id: u32| id == EXTRA_BASE;
        assert_eq!(t.allocate_extra(5, 10000, &taken), Some(EXTRA_BASE + 1));
        assert_eq!(t.allocate_extra(5, 10001, &taken), Some(EXTRA_BASE + 2));
        t.next_extra = u32::MAX;
        assert_eq!(t.allocate_extra(6, 10000, &taken), Some(u32::MAX));
        assert_eq!(
            t.allocate_extra(6, 10001, &taken),
            Some(EXTRA_BASE + 3),
            "wraps, skipping used and taken ids"
        );
    }

    #[test]
    fn own_ifindex_wins_over_a_derived_id() {
        let f = world();
        // The own namespace has an ifindex equal to red's derived id for ifindex 7.
        f.add_link(100, 10007, "busy", ComponentKind::Veth);
        let store = MemoryIdStore::default();
        let r = registry(&f, &store, EAGER);
        let set = r.snapshot();
        let id_of = |n: &str| {
            set.components
                .iter()
                .find(|c| c.display_name() == n)
                .unwrap()
                .id
        };
        assert_eq!(id_of("busy"), 10007);
        assert!(id_of("v-red@red") >= EXTRA_BASE);
        let mut all: Vec<u32> = set.components.iter().map(|c| c.id).collect();
        all.sort();
        all.dedup();
        assert_eq!(
            all.len(),
            set.components.len(),
            "no two components share an id"
        );
    }

    #[test]
    fn later_interfaces_renames_and_namespaces_are_resolved() {
        let f = world();
        let store = MemoryIdStore::default();
        let mut r = registry(&f, &store, EAGER);
        // created after the registry was built
        f.add_link(200, 9, "late", ComponentKind::Veth);
        let c = r.resolve(200, 9, "late");
        assert_eq!((c.id, c.kind.clone()), (10009, ComponentKind::Veth));
        assert_eq!(c.display_name(), "late@red");
        // renamed
        f.rename(200, 7, "renamed");
        let c = r.resolve(200, 7, "renamed");
        assert_eq!((c.id, c.name.as_str()), (10007, "renamed"));
        // a namespace that appeared later
        f.add_ns(500, "late-ns", false);
        f.add_link(500, 4, "x", ComponentKind::Veth);
        let c = r.resolve(500, 4, "x");
        assert_eq!(c.display_name(), "x@late-ns");
        assert_eq!(c.id, 30004);
        // an own interface
        f.add_link(100, 3, "eth1", ComponentKind::Ethernet);
        assert_eq!(r.resolve(100, 3, "eth1").id, 3);
        let set = r.snapshot();
        assert!(ids(&set).contains(&("late@red".into(), 10009)));
        assert!(ids(&set).contains(&("renamed@red".into(), 10007)));
    }

    #[test]
    fn a_namespace_in_a_reused_inode_gets_its_own_name() {
        let f = world();
        let store = MemoryIdStore::default();
        // Rate limits do not delay it: it happens once per namespace.
        let mut r = registry(&f, &store, LAZY);
        assert_eq!(r.resolve(200, 7, "v-red").display_name(), "v-red@red");
        // "red" deleted; a process's new namespace gets its inode.
        f.remove_ns(200);
        f.0.lock().unwrap().namespaces.push(NamespaceDesc {
            inode: 200,
            name: "pid 42 (sleep)".into(),
            own: false,
            origin: NetnsOrigin::Process { pid: 42 },
            paths: vec![],
        });
        f.add_link(200, 5, "c1", ComponentKind::Veth);
        let c = r.resolve(200, 5, "c1");
        assert_eq!(c.display_name(), "c1@pid 42 (sleep)");
        assert_eq!(c.kind, ComponentKind::Veth, "read as a new namespace");
        assert!(
            !ids(&r.snapshot())
                .iter()
                .any(|(n, _)| n.starts_with("v-red"))
        );
        // Gone, and its inode taken by a namespace that cannot be found: named by inode.
        f.remove_ns(300);
        assert_eq!(r.resolve(300, 4, "x").display_name(), "x@netns 300");
    }

    #[test]
    fn rescans_are_rate_limited_and_the_sighting_fills_in() {
        let f = world();
        let store = MemoryIdStore::default();
        let mut r = registry(&f, &store, LAZY);
        let before = f.counts();
        // cache hits cost nothing
        for _ in 0..100 {
            assert_eq!(r.resolve(200, 7, "v-red").id, 10007);
        }
        assert_eq!(f.counts(), before);
        // unknown interface within the interval: no re-read, made from the sighting
        f.add_link(200, 8, "new", ComponentKind::Veth);
        let c = r.resolve(200, 8, "new");
        assert_eq!(c.id, 10008);
        assert_eq!(c.kind, ComponentKind::Other("unknown".into()));
        assert_eq!(f.counts(), before);
        // a rename within the interval: the sighting's name is taken
        assert_eq!(r.resolve(200, 7, "v-red2").name, "v-red2");
        // an unknown namespace: looked for at once (once), and when not found numbered
        // and named by its inode
        let c = r.resolve(999, 2, "eth0");
        assert_eq!(c.display_name(), "eth0@netns 999");
        let id = c.id;
        assert!((30002..40000).contains(&id), "{id}");
        let looked = f.counts();
        assert_ne!(looked, before);
        assert_eq!(r.resolve(999, 2, "eth0").id, id);
        assert_eq!(f.counts(), looked, "known now: no second search");
        // found later by a discovery: read, named, same id
        f.add_ns(999, "found", false);
        f.add_link(999, 2, "eth0", ComponentKind::Veth);
        r.refresh().unwrap();
        let c = r.resolve(999, 2, "eth0");
        assert_eq!((c.id, c.kind.clone()), (id, ComponentKind::Veth));
        assert_eq!(c.display_name(), "eth0@found");
        // the next allowed read replaces the stand-in
        r.policy = EAGER;
        r.refresh().unwrap();
        let c = r.resolve(200, 8, "new");
        assert_eq!(c.kind, ComponentKind::Veth);
        assert_eq!(c.id, 10008);
    }

    #[test]
    fn veth_peers_are_found_across_namespaces() {
        let f = world();
        let mut a = Component::new(5, "va", ComponentKind::Veth);
        a.link = Some(7);
        a.link_netnsid = Some(0);
        f.0.lock().unwrap().links.get_mut(&100).unwrap().push(a);
        {
            let mut w = f.0.lock().unwrap();
            let v = w
                .links
                .get_mut(&200)
                .unwrap()
                .iter_mut()
                .find(|c| c.ifindex == 7)
                .unwrap();
            v.link = Some(5);
            v.link_netnsid = Some(1);
        }
        let set = registry(&f, &MemoryIdStore::default(), EAGER).snapshot();
        let va = set.components.iter().find(|c| c.name == "va").unwrap();
        assert_eq!(va.peer, Some(10007));
        assert_eq!(va.describe(&set.components), "veth, peer v-red@red (10007)");
    }

    #[test]
    fn nsids_decide_between_look_alike_veth_pairs() {
        // host's va (ifindex 5) points at ifindex 7 elsewhere; red's and green's veth 7
        // both point back at ifindex 5: only the nsid tells which is the peer.
        let f = world();
        let veth = |id: u32, name: &str, link: u32, nsid: i32| {
            let mut c = Component::new(id, name, ComponentKind::Veth);
            c.link = Some(link);
            c.link_netnsid = Some(nsid);
            c
        };
        f.add_ns(600, "green", false);
        {
            let mut w = f.0.lock().unwrap();
            w.links.get_mut(&100).unwrap().push(veth(5, "va", 7, 0));
            w.links.get_mut(&200).unwrap().retain(|c| c.ifindex != 7);
            w.links.get_mut(&200).unwrap().push(veth(7, "v-red", 5, 0));
            w.links
                .get_mut(&600)
                .unwrap()
                .push(veth(7, "v-green", 5, 3));
        }
        let set = registry(&f, &MemoryIdStore::default(), EAGER).snapshot();
        let va = set.components.iter().find(|c| c.name == "va").unwrap();
        assert_eq!(va.peer, None, "ambiguous without nsids");
        f.0.lock()
            .unwrap()
            .nsids
            .insert(100, vec![(0, 600), (1, 200)]);
        let set = registry(&f, &MemoryIdStore::default(), EAGER).snapshot();
        let va = set.components.iter().find(|c| c.name == "va").unwrap();
        let green = set.components.iter().find(|c| c.name == "v-green").unwrap();
        assert_eq!(va.peer, Some(green.id));
    }

    struct Broken;
    impl IdStore for Broken {
        fn update(
            &mut self,
            _: &mut dyn FnMut(&mut IdTable),
        ) -> std::result::Result<IdTable, IdStoreError> {
            Err(IdStoreError::StateDir("read-only".into()))
        }
    }

    #[test]
    fn without_a_store_ids_are_unique_in_memory_and_the_set_says_so() {
        let f = world();
        let r = ComponentRegistry::with_parts(Box::new(f), Box::new(Broken), EAGER).unwrap();
        let set = r.snapshot();
        assert!(ids(&set).contains(&("v-red@red".into(), 10007)));
        assert!(matches!(set.notes[..], [SetNote::IdsNotPersisted { .. }]));
    }

    #[test]
    fn the_file_store_keeps_the_table_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut s = FileIdStore::in_dir(dir.path().to_path_buf());
        let t = s
            .update(&mut |t| {
                t.allocate_slot(42);
            })
            .unwrap();
        assert_eq!(t.slot(42), Some(1));
        let t = FileIdStore::in_dir(dir.path().to_path_buf())
            .update(&mut |t| {
                t.allocate_slot(43);
            })
            .unwrap();
        assert_eq!((t.slot(42), t.slot(43)), (Some(1), Some(2)));
        let mode = std::fs::metadata(dir.path().join(TABLE_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
