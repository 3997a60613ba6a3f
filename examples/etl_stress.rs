//! Mutation stress driver for the ETL reader and the LZ77 decompressor on stable Rust (the
//! `cargo fuzz` targets in fuzz/ need nightly). It runs the same per-input code as the fuzz
//! targets (`pktmon::etl::fuzzing`) on mutated copies of compact seeds made from the real
//! samples, catches panics, and prints honest execution counts.
//!
//!   cargo run --release --example etl_stress -- run [EXECUTIONS per target] [THREADS]
//!   cargo run --release --example etl_stress -- seeds ETL_DIR LZ77_DIR   (fuzz corpora)
//!
//! Crashing inputs are written to `etl-stress-crash-*.bin` in the current directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use pktmon::etl::fuzzing::{exercise_lz77, exercise_reader};
use pktmon::etl::lz77;

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/etl")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(data_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

fn put_u32(b: &mut [u8], o: usize, v: u32) {
    b[o..o + 4].copy_from_slice(&v.to_le_bytes());
}

/// (offset, size) of each buffer of a file.
fn buffers(file: &[u8]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut pos = 0;
    while pos + 0x48 <= file.len() {
        let size = u32_at(file, pos) as usize;
        if size < 0x48 || pos + size > file.len() {
            break;
        }
        v.push((pos, size));
        pos += size;
    }
    v
}

/// The events area of a compressed buffer.
fn events_of(file: &[u8], (at, size): (usize, usize)) -> Vec<u8> {
    let want = u32_at(file, at + 0x30) as usize - 0x48;
    lz77::decompress(&file[at + 0x48..at + size], want).expect("sample decompresses")
}

/// Offset of the event boundary at or before `limit` in an events area.
fn event_boundary(area: &[u8], limit: usize) -> usize {
    let mut pos = 0;
    while pos + 4 <= area.len() {
        let size = usize::from(u16::from_le_bytes([area[pos], area[pos + 1]]));
        let size = if matches!(area[pos + 2], 1..=4 | 0x10 | 0x11) {
            usize::from(u16::from_le_bytes([area[pos + 4], area[pos + 5]]))
        } else {
            size
        };
        let next = (pos + size + 7) & !7;
        if size == 0 || next > limit {
            break;
        }
        pos = next;
    }
    pos
}

/// A buffer holding `events`, uncompressed or as a literal-only LZ77 stream.
fn wrap_buffer(template: &[u8], events: &[u8], compressed: bool) -> Vec<u8> {
    let mut b = template[..0x48].to_vec();
    let stored = if compressed {
        let mut s = Vec::with_capacity(events.len() + events.len() / 8 + 4);
        for chunk in events.chunks(32) {
            s.extend_from_slice(&0u32.to_le_bytes()); // 32 literals
            s.extend_from_slice(chunk);
        }
        s
    } else {
        events.to_vec()
    };
    put_u32(&mut b, 0x00, (0x48 + stored.len()) as u32);
    put_u32(&mut b, 0x04, (0x48 + events.len()) as u32);
    put_u32(&mut b, 0x30, (0x48 + events.len()) as u32);
    let flags = if compressed { 0x60u16 } else { 0x20 };
    b[0x34..0x36].copy_from_slice(&flags.to_le_bytes());
    b.extend_from_slice(&stored);
    b
}

/// Compact files built from the samples: small enough for fast executions, covering
/// compressed and uncompressed buffers, schema events, packets, rundown, TraceLogging.
fn reader_seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for (name, keep) in [
        ("pktmon-win10-19042-a.etl", 3000),
        ("pktmon-ws2022-20348-xdp.etl", 3000),
    ] {
        let file = read(name);
        let bufs = buffers(&file);
        let header = &file[..bufs[0].1];
        for &buf in &bufs[1..] {
            let area = events_of(&file, buf);
            // The schema events come first in the first data buffer; packets after them.
            let cut = event_boundary(&area, keep);
            for compressed in [false, true] {
                let mut s = header.to_vec();
                s.extend(wrap_buffer(&file[buf.0..], &area[..cut], compressed));
                seeds.push(s);
            }
            let tail_start = event_boundary(&area, area.len().saturating_sub(1500));
            let mut s = header.to_vec();
            s.extend(wrap_buffer(&file[buf.0..], &area[tail_start..], false));
            seeds.push(s);
        }
        // A header buffer followed by a cut compressed buffer (the truncation path).
        seeds.push(file[..bufs[0].1 + 2000].to_vec());
    }
    let nopackets = read("pktmon-win11-22000-nopackets.etl");
    let bufs = buffers(&nopackets);
    seeds.push(nopackets[..bufs[1].0 + bufs[1].1].to_vec()); // header + the 512-byte buffer
    for name in [
        "generic-uncompressed-lxcore_kernel.etl",
        "generic-uncompressed-AMSITrace.etl",
    ] {
        // Uncompressed buffers shrunk to their data.
        let file = read(name);
        let mut s = Vec::new();
        for (at, _) in buffers(&file) {
            let end = (u32_at(&file, at + 0x30) as usize + 7) & !7;
            if end > 4096 {
                continue;
            }
            let mut b = file[at..at + end].to_vec();
            put_u32(&mut b, 0, end as u32);
            s.extend(b);
        }
        seeds.push(s);
    }
    seeds
}

/// Compressed streams of the samples, each prefixed by its 3-byte output size, plus
/// short prefixes of them.
fn lz77_seeds() -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for name in [
        "pktmon-win10-19042-a.etl",
        "pktmon-ws2022-20348-xdp.etl",
        "pktmon-win11-22000-nopackets.etl",
    ] {
        let file = read(name);
        for (at, size) in buffers(&file).into_iter().skip(1) {
            let want = u32_at(&file, at + 0x30) - 0x48;
            let stream = &file[at + 0x48..at + size];
            let mut s = want.to_le_bytes()[..3].to_vec();
            s.extend_from_slice(stream);
            seeds.push(s);
            // A prefix with the size of what that prefix decodes to.
            let cut = &stream[..stream.len().min(700)];
            let mut out = Vec::new();
            let _ = lz77::decompress_into(cut, want as usize, &mut out);
            let mut p = (out.len() as u32).to_le_bytes()[..3].to_vec();
            p.extend_from_slice(cut);
            seeds.push(p);
        }
    }
    seeds
}

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const INTERESTING: [u32; 12] = [
    0,
    1,
    7,
    8,
    0x47,
    0x48,
    0x7F,
    0x80,
    0xFF,
    0xFFFF,
    0x7FFF_FFFF,
    0xFFFF_FFFF,
];

/// One to eight random edits: bit flips, random bytes, interesting 8/16/32-bit values
/// (often at buffer-header fields), truncation, deletion, duplication, splicing.
fn mutate(rng: &mut Rng, seed: &[u8], other: &[u8], out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(seed);
    for _ in 0..1 + rng.below(8) {
        if out.is_empty() {
            out.push(rng.next() as u8);
            continue;
        }
        let len = out.len();
        let at = rng.below(len);
        match rng.below(10) {
            0 | 1 => out[at] ^= 1 << rng.below(8),
            2 => out[at] = rng.next() as u8,
            3 | 4 => {
                let v = INTERESTING[rng.below(INTERESTING.len())];
                let width = [1, 2, 4][rng.below(3)];
                // Half the time aim at a field of a buffer header (sizes, offsets, flags).
                let at = if rng.below(2) == 0 {
                    let bufs = buffers(out);
                    let b = bufs.get(rng.below(bufs.len())).map_or(0, |b| b.0);
                    b + [0x00, 0x04, 0x30, 0x34, 0x36, 0x48, 0x4C][rng.below(7)]
                } else {
                    at
                };
                let bytes = v.to_le_bytes();
                for (i, b) in bytes.iter().take(width).enumerate() {
                    if let Some(x) = out.get_mut(at + i) {
                        *x = *b;
                    }
                }
            }
            5 => out.truncate(at),
            6 => {
                let n = rng.below(64).min(len - at);
                out.drain(at..at + n);
            }
            7 => {
                let n = rng.below(64).min(len - at);
                let chunk = out[at..at + n].to_vec();
                let to = rng.below(out.len());
                out.splice(to..to, chunk);
            }
            8 if !other.is_empty() => {
                let from = rng.below(other.len());
                let n = rng.below(256).min(other.len() - from);
                let end = (at + n).min(out.len());
                out.splice(at..end, other[from..from + n].iter().copied());
            }
            _ => {
                let v = rng.next().to_le_bytes();
                let n = 1 + rng.below(8);
                out.splice(at..at, v[..n].iter().copied());
            }
        }
    }
}

fn run_target(
    name: &'static str,
    seeds: Arc<Vec<Vec<u8>>>,
    execs: u64,
    threads: u64,
    exercise: fn(&[u8]) -> usize,
) -> (u64, u64) {
    let done = Arc::new(AtomicU64::new(0));
    let productive = Arc::new(AtomicU64::new(0));
    let crashes = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let seeds = Arc::clone(&seeds);
            let done = Arc::clone(&done);
            let productive = Arc::clone(&productive);
            let crashes = Arc::clone(&crashes);
            std::thread::spawn(move || {
                let mut rng =
                    Rng(0x9E37_79B9_7F4A_7C15 ^ (t + 1).wrapping_mul(0xA24B_AED4_963E_E407));
                let mut input = Vec::new();
                let mut useful = 0u64;
                let share = execs / threads + u64::from(t < execs % threads);
                // Unmutated seeds first: they must pass too.
                for s in seeds.iter() {
                    exercise(s);
                }
                for i in 0..share {
                    let seed = &seeds[rng.below(seeds.len())];
                    let other = &seeds[rng.below(seeds.len())];
                    mutate(&mut rng, seed, other, &mut input);
                    let r = std::panic::catch_unwind(|| exercise(&input));
                    if matches!(r, Ok(n) if n > 0) {
                        useful += 1;
                    }
                    if r.is_err() {
                        let n = crashes.fetch_add(1, Ordering::Relaxed);
                        let p = format!("etl-stress-crash-{name}-{t}-{n}.bin");
                        let _ = std::fs::write(&p, &input);
                        eprintln!("{name}: panic, input saved to {p}");
                    }
                    if i % 100_000 == 99_999 {
                        done.fetch_add(100_000, Ordering::Relaxed);
                    }
                }
                done.fetch_add(share % 100_000, Ordering::Relaxed);
                productive.fetch_add(useful, Ordering::Relaxed);
            })
        })
        .collect();
    let mut last = 0;
    while handles.iter().any(|h| !h.is_finished()) {
        std::thread::sleep(std::time::Duration::from_millis(500));
        let d = done.load(Ordering::Relaxed);
        if d / 1_000_000 != last / 1_000_000 {
            eprintln!(
                "{name}: {d} executions, {:.0}/s",
                d as f64 / start.elapsed().as_secs_f64()
            );
        }
        last = d;
    }
    for h in handles {
        h.join().expect("worker");
    }
    let d = done.load(Ordering::Relaxed);
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{name}: {d} mutated executions (+{} seeds per thread) in {secs:.1} s ({:.0}/s, {threads} threads); \
         {} got past the first checks (read events / decompressed fully); {} panics",
        seeds.len(),
        d as f64 / secs,
        productive.load(Ordering::Relaxed),
        crashes.load(Ordering::Relaxed)
    );
    (d, crashes.load(Ordering::Relaxed))
}

fn write_seeds(dir: &Path, seeds: &[Vec<u8>]) {
    std::fs::create_dir_all(dir).expect("seed dir");
    for (i, s) in seeds.iter().enumerate() {
        std::fs::write(dir.join(format!("seed-{i:03}")), s).expect("write seed");
    }
    println!("{} seeds in {}", seeds.len(), dir.display());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("seeds") if args.len() == 3 => {
            write_seeds(Path::new(&args[1]), &reader_seeds());
            write_seeds(Path::new(&args[2]), &lz77_seeds());
        }
        Some("run") => {
            let execs: u64 = args
                .get(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(10_000_000);
            let threads: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2).max(1);
            // Panics are caught and counted; keep the default hook's message quiet.
            std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
            let (_, a) = run_target(
                "etl_reader",
                Arc::new(reader_seeds()),
                execs,
                threads,
                exercise_reader,
            );
            let (_, b) = run_target(
                "lz77",
                Arc::new(lz77_seeds()),
                execs,
                threads,
                exercise_lz77,
            );
            if a + b > 0 {
                std::process::exit(1);
            }
        }
        _ => {
            eprintln!(
                "usage: etl_stress run [EXECUTIONS] [THREADS] | etl_stress seeds ETL_DIR LZ77_DIR"
            );
            std::process::exit(87);
        }
    }
}
