//! Real capture sessions in network namespaces the tests create (needs root).
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{Lab, require_root, text, tshark_fields};
use std::time::Duration;

fn udp_filter(lab: &Lab, port: u16) -> String {
    format!(
        "!icmp && !(frame.comment contains \"DropReason\") && udp.dstport=={port} && ip.src=={}",
        lab.addr_b
    )
}

#[test]
fn datagrams_sent_right_after_start_are_all_logged_with_direction() {
    if require_root("datagrams_sent_right_after_start_are_all_logged_with_direction").is_err() {
        return;
    }
    let lab = Lab::new();
    let id = lab.component_id(&lab.if_a);
    let log = lab.path("spine.pcapng");
    let out = lab.pktmon(&[
        "start",
        "--capture",
        "--comp",
        &id.to_string(),
        "-f",
        log.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "start: {}", text(&out.stderr));
    let summary = text(&out.stdout);
    for section in [
        "Logger Parameters:",
        "Collected Data:",
        "Capture Type:",
        "Monitored Components:",
        "Packet Filters:",
    ] {
        assert!(
            summary.contains(section),
            "start summary lacks {section}: {summary}"
        );
    }
    assert!(
        summary.contains(&format!("Log file:           {}", log.display())),
        "{summary}"
    );

    // No waiting: start has returned, so capture is armed.
    const N: usize = 300;
    lab.send_udp(&lab.ns_b, lab.addr_a, 40001, N, 32);

    let out = lab.stop_capture();
    let stop = text(&out.stdout);
    assert!(stop.starts_with("Flushing logs...\n"), "{stop}");
    assert!(
        stop.contains(&format!("Log file: {} (No events lost)", log.display())),
        "{stop}"
    );

    let rows = tshark_fields(
        &log,
        &udp_filter(&lab, 40001),
        &[
            "frame.p2p_dir",
            "frame.interface_name",
            "frame.packet_id",
            "frame.comment",
        ],
    );
    assert_eq!(
        rows.len(),
        N,
        "tshark counted {} of {N} datagrams",
        rows.len()
    );
    for r in &rows {
        assert_eq!(
            r[0], "1",
            "datagram from the peer must be Rx (inbound): {r:?}"
        );
        assert_eq!(r[1], lab.if_a);
        // A single sighting's metadata is all in standard options: no comment needed.
        assert_eq!(r[3], "", "{r:?}");
    }
    // Group ids are distinct per packet.
    let mut ids: Vec<&String> = rows.iter().map(|r| &r[2]).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), N);
    // Namespace a answers with ICMP port unreachable: those leave it (Tx).
    let icmp = tshark_fields(
        &log,
        &format!("icmp && ip.src=={}", lab.addr_a),
        &["frame.p2p_dir"],
    );
    assert!(!icmp.is_empty(), "no ICMP reply seen");
    assert!(
        icmp.iter().all(|r| r[0] == "0"),
        "ICMP replies must be Tx: {icmp:?}"
    );

    // The log is private and capinfos reads it without a warning.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let ci = std::process::Command::new("capinfos")
        .arg(&log)
        .output()
        .unwrap();
    assert!(ci.status.success(), "{}", text(&ci.stderr));
    let ci_err: Vec<String> = text(&ci.stderr)
        .lines()
        .filter(|l| !l.contains("Running as user"))
        .map(str::to_string)
        .collect();
    assert!(ci_err.is_empty(), "capinfos warned: {ci_err:?}");
    assert!(
        text(&ci.stdout).contains("nanoseconds"),
        "if_tsresol must be 9"
    );

    // Nothing is left running.
    let out = lab.pktmon(&["status"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stdout).trim(), "Packet Monitor is not running.");
}

#[test]
fn pkt_size_truncates_and_keeps_the_original_length() {
    if require_root("pkt_size_truncates_and_keeps_the_original_length").is_err() {
        return;
    }
    let lab = Lab::new();
    let log = lab.path("trunc.pcapng");
    lab.start_capture(&log, &["--pkt-size", "64"]);
    lab.send_udp(&lab.ns_b, lab.addr_a, 40002, 20, 300);
    lab.stop_capture();
    let rows = tshark_fields(
        &log,
        &udp_filter(&lab, 40002),
        &["frame.cap_len", "frame.len"],
    );
    assert_eq!(rows.len(), 20);
    for r in rows {
        // 14 Ethernet + 20 IPv4 + 8 UDP + 300 payload on the wire.
        assert_eq!((r[0].as_str(), r[1].as_str()), ("64", "342"));
    }

    // --pkt-size 0 logs whole packets.
    let log0 = lab.path("whole.pcapng");
    lab.start_capture(&log0, &["--pkt-size", "0"]);
    lab.send_udp(&lab.ns_b, lab.addr_a, 40003, 5, 1200);
    lab.stop_capture();
    let rows = tshark_fields(
        &log0,
        &udp_filter(&lab, 40003),
        &["frame.cap_len", "frame.len"],
    );
    assert_eq!(rows.len(), 5);
    assert!(
        rows.iter().all(|r| r[0] == "1242" && r[1] == "1242"),
        "{rows:?}"
    );
}

#[test]
fn comp_selects_components_and_nics_leaves_loopback_out() {
    if require_root("comp_selects_components_and_nics_leaves_loopback_out").is_err() {
        return;
    }
    let lab = Lab::new();
    let lo = lab.component_id("lo");
    let veth = lab.component_id(&lab.if_a);
    let lo_filter = "!icmp && !(frame.comment contains \"DropReason\") && udp.dstport==40005 && ip.dst==127.0.0.1";

    // nics: the veth, never loopback.
    let log = lab.path("nics.pcapng");
    let out = lab.start_capture(&log, &["--comp", "nics"]);
    assert!(text(&out.stdout).contains("NICs"));
    lab.send_udp(&lab.ns_b, lab.addr_a, 40004, 10, 16);
    lab.send_udp(&lab.ns_a, "127.0.0.1".parse().unwrap(), 40005, 10, 16);
    lab.stop_capture();
    assert_eq!(
        tshark_fields(&log, &udp_filter(&lab, 40004), &["frame.number"]).len(),
        10
    );
    assert_eq!(tshark_fields(&log, lo_filter, &["frame.number"]).len(), 0);
    let names = tshark_fields(&log, "", &["frame.interface_name"]);
    assert!(
        names.iter().all(|r| r[0] == lab.if_a),
        "only the veth may appear: {names:?}"
    );

    // An explicit id (comma form): loopback only.
    let log = lab.path("lo.pcapng");
    let ids = format!("{lo},{lo}");
    lab.start_capture(&log, &["--comp", &ids]);
    lab.send_udp(&lab.ns_b, lab.addr_a, 40004, 10, 16);
    lab.send_udp(&lab.ns_a, "127.0.0.1".parse().unwrap(), 40005, 10, 16);
    lab.stop_capture();
    assert_eq!(tshark_fields(&log, lo_filter, &["frame.number"]).len(), 10);
    assert_eq!(
        tshark_fields(&log, &udp_filter(&lab, 40004), &["frame.number"]).len(),
        0
    );

    // Both, space separated: one IDB each.
    let log = lab.path("both.pcapng");
    let (lo_s, veth_s) = (lo.to_string(), veth.to_string());
    lab.start_capture(&log, &["--comp", &lo_s, &veth_s]);
    lab.send_udp(&lab.ns_b, lab.addr_a, 40004, 7, 16);
    lab.send_udp(&lab.ns_a, "127.0.0.1".parse().unwrap(), 40005, 7, 16);
    lab.stop_capture();
    assert_eq!(
        tshark_fields(&log, &udp_filter(&lab, 40004), &["frame.number"]).len(),
        7
    );
    assert_eq!(tshark_fields(&log, lo_filter, &["frame.number"]).len(), 7);
}

#[test]
fn killed_session_leaves_a_readable_file_and_is_reported_dead() {
    if require_root("killed_session_leaves_a_readable_file_and_is_reported_dead").is_err() {
        return;
    }
    let lab = Lab::new();
    let log = lab.path("killed.pcapng");
    lab.start_capture(&log, &[]);
    const N: usize = 50;
    lab.send_udp(&lab.ns_b, lab.addr_a, 40006, N, 16);
    // Wait until the session says the datagrams are in the file (flushed), then kill it.
    lab.wait_logged(N as u64, Duration::from_secs(10));
    assert_eq!(lab.kill_session(), 1);
    let out = lab.pktmon(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("ended unexpectedly"),
        "{}",
        text(&out.stdout)
    );

    // What was flushed is readable by tshark, with every datagram.
    assert_eq!(
        tshark_fields(&log, &udp_filter(&lab, 40006), &["frame.number"]).len(),
        N
    );

    // stop cleans up, keeps the file, says what happened.
    let out = lab.pktmon(&["stop"]);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains(&format!("Log file: {}", log.display())), "{s}");
    assert!(log.exists());
    assert_eq!(lab.pktmon(&["status"]).status.code(), Some(3));
    // And a new session can start.
    assert_eq!(
        lab.pktmon(&[
            "start",
            "-c",
            "-f",
            lab.path("again.pcapng").to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    lab.stop_capture();
}

#[test]
fn error_paths_keep_sessions_safe() {
    if require_root("error_paths_keep_sessions_safe").is_err() {
        return;
    }
    let lab = Lab::new();

    // Nothing running.
    let out = lab.pktmon(&["stop"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stderr).trim(), "Packet Monitor is not running.");
    assert_eq!(lab.pktmon(&["status"]).status.code(), Some(3));

    // Unknown component id: exit 87 and the valid ids.
    let out = lab.pktmon(&["start", "-c", "--comp", "4242"]);
    assert_eq!(out.status.code(), Some(87));
    let e = text(&out.stderr);
    assert!(
        e.contains("component id 4242 does not exist") && e.contains(&lab.if_a),
        "{e}"
    );

    // Unwritable log path: error before start returns, nothing left running.
    let out = lab.pktmon(&["start", "-c", "-f", "/nonexistent-pktmon-dir/x.pcapng"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cannot write the log file /nonexistent-pktmon-dir/x.pcapng"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(lab.pktmon(&["status"]).status.code(), Some(3));

    // Already running: refused, the running session untouched.
    let log = lab.path("first.pcapng");
    lab.start_capture(&log, &[]);
    let out = lab.pktmon(&[
        "start",
        "-c",
        "-f",
        lab.path("second.pcapng").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("already running"),
        "{}",
        text(&out.stderr)
    );
    assert!(!lab.path("second.pcapng").exists());
    lab.send_udp(&lab.ns_b, lab.addr_a, 40007, 5, 16);
    let out = lab.pktmon(&["status"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains(&log.display().to_string()));
    lab.stop_capture();
    assert_eq!(
        tshark_fields(&log, &udp_filter(&lab, 40007), &["frame.number"]).len(),
        5
    );

    // Bad values: exit 87 with pktmon's wording.
    let out = lab.pktmon(&["start", "-c", "--type", "sideways"]);
    assert_eq!(out.status.code(), Some(87));
    assert!(text(&out.stderr).contains("'sideways' is not a valid argument to parameter '--type'"));
    assert_eq!(
        lab.pktmon(&["start", "-c", "--file-size", "0"])
            .status
            .code(),
        Some(87)
    );
    assert_eq!(lab.pktmon(&["status"]).status.code(), Some(3));
}

#[test]
fn named_sessions_run_side_by_side_and_unload_stops_them_all() {
    if require_root("named_sessions_run_side_by_side_and_unload_stops_them_all").is_err() {
        return;
    }
    let lab = Lab::new();
    let (l1, l2) = (lab.path("s1.pcapng"), lab.path("s2.pcapng"));
    lab.start_capture(&l1, &[]);
    assert_eq!(
        lab.pktmon(&[
            "--session",
            "second",
            "start",
            "-c",
            "-f",
            l2.to_str().unwrap()
        ])
        .status
        .code(),
        Some(0)
    );
    lab.send_udp(&lab.ns_b, lab.addr_a, 40008, 9, 16);
    // Both see the same packets.
    let out = lab.pktmon(&["--session", "second", "stop"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(lab.pktmon(&["status"]).status.code(), Some(0));
    let out = lab.pktmon(&["unload"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Stopped session 'default'"));
    assert_eq!(lab.pktmon(&["status"]).status.code(), Some(3));
    assert!(!lab.state.path().exists(), "unload deletes all state");
    for l in [&l1, &l2] {
        assert_eq!(
            tshark_fields(l, &udp_filter(&lab, 40008), &["frame.number"]).len(),
            9
        );
    }
}

/// A small tmpfs mounted for one test, unmounted on drop.
struct TinyDisk(tempfile::TempDir);

impl TinyDisk {
    fn new(size: &str) -> TinyDisk {
        let dir = tempfile::tempdir().unwrap();
        let st = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "pktmon-test"])
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(st.success(), "mount tmpfs");
        TinyDisk(dir)
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

#[test]
fn full_disk_keeps_what_was_written_and_says_so() {
    if require_root("full_disk_keeps_what_was_written_and_says_so").is_err() {
        return;
    }
    let lab = Lab::new();
    let disk = TinyDisk::new("256k");
    let log = disk.0.path().join("full.pcapng");
    lab.start_capture(&log, &["--pkt-size", "0"]);
    // ~1.2 MB of datagrams into a 256 KiB disk.
    lab.send_udp(&lab.ns_b, lab.addr_a, 40010, 1000, 1200);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (v, code) = lab.status_json();
        assert_eq!(code, 0, "the session must survive a full disk: {v}");
        let errors = v["Session"]["Errors"].to_string();
        if errors.contains("No space left") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "full disk never reported: {v}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = lab.pktmon(&["stop"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a log that could not be written is a failure"
    );
    let s = text(&out.stdout);
    assert!(
        s.contains("No space left") && s.contains("Log file:"),
        "{s}"
    );
    // Everything before the failure is a well-formed capture.
    let n = tshark_fields(&log, &udp_filter(&lab, 40010), &["frame.number"]).len();
    assert!(n > 50 && n < 1000, "{n} datagrams kept");
}
