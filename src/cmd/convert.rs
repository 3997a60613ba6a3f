//! The one conversion module: every input (pcap, pcapng, Windows `.etl`, told apart by
//! content) is a [`FileSource`] of records and component information, and each output is
//! one loop over it: [`to_text`] (`etl2txt`/`format`), [`to_pcapng`] (`etl2pcap`/`pcapng`),
//! [`stats`] (`--stats-only`). The commands only turn arguments into options and call these.
//! Also here: the output name, the progress bar and the console summary.

use crate::error::{Error, Result, exit};
use crate::output::group_thousands;
use crate::packet::render::LocalClock;
use crate::packet::{CaptureMemory, TextOptions, TextRenderer, render_decode};
use crate::pcapng::{InterfaceDescription, PcapngWriter};
use crate::record::LinkType;
use crate::source::pcapng::{ComponentInfo, ComponentRole};
use crate::source::{FileFormat, FileSource, OpenError, RecordSource, SourceError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

mod hops;

/// Opens `path` as a record source; the error says what the file is and what to do.
pub fn open_source(path: &str) -> Result<FileSource<File>> {
    FileSource::open(Path::new(path)).map_err(|e| match e {
        OpenError::Io(io) => Error::failure(format!("Failed to open '{path}': {io}")),
        other => Error::failure(format!("Cannot convert '{path}': {other}")),
    })
}

/// The output file: `--out` as given, else the input's name with `extension`, next to
/// the input (Windows pktmon: `PktMon.etl` → `PktMon.txt`). Refuses to overwrite the input.
pub fn output_path(input: &str, out: Option<&str>, extension: &str) -> Result<PathBuf> {
    let path = match out {
        Some(o) => PathBuf::from(o),
        None => Path::new(input).with_extension(extension),
    };
    let same = match (path.canonicalize(), Path::new(input).canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => path == Path::new(input),
    };
    if same {
        return Err(Error::failure(format!(
            "The output file '{}' is the input file; give another name with --out.",
            path.display()
        )));
    }
    Ok(path)
}

/// Creates the output file and says that conversion starts (as Windows pktmon does).
pub fn create_output(path: &Path) -> Result<std::fs::File> {
    let file = create_output_quietly(path)?;
    crate::outln!("Processing...")?;
    Ok(file)
}

/// Creates the output file (stdout is left to a `--json` document).
pub fn create_output_quietly(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::File::create(path).map_err(|e| {
        Error::failure(format!(
            "Failed to create the output file '{}': {e}",
            path.display()
        ))
    })?;
    Ok(file)
}

/// A progress bar on stderr while converting, only when stderr is a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    records: u64,
}

impl Progress {
    pub fn new(total_bytes: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total_bytes),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, records: 0 }
    }

    /// Called per record; touches the bar only every few thousand records.
    #[inline]
    pub fn record(&mut self, bytes_read: u64) {
        self.records += 1;
        if self.records.is_multiple_of(4096)
            && let Some(bar) = &self.bar
        {
            bar.set_position(bytes_read);
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Record counts for the console summary.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub total: u64,
    pub drops: u64,
    pub formatted: u64,
}

/// pktmon's summary (`Packets total:       8106` ...), labels padded to one width.
pub fn write_summary(w: &mut dyn Write, counts: &Counts, formatted_file: Option<&Path>) {
    let _ = writeln!(w);
    let _ = writeln!(w, "Packets total:       {}", group_thousands(counts.total));
    let _ = writeln!(w, "Packet drop count:   {}", group_thousands(counts.drops));
    let _ = writeln!(
        w,
        "Packets formatted:   {}",
        group_thousands(counts.formatted)
    );
    if let Some(f) = formatted_file {
        let _ = writeln!(w, "Formatted file:      {}", f.display());
    }
}

/// Size of the file at `path` (0 when unknown), for the progress bar.
pub fn file_size(path: &str) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The error for a file that breaks off: where, and that what came before was kept.
pub fn damaged(input: &str, e: &SourceError, kept: u64) -> Error {
    Error::failure(format!(
        "Error: '{input}' is damaged: {e}. The {} packets before it were read.",
        group_thousands(kept)
    ))
}

/// The command's result: success, or the damage that stopped the reading.
pub fn outcome(input: &str, counts: &Counts, failure: Option<SourceError>) -> Result<i32> {
    match failure {
        None => Ok(exit::SUCCESS),
        Some(e) => Err(damaged(input, &e, counts.total)),
    }
}

/// Text encoding of the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 with LF line ends (the default here).
    Utf8,
    /// UTF-16LE with a BOM and CRLF line ends, as Windows pktmon writes.
    Utf16,
}

/// Writes rendered text (UTF-8, LF) in the chosen encoding.
pub struct TextSink<W: Write> {
    out: W,
    encoding: Encoding,
    scratch: Vec<u8>,
}

impl<W: Write> TextSink<W> {
    pub fn new(mut out: W, encoding: Encoding) -> io::Result<Self> {
        if encoding == Encoding::Utf16 {
            out.write_all(&[0xFF, 0xFE])?;
        }
        Ok(TextSink {
            out,
            encoding,
            scratch: Vec::new(),
        })
    }

    /// Writes whole lines of UTF-8 text.
    pub fn write(&mut self, text: &[u8]) -> io::Result<()> {
        match self.encoding {
            Encoding::Utf8 => self.out.write_all(text),
            Encoding::Utf16 => {
                self.scratch.clear();
                for unit in String::from_utf8_lossy(text).encode_utf16() {
                    if unit == u16::from(b'\n') {
                        self.scratch.extend_from_slice(&[b'\r', 0]);
                    }
                    self.scratch.extend_from_slice(&unit.to_le_bytes());
                }
                self.out.write_all(&self.scratch)
            }
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// How a text conversion ended: the counts, the damage that stopped the reading (if
/// any), and whether the reader of the output went away (`-o - | head`).
pub struct TextOutcome {
    pub counts: Counts,
    pub failure: Option<SourceError>,
    pub output_closed: bool,
}

/// Renders every record of `source` as pktmon text into `out`. A Windows `.etl` gives
/// every event as Windows' `pktmon format` prints it (packets followed by their decode);
/// other files give one record line and the decode per packet. Everything before a
/// damaged part is written; a write error stops it (a closed pipe quietly).
pub fn to_text<W: Write>(
    input: &str,
    source: &mut FileSource<File>,
    out: W,
    encoding: Encoding,
    opts: TextOptions,
) -> Result<TextOutcome> {
    let write_err = |e: io::Error| Error::failure(format!("Failed to write the text: {e}"));
    let mut sink = TextSink::new(out, encoding).map_err(write_err)?;
    let mut progress = Progress::new(file_size(input));
    let mut counts = Counts::default();
    let mut chunk: Vec<u8> = Vec::with_capacity(1 << 17);
    let mut failure = None;
    let mut written = Ok(());
    if let Some(r) = source.etl() {
        // Windows pktmon's own formatter has a quirk in 802.11 addresses; reproduce it for
        // its logs so that our text equals `pktmon format`'s.
        let mut opts = opts;
        opts.print.windows_wifi_addresses = true;
        opts.print.windows_dns_truncation = true;
        opts.print.windows_printers = true;
        let timestamp_only = opts.prefix == crate::packet::PrefixStyle::TimestampOnly;
        let mut line = String::with_capacity(512);
        let mut memory = CaptureMemory::default();
        for ev in r.events() {
            line.clear();
            if !ev.write_line_with(&mut line, timestamp_only, opts.metadata) {
                continue;
            }
            chunk.extend_from_slice(line.as_bytes());
            chunk.push(b'\n');
            if let Some(rec) = ev.packet_record() {
                counts.total += 1;
                counts.drops += u64::from(rec.is_drop());
                counts.formatted += 1;
                let drop = rec.is_drop();
                render_decode(
                    rec.link_type,
                    &rec.data,
                    rec.original_len,
                    drop,
                    &opts,
                    &mut memory,
                    &mut chunk,
                );
            }
            if chunk.len() >= 1 << 16 {
                written = sink.write(&chunk);
                chunk.clear();
                if written.is_err() {
                    break;
                }
            }
        }
        if let Some(p) = r.problems().first() {
            for p in r.problems() {
                eprintln!("Warning: {p}");
            }
            failure = Some(SourceError::new(p.offset(), p.to_string()));
        }
    } else {
        let mut renderer = TextRenderer::new(opts);
        loop {
            match source.next_record() {
                Ok(Some(rec)) => {
                    counts.total += 1;
                    counts.drops += u64::from(rec.is_drop());
                    renderer.render(&rec, &mut chunk);
                    counts.formatted += 1;
                }
                Ok(None) => break,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
            progress.record(source.bytes_read());
            if chunk.len() >= 1 << 16 {
                written = sink.write(&chunk);
                chunk.clear();
                if written.is_err() {
                    break;
                }
            }
        }
    }
    progress.finish();
    if written.is_ok() {
        written = sink.write(&chunk).and_then(|_| sink.flush());
    }
    match written {
        Ok(()) => Ok(TextOutcome {
            counts,
            failure,
            output_closed: false,
        }),
        // A reader that went away (`| head`) ends the conversion quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(TextOutcome {
            counts,
            failure: None,
            output_closed: true,
        }),
        Err(e) => Err(write_err(e)),
    }
}

/// Which components `etl2pcap` keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentFilter {
    All,
    /// Network adapters: what `pktmon list` shows by default (not loopback, bridges or
    /// other virtual interfaces); Windows' Miniport components. Files from other tools
    /// have no such information and count every interface as an adapter.
    Nics,
    One(u32),
}

impl ComponentFilter {
    pub fn parse(value: Option<&str>) -> Result<Self> {
        match value {
            None => Ok(ComponentFilter::All),
            Some(v) if v.eq_ignore_ascii_case("nics") => Ok(ComponentFilter::Nics),
            Some(v) => v.parse::<u32>().map(ComponentFilter::One).map_err(|_| {
                Error::invalid(format!(
                    "Error: '{v}' is not a valid argument to parameter '--component-id'. \
                     Use a component id or nics. See pktmon etl2pcap help."
                ))
            }),
        }
    }
}

/// Whether a component is a network adapter: as the file says (its role), else from our
/// IDB descriptions (`Component <id>, <kind>...`, files written before the role was kept);
/// unknown components count as adapters.
pub fn is_nic(info: Option<&ComponentInfo>) -> bool {
    let Some(info) = info else { return true };
    if let Some(role) = info.role {
        return role == ComponentRole::Adapter;
    }
    let Some(rest) = info
        .description
        .strip_prefix(&format!("Component {}, ", info.component))
    else {
        return true;
    };
    let kind = rest.split([',', ' ']).next().unwrap_or("");
    matches!(kind, "ethernet" | "wireless" | "veth" | "tap" | "tun")
}

/// What `etl2pcap` writes: drops or flows, which components.
#[derive(Clone, Copy, Debug)]
pub struct PcapngOptions {
    /// Only drops (else only flows, as Windows).
    pub drop_only: bool,
    pub components: ComponentFilter,
}

/// Writes the records of `source` that `opts` keeps as our pcapng into `file`: one
/// interface per component and link type (name, description, MAC from the source).
/// Returns the counts and the damage that stopped the reading, if any.
pub fn to_pcapng(
    input: &str,
    source: &mut FileSource<File>,
    file: File,
    path: &Path,
    opts: PcapngOptions,
) -> Result<(Counts, Option<SourceError>)> {
    let user_appl = concat!("pktmon ", env!("CARGO_PKG_VERSION"));
    // The writer buffers whole blocks itself and is flushed every MiB.
    let mut writer = PcapngWriter::new(file, user_appl, None);
    // Components `-c nics` leaves out (adapters get an interface, so only these are
    // looked up again).
    let mut not_nics: HashSet<u32> = HashSet::new();
    let mut progress = Progress::new(file_size(input));
    let mut counts = Counts::default();
    let mut failure = None;
    let write_err =
        |e: io::Error| Error::failure(format!("Failed to write '{}': {e}", path.display()));
    loop {
        let rec = match source.next_record() {
            Ok(Some(rec)) => rec,
            Ok(None) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        counts.total += 1;
        counts.drops += u64::from(rec.is_drop());
        let component = rec.component;
        let link_type = rec.link_type;
        let wanted = rec.is_drop() == opts.drop_only
            && match opts.components {
                ComponentFilter::All | ComponentFilter::Nics => true,
                ComponentFilter::One(id) => component == id,
            };
        if !wanted || not_nics.contains(&component) {
            drop(rec);
            progress.record(source.bytes_read());
            continue;
        }
        if writer.has_interface(component, link_type) {
            writer.write_record(&rec);
        } else {
            // The record borrows the source: keep a copy while asking it about the
            // component (once per component and link type).
            let owned = rec.into_owned();
            let info = source.component_info(component);
            if opts.components == ComponentFilter::Nics && !is_nic(info.as_ref()) {
                not_nics.insert(component);
                progress.record(source.bytes_read());
                continue;
            }
            let info = info.unwrap_or_else(|| ComponentInfo {
                component,
                name: format!("component{component}"),
                description: format!("Component {component}"),
                ..ComponentInfo::default()
            });
            // The role travels on: `-c nics` on our output needs no description parsing.
            writer.add_interface_with_role(
                &InterfaceDescription {
                    component,
                    name: info.name,
                    description: info.description,
                    link_type,
                    snaplen: info.snaplen,
                    mac: info.mac,
                },
                info.role,
            );
            writer.write_record(&owned);
        }
        counts.formatted += 1;
        if writer.buffered_bytes() >= 1 << 20 {
            writer.flush().map_err(write_err)?;
        }
        progress.record(source.bytes_read());
    }
    progress.finish();
    writer.flush().map_err(write_err)?;
    Ok((counts, failure))
}

/// `--stats-only --json` (docs/schema/etl2txt-stats.schema.json): the same numbers as the
/// text, times in nanoseconds since the Unix epoch.
fn stats_json(
    input: &str,
    format: &str,
    source: &FileSource<File>,
    counts: &Counts,
    (first, last): (u64, u64),
    per_component: &BTreeMap<u32, ComponentStats>,
    hops: &hops::LogHops,
) -> serde_json::Value {
    use serde_json::{Value, json};
    let mut doc = json!({
        "LogFile": input,
        "Format": format,
        "PacketsTotal": counts.total,
        "PacketDropCount": counts.drops,
        "FirstPacketNs": if counts.total > 0 { json!(first) } else { Value::Null },
        "LastPacketNs": if counts.total > 0 { json!(last) } else { Value::Null },
        "Components": per_component.iter().map(|(id, c)| json!({
            "Id": id,
            "Packets": c.packets,
            "Drops": c.drops,
            "Bytes": c.bytes,
            "Type": c.link_type.map_or("Unknown", |l| l.pktmon_name()),
        })).collect::<Vec<_>>(),
        "Hops": hops.summaries().iter().map(|h| json!({
            "From": h.from,
            "To": h.to,
            "Packets": h.packets,
            "P50Ns": h.p50_ns,
            "P99Ns": h.p99_ns,
            "MaxNs": h.max_ns,
        })).collect::<Vec<_>>(),
    });
    if let Some(r) = source.etl() {
        let events = r.event_count() as u64;
        let mut per_id: BTreeMap<u16, u64> = BTreeMap::new();
        for ev in r.events().filter(|ev| ev.is_pktmon()) {
            *per_id.entry(ev.id()).or_default() += 1;
        }
        doc["Etl"] = json!({
            "EventsTotal": events,
            "OtherEvents": events.saturating_sub(counts.total),
            "Components": r.rundown().components.len(),
            "PacketFilters": r.rundown().filters.len(),
            "EventsLost": r.header().events_lost,
            "EventsById": per_id.iter().map(|(id, n)| json!({"Id": id, "Count": n})).collect::<Vec<_>>(),
        });
    }
    doc
}

#[derive(Default)]
struct ComponentStats {
    link_type: Option<LinkType>,
    packets: u64,
    drops: u64,
    bytes: u64,
}

/// `--stats-only`: what the file holds, without converting it: records per component,
/// latency per hop (packets seen at two components), and for a Windows `.etl` also its
/// events by id, other events, lost events.
pub fn stats(input: &str, source: &mut FileSource<File>, json: bool) -> Result<i32> {
    let mut per_component: BTreeMap<u32, ComponentStats> = BTreeMap::new();
    let mut counts = Counts::default();
    let (mut first, mut last) = (u64::MAX, 0u64);
    let mut hops = hops::LogHops::default();
    let mut failure = None;
    loop {
        match source.next_record() {
            Ok(Some(rec)) => {
                hops.record(&rec);
                counts.total += 1;
                counts.drops += u64::from(rec.is_drop());
                first = first.min(rec.timestamp_ns);
                last = last.max(rec.timestamp_ns);
                let c = per_component.entry(rec.component).or_default();
                c.link_type = Some(rec.link_type);
                c.packets += 1;
                c.drops += u64::from(rec.is_drop());
                c.bytes += u64::from(rec.original_len);
            }
            Ok(None) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    let format = match source.format() {
        FileFormat::Pcap => "pcap",
        FileFormat::Pcapng => "pcapng",
        FileFormat::Etl => "etl",
    };
    if json {
        let doc = stats_json(
            input,
            format,
            source,
            &counts,
            (first, last),
            &per_component,
            &hops,
        );
        crate::json::print(doc)?;
        return outcome(input, &counts, failure);
    }
    crate::outln!("Log file:            {input} ({format})")?;
    if let Some(r) = source.etl() {
        let events = r.event_count() as u64;
        crate::outln!("Events total:        {}", group_thousands(events))?;
        crate::outln!(
            "Other events:        {}",
            group_thousands(events.saturating_sub(counts.total))
        )?;
        crate::outln!("Components:          {}", r.rundown().components.len())?;
        crate::outln!("Packet filters:      {}", r.rundown().filters.len())?;
        crate::outln!(
            "Events lost:         {}",
            group_thousands(u64::from(r.header().events_lost))
        )?;
    }
    crate::outln!("Packets total:       {}", group_thousands(counts.total))?;
    crate::outln!("Packet drop count:   {}", group_thousands(counts.drops))?;
    if counts.total > 0 {
        let mut clock = LocalClock::default();
        let mut time = |ns: u64| {
            let c = clock.civil(ns);
            format!(
                "{}-{:02}-{:02} {:02}:{:02}:{:02}.{:09}",
                c.year, c.month, c.day, c.hour, c.minute, c.second, c.nanos
            )
        };
        crate::outln!("First packet:        {}", time(first))?;
        crate::outln!("Last packet:         {}", time(last))?;
        crate::outln!()?;
        crate::outln!(
            "{:>10}  {:>12}  {:>10}  {:>14}  Type",
            "Component",
            "Packets",
            "Drops",
            "Bytes"
        )?;
        for (id, c) in &per_component {
            crate::outln!(
                "{:>10}  {:>12}  {:>10}  {:>14}  {}",
                id,
                group_thousands(c.packets),
                group_thousands(c.drops),
                group_thousands(c.bytes),
                c.link_type.map_or("Unknown", |l| l.pktmon_name())
            )?;
        }
        if let Some(h) = hops.render(|id| source.component_info(id).map(|i| i.name)) {
            crate::outln!()?;
            crate::outln!("{}", h.trim_end())?;
        }
    }
    if let Some(r) = source.etl() {
        let mut per_id: BTreeMap<u16, u64> = BTreeMap::new();
        for ev in r.events().filter(|ev| ev.is_pktmon()) {
            *per_id.entry(ev.id()).or_default() += 1;
        }
        crate::outln!()?;
        crate::outln!("{:>10}  {:>12}", "Event id", "Count")?;
        for (id, n) in per_id {
            crate::outln!("{id:>10}  {:>12}", group_thousands(n))?;
        }
    }
    outcome(input, &counts, failure)
}
