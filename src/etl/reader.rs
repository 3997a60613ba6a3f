//! The file as a whole: buffers decompressed, events indexed in time order, the embedded
//! schema collected. Events are decoded lazily while iterating, borrowing from the reader.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::buffer::{BUFFER_HEADER_LEN, BufferHeader, Buffers, ChainError, RawBuffer, flag};
use super::builtin::pktmon_schema;
use super::bytes::Guid;
use super::error::EtlError;
use super::event::Event;
use super::logfile::{Clock, LogfileHeader};
use super::lz77;
use super::pktmon::{self, PacketEvent, Rundown};
use super::raw::{EventWalker, HeaderKind, RawEvent, parse_at};
use super::tdh::{EVENT_METADATA_GUID, EventTemplate, FastMap, Schema, ValueMap};
use super::value::{DecodeError, Field, decode_indexed};

/// Largest uncompressed buffer accepted whatever the logfile header says (ETW's own limit is
/// far below): bounds the one allocation a compressed buffer costs.
pub const MAX_BUFFER_BYTES: usize = 64 << 20;

/// Decompressed bytes allowed per byte of file (at least [`MIN_DECOMPRESSED_BUDGET`]): real
/// pktmon buffers compress about 8:1; this stops a small file from expanding into gigabytes.
pub const DECOMPRESSION_RATIO_LIMIT: u64 = 64;
pub const MIN_DECOMPRESSED_BUDGET: u64 = 256 << 20;

/// HookId of the logfile header event.
pub const HOOK_LOGFILE_HEADER: u16 = 0x0000;
/// HookId of the partition information event pktmon prints as "PartitionInfoExtensionV2".
pub const HOOK_PARTITION_INFO: u16 = 0x0050;

/// Opens ETL files.
pub struct EtlFile;

impl EtlFile {
    /// Reads and indexes the whole file. Fails only when nothing can be read (I/O error, not
    /// an ETL file); damage later in the file is reported by [`EtlReader::problems`], with
    /// everything before and around it kept.
    pub fn open(path: impl AsRef<Path>) -> Result<EtlReader, EtlError> {
        let path = path.as_ref();
        let data = std::fs::read(path).map_err(|e| EtlError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        EtlReader::from_bytes(data)
    }
}

/// True if `data` starts like an ETL file (for format sniffing by magic bytes): a buffer
/// header followed by a SYSTEM_TRACE_HEADER whose HookId is the logfile header's.
pub fn looks_like_etl(data: &[u8]) -> bool {
    let (Some(h), Some(ev)) = (
        BufferHeader::parse(data),
        data.get(BUFFER_HEADER_LEN..BUFFER_HEADER_LEN + 8),
    ) else {
        return false;
    };
    h.buffer_size as usize >= BUFFER_HEADER_LEN
        && matches!(ev[2], 0x01 | 0x02)
        && ev[3] == 0xC0
        && u16::from_le_bytes([ev[6], ev[7]]) == HOOK_LOGFILE_HEADER
}

/// Where one buffer's event area lives.
enum Area {
    /// Uncompressed: a range of the file.
    InFile(Range<usize>),
    /// Decompressed.
    Owned(Vec<u8>),
}

/// One buffer that contributed events.
struct BufferData {
    file_offset: u64,
    header: BufferHeader,
    area: Area,
}

/// One event's place: sorted by `ts`, ties in file order.
#[derive(Clone, Copy)]
struct Slot {
    ts: u64,
    buffer: u32,
    offset: u32,
}

/// Counts gathered while reading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadStats {
    pub buffers: u64,
    pub compressed_buffers: u64,
    /// Buffers that could not be used (their problems are in [`EtlReader::problems`]).
    pub skipped_buffers: u64,
    /// Events yielded by [`EtlReader::events`].
    pub events: u64,
    /// Embedded schema events (consumed, not yielded).
    pub metadata_events: u64,
    /// Of `events`: PktMon packets (160), drops (170), other PktMon events, system events,
    /// and events of other providers.
    pub packets: u64,
    pub drops: u64,
    pub pktmon_other: u64,
    pub system: u64,
    pub other: u64,
    /// Buffers flagged EVENTS_LOST / BUFFER_LOST by the writer.
    pub buffers_flagged_events_lost: u64,
    pub buffers_flagged_buffer_lost: u64,
}

impl ReadStats {
    fn count(&mut self, ev: &RawEvent<'_>) {
        match ev.kind {
            HeaderKind::System { .. } | HeaderKind::Perfinfo { .. } => self.system += 1,
            _ if ev.provider == pktmon::PKTMON_PROVIDER => match ev.descriptor.id {
                pktmon::id::PACKET => self.packets += 1,
                pktmon::id::DROP => self.drops += 1,
                _ => self.pktmon_other += 1,
            },
            _ => self.other += 1,
        }
    }
}

/// A whole ETL file, ready to iterate.
pub struct EtlReader {
    data: Vec<u8>,
    buffers: Vec<BufferData>,
    slots: Vec<Slot>,
    header: LogfileHeader,
    header_event: HeaderEvent,
    clock: Clock,
    schema: Schema,
    problems: Vec<EtlError>,
    stats: ReadStats,
    /// (buffer, offset) of the logfile header event.
    header_slot: Option<(u32, u32)>,
    /// Every template (embedded, else built-in) with its maps and message resolved.
    resolved: FastMap<(Guid, u16, u16), Resolved>,
    /// Built on first use: text output does not need it.
    rundown: std::sync::OnceLock<Rundown>,
    pktmon: PktMonMaps,
    /// Decompressed bytes still allowed (see [`DECOMPRESSION_RATIO_LIMIT`]).
    budget: u64,
}

/// A template with what decoding and printing its events needs, looked up once.
struct Resolved {
    template: Arc<EventTemplate>,
    /// Per property: its value map.
    maps: Vec<Option<Arc<ValueMap>>>,
    /// The message to print (see [`EtlReader::message_for`]).
    message: Option<String>,
}

/// What the PktMon hot path needs, resolved once: maps (embedded, else built-in) and
/// whether the packet templates are the known ones.
#[derive(Default)]
struct PktMonMaps {
    direction: Option<Arc<ValueMap>>,
    packet_type: Option<Arc<ValueMap>>,
    drop_reason: Option<Arc<ValueMap>>,
    /// Per (event id, version): true if events can be read with the fixed layout.
    /// Few entries: a list is faster than hashing on every packet.
    fixed_layout: Vec<((u16, u16), bool)>,
    /// Per event id (160, 170): the chosen message is the standard one (fast text path).
    standard_message: [bool; 2],
}

const PACKET_MESSAGE: &str = "PktGroupId %1, PktNumber %2, Appearance %3, Direction %4, Type %5, Component %6, Edge %7, Filter %8, OriginalSize %11, LoggedSize %12 ";
const DROP_MESSAGE: &str = "Drop: PktGroupId %1, PktNumber %2, Appearance %3, Direction %4, Type %5, Component %6, Filter %8, DropReason %9, DropLocation %10, OriginalSize %11, LoggedSize %12 ";

/// Where the logfile header event came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderEvent {
    pub cpu: u16,
    pub pid: u32,
    pub tid: u32,
    pub timestamp: u64,
    pub pointer64: bool,
}

impl EtlReader {
    /// Indexes a file already in memory. See [`EtlFile::open`].
    pub fn from_bytes(data: Vec<u8>) -> Result<EtlReader, EtlError> {
        let (header, header_event) = read_logfile_header(&data)?;
        let clock =
            Clock::new(&header, header_event.timestamp).ok_or_else(|| EtlError::NotEtl {
                offset: BUFFER_HEADER_LEN as u64,
                what: format!(
                    "the logfile header names clock type {} with frequency 0",
                    header.reserved_flags
                ),
            })?;
        let mut r = EtlReader {
            data: Vec::new(),
            buffers: Vec::new(),
            slots: Vec::new(),
            header,
            header_event,
            clock,
            schema: Schema::default(),
            problems: Vec::new(),
            stats: ReadStats::default(),
            header_slot: None,
            resolved: FastMap::default(),
            rundown: std::sync::OnceLock::new(),
            pktmon: PktMonMaps::default(),
            budget: (data.len() as u64)
                .saturating_mul(DECOMPRESSION_RATIO_LIMIT)
                .max(MIN_DECOMPRESSED_BUDGET),
        };
        r.index(&data);
        r.check_buffer_count(data.len() as u64);
        r.data = data;
        // Stable: equal timestamps keep file order, as `pktmon format` prints them.
        r.slots.sort_by_key(|s| s.ts);
        r.stats.events = r.slots.len() as u64;
        r.resolve_templates();
        r.resolve_pktmon();
        Ok(r)
    }

    fn resolve_templates(&mut self) {
        let builtin = pktmon_schema().templates().filter(|t| {
            let d = t.descriptor;
            self.schema.template(t.provider, d.id, d.version).is_none()
        });
        let all: Vec<Arc<EventTemplate>> =
            self.schema.templates().chain(builtin).cloned().collect();
        for t in all {
            let maps = t
                .properties
                .iter()
                .map(|p| {
                    p.map_name
                        .as_deref()
                        .and_then(|name| self.map_arc(t.provider, name))
                })
                .collect();
            let message = self.message_for(&t).map(str::to_string);
            let d = t.descriptor;
            self.resolved.insert(
                (t.provider, d.id, d.version),
                Resolved {
                    template: t,
                    maps,
                    message,
                },
            );
        }
    }

    /// Decodes an event's user data with its resolved template.
    pub(crate) fn decode_event<'a>(
        &'a self,
        provider: Guid,
        id: u16,
        version: u16,
        data: &'a [u8],
        pointer64: bool,
    ) -> Option<(Vec<Field<'a>>, Option<DecodeError>)> {
        let r = self.resolved.get(&(provider, id, version))?;
        Some(decode_indexed(&r.template, data, pointer64, &|i| {
            r.maps.get(i).and_then(|m| m.as_deref())
        }))
    }

    /// The message chosen for an event's template, if it has one.
    pub(crate) fn message_of(&self, provider: Guid, id: u16, version: u16) -> Option<&str> {
        self.resolved
            .get(&(provider, id, version))?
            .message
            .as_deref()
    }

    fn resolve_pktmon(&mut self) {
        let p = pktmon::PKTMON_PROVIDER;
        let mut maps = PktMonMaps {
            direction: self.map_arc(p, "PacketDirectionTag"),
            packet_type: self.map_arc(p, "PacketType"),
            drop_reason: self.map_arc(p, "DropReason"),
            ..PktMonMaps::default()
        };
        for (i, (id, standard)) in [
            (pktmon::id::PACKET, PACKET_MESSAGE),
            (pktmon::id::DROP, DROP_MESSAGE),
        ]
        .into_iter()
        .enumerate()
        {
            let t = self.template(p, id, 0);
            let fixed = t.is_none_or(pktmon::template_is_fixed_layout);
            maps.standard_message[i] = fixed
                && t.and_then(|t| self.message_for(t))
                    .is_none_or(|m| m == standard);
        }
        for version in self
            .schema
            .versions_of(p, &[pktmon::id::PACKET, pktmon::id::DROP])
        {
            let fixed = self
                .schema
                .template(p, version.0, version.1)
                .is_none_or(|t| pktmon::template_is_fixed_layout(t));
            maps.fixed_layout.push((version, fixed));
        }
        self.pktmon = maps;
    }

    fn map_arc(&self, provider: Guid, name: &str) -> Option<Arc<ValueMap>> {
        self.schema
            .map(provider, name)
            .or_else(|| {
                (provider == pktmon::PKTMON_PROVIDER)
                    .then(|| pktmon_schema().map(provider, name))
                    .flatten()
            })
            .cloned()
    }

    /// Reads the rundown (components, properties, counters, filters) in time order.
    fn collect_rundown(&self) -> Rundown {
        let mut rundown = Rundown::default();
        let ids = pktmon::id::COMPONENT..=pktmon::id::FILTER_IPV6;
        for slot in &self.slots {
            let Some(b) = self.buffers.get(slot.buffer as usize) else {
                continue;
            };
            // Look at the header before building an event: most events are packets.
            let Ok(Some((raw, _))) = parse_at(self.area(b), slot.offset as usize) else {
                continue;
            };
            if raw.provider != pktmon::PKTMON_PROVIDER
                || !matches!(raw.kind, HeaderKind::Event { .. })
                || !ids.contains(&raw.descriptor.id)
            {
                continue;
            }
            let ev = Event::new(self, b.header.processor, raw, false);
            let (fields, _) = ev.fields();
            rundown.add(raw.descriptor.id, &fields);
        }
        rundown
    }

    fn max_area(&self) -> usize {
        let declared = self.header.buffer_size as usize;
        if declared >= BUFFER_HEADER_LEN {
            (declared - BUFFER_HEADER_LEN).min(MAX_BUFFER_BYTES)
        } else {
            MAX_BUFFER_BYTES
        }
    }

    /// Walks every buffer: decompresses, indexes events, feeds the schema.
    fn index(&mut self, data: &[u8]) {
        let max_area = self.max_area();
        for item in Buffers::new(data) {
            let raw = match item {
                Ok(raw) => raw,
                Err(ChainError::Truncated { offset, what }) => {
                    self.truncated_tail(data, offset, what, max_area);
                    break;
                }
                Err(ChainError::Corrupt { offset, what }) => {
                    self.problems.push(EtlError::Corrupt { offset, what });
                    break;
                }
            };
            self.stats.buffers += 1;
            match self.load_area(raw, max_area) {
                Ok(area) => self.add_buffer(data, raw.file_offset, raw.header, area, false),
                Err(e) => {
                    self.stats.skipped_buffers += 1;
                    self.problems.push(e);
                }
            }
        }
    }

    /// A file cut exactly at a buffer boundary still has a sound chain; the logfile header's
    /// count of buffers written tells (except in circular mode, which overwrites buffers).
    fn check_buffer_count(&mut self, file_len: u64) {
        const CIRCULAR: u32 = 0x2;
        let written = u64::from(self.header.buffers_written);
        let seen = self.stats.buffers;
        let truncated = self
            .problems
            .iter()
            .any(|p| matches!(p, EtlError::Truncated { .. }));
        if self.header.log_file_mode & CIRCULAR == 0 && seen < written && !truncated {
            self.problems.push(EtlError::Truncated {
                offset: file_len,
                what: format!(
                    "the file ends after {seen} buffers but its header says {written} were written"
                ),
            });
        }
    }

    /// A buffer header whose BufferSize runs past the end of the file: keep the events that
    /// are wholly present (a compressed stream decodes to a usable prefix).
    fn truncated_tail(&mut self, data: &[u8], offset: u64, what: String, max_area: usize) {
        self.problems.push(EtlError::Truncated { offset, what });
        let start = offset as usize;
        let Some(header) = data.get(start..).and_then(BufferHeader::parse) else {
            return;
        };
        let stored = &data[start + BUFFER_HEADER_LEN..];
        let want = header.events_len();
        if header.offset as usize <= BUFFER_HEADER_LEN || want > max_area {
            return;
        }
        self.stats.buffers += 1;
        if header.is_compressed() {
            self.stats.compressed_buffers += 1;
            if want as u64 > self.budget {
                return;
            }
            self.budget -= want as u64;
            let mut out = Vec::new();
            // Short input is the expected outcome here; whatever was produced is kept.
            let _ = lz77::decompress_into(stored, want, &mut out);
            self.add_buffer(data, offset, header, Area::Owned(out), true);
        } else {
            let len = want.min(stored.len());
            let begin = start + BUFFER_HEADER_LEN;
            self.add_buffer(data, offset, header, Area::InFile(begin..begin + len), true);
        }
    }

    fn load_area(&mut self, raw: RawBuffer<'_>, max_area: usize) -> Result<Area, EtlError> {
        let h = &raw.header;
        let corrupt = |what: String| EtlError::Corrupt {
            offset: raw.file_offset,
            what,
        };
        if (h.offset as usize) < BUFFER_HEADER_LEN {
            return Err(corrupt(format!(
                "buffer data end {} lies inside the buffer header",
                h.offset
            )));
        }
        let want = h.events_len();
        if h.is_compressed() {
            self.stats.compressed_buffers += 1;
            if want > max_area {
                return Err(corrupt(format!(
                    "compressed buffer claims {want} bytes of events, more than the {max_area} a buffer can hold"
                )));
            }
            if want as u64 > self.budget {
                return Err(corrupt(format!(
                    "compressed buffer claims {want} bytes of events: the file would expand to more than {DECOMPRESSION_RATIO_LIMIT} times its size"
                )));
            }
            self.budget -= want as u64;
            let mut out = Vec::new();
            lz77::decompress_into(raw.stored, want, &mut out).map_err(|e| {
                corrupt(format!(
                    "buffer does not decompress ({e}; compressed data starts at byte offset {})",
                    raw.file_offset + BUFFER_HEADER_LEN as u64
                ))
            })?;
            Ok(Area::Owned(out))
        } else {
            if h.offset > h.buffer_size {
                return Err(corrupt(format!(
                    "buffer data end {} is beyond the buffer size {}",
                    h.offset, h.buffer_size
                )));
            }
            let begin = raw.file_offset as usize + BUFFER_HEADER_LEN;
            Ok(Area::InFile(begin..begin + want))
        }
    }

    /// Indexes one buffer's events and keeps its data. `truncated`: the area is the decodable
    /// prefix of a cut-off buffer, so an event running past its end is expected.
    fn add_buffer(
        &mut self,
        data: &[u8],
        file_offset: u64,
        header: BufferHeader,
        area: Area,
        truncated: bool,
    ) {
        if header.flags & flag::EVENTS_LOST != 0 {
            self.stats.buffers_flagged_events_lost += 1;
        }
        if header.flags & flag::BUFFER_LOST != 0 {
            self.stats.buffers_flagged_buffer_lost += 1;
        }
        let buffer = self.buffers.len() as u32;
        let mut walked = 0;
        let bytes: &[u8] = match &area {
            Area::InFile(r) => data.get(r.clone()).unwrap_or(&[]),
            Area::Owned(v) => v,
        };
        let mut last_ts = 0;
        let mut walker = EventWalker::new(bytes);
        while let Some(item) = walker.next() {
            match item {
                Ok((at, ev)) => {
                    walked = walker.position().min(bytes.len());
                    if is_metadata(&ev) {
                        self.stats.metadata_events += 1;
                        self.schema
                            .add_metadata_event(ev.descriptor.opcode, ev.user_data);
                        continue;
                    }
                    // A WPP message without a timestamp sorts with its predecessor.
                    let ts = ev.timestamp.unwrap_or(last_ts);
                    last_ts = ts;
                    if file_offset == 0 && at == 0 {
                        self.header_slot = Some((buffer, 0));
                    }
                    self.stats.count(&ev);
                    self.slots.push(Slot {
                        ts,
                        buffer,
                        offset: at as u32,
                    });
                }
                Err(e) if !truncated => self.problems.push(EtlError::Corrupt {
                    offset: file_offset,
                    what: format!(
                        "in the buffer starting here, the event at buffer offset {:#x}{}: {}",
                        BUFFER_HEADER_LEN + e.at,
                        if header.is_compressed() {
                            " (after decompression)"
                        } else {
                            ""
                        },
                        e.what
                    ),
                }),
                Err(_) => {}
            }
        }
        let mut area = area;
        if let Area::Owned(v) = &mut area {
            // Keep only the bytes holding events (fill after the last one is dead weight).
            v.truncate(walked);
            v.shrink_to_fit();
        }
        self.buffers.push(BufferData {
            file_offset,
            header,
            area,
        });
    }

    pub fn header(&self) -> &LogfileHeader {
        &self.header
    }

    pub fn header_event(&self) -> HeaderEvent {
        self.header_event
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Everything that went wrong, in file order. Empty for a sound file.
    pub fn problems(&self) -> &[EtlError] {
        &self.problems
    }

    pub fn stats(&self) -> &ReadStats {
        &self.stats
    }

    /// All events except the embedded schema, in time order (ties in file order).
    pub fn events(&self) -> Events<'_> {
        Events {
            reader: self,
            slots: self.slots.iter(),
        }
    }

    /// The buffers that were read: file offset and header (CPU, flags, sizes).
    pub fn buffers(&self) -> impl Iterator<Item = (u64, &BufferHeader)> {
        self.buffers.iter().map(|b| (b.file_offset, &b.header))
    }

    /// Number of events [`events`](Self::events) yields.
    pub fn event_count(&self) -> usize {
        self.slots.len()
    }

    /// Components, their properties and counters, and the filters, from the rundown.
    pub fn rundown(&self) -> &Rundown {
        self.rundown.get_or_init(|| self.collect_rundown())
    }

    /// True if the file holds any Microsoft-Windows-PktMon event.
    pub fn has_pktmon_events(&self) -> bool {
        self.stats.packets + self.stats.drops + self.stats.pktmon_other > 0
    }

    /// `Err(NoPacketMonitorEvents)` for an ETL file of other providers only (what the
    /// pktmon commands refuse with exit 1).
    pub fn require_pktmon(&self) -> Result<(), EtlError> {
        if self.has_pktmon_events() {
            Ok(())
        } else {
            Err(EtlError::NoPacketMonitorEvents {
                events: self.stats.events,
            })
        }
    }

    /// FILETIMEs (UTC) of the first and the last event.
    pub fn time_span(&self) -> Option<(i64, i64)> {
        let first = self.slots.first()?;
        let last = self.slots.last()?;
        Some((self.clock.filetime(first.ts), self.clock.filetime(last.ts)))
    }

    /// The template for an event: the file's embedded one, else the built-in one.
    pub fn template(&self, provider: Guid, id: u16, version: u16) -> Option<&EventTemplate> {
        match self.resolved.get(&(provider, id, version)) {
            Some(r) => Some(&r.template),
            None => self
                .schema
                .template(provider, id, version)
                .or_else(|| {
                    (provider == pktmon::PKTMON_PROVIDER)
                        .then(|| pktmon_schema().template(provider, id, version))
                        .flatten()
                })
                .map(|t| &**t),
        }
    }

    /// A value map: the file's embedded one, else the built-in one.
    pub fn map(&self, provider: Guid, name: &str) -> Option<&ValueMap> {
        self.schema
            .map(provider, name)
            .or_else(|| {
                (provider == pktmon::PKTMON_PROVIDER)
                    .then(|| pktmon_schema().map(provider, name))
                    .flatten()
            })
            .map(|m| &**m)
    }

    /// The message to print for events of template `t`: the embedded one when it is
    /// English (ASCII), else the built-in English one if the layouts agree, else whatever
    /// the file has (localised).
    pub fn message_for<'a>(&'a self, t: &'a EventTemplate) -> Option<&'a str> {
        let embedded = t.message.as_deref();
        if let Some(m) = embedded {
            if m.is_ascii() {
                return Some(m);
            }
        }
        if t.provider == pktmon::PKTMON_PROVIDER {
            if let Some(b) =
                pktmon_schema().template(t.provider, t.descriptor.id, t.descriptor.version)
            {
                if b.properties.len() == t.properties.len() {
                    return b.message.as_deref().or(embedded);
                }
            }
        }
        embedded
    }

    /// The DropReason map's name for a code (with Windows' trailing space).
    pub fn drop_reason_name(&self, code: u32) -> Option<&str> {
        self.pktmon.drop_reason.as_deref()?.get(code)
    }

    pub(crate) fn parse_packet<'a>(&'a self, raw: &RawEvent<'a>) -> Option<PacketEvent<'a>> {
        let d = raw.descriptor;
        let dropped = d.id == pktmon::id::DROP;
        let fixed = self
            .pktmon
            .fixed_layout
            .iter()
            .find(|(k, _)| *k == (d.id, d.version))
            .is_none_or(|(_, fixed)| *fixed);
        if fixed {
            return PacketEvent::parse(raw.user_data, dropped);
        }
        let (fields, _) = self.decode_event(
            raw.provider,
            d.id,
            d.version,
            raw.user_data,
            raw.kind.pointer64(),
        )?;
        PacketEvent::from_fields(&fields, dropped)
    }

    pub(crate) fn packet_message_is_standard(&self, dropped: bool) -> bool {
        self.pktmon.standard_message[usize::from(dropped)]
    }

    /// The packet record line's message, written directly (the hot path of etl2txt).
    pub(crate) fn write_packet_message(&self, out: &mut String, p: &PacketEvent<'_>) {
        let mut n = itoa::Buffer::new();
        let mapped = |out: &mut String, map: &Option<Arc<ValueMap>>, v: u32| match map
            .as_deref()
            .and_then(|m| m.get(v))
        {
            Some(name) => out.push_str(name),
            None => {
                let mut b = itoa::Buffer::new();
                out.push_str(b.format(v));
            }
        };
        if p.dropped {
            out.push_str("Drop: ");
        }
        out.push_str("PktGroupId ");
        out.push_str(n.format(p.group_id));
        out.push_str(", PktNumber ");
        out.push_str(n.format(p.packet_number));
        out.push_str(", Appearance ");
        out.push_str(n.format(p.appearance));
        out.push_str(", Direction ");
        mapped(out, &self.pktmon.direction, u32::from(p.direction_tag));
        out.push_str(", Type ");
        mapped(out, &self.pktmon.packet_type, u32::from(p.packet_type));
        out.push_str(", Component ");
        out.push_str(n.format(p.component_id));
        if !p.dropped {
            out.push_str(", Edge ");
            out.push_str(n.format(p.edge_id));
        }
        out.push_str(", Filter ");
        out.push_str(n.format(p.filter_id));
        if p.dropped {
            out.push_str(", DropReason ");
            mapped(out, &self.pktmon.drop_reason, p.drop_reason);
            let _ = write!(out, ", DropLocation 0x{:X}", p.drop_location);
        }
        out.push_str(", OriginalSize ");
        out.push_str(n.format(p.original_size));
        out.push_str(", LoggedSize ");
        out.push_str(n.format(p.logged_size));
        out.push(' ');
    }

    fn area<'a>(&'a self, b: &'a BufferData) -> &'a [u8] {
        match &b.area {
            Area::InFile(r) => self.data.get(r.clone()).unwrap_or(&[]),
            Area::Owned(v) => v,
        }
    }
}

/// Parses the first buffer's first event, which must be the logfile header.
fn read_logfile_header(data: &[u8]) -> Result<(LogfileHeader, HeaderEvent), EtlError> {
    let not_etl = |offset: u64, what: &str| EtlError::NotEtl {
        offset,
        what: what.to_string(),
    };
    if !looks_like_etl(data) {
        return Err(not_etl(
            0,
            "no ETL buffer header followed by a logfile header event",
        ));
    }
    let Some(bh) = BufferHeader::parse(data) else {
        return Err(not_etl(0, "file shorter than a buffer header"));
    };
    let end = (bh.offset as usize)
        .max(bh.saved_offset as usize)
        .min(bh.buffer_size as usize)
        .min(data.len());
    let area = data.get(BUFFER_HEADER_LEN..end).unwrap_or(&[]);
    let ev = match parse_at(area, 0) {
        Ok(Some((ev, _))) => ev,
        Ok(None) => return Err(not_etl(0x48, "the first buffer holds no events")),
        Err(e) => {
            return Err(not_etl(
                0x48,
                &format!("the logfile header event is unreadable: {}", e.what),
            ));
        }
    };
    let HeaderKind::System { pointer64, .. } = ev.kind else {
        return Err(not_etl(0x48, "the first event is not a system event"));
    };
    let header = LogfileHeader::parse(ev.user_data, pointer64)
        .ok_or_else(|| not_etl(0x48, "the logfile header event is too short"))?;
    Ok((
        header,
        HeaderEvent {
            cpu: bh.processor,
            pid: ev.pid,
            tid: ev.tid,
            timestamp: ev.timestamp.unwrap_or(0),
            pointer64,
        },
    ))
}

/// True for the embedded schema events, which the reader consumes.
fn is_metadata(ev: &RawEvent<'_>) -> bool {
    matches!(ev.kind, HeaderKind::Classic { .. }) && ev.provider == EVENT_METADATA_GUID
}

/// Iterator over a reader's events in time order.
pub struct Events<'r> {
    reader: &'r EtlReader,
    slots: std::slice::Iter<'r, Slot>,
}

impl<'r> Iterator for Events<'r> {
    type Item = Event<'r>;

    fn next(&mut self) -> Option<Event<'r>> {
        for slot in self.slots.by_ref() {
            let Some(b) = self.reader.buffers.get(slot.buffer as usize) else {
                continue;
            };
            let area = self.reader.area(b);
            // Indexed events parsed once already; a failure here cannot happen, but is
            // skipped rather than trusted.
            let Ok(Some((raw, _))) = parse_at(area, slot.offset as usize) else {
                continue;
            };
            let is_header = self.reader.header_slot == Some((slot.buffer, slot.offset));
            return Some(Event::new(self.reader, b.header.processor, raw, is_header));
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.slots.len()))
    }
}
