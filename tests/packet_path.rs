//! The packet's path across components (needs root): one PktGroupId per packet at every
//! component it crosses in every namespace, Appearance in hop order, drops that end their
//! packet's group at the component where it was last seen, no drop records for packets
//! that were delivered, components that appear after start, and the libpcap fallback that
//! links by content. Each test builds its own namespaces (removed even on failure) and
//! sends traffic only between them.
#![cfg(target_os = "linux")]

mod common;

use common::topo::{Sighting, Topo, groups, sightings};
use common::{require_root, text};
use std::time::{Duration, Instant};

fn start(t: &Topo, log: &std::path::Path, args: &[&str]) -> String {
    let log = log.to_str().expect("UTF-8 path");
    let all = [&["start", "-c"][..], args, &["-f", log]].concat();
    let out = t.pktmon(&all);
    assert_eq!(out.status.code(), Some(0), "{all:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn stop(t: &Topo) -> String {
    let out = t.pktmon(&["stop"]);
    assert_eq!(out.status.code(), Some(0), "stop: {}", text(&out.stderr));
    text(&out.stdout)
}

/// The (interface, direction) path of a group.
fn path_of(g: &[Sighting]) -> Vec<(String, String)> {
    g.iter()
        .map(|s| (s.interface.clone(), s.direction.clone()))
        .collect()
}

fn at(ifname: &str, ns: &str, dir: &str) -> (String, String) {
    (format!("{ifname}@{ns}"), dir.to_string())
}

/// `count` groups, each with appearances 1..n in time order along `expected`.
fn assert_groups_follow(
    g: &[Vec<Sighting>],
    count: usize,
    expected: &[(String, String)],
    records: &[Sighting],
) {
    assert_eq!(g.len(), count, "{records:#?}");
    for g in g {
        assert_ordered(g);
        assert_eq!(path_of(g), expected, "{g:#?}");
    }
}

/// Every group's appearances are 1..n in time order.
fn assert_ordered(g: &[Sighting]) {
    for (i, s) in g.iter().enumerate() {
        assert_eq!(s.appearance as usize, i + 1, "appearances of {g:#?}");
        if i > 0 {
            assert!(s.time_ns >= g[i - 1].time_ns, "time order of {g:#?}");
        }
    }
}

/// Two namespaces a and b joined by veth ia—ib, 10.N.1.1 and .2.
fn veth_pair(t: &mut Topo, ipv6: bool) -> (String, String, String, String) {
    let (a, b) = (t.add_ns("a", ipv6), t.add_ns("b", ipv6));
    let (ia, ib) = (t.ifname("a"), t.ifname("b"));
    t.veth(&ia, &a, &ib, &b);
    t.exec(&a, &format!("ip addr add 10.{}.1.1/24 dev {ia}", t.net));
    t.exec(&b, &format!("ip addr add 10.{}.1.2/24 dev {ib}", t.net));
    (a, b, ia, ib)
}

#[test]
fn veth_between_namespaces_two_sightings_per_packet_one_group() {
    if require_root("veth_between_namespaces_two_sightings_per_packet_one_group").is_err() {
        return;
    }
    let mut t = Topo::new();
    let (a, b, ia, ib) = veth_pair(&mut t, false);
    let log = t.path("veth.pcapng");
    let summary = start(&t, &log, &["--comp", &format!("{a},{b}")]);
    assert!(summary.contains("Packet Path:"), "{summary}");
    // A root ping: its replies reach the raw socket as clones while the original is freed
    // with NO_SOCKET in ping_rcv — delivered, so no drop record.
    t.exec(&a, &format!("ping -c 3 -i 0.2 -W 2 10.{}.1.2", t.net));
    stop(&t);
    let requests = sightings(&log, "icmp.type == 8", &["icmp.seq"]);
    let g = groups(&requests);
    assert_eq!(g.len(), 3, "three echo requests: {requests:#?}");
    for g in &g {
        assert_ordered(g);
        assert_eq!(
            path_of(g),
            vec![at(&ia, &a, "Tx"), at(&ib, &b, "Rx")],
            "{g:#?}"
        );
    }
    let replies = groups(&sightings(&log, "icmp.type == 0", &[]));
    assert_eq!(replies.len(), 3);
    for g in &replies {
        assert_eq!(
            path_of(g),
            vec![at(&ib, &b, "Tx"), at(&ia, &a, "Rx")],
            "{g:#?}"
        );
    }
    let drops = sightings(&log, "frame.comment contains \"DropReason\"", &[]);
    assert!(
        drops.is_empty(),
        "delivered packets logged as drops: {drops:#?}"
    );
}

/// a —(ia/ha)— h (bridge over ha, hb) —(hb/ib)— b, addresses 10.N.sub.1 (a) and .2 (b);
/// returns (a, h, b, ia, ha, hb, ib).
fn bridged(t: &mut Topo, sub: u8) -> [String; 7] {
    let (a, h, b) = (
        t.add_ns("a", false),
        t.add_ns("h", false),
        t.add_ns("b", false),
    );
    let (ia, ha, hb, ib, br) = (
        t.ifname("a"),
        t.ifname("ha"),
        t.ifname("hb"),
        t.ifname("b"),
        t.ifname("br"),
    );
    t.veth(&ia, &a, &ha, &h);
    t.veth(&hb, &h, &ib, &b);
    t.exec(
        &h,
        &format!(
            "ip link add {br} type bridge && ip link set {ha} master {br} && \
             ip link set {hb} master {br} && ip link set {br} up"
        ),
    );
    t.exec(&a, &format!("ip addr add 10.{}.{sub}.1/24 dev {ia}", t.net));
    t.exec(&b, &format!("ip addr add 10.{}.{sub}.2/24 dev {ib}", t.net));
    [a, h, b, ia, ha, hb, ib]
}

#[test]
fn bridge_in_a_middle_namespace_four_sightings_in_hop_order() {
    if require_root("bridge_in_a_middle_namespace_four_sightings_in_hop_order").is_err() {
        return;
    }
    let mut t = Topo::new();
    let [a, h, b, ia, ha, hb, ib] = bridged(&mut t, 2);
    let log = t.path("bridge.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{h},{b}")]);
    t.exec(&a, &format!("ping -c 3 -i 0.2 -W 2 10.{}.2.2", t.net));
    let out = t.pktmon(&["counters", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let counters: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    stop(&t);
    let g = groups(&sightings(&log, "icmp.type == 8", &[]));
    assert_eq!(g.len(), 3);
    for g in &g {
        assert_ordered(g);
        assert_eq!(
            path_of(g),
            vec![
                at(&ia, &a, "Tx"),
                at(&ha, &h, "Rx"),
                at(&hb, &h, "Tx"),
                at(&ib, &b, "Rx")
            ],
            "{g:#?}"
        );
    }
    // The ARP request is flooded: its copies (to the other port and up the bridge) are
    // sightings of the one group.
    let arp = groups(&sightings(&log, "arp.opcode == 1", &[]));
    assert!(!arp.is_empty());
    let first = path_of(&arp[0]);
    assert!(first.contains(&at(&hb, &h, "Tx")), "{first:?}");
    assert!(first.contains(&at(&ib, &b, "Rx")), "{first:?}");
    // Latency per hop: the hop ha -> hb carried at least the 3 requests.
    let hops: Vec<&serde_json::Value> = counters
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c.get("Hops"))
        .flat_map(|h| h.as_array().expect("hops").iter())
        .collect();
    assert!(hops.len() >= 3, "hops: {counters}");
    assert!(
        hops.iter()
            .all(|h| h["P50Ns"].as_u64().is_some_and(|v| v > 0)),
        "{hops:?}"
    );
}

/// a —(ia/ha)— h (router) —(hb/ib)— b; returns (a, h, b, ia, ha, hb, ib).
fn routed(t: &mut Topo) -> [String; 7] {
    let (a, h, b) = (
        t.add_ns("a", false),
        t.add_ns("h", false),
        t.add_ns("b", false),
    );
    let (ia, ha, hb, ib) = (t.ifname("a"), t.ifname("ha"), t.ifname("hb"), t.ifname("b"));
    t.veth(&ia, &a, &ha, &h);
    t.veth(&hb, &h, &ib, &b);
    let n = t.net;
    t.exec(
        &a,
        &format!("ip addr add 10.{n}.3.1/24 dev {ia} && ip route add default via 10.{n}.3.254"),
    );
    t.exec(
        &h,
        &format!(
            "ip addr add 10.{n}.3.254/24 dev {ha} && ip addr add 10.{n}.4.254/24 dev {hb} && \
             sysctl -qw net.ipv4.ip_forward=1"
        ),
    );
    t.exec(
        &b,
        &format!("ip addr add 10.{n}.4.1/24 dev {ib} && ip route add default via 10.{n}.4.254"),
    );
    [a, h, b, ia, ha, hb, ib]
}

#[test]
fn routed_and_masqueraded_one_group_and_the_filter_follows_it() {
    if require_root("routed_and_masqueraded_one_group_and_the_filter_follows_it").is_err() {
        return;
    }
    let mut t = Topo::new();
    let [a, h, b, ia, ha, hb, ib] = routed(&mut t);
    let n = t.net;
    common::nft(
        &h,
        &format!(
            "table ip nat {{\n chain postrouting_nat {{\n  type nat hook postrouting priority 100;\n  \
             oifname \"{hb}\" masquerade\n }}\n}}\n"
        ),
    );
    // Only packets from a's address: after masquerade the packet no longer has it, and is
    // still followed.
    let out = t.pktmon(&["filter", "add", "-i", &format!("10.{n}.3.1")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let log = t.path("nat.pcapng");
    let summary = start(&t, &log, &["--comp", &format!("{a},{h},{b}")]);
    assert!(
        summary.contains("filters first applied in the kernel"),
        "{summary}"
    );
    // Traffic no filter admits (h to b and back: 4 sightings per ping) is rejected in the
    // kernel: user space hardly sees it (a buffer reused from a followed packet may pass).
    t.exec(&h, &format!("ping -c 50 -i 0.01 -W 2 10.{n}.4.1"));
    t.exec(&a, &format!("ping -c 3 -i 0.2 -W 2 10.{n}.4.1"));
    let status = text(&t.pktmon(&["status"]).stdout);
    stop(&t);
    let filtered_out = status
        .lines()
        .find_map(|l| l.trim().strip_prefix("Packets filtered out"))
        .and_then(|v| {
            v.trim()
                .trim_start_matches(':')
                .trim()
                .replace(',', "")
                .parse::<u64>()
                .ok()
        })
        .unwrap_or_else(|| panic!("no filtered-out count in {status}"));
    assert!(
        filtered_out < 50,
        "{filtered_out} of the ~200 sightings no filter admits reached user space"
    );
    let records = sightings(&log, "icmp.type == 8", &["ip.src"]);
    let g = groups(&records);
    let expected = vec![
        at(&ia, &a, "Tx"),
        at(&ha, &h, "Rx"),
        at(&hb, &h, "Tx"),
        at(&ib, &b, "Rx"),
    ];
    assert_groups_follow(&g, 3, &expected, &records);
    for g in &g {
        assert_eq!(g[0].extra[0], format!("10.{n}.3.1"));
        assert_eq!(g[3].extra[0], format!("10.{n}.4.254"), "masqueraded at b");
    }
}

#[test]
fn an_nft_drop_in_the_middle_ends_the_group_at_the_ingress_component() {
    if require_root("an_nft_drop_in_the_middle_ends_the_group_at_the_ingress_component").is_err() {
        return;
    }
    let mut t = Topo::new();
    let [a, h, b, ia, ha, _hb, _ib] = routed(&mut t);
    let n = t.net;
    common::nft(
        &h,
        &format!(
            "table ip f {{\n chain forward_filter {{\n  type filter hook forward priority 0;\n  \
             ip daddr 10.{n}.4.1 udp dport 40404 drop\n }}\n}}\n"
        ),
    );
    let log = t.path("drop.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{h},{b}")]);
    t.exec(
        &a,
        &format!("bash -c 'for i in 1 2 3; do printf x > /dev/udp/10.{n}.4.1/40404; done'"),
    );
    stop(&t);
    let g = groups(&sightings(&log, "udp.dstport == 40404", &[]));
    assert_three_dropped_at_ingress(&g, [&ia, &a, &ha, &h], "NETFILTER_DROP");
}

/// Three groups, each a's Tx, h's Rx, then a drop for `reason` attributed to h's ingress
/// component. `names`: a's interface, a, h's ingress interface, h.
fn assert_three_dropped_at_ingress(g: &[Vec<Sighting>], names: [&str; 4], reason: &str) {
    let [ia, a, ha, h] = names;
    assert_eq!(g.len(), 3, "{g:#?}");
    for g in g {
        assert_ordered(g);
        assert_eq!(g.len(), 3, "{g:#?}");
        assert_eq!(path_of(&g[..2]), vec![at(ia, a, "Tx"), at(ha, h, "Rx")]);
        let d = &g[2];
        assert!(d.is_drop, "{g:#?}");
        assert!(d.comment.contains(&format!("DropReason {reason}")), "{d:?}");
        assert!(
            d.interface.starts_with(&format!("{ha}@{h}")),
            "attributed to the ingress component: {d:?}"
        );
    }
}

#[test]
fn a_reverse_path_filter_drop_names_its_reason_at_the_ingress_component() {
    if require_root("a_reverse_path_filter_drop_names_its_reason_at_the_ingress_component").is_err()
    {
        return;
    }
    let mut t = Topo::new();
    let [a, h, _b, ia, ha, _hb, _ib] = routed(&mut t);
    let n = t.net;
    // a sends from an address h has no route back to: strict reverse-path filtering on
    // h's ingress drops it there.
    t.exec(&a, &format!("ip addr add 10.{n}.9.1/32 dev {ia}"));
    // h would not answer ARP asking for the gateway from that address either: resolve it
    // from a's own address first.
    t.exec(&a, &format!("ping -c 1 -W 2 10.{n}.3.254"));
    t.exec(
        &h,
        &format!("sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.{ha}.rp_filter=1"),
    );
    let log = t.path("rpf.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{h}")]);
    t.exec(
        &a,
        &format!("ping -c 3 -i 0.2 -W 1 -I 10.{n}.9.1 10.{n}.4.1 || true"),
    );
    stop(&t);
    let g = groups(&sightings(&log, &format!("ip.src == 10.{n}.9.1"), &[]));
    assert_three_dropped_at_ingress(&g, [&ia, &a, &ha, &h], "IP_RPFILTER");
}

#[test]
fn multicast_listener_reports_on_a_quiet_namespace_are_not_drops() {
    if require_root("multicast_listener_reports_on_a_quiet_namespace_are_not_drops").is_err() {
        return;
    }
    let mut t = Topo::new();
    let (a, b, ia, _ib) = veth_pair(&mut t, true);
    // Interfaces coming up send MLD reports, neighbour solicitations and router
    // solicitations, in an order of their own: the first packets seen may all be
    // solicitations. So: flap, wait (bounded) until the session saw some packets, stop,
    // and flap again (three times at most) until MLD reports are in the log.
    let mut mld = Vec::new();
    let mut drops = Vec::new();
    for attempt in 0..3 {
        let log = t.path(&format!("mld{attempt}.pcapng"));
        start(&t, &log, &["--comp", &format!("{a},{b}")]);
        t.exec(&a, &format!("ip link set {ia} down && ip link set {ia} up"));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let out = t.pktmon(&["status", "--json"]);
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            if v["Session"]["PacketsSeen"].as_u64().unwrap_or(0) >= 4 {
                break;
            }
            assert!(Instant::now() < deadline, "no IPv6 chatter seen: {v}");
            std::thread::sleep(Duration::from_millis(100));
        }
        stop(&t);
        mld = sightings(&log, "icmpv6.type == 143", &[]);
        drops.extend(sightings(
            &log,
            "frame.comment contains \"DropReason\"",
            &[],
        ));
        if !mld.is_empty() {
            break;
        }
    }
    assert!(
        !mld.is_empty(),
        "MLDv2 reports were seen (three link flaps)"
    );
    assert!(
        drops.is_empty(),
        "multicast nobody joined is not a drop: {drops:#?}"
    );
}

#[test]
fn components_that_appear_after_start_are_captured_with_their_names() {
    if require_root("components_that_appear_after_start_are_captured_with_their_names").is_err() {
        return;
    }
    let mut t = Topo::new();
    let a = t.add_ns("a", false);
    let n = t.net;
    let log = t.path("late.pcapng");
    let out = t.pktmon(&["filter", "add", "-i", &format!("10.{n}.5.1")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    start(&t, &log, &[]);
    // A namespace no `ip netns` knows: a process's own (a container's, say).
    let mut holder = std::process::Command::new("unshare")
        .args(["--net", "sleep", "60"])
        .spawn()
        .expect("unshare");
    let pid = holder.id();
    let ns_file = format!("/proc/{pid}/ns/net");
    let deadline = Instant::now() + Duration::from_secs(5);
    while std::fs::read_link(&ns_file).ok() == std::fs::read_link("/proc/self/ns/net").ok() {
        assert!(
            Instant::now() < deadline,
            "unshare did not make a namespace"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let (ia, ic, ic2) = (t.ifname("a"), t.ifname("c"), t.ifname("r"));
    let in_c = |cmd: &str| common::topo::sh_ok(&format!("nsenter -t {pid} -n sh -c '{cmd}'"));
    let ping = |t: &Topo| t.exec(&a, &format!("ping -c 2 -i 0.2 -W 2 10.{n}.5.2"));
    common::topo::sh_ok(&format!(
        "ip link add {ia} netns {a} type veth peer name {ic} netns {pid}"
    ));
    t.exec(
        &a,
        &format!("ip link set {ia} up && ip addr add 10.{n}.5.1/24 dev {ia}"),
    );
    in_c(&format!(
        "ip link set lo up && ip link set {ic} up && ip addr add 10.{n}.5.2/24 dev {ic}"
    ));
    ping(&t);
    // Renamed.
    in_c(&format!(
        "ip link set {ic} down && ip link set {ic} name {ic2} && ip link set {ic2} up"
    ));
    ping(&t);
    // Moved to another namespace.
    let b = t.add_ns("b", false);
    in_c(&format!("ip link set {ic2} netns {b}"));
    t.exec(
        &b,
        &format!("ip link set {ic2} up && ip addr add 10.{n}.5.2/24 dev {ic2}"),
    );
    ping(&t);
    let _ = holder.kill();
    let _ = holder.wait();
    stop(&t);
    let g = groups(&sightings(&log, "icmp.type == 8", &[]));
    assert_eq!(g.len(), 6, "{g:#?}");
    let container = format!("pid {pid} (sleep)");
    let expected = [
        at(&ic, &container, "Rx"),
        at(&ic2, &container, "Rx"),
        at(&ic2, &b, "Rx"),
    ];
    for (i, g) in g.iter().enumerate() {
        assert_ordered(g);
        assert_eq!(
            path_of(g),
            vec![at(&ia, &a, "Tx"), expected[i / 2].clone()],
            "echo request {i}: {g:#?}"
        );
    }
}

#[test]
fn without_kernel_tracing_sightings_are_linked_by_content_and_marked_inferred() {
    if require_root("without_kernel_tracing_sightings_are_linked_by_content_and_marked_inferred")
        .is_err()
    {
        return;
    }
    let mut t = Topo::new();
    let [a, h, _b, _ia, ha, hb, _ib] = bridged(&mut t, 6);
    let log = t.path("fallback.pcapng");
    let env = [("PKTMON_PATH_SOURCE", "pcap")];
    let logs = log.to_str().expect("UTF-8");
    // libpcap's `all` is the namespace pktmon runs in: run the session inside the bridge's.
    let out = t.pktmon_in(&h, &["start", "-c", "-f", logs], &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(
        summary.contains("Packet Path:") && summary.contains("PKTMON_PATH_SOURCE=pcap"),
        "{summary}"
    );
    t.exec(&a, &format!("ping -c 3 -i 0.2 -W 2 10.{}.6.2", t.net));
    let out = t.pktmon_in(&h, &["stop"], &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let g = groups(&sightings(&log, "icmp.type == 8", &[]));
    assert_eq!(g.len(), 3, "{g:#?}");
    for g in &g {
        assert_ordered(g);
        // libpcap tells direction by the source MAC: a frame the bridge forwards out of
        // hb carries a's MAC, so only the interfaces are certain here.
        let interfaces: Vec<&str> = g.iter().map(|s| s.interface.as_str()).collect();
        assert_eq!(interfaces, vec![ha.as_str(), hb.as_str()], "{g:#?}");
        assert!(g[1].comment.contains("PktGroupInferred 1"), "{g:#?}");
    }
}

#[test]
fn without_kernel_tracing_other_namespaces_are_captured_by_libpcap_and_linked_by_content() {
    let name =
        "without_kernel_tracing_other_namespaces_are_captured_by_libpcap_and_linked_by_content";
    if require_root(name).is_err() {
        return;
    }
    let mut t = Topo::new();
    let (a, b, ia, ib) = veth_pair(&mut t, false);
    let log = t.path("fallback-netns.pcapng");
    let env = [("PKTMON_PATH_SOURCE", "pcap")];
    let logs = log.to_str().expect("UTF-8");
    // pktmon runs in the host's namespace; both ends are elsewhere.
    let comp = format!("{a},{b}");
    let out = t.pktmon_env(&["start", "-c", "--comp", &comp, "-f", logs], &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    assert!(summary.contains("PKTMON_PATH_SOURCE=pcap"), "{summary}");
    t.exec(&a, &format!("ping -c 3 -i 0.2 -W 2 10.{}.1.2", t.net));
    let out = t.pktmon_env(&["stop"], &env);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let g = groups(&sightings(&log, "icmp.type == 8", &[]));
    assert_eq!(g.len(), 3, "{g:#?}");
    for g in &g {
        assert_ordered(g);
        assert_eq!(
            path_of(g),
            vec![at(&ia, &a, "Tx"), at(&ib, &b, "Rx")],
            "{g:#?}"
        );
        assert!(g[1].comment.contains("PktGroupInferred 1"), "{g:#?}");
    }
}

/// Writes a helper script into the topology's directory; returns its path.
fn script(t: &Topo, name: &str, body: &str) -> String {
    let p = t.path(name);
    std::fs::write(&p, body).expect("write script");
    p.to_str().expect("UTF-8 path").to_string()
}

/// A TCP sink in namespace `ns` on `port`: prints "ready" once listening, then the number
/// of bytes received on one connection once the peer closed it. Ends itself after 60 s.
fn tcp_sink(t: &Topo, ns: &str, port: u16) -> std::process::Child {
    let sink = script(
        t,
        "sink.py",
        "import socket, sys\n\
         s = socket.socket()\n\
         s.bind(('0.0.0.0', int(sys.argv[1])))\n\
         s.listen(1)\n\
         print('ready', flush=True)\n\
         c, _ = s.accept()\n\
         n = 0\n\
         while True:\n    d = c.recv(65536)\n    if not d:\n        break\n    n += len(d)\n\
         print(n, flush=True)\n\
         c.close()\n",
    );
    let mut child = std::process::Command::new("ip")
        .args(["netns", "exec", ns, "timeout", "60", "python3", &sink])
        .arg(port.to_string())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    // Bounded: the sink ends itself after 60 s, closing its stdout.
    let mut line = String::new();
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    std::io::BufRead::read_line(&mut out, &mut line).expect("read sink");
    assert_eq!(line.trim(), "ready", "the sink did not start");
    child.stdout = Some(out.into_inner());
    child
}

#[test]
fn three_thousand_tcp_segments_through_nat_keep_one_group_each() {
    if require_root("three_thousand_tcp_segments_through_nat_keep_one_group_each").is_err() {
        return;
    }
    const SEGMENTS: usize = 3000;
    const SIZE: usize = 1400;
    const PORT: u16 = 5555;
    let mut t = Topo::new();
    let [a, h, b, ia, ha, hb, ib] = routed(&mut t);
    let n = t.net;
    common::nft(
        &h,
        &format!(
            "table ip nat {{\n chain postrouting_nat {{\n  type nat hook postrouting priority 100;\n  \
             oifname \"{hb}\" masquerade\n }}\n}}\n"
        ),
    );
    // Really 1400-byte segments: an MSS of 1400 without TCP timestamps is 1400 bytes of
    // payload, and gso_max_segs 1 on the sender's veth keeps TCP from building TSO
    // super-packets (one skb of many segments would be one sighting). veth without XDP
    // does no GRO, so the segments cross h and reach b as they were sent; the assertions
    // below check that every data sighting is one 1400-byte segment.
    t.exec(
        &a,
        &format!("sysctl -qw net.ipv4.tcp_timestamps=0 && ip link set dev {ia} gso_max_segs 1"),
    );
    let out = t.pktmon(&["filter", "add", "-p", &PORT.to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let sink = tcp_sink(&t, &b, PORT);
    let log = t.path("segments.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{h},{b}")]);
    // The sender writes 1400-byte chunks with TCP_NODELAY and returns once the sink has
    // read everything and closed (bounded by timeout).
    let send = script(
        &t,
        "send.py",
        "import socket, sys\n\
         s = socket.socket()\n\
         s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n\
         s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, int(sys.argv[4]))\n\
         s.connect((sys.argv[1], int(sys.argv[2])))\n\
         chunk = b'x' * int(sys.argv[4])\n\
         for _ in range(int(sys.argv[3])):\n    s.sendall(chunk)\n\
         s.shutdown(socket.SHUT_WR)\n\
         assert s.recv(1) == b''\n",
    );
    t.exec(
        &a,
        &format!("timeout 60 python3 {send} 10.{n}.4.1 {PORT} {SEGMENTS} {SIZE}"),
    );
    let received = sink.wait_with_output().expect("sink");
    assert_eq!(
        text(&received.stdout).trim(),
        (SEGMENTS * SIZE).to_string(),
        "the sink received everything"
    );
    let stopped = stop(&t);
    let records = sightings(
        &log,
        &format!("tcp.port == {PORT}"),
        &["tcp.dstport", "tcp.seq_raw", "tcp.len"],
    );
    let all = groups(&records);
    let data: Vec<&Vec<Sighting>> = all
        .iter()
        .filter(|g| {
            g.iter()
                .any(|s| s.extra[0] == PORT.to_string() && s.extra[2] != "0")
        })
        .collect();
    let expected = vec![
        at(&ia, &a, "Tx"),
        at(&ha, &h, "Rx"),
        at(&hb, &h, "Tx"),
        at(&ib, &b, "Rx"),
    ];
    let mut wrong = Vec::new();
    for g in &data {
        // No group mixes two packets: one sequence number, one length, and each sighting
        // one segment as sent.
        assert!(
            g.iter()
                .all(|s| s.extra[1] == g[0].extra[1] && s.extra[2] == SIZE.to_string()),
            "a group mixes packets: {g:#?}"
        );
        // A drop at the end is part of the story (a segment that arrived after its
        // spurious retransmission is dropped as TCP_OLD_SEQUENCE at b): the path is the
        // sightings'.
        let seen: Vec<Sighting> = g.iter().filter(|s| !s.is_drop).cloned().collect();
        if path_of(&seen) != expected {
            wrong.push(g);
        }
    }
    // Retransmissions are packets of their own (more groups than segments); a segment of
    // which no sighting was logged (events lost) counts as one without the expected path.
    let seqs: std::collections::HashSet<&str> =
        data.iter().map(|g| g[0].extra[1].as_str()).collect();
    let missing = SEGMENTS.saturating_sub(seqs.len());
    assert!(
        (wrong.len() + missing) * 1000 <= SEGMENTS,
        "{} of {} data groups do not have the 4-hop path and {missing} of {SEGMENTS} \
         segments have no group (stop: {stopped}); their paths: {:#?}",
        wrong.len(),
        data.len(),
        wrong
            .iter()
            .map(|g| g
                .iter()
                .map(|s| format!("{} {} {}", s.interface, s.direction, s.extra[1]))
                .collect::<Vec<_>>())
            .collect::<Vec<_>>()
    );
}

/// The counters' hops by (from, to) component name: (packets, p50, p99, max) in ns.
fn hops_by_name(
    counters: &serde_json::Value,
) -> std::collections::HashMap<(String, String), [u64; 4]> {
    let comps = counters.as_array().expect("array");
    let name_of = |id: u64| {
        comps
            .iter()
            .find(|c| c["Components"][0]["Id"].as_u64() == Some(id))
            .and_then(|c| c["Group"].as_str())
            .unwrap_or("?")
            .to_string()
    };
    let mut hops = std::collections::HashMap::new();
    for c in comps {
        let from = c["Group"].as_str().unwrap_or("?").to_string();
        for h in c
            .get("Hops")
            .and_then(|h| h.as_array())
            .into_iter()
            .flatten()
        {
            let to = name_of(h["To"].as_u64().unwrap_or(0));
            let v = ["Packets", "P50Ns", "P99Ns", "MaxNs"].map(|k| h[k].as_u64().unwrap_or(0));
            hops.insert((from.clone(), to), v);
        }
    }
    hops
}

#[test]
fn a_tbf_queue_on_one_hop_shows_up_in_that_hops_latency_only() {
    if require_root("a_tbf_queue_on_one_hop_shows_up_in_that_hops_latency_only").is_err() {
        return;
    }
    let mut t = Topo::new();
    let [a, h, b, ia, ha, hb, ib] = routed(&mut t);
    let n = t.net;
    // 1 Mbit/s out of h towards b: 1000-byte datagrams sent every ms (8 Mbit/s) queue up
    // to the 100 ms limit, the rest is dropped by the qdisc.
    t.exec(
        &h,
        &format!("tc qdisc add dev {hb} root tbf rate 1mbit burst 1600 latency 100ms"),
    );
    let out = t.pktmon(&["filter", "add", "-t", "UDP", "-p", "40600"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let log = t.path("tbf.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{h},{b}")]);
    let flood = script(
        &t,
        "flood.py",
        "import socket, sys, time\n\
         s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n\
         for _ in range(300):\n    s.sendto(b'y' * 1000, (sys.argv[1], 40600))\n    time.sleep(0.001)\n",
    );
    t.exec(&a, &format!("timeout 30 python3 {flood} 10.{n}.4.1"));
    let (ia, ha, hbh, ib) = (
        format!("{ia}@{a}"),
        format!("{ha}@{h}"),
        format!("{hb}@{h}"),
        format!("{ib}@{b}"),
    );
    let key = |x: &str, y: &str| (x.to_string(), y.to_string());
    // Live counters, once the queue has drained and what left it was seen at b (bounded).
    let deadline = Instant::now() + Duration::from_secs(20);
    let hops = loop {
        let qdisc = text(&t.exec(&h, &format!("tc -s qdisc show dev {hb}")).stdout);
        let out = t.pktmon(&["counters", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let counters: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let hops = hops_by_name(&counters);
        let queued = hops.get(&key(&ha, &hbh)).map_or(0, |v| v[0]);
        let out_of_h = hops.get(&key(&hbh, &ib)).map_or(0, |v| v[0]);
        if qdisc.contains("backlog 0b 0p") && queued > 0 && out_of_h >= queued {
            break hops;
        }
        assert!(
            Instant::now() < deadline,
            "the queue did not drain or its packets were not seen at b: {qdisc}\n{counters}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    stop(&t);
    let queue = hops[&key(&ha, &hbh)];
    let others = [hops[&key(&ia, &ha)], hops[&key(&hbh, &ib)]];
    // The queue holds up to 100 ms: most packets that passed it waited tens of ms, while
    // veth hops take microseconds (a loaded 2-core machine may push a few to a ms).
    assert!(queue[1] > 10_000_000, "queue hop p50 {queue:?}, {hops:?}");
    for o in &others {
        assert!(o[0] >= queue[0], "{hops:?}");
        assert!(o[1] < 1_000_000, "veth hop p50 {o:?}, {hops:?}");
        assert!(
            queue[2] > 10 * o[2],
            "queue hop p99 {queue:?} vs a veth hop's {o:?}"
        );
    }
}

/// The rows of `etl2txt --stats-only`'s "Latency per hop" section, as columns.
fn hop_rows(stats: &str) -> Vec<Vec<String>> {
    stats
        .lines()
        .skip_while(|l| *l != "Latency per hop")
        .skip(2)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect()
        })
        .collect()
}

/// A component's name as the hop table shows it (17 characters at most, then `...`).
fn shown(name: &str) -> String {
    if name.chars().count() <= 17 {
        format!("{name} (")
    } else {
        format!("{}...", name.chars().take(14).collect::<String>())
    }
}

#[test]
fn stats_of_a_log_show_the_latency_of_each_hop() {
    if require_root("stats_of_a_log_show_the_latency_of_each_hop").is_err() {
        return;
    }
    let mut t = Topo::new();
    let (a, b, ia, ib) = veth_pair(&mut t, false);
    let log = t.path("hops.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{b}")]);
    t.exec(&a, &format!("ping -c 3 -i 0.2 -W 2 10.{}.1.2", t.net));
    stop(&t);
    // What went a -> b by the log's own groups (the echo requests, and ARP).
    let (from, to) = (format!("{ia}@{a}"), format!("{ib}@{b}"));
    let flows: Vec<Sighting> = sightings(&log, "", &[])
        .into_iter()
        .filter(|s| !s.is_drop)
        .collect();
    let crossed = groups(&flows)
        .iter()
        .flat_map(|g| g.windows(2))
        .filter(|w| w[0].interface == from && w[1].interface == to)
        .count();
    assert!(crossed >= 3, "the three echo requests at least: {flows:#?}");
    let out = t.pktmon(&["etl2txt", log.to_str().expect("UTF-8"), "--stats-only"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stats = text(&out.stdout);
    let rows = hop_rows(&stats);
    assert_eq!(
        hop_row(&rows, &from, &to, &stats)[2],
        crossed.to_string(),
        "{stats}"
    );
    // And the way back: the replies.
    hop_row(&rows, &to, &from, &stats);
}

#[test]
fn vxlan_keeps_the_inner_packets_group_through_encapsulation() {
    if require_root("vxlan_keeps_the_inner_packets_group_through_encapsulation").is_err() {
        return;
    }
    let mut t = Topo::new();
    let (a, b) = (t.add_ns("a", false), t.add_ns("b", false));
    let (ua, ub, va, vb) = (t.ifname("a"), t.ifname("b"), t.ifname("va"), t.ifname("vb"));
    t.veth(&ua, &a, &ub, &b);
    let n = t.net;
    // Underlay 10.N.7.0/24 on the veth, overlay 10.N.8.0/24 on the VXLAN devices.
    for (ns, under, vx, me, peer) in [(&a, &ua, &va, 1, 2), (&b, &ub, &vb, 2, 1)] {
        t.exec(
            ns,
            &format!(
                "ip addr add 10.{n}.7.{me}/24 dev {under} && \
                 ip link add {vx} type vxlan id 42 remote 10.{n}.7.{peer} dstport 4789 \
                 dev {under} && ip link set {vx} up && ip addr add 10.{n}.8.{me}/24 dev {vx}"
            ),
        );
    }
    let log = t.path("vxlan.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{b}")]);
    t.exec(&a, &format!("ping -c 3 -i 0.2 -W 2 10.{n}.8.2"));
    stop(&t);
    // tshark decodes the underlay's VXLAN: the filter matches the inner echo request at
    // all four places.
    let records = sightings(&log, "icmp.type == 8", &["vxlan.vni"]);
    let g = groups(&records);
    let expected = vec![
        at(&va, &a, "Tx"),
        at(&ua, &a, "Tx"),
        at(&ub, &b, "Rx"),
        at(&vb, &b, "Rx"),
    ];
    assert_groups_follow(&g, 3, &expected, &records);
    for g in &g {
        // The underlay sightings are the encapsulated packet; identity, not content,
        // linked them.
        assert_eq!(g[1].extra[0], "42", "{g:#?}");
        assert!(g.iter().all(|s| !s.comment.contains("PktGroupInferred 1")));
    }
    // TCP: segmentation offload sends super-packets, which decapsulation moves to a new
    // buffer; the group follows them by content there (inferred) and on by identity.
    t.exec(&b, "iperf3 -s -1 -D -p 5201");
    let deadline = Instant::now() + Duration::from_secs(5);
    while text(&t.exec(&b, "ss -Hltn 'sport = :5201'").stdout).is_empty() {
        assert!(Instant::now() < deadline, "iperf3 did not listen");
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = t.path("vxlan-tcp.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{b}")]);
    t.exec(&a, &format!("iperf3 -c 10.{n}.8.2 -p 5201 -n 4M -l 1400"));
    stop(&t);
    // Drops stay in: a segment the kernel dropped on the way (its queue full under load)
    // ends its group there, which is a true path, not a broken one.
    let records = sightings(&log, "tcp.dstport == 5201 && tcp.len > 0", &[]);
    let g = groups(&records);
    assert!(g.len() >= 50, "{} data segments", g.len());
    let expected = vec![
        at(&va, &a, "Tx"),
        at(&ua, &a, "Tx"),
        at(&ub, &b, "Rx"),
        at(&vb, &b, "Rx"),
    ];
    let on_path = |g: &Vec<Sighting>| {
        let seen: Vec<Sighting> = g.iter().filter(|s| !s.is_drop).cloned().collect();
        let path = path_of(&seen);
        let dropped = g.last().is_some_and(|s| s.is_drop);
        path == expected || (dropped && expected.starts_with(&path))
    };
    let broken: Vec<&Vec<Sighting>> = g.iter().filter(|g| !on_path(g)).collect();
    // The issue's bar for a TCP flood (as for NAT): at least 99.9% of groups on the path.
    // Measured: one segment in about 50 runs splits at the encapsulation (its tunnel
    // device's Tx alone, the rest in a group of its own, no drop); not understood yet.
    assert!(
        broken.len() * 1000 <= g.len(),
        "{} of {} segments off the path, the first ones: {:#?}",
        broken.len(),
        g.len(),
        &broken[..broken.len().min(4)]
    );
    // Content links only the decapsulated sighting.
    for g in g.iter().filter(|g| g.len() >= 3) {
        assert!(
            g[..3]
                .iter()
                .all(|s| !s.comment.contains("PktGroupInferred 1")),
            "{g:#?}"
        );
    }
}

/// The row of hop `from` -> `to` in `--stats-only`'s section (exactly one).
fn hop_row<'a>(rows: &'a [Vec<String>], from: &str, to: &str, stats: &str) -> &'a [String] {
    let found: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[0].starts_with(&shown(from)) && r[1].starts_with(&shown(to)))
        .collect();
    assert_eq!(found.len(), 1, "one hop {from} -> {to}: {stats}");
    assert_eq!(found[0].len(), 6, "{stats}");
    found[0]
}

#[test]
fn a_queue_on_one_hop_shows_on_that_hop_only() {
    if require_root("a_queue_on_one_hop_shows_on_that_hop_only").is_err() {
        return;
    }
    let mut t = Topo::new();
    let [a, h, b, ia, ha, hb, ib] = routed(&mut t);
    let n = t.net;
    // A token bucket on the router's way out to b: 1 kB packets every 10 ms at 25 kB/s
    // queue for tens of milliseconds each. Transmit sightings are taken after the qdisc,
    // so the wait falls between ha (Rx) and hb (Tx).
    t.exec(
        &h,
        &format!("tc qdisc add dev {hb} root tbf rate 200kbit burst 1600 latency 2s"),
    );
    let log = t.path("queue.pcapng");
    start(&t, &log, &["--comp", &format!("{a},{h},{b}")]);
    t.exec(&a, &format!("ping -c 10 -i 0.01 -s 1000 -W 3 10.{n}.4.1"));
    stop(&t);
    let out = t.pktmon(&["etl2txt", log.to_str().expect("UTF-8"), "--stats-only"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stats = text(&out.stdout);
    let rows = hop_rows(&stats);
    let p50 = |from: &str, to: &str| hop_row(&rows, from, to, &stats)[3].clone();
    let fast = |d: &str| d.ends_with(" ns") || d.ends_with(" us");
    let (ia, ha, hb, ib) = (
        format!("{ia}@{a}"),
        format!("{ha}@{h}"),
        format!("{hb}@{h}"),
        format!("{ib}@{b}"),
    );
    assert!(fast(&p50(&ia, &ha)), "{stats}");
    assert!(p50(&ha, &hb).ends_with(" ms"), "queued here: {stats}");
    assert!(fast(&p50(&hb, &ib)), "{stats}");
    // The replies came back through no queue.
    assert!(fast(&p50(&hb, &ha)), "{stats}");
}
