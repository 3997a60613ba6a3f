//! Counters in a live session (needs root): they equal what was sent, by direction;
//! `reset` zeroes; `--counters-only` writes no file; `--json` holds the table's numbers;
//! after `stop` the last session's counters remain readable.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{Lab, require_root, text};
use std::time::{Duration, Instant};

/// (rx packets, rx bytes, tx packets, tx bytes) of the `Upper` counter of a component.
fn flow_counts(json: &serde_json::Value, name: &str) -> Option<(u64, u64, u64, u64)> {
    for g in json.as_array()? {
        for c in g["Components"].as_array()? {
            if c["Name"] != name {
                continue;
            }
            for k in c["Counters"].as_array()? {
                if k["Name"] == "Upper" {
                    return Some((
                        k["Inbound"]["Packets"].as_u64()?,
                        k["Inbound"]["Bytes"].as_u64()?,
                        k["Outbound"]["Packets"].as_u64()?,
                        k["Outbound"]["Bytes"].as_u64()?,
                    ));
                }
            }
        }
    }
    None
}

fn counters_json(lab: &Lab) -> serde_json::Value {
    let out = lab.pktmon(&["counters", "--json", "-z"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("counters --json parses")
}

/// Waits (bounded) until the counters of `name` equal `want`.
fn wait_counts(lab: &Lab, name: &str, want: (u64, u64, u64, u64)) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = flow_counts(&counters_json(lab), name);
        if got == Some(want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "counters of {name}: {got:?}, expected {want:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn counters_equal_what_was_sent_and_reset_zeroes_them() {
    if require_root("counters_equal_what_was_sent_and_reset_zeroes_them").is_err() {
        return;
    }
    let lab = Lab::new();
    // Both ends listen, so nobody answers with ICMP: the only traffic is ours.
    let _a = lab.bind_udp(&lab.ns_a, 41001);
    let _b = lab.bind_udp(&lab.ns_b, 41002);
    let out = lab.pktmon(&["start", "--capture", "--counters-only", "--comp", "nics"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("none (counters only)"));

    const RX: u64 = 37;
    const TX: u64 = 23;
    lab.send_udp(&lab.ns_b, lab.addr_a, 41001, RX as usize, 100);
    lab.send_udp(&lab.ns_a, lab.addr_b, 41002, TX as usize, 200);
    // Ethernet 14 + IPv4 20 + UDP 8 + payload.
    wait_counts(&lab, &lab.if_a, (RX, RX * 142, TX, TX * 242));

    // The table shows the same numbers.
    let table = text(&lab.pktmon(&["counters"]).stdout);
    let row = table
        .lines()
        .find(|l| l.contains(&lab.if_a) && l.contains("Upper"))
        .unwrap_or_else(|| panic!("no row for {}: {table}", lab.if_a));
    let cols: Vec<&str> = row.split_whitespace().collect();
    // Id Name Counter Rx packets bytes | Tx packets bytes
    assert_eq!(cols[4], RX.to_string(), "{row}");
    assert_eq!(cols[5].replace(',', ""), (RX * 142).to_string(), "{row}");
    assert_eq!(cols[8], TX.to_string(), "{row}");
    assert_eq!(cols[9].replace(',', ""), (TX * 242).to_string(), "{row}");

    let out = lab.pktmon(&["reset"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        flow_counts(&counters_json(&lab), &lab.if_a),
        Some((0, 0, 0, 0))
    );
    lab.send_udp(&lab.ns_b, lab.addr_a, 41001, 3, 100);
    wait_counts(&lab, &lab.if_a, (3, 426, 0, 0));

    let out = lab.pktmon(&["stop"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("No log file (counters only"));
    assert!(
        !lab.path("PktMon.etl").exists() && !lab.path("PktMon.pcapng").exists(),
        "--counters-only writes no log"
    );
    // After stop the last session's counters stay readable, labelled.
    let out = lab.pktmon(&["counters"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Final counters of the last session"));
    assert_eq!(
        flow_counts(&counters_json(&lab), &lab.if_a),
        Some((3, 426, 0, 0))
    );
    // reset with nothing running.
    assert_ne!(lab.pktmon(&["reset"]).status.code(), Some(0));
}

#[test]
fn filters_gate_counting() {
    if require_root("filters_gate_counting").is_err() {
        return;
    }
    let lab = Lab::new();
    let _a = lab.bind_udp(&lab.ns_a, 41003);
    let _a2 = lab.bind_udp(&lab.ns_a, 41004);
    assert_eq!(
        lab.pktmon(&["filter", "add", "-p", "41003"]).status.code(),
        Some(0)
    );
    // The libpcap backend's kernel prefilter (the tracepoint backend matches filters in
    // user space, once per packet, so that a packet stays followed after NAT).
    assert_eq!(
        lab.pktmon_env(
            &["start", "-c", "--counters-only"],
            &[("PKTMON_PATH_SOURCE", "pcap")]
        )
        .status
        .code(),
        Some(0)
    );
    lab.send_udp(&lab.ns_b, lab.addr_a, 41003, 5, 10);
    lab.send_udp(&lab.ns_b, lab.addr_a, 41004, 9, 10);
    wait_counts(&lab, &lab.if_a, (5, 5 * 52, 0, 0));
    let (v, _) = lab.status_json();
    assert_eq!(
        v["Session"]["PacketsFilteredOut"].as_u64(),
        Some(0),
        "the kernel prefilter keeps the others out: {v}"
    );
    assert_eq!(lab.pktmon(&["stop"]).status.code(), Some(0));
}

/// `counters` right after traffic includes it: no waiting and retrying by the caller.
#[test]
fn counters_right_after_traffic_include_it_every_time() {
    if require_root("counters_right_after_traffic_include_it_every_time").is_err() {
        return;
    }
    let lab = Lab::new();
    let _a = lab.bind_udp(&lab.ns_a, 41011);
    let out = lab.pktmon(&["start", "--capture", "--counters-only", "--comp", "nics"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    const N: u64 = 3;
    for round in 0..100 {
        let out = lab.pktmon(&["reset"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        lab.send_udp(&lab.ns_b, lab.addr_a, 41011, N as usize, 10);
        let got = flow_counts(&counters_json(&lab), &lab.if_a);
        assert_eq!(
            got,
            Some((N, N * 52, 0, 0)),
            "round {round}: counters read right after sending {N} datagrams"
        );
    }
    let out = lab.pktmon(&["stop"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}
