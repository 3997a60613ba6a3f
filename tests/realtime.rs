//! `pktmon start -c -m real-time` (needs root): records printed as they arrive, live
//! through a pipe, until SIGTERM or `pktmon stop`; then the stop summary.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{Lab, PKTMON, require_root, text};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn spawn_real_time(lab: &Lab, extra: &[&str]) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.ns_a,
            PKTMON,
            "start",
            "-c",
            "-m",
            "real-time",
            "--comp",
            "nics",
        ])
        .args(extra)
        .env("PKTMON_STATE_DIR", lab.state.path())
        .env(common::LAB_PATH_SOURCE.0, common::LAB_PATH_SOURCE.1)
        .current_dir(lab.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pktmon");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

/// Reads lines (bounded) until one satisfies `want`; returns everything read.
fn read_until(rx: &mpsc::Receiver<String>, want: impl Fn(&str) -> bool, what: &str) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(l) => {
                let done = want(&l);
                seen.push(l);
                if done {
                    return seen;
                }
            }
            Err(_) => panic!("no {what} within 10 s; got: {seen:#?}"),
        }
    }
}

#[test]
fn records_stream_through_a_pipe_until_sigterm() {
    if require_root("records_stream_through_a_pipe_until_sigterm").is_err() {
        return;
    }
    let lab = Lab::new();
    let _sock = lab.bind_udp(&lab.ns_a, 41030);
    let (mut child, rx) = spawn_real_time(&lab, &[]);
    // The summary comes first, once capture is armed.
    read_until(&rx, |l| l.trim() == "None", "Packet Filters section");
    lab.send_udp(&lab.ns_b, lab.addr_a, 41030, 3, 5);
    // Each datagram's record line and decode line arrive while the session runs.
    let lines = read_until(
        &rx,
        |l| l.contains(&format!("{}.41030: UDP, length 5", lab.addr_a)),
        "decode line of our datagram",
    );
    let record = lines
        .iter()
        .rev()
        .nth(1)
        .expect("record line before the decode line");
    assert!(
        record.contains("Direction Rx , Type Ethernet , Component"),
        "{record}"
    );
    // HH:MM:SS.nnnnnnnnn prefix.
    let prefix = record.split(' ').next().unwrap_or("");
    assert_eq!(prefix.len(), 18, "{record}");
    assert_eq!(&prefix[2..3], ":");
    assert!(lines.last().unwrap().starts_with('\t'));
    assert_eq!(lab.status_json().1, 0, "status sees the real-time session");

    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("signal ip netns exec");
    let rest = read_until(&rx, |l| l.starts_with("Packets printed:"), "stop summary");
    assert!(
        rest.iter().any(|l| l.contains("No log file (real-time")),
        "{rest:?}"
    );
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    assert!(
        !lab.path("PktMon.etl").exists() && !lab.path("PktMon.pcapng").exists(),
        "real-time writes no log"
    );
    assert_eq!(lab.status_json().1, 3);
}

#[test]
fn pktmon_stop_ends_a_real_time_session() {
    if require_root("pktmon_stop_ends_a_real_time_session").is_err() {
        return;
    }
    let lab = Lab::new();
    let (mut child, rx) = spawn_real_time(&lab, &[]);
    read_until(&rx, |l| l.trim() == "None", "Packet Filters section");
    let out = lab.pktmon(&["stop"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    read_until(&rx, |l| l.starts_with("Packets printed:"), "stop summary");
    assert!(child.wait().expect("wait").success());
}
