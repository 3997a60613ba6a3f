//! Filters in a live session: crafted frames injected through a veth while a session with
//! several filters runs; exactly the expected frames are logged, each with its `Filter n`.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::frames::*;
use common::{Lab, require_root, text, tshark_fields};

#[test]
fn crafted_frames_are_logged_by_the_filter_they_match() {
    if require_root("crafted_frames_are_logged_by_the_filter_they_match").is_err() {
        return;
    }
    let lab = Lab::new();
    let filters: [&[&str]; 5] = [
        &["Syn", "-t", "tcp", "SYN"],
        &["Vlan42", "-v", "42"],
        &["Tunnel443", "--port", "443", "--encap"],
        &[
            "V6Udp",
            "--data-link",
            "IPv6",
            "--transport-protocol",
            "UDP",
        ],
        &["Arp", "-d", "ARP"],
    ];
    for f in filters {
        let mut args = vec!["filter", "add"];
        args.extend_from_slice(f);
        let out = lab.pktmon(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stdout).trim(), "Filter added.");
    }
    let log = lab.path("filtered.pcapng");
    // Namespace a's components only: the frames as a receives them.
    let out = lab.start_capture(&log, &["--pkt-size", "0", "--comp", &lab.ns_a]);
    let summary = text(&out.stdout);
    assert!(
        summary.contains("Tunnel443") && summary.contains("TCP (SYN)"),
        "{summary}"
    );

    let (a, b) = (lab.addr_a.octets(), lab.addr_b.octets());
    let (ma, mb) = (lab.mac_a, lab.mac_b);
    let v4 = |proto: u8, l4: &[u8]| ethernet(ma, mb, None, 0x0800, &ipv4(b, a, proto, l4));
    let six = |last: u8| {
        let mut x = [0u8; 16];
        x[0] = 0x20;
        x[1] = 0x01;
        x[2] = 0x0d;
        x[3] = 0xb8;
        x[15] = last;
        x
    };
    // Inner frame of the tunnels: TCP ACK to port 443 (no SYN, so only Tunnel443 can match).
    let inner_ip = ipv4([192, 0, 2, 1], [192, 0, 2, 2], 6, &tcp(50000, 443, 0x10));
    let inner_eth = ethernet(
        [2, 9, 9, 9, 9, 2],
        [2, 9, 9, 9, 9, 1],
        None,
        0x0800,
        &inner_ip,
    );
    let other_inner = ethernet(
        [2, 9, 9, 9, 9, 2],
        [2, 9, 9, 9, 9, 1],
        None,
        0x0800,
        &ipv4([192, 0, 2, 1], [192, 0, 2, 2], 6, &tcp(50000, 80, 0x10)),
    );
    // (frame, expected filter) — None: must not be logged.
    let cases: Vec<(&str, Vec<u8>, Option<u32>)> = vec![
        ("syn", v4(6, &tcp(40001, 80, 0x02)), Some(1)),
        ("syn-ack", v4(6, &tcp(40002, 80, 0x12)), Some(1)),
        ("ack", v4(6, &tcp(40003, 80, 0x10)), None),
        (
            "vlan42",
            ethernet(
                ma,
                mb,
                Some(42),
                0x0800,
                &ipv4(b, a, 17, &udp(40004, 9, b"x")),
            ),
            Some(2),
        ),
        (
            "vlan43",
            ethernet(
                ma,
                mb,
                Some(43),
                0x0800,
                &ipv4(b, a, 17, &udp(40005, 9, b"x")),
            ),
            None,
        ),
        (
            "vxlan443",
            v4(17, &udp(40006, 4789, &vxlan(&inner_eth))),
            Some(3),
        ),
        (
            "vxlan80",
            v4(17, &udp(40007, 4789, &vxlan(&other_inner))),
            None,
        ),
        ("gre443", v4(47, &gre(0x0800, &inner_ip)), Some(3)),
        (
            "ipv6udp",
            ethernet(
                ma,
                mb,
                None,
                0x86DD,
                &ipv6(six(2), six(1), 17, &udp(40008, 9, b"x")),
            ),
            Some(4),
        ),
        (
            "arp",
            ethernet(
                [0xff; 6],
                mb,
                None,
                0x0806,
                &arp_request(mb, b, [10, 77, 254, 99]),
            ),
            Some(5),
        ),
        ("udp", v4(17, &udp(40009, 9, b"x")), None),
        ("icmp", v4(1, &icmp_echo()), None),
    ];
    inject(
        &lab.ns_b,
        &lab.if_b,
        cases.iter().map(|c| c.1.clone()).collect(),
    );
    lab.stop_capture();

    // Only what ns b sent (ns a's own replies, e.g. TCP resets, are not part of this check).
    let from_b = format!("eth.src == {}", mb.map(|x| format!("{x:02x}")).join(":"));
    let rows = tshark_fields(
        &log,
        &format!("{from_b} && !(frame.comment contains \"DropReason\")"),
        &["frame.len", "frame.comment"],
    );
    // The stack drops some of these crafted frames (bad TCP checksum, no socket, no
    // protocol): those drop records carry the filter that matched them too.
    let drops = tshark_fields(
        &log,
        &format!("{from_b} && frame.comment contains \"DropReason\""),
        &["frame.comment"],
    );
    for d in &drops {
        assert!(
            !d[0].contains("Filter 0"),
            "a drop no filter matched was logged: {d:?}"
        );
    }
    let expected: Vec<(&str, usize, u32)> = cases
        .iter()
        .filter_map(|(name, f, n)| n.map(|n| (*name, f.len(), n)))
        .collect();
    assert_eq!(
        rows.len(),
        expected.len(),
        "logged {} frames from b, expected {:?}: {rows:?}",
        rows.len(),
        expected.iter().map(|e| e.0).collect::<Vec<_>>()
    );
    for ((name, len, n), row) in expected.iter().zip(&rows) {
        assert_eq!(row[0], len.to_string(), "{name}: frame length");
        assert!(
            row[1].ends_with(&format!("Filter {n}")),
            "{name}: comment {:?}",
            row[1]
        );
    }
}
