//! A stable-Rust stand-in for `cargo fuzz`: runs the fuzz target's body
//! (`pktmon::fuzzing::exercise`) on random bytes and on mutations of real frames and
//! capture files, and counts executions.
//!
//! ```text
//! CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true CARGO_TARGET_DIR=target/fuzz-drive \
//!     cargo run --release --example fuzz_drive -- [executions] [rng-seed]
//! cargo run --release --example fuzz_drive -- --write-seeds fuzz/corpus/read_and_render
//! ```

#[path = "../tests/common/corpus.rs"]
mod frames;

use std::time::Instant;

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

fn seeds() -> Vec<Vec<u8>> {
    let corpus: Vec<Vec<u8>> = frames::ethernet_corpus()
        .into_iter()
        .map(|(_, f)| f)
        .collect();
    let mut s = corpus.clone();
    s.push(frames::write_pcapng(&corpus, 0, &[1, 7], true));
    s.push(frames::write_pcapng(&corpus, 60, &[3], false));
    s.push(frames::write_pcap(&corpus, 0));
    s.push(frames::write_pcap(&corpus, 42));
    let wifi: Vec<Vec<u8>> = frames::wifi_corpus().into_iter().map(|(_, f)| f).collect();
    s.push(frames::write_pcap_linktype(&wifi, 0, 105));
    s.extend(wifi);
    s
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    if rng.below(8) == 0 {
        let len = rng.below(600);
        return (0..len).map(|_| rng.next() as u8).collect();
    }
    let mut d = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(6) {
        match rng.below(7) {
            0 | 1 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] ^= 1 << rng.below(8);
            }
            2 if !d.is_empty() => {
                let i = rng.below(d.len());
                d[i] = [0, 0xFF, 0x7F, 0x80, 1][rng.below(5)];
            }
            3 => {
                let i = rng.below(d.len() + 1);
                d.insert(i, rng.next() as u8);
            }
            4 if !d.is_empty() => {
                let i = rng.below(d.len());
                d.remove(i);
            }
            5 => {
                let n = rng.below(d.len() + 1);
                d.truncate(n);
            }
            _ => {
                // Splice a piece of another seed in.
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = a + rng.below(other.len() - a);
                    let at = rng.below(d.len() + 1);
                    d.splice(at..at, other[a..b].iter().copied());
                }
            }
        }
    }
    d
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--write-seeds") {
        let dir = std::path::Path::new(
            args.get(1)
                .map_or("fuzz/corpus/read_and_render", String::as_str),
        );
        std::fs::create_dir_all(dir).expect("seed directory");
        for (i, s) in seeds().iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:03}")), s).expect("write seed");
        }
        println!("wrote {} seeds to {}", seeds().len(), dir.display());
        return;
    }
    let runs: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0x5EED_CAFE);
    let seeds = seeds();
    let mut rng = Rng(seed | 1);
    let start = Instant::now();
    for i in 0..runs {
        let input = mutate(&mut rng, &seeds);
        pktmon::fuzzing::exercise(&input);
        if i > 0 && i % 200_000 == 0 {
            eprintln!(
                "{i} executions, {:.0}/s",
                i as f64 / start.elapsed().as_secs_f64()
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{runs} executions without a panic in {secs:.1} s ({:.0}/s), rng seed {seed}",
        runs as f64 / secs
    );
}
