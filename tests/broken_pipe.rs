//! A reader that goes away (`pktmon list --json | grep -q x`, `| head -1`) never makes
//! pktmon panic: the writer side ends quietly with exit 0 (README, exit codes), except
//! that an exit code with a meaning of its own (`status` 3: not running) is kept.
//!
//! Each case runs pktmon with stdout on a pipe whose read end is already closed, so the
//! first write fails with EPIPE every time (no race with a reader).
#![cfg(target_os = "linux")] // network namespaces, the unix session

mod common;

use common::corpus::{ethernet_corpus, write_file, write_pcapng};
use common::{Lab, PKTMON, require_root, text};
use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Runs `cmd` with stdout on a pipe nobody reads (read end closed before the start).
fn run_closed(cmd: &mut Command) -> Output {
    let (read_end, write_end) = nix::unistd::pipe().expect("pipe");
    drop(read_end);
    cmd.stdout(Stdio::from(write_end))
        .stderr(Stdio::piped())
        .output()
        .expect("run pktmon")
}

fn assert_quiet(args: &[&str], out: &Output, code: i32) {
    let err = text(&out.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{args:?}: {err}"
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
}

/// A pcapng with enough packets that their text is far larger than a pipe's buffer.
fn big_capture(dir: &std::path::Path) -> std::path::PathBuf {
    let frames: Vec<Vec<u8>> = ethernet_corpus()
        .into_iter()
        .map(|(_, f)| f)
        .cycle()
        .take(5000)
        .collect();
    let path = dir.join("big.pcapng");
    write_file(&path, &write_pcapng(&frames, 0, &[4, 5], true));
    path
}

#[test]
fn every_command_that_prints_ends_quietly_on_a_closed_pipe() {
    let state = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let log = big_capture(dir.path());
    let log = log.to_str().unwrap();
    let hex = "00155d01be1e7085c286c7200800450000280001000040060000c0a80001c0a800020400005000000000000000005002200000000000";
    let cases: &[(&[&str], i32)] = &[
        (&[], 0),
        (&["help"], 0),
        (&["start", "help"], 0),
        (&["etl2txt", "help"], 0),
        (&["list"], 0),
        (&["list", "-a", "-i"], 0),
        (&["list", "--json"], 0),
        (&["comp", "list", "--json"], 0),
        (&["filter", "list"], 0),
        (&["filter", "list", "--json"], 0),
        (&["status"], 3),
        (&["status", "--json"], 3),
        (&["hex2pkt", hex], 0),
        (&["etl2txt", log, "-o", "-"], 0),
        (&["etl2txt", log, "-o", "-", "--utf16"], 0),
        (&["format", log, "-s"], 0),
        (&["etl2pcap", log, "-o", "out.pcapng"], 0),
        (&["filter", "add", "web", "-p", "80"], 0),
        (&["filter", "remove"], 0),
    ];
    for (args, code) in cases {
        let out = run_closed(
            Command::new(PKTMON)
                .args(*args)
                .env("PKTMON_STATE_DIR", state.path())
                .current_dir(dir.path()),
        );
        assert_quiet(args, &out, *code);
    }
}

/// `pktmon etl2txt <log> -o - | head -1`: asserts it ended quietly (exit 0) and reported
/// on stderr a non-zero number of packets formatted before the reader left.
fn assert_head_reports_formatted(log: &std::path::Path) {
    let mut child = Command::new(PKTMON)
        .arg("etl2txt")
        .arg(log)
        .args(["-o", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn pktmon");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .expect("first line");
    // stdout's read end is dropped here, like `head -1` exiting.
    let out = child.wait_with_output().expect("wait");
    assert!(!first.trim().is_empty(), "a first line");
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let formatted: u64 = err
        .lines()
        .find_map(|l| l.strip_prefix("Packets formatted:"))
        .unwrap_or_else(|| panic!("no summary: {err}"))
        .trim()
        .replace(',', "")
        .parse()
        .expect("a number");
    assert!(formatted > 0, "{err}");
}

/// `etl2txt -o - | head -1`: the summary counts what was formatted before the reader
/// left, not 0.
#[test]
fn etl2txt_to_head_reports_what_it_formatted() {
    let dir = tempfile::tempdir().unwrap();
    assert_head_reports_formatted(&big_capture(dir.path()));
}

/// Root: the session commands (`counters`, `status`, `stop`, `unload`) with a closed
/// stdout; the work they do still happens (stop really stops, unload really unloads).
#[test]
fn session_commands_end_quietly_on_a_closed_pipe() {
    if require_root("session_commands_end_quietly_on_a_closed_pipe").is_err() {
        return;
    }
    let lab = Lab::new();
    let log = lab.path("cap.pcapng");
    lab.start_capture(&log, &["--comp", "all"]);
    lab.send_udp(&lab.ns_a, lab.addr_b, 9, 3, 20);
    lab.wait_logged(1, Duration::from_secs(10));
    let in_lab = |args: &[&str]| {
        let out = run_closed(
            Command::new("ip")
                .args(["netns", "exec", &lab.ns_a, PKTMON])
                .args(args)
                .env("PKTMON_STATE_DIR", lab.state.path())
                .current_dir(lab.dir.path()),
        );
        assert_quiet(args, &out, 0);
    };
    for args in [
        &["counters"][..],
        &["counters", "--json"],
        &["counters", "--live"],
        &["status"],
        &["status", "--json"],
        &["reset"],
    ] {
        in_lab(args);
    }
    in_lab(&["stop"]);
    assert_eq!(
        lab.status_json().1,
        3,
        "stop with a closed stdout still stops"
    );
    lab.start_capture(&log, &[]);
    in_lab(&["unload"]);
    assert_eq!(
        lab.status_json().1,
        3,
        "unload with a closed stdout still unloads"
    );
}

/// The same for a Windows `.etl` (the sample log, when present).
#[test]
fn etl2txt_of_an_etl_to_head_reports_what_it_formatted() {
    let test = "etl2txt_of_an_etl_to_head_reports_what_it_formatted";
    if let Some(dir) = pktmon::testdata::shared_etl_dir(test) {
        assert_head_reports_formatted(&dir.join("pktmon-win10-19042-a.etl"));
    }
}
