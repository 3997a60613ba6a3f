//! Events as the reader yields them, in time order, with their decoding and text.

use std::borrow::Cow;

use super::bytes::Guid;
use super::logfile::filetime_to_unix_ns;
use super::pktmon::{self, PacketEvent, id};
use super::raw::{HeaderKind, RawEvent};
use super::reader::{EtlReader, HOOK_LOGFILE_HEADER, HOOK_PARTITION_INFO};
use super::tdh::EventTemplate;
use super::text;
use super::tracelogging;
use super::value::{DecodeError, Field};
use crate::record::PacketRecord;

/// Classic-event GUIDs the relogger injects and `pktmon format` does not print
/// (SystemConfigEx and an XML blob of unknown meaning).
const SYSTEM_CONFIG_EX: Guid = Guid::from_fields(
    0x9b79ee91,
    0xb5fd,
    0x41c0,
    [0xa2, 0x43, 0x42, 0x48, 0xe2, 0x66, 0xe9, 0xd0],
);
const UNKNOWN_XML_BLOB: Guid = Guid::from_fields(
    0xed54dff8,
    0xc409,
    0x4cf6,
    [0xbf, 0x83, 0x05, 0xe1, 0xe6, 0x1a, 0x09, 0xc4],
);

/// What an event is, as far as pktmon is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind<'r> {
    /// The logfile header event; its content is [`EtlReader::header`].
    LogfileHeader,
    /// A PktMon packet (160) or dropped packet (170).
    Packet(PacketEvent<'r>),
    /// Any other event: see [`Event::fields`] and [`Event::write_line`].
    Other,
}

/// One event, borrowed from its reader.
#[derive(Clone, Copy)]
pub struct Event<'r> {
    pub(crate) reader: &'r EtlReader,
    /// The CPU of the buffer it came from (pktmon's `[NN]`).
    pub cpu: u16,
    pub raw: RawEvent<'r>,
    /// Wall-clock time as FILETIME (100 ns since 1601-01-01 UTC).
    pub filetime: i64,
    pub kind: EventKind<'r>,
}

impl<'r> Event<'r> {
    pub(crate) fn new(reader: &'r EtlReader, cpu: u16, raw: RawEvent<'r>, is_header: bool) -> Self {
        let filetime = reader.clock().filetime(raw.timestamp.unwrap_or(0));
        let mut ev = Event {
            reader,
            cpu,
            raw,
            filetime,
            kind: EventKind::Other,
        };
        if is_header {
            ev.kind = EventKind::LogfileHeader;
        } else if ev.is_pktmon() && matches!(raw.kind, HeaderKind::Event { .. }) {
            let d = raw.descriptor;
            if (d.id == id::PACKET || d.id == id::DROP)
                && let Some(p) = reader.parse_packet(&raw)
            {
                ev.kind = EventKind::Packet(p);
            }
        }
        ev
    }

    pub fn pid(&self) -> u32 {
        self.raw.pid
    }

    pub fn tid(&self) -> u32 {
        self.raw.tid
    }

    /// Nanoseconds since the Unix epoch.
    pub fn timestamp_ns(&self) -> u64 {
        filetime_to_unix_ns(self.filetime)
    }

    pub fn is_pktmon(&self) -> bool {
        self.raw.provider == pktmon::PKTMON_PROVIDER
    }

    /// The event's id (EVENT_DESCRIPTOR Id; HookId for system events).
    pub fn id(&self) -> u16 {
        self.raw.descriptor.id
    }

    /// The packet, if this is a PktMon 160/170 event.
    pub fn packet(&self) -> Option<&PacketEvent<'r>> {
        match &self.kind {
            EventKind::Packet(p) => Some(p),
            _ => None,
        }
    }

    /// The packet as a record (drop reason named by the file's DropReason map, else by
    /// pktmon's built-in names).
    pub fn packet_record(&self) -> Option<PacketRecord<'r>> {
        let p = self.packet()?;
        let reason = if p.dropped {
            self.reader
                .drop_reason_name(p.drop_reason)
                .map(str::trim_end)
        } else {
            None
        };
        Some(p.record(self.timestamp_ns(), reason))
    }

    /// The template that describes the event: the file's own, else the built-in one.
    pub fn template(&self) -> Option<&'r EventTemplate> {
        let (id, version) = self.schema_key()?;
        self.reader.template(self.raw.provider, id, version)
    }

    /// (id, version) under which the event's template is filed, for the kinds that have one.
    fn schema_key(&self) -> Option<(u16, u16)> {
        let d = self.raw.descriptor;
        match self.raw.kind {
            HeaderKind::Event { .. } => Some((d.id, d.version)),
            HeaderKind::Classic { .. } | HeaderKind::InstanceGuid { .. } => {
                Some((u16::from(d.opcode), d.version))
            }
            _ => None,
        }
    }

    /// Provider name: from the template, a TraceLogging provider trait, or the GUID.
    pub fn provider_name(&self) -> Cow<'r, str> {
        if matches!(
            self.raw.kind,
            HeaderKind::System { .. } | HeaderKind::Perfinfo { .. }
        ) {
            return Cow::Borrowed(text::SYSTEM_PROVIDER_NAME);
        }
        if self.is_pktmon() {
            return Cow::Borrowed(pktmon::PKTMON_PROVIDER_NAME);
        }
        if let Some(name) = self.template().and_then(|t| t.provider_name.as_deref()) {
            return Cow::Borrowed(name);
        }
        if let Some(name) = tracelogging::provider_name(&self.raw) {
            return Cow::Borrowed(name);
        }
        Cow::Owned(format!("{{{}}}", self.raw.provider))
    }

    /// The event's fields, decoded with its template (empty when it has none). On a decode
    /// error the fields before it are returned with the error.
    pub fn fields(&self) -> (Vec<Field<'r>>, Option<DecodeError>) {
        let Some((id, version)) = self.schema_key() else {
            return (Vec::new(), None);
        };
        if let Some(decoded) = self.reader.decode_event(
            self.raw.provider,
            id,
            version,
            self.raw.user_data,
            self.raw.kind.pointer64(),
        ) {
            return decoded;
        }
        match tracelogging::schema(&self.raw) {
            Some(schema) => tracelogging::decode(&schema, self.raw.user_data),
            None => (Vec::new(), None),
        }
    }

    /// True for events Windows' `pktmon format` does not print (the relogger's injected
    /// system-configuration events).
    pub fn is_hidden(&self) -> bool {
        matches!(self.raw.kind, HeaderKind::Classic { .. })
            && (self.raw.provider == SYSTEM_CONFIG_EX || self.raw.provider == UNKNOWN_XML_BLOB)
    }

    /// Appends the event's line as `pktmon format` prints it, without the line end. For a
    /// packet this is the record line only (the decode line is the packet renderer's).
    /// Returns false, appending nothing, for events Windows does not print.
    pub fn write_line(&self, out: &mut String) -> bool {
        if self.is_hidden() {
            return false;
        }
        let local = self.reader.header().time_zone.to_local(self.filetime);
        let provider = self.provider_name();
        text::write_prefix(out, self.cpu, self.raw.pid, self.raw.tid, local, &provider);
        self.write_message(out);
        true
    }

    /// As [`write_line`](Self::write_line) with `etl2txt`'s prefix options:
    /// `timestamp_only` (`-t`) puts `HH:MM:SS.nnnnnnnnn ` (local time) in place of the
    /// ETW prefix; `metadata` (`-m`) adds the event's level and keywords.
    pub fn write_line_with(&self, out: &mut String, timestamp_only: bool, metadata: bool) -> bool {
        if !timestamp_only && !metadata {
            return self.write_line(out);
        }
        if self.is_hidden() {
            return false;
        }
        let local = self.reader.header().time_zone.to_local(self.filetime);
        if timestamp_only {
            let (_, _, _, h, m, s, ticks) = super::logfile::civil_from_filetime(local);
            let _ = std::fmt::Write::write_fmt(
                out,
                format_args!("{h:02}:{m:02}:{s:02}.{:09} ", ticks * 100),
            );
        } else {
            let provider = self.provider_name();
            text::write_prefix(out, self.cpu, self.raw.pid, self.raw.tid, local, &provider);
        }
        if metadata {
            let d = self.raw.descriptor;
            let level = match d.level {
                1 => "Critical".to_string(),
                2 => "Error".to_string(),
                3 => "Warning".to_string(),
                4 => "Informational".to_string(),
                5 => "Verbose".to_string(),
                n => n.to_string(),
            };
            let _ = std::fmt::Write::write_fmt(
                out,
                format_args!("(Level {level}, Keywords 0x{:016X}) ", d.keyword),
            );
        }
        self.write_message(out);
        true
    }

    /// Appends the message part of the line (what follows the `[Provider] ` prefix).
    pub fn write_message(&self, out: &mut String) {
        match &self.kind {
            EventKind::LogfileHeader => text::write_header_message(out, self.reader.header()),
            EventKind::Packet(p) if self.reader.packet_message_is_standard(p.dropped) => {
                self.reader.write_packet_message(out, p)
            }
            _ => {
                if let HeaderKind::System { .. } = self.raw.kind {
                    match self.raw.descriptor.id {
                        HOOK_PARTITION_INFO => {
                            text::write_partition_message(out, self.raw.user_data)
                        }
                        HOOK_LOGFILE_HEADER => {
                            text::write_header_message(out, self.reader.header())
                        }
                        hook => {
                            let _ = std::fmt::Write::write_fmt(
                                out,
                                format_args!(
                                    "Event: HookId 0x{hook:04X}, Size: {}",
                                    self.raw.user_data.len()
                                ),
                            );
                        }
                    }
                    return;
                }
                let (fields, _) = self.fields();
                let template = self.template();
                let message = self
                    .schema_key()
                    .and_then(|(id, v)| self.reader.message_of(self.raw.provider, id, v));
                match message {
                    Some(msg) => text::write_message(out, msg, &fields),
                    None => {
                        let name = self.display_name(template);
                        text::write_fields_message(out, &name, &fields);
                        if template.is_none() && fields.is_empty() {
                            let _ = std::fmt::Write::write_fmt(
                                out,
                                format_args!(", UserDataLength: {}", self.raw.user_data.len()),
                            );
                        }
                    }
                }
            }
        }
    }

    fn display_name(&self, t: Option<&EventTemplate>) -> String {
        if let Some(name) = t.and_then(|t| {
            t.event_name
                .as_deref()
                .or(t.task_name.as_deref())
                .or(t.opcode_name.as_deref())
        }) {
            return name.trim_end().to_string();
        }
        if let Some(schema) = tracelogging::schema(&self.raw) {
            return schema.event_name.to_string();
        }
        match self.raw.kind {
            HeaderKind::Classic { .. } | HeaderKind::InstanceGuid { .. } => {
                format!("Opcode {}", self.raw.descriptor.opcode)
            }
            _ => format!("Id {}", self.raw.descriptor.id),
        }
    }
}
