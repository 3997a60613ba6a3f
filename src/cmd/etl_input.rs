//! `etl2txt` and `etl2pcap` on Windows pktmon `.etl` files: the ETL reader (`crate::etl`)
//! as the source, the packet renderer for the decode lines, our pcapng writer.

use super::convert::{self, Counts};
use super::etl2pcap::ComponentFilter;
use super::etl2txt::{Encoding, TextSink};
use crate::error::{Error, Result, exit};
use crate::etl::{EtlFile, EtlReader};
use crate::output::group_thousands;
use crate::packet::{TextOptions, render_decode};
use crate::pcapng::{InterfaceDescription, PcapngWriter};
use crate::source::FileFormat;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};

/// Whether the file at `path` is an ETL file (by its first bytes).
pub fn is_etl(path: &str) -> bool {
    let mut head = [0u8; FileFormat::SNIFF_LEN];
    let Ok(mut f) = File::open(path) else {
        return false;
    };
    let mut got = 0;
    while got < head.len() {
        match f.read(&mut head[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    FileFormat::detect(&head[..got]) == Some(FileFormat::Etl)
}

fn open(path: &str) -> Result<EtlReader> {
    let r =
        EtlFile::open(path).map_err(|e| Error::failure(format!("Cannot convert '{path}': {e}")))?;
    r.require_pktmon()
        .map_err(|e| Error::failure(format!("Cannot convert '{path}': {e}")))?;
    Ok(r)
}

/// What was damaged: everything readable was converted; the problems fail the command.
fn problems(path: &str, r: &EtlReader) -> Result<i32> {
    match r.problems().first() {
        None => Ok(exit::SUCCESS),
        Some(first) => {
            for p in r.problems() {
                eprintln!("Warning: {p}");
            }
            Err(Error::failure(format!(
                "Error: '{path}' is damaged: {first}. Everything readable before it was converted."
            )))
        }
    }
}

/// The event lines of an ETL file as `pktmon format` prints them, each packet followed by
/// its decode lines. On a write error, the counts of what was formatted until then come
/// back with it (a reader that went away, `| head -1`, is not "0 packets formatted").
pub fn to_text<W: Write>(
    r: &EtlReader,
    out: W,
    encoding: Encoding,
    opts: &TextOptions,
) -> std::result::Result<Counts, (Counts, io::Error)> {
    let mut counts = Counts::default();
    let mut sink = TextSink::new(out, encoding).map_err(|e| (counts, e))?;
    let mut line = String::with_capacity(512);
    let mut chunk: Vec<u8> = Vec::with_capacity(1 << 17);
    for ev in r.events() {
        line.clear();
        if !ev.write_line(&mut line) {
            continue;
        }
        chunk.extend_from_slice(line.as_bytes());
        chunk.push(b'\n');
        if let Some(rec) = ev.packet_record() {
            counts.total += 1;
            counts.drops += u64::from(rec.is_drop());
            counts.formatted += 1;
            render_decode(
                rec.link_type,
                &rec.data,
                rec.original_len,
                rec.is_drop(),
                opts,
                &mut chunk,
            );
        }
        if chunk.len() >= 1 << 16 {
            sink.write(&chunk).map_err(|e| (counts, e))?;
            chunk.clear();
        }
    }
    sink.write(&chunk)
        .and_then(|_| sink.flush())
        .map_err(|e| (counts, e))?;
    Ok(counts)
}

/// `etl2txt` on an ETL file.
pub fn etl2txt(
    path: &str,
    out: Option<&str>,
    stats_only: bool,
    encoding: Encoding,
    opts: &TextOptions,
) -> Result<i32> {
    let r = open(path)?;
    // Windows pktmon's own formatter has a quirk in 802.11 addresses; reproduce it for
    // its logs so that our text equals `pktmon format`'s.
    let mut opts = *opts;
    opts.print.windows_wifi_addresses = true;
    let opts = &opts;
    if stats_only {
        stats(path, &r)?;
        return problems(path, &r);
    }
    let write_err = |e: io::Error| Error::failure(format!("Failed to write the text: {e}"));
    if out == Some("-") {
        let counts = match to_text(&r, BufWriter::new(io::stdout().lock()), encoding, opts) {
            Ok(counts) => counts,
            // The reader went away (`| head -1`): what was formatted until then.
            Err((counts, e)) if e.kind() == io::ErrorKind::BrokenPipe => counts,
            Err((_, e)) => return Err(write_err(e)),
        };
        convert::write_summary(&mut io::stderr(), &counts, None);
    } else {
        let dest = convert::output_path(path, out, "txt")?;
        let file = convert::create_output(&dest)?;
        let counts = to_text(&r, BufWriter::with_capacity(1 << 20, file), encoding, opts)
            .map_err(|(_, e)| write_err(e))?;
        convert::write_summary(&mut io::stdout(), &counts, Some(&dest));
    }
    problems(path, &r)
}

/// `--stats-only` on an ETL file: events by kind, packets, drops, components, filters,
/// time span, lost events.
fn stats(path: &str, r: &EtlReader) -> Result<()> {
    let (mut events, mut packets, mut drops, mut other) = (0u64, 0u64, 0u64, 0u64);
    let mut per_id: std::collections::BTreeMap<u16, u64> = Default::default();
    for ev in r.events() {
        events += 1;
        match ev.packet() {
            Some(p) if p.dropped => drops += 1,
            Some(_) => packets += 1,
            None => other += 1,
        }
        if ev.is_pktmon() {
            *per_id.entry(ev.id()).or_default() += 1;
        }
    }
    let rundown = r.rundown();
    crate::outln!("Log file:            {path} (etl)")?;
    crate::outln!("Events total:        {}", group_thousands(events))?;
    crate::outln!("Packets total:       {}", group_thousands(packets + drops))?;
    crate::outln!("Packet drop count:   {}", group_thousands(drops))?;
    crate::outln!("Other events:        {}", group_thousands(other))?;
    crate::outln!("Components:          {}", rundown.components.len())?;
    crate::outln!("Packet filters:      {}", rundown.filters.len())?;
    crate::outln!(
        "Events lost:         {}",
        group_thousands(u64::from(r.header().events_lost))
    )?;
    if let Some((first, last)) = r.time_span() {
        crate::outln!(
            "Time span:           {:.3} s",
            (last - first) as f64 / 10_000_000.0
        )?;
    }
    crate::outln!()?;
    crate::outln!("{:>10}  {:>12}", "Event id", "Count")?;
    for (id, n) in per_id {
        crate::outln!("{id:>10}  {:>12}", group_thousands(n))?;
    }
    Ok(())
}

/// `etl2pcap` on an ETL file: one interface per component (name, description, MAC),
/// drops left out unless `drop_only` (then only drops), as Windows does.
pub fn etl2pcap(
    path: &str,
    out: Option<&str>,
    drop_only: bool,
    filter: ComponentFilter,
) -> Result<i32> {
    let r = open(path)?;
    let dest = convert::output_path(path, out, "pcapng")?;
    let file = convert::create_output(&dest)?;
    let write_err =
        |e: io::Error| Error::failure(format!("Failed to write '{}': {e}", dest.display()));
    let mut writer = PcapngWriter::new(file, concat!("pktmon ", env!("CARGO_PKG_VERSION")), None);
    let mut declared: HashSet<(u32, u16)> = HashSet::new();
    let rundown = r.rundown();
    let mut counts = Counts::default();
    for ev in r.events() {
        let Some(rec) = ev.packet_record() else {
            continue;
        };
        counts.total += 1;
        counts.drops += u64::from(rec.is_drop());
        if rec.is_drop() != drop_only {
            continue;
        }
        let comp = rundown.components.get(&(rec.component as u16));
        let wanted = match filter {
            ComponentFilter::All => true,
            ComponentFilter::One(id) => rec.component == id,
            // Windows' NICs: miniport components.
            ComponentFilter::Nics => {
                comp.is_some_and(|c| c.type_name.eq_ignore_ascii_case("Miniport"))
            }
        };
        if !wanted {
            continue;
        }
        if declared.insert((rec.component, rec.link_type.0)) {
            let (name, description, mac) = match comp {
                Some(c) => (
                    c.name.clone(),
                    format!("Component {}, {} {}", c.id, c.type_name, c.description),
                    c.mac.as_deref().and_then(|m| <[u8; 6]>::try_from(m).ok()),
                ),
                None => (
                    format!("component{}", rec.component),
                    format!("Component {}", rec.component),
                    None,
                ),
            };
            writer.add_interface(&InterfaceDescription {
                component: rec.component,
                name,
                description,
                link_type: rec.link_type,
                snaplen: 0,
                mac,
            });
        }
        writer.write_record(&rec);
        counts.formatted += 1;
        if writer.buffered_bytes() >= 1 << 20 {
            writer.flush().map_err(write_err)?;
        }
    }
    writer.flush().map_err(write_err)?;
    convert::write_summary(&mut io::stdout(), &counts, Some(&dest));
    problems(path, &r)
}
