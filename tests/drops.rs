//! Kernel drops (`capture::drops`) in test-made network namespaces: real drops (UDP to a
//! closed port, nftables rules, an unknown ethertype) must arrive with the right reason,
//! location, namespace, interface and bytes; drops in other namespaces must not. The host
//! may have drops of its own: every check matches on this test's namespaces and ports.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session
#![cfg(target_os = "linux")]

mod common;

use common::frames::{ethernet, inject};
use common::{Lab, icmp, nft, require_root, text};
use pktmon::capture::drops::{
    DropEvent, DropScope, DropSourceChoice, DropSourceKind, DropTracer, netns_inode_of,
};
use pktmon::record::LinkType;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(5);

fn ns_inode(ns: &str) -> u64 {
    netns_inode_of(Path::new(&format!("/var/run/netns/{ns}"))).expect("netns inode")
}

fn ifindex(ns: &str, ifname: &str) -> u32 {
    let out = Command::new("ip")
        .args(["-n", ns, "-o", "link", "show", ifname])
        .output()
        .expect("ip link");
    let s = text(&out.stdout);
    s.split(':')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no ifindex for {ifname} in {ns}: {s}"))
}

fn open(scope: Vec<u64>, choice: DropSourceChoice) -> DropTracer {
    DropTracer::open_with(
        &DropScope {
            netns_inodes: scope,
        },
        choice,
    )
    .unwrap_or_else(|e| panic!("open drop tracer: {e}"))
}

/// Polls until `done` holds for the events collected so far (bounded by WAIT).
fn collect_until(
    t: &mut DropTracer,
    what: &str,
    done: impl Fn(&[DropEvent]) -> bool,
) -> Vec<DropEvent> {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    while !done(&seen) {
        assert!(
            Instant::now() < deadline,
            "{what}: not seen within {WAIT:?}; got {} events: {:#?}",
            seen.len(),
            seen.iter().take(10).collect::<Vec<_>>()
        );
        t.poll(Duration::from_millis(50), &mut |ev| seen.push(ev.clone()))
            .expect("poll");
    }
    seen
}

/// The UDP destination port of an IPv4 packet in `ev`'s bytes.
fn udp_dst_port(ev: &DropEvent) -> Option<u16> {
    let ip = ev.network_bytes();
    if ip.len() < 24 || ip[0] >> 4 != 4 || ip[9] != 17 {
        return None;
    }
    let ihl = (ip[0] & 0x0f) as usize * 4;
    let p = ip.get(ihl + 2..ihl + 4)?;
    Some(u16::from_be_bytes([p[0], p[1]]))
}

/// tcpdump's reading of the event's bytes (the oracle for our framing).
fn tcpdump_line(ev: &DropEvent, dir: &Path) -> String {
    let mut f = Vec::new();
    f.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    f.extend_from_slice(&2u16.to_le_bytes());
    f.extend_from_slice(&4u16.to_le_bytes());
    f.extend_from_slice(&[0; 8]);
    f.extend_from_slice(&65535u32.to_le_bytes());
    f.extend_from_slice(&(ev.link_type.0 as u32).to_le_bytes());
    let secs = (ev.timestamp_ns / 1_000_000_000) as u32;
    let usecs = ((ev.timestamp_ns % 1_000_000_000) / 1000) as u32;
    for w in [secs, usecs, ev.data.len() as u32, ev.original_len] {
        f.extend_from_slice(&w.to_le_bytes());
    }
    f.extend_from_slice(&ev.data);
    let path = dir.join("drop.pcap");
    std::fs::write(&path, f).expect("write pcap");
    let out = Command::new("tcpdump")
        .args(["-nn", "-e", "-r"])
        .arg(&path)
        .output()
        .expect("tcpdump is installed");
    assert!(out.status.success(), "tcpdump: {}", text(&out.stderr));
    text(&out.stdout)
}

fn mac(m: [u8; 6]) -> String {
    m.map(|b| format!("{b:02x}")).join(":")
}

/// `Udp: ... NoPorts` of a namespace.
fn udp_no_ports(ns: &str) -> u64 {
    let out = Command::new("ip")
        .args(["netns", "exec", ns, "cat", "/proc/net/snmp"])
        .output()
        .expect("read snmp");
    let s = text(&out.stdout);
    let mut udp = s.lines().filter(|l| l.starts_with("Udp:"));
    let (Some(names), Some(values)) = (udp.next(), udp.next()) else {
        panic!("no Udp lines in {ns}'s snmp: {s}");
    };
    let i = names
        .split_whitespace()
        .position(|n| n == "NoPorts")
        .expect("NoPorts column");
    values
        .split_whitespace()
        .nth(i)
        .and_then(|v| v.parse().ok())
        .expect("NoPorts value")
}

fn ensure_tracefs() {
    if !Path::new("/sys/kernel/tracing/events").exists() {
        let out = Command::new("mount")
            .args(["-t", "tracefs", "nodev", "/sys/kernel/tracing"])
            .output()
            .expect("mount");
        assert!(
            out.status.success(),
            "mounting tracefs: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn udp_to_a_closed_port_is_a_no_socket_drop_with_namespace_interface_and_bytes() {
    if require_root("udp_to_a_closed_port_is_a_no_socket_drop").is_err() {
        return;
    }
    let lab = Lab::new();
    let ino = ns_inode(&lab.ns_a);
    let ifx = ifindex(&lab.ns_a, &lab.if_a);
    let mut t = open(vec![ino], DropSourceChoice::Bpf);
    assert_eq!(t.kind(), DropSourceKind::Bpf);
    assert_eq!(t.why_fallback(), None);
    assert!(t.filters_namespaces());

    let port = 40123;
    lab.send_udp(&lab.ns_b, lab.addr_a, port, 3, 5);
    let seen = collect_until(&mut t, "3 NO_SOCKET drops", |s| {
        s.iter().filter(|e| udp_dst_port(e) == Some(port)).count() >= 3
    });
    let ev = seen
        .iter()
        .find(|e| udp_dst_port(e) == Some(port))
        .expect("one of ours");
    assert_eq!(ev.reason, "NO_SOCKET");
    assert!(
        ev.location.starts_with("__udp4_lib_rcv+0x"),
        "{}",
        ev.location
    );
    assert_eq!(ev.netns_inode, Some(ino));
    assert_eq!(ev.ifindex, Some(ifx));
    assert!(ev.ingress);
    assert_eq!(ev.protocol, 0x0800);
    // Received on a veth: the Ethernet header is there; 14 + 20 + 8 + 5 bytes.
    assert_eq!(ev.link_type, LinkType::ETHERNET);
    assert_eq!(ev.original_len, 47);
    assert_eq!(ev.data.len(), 47);
    // Nothing else holds a datagram nobody listens for.
    assert!(!ev.data_shared, "{ev:?}");
    assert_ne!(ev.skb_head, 0);
    assert_ne!(ev.skb_addr, 0);
    let age = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i128
        - ev.timestamp_ns as i128;
    assert!((0..10_000_000_000).contains(&age), "timestamp {age} ns old");
    // Every event delivered is from namespace a (filtered in the kernel).
    assert!(seen.iter().all(|e| e.netns_inode == Some(ino)), "{seen:#?}");

    let line = tcpdump_line(ev, lab.dir.path());
    assert!(
        line.contains(&format!("{} > {}", mac(lab.mac_b), mac(lab.mac_a))),
        "{line}"
    );
    assert!(
        line.contains(&format!("> {}.{port}: UDP, length 5", lab.addr_a)),
        "{line}"
    );
    assert!(line.contains(&format!("{}.", lab.addr_b)), "{line}");
    assert_eq!(t.lost(), 0);
}

#[test]
fn nftables_drops_on_input_and_output_are_netfilter_drops() {
    if require_root("nftables_drops_on_input_and_output_are_netfilter_drops").is_err() {
        return;
    }
    let lab = Lab::new();
    let ino = ns_inode(&lab.ns_a);
    let ifx = ifindex(&lab.ns_a, &lab.if_a);
    let (p_in, p_out) = (40124, 40125);
    nft(
        &lab.ns_a,
        &format!(
            "table inet pktmontest {{\n\
               chain in {{ type filter hook input priority 0; udp dport {p_in} drop; }}\n\
               chain out {{ type filter hook output priority 0; udp dport {p_out} drop; }}\n\
             }}\n"
        ),
    );
    let mut t = open(vec![ino], DropSourceChoice::Bpf);
    lab.send_udp(&lab.ns_b, lab.addr_a, p_in, 1, 8);
    // Local output dropped before a device is chosen: the sender sees EPERM; the
    // interface comes from the route.
    let (ns, to) = (lab.ns_a.clone(), lab.addr_b);
    std::thread::spawn(move || {
        let f = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("netns");
        nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        let s = std::net::UdpSocket::bind("0.0.0.0:0").expect("bind");
        let r = s.send_to(b"out", (to, p_out));
        assert!(r.is_err(), "the output rule should refuse the send");
    })
    .join()
    .expect("sender");

    let seen = collect_until(&mut t, "both NETFILTER_DROPs", |s| {
        [p_in, p_out]
            .iter()
            .all(|p| s.iter().any(|e| udp_dst_port(e) == Some(*p)))
    });
    for (port, ingress) in [(p_in, true), (p_out, false)] {
        let ev = seen
            .iter()
            .find(|e| udp_dst_port(e) == Some(port))
            .expect("ours");
        assert_eq!(ev.reason, "NETFILTER_DROP", "port {port}");
        assert!(ev.location.starts_with("nft_do_chain"), "{}", ev.location);
        assert_eq!(ev.netns_inode, Some(ino), "port {port}");
        assert_eq!(ev.ifindex, Some(ifx), "port {port}");
        assert_eq!(ev.ingress, ingress, "port {port}");
    }
    let out = seen
        .iter()
        .find(|e| udp_dst_port(e) == Some(p_out))
        .expect("ours");
    // Dropped before the link layer was built: IP bytes only.
    assert_eq!(out.link_type, LinkType::RAW);
    assert_eq!(out.original_len, 20 + 8 + 3);
    let line = tcpdump_line(out, lab.dir.path());
    assert!(
        line.contains(&format!("> {}.{p_out}: UDP, length 3", lab.addr_b)),
        "{line}"
    );
}

#[test]
fn drops_in_another_namespace_are_filtered_in_the_kernel() {
    if require_root("drops_in_another_namespace_are_filtered_in_the_kernel").is_err() {
        return;
    }
    let lab = Lab::new();
    let (ino_a, ino_b) = (ns_inode(&lab.ns_a), ns_inode(&lab.ns_b));
    let mut only_a = open(vec![ino_a], DropSourceChoice::Bpf);
    let mut only_b = open(vec![ino_b], DropSourceChoice::Bpf);
    let (p_b, p_marker) = (40131, 40132);

    // Drops in b, then wait until b's stack has counted them all.
    let before = udp_no_ports(&lab.ns_b);
    lab.send_udp(&lab.ns_a, lab.addr_b, p_b, 5, 4);
    let deadline = Instant::now() + WAIT;
    while udp_no_ports(&lab.ns_b) < before + 5 {
        assert!(Instant::now() < deadline, "ns b never counted the 5 drops");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Then a drop in a; once it arrives, anything from b would have arrived before it.
    lab.send_udp(&lab.ns_b, lab.addr_a, p_marker, 1, 4);
    let seen_a = collect_until(&mut only_a, "the marker drop in a", |s| {
        s.iter().any(|e| udp_dst_port(e) == Some(p_marker))
    });
    assert!(
        !seen_a.iter().any(|e| udp_dst_port(e) == Some(p_b)),
        "a drop made in b reached the tracer scoped to a: {seen_a:#?}"
    );
    assert!(seen_a.iter().all(|e| e.netns_inode == Some(ino_a)));
    // The same drops are visible to a tracer scoped to b: the filter, not luck, kept
    // them from a's.
    let seen_b = collect_until(&mut only_b, "5 drops in b", |s| {
        s.iter().filter(|e| udp_dst_port(e) == Some(p_b)).count() >= 5
    });
    assert!(seen_b.iter().all(|e| e.netns_inode == Some(ino_b)));
    assert!(!seen_b.iter().any(|e| udp_dst_port(e) == Some(p_marker)));
}

#[test]
fn unknown_ethertype_is_dropped_with_its_ethernet_header() {
    if require_root("unknown_ethertype_is_dropped_with_its_ethernet_header").is_err() {
        return;
    }
    let lab = Lab::new();
    let ino = ns_inode(&lab.ns_a);
    let mut t = open(vec![ino], DropSourceChoice::Bpf);
    let payload: Vec<u8> = (0..60u8).collect();
    inject(
        &lab.ns_b,
        &lab.if_b,
        vec![ethernet(lab.mac_a, lab.mac_b, None, 0x88b5, &payload)],
    );
    let seen = collect_until(&mut t, "the 0x88b5 frame", |s| {
        s.iter().any(|e| e.protocol == 0x88b5)
    });
    let ev = seen.iter().find(|e| e.protocol == 0x88b5).expect("ours");
    assert_eq!(ev.reason, "UNHANDLED_PROTO");
    assert_eq!(ev.link_type, LinkType::ETHERNET);
    assert_eq!(&ev.data[..6], &lab.mac_a);
    assert_eq!(&ev.data[6..12], &lab.mac_b);
    assert_eq!(&ev.data[12..14], &[0x88, 0xb5]);
    assert_eq!(&ev.data[14..], &payload[..]);
}

#[test]
fn perf_fallback_reports_no_socket_drops_without_interface_or_bytes() {
    if require_root("perf_fallback_reports_no_socket_drops").is_err() {
        return;
    }
    ensure_tracefs();
    let lab = Lab::new();
    let mut t = open(vec![ns_inode(&lab.ns_a)], DropSourceChoice::Perf);
    assert_eq!(t.kind(), DropSourceKind::PerfTracepoint);
    assert_eq!(t.why_fallback().as_deref(), Some("PKTMON_DROP_SOURCE=perf"));
    assert!(!t.filters_namespaces());
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    // The perf record has no namespace or bytes; an ethertype nobody else uses makes
    // our own drops recognisable among the host's.
    let frames = (0..4)
        .map(|i| ethernet(lab.mac_a, lab.mac_b, None, 0x88b5, &[i; 46]))
        .collect();
    inject(&lab.ns_b, &lab.if_b, frames);
    lab.send_udp(&lab.ns_b, lab.addr_a, 40141, 10, 4);
    let ours = |e: &DropEvent| {
        e.reason == "NO_SOCKET"
            && e.location.starts_with("__udp4_lib_rcv+0x")
            && e.protocol == 0x0800
            && e.timestamp_ns >= since
    };
    let seen = collect_until(&mut t, "4 UNHANDLED_PROTO and 10 NO_SOCKET", |s| {
        s.iter()
            .filter(|e| e.protocol == 0x88b5 && e.reason == "UNHANDLED_PROTO")
            .count()
            >= 4
            && s.iter().filter(|e| ours(e)).count() >= 10
    });
    let ev = seen.iter().find(|e| ours(e)).expect("ours");
    assert!(ev.ingress);
    assert_eq!((ev.netns_inode, ev.ifindex), (None, None));
    assert!(ev.data.is_empty());
}

/// Runs one test of this binary in a child with fewer capabilities.
fn child_without(caps: &str, expect: &str) -> std::process::Output {
    let exe = std::env::current_exe().expect("test binary");
    Command::new("setpriv")
        .args(["--bounding-set", caps, "--inh-caps", caps])
        .arg(exe)
        .args(["--exact", "child_opens_the_expected_source", "--nocapture"])
        .env("PKTMON_DROPS_CHILD_EXPECT", expect)
        .env_remove("PKTMON_DROP_SOURCE")
        .output()
        .expect("setpriv (util-linux) runs")
}

/// As root: the automatic choice is BPF. In a child started by the tests below: whatever
/// PKTMON_DROPS_CHILD_EXPECT says.
#[test]
fn child_opens_the_expected_source() {
    if require_root("child_opens_the_expected_source").is_err() {
        return;
    }
    ensure_tracefs();
    let expect = std::env::var("PKTMON_DROPS_CHILD_EXPECT").unwrap_or_else(|_| "bpf".into());
    let r = DropTracer::open_with(&DropScope::default(), DropSourceChoice::Auto);
    match (expect.as_str(), &r) {
        ("bpf", Ok(t)) => {
            assert_eq!(t.kind(), DropSourceKind::Bpf);
            assert_eq!(t.why_fallback(), None);
        }
        ("perf", Ok(t)) => {
            assert_eq!(t.kind(), DropSourceKind::PerfTracepoint);
            println!("FALLBACK: {}", t.why_fallback().unwrap_or_default());
        }
        ("none", Err(e)) => {
            assert!(e.is_permission_denied(), "{e}");
            println!("REFUSED: {e}");
        }
        (want, got) => panic!("expected {want}, got {got:?}"),
    }
}

#[test]
fn without_cap_bpf_the_perf_fallback_is_used_and_says_why() {
    if require_root("without_cap_bpf_the_perf_fallback_is_used").is_err() {
        return;
    }
    ensure_tracefs();
    let out = child_without("-bpf,-sys_admin", "perf");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let line = stdout
        .lines()
        .find(|l| l.starts_with("FALLBACK: "))
        .unwrap_or_else(|| panic!("no FALLBACK line: {stdout}"));
    assert!(line.contains("BPF refused"), "{line}");
    assert!(line.contains("CAP_BPF+CAP_PERFMON"), "{line}");
}

#[test]
fn without_any_tracing_capability_the_error_names_the_privilege() {
    if require_root("without_any_tracing_capability_the_error_names_the_privilege").is_err() {
        return;
    }
    ensure_tracefs();
    let out = child_without("-bpf,-sys_admin,-perfmon", "none");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let line = stdout
        .lines()
        .find(|l| l.starts_with("REFUSED: "))
        .unwrap_or_else(|| panic!("no REFUSED line: {stdout}"));
    assert!(
        line.contains("drop tracing needs root or CAP_BPF+CAP_PERFMON; bpf: "),
        "{line}"
    );
    assert!(line.contains("; perf: perf_event_open"), "{line}");
}

/// The ICMP (type, id) of an IPv4 packet in `ev`'s bytes.
fn icmp_type_id(ev: &DropEvent) -> Option<(u8, u16)> {
    let ip = ev.network_bytes();
    if ip.len() < 28 || ip[0] >> 4 != 4 || ip[9] != 1 {
        return None;
    }
    let ihl = (ip[0] & 0x0f) as usize * 4;
    let m = ip.get(ihl..ihl + 8)?;
    Some((m[0], u16::from_be_bytes([m[4], m[5]])))
}

/// What a root `ping` does: the echo reply reaches the raw socket as a clone, and the
/// original is freed in `ping_rcv` with NO_SOCKET (no ping socket asked for it). The
/// drop record says the data was still shared with that clone.
#[test]
fn ping_reply_for_a_raw_socket_is_freed_while_its_data_is_shared() {
    if require_root("ping_reply_for_a_raw_socket_is_freed_while_its_data_is_shared").is_err() {
        return;
    }
    let lab = Lab::new();
    let ino = ns_inode(&lab.ns_a);
    let mut t = open(vec![ino], DropSourceChoice::Bpf);
    let id = (std::process::id() & 0xffff) as u16 ^ 0x0f0f;
    // Kept open (and unread) until the end: the clone waits in its queue.
    let sock = icmp::raw_socket(&lab.ns_a);
    icmp::send(&sock, lab.addr_b, &icmp::echo_request(id, 1, b"shared"));
    let reply = |e: &DropEvent| icmp_type_id(e) == Some((0, id));
    let seen = collect_until(&mut t, "echo reply freed in namespace a", |s| {
        s.iter().any(reply)
    });
    let ev = seen.iter().find(|e| reply(e)).expect("reply");
    assert_eq!(ev.reason, "NO_SOCKET", "{ev:?}");
    assert!(
        ev.location.starts_with("ping_rcv+") || ev.location.starts_with("0x"),
        "{ev:?}"
    );
    assert!(
        ev.data_shared,
        "the raw socket's clone shares the data: {ev:?}"
    );
    assert_ne!(ev.skb_head, 0);
    assert!(
        icmp::wait_readable(&sock, 1000),
        "the raw socket got the reply"
    );
    drop(sock);
}
