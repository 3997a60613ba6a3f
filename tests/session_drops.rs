//! Kernel drops in a live session (needs root): logged as Drop records with reason and
//! location, counted under the right component, `--type` honoured, the drop source said.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{Lab, nft, require_root, text, tshark_fields};
use std::process::Command;
use std::time::{Duration, Instant};

/// (drop packets Rx, last reason) of a component in `counters --json`.
fn drop_counter(lab: &Lab, name: &str) -> (u64, Option<String>, Vec<(String, u64)>) {
    let out = lab.pktmon(&["counters", "--json", "-z"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for g in v.as_array().unwrap() {
        for c in g["Components"].as_array().unwrap() {
            if c["Name"] != name {
                continue;
            }
            for k in c["Counters"].as_array().unwrap() {
                if k["Name"] == "Drop" {
                    let reasons = k["DropReasons"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|r| {
                                    (
                                        r["Reason"].as_str().unwrap_or("").to_string(),
                                        r["Packets"].as_u64().unwrap_or(0),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    return (
                        k["Inbound"]["Packets"].as_u64().unwrap_or(0),
                        k["DropReason"].as_str().map(str::to_string),
                        reasons,
                    );
                }
            }
        }
    }
    (0, None, vec![])
}

fn wait_reason(lab: &Lab, name: &str, reason: &str, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, _, reasons) = drop_counter(lab, name);
        let got = reasons.iter().find(|(r, _)| r == reason).map_or(0, |r| r.1);
        if got >= n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{got} of {n} {reason} drops counted: {reasons:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn closed_port_and_nftables_drops_are_logged_and_counted() {
    if require_root("closed_port_and_nftables_drops_are_logged_and_counted").is_err() {
        return;
    }
    let lab = Lab::new();
    nft(
        &lab.ns_a,
        "table inet pktmontest {\n chain input {\n type filter hook input priority 0;\n udp dport 41021 drop\n }\n}\n",
    );
    let log = lab.path("drops.pcapng");
    let out = lab.pktmon(&["start", "-c", "-f", log.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Drop Detection:\n    BPF program on the kfree_skb tracepoint"),
        "{}",
        text(&out.stdout)
    );
    lab.send_udp(&lab.ns_b, lab.addr_a, 41020, 4, 20); // closed port
    lab.send_udp(&lab.ns_b, lab.addr_a, 41021, 3, 20); // nftables drop
    wait_reason(&lab, &lab.if_a, "NO_SOCKET", 4);
    wait_reason(&lab, &lab.if_a, "NETFILTER_DROP", 3);
    let out = lab.pktmon(&["counters", "-r"]);
    assert!(text(&out.stdout).contains("Drop"), "{}", text(&out.stdout));
    assert_eq!(lab.pktmon(&["stop"]).status.code(), Some(0));

    let src = lab.addr_b.to_string();
    let drops = tshark_fields(
        &log,
        &format!("frame.comment contains \"DropReason\" && ip.src == {src} && !icmp"),
        &[
            "udp.dstport",
            "frame.comment",
            "frame.interface_name",
            "frame.p2p_dir",
        ],
    );
    let no_socket: Vec<_> = drops.iter().filter(|r| r[0] == "41020").collect();
    let nf: Vec<_> = drops.iter().filter(|r| r[0] == "41021").collect();
    assert_eq!(no_socket.len(), 4, "{drops:?}");
    assert_eq!(nf.len(), 3, "{drops:?}");
    for r in &no_socket {
        assert!(
            r[1].contains("DropReason NO_SOCKET, DropLocation __udp4_lib_rcv"),
            "{r:?}"
        );
        assert_eq!(r[2], lab.if_a);
        assert_eq!(r[3], "1", "received, then dropped: Rx");
    }
    assert!(
        nf.iter()
            .all(|r| r[1].contains("DropReason NETFILTER_DROP, DropLocation nft_do_chain")),
        "{nf:?}"
    );
    // The same datagrams also went by as flow packets (all = both kinds).
    let flows = tshark_fields(
        &log,
        &format!(
            "!(frame.comment contains \"DropReason\") && ip.src == {src} && udp.dstport == 41020 && !icmp"
        ),
        &["frame.number"],
    );
    assert_eq!(flows.len(), 4);
}

#[test]
fn type_drop_logs_only_drops_and_type_flow_only_flows() {
    if require_root("type_drop_logs_only_drops_and_type_flow_only_flows").is_err() {
        return;
    }
    let lab = Lab::new();
    let src = lab.addr_b.to_string();
    let filter = format!("ip.src == {src} && udp.dstport == 41022 && !icmp");
    for (ty, want_drops, want_flows) in [("drop", 5, 0), ("flow", 0, 5)] {
        let log = lab.path(&format!("{ty}.pcapng"));
        let out = lab.pktmon(&["start", "-c", "--type", ty, "-f", log.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        lab.send_udp(&lab.ns_b, lab.addr_a, 41022, 5, 20);
        // Both kinds are counted whatever is logged: wait for the drops to be seen.
        wait_reason(&lab, &lab.if_a, "NO_SOCKET", 5);
        assert_eq!(lab.pktmon(&["stop"]).status.code(), Some(0));
        let rows = tshark_fields(&log, &filter, &["frame.comment"]);
        let drops = rows.iter().filter(|r| r[0].contains("DropReason")).count();
        assert_eq!(
            (drops, rows.len() - drops),
            (want_drops, want_flows),
            "--type {ty}: {rows:?}"
        );
    }
}

#[test]
fn without_tracing_privileges_the_session_says_counters_only() {
    if require_root("without_tracing_privileges_the_session_says_counters_only").is_err() {
        return;
    }
    let lab = Lab::new();
    // Root without CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN: capture works, tracing does not.
    let run = |args: &[&str]| {
        Command::new("ip")
            .args([
                "netns",
                "exec",
                &lab.ns_a,
                "setpriv",
                "--bounding-set",
                "-bpf,-perfmon,-sys_admin",
                "--inh-caps",
                "-bpf,-perfmon,-sys_admin",
                common::PKTMON,
            ])
            .args(args)
            .env("PKTMON_STATE_DIR", lab.state.path())
            .current_dir(lab.dir.path())
            .output()
            .expect("setpriv")
    };
    let out = run(&["start", "-c", "--counters-only"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(
        s.contains("interface drop counters only: drop tracing needs root or CAP_BPF+CAP_PERFMON"),
        "{s}"
    );
    let status = text(&run(&["status"]).stdout);
    assert!(status.contains("interface drop counters only"), "{status}");
    assert_eq!(run(&["stop"]).status.code(), Some(0));
    // Asking for drops then fails clearly.
    let out = run(&["start", "-c", "--type", "drop"]);
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("CAP_BPF+CAP_PERFMON"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(run(&["status"]).status.code(), Some(3));
    // The perf fallback, forced, is named as such.
    let out = Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.ns_a,
            common::PKTMON,
            "start",
            "-c",
            "--counters-only",
        ])
        .env("PKTMON_STATE_DIR", lab.state.path())
        .env("PKTMON_DROP_SOURCE", "perf")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("perf skb:kfree_skb tracepoint"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(lab.pktmon(&["stop"]).status.code(), Some(0));
}
