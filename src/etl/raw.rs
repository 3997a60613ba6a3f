//! Raw events inside a buffer: the trace-header kinds, their sizes, and the walk from one event
//! to the next.

use super::bytes::{Guid, align8, guid_at, u8_at, u16_at, u32_at, u64_at};

/// Which trace header an event starts with. `pointer64` tells the pointer size of its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeaderKind {
    /// SYSTEM_TRACE_HEADER (kernel/system events, the logfile header); `compact` = 0x18 form.
    System { pointer64: bool, compact: bool },
    /// PERFINFO_TRACE_HEADER (kernel logs).
    Perfinfo { pointer64: bool },
    /// EVENT_TRACE_HEADER: classic (MOF) events, and the embedded schema events.
    Classic { pointer64: bool },
    /// EVENT_INSTANCE_GUID_HEADER.
    InstanceGuid { pointer64: bool },
    /// EVENT_HEADER: manifest and TraceLogging events (all PktMon events).
    Event { pointer64: bool },
    /// MESSAGE_TRACE_HEADER: WPP software-trace messages (need TMF files; kept raw).
    Message,
}

impl HeaderKind {
    /// Fixed header length before extended items / data.
    pub fn header_len(self) -> usize {
        match self {
            HeaderKind::System { compact: true, .. } => 0x18,
            HeaderKind::System { compact: false, .. } => 0x20,
            HeaderKind::Perfinfo { .. } => 0x10,
            HeaderKind::Classic { .. } => 0x30,
            HeaderKind::InstanceGuid { .. } => 0x48,
            HeaderKind::Event { .. } => 0x50,
            HeaderKind::Message => 0x08,
        }
    }

    pub fn pointer64(self) -> bool {
        match self {
            HeaderKind::System { pointer64, .. }
            | HeaderKind::Perfinfo { pointer64 }
            | HeaderKind::Classic { pointer64 }
            | HeaderKind::InstanceGuid { pointer64 }
            | HeaderKind::Event { pointer64 } => pointer64,
            HeaderKind::Message => true,
        }
    }

    /// Classifies the first dword of an event; `None` if it is no known trace header.
    pub fn classify(first: [u8; 4]) -> Option<HeaderKind> {
        let (ty, marker) = (first[2], first[3]);
        if marker & 0xD0 == 0x90 {
            return Some(HeaderKind::Message);
        }
        if marker != 0xC0 {
            return None;
        }
        Some(match ty {
            0x01 | 0x02 => HeaderKind::System {
                pointer64: ty == 0x02,
                compact: false,
            },
            0x03 | 0x04 => HeaderKind::System {
                pointer64: ty == 0x04,
                compact: true,
            },
            0x0A | 0x14 => HeaderKind::Classic {
                pointer64: ty == 0x14,
            },
            0x0B | 0x15 => HeaderKind::InstanceGuid {
                pointer64: ty == 0x15,
            },
            0x10 | 0x11 => HeaderKind::Perfinfo {
                pointer64: ty == 0x11,
            },
            0x12 | 0x13 => HeaderKind::Event {
                pointer64: ty == 0x13,
            },
            _ => return None,
        })
    }

    /// Where the u16 size field is.
    fn size_offset(self) -> usize {
        match self {
            HeaderKind::System { .. } | HeaderKind::Perfinfo { .. } => 4,
            _ => 0,
        }
    }
}

/// EVENT_DESCRIPTOR, or its equivalent for the older header kinds (system events: `id` is the
/// HookId; classic events: `opcode` is Class.Type).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Descriptor {
    pub id: u16,
    pub version: u16,
    pub channel: u8,
    pub level: u8,
    pub opcode: u8,
    pub task: u16,
    pub keyword: u64,
}

/// One event as stored, before any decoding of its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawEvent<'a> {
    pub kind: HeaderKind,
    /// Session clock; `None` only for WPP messages written without one.
    pub timestamp: Option<u64>,
    pub pid: u32,
    pub tid: u32,
    /// EVENT_HEADER ProviderId, or the classic event's Guid; zero for system events.
    pub provider: Guid,
    pub descriptor: Descriptor,
    /// EVENT_HEADER Flags (0 for other kinds).
    pub flags: u16,
    pub activity_id: Guid,
    /// The extended data items, as stored (see [`ExtendedItems`]).
    pub extended: &'a [u8],
    pub user_data: &'a [u8],
}

/// EVENT_HEADER Flags bit: extended data items follow the header.
pub const EVENT_HEADER_FLAG_EXTENDED_INFO: u16 = 0x0001;

/// What stopped the walk of a buffer's events early.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventError {
    /// Offset in the event area (buffer offset − 0x48).
    pub at: usize,
    pub what: String,
}

/// Parses the event at `pos` of an event area. `Ok(None)`: an end marker (zeros / 0xFF fill,
/// or fewer than 4 bytes left). Returns the event and the offset of the next one.
pub fn parse_at(area: &[u8], pos: usize) -> Result<Option<(RawEvent<'_>, usize)>, EventError> {
    let Some(first) = area.get(pos..pos.saturating_add(4)) else {
        return Ok(None);
    };
    let first = [first[0], first[1], first[2], first[3]];
    if first == [0; 4] || first == [0xFF; 4] {
        return Ok(None);
    }
    let err = |what: String| EventError { at: pos, what };
    let kind = HeaderKind::classify(first).ok_or_else(|| {
        err(format!(
            "unknown trace header {:02X} {:02X} {:02X} {:02X}",
            first[0], first[1], first[2], first[3]
        ))
    })?;
    let e = &area[pos..];
    let size = usize::from(u16_at(e, kind.size_offset()).unwrap_or(0));
    let header_len = kind.header_len();
    if size < header_len {
        return Err(err(format!(
            "event size {size} is smaller than its {header_len}-byte header"
        )));
    }
    if size > e.len() {
        return Err(err(format!(
            "event of {size} bytes runs past the end of the buffer's data ({} bytes left)",
            e.len()
        )));
    }
    let e = &e[..size];
    let ev = parse_sized(kind, e).map_err(err)?;
    Ok(Some((ev, align8(pos + size))))
}

fn parse_sized(kind: HeaderKind, e: &[u8]) -> Result<RawEvent<'_>, String> {
    // `e` is at least header_len long, so the fixed-offset reads below cannot fail.
    let r16 = |o| u16_at(e, o).unwrap_or(0);
    let r32 = |o| u32_at(e, o).unwrap_or(0);
    let r64 = |o| u64_at(e, o).unwrap_or(0);
    let g = |o| guid_at(e, o).unwrap_or(Guid::ZERO);
    let mut ev = RawEvent {
        kind,
        timestamp: None,
        pid: 0,
        tid: 0,
        provider: Guid::ZERO,
        descriptor: Descriptor::default(),
        flags: 0,
        activity_id: Guid::ZERO,
        extended: &[],
        user_data: &[],
    };
    match kind {
        HeaderKind::System { .. } => {
            ev.descriptor.version = r16(0);
            ev.descriptor.id = r16(6);
            ev.tid = r32(8);
            ev.pid = r32(12);
            ev.timestamp = Some(r64(16));
            ev.user_data = &e[kind.header_len()..];
        }
        HeaderKind::Perfinfo { .. } => {
            ev.descriptor.version = r16(0);
            ev.descriptor.id = r16(6);
            ev.timestamp = Some(r64(8));
            ev.user_data = &e[0x10..];
        }
        HeaderKind::Classic { .. } | HeaderKind::InstanceGuid { .. } => {
            ev.descriptor.opcode = u8_at(e, 4).unwrap_or(0);
            ev.descriptor.level = u8_at(e, 5).unwrap_or(0);
            ev.descriptor.version = r16(6);
            ev.tid = r32(8);
            ev.pid = r32(12);
            ev.timestamp = Some(r64(16));
            ev.provider = g(0x18);
            ev.user_data = &e[kind.header_len()..];
        }
        HeaderKind::Event { .. } => {
            ev.flags = r16(4);
            ev.tid = r32(8);
            ev.pid = r32(12);
            ev.timestamp = Some(r64(16));
            ev.provider = g(0x18);
            ev.descriptor = Descriptor {
                id: r16(0x28),
                version: u16::from(u8_at(e, 0x2A).unwrap_or(0)),
                channel: u8_at(e, 0x2B).unwrap_or(0),
                level: u8_at(e, 0x2C).unwrap_or(0),
                opcode: u8_at(e, 0x2D).unwrap_or(0),
                task: r16(0x2E),
                keyword: r64(0x30),
            };
            ev.activity_id = g(0x40);
            let mut data_at = 0x50;
            if ev.flags & EVENT_HEADER_FLAG_EXTENDED_INFO != 0 {
                data_at = extended_end(e, 0x50)?;
                ev.extended = &e[0x50..data_at];
            }
            ev.user_data = &e[data_at..];
        }
        HeaderKind::Message => {
            ev.descriptor.id = r16(4);
            let options = r16(6);
            let mut at = 8;
            let mut take = |n: usize| -> Result<usize, String> {
                let here = at;
                if here + n > e.len() {
                    return Err(format!(
                        "WPP message of {} bytes too short for its option items",
                        e.len()
                    ));
                }
                at += n;
                Ok(here)
            };
            if options & 0x01 != 0 {
                take(4)?;
            }
            if options & 0x02 != 0 {
                ev.provider = g(take(16)?);
            } else if options & 0x04 != 0 {
                take(4)?;
            }
            if options & 0x08 != 0 {
                ev.timestamp = Some(r64(take(8)?));
            }
            if options & 0x20 != 0 {
                let p = take(8)?;
                ev.tid = r32(p);
                ev.pid = r32(p + 4);
            }
            ev.user_data = &e[at..];
        }
    }
    Ok(ev)
}

/// End of the extended-item chain that starts at `start` of event `e` (= where user data
/// begins).
fn extended_end(e: &[u8], start: usize) -> Result<usize, String> {
    let mut at = start;
    loop {
        let (Some(total), Some(more), Some(len)) =
            (u16_at(e, at), u16_at(e, at + 4), u16_at(e, at + 6))
        else {
            return Err(format!(
                "extended data item at event offset {at:#x} is cut off"
            ));
        };
        let total = usize::from(total);
        if total < 8 + usize::from(len) || at + total > e.len() {
            return Err(format!(
                "extended data item at event offset {at:#x} has an impossible size {total} (data {len}, event {})",
                e.len()
            ));
        }
        at += total;
        if more & 1 == 0 {
            return Ok(at);
        }
    }
}

/// An extended data item (EVENT_HEADER_EXTENDED_DATA_ITEM as stored in a file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExtendedItem<'a> {
    /// 1 related activity id, 2 SID, 3 TS id, 4 instance info, 5/6 stack trace 32/64,
    /// 7 PEBS index, 8 PMC counters, 9 PSM key, 10 event key, 11 TraceLogging schema,
    /// 12 provider traits, 13 process start key.
    pub ext_type: u16,
    pub data: &'a [u8],
}

/// The extended items of a [`RawEvent`] (already validated when the event was parsed).
pub struct ExtendedItems<'a> {
    rest: &'a [u8],
}

impl<'a> ExtendedItems<'a> {
    pub fn new(extended: &'a [u8]) -> Self {
        ExtendedItems { rest: extended }
    }
}

impl<'a> Iterator for ExtendedItems<'a> {
    type Item = ExtendedItem<'a>;

    fn next(&mut self) -> Option<ExtendedItem<'a>> {
        let r = self.rest;
        let total = usize::from(u16_at(r, 0)?);
        let ext_type = u16_at(r, 2)?;
        let len = usize::from(u16_at(r, 6)?);
        let data = r.get(8..8 + len)?;
        self.rest = r.get(total.max(8)..).unwrap_or(&[]);
        Some(ExtendedItem { ext_type, data })
    }
}

/// Walks the events of one event area in stored order. Stops at the first error.
pub struct EventWalker<'a> {
    area: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> EventWalker<'a> {
    pub fn new(area: &'a [u8]) -> Self {
        EventWalker {
            area,
            pos: 0,
            done: false,
        }
    }

    /// Offset of the next event (after the last one yielded, 8-byte aligned).
    pub fn position(&self) -> usize {
        self.pos
    }
}

impl<'a> Iterator for EventWalker<'a> {
    /// The event's offset in the area, and the event.
    type Item = Result<(usize, RawEvent<'a>), EventError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match parse_at(self.area, self.pos) {
            Ok(Some((ev, next))) => {
                let at = self.pos;
                self.pos = next;
                Some(Ok((at, ev)))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event_header(size: u16, flags: u16) -> Vec<u8> {
        let mut e = vec![0u8; 0x50];
        e[0..2].copy_from_slice(&size.to_le_bytes());
        e[2..4].copy_from_slice(&0xC013u16.to_le_bytes());
        e[4..6].copy_from_slice(&flags.to_le_bytes());
        e[8..12].copy_from_slice(&0x1234u32.to_le_bytes());
        e[0x10..0x18].copy_from_slice(&99u64.to_le_bytes());
        e[0x28..0x2A].copy_from_slice(&160u16.to_le_bytes());
        e
    }

    #[test]
    fn user_data_follows_chained_extended_items() {
        // Two items: 8+5 -> 16, 8+8 -> 16; then 3 bytes of user data.
        let mut e = event_header(0x50 + 32 + 3, 1);
        e.extend_from_slice(&[16, 0, 11, 0, 1, 0, 5, 0, 1, 2, 3, 4, 5, 0, 0, 0]);
        e.extend_from_slice(&[16, 0, 12, 0, 0, 0, 8, 0, 9, 9, 9, 9, 9, 9, 9, 9]);
        e.extend_from_slice(b"abc");
        let (ev, next) = parse_at(&e, 0).unwrap().unwrap();
        assert_eq!(next, align8(e.len()));
        assert_eq!(ev.user_data, b"abc");
        assert_eq!(ev.tid, 0x1234);
        assert_eq!(ev.timestamp, Some(99));
        assert_eq!(ev.descriptor.id, 160);
        let items: Vec<_> = ExtendedItems::new(ev.extended).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].ext_type, 11);
        assert_eq!(items[0].data, &[1, 2, 3, 4, 5]);
        assert_eq!(items[1].ext_type, 12);
    }

    #[test]
    fn rejects_bad_sizes_and_unknown_headers() {
        let e = event_header(0x40, 0);
        assert!(parse_at(&e, 0).is_err());
        let e = event_header(0x60, 0);
        assert!(parse_at(&e, 0).is_err(), "runs past the area");
        let mut e = event_header(0x58, 1);
        e.extend_from_slice(&[0, 0, 11, 0, 0, 0, 0, 0]); // item total 0
        assert!(parse_at(&e, 0).is_err());
        assert!(parse_at(&[1, 2, 3, 4, 5, 6, 7, 8], 0).is_err());
        assert_eq!(parse_at(&[0xFF; 16], 0), Ok(None));
        assert_eq!(parse_at(&[0; 3], 0), Ok(None));
    }

    #[test]
    fn classifies_every_header_kind() {
        let k = |t: u8, m: u8| HeaderKind::classify([0, 0, t, m]);
        assert_eq!(
            k(0x02, 0xC0),
            Some(HeaderKind::System {
                pointer64: true,
                compact: false
            })
        );
        assert_eq!(
            k(0x03, 0xC0),
            Some(HeaderKind::System {
                pointer64: false,
                compact: true
            })
        );
        assert_eq!(k(0x14, 0xC0), Some(HeaderKind::Classic { pointer64: true }));
        assert_eq!(
            k(0x0B, 0xC0),
            Some(HeaderKind::InstanceGuid { pointer64: false })
        );
        assert_eq!(
            k(0x11, 0xC0),
            Some(HeaderKind::Perfinfo { pointer64: true })
        );
        assert_eq!(k(0x12, 0xC0), Some(HeaderKind::Event { pointer64: false }));
        assert_eq!(k(0x00, 0x90), Some(HeaderKind::Message));
        assert_eq!(k(0x55, 0xC0), None);
        assert_eq!(k(0x13, 0x40), None);
    }
}
