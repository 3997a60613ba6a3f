//! The packet-path tracer (`capture::path`) between two test-made network namespaces: an
//! ICMP echo request sent from namespace a must be seen leaving a's veth end and arriving
//! on b's, as one buffer (same `skb_head`), with the right names, namespaces, bytes and
//! time order; loopback must be seen as Ethernet; a namespace scope must hold. The host
//! carries other traffic: every check matches this test's namespaces and ICMP id.
#![cfg(target_os = "linux")]

mod common;

use common::{Lab, icmp, require_root, text};
use pktmon::capture::drops::netns_inode_of;
use pktmon::capture::path::{ARPHRD_LOOPBACK, PathOptions, PathTracer, Sighting};
use pktmon::record::{Direction, LinkType};
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(5);

fn ns_inode(ns: &str) -> u64 {
    netns_inode_of(Path::new(&format!("/var/run/netns/{ns}"))).expect("netns inode")
}

/// The namespace's cookie, as `getsockopt(SO_NETNS_COOKIE)` on a socket made there
/// gives it (Linux 5.14+; None before).
fn netns_cookie(ns: &str) -> Option<u64> {
    let ns = ns.to_string();
    std::thread::spawn(move || {
        let f = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
        nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        let s = std::net::UdpSocket::bind("127.0.0.1:0").ok()?;
        let mut cookie = 0u64;
        let mut len = std::mem::size_of::<u64>() as libc::socklen_t;
        const SO_NETNS_COOKIE: libc::c_int = 71;
        // SAFETY: a valid socket and an 8-byte output buffer with its length.
        let r = unsafe {
            libc::getsockopt(
                std::os::fd::AsRawFd::as_raw_fd(&s),
                libc::SOL_SOCKET,
                SO_NETNS_COOKIE,
                &mut cookie as *mut u64 as *mut libc::c_void,
                &mut len,
            )
        };
        (r == 0).then_some(cookie)
    })
    .join()
    .expect("cookie thread")
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

/// A sighting, owned.
#[derive(Clone, Debug)]
struct Seen {
    ts: u64,
    direction: Direction,
    netns: u64,
    cookie: u64,
    ifindex: u32,
    ifname: String,
    dev_type: u16,
    skb_head: u64,
    original_len: u32,
    link_type: LinkType,
    network_offset: u32,
    data: Vec<u8>,
}

impl Seen {
    fn of(s: &Sighting) -> Seen {
        Seen {
            ts: s.timestamp_ns,
            direction: s.direction,
            netns: s.netns_inode,
            cookie: s.netns_cookie,
            ifindex: s.ifindex,
            ifname: s.ifname.to_string(),
            dev_type: s.dev_type,
            skb_head: s.skb_head,
            original_len: s.original_len,
            link_type: s.link_type,
            network_offset: s.network_offset,
            data: s.data.to_vec(),
        }
    }

    fn l3(&self) -> &[u8] {
        self.data.get(self.network_offset as usize..).unwrap_or(&[])
    }

    /// (type, id, seq) when the L3 bytes are IPv4 ICMP from `src` to `dst`.
    fn icmp(&self, src: Ipv4Addr, dst: Ipv4Addr) -> Option<(u8, u16, u16)> {
        let ip = self.l3();
        if ip.len() < 28 || ip[0] >> 4 != 4 || ip[9] != 1 {
            return None;
        }
        if ip[12..16] != src.octets() || ip[16..20] != dst.octets() {
            return None;
        }
        let ihl = (ip[0] & 0x0f) as usize * 4;
        let m = ip.get(ihl..ihl + 8)?;
        Some((
            m[0],
            u16::from_be_bytes([m[4], m[5]]),
            u16::from_be_bytes([m[6], m[7]]),
        ))
    }
}

fn open(netns_inodes: Vec<u64>) -> PathTracer {
    PathTracer::open(&PathOptions {
        snaplen: 128,
        netns_inodes,
    })
    .unwrap_or_else(|e| panic!("open path tracer: {e}"))
}

/// Polls until `done` holds for the sightings so far (bounded by WAIT).
fn collect_until(t: &mut PathTracer, what: &str, done: impl Fn(&[Seen]) -> bool) -> Vec<Seen> {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    while !done(&seen) {
        assert!(
            Instant::now() < deadline,
            "{what}: not seen within {WAIT:?}; got {} sightings: {:#?}",
            seen.len(),
            seen.iter().take(10).collect::<Vec<_>>()
        );
        t.poll(Duration::from_millis(50), &mut |s| seen.push(Seen::of(s)))
            .expect("poll");
    }
    seen
}

#[test]
fn echo_request_is_seen_leaving_a_and_entering_b_as_one_buffer() {
    if require_root("echo_request_is_seen_leaving_a_and_entering_b_as_one_buffer").is_err() {
        return;
    }
    let lab = Lab::new();
    let (ino_a, ino_b) = (ns_inode(&lab.ns_a), ns_inode(&lab.ns_b));
    let (ifx_a, ifx_b) = (ifindex(&lab.ns_a, &lab.if_a), ifindex(&lab.ns_b, &lab.if_b));
    let mut both = open(vec![ino_a, ino_b]);
    // A second tracer scoped to b alone, open at the same time.
    let mut only_b = open(vec![ino_b]);

    let id = (std::process::id() & 0xffff) as u16;
    let payload = b"pktmon path tracer test payload!";
    let sock = icmp::raw_socket(&lab.ns_a);
    icmp::send(&sock, lab.addr_b, &icmp::echo_request(id, 1, payload));

    let (a, b) = (lab.addr_a, lab.addr_b);
    let request = |s: &Seen| s.icmp(a, b) == Some((8, id, 1));
    let seen = collect_until(&mut both, "echo request on both veth ends", |seen| {
        let tx = seen
            .iter()
            .find(|s| request(s) && s.direction == Direction::Tx);
        tx.is_some_and(|tx| {
            seen.iter()
                .any(|s| request(s) && s.direction == Direction::Rx && s.skb_head == tx.skb_head)
        })
    });
    let tx = seen
        .iter()
        .find(|s| request(s) && s.direction == Direction::Tx)
        .expect("tx");
    let rx = seen
        .iter()
        .find(|s| request(s) && s.direction == Direction::Rx && s.skb_head == tx.skb_head)
        .expect("rx");

    assert_eq!(
        (tx.netns, tx.ifindex, tx.ifname.as_str()),
        (ino_a, ifx_a, lab.if_a.as_str())
    );
    assert_eq!(
        (rx.netns, rx.ifindex, rx.ifname.as_str()),
        (ino_b, ifx_b, lab.if_b.as_str())
    );
    assert_ne!(tx.skb_head, 0);
    // Namespace cookies, when the kernel has them, are the ones sockets there report.
    if let (Some(ca), Some(cb)) = (netns_cookie(&lab.ns_a), netns_cookie(&lab.ns_b)) {
        assert_eq!((tx.cookie, rx.cookie), (ca, cb));
        assert_ne!(ca, cb);
    }
    assert!(tx.ts <= rx.ts, "Tx at {} after Rx at {}", tx.ts, rx.ts);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i128;
    let age = now - tx.ts as i128;
    assert!((0..10_000_000_000).contains(&age), "timestamp {age} ns old");
    let frame_len = 14 + 20 + 8 + payload.len();
    for s in [tx, rx] {
        assert_eq!(s.dev_type, 1, "veth is ARPHRD_ETHER: {s:?}");
        assert_eq!(s.link_type, LinkType::ETHERNET, "{s:?}");
        assert_eq!(s.network_offset, 14);
        assert_eq!(s.original_len as usize, frame_len, "{s:?}");
        assert_eq!(s.data.len(), frame_len, "the whole frame fits in 128 bytes");
        // Ethernet: to b's MAC, from a's, IPv4.
        assert_eq!(s.data[0..6], lab.mac_b);
        assert_eq!(s.data[6..12], lab.mac_a);
        assert_eq!(s.data[12..14], [0x08, 0x00]);
        // IPv4 total length, then the ICMP message exactly as sent.
        let ip = s.l3();
        assert_eq!(
            u16::from_be_bytes([ip[2], ip[3]]) as usize,
            20 + 8 + payload.len()
        );
        assert_eq!(ip[20..], icmp::echo_request(id, 1, payload)[..]);
    }

    // The scoped tracer saw the request arrive in b, and nothing of a.
    let seen_b = collect_until(&mut only_b, "echo request in b (scoped)", |seen| {
        seen.iter()
            .any(|s| request(s) && s.direction == Direction::Rx)
    });
    assert!(
        seen_b.iter().all(|s| s.netns == ino_b),
        "a sighting outside b passed the scope: {:#?}",
        seen_b.iter().find(|s| s.netns != ino_b)
    );
    assert_eq!(both.lost(), 0);
}

#[test]
fn loopback_is_ethernet_in_both_directions() {
    if require_root("loopback_is_ethernet_in_both_directions").is_err() {
        return;
    }
    let lab = Lab::new();
    let ino_a = ns_inode(&lab.ns_a);
    let mut t = open(vec![ino_a]);
    let id = (std::process::id() & 0xffff) as u16 ^ 0x5a5a;
    let sock = icmp::raw_socket(&lab.ns_a);
    let lo = Ipv4Addr::LOCALHOST;
    icmp::send(&sock, lo, &icmp::echo_request(id, 7, b"loop"));
    let request = |s: &Seen| s.icmp(lo, lo) == Some((8, id, 7));
    let seen = collect_until(&mut t, "echo request on lo", |seen| {
        [Direction::Tx, Direction::Rx]
            .iter()
            .all(|d| seen.iter().any(|s| request(s) && s.direction == *d))
    });
    for s in seen.iter().filter(|s| request(s)) {
        assert_eq!(s.ifname, "lo", "{s:?}");
        assert_eq!(s.ifindex, 1);
        assert_eq!(s.netns, ino_a);
        assert_eq!(s.dev_type, ARPHRD_LOOPBACK);
        // Loopback carries an Ethernet header of zero addresses.
        assert_eq!(s.link_type, LinkType::ETHERNET, "{s:?}");
        assert_eq!(s.data[..12], [0; 12]);
        assert_eq!(s.data[12..14], [0x08, 0x00]);
        assert_eq!(s.original_len as usize, 14 + 20 + 8 + 4);
    }
}

/// As root: the tracer opens. In the child started by the test below (capabilities
/// dropped): it is refused for lack of privilege, and says so.
#[test]
fn child_opens_the_path_tracer() {
    if require_root("child_opens_the_path_tracer").is_err() {
        return;
    }
    let r = PathTracer::open(&PathOptions::default());
    if std::env::var("PKTMON_PATH_CHILD").as_deref() == Ok("refused") {
        let e = r.expect_err("opened without CAP_BPF/CAP_PERFMON");
        assert!(e.is_permission_denied(), "{e}");
        println!("REFUSED: {e}");
    } else {
        let t = r.unwrap_or_else(|e| panic!("open as root: {e}"));
        let (rx, tx) = t.instructions();
        assert!(rx > 0 && tx > 0);
    }
}

#[test]
fn without_bpf_capabilities_the_error_names_the_privilege() {
    if require_root("without_bpf_capabilities_the_error_names_the_privilege").is_err() {
        return;
    }
    let caps = "-bpf,-sys_admin,-perfmon";
    let out = Command::new("setpriv")
        .args(["--bounding-set", caps, "--inh-caps", caps])
        .arg(std::env::current_exe().expect("test binary"))
        .args(["--exact", "child_opens_the_path_tracer", "--nocapture"])
        .env("PKTMON_PATH_CHILD", "refused")
        .output()
        .expect("setpriv (util-linux) runs");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    let line = stdout
        .lines()
        .find(|l| l.starts_with("REFUSED: "))
        .unwrap_or_else(|| panic!("no REFUSED line: {stdout}"));
    assert!(
        line.contains("packet-path tracing needs root or CAP_BPF+CAP_PERFMON; bpf("),
        "{line}"
    );
}

/// Namespaces made by a test, deleted on drop (also when the test fails).
struct Namespaces(Vec<String>);

impl Drop for Namespaces {
    fn drop(&mut self) {
        for ns in &self.0 {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
    }
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("run ip");
    assert!(out.status.success(), "ip {args:?}: {}", text(&out.stderr));
}

/// T2 of the spec: a → bridge in h → b. One echo request is one buffer seen four times,
/// in path order: leaving a, entering the bridge port vA, leaving port vB, entering b.
#[test]
fn echo_request_through_a_bridge_is_one_buffer_at_four_devices() {
    if require_root("echo_request_through_a_bridge_is_one_buffer_at_four_devices").is_err() {
        return;
    }
    let tag = std::process::id() % 100_000;
    let [a, b, h] = ["a", "b", "h"].map(|s| format!("pkb{tag}{s}"));
    let mut made = Namespaces(Vec::new());
    for ns in [&a, &b, &h] {
        ip(&["netns", "add", ns]);
        made.0.push(ns.clone());
    }
    let (va, vb, br) = (format!("pkb{tag}vA"), format!("pkb{tag}vB"), "br0");
    let octet = (tag % 250) as u8;
    let (addr_a, addr_b) = (
        Ipv4Addr::new(10, 78, octet, 1),
        Ipv4Addr::new(10, 78, octet, 2),
    );
    ip(&[
        "link", "add", "eth0", "netns", &a, "type", "veth", "peer", "name", &va, "netns", &h,
    ]);
    ip(&[
        "link", "add", "eth0", "netns", &b, "type", "veth", "peer", "name", &vb, "netns", &h,
    ]);
    ip(&["-n", &h, "link", "add", br, "type", "bridge"]);
    for port in [&va, &vb] {
        ip(&["-n", &h, "link", "set", port, "master", br]);
        ip(&["-n", &h, "link", "set", port, "up"]);
    }
    ip(&["-n", &h, "link", "set", br, "up"]);
    for (ns, addr) in [(&a, addr_a), (&b, addr_b)] {
        ip(&[
            "-n",
            ns,
            "addr",
            "add",
            &format!("{addr}/24"),
            "dev",
            "eth0",
        ]);
        ip(&["-n", ns, "link", "set", "eth0", "up"]);
    }
    let inodes = [&a, &b, &h].map(|ns| ns_inode(ns));
    let mut t = open(inodes.to_vec());

    // Resolving b's address floods ARP through the bridge first; resend until a reply
    // is back (bounded), then the request of interest crosses a learnt bridge.
    let id = (tag & 0xffff) as u16 ^ 0x3c3c;
    let sock = icmp::raw_socket(&a);
    let deadline = Instant::now() + WAIT;
    let mut seq = 0u16;
    loop {
        seq += 1;
        icmp::send(&sock, addr_b, &icmp::echo_request(id, seq, b"bridge"));
        if icmp::wait_readable(&sock, 200) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no echo reply through the bridge"
        );
    }
    // A last request on a warm path.
    seq += 1;
    icmp::send(&sock, addr_b, &icmp::echo_request(id, seq, b"bridge"));
    let request = |s: &Seen| s.icmp(addr_a, addr_b) == Some((8, id, seq));
    let seen = collect_until(&mut t, "the request at four devices", |seen| {
        seen.iter().filter(|s| request(s)).count() >= 4
    });
    let hops: Vec<&Seen> = seen.iter().filter(|s| request(s)).collect();
    let path: Vec<(Direction, u64, &str)> = hops
        .iter()
        .map(|s| (s.direction, s.netns, s.ifname.as_str()))
        .collect();
    assert_eq!(
        path,
        vec![
            (Direction::Tx, inodes[0], "eth0"),
            (Direction::Rx, inodes[2], va.as_str()),
            (Direction::Tx, inodes[2], vb.as_str()),
            (Direction::Rx, inodes[1], "eth0"),
        ],
        "{hops:#?}"
    );
    assert!(
        hops.iter().all(|s| s.skb_head == hops[0].skb_head),
        "{hops:#?}"
    );
    assert!(hops.windows(2).all(|w| w[0].ts <= w[1].ts), "{hops:#?}");
    drop(made);
}
