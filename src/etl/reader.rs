//! The file as a whole, ready to iterate: the index (see `index`), templates resolved once,
//! the rundown on demand. Events are decoded lazily, borrowing from the reader.

use std::path::Path;
use std::sync::Arc;

use super::buffer::{BUFFER_HEADER_LEN, BufferHeader};
use super::builtin::pktmon_schema;
use super::bytes::Guid;
use super::error::EtlError;
use super::event::Event;
use super::index::{Area, BufferData, Index, ReadStats, Slot, read_logfile_header};
use super::logfile::{Clock, LogfileHeader};
use super::pktmon::{self, PacketEvent, PacketMaps, Rundown};
use super::raw::{HeaderKind, RawEvent, parse_at};
use super::tdh::{EventTemplate, FastMap, Schema, ValueMap};
use super::text;
use super::value::{DecodeError, Field, decode_indexed};

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

/// A whole ETL file, ready to iterate.
pub struct EtlReader {
    data: Vec<u8>,
    index: Index,
    header: LogfileHeader,
    header_event: HeaderEvent,
    clock: Clock,
    /// Every template (embedded, else built-in) with its maps and message resolved.
    resolved: FastMap<(Guid, u16, u16), Resolved>,
    /// Built on first use: text output does not need it.
    rundown: std::sync::OnceLock<Rundown>,
    pktmon: PacketMaps,
}

/// A template with what decoding and printing its events needs, looked up once.
struct Resolved {
    template: Arc<EventTemplate>,
    /// Per property: its value map.
    maps: Vec<Option<Arc<ValueMap>>>,
    /// The message to print (see [`EtlReader::message_for`]).
    message: Option<String>,
}

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
        let index = Index::build(&data, &header);
        let mut r = EtlReader {
            data,
            index,
            header,
            header_event,
            clock,
            resolved: FastMap::default(),
            rundown: std::sync::OnceLock::new(),
            pktmon: PacketMaps::default(),
        };
        r.resolve_templates();
        r.resolve_pktmon();
        Ok(r)
    }

    fn resolve_templates(&mut self) {
        let builtin = pktmon_schema().templates().filter(|t| {
            let d = t.descriptor;
            self.index
                .schema
                .template(t.provider, d.id, d.version)
                .is_none()
        });
        let all: Vec<Arc<EventTemplate>> = self
            .index
            .schema
            .templates()
            .chain(builtin)
            .cloned()
            .collect();
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
        let mut maps = PacketMaps {
            direction: self.map_arc(p, "PacketDirectionTag"),
            packet_type: self.map_arc(p, "PacketType"),
            drop_reason: self.map_arc(p, "DropReason"),
            ..PacketMaps::default()
        };
        for (i, (id, standard)) in [
            (pktmon::id::PACKET, pktmon::PACKET_MESSAGE),
            (pktmon::id::DROP, pktmon::DROP_MESSAGE),
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
            .index
            .schema
            .versions_of(p, &[pktmon::id::PACKET, pktmon::id::DROP])
        {
            let fixed = self
                .index
                .schema
                .template(p, version.0, version.1)
                .is_none_or(|t| pktmon::template_is_fixed_layout(t));
            maps.fixed_layout.push((version, fixed));
        }
        self.pktmon = maps;
    }

    fn map_arc(&self, provider: Guid, name: &str) -> Option<Arc<ValueMap>> {
        self.map_entry(provider, name).cloned()
    }

    /// The file's embedded value map, else the built-in one (PktMon only).
    fn map_entry(&self, provider: Guid, name: &str) -> Option<&Arc<ValueMap>> {
        self.index.schema.map(provider, name).or_else(|| {
            (provider == pktmon::PKTMON_PROVIDER)
                .then(|| pktmon_schema().map(provider, name))
                .flatten()
        })
    }

    /// Reads the rundown (components, properties, counters, filters) in time order.
    fn collect_rundown(&self) -> Rundown {
        let mut rundown = Rundown::default();
        let ids = pktmon::id::COMPONENT..=pktmon::id::FILTER_IPV6;
        for slot in &self.index.slots {
            let Some(b) = self.index.buffers.get(slot.buffer as usize) else {
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
        &self.index.schema
    }

    /// Everything that went wrong, in file order. Empty for a sound file.
    pub fn problems(&self) -> &[EtlError] {
        &self.index.problems
    }

    pub fn stats(&self) -> &ReadStats {
        &self.index.stats
    }

    /// All events except the embedded schema, in time order (ties in file order).
    pub fn events(&self) -> Events<'_> {
        Events {
            reader: self,
            slots: self.index.slots.iter(),
        }
    }

    /// The buffers that were read: file offset and header (CPU, flags, sizes).
    pub fn buffers(&self) -> impl Iterator<Item = (u64, &BufferHeader)> {
        self.index
            .buffers
            .iter()
            .map(|b| (b.file_offset, &b.header))
    }

    /// The events from the `start`-th on (what [`events`](Self::events) yields after
    /// skipping `start`): a record source resumes here.
    pub fn events_from(&self, start: usize) -> Events<'_> {
        Events {
            reader: self,
            slots: self.index.slots.get(start..).unwrap_or(&[]).iter(),
        }
    }

    /// Number of events [`events`](Self::events) yields.
    pub fn event_count(&self) -> usize {
        self.index.slots.len()
    }

    /// Components, their properties and counters, and the filters, from the rundown.
    pub fn rundown(&self) -> &Rundown {
        self.rundown.get_or_init(|| self.collect_rundown())
    }

    /// True if the file holds any Microsoft-Windows-PktMon event.
    pub fn has_pktmon_events(&self) -> bool {
        self.index.stats.packets + self.index.stats.drops + self.index.stats.pktmon_other > 0
    }

    /// `Err(NoPacketMonitorEvents)` for an ETL file of other providers only (what the
    /// pktmon commands refuse with exit 1).
    pub fn require_pktmon(&self) -> Result<(), EtlError> {
        if self.has_pktmon_events() {
            Ok(())
        } else {
            Err(EtlError::NoPacketMonitorEvents {
                events: self.index.stats.events,
            })
        }
    }

    /// FILETIMEs (UTC) of the first and the last event.
    pub fn time_span(&self) -> Option<(i64, i64)> {
        let first = self.index.slots.first()?;
        let last = self.index.slots.last()?;
        Some((self.clock.filetime(first.ts), self.clock.filetime(last.ts)))
    }

    /// The template for an event: the file's embedded one, else the built-in one.
    pub fn template(&self, provider: Guid, id: u16, version: u16) -> Option<&EventTemplate> {
        match self.resolved.get(&(provider, id, version)) {
            Some(r) => Some(&r.template),
            None => self
                .index
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
        self.map_entry(provider, name).map(|m| &**m)
    }

    /// The message to print for events of template `t`: the embedded one when it is
    /// English (ASCII), else the built-in English one if the layouts agree, else whatever
    /// the file has (localised).
    pub fn message_for<'a>(&'a self, t: &'a EventTemplate) -> Option<&'a str> {
        let embedded = t.message.as_deref();
        if let Some(m) = embedded
            && m.is_ascii()
        {
            return Some(m);
        }
        if t.provider == pktmon::PKTMON_PROVIDER
            && let Some(b) =
                pktmon_schema().template(t.provider, t.descriptor.id, t.descriptor.version)
            && b.properties.len() == t.properties.len()
        {
            return b.message.as_deref().or(embedded);
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
        text::write_packet_message(out, p, &self.pktmon);
    }

    fn area<'a>(&'a self, b: &'a BufferData) -> &'a [u8] {
        match &b.area {
            Area::InFile(r) => self.data.get(r.clone()).unwrap_or(&[]),
            Area::Owned(v) => v,
        }
    }
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
            let Some(b) = self.reader.index.buffers.get(slot.buffer as usize) else {
                continue;
            };
            let area = self.reader.area(b);
            // Indexed events parsed once already; a failure here cannot happen, but is
            // skipped rather than trusted.
            let Ok(Some((raw, _))) = parse_at(area, slot.offset as usize) else {
                continue;
            };
            let is_header = self.reader.index.header_slot == Some((slot.buffer, slot.offset));
            return Some(Event::new(self.reader, b.header.processor, raw, is_header));
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.slots.len()))
    }
}
