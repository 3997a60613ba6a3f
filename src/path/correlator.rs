//! One packet, one group: gives every sighting of a packet at a component the packet's
//! PktGroupId and its Appearance (1, 2, ... in the order seen), and a drop the group of the
//! packet it ends.
//!
//! Identity comes from the source. A kernel tracepoint source hands over the packet's
//! buffer address (`skb->head`), shared by every clone and kept through veth, bridges,
//! routing and NAT; buffers are reused within ~100 ms, so the key is (buffer, fingerprint)
//! (`docs/spec/packet-path.md`). Without it (libpcap), sightings are linked by fingerprint alone
//! within a short window, and such groups are marked inferred. A packet forwarded while
//! its buffer is shared (a TCP segment the sender keeps) gets a new buffer on the way out;
//! its transmit is linked to its receive by fingerprint within 10 ms (also marked
//! inferred). Either way a group never
//! takes two sightings at the same component in the same direction: that is the next
//! packet reusing the buffer (or looking alike), which starts a group of its own.
//!
//! One exception to "another buffer, another packet": decapsulation. A tunnel packet
//! that is a GSO super-packet gets a new buffer when the tunnel device takes its headers
//! off (measured with VXLAN over veth: every such TCP segment, byte-equal inner headers,
//! new `skb->head` at the tunnel device's Rx). So a sighting of a plain packet in a new
//! buffer joins the group of a tunnel packet carrying the same packet seen just before,
//! marked inferred; later sightings in the new buffer follow it by identity.

use super::fingerprint::fingerprint_tunneled;
use crate::record::{Direction, LinkType, PacketRecord};
use arrayvec::ArrayVec;
use rustc_hash::FxHashMap as HashMap;

/// What a source knows about a record's identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// The kernel buffer address of the packet (tracepoint sources).
    Buffer(u64),
    /// Nothing but the bytes: link by content.
    Content,
    /// The source assigned group and appearance itself (PktMon driver, files).
    Assigned,
}

/// How long a group stays open after its last sighting. A queue may hold a packet for a
/// while (a `tbf` qdisc 100 ms and more), so buffer-keyed groups wait long — but every
/// open group costs memory and cache at flood rates (at 2 s, 20% of the session's CPU
/// went to expiring ~400k groups): half a second covers a few hundred ms of queueing.
/// Content-keyed groups live only as long as a packet takes across one host, plus a
/// capture's block latency.
const BUFFER_WINDOW_NS: u64 = 500_000_000;
const CONTENT_WINDOW_NS: u64 = 200_000_000;
/// How long after a tunnel packet's sighting its decapsulated packet may turn up in a
/// new buffer (measured: ~20 us; a busy host may defer it to ksoftirqd).
const DECAP_WINDOW_NS: u64 = 10_000_000;
/// Sightings one group remembers to refuse a second one at the same place.
const MAX_PLACES: usize = 16;
/// How soon after a packet was received a transmit of the same fingerprint in another
/// buffer continues its group (see `Correlator::reheaded`). Forwarding takes microseconds,
/// but a loaded host may defer it to ksoftirqd for milliseconds (a 1 ms window split a
/// few segments of 3,000 in two groups under a parallel test run).
const REHEAD_WINDOW_NS: u64 = 10_000_000;
/// How often (capture time) open groups are checked for expiry.
const SWEEP_EVERY_NS: u64 = 50_000_000;
/// Entries of the table of groups whose buffer another packet took (see `Retired`).
const RETIRED_SLOTS: usize = 1 << 16;
/// Slots of the table of recent receives (by fingerprint; a newer one takes the slot).
const REHEAD_SLOTS: usize = 1 << 14;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    buffer: u64,
    fingerprint: u32,
    content: bool,
}

impl Key {
    /// Where the group of a packet with this key lives.
    fn slot(&self) -> Slot {
        if self.content {
            Slot::Content(self.fingerprint)
        } else {
            Slot::Buffer(self.buffer)
        }
    }
}

/// Where a group lives: a kernel buffer holds one packet at a time, so a buffer has at
/// most one open group, and the next packet in that buffer (another fingerprint) takes
/// its place. The table thus holds about as many groups as buffers in use (measured: a
/// few hundred under a veth flood, against ~200k groups per half second keyed by
/// (buffer, fingerprint)) and stays in cache. Without identity, the fingerprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Slot {
    Buffer(u64),
    Content(u32),
}

impl Slot {
    fn content(&self) -> bool {
        matches!(self, Slot::Content(_))
    }

    fn window(&self) -> u64 {
        if self.content() {
            CONTENT_WINDOW_NS
        } else {
            BUFFER_WINDOW_NS
        }
    }
}

#[derive(Debug)]
struct Group {
    id: u64,
    /// The packet's fingerprint: another one in the same buffer is another packet.
    fingerprint: u32,
    appearances: u32,
    last_component: u32,
    last_ts: u64,
    last_direction: Direction,
    /// Inline: a group per packet must not cost an allocation.
    places: ArrayVec<(u32, Direction), MAX_PLACES>,
    /// The filter decision taken at the first sighting (None = not reported).
    filter: Option<u32>,
    /// Other buffers the packet moved to (decapsulation, forwarding a shared buffer),
    /// keys of this group too.
    aliases: Vec<Key>,
}

impl Group {
    /// The group of a packet first seen at `place` at `ts`.
    fn opened(
        id: u64,
        fingerprint: u32,
        place: (u32, Direction),
        ts: u64,
        filter: Option<u32>,
    ) -> Group {
        let mut places = ArrayVec::new();
        places.push(place);
        Group {
            id,
            fingerprint,
            appearances: 1,
            last_component: place.0,
            last_ts: ts,
            last_direction: place.1,
            places,
            filter,
            aliases: Vec::new(),
        }
    }

    /// Whether a sighting of `key` at `place` at `ts` continues this group.
    fn continued_by(&self, key: &Key, slot: Slot, ts: u64, place: (u32, Direction)) -> bool {
        self.fingerprint == key.fingerprint
            && ts.saturating_sub(self.last_ts) <= slot.window()
            && !self.places.contains(&place)
    }
}

/// A group whose buffer the next packet took, kept for a drop that comes after that
/// (drop records wait for the sightings of their packet, and a dropped packet's buffer
/// is free at once): in a table indexed by a hash of (buffer, fingerprint), a newer
/// group taking an older one's entry. Such a drop that finds its entry taken starts a
/// group of its own.
#[derive(Clone, Copy, Debug, Default)]
struct Retired {
    /// 0: empty.
    id: u64,
    buffer: u64,
    fingerprint: u32,
    appearances: u32,
    last_component: u32,
    last_ts: u64,
    filter: Option<u32>,
}

impl Retired {
    fn index(buffer: u64, fingerprint: u32) -> usize {
        // Buffers are 64-byte aligned or more: their low bits say nothing.
        let h = (buffer >> 6) ^ (u64::from(fingerprint) << 17) ^ u64::from(fingerprint);
        (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize % RETIRED_SLOTS
    }
}

/// The retired groups, by (buffer, fingerprint). The table is larger than the caches and
/// a flood retires a group per packet: written at once, that entry's cache miss stalled
/// the sighting (11% of the session's CPU under a veth flood). So the newest entry is
/// written at the next call, its line fetched meanwhile.
#[derive(Debug)]
struct RetiredTable {
    slots: Vec<Retired>,
    pending: Option<(usize, Retired)>,
}

impl RetiredTable {
    fn new() -> RetiredTable {
        RetiredTable {
            slots: vec![Retired::default(); RETIRED_SLOTS],
            pending: None,
        }
    }

    /// Keeps a group that lost its buffer for a drop read later, under its buffer and
    /// every buffer it moved to (the drop names the buffer the packet died in).
    fn put(&mut self, buffer: u64, g: &Group) {
        self.flush();
        let entry = |buffer, fingerprint| Retired {
            id: g.id,
            buffer,
            fingerprint,
            appearances: g.appearances,
            last_component: g.last_component,
            last_ts: g.last_ts,
            filter: g.filter,
        };
        for a in g.aliases.iter().filter(|a| !a.content) {
            self.slots[Retired::index(a.buffer, a.fingerprint)] = entry(a.buffer, a.fingerprint);
        }
        let at = Retired::index(buffer, g.fingerprint);
        prefetch(&self.slots[at]);
        self.pending = Some((at, entry(buffer, g.fingerprint)));
    }

    /// Writes the pending entry.
    fn flush(&mut self) {
        if let Some((at, r)) = self.pending.take() {
            self.slots[at] = r;
        }
    }

    /// The entry where a group retired from `buffer` with `fingerprint` would be.
    fn entry(&mut self, buffer: u64, fingerprint: u32) -> &mut Retired {
        self.flush();
        &mut self.slots[Retired::index(buffer, fingerprint)]
    }
}

/// Asks the CPU to fetch the cache line of `x` (a table entry written or read soon).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it never faults, whatever the address.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (x as *const T).cast::<i8>(),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// Forgets the tunnel packet a group was last seen as (its decapsulated packet is no
/// longer looked for).
fn forget_tunnel(tunneled: &mut HashMap<u32, (Slot, u64, u64)>, g: &Group) {
    if !tunneled.is_empty()
        && tunneled
            .get(&g.fingerprint)
            .is_some_and(|(_, _, id)| *id == g.id)
    {
        tunneled.remove(&g.fingerprint);
    }
}

/// Where one sighting falls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub group_id: u64,
    pub appearance: u32,
    /// This sighting was linked to its group by content, not by kernel identity (never
    /// set on a group's first sighting: alone, it links nothing).
    pub inferred: bool,
    /// The group's filter decision (taken at its first sighting).
    pub filter: Option<u32>,
    /// The sighting before this one in the group: (component, timestamp).
    pub previous: Option<(u32, u64)>,
}

/// Where a drop falls: the group of the dropped packet and where it was last seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DropPlacement {
    pub placement: Placement,
    /// Component of the packet's last sighting (None: never seen before it was dropped).
    pub last_component: Option<u32>,
}

#[derive(Debug)]
pub struct Correlator {
    groups: HashMap<Slot, Group>,
    /// A packet's key in a new buffer → the slot of its group (see the module note on
    /// decapsulation).
    alias: HashMap<Key, Slot>,
    /// Fingerprint of a carried packet → the slot and id of the group whose tunnel packet
    /// was seen last, and when.
    tunneled: HashMap<u32, (Slot, u64, u64)>,
    /// Capture time of the last sweep for groups past their window (see `expire`).
    swept_ts: u64,
    next_id: u64,
    newest_ts: u64,
    /// Recent receives (buffer key, time) in the slot of their fingerprint, to follow a
    /// packet into a new buffer: one store per sighting, no hashing or cleanup.
    recent_rx: Vec<(Key, u64, u64)>,
    retired: RetiredTable,
}

impl Default for Correlator {
    fn default() -> Self {
        Correlator::new()
    }
}

impl Correlator {
    pub fn new() -> Correlator {
        Correlator {
            groups: HashMap::default(),
            alias: HashMap::default(),
            tunneled: HashMap::default(),
            swept_ts: 0,
            next_id: 1,
            newest_ts: 0,
            recent_rx: vec![
                (
                    Key {
                        buffer: 0,
                        fingerprint: 0,
                        content: false,
                    },
                    0,
                    0
                );
                REHEAD_SLOTS
            ],
            retired: RetiredTable::new(),
        }
    }

    /// The sighting's key, and whether it is a tunnel packet.
    fn key(identity: Identity, data: &[u8], link: LinkType) -> Option<(Key, bool)> {
        let fingerprint = fingerprint_tunneled(data, link);
        let tunnel = fingerprint.is_some_and(|(_, t)| t);
        let fingerprint = fingerprint.map(|(f, _)| f);
        match identity {
            Identity::Buffer(buffer) => Some((
                Key {
                    buffer,
                    fingerprint: fingerprint.unwrap_or(0),
                    content: false,
                },
                tunnel,
            )),
            Identity::Content => Some((
                Key {
                    buffer: 0,
                    fingerprint: fingerprint?,
                    content: true,
                },
                tunnel,
            )),
            Identity::Assigned => None,
        }
    }

    /// The slot of the group a key belongs to: its own, or the one it is an alias of.
    fn resolve(&self, key: &Key) -> Slot {
        if self.alias.is_empty() {
            return key.slot();
        }
        self.alias.get(key).copied().unwrap_or_else(|| key.slot())
    }

    /// A plain packet in a new buffer that a tunnel packet just carried: links the new
    /// buffer to that packet's group. Returns the group's slot.
    fn decapsulated(
        &mut self,
        key: Key,
        tunnel: bool,
        ts: u64,
        place: (u32, Direction),
    ) -> Option<Slot> {
        if key.content || tunnel {
            return None;
        }
        let &(owner, seen, id) = self.tunneled.get(&key.fingerprint)?;
        let g = self.groups.get_mut(&owner)?;
        if g.id != id || ts.saturating_sub(seen) > DECAP_WINDOW_NS || g.places.contains(&place) {
            return None;
        }
        g.aliases.push(key);
        self.alias.insert(key, owner);
        self.tunneled.remove(&key.fingerprint);
        Some(owner)
    }

    /// A packet forwarded while another reference to its buffer lives (a TCP segment the
    /// sender keeps for retransmission) is given a new buffer on its way out (`skb_cow`
    /// in `ip_forward`): a transmit shortly after the receive of the same fingerprint, in
    /// a buffer not seen yet, continues that packet's group (linked by content, so
    /// inferred; the new buffer becomes an alias). Receives are noted for that (see
    /// `note_receive`). The sender may have sent the segment again from its kept buffer
    /// in between (a spurious retransmission, measured under load): that took the
    /// buffer's slot, so the received packet's group is taken back from the retired
    /// table, in its new buffer.
    fn reheaded(&mut self, key: Key, ts: u64, place: (u32, Direction)) -> Option<Slot> {
        if key.content || key.fingerprint == 0 || place.1 != Direction::Tx {
            return None;
        }
        let (old, rx_ts, rx_id) = self.recent_rx[key.fingerprint as usize % REHEAD_SLOTS];
        if old.fingerprint != key.fingerprint
            || old.buffer == key.buffer
            || ts.saturating_sub(rx_ts) > REHEAD_WINDOW_NS
            || self
                .groups
                .get(&key.slot())
                .is_some_and(|g| g.fingerprint == key.fingerprint)
        {
            return None;
        }
        let owner = self.resolve(&old);
        match self.groups.get_mut(&owner) {
            Some(g) if g.id == rx_id => {
                if g.last_direction != Direction::Rx
                    || ts.saturating_sub(g.last_ts) > REHEAD_WINDOW_NS
                    || g.places.contains(&place)
                {
                    return None;
                }
                g.aliases.push(key);
                self.alias.insert(key, owner);
                Some(owner)
            }
            _ => self.revived(old, rx_ts, rx_id, key),
        }
    }

    /// The group `id` retired from `old`'s buffer with its receive at `rx_ts` as its last
    /// sighting, opened again in `key`'s buffer.
    fn revived(&mut self, old: Key, rx_ts: u64, id: u64, key: Key) -> Option<Slot> {
        let r = self.retired.entry(old.buffer, old.fingerprint);
        if r.id != id
            || (r.buffer, r.fingerprint) != (old.buffer, old.fingerprint)
            || r.last_ts != rx_ts
        {
            return None;
        }
        let r = std::mem::take(r);
        let slot = key.slot();
        self.evict(slot);
        self.groups.insert(
            slot,
            Group {
                id,
                fingerprint: r.fingerprint,
                appearances: r.appearances,
                last_component: r.last_component,
                last_ts: r.last_ts,
                last_direction: Direction::Rx,
                places: ArrayVec::new(),
                filter: r.filter,
                aliases: Vec::new(),
            },
        );
        Some(slot)
    }

    /// Notes a receive placed in group `id`, for `reheaded`.
    fn note_receive(&mut self, key: Key, ts: u64, direction: Direction, id: u64) {
        if direction == Direction::Rx && !key.content && key.fingerprint != 0 {
            self.recent_rx[key.fingerprint as usize % REHEAD_SLOTS] = (key, ts, id);
        }
    }

    /// Empties a buffer slot for the packet now in that buffer: the group there is of the
    /// packet before, kept for its late drop.
    fn evict(&mut self, slot: Slot) {
        if let (Some(old), Slot::Buffer(buffer)) = (self.remove(&slot), slot) {
            self.retired.put(buffer, &old);
        }
    }

    /// Forgets the group in a slot with its aliases (handed back with the group).
    fn remove(&mut self, slot: &Slot) -> Option<Group> {
        let g = self.groups.remove(slot)?;
        self.forget_links(&g);
        Some(g)
    }

    /// Forgets what points at a group taken out of its slot: its aliases, its tunnel.
    fn forget_links(&mut self, g: &Group) {
        for a in &g.aliases {
            self.alias.remove(a);
        }
        forget_tunnel(&mut self.tunneled, g);
    }

    /// The next packet takes `slot`: the group of the packet before moves on with it to
    /// the buffer it was forwarded in, if any (see `rehome`), else is retired for a late
    /// drop.
    fn vacate(&mut self, slot: Slot) {
        let Some(g) = self.groups.remove(&slot) else {
            return;
        };
        // The buffer the packet moved to may hold a later packet already (freed after
        // the packet's last sighting and reused): then the packet has left it too.
        let home = g.aliases.last().map(Key::slot).filter(|s| {
            *s != slot
                && self
                    .groups
                    .get(s)
                    .is_none_or(|there| there.last_ts <= g.last_ts)
        });
        match home {
            Some(home) => self.rehome(g, home),
            None => {
                self.forget_links(&g);
                if let Slot::Buffer(buffer) = slot {
                    self.retired.put(buffer, &g);
                }
            }
        }
    }

    /// A packet that moved to another buffer (an alias) while its first one is taken by
    /// the next packet there: its group moves to the newest alias's slot (`home`), so
    /// its later sightings in the new buffer still find it; a group still there is the
    /// packet's before. Measured: a TCP segment forwarded through NAT gets a new buffer
    /// in the middle namespace, and a spurious retransmission from the sender's buffer
    /// can come before the segment's last sighting (3 of 3,000 under a loaded CI run
    /// split in two groups). A group seen after this packet's last sighting is a later
    /// packet's, and `vacate` does not move a group onto it (measured under a parallel
    /// test run: a finished segment's forward buffer reused for the sender's next
    /// segment, whose group that eviction split in two).
    fn rehome(&mut self, mut g: Group, home: Slot) {
        self.evict(home);
        for a in &g.aliases {
            if a.slot() == home {
                self.alias.remove(a);
            } else {
                self.alias.insert(*a, home);
            }
        }
        g.aliases.retain(|a| a.slot() != home);
        if let Some(t) = self.tunneled.get_mut(&g.fingerprint)
            && t.2 == g.id
        {
            t.0 = home;
        }
        self.groups.insert(home, g);
    }

    fn new_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Places a sighting (the record's bytes at its component, direction and time).
    /// `decide` gives the filter decision when the sighting starts a group; later
    /// sightings inherit it, so a packet stays followed after NAT rewrote what the filter
    /// looked at.
    pub fn sight(
        &mut self,
        identity: Identity,
        rec: &PacketRecord<'_>,
        decide: impl FnOnce() -> Option<u32>,
    ) -> Placement {
        let (data, link, ts) = (&rec.data[..], rec.link_type, rec.timestamp_ns);
        let place = (rec.component, rec.direction);
        self.expire(ts);
        let Some((key, tunnel)) = Self::key(identity, data, link) else {
            // No identity to link by: a group of one.
            return Placement {
                group_id: self.new_id(),
                appearance: 1,
                inferred: false,
                filter: decide(),
                previous: None,
            };
        };
        // Read (a transmit) or written (a receive) below; the table is larger than the
        // caches.
        prefetch(&self.recent_rx[key.fingerprint as usize % REHEAD_SLOTS]);
        let mut slot = self.resolve(&key);
        let mut inferred = key.content;
        let continued = |c: &Self, slot: Slot| {
            c.groups
                .get(&slot)
                .is_some_and(|g| g.continued_by(&key, slot, ts, place))
        };
        if !continued(self, slot)
            && let Some(owner) = self.decapsulated(key, tunnel, ts, place)
        {
            (slot, inferred) = (owner, true);
        }
        if let Some(owner) = self.reheaded(key, ts, place) {
            (slot, inferred) = (owner, true);
        }
        if let Some(g) = self.groups.get_mut(&slot)
            && g.continued_by(&key, slot, ts, place)
        {
            g.appearances += 1;
            let previous = Some((g.last_component, g.last_ts));
            g.last_component = place.0;
            g.last_ts = g.last_ts.max(ts);
            g.last_direction = place.1;
            if g.places.len() < MAX_PLACES {
                g.places.push(place);
            }
            let (id, appearance, filter) = (g.id, g.appearances, g.filter);
            if tunnel && !key.content {
                self.tunneled.insert(key.fingerprint, (slot, ts, id));
            }
            self.note_receive(key, ts, place.1, id);
            return Placement {
                group_id: id,
                appearance,
                inferred,
                filter,
                previous,
            };
        }
        // Another packet: in its own buffer, which the packet before it there leaves.
        let slot = key.slot();
        if !self.alias.is_empty() {
            self.alias.remove(&key);
        }
        let id = self.new_id();
        let filter = decide();
        match self.groups.get_mut(&slot) {
            // The common case under load (every packet reuses a buffer): the packet
            // before is retired and its entry taken in place — one lookup and no move
            // of the group, where removing and inserting it took two and a fifth of
            // the session's copying.
            Some(old) if old.aliases.is_empty() => {
                if let Slot::Buffer(buffer) = slot {
                    self.retired.put(buffer, old);
                }
                forget_tunnel(&mut self.tunneled, old);
                *old = Group::opened(id, key.fingerprint, place, ts, filter);
            }
            _ => {
                self.vacate(slot);
                let g = Group::opened(id, key.fingerprint, place, ts, filter);
                self.groups.insert(slot, g);
            }
        }
        if tunnel && !key.content {
            self.tunneled.insert(key.fingerprint, (slot, ts, id));
        }
        self.note_receive(key, ts, place.1, id);
        Placement {
            group_id: id,
            appearance: 1,
            inferred: false,
            filter,
            previous: None,
        }
    }

    /// Places a drop (the bytes the drop source handed over): it joins the group of the
    /// packet it ends, or starts one when the packet was never seen.
    pub fn drop(
        &mut self,
        identity: Identity,
        rec: &PacketRecord<'_>,
        decide: impl FnOnce() -> Option<u32>,
    ) -> DropPlacement {
        let (data, link, ts) = (&rec.data[..], rec.link_type, rec.timestamp_ns);
        self.expire(ts);
        let key = Self::key(identity, data, link).map(|(key, _)| key);
        if let Some(key) = key
            && let slot = self.resolve(&key)
            && let Some(g) = self.groups.get_mut(&slot)
            && g.fingerprint == key.fingerprint
            && ts.saturating_sub(g.last_ts) <= slot.window()
        {
            g.appearances += 1;
            let placement = Placement {
                group_id: g.id,
                appearance: g.appearances,
                inferred: key.content,
                filter: g.filter,
                previous: Some((g.last_component, g.last_ts)),
            };
            let last_component = Some(g.last_component);
            // A packet is dropped once: what comes next with this key is another packet.
            self.remove(&slot);
            return DropPlacement {
                placement,
                last_component,
            };
        }
        if let Some(key) = key
            && !key.content
            && let r = self.retired.entry(key.buffer, key.fingerprint)
            && r.id != 0
            && (r.buffer, r.fingerprint) == (key.buffer, key.fingerprint)
            && ts.saturating_sub(r.last_ts) <= BUFFER_WINDOW_NS
        {
            let placement = Placement {
                group_id: r.id,
                appearance: r.appearances + 1,
                inferred: false,
                filter: r.filter,
                previous: Some((r.last_component, r.last_ts)),
            };
            let last_component = Some(r.last_component);
            r.id = 0;
            return DropPlacement {
                placement,
                last_component,
            };
        }
        DropPlacement {
            placement: Placement {
                group_id: self.new_id(),
                appearance: 1,
                inferred: false,
                filter: decide(),
                previous: None,
            },
            last_component: None,
        }
    }

    /// Forgets groups whose last sighting is older than their window, looking every
    /// `SWEEP_EVERY_NS` of capture time. Only memory is at stake (a lookup checks the
    /// window itself), and one pass over the few hundred groups a flood keeps open costs
    /// less than keeping every group in an expiry queue did (5% of the session's CPU).
    fn expire(&mut self, ts: u64) {
        self.newest_ts = self.newest_ts.max(ts);
        if self.newest_ts.saturating_sub(self.swept_ts) < SWEEP_EVERY_NS {
            return;
        }
        self.swept_ts = self.newest_ts;
        let now = self.newest_ts;
        let expired: Vec<Group> = self
            .groups
            .extract_if(|slot, g| now.saturating_sub(g.last_ts) > slot.window())
            .map(|(_, g)| g)
            .collect();
        for g in &expired {
            self.forget_links(g);
        }
    }

    /// Groups open now (for tests and status).
    pub fn open_groups(&self) -> usize {
        self.groups.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udp(id: u16) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0, 0, 32]);
        f.extend_from_slice(&id.to_be_bytes());
        f.extend_from_slice(&[0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend_from_slice(&[0x10, 0x00, 0x00, 0x35, 0, 12, 0, 0, b'a', b'b', b'c', b'd']);
        f
    }

    const E: LinkType = LinkType::ETHERNET;

    fn r(data: &[u8], link: LinkType, comp: u32, dir: Direction, ts: u64) -> PacketRecord<'_> {
        let mut r = PacketRecord::flow(comp, link, ts, data);
        r.direction = dir;
        r
    }

    #[test]
    fn one_buffer_across_components_is_one_group_in_order() {
        let mut c = Correlator::new();
        let p = udp(1);
        let b = Identity::Buffer(0xffff_8880_0000_1000);
        let a1 = c.sight(b, &r(&p, E, 10, Direction::Tx, 100), || Some(0));
        let a2 = c.sight(b, &r(&p, E, 11, Direction::Rx, 150), || {
            panic!("decided once")
        });
        let a3 = c.sight(b, &r(&p, E, 12, Direction::Tx, 190), || {
            panic!("decided once")
        });
        assert_eq!((a1.appearance, a2.appearance, a3.appearance), (1, 2, 3));
        assert_eq!(a1.group_id, a2.group_id);
        assert_eq!(a2.group_id, a3.group_id);
        assert_eq!(a2.previous, Some((10, 100)));
        assert_eq!(a3.previous, Some((11, 150)));
        assert!(!a3.inferred);
        // The buffer reused by the next packet at the first component: a new group.
        let n = c.sight(b, &r(&p, E, 10, Direction::Tx, 300), || None);
        assert_ne!(n.group_id, a1.group_id);
        assert_eq!(n.appearance, 1);
        assert_eq!(n.filter, None);
    }

    #[test]
    fn filter_decision_is_taken_once_and_inherited() {
        let mut c = Correlator::new();
        let b = Identity::Buffer(7);
        let p = udp(2);
        assert_eq!(
            c.sight(b, &r(&p, E, 1, Direction::Tx, 1), || Some(3))
                .filter,
            Some(3)
        );
        assert_eq!(
            c.sight(b, &r(&p, E, 2, Direction::Rx, 2), || None).filter,
            Some(3)
        );
    }

    #[test]
    fn other_packets_in_the_same_buffer_or_looking_alike_are_not_merged() {
        let mut c = Correlator::new();
        let a = c.sight(
            Identity::Buffer(1),
            &r(&udp(1), E, 1, Direction::Tx, 1),
            || Some(0),
        );
        let b = c.sight(
            Identity::Buffer(1),
            &r(&udp(2), E, 2, Direction::Rx, 2),
            || Some(0),
        );
        let d = c.sight(
            Identity::Buffer(2),
            &r(&udp(1), E, 2, Direction::Rx, 3),
            || Some(0),
        );
        assert_ne!(a.group_id, b.group_id);
        assert_ne!(a.group_id, d.group_id);
    }

    /// `inner` in VXLAN over IPv4/UDP.
    fn vxlan(inner: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        let total = (20 + 8 + 8 + inner.len()) as u16;
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
        f.extend_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[0, 9, 0x40, 0, 64, 17, 0, 0, 192, 168, 0, 1, 192, 168, 0, 2]);
        f.extend_from_slice(&[0xc0, 0x00, 0x12, 0xb5, 0, 0, 0, 0]);
        f.extend_from_slice(&[0x08, 0, 0, 0, 0, 0, 42, 0]);
        f.extend_from_slice(inner);
        f
    }

    #[test]
    fn a_decapsulated_packet_in_a_new_buffer_joins_its_tunnel_packet_as_inferred() {
        let mut c = Correlator::new();
        let (inner, other) = (udp(1), udp(2));
        let (outer, outer_other) = (vxlan(&inner), vxlan(&other));
        let tx = c.sight(
            Identity::Buffer(1),
            &r(&inner, E, 1, Direction::Tx, 0),
            || Some(0),
        );
        let under = c.sight(
            Identity::Buffer(1),
            &r(&outer, E, 2, Direction::Tx, 1_000),
            || Some(0),
        );
        c.sight(
            Identity::Buffer(2),
            &r(&outer_other, E, 2, Direction::Tx, 1_500),
            || Some(0),
        );
        // Decapsulated into buffer 9: linked by content, then by identity.
        let decap = c.sight(
            Identity::Buffer(9),
            &r(&inner, E, 3, Direction::Rx, 20_000),
            || Some(0),
        );
        let up = c.sight(
            Identity::Buffer(9),
            &r(&inner, E, 4, Direction::Rx, 30_000),
            || Some(0),
        );
        assert_eq!(under.group_id, tx.group_id);
        assert!(!under.inferred);
        assert_eq!((decap.group_id, decap.appearance), (tx.group_id, 3));
        assert!(decap.inferred);
        assert_eq!(
            (up.group_id, up.appearance, up.inferred),
            (tx.group_id, 4, false)
        );
        // Only a tunnel packet links a new buffer, once, and only just after.
        let again = c.sight(
            Identity::Buffer(10),
            &r(&inner, E, 5, Direction::Rx, 40_000),
            || Some(0),
        );
        let late = c.sight(
            Identity::Buffer(11),
            &r(&other, E, 3, Direction::Rx, 1_500 + DECAP_WINDOW_NS + 1),
            || Some(0),
        );
        assert_ne!(again.group_id, tx.group_id);
        assert_eq!((late.appearance, late.inferred), (1, false));
        // A drop in the new buffer ends the packet's group, aliases and all.
        let d = c.drop(
            Identity::Buffer(9),
            &r(&inner[14..], LinkType::RAW, 0, Direction::Rx, 50_000),
            || Some(0),
        );
        assert_eq!(d.placement.group_id, tx.group_id);
        assert_eq!(d.last_component, Some(4));
        assert!(c.alias.is_empty());
    }

    #[test]
    fn a_forwarded_packet_given_a_new_buffer_stays_in_its_group() {
        let mut c = Correlator::new();
        let p = udp(7);
        let tx = c.sight(Identity::Buffer(1), &r(&p, E, 1, Direction::Tx, 0), || {
            Some(0)
        });
        c.sight(
            Identity::Buffer(1),
            &r(&p, E, 2, Direction::Rx, 1_000),
            || Some(0),
        );
        let out = c.sight(
            Identity::Buffer(9),
            &r(&p, E, 3, Direction::Tx, 2_000),
            || Some(0),
        );
        let last = c.sight(
            Identity::Buffer(9),
            &r(&p, E, 4, Direction::Rx, 3_000),
            || Some(0),
        );
        assert_eq!((out.group_id, out.appearance), (tx.group_id, 3));
        assert!(out.inferred);
        assert_eq!((last.group_id, last.appearance), (tx.group_id, 4));
        // The sender's retransmission from its kept buffer, before the forwarded copy's
        // last sighting: a packet of its own, and the first one's group still follows
        // it in its new buffer.
        let q = udp(8);
        let tx = c.sight(
            Identity::Buffer(21),
            &r(&q, E, 1, Direction::Tx, 10_000),
            || Some(0),
        );
        c.sight(
            Identity::Buffer(21),
            &r(&q, E, 2, Direction::Rx, 11_000),
            || Some(0),
        );
        let out = c.sight(
            Identity::Buffer(29),
            &r(&q, E, 3, Direction::Tx, 12_000),
            || Some(0),
        );
        let again = c.sight(
            Identity::Buffer(21),
            &r(&q, E, 1, Direction::Tx, 12_500),
            || Some(0),
        );
        let last = c.sight(
            Identity::Buffer(29),
            &r(&q, E, 4, Direction::Rx, 13_000),
            || Some(0),
        );
        assert_eq!(out.group_id, tx.group_id);
        assert_ne!(again.group_id, tx.group_id);
        assert_eq!((last.group_id, last.appearance), (tx.group_id, 4));
        // Too late for the same packet: another one.
        let late = c.sight(
            Identity::Buffer(5),
            &r(&p, E, 5, Direction::Tx, REHEAD_WINDOW_NS + 5_000),
            || Some(0),
        );
        assert_ne!(late.group_id, tx.group_id);
    }

    #[test]
    fn a_retransmission_from_the_senders_buffer_does_not_split_the_forwarded_packet() {
        let sight = |c: &mut Correlator, buf: u64, p: &[u8], comp: u32, dir, ts| {
            c.sight(Identity::Buffer(buf), &r(p, E, comp, dir, ts), || Some(0))
        };
        let (rx, tx) = (Direction::Rx, Direction::Tx);
        // The retransmission after the forward, the forward's buffer last used by an
        // older packet whose group is still open.
        let mut c = Correlator::new();
        let (p, stale) = (udp(1), udp(2));
        sight(&mut c, 2, &stale, 4, rx, 5);
        let first = sight(&mut c, 1, &p, 1, tx, 10);
        sight(&mut c, 1, &p, 2, rx, 20);
        let out = sight(&mut c, 2, &p, 3, tx, 30);
        let again = sight(&mut c, 1, &p, 1, tx, 35);
        let last = sight(&mut c, 2, &p, 4, rx, 40);
        assert_eq!(out.group_id, first.group_id);
        assert_ne!(again.group_id, first.group_id);
        assert_eq!((last.group_id, last.appearance), (first.group_id, 4));
        // The retransmission between the receive and the forward.
        let mut c = Correlator::new();
        let first = sight(&mut c, 1, &p, 1, tx, 10);
        sight(&mut c, 1, &p, 2, rx, 20);
        let again = sight(&mut c, 1, &p, 1, tx, 25);
        let out = sight(&mut c, 2, &p, 3, tx, 30);
        let last = sight(&mut c, 2, &p, 4, rx, 40);
        let again_rx = sight(&mut c, 1, &p, 2, rx, 45);
        assert_ne!(again.group_id, first.group_id);
        assert_eq!((out.group_id, out.appearance), (first.group_id, 3));
        assert!(out.inferred);
        assert_eq!((last.group_id, last.appearance), (first.group_id, 4));
        assert_eq!(
            (again_rx.group_id, again_rx.appearance),
            (again.group_id, 2)
        );
    }

    #[test]
    fn a_packet_in_the_buffer_an_older_one_was_forwarded_in_keeps_its_group() {
        let sight = |c: &mut Correlator, buf: u64, p: &[u8], comp: u32, dir, ts| {
            c.sight(Identity::Buffer(buf), &r(p, E, comp, dir, ts), || Some(0))
        };
        let (rx, tx) = (Direction::Rx, Direction::Tx);
        let mut c = Correlator::new();
        let (old, p, q) = (udp(1), udp(2), udp(3));
        // An older packet crosses the path in buffers 2 then 1 (forwarded while shared).
        sight(&mut c, 2, &old, 1, tx, 10);
        sight(&mut c, 2, &old, 2, rx, 20);
        sight(&mut c, 1, &old, 3, tx, 30);
        sight(&mut c, 1, &old, 4, rx, 40);
        // Buffer 1 freed and reused by the sender's next packet; the one after it takes
        // buffer 2, which must not move the finished packet's group onto buffer 1.
        let first = sight(&mut c, 1, &p, 1, tx, 50);
        let other = sight(&mut c, 2, &q, 1, tx, 60);
        let next = sight(&mut c, 1, &p, 2, rx, 70);
        assert_ne!(other.group_id, first.group_id);
        assert_eq!((next.group_id, next.appearance), (first.group_id, 2));
        assert_eq!(next.previous, Some((1, 50)));
    }

    #[test]
    fn content_groups_are_inferred_and_short_lived() {
        let mut c = Correlator::new();
        let p = udp(5);
        let a = c.sight(Identity::Content, &r(&p, E, 1, Direction::Tx, 0), || {
            Some(0)
        });
        let b = c.sight(
            Identity::Content,
            &r(&p, E, 2, Direction::Rx, 1_000),
            || Some(0),
        );
        assert_eq!(a.group_id, b.group_id);
        assert!(b.inferred);
        let late = c.sight(
            Identity::Content,
            &r(&p, E, 3, Direction::Rx, 1_000_000_000),
            || Some(0),
        );
        assert_ne!(late.group_id, a.group_id);
        assert_eq!(c.open_groups(), 1);
    }

    #[test]
    fn a_drop_read_after_its_buffer_was_reused_still_ends_its_group() {
        let mut c = Correlator::new();
        let b = Identity::Buffer(0xffff_8880_0000_4000);
        let (p1, p2) = (udp(1), udp(2));
        let first = c.sight(b, &r(&p1, E, 1, Direction::Tx, 10), || Some(0));
        let at_h = c.sight(b, &r(&p1, E, 2, Direction::Rx, 20), || Some(0));
        // Dropped at h, its buffer freed and taken by the next packet before the drop
        // record is placed.
        let next = c.sight(b, &r(&p2, E, 1, Direction::Tx, 30), || Some(0));
        let d = c.drop(
            b,
            &r(&p1[14..], LinkType::RAW, 9, Direction::Rx, 25),
            || None,
        );
        assert_ne!(next.group_id, first.group_id);
        assert_eq!(at_h.group_id, first.group_id);
        assert_eq!(
            (
                d.placement.group_id,
                d.placement.appearance,
                d.last_component
            ),
            (first.group_id, 3, Some(2))
        );
        assert_eq!(d.placement.filter, Some(0));
        // Once: the same bytes dropped again are another packet.
        let again = c.drop(
            b,
            &r(&p1[14..], LinkType::RAW, 9, Direction::Rx, 26),
            || None,
        );
        assert_ne!(again.placement.group_id, first.group_id);
        // The packet in the buffer now is untouched.
        let on = c.sight(b, &r(&p2, E, 2, Direction::Rx, 40), || None);
        assert_eq!((on.group_id, on.appearance), (next.group_id, 2));
    }

    #[test]
    fn a_drop_in_the_buffer_a_packet_moved_to_ends_its_group_after_both_were_reused() {
        // A TCP segment forwarded through NAT (new buffer 2 in the middle), dropped at
        // the receiver as an old sequence; before the drop record is placed, both its
        // buffers carry other packets, the new one first (measured under a loaded run).
        let mut c = Correlator::new();
        let (b1, b2) = (Identity::Buffer(0x1000), Identity::Buffer(0x2000));
        let (p, x, y) = (udp(1), udp(2), udp(3));
        let first = c.sight(b1, &r(&p, E, 1, Direction::Tx, 10), || Some(0));
        c.sight(b1, &r(&p, E, 2, Direction::Rx, 20), || Some(0));
        let out = c.sight(b2, &r(&p, E, 3, Direction::Tx, 30), || Some(0));
        let last = c.sight(b2, &r(&p, E, 4, Direction::Rx, 40), || Some(0));
        assert_eq!(
            (out.group_id, last.group_id),
            (first.group_id, first.group_id)
        );
        c.sight(b2, &r(&y, E, 4, Direction::Rx, 50), || Some(0));
        c.sight(b1, &r(&x, E, 1, Direction::Tx, 60), || Some(0));
        let d = c.drop(
            b2,
            &r(&p[14..], LinkType::RAW, 9, Direction::Rx, 45),
            || None,
        );
        assert_eq!(
            (
                d.placement.group_id,
                d.placement.appearance,
                d.last_component
            ),
            (first.group_id, 5, Some(4))
        );
    }

    #[test]
    fn drops_end_their_group_at_the_last_component() {
        let mut c = Correlator::new();
        let p = udp(9);
        let b = Identity::Buffer(0x42);
        let s = c.sight(b, &r(&p, E, 4, Direction::Tx, 10), || Some(1));
        c.sight(b, &r(&p, E, 5, Direction::Rx, 20), || Some(1));
        // Bytes that are not the packet's (here: not IP) do not join its group.
        let other = c.drop(b, &r(&p[12..], LinkType::RAW, 0, Direction::Rx, 30), || {
            None
        });
        assert_ne!(other.placement.group_id, s.group_id);
        // The drop source hands over bytes from the network header.
        let d2 = c.drop(b, &r(&p[14..], LinkType::RAW, 0, Direction::Rx, 30), || {
            None
        });
        assert_eq!(d2.placement.group_id, s.group_id);
        assert_eq!(d2.placement.appearance, 3);
        assert_eq!(d2.last_component, Some(5));
        assert_eq!(d2.placement.filter, Some(1));
        let unseen = c.drop(
            Identity::Buffer(0x43),
            &r(&p[14..], LinkType::RAW, 0, Direction::Rx, 40),
            || Some(0),
        );
        assert_eq!(unseen.last_component, None);
        assert_eq!(unseen.placement.appearance, 1);
    }

    #[test]
    fn without_identity_each_sighting_is_a_group_of_one() {
        let mut c = Correlator::new();
        let a = c.sight(
            Identity::Assigned,
            &r(&udp(1), E, 1, Direction::Rx, 1),
            || Some(0),
        );
        let b = c.sight(
            Identity::Assigned,
            &r(&udp(1), E, 2, Direction::Rx, 2),
            || Some(0),
        );
        assert_ne!(a.group_id, b.group_id);
        // Content of an unknown link type cannot be fingerprinted either.
        let u = LinkType(147);
        let x = c.sight(
            Identity::Content,
            &r(&udp(1), u, 1, Direction::Rx, 3),
            || Some(0),
        );
        let y = c.sight(
            Identity::Content,
            &r(&udp(1), u, 2, Direction::Rx, 4),
            || Some(0),
        );
        assert_ne!(x.group_id, y.group_id);
        assert_eq!(c.open_groups(), 0);
    }

    #[test]
    fn a_group_in_use_outlives_its_first_window_and_a_reused_key_keeps_its_own() {
        let mut c = Correlator::new();
        let p = udp(11);
        let b = Identity::Buffer(0x77);
        let w = BUFFER_WINDOW_NS;
        // A packet held in a queue: sightings 0.4 windows apart, 2 windows in all.
        let first = c.sight(b, &r(&p, E, 1, Direction::Tx, 1), || Some(0));
        for (i, comp) in (2..=6).enumerate() {
            let ts = 1 + (i as u64 + 1) * w * 2 / 5;
            let s = c.sight(b, &r(&p, E, comp, Direction::Rx, ts), || Some(0));
            assert_eq!(s.group_id, first.group_id, "sighting {comp}");
        }
        // Dropped, then the key reused by another packet just before the old group's
        // entry comes up: the new group is not expired with it.
        c.drop(
            b,
            &r(&p[14..], LinkType::RAW, 0, Direction::Rx, 2 * w + 2),
            || None,
        );
        let next = c.sight(b, &r(&p, E, 1, Direction::Tx, 2 * w + 3), || Some(0));
        let later = c.sight(b, &r(&p, E, 2, Direction::Rx, 2 * w + 7 * w / 10), || {
            Some(0)
        });
        assert_eq!(later.group_id, next.group_id);
        assert_eq!(c.open_groups(), 1);
        // Quiet for longer than the window: everything is forgotten.
        c.sight(
            Identity::Buffer(1),
            &r(&udp(12), E, 1, Direction::Tx, 5 * w),
            || None,
        );
        assert_eq!(c.open_groups(), 1);
    }
}
