//! Differential property test: random frames × random filter sets. The kernel prefilter
//! (compiled by libpcap, run offline over the frame) must accept every frame the user-space
//! matcher accepts; without `-e` and `-v` (where it is deliberately widened) both agree
//! exactly.
#![cfg(not(windows))] // libpcap compiles and runs the prefilter

use pktmon::filter::matcher::Matcher;
use pktmon::filter::{Filter, FilterSet, IpNet, bpf};
use pktmon::record::LinkType;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::net::IpAddr;

const MACS: [[u8; 6]; 3] = [[2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2], [2, 0, 0, 0, 0, 3]];
const V4: [[u8; 4]; 4] = [
    [10, 0, 0, 1],
    [10, 0, 0, 2],
    [10, 0, 1, 3],
    [192, 168, 5, 9],
];
const V6: [&str; 4] = ["2001:db8::1", "2001:db8::2", "2001:db8:1::3", "fe80::9"];
const PORTS: [u16; 7] = [53, 80, 443, 3343, 4789, 8472, 40000];
const VLANS: [u16; 2] = [10, 20];

fn v6(i: usize) -> [u8; 16] {
    V6[i].parse::<std::net::Ipv6Addr>().unwrap().octets()
}

#[derive(Clone, Debug)]
enum L4 {
    Tcp { sport: u16, dport: u16, flags: u8 },
    Udp { sport: u16, dport: u16 },
    Icmp,
    Gre { inner: Box<Inner> },
    IpInIp { inner: Box<Ip> },
}

#[derive(Clone, Debug)]
struct Ip {
    v6: bool,
    src: usize,
    dst: usize,
    l4: L4,
}

#[derive(Clone, Debug)]
enum Inner {
    Ethernet(Box<Frame>),
    Ip(Ip),
}

#[derive(Clone, Debug)]
struct Frame {
    src: usize,
    dst: usize,
    vlan: Option<u16>,
    /// None: ARP.
    ip: Option<Ip>,
}

fn ip_bytes(ip: &Ip) -> Vec<u8> {
    let (proto, mut payload) = match &ip.l4 {
        L4::Tcp {
            sport,
            dport,
            flags,
        } => {
            let mut t = Vec::new();
            t.extend_from_slice(&sport.to_be_bytes());
            t.extend_from_slice(&dport.to_be_bytes());
            t.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, *flags, 0xff, 0xff, 0, 0, 0, 0]);
            (6u8, t)
        }
        L4::Udp { sport, dport } => {
            let mut u = Vec::new();
            u.extend_from_slice(&sport.to_be_bytes());
            u.extend_from_slice(&dport.to_be_bytes());
            u.extend_from_slice(&[0, 8, 0, 0]);
            (17, u)
        }
        L4::Icmp => (if ip.v6 { 58 } else { 1 }, vec![8, 0, 0, 0, 0, 1, 0, 1]),
        L4::Gre { inner } => {
            let (proto, body) = match inner.as_ref() {
                Inner::Ethernet(f) => (0x6558u16, frame_bytes(f)),
                Inner::Ip(i) => (if i.v6 { 0x86DD } else { 0x0800 }, ip_bytes(i)),
            };
            let mut g = vec![0, 0];
            g.extend_from_slice(&proto.to_be_bytes());
            g.extend_from_slice(&body);
            (47, g)
        }
        L4::IpInIp { inner } => (if inner.v6 { 41 } else { 4 }, ip_bytes(inner)),
    };
    // VXLAN: UDP to 4789 or 8472 carries an inner frame in these tests.
    if let L4::Udp { dport, .. } = ip.l4
        && (dport == 4789 || dport == 8472)
    {
        payload.extend_from_slice(&[0x08, 0, 0, 0, 0, 0, 1, 0]);
        let inner = Frame {
            src: 2,
            dst: 1,
            vlan: None,
            ip: Some(Ip {
                v6: false,
                src: 2,
                dst: 3,
                l4: L4::Tcp {
                    sport: 443,
                    dport: 40000,
                    flags: 0x12,
                },
            }),
        };
        payload.extend_from_slice(&frame_bytes(&inner));
    }
    let mut b = Vec::new();
    if ip.v6 {
        b.extend_from_slice(&[0x60, 0, 0, 0]);
        b.extend_from_slice(&(payload.len() as u16).to_be_bytes());
        b.extend_from_slice(&[proto, 64]);
        b.extend_from_slice(&v6(ip.src));
        b.extend_from_slice(&v6(ip.dst));
    } else {
        b.extend_from_slice(&[0x45, 0]);
        b.extend_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
        b.extend_from_slice(&[0, 0, 0, 0, 64, proto, 0, 0]);
        b.extend_from_slice(&V4[ip.src]);
        b.extend_from_slice(&V4[ip.dst]);
    }
    b.extend_from_slice(&payload);
    b
}

fn frame_bytes(f: &Frame) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&MACS[f.dst]);
    b.extend_from_slice(&MACS[f.src]);
    if let Some(v) = f.vlan {
        b.extend_from_slice(&[0x81, 0x00]);
        b.extend_from_slice(&v.to_be_bytes());
    }
    match &f.ip {
        Some(ip) => {
            b.extend_from_slice(if ip.v6 { &[0x86, 0xDD] } else { &[0x08, 0x00] });
            b.extend_from_slice(&ip_bytes(ip));
        }
        None => {
            b.extend_from_slice(&[0x08, 0x06]);
            b.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, 1]);
            b.extend_from_slice(&MACS[f.src]);
            b.extend_from_slice(&V4[0]);
            b.extend_from_slice(&[0; 6]);
            b.extend_from_slice(&V4[1]);
        }
    }
    b
}

fn arb_l4(depth: u32) -> BoxedStrategy<L4> {
    let port = || prop::sample::select(PORTS.to_vec());
    let leaf = prop_oneof![
        (port(), port(), any::<u8>()).prop_map(|(sport, dport, flags)| L4::Tcp {
            sport,
            dport,
            flags
        }),
        (port(), port()).prop_map(|(sport, dport)| L4::Udp { sport, dport }),
        Just(L4::Icmp),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        4 => leaf,
        1 => arb_ip(depth - 1).prop_map(|i| L4::IpInIp { inner: Box::new(i) }),
        1 => arb_ip(depth - 1).prop_map(|i| L4::Gre { inner: Box::new(Inner::Ip(i)) }),
        1 => arb_frame(depth - 1).prop_map(|f| L4::Gre { inner: Box::new(Inner::Ethernet(Box::new(f))) }),
    ]
    .boxed()
}

fn arb_ip(depth: u32) -> BoxedStrategy<Ip> {
    (any::<bool>(), 0..4usize, 0..4usize, arb_l4(depth))
        .prop_map(|(v6, src, dst, l4)| Ip { v6, src, dst, l4 })
        .boxed()
}

fn arb_frame(depth: u32) -> BoxedStrategy<Frame> {
    (
        0..3usize,
        0..3usize,
        prop::option::of(prop::sample::select(VLANS.to_vec())),
        prop::option::weighted(0.9, arb_ip(depth)),
    )
        .prop_map(|(src, dst, vlan, ip)| Frame { src, dst, vlan, ip })
        .boxed()
}

fn net(v6: bool, i: usize, prefix: Option<u8>) -> IpNet {
    let addr: IpAddr = if v6 {
        V6[i].parse().unwrap()
    } else {
        IpAddr::from(V4[i])
    };
    let max = if v6 { 128 } else { 32 };
    IpNet {
        addr,
        prefix: prefix.unwrap_or(max).min(max),
    }
}

prop_compose! {
    fn arb_filter()(
        macs in prop::sample::subsequence(vec![0usize, 1, 2], 0..=2),
        vlan in prop::option::weighted(0.15, prop::sample::select(VLANS.to_vec())),
        ethertype in prop::option::weighted(0.2, prop::sample::select(vec![0x0800u16, 0x86DD, 0x0806])),
        protocol in prop::option::weighted(0.3, prop::sample::select(vec![6u8, 17, 1, 58, 47, 4])),
        tcp_flags in prop::sample::select(vec![0u8, 0x02, 0x12, 0x10, 0x01]),
        v6 in any::<bool>(),
        ips in prop::sample::subsequence(vec![0usize, 1, 2, 3], 0..=2),
        prefixes in (prop::option::of(prop::sample::select(vec![0u8, 8, 16, 24, 33, 64])), prop::option::of(prop::sample::select(vec![16u8, 30, 48]))),
        ports in prop::sample::subsequence(PORTS.to_vec(), 0..=2),
        heartbeat in prop::bool::weighted(0.1),
        encap in prop::option::weighted(0.15, prop::sample::select(vec![4789u16, 8472])),
    ) -> Filter {
        let mut f = Filter {
            macs: macs.into_iter().map(|i| MACS[i]).collect(),
            vlan,
            ethertype,
            protocol,
            tcp_flags: if protocol == Some(6) { tcp_flags } else { 0 },
            ips: ips.iter().enumerate().map(|(k, &i)| net(v6, i, if k == 0 { prefixes.0 } else { prefixes.1 })).collect(),
            ports,
            heartbeat,
            encap,
            ..Default::default()
        };
        // The parser refuses an IP version contradicting the EtherType; so do we here.
        if let (Some(et), Some(n)) = (f.ethertype, f.ips.first())
            && ((et == 0x0800 && n.addr.is_ipv6()) || (et == 0x86DD && n.addr.is_ipv4())) {
                f.ethertype = None;
            }
        if !f.has_condition() {
            f.heartbeat = true;
        }
        f
    }
}

fn arb_set() -> impl Strategy<Value = FilterSet> {
    prop::collection::vec(arb_filter(), 1..=4).prop_map(FilterSet::numbered)
}

fn bpf_accepts(expr: &Option<String>, frame: &[u8]) -> bool {
    let Some(expr) = expr else {
        return true;
    };
    let dead = pcap::Capture::dead(pcap::Linktype::ETHERNET).expect("dead capture");
    // As the capture backend does: a filter set nothing can match compiles unoptimized.
    let prog = pktmon::capture::pcap::optimized_or_plain(|optimize| dead.compile(expr, optimize))
        .unwrap_or_else(|e| panic!("libpcap refused our prefilter {expr:?}: {e}"));
    prog.filter(frame)
}

/// libpcap's program for `expr` translated to eBPF (as the packet-path programs run it)
/// and run over the frame.
#[cfg(target_os = "linux")]
fn translated_accepts(expr: &str, frame: &[u8]) -> bool {
    use pktmon::capture::bpf::classic::{BlockSpec, compile, run_block, translate};
    const OFFSET: usize = 88;
    let spec = BlockSpec {
        packet_offset: OFFSET as i16,
        cap: 1536,
        scratch_offset: -400,
    };
    let prog = compile(expr).unwrap_or_else(|e| panic!("{expr:?}: {e}"));
    let block = translate(&prog, &spec).unwrap_or_else(|e| panic!("{expr:?}: {e}"));
    let mut record = vec![0u8; OFFSET + spec.cap as usize];
    record[OFFSET..OFFSET + frame.len()].copy_from_slice(frame);
    run_block(&block, &record, frame.len() as u32, frame.len() as u32) != 0
}

/// The filter semantics written the plain way: the first filter, in order, whose
/// conditions the outer headers (or, with `-e`, a tunnel's inner headers) satisfy.
fn reference(set: &FilterSet, frame: &[u8]) -> Option<u32> {
    use pktmon::filter::fields::Headers;
    if set.filters.is_empty() {
        return Some(0);
    }
    let outer = Headers::parse(frame, LinkType::ETHERNET);
    set.filters.iter().find_map(|nf| {
        let f = &nf.filter;
        let inner_ok = f.encap.is_some_and(|port| {
            outer
                .inner(frame, port)
                .is_some_and(|h| f.matches_headers(&h))
        });
        (f.matches_headers(&outer) || inner_ok).then_some(nf.number)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, .. ProptestConfig::default() })]

    #[test]
    fn prefilter_never_rejects_what_the_matcher_accepts(frame in arb_frame(2), set in arb_set()) {
        let bytes = frame_bytes(&frame);
        let matcher = Matcher::new(set.clone());
        let matched = matcher.matching_filter(&bytes, LinkType::ETHERNET);
        // The indexed matcher picks exactly the filter the plain reading does.
        prop_assert_eq!(matched, reference(&set, &bytes), "matcher vs reference on {:?}", frame);
        let accepted = matched.is_some();
        let expr = bpf::prefilter(&set);
        let kernel = bpf_accepts(&expr, &bytes);
        // The tracepoint programs' translation of the same classic program decides alike.
        #[cfg(target_os = "linux")]
        if let Some(e) = &expr {
            prop_assert_eq!(translated_accepts(e, &bytes), kernel, "translation of {:?} on {:?}", e, frame);
        }
        prop_assert!(!accepted || kernel, "prefilter {:?} rejects a frame the matcher accepts: {:?}", expr, frame);
        let widened = set.filters.iter().any(|f| f.filter.encap.is_some() || f.filter.vlan.is_some());
        if !widened {
            prop_assert_eq!(accepted, kernel, "prefilter {:?} and matcher disagree on {:?}", expr, frame);
        }
    }
}

#[test]
fn the_matcher_is_exercised_both_ways() {
    // Guard against a vacuous property: the generators must produce both outcomes.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut yes, mut no) = (0, 0);
    for _ in 0..2000 {
        let frame = arb_frame(2).new_tree(&mut runner).unwrap().current();
        let set = arb_set().new_tree(&mut runner).unwrap().current();
        let m = Matcher::new(set).matching_filter(&frame_bytes(&frame), LinkType::ETHERNET);
        if m.is_some() { yes += 1 } else { no += 1 }
    }
    assert!(yes > 100 && no > 100, "accepted {yes}, rejected {no}");
}
