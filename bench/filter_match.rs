//! Matcher cost per packet with 1 and with 32 filters (criterion).
//! Run: cargo bench --bench filter_match
//!
//! The packets: a TCP SYN-ACK and a UDP datagram that no filter matches (the worst case:
//! every filter is tried), and a VXLAN packet for the `-e` filters.

//! Linux only: criterion (a Linux-only dev-dependency) builds C, which the cross-target
//! checks of the test code for Windows and macOS have no compiler for.

#[cfg(target_os = "linux")]
mod linux {
    use criterion::Criterion;
    use pktmon::filter::FilterSet;
    use pktmon::filter::matcher::Matcher;
    use pktmon::filter::parse::FilterArgs;
    use pktmon::record::LinkType;
    use std::hint::black_box;

    fn frame(proto: u8, sport: u16, dport: u16, flags: u8) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        f.extend_from_slice(&[
            0x45, 0, 0, 40, 0, 0, 0, 0, 64, proto, 0, 0, 10, 1, 2, 3, 10, 4, 5, 6,
        ]);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
        f
    }

    fn set(n: usize, encap: bool) -> FilterSet {
        let mut s = FilterSet::default();
        for i in 0..n {
            // A mix of what people filter on; none matches the "miss" packet.
            let a = match i % 4 {
                0 => FilterArgs {
                    ip: vec![format!("172.16.{i}.0/24")],
                    transport: vec!["TCP".into(), "SYN".into()],
                    ..Default::default()
                },
                1 => FilterArgs {
                    port: vec![format!("{}", 20000 + i)],
                    ..Default::default()
                },
                2 => FilterArgs {
                    ip: vec![format!("192.168.{i}.1"), "192.168.0.2".into()],
                    port: vec!["443".into()],
                    ..Default::default()
                },
                _ => FilterArgs {
                    mac: vec![format!("02:00:00:00:01:{:02x}", i)],
                    data_link: Some("IPv4".into()),
                    ..Default::default()
                },
            };
            let a = FilterArgs {
                encap: encap.then_some(None),
                ..a
            };
            s.add(a.to_filter().expect("valid filter")).expect("room");
        }
        s
    }

    fn bench(c: &mut Criterion) {
        let miss = frame(17, 5353, 5353, 0);
        let synack = frame(6, 443, 50000, 0x12);
        // VXLAN (UDP 4789) carrying the SYN-ACK.
        let mut vxlan = frame(17, 40000, 4789, 0);
        vxlan.truncate(14 + 20 + 8);
        vxlan.extend_from_slice(&[0x08, 0, 0, 0, 0, 0, 1, 0]);
        vxlan.extend_from_slice(&synack);
        for (n, encap) in [(1, false), (32, false), (32, true)] {
            let m = Matcher::new(set(n, encap));
            let tag = if encap { "-e" } else { "" };
            c.bench_function(&format!("{n}{tag} filters, no match"), |b| {
                b.iter(|| m.matching_filter(black_box(&miss), LinkType::ETHERNET))
            });
            c.bench_function(&format!("{n}{tag} filters, TCP SYN-ACK"), |b| {
                b.iter(|| m.matching_filter(black_box(&synack), LinkType::ETHERNET))
            });
            c.bench_function(&format!("{n}{tag} filters, VXLAN"), |b| {
                b.iter(|| m.matching_filter(black_box(&vxlan), LinkType::ETHERNET))
            });
        }
        let none = Matcher::new(FilterSet::default());
        c.bench_function("no filters", |b| {
            b.iter(|| none.matching_filter(black_box(&miss), LinkType::ETHERNET))
        });
    }

    /// Every benchmark of this file.
    pub fn benches() {
        let mut c = Criterion::default().configure_from_args();
        bench(&mut c);
    }
}

#[cfg(target_os = "linux")]
fn main() {
    linux::benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("the filter_match benchmark runs on Linux");
}
