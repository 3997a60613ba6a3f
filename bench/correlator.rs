//! Correlator cost per sighting in a steady flood (criterion): a veth pair (2 sightings per
//! packet) and a bridge path (4), at 200k packets/s of simulated time, so the 500 ms
//! window holds ~100k open groups as in `bench/path.sh`'s flood; buffers are reused from
//! a pool as the kernel's slab does.
//! Run: cargo bench --bench correlator
//! For counters that a busy machine disturbs less (instructions, cache misses): a fixed
//! amount of work, `PKTMON_BENCH_PACKETS=2000000 perf stat -e instructions,cycles,cache-misses
//! target/release/deps/correlator-<hash>`.
//!
//! Linux only, like bench/filter_match.rs (criterion builds C).

#[cfg(target_os = "linux")]
mod linux {
    use criterion::{Criterion, Throughput};
    use pktmon::path::{Correlator, Identity};
    use pktmon::record::{Direction, LinkType, PacketRecord};
    use std::hint::black_box;

    /// A UDP datagram with a distinct IP id and payload per packet number.
    fn udp(n: u32) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        f.extend_from_slice(&[0x45, 0, 0, 32]);
        f.extend_from_slice(&(n as u16).to_be_bytes());
        f.extend_from_slice(&[0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        f.extend_from_slice(&[0x9c, 0x40, 0x14, 0x51, 0, 12, 0, 0]);
        f.extend_from_slice(&n.to_be_bytes());
        f
    }

    const PACKET_GAP_NS: u64 = 5_000;
    const BUFFER_POOL: u64 = 150_000;

    struct Flood {
        correlator: Correlator,
        n: u32,
        ts: u64,
        frames: Vec<Vec<u8>>,
    }

    impl Flood {
        fn new() -> Flood {
            Flood {
                correlator: Correlator::new(),
                n: 0,
                ts: 1_000_000_000,
                frames: (0..4096).map(udp).collect(),
            }
        }

        /// One packet across `hops` (component, direction) places.
        fn packet(&mut self, hops: &[(u32, Direction)]) -> u64 {
            self.n = self.n.wrapping_add(1);
            self.ts += PACKET_GAP_NS;
            let buffer = 0xffff_8880_0000_0000 + (u64::from(self.n) % BUFFER_POOL) * 2048;
            let data = &self.frames[self.n as usize % self.frames.len()];
            let mut last = 0;
            for (i, &(component, direction)) in hops.iter().enumerate() {
                let mut rec =
                    PacketRecord::flow(component, LinkType::ETHERNET, self.ts + i as u64, data);
                rec.direction = direction;
                last = self
                    .correlator
                    .sight(Identity::Buffer(buffer), &rec, || Some(0))
                    .group_id;
            }
            last
        }
    }

    use Direction::{Rx, Tx};
    const PATHS: [(&str, &[(u32, Direction)]); 2] = [
        ("veth, 2 sightings", &[(1, Tx), (2, Rx)]),
        ("bridge, 4 sightings", &[(1, Tx), (2, Rx), (3, Tx), (4, Rx)]),
    ];

    /// `packets` packets along each path, no timing (for `perf stat`).
    pub fn fixed(packets: u64) {
        for (name, hops) in PATHS {
            let mut flood = Flood::new();
            let mut sum = 0u64;
            for _ in 0..packets {
                sum = sum.wrapping_add(flood.packet(hops));
            }
            println!(
                "{name}: {packets} packets, {} groups open",
                flood.correlator.open_groups()
            );
            black_box(sum);
        }
    }

    pub fn bench(c: &mut Criterion) {
        let mut group = c.benchmark_group("correlator");
        for (name, hops) in PATHS {
            let mut flood = Flood::new();
            // Fill the window first: the steady state has ~100k open groups.
            for _ in 0..200_000 {
                flood.packet(hops);
            }
            group.throughput(Throughput::Elements(hops.len() as u64));
            group.bench_function(name, |b| b.iter(|| black_box(flood.packet(hops))));
        }
        group.finish();
    }
}

#[cfg(target_os = "linux")]
fn main() {
    if let Some(n) = std::env::var("PKTMON_BENCH_PACKETS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        return linux::fixed(n);
    }
    let mut c = criterion::Criterion::default().configure_from_args();
    linux::bench(&mut c);
    c.final_summary();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("the correlator benchmark runs on Linux only (criterion builds C)");
}
