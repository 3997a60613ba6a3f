//! `pktmon etl2txt <file>` (Gen 2: `pktmon format`): a capture file as pktmon text.

use super::convert::{self, Counts, Progress};
use crate::error::{Error, Result, exit};
use crate::output::group_thousands;
use crate::packet::render::LocalClock;
use crate::packet::{DecodeOptions, PrefixStyle, PrintOptions, TextOptions, TextRenderer};
use crate::record::LinkType;
use crate::source::{FileSource, RecordSource, SourceError};
use clap::ArgMatches;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

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

/// The text options `etl2txt` flags ask for.
pub fn text_options(m: &ArgMatches) -> TextOptions {
    TextOptions {
        prefix: if m.get_flag("timestamp-only") {
            PrefixStyle::TimestampOnly
        } else {
            PrefixStyle::Etw
        },
        metadata: m.get_flag("metadata"),
        print: PrintOptions {
            no_link_header: m.get_flag("no-ethernet"),
            brief: m.get_flag("brief"),
            verbose: m.get_one::<u8>("verbose").copied().unwrap_or(0),
            windows_wifi_addresses: false,
        },
        decode: DecodeOptions {
            // The command table's default (4789) is always filled in by the parser.
            vxlan_port: m.get_one::<u16>("vxlan").copied().unwrap_or_default(),
        },
        hex: m.get_flag("hex"),
    }
}

pub fn run(m: &ArgMatches) -> Result<i32> {
    let input = m.get_one::<String>("file").ok_or_else(|| {
        Error::invalid("Error: missing the log file to convert. See pktmon etl2txt help.")
    })?;
    if m.get_one::<String>("tmfpath").is_some() {
        eprintln!("Note: --tmfpath has no effect here: WPP trace messages are not decoded.");
    }
    if super::etl_input::is_etl(input) {
        let encoding = if m.get_flag("utf16") {
            Encoding::Utf16
        } else {
            Encoding::Utf8
        };
        return super::etl_input::etl2txt(
            input,
            m.get_one::<String>("out").map(String::as_str),
            m.get_flag("stats-only"),
            encoding,
            &text_options(m),
        );
    }
    let mut source = convert::open_source(input)?;
    if m.get_flag("stats-only") {
        return stats(input, &mut source);
    }
    let to_stdout = m.get_one::<String>("out").is_some_and(|o| o == "-");
    let encoding = if m.get_flag("utf16") {
        Encoding::Utf16
    } else {
        Encoding::Utf8
    };
    let opts = text_options(m);
    // One conversion for both destinations; the buffer keeps dynamic dispatch to once per MiB.
    let (dest, out_path): (Box<dyn Write>, Option<PathBuf>) = if to_stdout {
        (Box::new(io::stdout().lock()), None)
    } else {
        let path =
            convert::output_path(input, m.get_one::<String>("out").map(String::as_str), "txt")?;
        (Box::new(convert::create_output(&path)?), Some(path))
    };
    let (counts, failure) = convert(
        input,
        &mut source,
        BufWriter::with_capacity(1 << 20, dest),
        encoding,
        opts,
    )?;
    let summary_path: Option<PathBuf> = out_path;
    if to_stdout {
        convert::write_summary(&mut io::stderr(), &counts, None);
    } else {
        convert::write_summary(&mut io::stdout(), &counts, summary_path.as_deref());
    }
    match failure {
        None => Ok(exit::SUCCESS),
        Some(e) => Err(damaged(input, &e, counts.total)),
    }
}

/// The error for a file that breaks off: where, and that what came before was kept.
pub fn damaged(input: &str, e: &SourceError, kept: u64) -> Error {
    Error::failure(format!(
        "Error: '{input}' is damaged: {e}. The {} packets before it were read.",
        group_thousands(kept)
    ))
}

/// Renders every record of `source` into `out`. Returns the counts and, for a damaged
/// input, the error that stopped it (everything before it is written).
fn convert<W: Write>(
    input: &str,
    source: &mut FileSource<File>,
    out: W,
    encoding: Encoding,
    opts: TextOptions,
) -> Result<(Counts, Option<SourceError>)> {
    let write_err = |e: io::Error| Error::failure(format!("Failed to write the text: {e}"));
    let mut sink = TextSink::new(out, encoding).map_err(write_err)?;
    let mut renderer = TextRenderer::new(opts);
    let mut progress = Progress::new(convert::file_size(input));
    let mut counts = Counts::default();
    let mut chunk: Vec<u8> = Vec::with_capacity(1 << 17);
    let mut failure = None;
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
            if let Err(e) = sink.write(&chunk) {
                return stop_on_write_error(e, counts);
            }
            chunk.clear();
        }
    }
    progress.finish();
    if let Err(e) = sink.write(&chunk).and_then(|_| sink.flush()) {
        return stop_on_write_error(e, counts);
    }
    Ok((counts, failure))
}

/// A reader that went away (`| head`) ends the conversion quietly; other errors fail.
fn stop_on_write_error(e: io::Error, counts: Counts) -> Result<(Counts, Option<SourceError>)> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return Ok((counts, None));
    }
    Err(Error::failure(format!("Failed to write the text: {e}")))
}

#[derive(Default)]
struct ComponentStats {
    link_type: Option<LinkType>,
    packets: u64,
    drops: u64,
    bytes: u64,
}

/// `--stats-only`: what the file holds, without converting it.
fn stats(input: &str, source: &mut FileSource<File>) -> Result<i32> {
    let mut per_component: BTreeMap<u32, ComponentStats> = BTreeMap::new();
    let mut counts = Counts::default();
    let (mut first, mut last) = (u64::MAX, 0u64);
    let mut failure = None;
    loop {
        match source.next_record() {
            Ok(Some(rec)) => {
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
        crate::source::FileFormat::Pcap => "pcap",
        crate::source::FileFormat::Pcapng => "pcapng",
        crate::source::FileFormat::Etl => "etl",
    };
    crate::outln!("Log file:            {input} ({format})")?;
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
    }
    match failure {
        None => Ok(exit::SUCCESS),
        Some(e) => Err(damaged(input, &e, counts.total)),
    }
}
