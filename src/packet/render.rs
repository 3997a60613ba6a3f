//! Rendering a [`PacketRecord`] as pktmon text: the record line with its prefix, the
//! TAB-indented decode lines and, with `--hex`, the hex lines. Used by every text output
//! (`etl2txt`, real-time console, `hex2pkt`).
//!
//! ```text
//! [02]0000.0000::2021-06-03 19:19:55.618793000 [Microsoft-Windows-PktMon] PktGroupId 562949953421313, PktNumber 1, Appearance 1, Direction Tx , Type Ethernet , Component 84, Edge 1, Filter 0, OriginalSize 54, LoggedSize 54
//! <TAB>54-8C-A0-98-0E-25 > 3C-84-6A-01-EA-8B, ethertype IPv4 (0x0800), length 54: 192.168.0.111.63086 > 31.171.152.19.443: Flags [.], ack 1974835126, win 2042, length 0
//! ```
//! (`<TAB>` is a tab; the record line ends with a space, as pktmon's event template does).

use super::decode::{DecodeOptions, Decoded};
use super::memory::CaptureMemory;
use super::print::{PrintOptions, print_lines};
use super::text::TextOut;
use crate::record::{Direction, LinkType, PacketRecord, RecordKind};

/// The start of each record line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrefixStyle {
    /// `[CC]PPPP.TTTT::YYYY-MM-DD HH:MM:SS.nnnnnnnnn [Microsoft-Windows-PktMon] ` (etl2txt).
    #[default]
    Etw,
    /// `HH:MM:SS.nnnnnnnnn ` (`--timestamp-only`, real-time console).
    TimestampOnly,
    /// No prefix.
    None,
}

/// Everything that changes the text of a record.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    pub prefix: PrefixStyle,
    /// Add the event's level and keywords (`--metadata`).
    pub metadata: bool,
    pub print: PrintOptions,
    pub decode: DecodeOptions,
    /// Add tcpdump `-x` style hex lines of the logged bytes (`--hex`).
    pub hex: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            prefix: PrefixStyle::Etw,
            metadata: false,
            print: PrintOptions::default(),
            decode: DecodeOptions::default(),
            hex: false,
        }
    }
}

/// Where an ETW event came from: `[CPU]PID.TID` in the prefix.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EventOrigin {
    pub cpu: u32,
    pub process_id: u32,
    pub thread_id: u32,
}

impl EventOrigin {
    /// For a packet record without ETW context: pktmon packet events carry PID/TID 0, and
    /// the CPU is the top 16 bits of the PktGroupId (true of every published sample).
    pub fn of_record(rec: &PacketRecord<'_>) -> Self {
        EventOrigin {
            cpu: (rec.group_id >> 48) as u32,
            process_id: 0,
            thread_id: 0,
        }
    }
}

/// Renders records into a byte buffer; keeps the local-time cache between records.
pub struct TextRenderer {
    opts: TextOptions,
    clock: LocalClock,
    /// The prefix up to the seconds' dot, and the second and origin it is for.
    cached_prefix: Vec<u8>,
    cached_key: Option<(u64, EventOrigin)>,
    middle: KeptMiddle,
    /// What the decode remembers from the records rendered before.
    memory: CaptureMemory,
}

impl TextRenderer {
    pub fn new(opts: TextOptions) -> Self {
        TextRenderer {
            opts,
            clock: LocalClock::default(),
            cached_prefix: Vec::with_capacity(64),
            cached_key: None,
            middle: KeptMiddle::default(),
            memory: CaptureMemory::default(),
        }
    }

    pub fn options(&self) -> &TextOptions {
        &self.opts
    }

    /// Appends the record line, decode lines and hex lines of `rec` to `out`.
    pub fn render(&mut self, rec: &PacketRecord<'_>, out: &mut Vec<u8>) {
        self.render_from(rec, EventOrigin::of_record(rec), out);
    }

    /// As [`render`](Self::render), with the ETW origin known (e.g. from an ETL file).
    pub fn render_from(&mut self, rec: &PacketRecord<'_>, origin: EventOrigin, out: &mut Vec<u8>) {
        self.prefix(rec.timestamp_ns, origin, out);
        self.middle.record_line(rec, out);
        out.push(b'\n');
        let drop = rec.is_drop();
        render_decode(
            rec.link_type,
            &rec.data,
            rec.original_len,
            drop,
            &self.opts,
            &mut self.memory,
            out,
        );
    }

    fn prefix(&mut self, ts_ns: u64, origin: EventOrigin, out: &mut Vec<u8>) {
        if self.opts.prefix != PrefixStyle::None {
            // Everything up to the seconds' dot changes at most once a second per origin:
            // format it then, and only the nanoseconds per record.
            let secs = ts_ns / 1_000_000_000;
            if self.cached_key != Some((secs, origin)) {
                let t = self.clock.civil(ts_ns);
                let p = &mut self.cached_prefix;
                p.clear();
                if self.opts.prefix == PrefixStyle::Etw {
                    p.push(b'[');
                    if origin.cpu < 10 {
                        p.push(b'0');
                    }
                    p.num(origin.cpu);
                    p.push(b']');
                    hex_upper(p, origin.process_id, 4);
                    p.push(b'.');
                    hex_upper(p, origin.thread_id, 4);
                    p.s("::");
                    t.write_date(p);
                    p.push(b' ');
                }
                t.write_hms(p);
                self.cached_key = Some((secs, origin));
            }
            out.extend_from_slice(&self.cached_prefix);
            write_nanos(out, (ts_ns % 1_000_000_000) as u32);
            out.s(if self.opts.prefix == PrefixStyle::Etw {
                " [Microsoft-Windows-PktMon] "
            } else {
                " "
            });
        }
        if self.opts.metadata {
            // pktmon packet events: level 4 (win:Informational), keyword 0x10 (Payload).
            out.s("(Level Informational, Keywords 0x0000000000000010) ");
        }
    }
}

/// Appends the decode lines (and hex lines when asked) of one frame: what `hex2pkt`
/// prints, and what follows each record line. `memory` holds what the decode remembers
/// from the frames before it in the same capture.
pub fn render_decode(
    link_type: LinkType,
    data: &[u8],
    original_len: u32,
    drop: bool,
    opts: &TextOptions,
    memory: &mut CaptureMemory,
    out: &mut Vec<u8>,
) {
    let start: &[u8] = if drop { b"\tDrop: " } else { b"\t" };
    if !drop && invalid_header(out, start, data.len(), original_len) {
        if opts.hex {
            hex_lines(data, out);
        }
        return;
    }
    let mut decoded = Decoded::new();
    decoded.decode(link_type, data, original_len, &opts.decode);
    print_lines(out, &decoded, &opts.print, start, memory);
    if opts.hex {
        hex_lines(data, out);
    }
}

/// tcpdump's line for a record whose lengths make no sense (nothing captured, a length
/// of 0, or less than was captured): `[Invalid header: len(34) < caplen(35)]`; true when
/// it printed one. A drop report may carry no bytes, and is not such a record.
fn invalid_header(out: &mut Vec<u8>, start: &[u8], caplen: usize, len: u32) -> bool {
    let len_short = (len as usize) < caplen;
    if caplen != 0 && len != 0 && !len_short {
        return false;
    }
    out.extend_from_slice(start);
    out.s("[Invalid header:");
    if caplen == 0 {
        out.s(" caplen==0");
    }
    if caplen == 0 && len == 0 {
        out.s(",");
    }
    if len == 0 {
        out.s(" len==0");
    } else if len_short {
        out.s(" len(");
        out.num(len);
        out.s(") < caplen(");
        out.num(caplen);
        out.s(")");
    }
    out.s("]\n");
    true
}

/// Upper-case hex, at least `width` digits.
fn hex_upper(out: &mut Vec<u8>, v: u32, width: usize) {
    let mut digits = [0u8; 8];
    let mut n = v;
    let mut i = 8;
    loop {
        i -= 1;
        digits[i] = b"0123456789ABCDEF"[(n & 0xF) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    for _ in (8 - i)..width {
        out.push(b'0');
    }
    out.extend_from_slice(&digits[i..]);
}

/// pktmon's text for a direction (its map: None, Rx, Tx).
fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Unknown => "None",
        Direction::Rx => "Rx",
        Direction::Tx => "Tx",
    }
}

/// The record line body (without prefix and newline), in pktmon's words.
pub fn record_line(rec: &PacketRecord<'_>, out: &mut Vec<u8>) {
    if rec.is_drop() {
        out.s("Drop: ");
    }
    out.s("PktGroupId ");
    out.num(rec.group_id);
    record_line_middle(rec, out);
    record_line_sizes(rec, out);
}

/// The record line from `, PktNumber` to `OriginalSize `: the same for every record of
/// one observation point, so [`TextRenderer`] keeps it between records.
fn record_line_middle(rec: &PacketRecord<'_>, out: &mut Vec<u8>) {
    let drop = match &rec.kind {
        RecordKind::Flow => None,
        RecordKind::Drop { reason, location } => Some((reason, location)),
    };
    out.s(", PktNumber ");
    out.num(rec.packet_number);
    out.s(", Appearance ");
    out.num(rec.appearance);
    out.s(", Direction ");
    out.s(direction_word(rec.direction));
    out.s(" , Type ");
    out.s(rec.link_type.pktmon_name());
    out.s(" , Component ");
    out.num(rec.component);
    // Real drop lines have no Edge (both published samples).
    if drop.is_none() {
        out.s(", Edge ");
        out.num(rec.edge);
    }
    out.s(", Filter ");
    out.num(rec.filter_id);
    if let Some((reason, location)) = drop {
        out.s(", DropReason ");
        text_field(out, reason);
        out.s(" , DropLocation ");
        text_field(out, location);
    }
    out.s(", OriginalSize ");
}

/// The end of the record line: the two sizes.
fn record_line_sizes(rec: &PacketRecord<'_>, out: &mut Vec<u8>) {
    out.num(rec.original_len.max(rec.data.len() as u32));
    out.s(", LoggedSize ");
    out.num(rec.data.len());
    out.s(" ");
}

/// What a flow record's [`record_line_middle`] is written from.
#[derive(Clone, Copy, PartialEq, Eq)]
struct MiddleKey {
    packet_number: u32,
    appearance: u32,
    direction: Direction,
    link_type: LinkType,
    component: u32,
    edge: u32,
    filter_id: u32,
}

impl MiddleKey {
    /// The key of a flow record; drop records (their reasons are text) are not kept.
    fn of(rec: &PacketRecord<'_>) -> Option<MiddleKey> {
        matches!(rec.kind, RecordKind::Flow).then_some(MiddleKey {
            packet_number: rec.packet_number,
            appearance: rec.appearance,
            direction: rec.direction,
            link_type: rec.link_type,
            component: rec.component,
            edge: rec.edge,
            filter_id: rec.filter_id,
        })
    }
}

/// The last flow record's line middle, and what it was written from.
#[derive(Default)]
struct KeptMiddle {
    key: Option<MiddleKey>,
    text: Vec<u8>,
}

impl KeptMiddle {
    /// Appends the record line of `rec`, writing its middle only when it differs from
    /// the last record's.
    fn record_line(&mut self, rec: &PacketRecord<'_>, out: &mut Vec<u8>) {
        let Some(key) = MiddleKey::of(rec) else {
            record_line(rec, out);
            return;
        };
        if self.key != Some(key) {
            self.text.clear();
            record_line_middle(rec, &mut self.text);
            self.key = Some(key);
        }
        out.s("PktGroupId ");
        out.num(rec.group_id);
        out.extend_from_slice(&self.text);
        record_line_sizes(rec, out);
    }
}

/// Text from a file (drop reasons): control characters would break the line structure
/// (a newline could fake a record), so they print as `?`.
fn text_field(out: &mut Vec<u8>, s: &str) {
    if s.chars().any(char::is_control) {
        out.s(&s.replace(char::is_control, "?"));
    } else {
        out.s(s);
    }
}

/// tcpdump `-x` lines: TAB, offset, then up to eight 2-byte groups per line.
pub fn hex_lines(data: &[u8], out: &mut Vec<u8>) {
    for (i, line) in data.chunks(16).enumerate() {
        out.s("\t0x");
        out.hex((i * 16) as u64, 4);
        out.s(": ");
        for pair in line.chunks(2) {
            out.push(b' ');
            for b in pair {
                out.hex(u64::from(*b), 2);
            }
        }
        out.push(b'\n');
    }
}

/// A local civil time with nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
}

fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10 % 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

impl Civil {
    fn write_date(&self, out: &mut Vec<u8>) {
        out.num(self.year);
        out.push(b'-');
        push2(out, self.month);
        out.push(b'-');
        push2(out, self.day);
    }

    /// `HH:MM:SS.` (the nanoseconds follow).
    fn write_hms(&self, out: &mut Vec<u8>) {
        push2(out, self.hour);
        out.push(b':');
        push2(out, self.minute);
        out.push(b':');
        push2(out, self.second);
        out.push(b'.');
    }

    /// `HH:MM:SS.nnnnnnnnn`.
    pub fn write_time(&self, out: &mut Vec<u8>) {
        self.write_hms(out);
        write_nanos(out, self.nanos);
    }
}

/// Nine digits, zero-padded.
fn write_nanos(out: &mut Vec<u8>, n: u32) {
    super::text::zero_padded(out, u64::from(n), 9);
}

/// Unix time → local civil time. The zone offset is looked up once per quarter hour of
/// timestamps (offsets change only at such boundaries) instead of once per packet.
#[derive(Default)]
pub struct LocalClock {
    /// (quarter-hour index, offset in seconds) of the last lookup.
    cached: Option<(i64, i64)>,
}

impl LocalClock {
    pub fn civil(&mut self, ts_ns: u64) -> Civil {
        let secs = (ts_ns / 1_000_000_000) as i64;
        let nanos = (ts_ns % 1_000_000_000) as u32;
        let quarter = secs.div_euclid(900);
        let offset = match self.cached {
            Some((q, off)) if q == quarter => off,
            _ => {
                let off = utc_offset(secs);
                self.cached = Some((quarter, off));
                off
            }
        };
        civil_from_unix(secs + offset, nanos)
    }
}

/// Seconds east of UTC of the local zone (TZ honoured) at `secs`.
#[cfg(unix)]
fn utc_offset(secs: i64) -> i64 {
    let t = secs as libc::time_t;
    // SAFETY: localtime_r only writes the `tm` we hand it; zeroed `tm` is a valid value.
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return 0;
        }
        tm.tm_gmtoff as i64
    }
}

#[cfg(not(unix))]
fn utc_offset(_secs: i64) -> i64 {
    0
}

/// Days-from-civil inverse (Howard Hinnant's algorithm), for any `secs`.
pub fn civil_from_unix(secs: i64, nanos: u32) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
        nanos,
    }
}
