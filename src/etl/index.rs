//! Building the index of a file: buffers walked and decompressed, every event located and
//! sorted by time, the embedded schema collected, damage recorded with its offset.

use std::ops::Range;

use super::buffer::{BUFFER_HEADER_LEN, BufferHeader, Buffers, ChainError, RawBuffer, flag};
use super::error::EtlError;
use super::logfile::LogfileHeader;
use super::lz77;
use super::pktmon;
use super::raw::{EventWalker, HeaderKind, RawEvent, parse_at};
use super::reader::{HeaderEvent, looks_like_etl};
use super::tdh::{EVENT_METADATA_GUID, Schema};

/// Largest uncompressed buffer accepted whatever the logfile header says (ETW's own limit is
/// far below): bounds the one allocation a compressed buffer costs.
pub const MAX_BUFFER_BYTES: usize = 64 << 20;

/// Decompressed bytes allowed per byte of file (at least [`MIN_DECOMPRESSED_BUDGET`]): real
/// pktmon buffers compress about 8:1; this stops a small file from expanding into gigabytes.
pub const DECOMPRESSION_RATIO_LIMIT: u64 = 64;
pub const MIN_DECOMPRESSED_BUDGET: u64 = 256 << 20;

/// Where one buffer's event area lives.
pub(crate) enum Area {
    /// Uncompressed: a range of the file.
    InFile(Range<usize>),
    /// Decompressed.
    Owned(Vec<u8>),
}

/// One buffer that contributed events.
pub(crate) struct BufferData {
    pub file_offset: u64,
    pub header: BufferHeader,
    pub area: Area,
}

/// One event's place: sorted by `ts`, ties in file order.
#[derive(Clone, Copy)]
pub(crate) struct Slot {
    pub ts: u64,
    pub buffer: u32,
    pub offset: u32,
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

/// Everything known about a file's layout once it has been walked.
pub(crate) struct Index {
    pub buffers: Vec<BufferData>,
    /// In time order.
    pub slots: Vec<Slot>,
    pub schema: Schema,
    pub problems: Vec<EtlError>,
    pub stats: ReadStats,
    /// (buffer, offset) of the logfile header event.
    pub header_slot: Option<(u32, u32)>,
}

impl Index {
    /// Walks `data`, whose logfile header is `header`.
    pub fn build(data: &[u8], header: &LogfileHeader) -> Index {
        let declared = header.buffer_size as usize;
        let mut b = Builder {
            index: Index {
                buffers: Vec::new(),
                slots: Vec::new(),
                schema: Schema::default(),
                problems: Vec::new(),
                stats: ReadStats::default(),
                header_slot: None,
            },
            max_area: if declared >= BUFFER_HEADER_LEN {
                (declared - BUFFER_HEADER_LEN).min(MAX_BUFFER_BYTES)
            } else {
                MAX_BUFFER_BYTES
            },
            budget: (data.len() as u64)
                .saturating_mul(DECOMPRESSION_RATIO_LIMIT)
                .max(MIN_DECOMPRESSED_BUDGET),
        };
        b.index(data);
        b.check_buffer_count(header, data.len() as u64);
        let mut index = b.index;
        // Stable: equal timestamps keep file order, as `pktmon format` prints them.
        index.slots.sort_by_key(|s| s.ts);
        index.stats.events = index.slots.len() as u64;
        index
    }
}

/// An [`Index`] under construction, with the limits that bound its memory.
struct Builder {
    index: Index,
    /// Largest event area of one buffer.
    max_area: usize,
    /// Decompressed bytes still allowed (see [`DECOMPRESSION_RATIO_LIMIT`]).
    budget: u64,
}

impl Builder {
    /// Walks every buffer: decompresses, indexes events, feeds the schema.
    fn index(&mut self, data: &[u8]) {
        let max_area = self.max_area;
        for item in Buffers::new(data) {
            let raw = match item {
                Ok(raw) => raw,
                Err(ChainError::Truncated { offset, what }) => {
                    self.truncated_tail(data, offset, what, max_area);
                    break;
                }
                Err(ChainError::Corrupt { offset, what }) => {
                    self.index.problems.push(EtlError::Corrupt { offset, what });
                    break;
                }
            };
            self.index.stats.buffers += 1;
            match self.load_area(raw, max_area) {
                Ok(area) => self.add_buffer(data, raw.file_offset, raw.header, area, false),
                Err(e) => {
                    self.index.stats.skipped_buffers += 1;
                    self.index.problems.push(e);
                }
            }
        }
    }

    /// A file cut exactly at a buffer boundary still has a sound chain; the logfile header's
    /// count of buffers written tells (except in circular mode, which overwrites buffers).
    fn check_buffer_count(&mut self, header: &LogfileHeader, file_len: u64) {
        const CIRCULAR: u32 = 0x2;
        let written = u64::from(header.buffers_written);
        let seen = self.index.stats.buffers;
        let truncated = self
            .index
            .problems
            .iter()
            .any(|p| matches!(p, EtlError::Truncated { .. }));
        if header.log_file_mode & CIRCULAR == 0 && seen < written && !truncated {
            self.index.problems.push(EtlError::Truncated {
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
        self.index
            .problems
            .push(EtlError::Truncated { offset, what });
        let start = offset as usize;
        let Some(header) = data.get(start..).and_then(BufferHeader::parse) else {
            return;
        };
        let stored = &data[start + BUFFER_HEADER_LEN..];
        let want = header.events_len();
        if header.offset as usize <= BUFFER_HEADER_LEN || want > max_area {
            return;
        }
        self.index.stats.buffers += 1;
        if header.is_compressed() {
            self.index.stats.compressed_buffers += 1;
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
            self.index.stats.compressed_buffers += 1;
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
            self.index.stats.buffers_flagged_events_lost += 1;
        }
        if header.flags & flag::BUFFER_LOST != 0 {
            self.index.stats.buffers_flagged_buffer_lost += 1;
        }
        let buffer = self.index.buffers.len() as u32;
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
                        self.index.stats.metadata_events += 1;
                        self.index
                            .schema
                            .add_metadata_event(ev.descriptor.opcode, ev.user_data);
                        continue;
                    }
                    // A WPP message without a timestamp sorts with its predecessor.
                    let ts = ev.timestamp.unwrap_or(last_ts);
                    last_ts = ts;
                    if file_offset == 0 && at == 0 {
                        self.index.header_slot = Some((buffer, 0));
                    }
                    self.index.stats.count(&ev);
                    self.index.slots.push(Slot {
                        ts,
                        buffer,
                        offset: at as u32,
                    });
                }
                Err(e) if !truncated => self.index.problems.push(EtlError::Corrupt {
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
        self.index.buffers.push(BufferData {
            file_offset,
            header,
            area,
        });
    }
}

/// Parses the first buffer's first event, which must be the logfile header.
pub(crate) fn read_logfile_header(data: &[u8]) -> Result<(LogfileHeader, HeaderEvent), EtlError> {
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
        Ok(None) => {
            return Err(not_etl(
                BUFFER_HEADER_LEN as u64,
                "the first buffer holds no events",
            ));
        }
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
