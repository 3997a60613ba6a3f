//! `SlotRing`: the circular log (on disk, and in memory for `-m memory`). The store is cut
//! into fixed slots; each slot holds one pcapng section (SHB with a slot mark, every
//! interface block known when it began, then packets). When a slot is full the next one
//! is reused, the oldest packets giving way. A reused slot's stale tail is covered by a
//! filler block readers skip, so the store is a valid pcapng file after every write (also
//! after a kill). `join` puts the sections back in time order as one section.
//! Layout: docs/log-modes.md.
//!
//! It takes whole blocks as a `Write` sink (what `PcapngWriter::flush` hands over): it
//! keeps the section header and interface blocks it sees to begin each slot with.

use super::blocks::{BLOCK_FILLER, MIN_BLOCK, SlotMark, block_at, filler_header};
use super::blocks::{runs_of_blocks, shb_with_mark, shb_without_mark, slot_mark, write_result};
use super::{BLOCK_EPB, BLOCK_IDB, BLOCK_SHB};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Where slots are kept: the log file, or memory.
pub trait SlotStore {
    fn write_at(&mut self, offset: u64, bytes: &[u8]) -> io::Result<()>;
    fn truncate(&mut self, len: u64) -> io::Result<()>;
}

impl SlotStore for File {
    fn write_at(&mut self, offset: u64, bytes: &[u8]) -> io::Result<()> {
        self.seek(SeekFrom::Start(offset))?;
        self.write_all(bytes)
    }
    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.set_len(len)
    }
}

impl SlotStore for Vec<u8> {
    fn write_at(&mut self, offset: u64, bytes: &[u8]) -> io::Result<()> {
        let end = offset as usize + bytes.len();
        if self.len() < end {
            self.resize(end, 0);
        }
        self[offset as usize..end].copy_from_slice(bytes);
        Ok(())
    }
    fn truncate(&mut self, len: u64) -> io::Result<()> {
        Vec::truncate(self, len as usize);
        Ok(())
    }
}

/// Bytes per store write: a failed write loses at most this much of what was flushed.
const WRITE_RUN: usize = 64 * 1024;

/// Slots per log: a wrap discards at most 1/16 of the log.
const SLOTS: u64 = 16;
/// Smallest slot: room for the interface blocks of many components and many packets.
const MIN_SLOT: u64 = 64 * 1024;

/// Slot size and count for a log of at most `size` bytes.
pub fn geometry(size: u64) -> (u64, u64) {
    let slot = (size / SLOTS / 4096 * 4096).max(MIN_SLOT).min(size / 4 * 4);
    (slot, (size / slot.max(4)).max(1))
}

pub struct SlotRing<S: SlotStore> {
    store: S,
    slot_size: u64,
    slots: u64,
    /// The slot being filled and how many of its bytes are used (whole blocks).
    current: u64,
    pos: u64,
    begun: bool,
    /// The current slot holds an older section's bytes after `pos` (a filler covers them).
    stale: bool,
    /// Slots written at least once (a prefix of the store).
    used: u64,
    sequence: u64,
    slot_packets: Vec<u64>,
    shb: Vec<u8>,
    idbs: Vec<u8>,
    overwritten: u64,
    too_large: u64,
    extent: u64,
    /// A store error after some blocks were placed, returned by the next write.
    pending: Option<io::Error>,
    failed: bool,
}

impl<S: SlotStore> SlotRing<S> {
    /// A ring of at most `size` bytes.
    pub fn new(store: S, size: u64) -> SlotRing<S> {
        let (slot_size, slots) = geometry(size);
        SlotRing::with_geometry(store, slot_size, slots)
    }

    pub fn with_geometry(store: S, slot_size: u64, slots: u64) -> SlotRing<S> {
        SlotRing {
            store,
            slot_size,
            slots,
            current: 0,
            pos: 0,
            begun: false,
            stale: false,
            used: 0,
            sequence: 0,
            slot_packets: vec![0; slots as usize],
            shb: Vec::new(),
            idbs: Vec::new(),
            overwritten: 0,
            too_large: 0,
            extent: 0,
            pending: None,
            failed: false,
        }
    }

    /// Packets given way to newer ones.
    pub fn overwritten(&self) -> u64 {
        self.overwritten
    }

    /// Packets left out because they are larger than a slot.
    pub fn too_large(&self) -> u64 {
        self.too_large
    }

    /// Bytes the store holds.
    pub fn extent(&self) -> u64 {
        self.extent
    }

    pub fn into_store(self) -> S {
        self.store
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    fn slot_offset(&self) -> u64 {
        self.current * self.slot_size
    }

    fn put(&mut self, offset: u64, bytes: &[u8]) -> io::Result<()> {
        let r = self.store.write_at(offset, bytes);
        if r.is_ok() {
            self.extent = self.extent.max(offset + bytes.len() as u64);
        } else {
            self.failed = true;
        }
        r
    }

    /// Moves to the next slot (the first one at the start) and writes its head.
    fn begin_slot(&mut self) -> io::Result<()> {
        if self.begun {
            // The slot left is full to a few bytes: one whole filler block ends it.
            let len = (self.slot_size - self.pos) as usize;
            if len > 0 {
                let mut filler = Vec::with_capacity(len);
                filler.extend_from_slice(&filler_header(len));
                filler.resize(len - 4, 0);
                filler.extend_from_slice(&(len as u32).to_le_bytes());
                self.put(self.slot_offset() + self.pos, &filler)?;
            }
            self.current = (self.current + 1) % self.slots;
            self.sequence += 1;
        }
        self.begun = true;
        let i = self.current as usize;
        self.stale = self.current < self.used;
        if self.stale {
            self.overwritten += self.slot_packets[i];
        } else {
            self.used = self.current + 1;
        }
        self.slot_packets[i] = 0;
        self.pos = 0;
        let mut head = shb_with_mark(
            &self.shb,
            SlotMark {
                sequence: self.sequence,
                slot_size: self.slot_size,
            },
        );
        head.extend_from_slice(&self.idbs);
        if head.len() as u64 + MIN_BLOCK as u64 > self.slot_size {
            self.failed = true;
            return Err(io::Error::other(
                "the interface blocks do not fit in a slot of the circular log",
            ));
        }
        self.put(self.slot_offset(), &head)?;
        self.pos = head.len() as u64;
        Ok(())
    }

    /// Covers the current slot's stale tail (from `pos`) with a filler block.
    fn cover_stale_tail(&mut self) -> io::Result<()> {
        if !self.stale {
            return Ok(());
        }
        let len = self.slot_size - self.pos;
        let at = self.slot_offset();
        self.put(at + self.pos, &filler_header(len as usize))?;
        self.put(at + self.slot_size - 4, &(len as u32).to_le_bytes())
    }

    /// Places whole blocks; returns how many bytes of `buf` are placed.
    fn place(&mut self, buf: &[u8]) -> (usize, io::Result<()>) {
        let mut pos = 0;
        // The run of blocks not yet written, all for the current slot.
        let mut run = 0..0;
        while let Some((block_type, len)) = block_at(buf, pos) {
            let block = pos..pos + len;
            pos += len;
            if block_type == BLOCK_SHB {
                // One section per session: each slot begins with a marked copy.
                if self.shb.is_empty() {
                    self.shb = buf[block].to_vec();
                }
                run = pos..pos;
                continue;
            }
            if block_type == BLOCK_IDB {
                self.idbs.extend_from_slice(&buf[block.clone()]);
            }
            let fits =
                self.begun && self.pos + (run.len() + len + MIN_BLOCK) as u64 <= self.slot_size;
            if !fits {
                if let Err(placed) = self.write_run(buf, &run) {
                    return self.run_failed(run.start + placed);
                }
                if let Err(e) = self.begin_slot() {
                    return (block.start, Err(e));
                }
                if block_type == BLOCK_IDB {
                    // Already in the new slot's head.
                    run = pos..pos;
                    continue;
                }
                run = block.start..block.start;
                if self.pos + (len + MIN_BLOCK) as u64 > self.slot_size {
                    // Larger than a slot can hold: left out, counted.
                    self.too_large += 1;
                    run = pos..pos;
                    continue;
                }
            }
            run.end = pos;
            if block_type == BLOCK_EPB {
                self.slot_packets[self.current as usize] += 1;
            }
        }
        if let Err(placed) = self.write_run(buf, &run) {
            return self.run_failed(run.start + placed);
        }
        let covered = self.cover_stale_tail();
        (pos, covered)
    }

    /// Writes `buf[run]` at the slot's end; on an error, the bytes of it placed whole.
    fn write_run(&mut self, buf: &[u8], run: &std::ops::Range<usize>) -> Result<(), usize> {
        let mut placed = 0;
        for part in runs_of_blocks(&buf[run.clone()], WRITE_RUN) {
            if let Err(e) = self.put(self.slot_offset() + self.pos, part) {
                self.pending = Some(e);
                return Err(placed);
            }
            self.pos += part.len() as u64;
            placed += part.len();
        }
        Ok(())
    }

    /// The error a failed run left, with where `place` got to.
    fn run_failed(&mut self, at: usize) -> (usize, io::Result<()>) {
        let e = self
            .pending
            .take()
            .unwrap_or_else(|| io::Error::other("write failed"));
        (at, Err(e))
    }

    /// After a store error: leave the store valid up to the last whole write (a filler
    /// over the rest of a reused slot, or the store cut there on the first round).
    pub fn abandon(&mut self) -> io::Result<()> {
        self.failed = true;
        if !self.begun {
            return self.store.truncate(0);
        }
        if self.stale {
            let len = self.slot_size - self.pos;
            let at = self.slot_offset();
            self.store
                .write_at(at + self.pos, &filler_header(len as usize))?;
            self.store
                .write_at(at + self.slot_size - 4, &(len as u32).to_le_bytes())
        } else {
            let end = self.slot_offset() + self.pos;
            self.extent = end;
            self.store.truncate(end)
        }
    }
}

impl<S: SlotStore> Write for SlotRing<S> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        if self.failed {
            return Err(io::Error::other("the circular log failed earlier"));
        }
        let placed = self.place(buf);
        write_result(&mut self.pending, placed)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What a join wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Joined {
    pub sections: u64,
    pub packets: u64,
    pub bytes: u64,
}

/// Joins sections of a circular log, oldest first, into one section: the first section
/// header without its mark, each interface block once (in interface id order, before the
/// first packet that needs it), every other block. A slot ends at its filler or at the
/// first block that is not whole.
#[derive(Default)]
pub struct Joiner {
    joined: Joined,
    idbs_out: usize,
}

impl Joiner {
    pub fn add_slot<W: Write>(&mut self, slot: &[u8], out: &mut W) -> io::Result<()> {
        let j = &mut self.joined;
        let mut pos = 0;
        let mut idb_index = 0usize;
        while let Some((block_type, len)) = block_at(slot, pos) {
            let block = &slot[pos..pos + len];
            pos += len;
            match block_type {
                BLOCK_SHB if j.sections == 0 => {
                    let plain = shb_without_mark(block);
                    out.write_all(&plain)?;
                    j.bytes += plain.len() as u64;
                    j.sections += 1;
                }
                BLOCK_SHB => j.sections += 1,
                BLOCK_FILLER => break,
                BLOCK_IDB => {
                    // Interface ids are the session's: a slot's k-th IDB is interface k.
                    if idb_index >= self.idbs_out {
                        out.write_all(block)?;
                        j.bytes += len as u64;
                        self.idbs_out += 1;
                    }
                    idb_index += 1;
                }
                _ => {
                    out.write_all(block)?;
                    j.bytes += len as u64;
                    j.packets += u64::from(block_type == BLOCK_EPB);
                }
            }
        }
        Ok(())
    }

    pub fn joined(&self) -> Joined {
        self.joined
    }
}

/// Joins `slots` (oldest first) into `out`.
pub fn join<'a, W: Write>(
    slots: impl IntoIterator<Item = &'a [u8]>,
    out: &mut W,
) -> io::Result<Joined> {
    let mut joiner = Joiner::default();
    for slot in slots {
        joiner.add_slot(slot, out)?;
    }
    Ok(joiner.joined())
}

/// The slots of a circular log held in `bytes`, oldest first.
pub fn slots_in_order(bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mark = slot_mark(bytes)?;
    let size = mark.slot_size as usize;
    if size == 0 {
        return None;
    }
    let mut slots: Vec<(u64, &[u8])> = bytes
        .chunks(size)
        .filter_map(|s| slot_mark(s).map(|m| (m.sequence, s)))
        .collect();
    slots.sort_by_key(|&(seq, _)| seq);
    Some(slots.into_iter().map(|(_, s)| s).collect())
}

/// Whether the file at `path` is a circular log not yet joined.
pub fn is_unjoined(path: &Path) -> bool {
    let mut head = vec![0u8; 4096];
    let Ok(n) = File::open(path).and_then(|mut f| read_up_to(&mut f, &mut head)) else {
        return false;
    };
    slot_mark(&head[..n]).is_some()
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Joins the circular log at `path` in time order into `out`, reading one slot at a time.
pub fn join_file<W: Write>(path: &Path, out: &mut W) -> io::Result<Joined> {
    let mut f = File::open(path)?;
    let mut head = vec![0u8; 4096];
    let n = read_up_to(&mut f, &mut head)?;
    let mark = slot_mark(&head[..n])
        .ok_or_else(|| io::Error::other("not a circular log (no slot mark)"))?;
    let size = mark.slot_size;
    if size == 0 {
        return Err(io::Error::other("slot size 0"));
    }
    let len = f.metadata()?.len();
    // The sequence of each slot, from its head.
    let mut order = Vec::new();
    for k in 0..len.div_ceil(size) {
        f.seek(SeekFrom::Start(k * size))?;
        let n = read_up_to(&mut f, &mut head)?;
        if let Some(m) = slot_mark(&head[..n]) {
            order.push((m.sequence, k));
        }
    }
    order.sort_unstable();
    let mut joiner = Joiner::default();
    // One slot in memory at a time.
    let mut slot = Vec::new();
    for &(_, k) in &order {
        f.seek(SeekFrom::Start(k * size))?;
        slot.clear();
        (&mut f).take(size).read_to_end(&mut slot)?;
        joiner.add_slot(&slot, out)?;
    }
    Ok(joiner.joined())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pcapng::{InterfaceDescription, PcapngWriter};
    use crate::record::{LinkType, PacketRecord};

    fn iface(component: u32) -> InterfaceDescription {
        InterfaceDescription {
            component,
            name: format!("eth{component}"),
            description: "test".into(),
            link_type: LinkType::ETHERNET,
            snaplen: 0,
            mac: None,
        }
    }

    /// A frame whose first bytes are its number.
    fn frame(n: u32) -> Vec<u8> {
        let mut f = n.to_be_bytes().to_vec();
        f.resize(100 + (n as usize % 7) * 4, 0xEE);
        f
    }

    /// Every block of `bytes`, from the start to exactly its end, is whole.
    fn walks_to_the_end(bytes: &[u8]) -> bool {
        let mut pos = 0;
        while let Some((_, len)) = block_at(bytes, pos) {
            pos += len;
        }
        pos == bytes.len()
    }

    /// The numbers of the packets in a pcapng file, in file order, read by pcap-parser.
    fn numbers(bytes: &[u8]) -> (usize, Vec<u32>) {
        use pcap_parser::traits::PcapNGPacketBlock;
        let (_, cap) = pcap_parser::parse_pcapng(bytes).expect("pcap-parser reads it");
        let mut v = Vec::new();
        for s in &cap.sections {
            for b in &s.blocks {
                if let pcap_parser::Block::EnhancedPacket(e) = b {
                    let d = e.packet_data();
                    v.push(u32::from_be_bytes([d[0], d[1], d[2], d[3]]));
                }
            }
        }
        (cap.sections.len(), v)
    }

    #[test]
    fn the_ring_keeps_the_newest_packets_within_its_size_and_joins_in_order() {
        let (slot, slots) = (4096, 4);
        let ring = SlotRing::with_geometry(Vec::new(), slot, slots);
        let mut w = PcapngWriter::new(ring, "t", None);
        w.add_interface(&iface(1));
        let total = 500u32;
        for n in 0..total {
            if n == 250 {
                // A component that joins later: its block goes into every later slot.
                w.add_interface(&iface(2));
            }
            let f = frame(n);
            let comp = if n >= 250 && n % 2 == 0 { 2 } else { 1 };
            assert!(w.write_record(&PacketRecord::flow(comp, LinkType::ETHERNET, n as u64, &f)));
            if n % 9 == 0 {
                w.flush().unwrap();
                let store = w.get_ref().store();
                assert!(store.len() as u64 <= slot * slots);
                assert!(walks_to_the_end(store), "valid after each flush (n={n})");
            }
        }
        w.flush().unwrap();
        let overwritten = w.get_ref().overwritten();
        let store = w.into_inner().into_store();
        assert!(walks_to_the_end(&store));
        // As written: one section per slot, readable.
        let (sections, as_written) = numbers(&store);
        assert_eq!(sections as u64, slots);
        assert_eq!(as_written.len() as u64 + overwritten, total as u64);

        let mut joined = Vec::new();
        let j = join(slots_in_order(&store).unwrap(), &mut joined).unwrap();
        let (sections, got) = numbers(&joined);
        assert_eq!(sections, 1);
        assert_eq!(j.packets, got.len() as u64);
        assert_eq!(got.len() as u64 + overwritten, total as u64);
        // The newest, in order, without gaps.
        let first = total - got.len() as u32;
        assert_eq!(got, (first..total).collect::<Vec<_>>());
        // At least the slots before the current one are full (frames ~150 bytes in pcapng).
        assert!(
            got.len() as u64 > (slots - 1) * slot / 200,
            "{} kept",
            got.len()
        );
        assert_eq!(slot_mark(&joined), None, "a joined log is not a ring");
    }

    #[test]
    fn a_failed_store_is_left_valid() {
        /// Accepts writes until `room` bytes were written in all, then fails.
        struct Failing {
            bytes: Vec<u8>,
            room: usize,
            written: usize,
        }
        impl SlotStore for Failing {
            fn write_at(&mut self, offset: u64, b: &[u8]) -> io::Result<()> {
                if self.written + b.len() > self.room {
                    // Half of it lands, as a full disk may do.
                    let half = &b[..b.len() / 2];
                    let _ = self.bytes.write_at(offset, half);
                    return Err(io::Error::from(io::ErrorKind::StorageFull));
                }
                self.written += b.len();
                self.bytes.write_at(offset, b)
            }
            fn truncate(&mut self, len: u64) -> io::Result<()> {
                SlotStore::truncate(&mut self.bytes, len)
            }
        }
        for room in [3000, 9000, 30_000] {
            let store = Failing {
                bytes: Vec::new(),
                room,
                written: 0,
            };
            let mut w = PcapngWriter::new(SlotRing::with_geometry(store, 4096, 3), "t", None);
            w.add_interface(&iface(1));
            let mut failed = false;
            for n in 0..400u32 {
                w.write_record(&PacketRecord::flow(1, LinkType::ETHERNET, 0, &frame(n)));
                if n % 5 == 0 && w.flush().is_err() {
                    failed = true;
                    break;
                }
            }
            assert!(failed, "room {room}");
            w.get_mut().abandon().unwrap();
            let bytes = w.into_inner().into_store().bytes;
            assert!(walks_to_the_end(&bytes), "room {room}");
            numbers(&bytes);
        }
    }
}
