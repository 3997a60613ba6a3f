//! Throughput of the ETL reader, driven by bench/etl.sh.
//!
//!   etl_bench make SAMPLE.etl COPIES OUT.etl   header buffer + the data buffers COPIES times,
//!                                              each copy later in time (re-compressed)
//!   etl_bench read FILE.etl                    open/index, records, text lines: events/s
//!   etl_bench pcapng FILE.etl OUT.pcapng        the packet records as pcapng (for the peers)

use std::io::Write;
use std::time::Instant;

use pktmon::etl::raw::{EventWalker, HeaderKind};
use pktmon::etl::{EtlFile, EtlReader, lz77};
use pktmon::pcapng::{InterfaceDescription, PcapngWriter};

fn fail(msg: &str) -> ! {
    eprintln!("{msg}");
    std::process::exit(1)
}

fn u32_at(b: &[u8], o: usize) -> usize {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]) as usize
}

/// The sample's data buffers repeated; each copy's events are moved after the previous
/// copy's (as a longer capture would be), so time order visits buffers as in a real file.
fn make(sample: &str, copies: usize, out: &str) {
    let file = std::fs::read(sample).unwrap_or_else(|e| fail(&format!("{sample}: {e}")));
    let first = u32_at(&file, 0);
    // (header, events) of each data buffer.
    let mut buffers = Vec::new();
    let mut pos = first;
    while pos + 0x48 <= file.len() {
        let size = u32_at(&file, pos);
        let want = u32_at(&file, pos + 0x30) - 0x48;
        let stored = &file[pos + 0x48..pos + size];
        let area = if file[pos + 0x34] & 0x40 != 0 {
            lz77::decompress(stored, want).unwrap_or_else(|e| fail(&e.to_string()))
        } else {
            stored[..want].to_vec()
        };
        buffers.push((file[pos..pos + 0x48].to_vec(), area));
        pos += size;
    }
    let (mut lo, mut hi) = (u64::MAX, 0u64);
    for (_, area) in &buffers {
        for (_, ev) in EventWalker::new(area).flatten() {
            if let Some(ts) = ev.timestamp {
                lo = lo.min(ts);
                hi = hi.max(ts);
            }
        }
    }
    let span = hi.saturating_sub(lo) + 1;
    let mut big = file[..first].to_vec();
    for copy in 0..copies as u64 {
        for (header, area) in &buffers {
            let mut area = area.clone();
            let offsets: Vec<(usize, usize)> = EventWalker::new(&area)
                .flatten()
                .filter_map(|(at, ev)| {
                    let ts_at = match ev.kind {
                        HeaderKind::Perfinfo { .. } => 0x08,
                        HeaderKind::Message => return None,
                        _ => 0x10,
                    };
                    Some((at, ts_at))
                })
                .collect();
            for (at, ts_at) in offsets {
                let o = at + ts_at;
                let mut b = [0u8; 8];
                b.copy_from_slice(&area[o..o + 8]);
                let ts = u64::from_le_bytes(b) + copy * span;
                area[o..o + 8].copy_from_slice(&ts.to_le_bytes());
            }
            let stream = compress(&area);
            let mut h = header.clone();
            h[0..4].copy_from_slice(&((0x48 + stream.len()) as u32).to_le_bytes());
            h[0x34] |= 0x40;
            big.extend_from_slice(&h);
            big.extend_from_slice(&stream);
        }
    }
    std::fs::write(out, &big).unwrap_or_else(|e| fail(&format!("{out}: {e}")));
}

/// A greedy plain-LZ77 (MS-XCA) compressor with a 3-byte hash table: the bench needs
/// compressed buffers of shifted events, and ratios like Windows' (about 8:1 here).
fn compress(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2);
    let mut table = vec![u32::MAX; 1 << 16];
    let mut flag_pos = 0;
    let mut flags: u32 = 0;
    let mut nflags = 0;
    let mut half: Option<usize> = None;
    out.extend_from_slice(&[0; 4]);
    let mut push_flag = |out: &mut Vec<u8>, bit: u32| {
        if nflags == 32 {
            out[flag_pos..flag_pos + 4].copy_from_slice(&flags.to_le_bytes());
            flag_pos = out.len();
            out.extend_from_slice(&[0; 4]);
            flags = 0;
            nflags = 0;
        }
        flags = (flags << 1) | bit;
        nflags += 1;
    };
    let mut i = 0;
    while i < data.len() {
        let mut len = 0;
        let mut dist = 0;
        if i + 3 <= data.len() {
            let h =
                ((u32::from(data[i]) << 16 | u32::from(data[i + 1]) << 8 | u32::from(data[i + 2]))
                    .wrapping_mul(2_654_435_761)
                    >> 16) as usize;
            let cand = table[h];
            table[h] = i as u32;
            if cand != u32::MAX && i - cand as usize <= 8192 {
                let c = cand as usize;
                while i + len < data.len() && data[c + len] == data[i + len] && len < 65_000 {
                    len += 1;
                }
                dist = i - c;
            }
        }
        if len < 3 {
            push_flag(&mut out, 0);
            out.push(data[i]);
            i += 1;
            continue;
        }
        push_flag(&mut out, 1);
        let l = len - 3;
        out.extend_from_slice(&((((dist - 1) as u16) << 3) | l.min(7) as u16).to_le_bytes());
        if l >= 7 {
            let nib = (l - 7).min(15) as u8;
            match half.take() {
                None => {
                    half = Some(out.len());
                    out.push(nib);
                }
                Some(p) => out[p] |= nib << 4,
            }
            if l - 7 >= 15 {
                if l - 22 < 255 {
                    out.push((l - 22) as u8);
                } else {
                    out.push(255);
                    out.extend_from_slice(&(l as u16).to_le_bytes());
                }
            }
        }
        i += len;
    }
    let pad = 32 - nflags;
    let f = ((u64::from(flags) << pad) | ((1u64 << pad) - 1)) as u32;
    out[flag_pos..flag_pos + 4].copy_from_slice(&f.to_le_bytes());
    out
}

/// CPU seconds used by this thread: what "on one core" means on a shared machine, where
/// wall time also counts waiting for the CPU.
#[cfg(unix)]
fn cpu_now() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the timespec it is given; the pointer is valid.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

#[cfg(not(unix))]
fn cpu_now() -> f64 {
    0.0
}

/// Wall and CPU seconds of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let (w, c) = (Instant::now(), cpu_now());
    let v = f();
    (v, w.elapsed().as_secs_f64(), cpu_now() - c)
}

fn open(path: &str) -> (EtlReader, f64, f64) {
    timed(|| EtlFile::open(path).unwrap_or_else(|e| fail(&e.to_string())))
}

fn read(path: &str) {
    let (r, open_wall, open_cpu) = open(path);
    let events = r.event_count() as f64;
    let packets = (r.stats().packets + r.stats().drops) as f64;

    let (bytes, rec_wall, rec_cpu) = timed(|| {
        let mut bytes = 0usize;
        for ev in r.events() {
            if let Some(rec) = ev.packet_record() {
                bytes += rec.data.len();
            }
        }
        bytes
    });

    // Text as etl2txt writes it: each line, CRLF, encoded UTF-16LE, to a sink.
    let (lines, text_wall, text_cpu) = timed(|| {
        let mut sink = std::io::sink();
        let mut line = String::with_capacity(512);
        let mut utf16 = Vec::with_capacity(1 << 16);
        let mut lines = 0u64;
        for ev in r.events() {
            line.clear();
            if ev.write_line(&mut line) {
                line.push_str("\r\n");
                pktmon::etl::text::push_utf16le(&mut utf16, &line);
                lines += 1;
                if utf16.len() > 60_000 {
                    sink.write_all(&utf16)
                        .unwrap_or_else(|e| fail(&e.to_string()));
                    utf16.clear();
                }
            }
        }
        lines
    });
    let row = |name: &str, wall: f64, cpu: f64| {
        println!(
            "{name:<16} {wall:7.3} s wall {cpu:7.3} s CPU  {:>10.0} events/CPU-s",
            events / cpu
        )
    };
    println!("events {events:.0} (packets {packets:.0}, {bytes} payload bytes), lines {lines}");
    row("open+index", open_wall, open_cpu);
    row("records", rec_wall, rec_cpu);
    row("text lines", text_wall, text_cpu);
    row("open+text", open_wall + text_wall, open_cpu + text_cpu);
    println!(
        "RESULT events={events:.0} packets={packets:.0} open_cpu={open_cpu:.4} records_cpu={rec_cpu:.4} text_cpu={text_cpu:.4}"
    );
}

fn pcapng(path: &str, out: &str) {
    let (r, _, _) = open(path);
    let file = std::fs::File::create(out).unwrap_or_else(|e| fail(&format!("{out}: {e}")));
    let mut w = PcapngWriter::new(std::io::BufWriter::new(file), "pktmon etl_bench", None);
    let mut known = std::collections::HashSet::new();
    let mut written = 0u64;
    for ev in r.events() {
        let Some(rec) = ev.packet_record() else {
            continue;
        };
        if known.insert(rec.component) {
            let name = r
                .rundown()
                .components
                .get(&(rec.component as u16))
                .map(|c| c.name.clone())
                .unwrap_or_default();
            w.add_interface(&InterfaceDescription {
                component: rec.component,
                name,
                description: String::new(),
                link_type: rec.link_type,
                snaplen: 0,
                mac: None,
            });
        }
        if w.write_record(&rec) {
            written += 1;
            if written.is_multiple_of(10_000) {
                w.flush().unwrap_or_else(|e| fail(&e.to_string()));
            }
        }
    }
    w.flush().unwrap_or_else(|e| fail(&e.to_string()));
    println!("RESULT pcapng_packets={written}");
}

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    match a.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["make", sample, copies, out] => make(
            sample,
            copies.parse().unwrap_or_else(|_| fail("COPIES")),
            out,
        ),
        ["read", path] => read(path),
        ["pcapng", path, out] => pcapng(path, out),
        _ => fail("usage: etl_bench make SAMPLE COPIES OUT | read FILE | pcapng FILE OUT"),
    }
}
