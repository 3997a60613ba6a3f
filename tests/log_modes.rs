//! Log modes on real captures: circular (wraps, keeps the newest, survives kill -9),
//! multi-file (numbered standalone files), memory (nothing on disk until stop).

#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{Lab, require_root, text, tshark_fields};
use std::net::UdpSocket;
use std::path::Path;
use std::time::Duration;

/// Sends `count` datagrams of `payload` bytes whose first 4 bytes are their number.
fn send_numbered(lab: &Lab, port: u16, count: u32, payload: usize) {
    // Received, not answered with ICMP errors.
    let _sink = lab.bind_udp(&lab.ns_a, port);
    let ns = lab.ns_b.clone();
    let to = lab.addr_a;
    std::thread::spawn(move || {
        let f = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
        nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        let s = UdpSocket::bind("0.0.0.0:0").expect("bind");
        let mut buf = vec![0x5Au8; payload];
        for n in 0..count {
            buf[..4].copy_from_slice(&n.to_be_bytes());
            let mut sent = false;
            for _ in 0..1000 {
                if s.send_to(&buf, (to, port)).is_ok() {
                    sent = true;
                    break;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            assert!(sent, "could not send");
        }
    })
    .join()
    .expect("sender");
}

/// The numbers of the datagrams to `port` in a log, in file order (tshark reads it).
fn numbers(file: &Path, port: u16) -> Vec<u32> {
    // The sessions log flows only (`--type flow`: not the drops of datagrams the unread
    // socket has no room for); not ICMP errors quoting a datagram.
    tshark_fields(
        file,
        &format!("udp.dstport == {port} && !icmp"),
        &["data.data"],
    )
    .iter()
    .map(|f| u32::from_str_radix(&f[0][..8], 16).expect("hex"))
    .collect()
}

const N: u32 = 3000;
const PAYLOAD: usize = 1400;

#[test]
fn circular_keeps_the_newest_within_its_size_also_after_kill_9() {
    if require_root("circular_keeps_the_newest_within_its_size_also_after_kill_9").is_err() {
        return;
    }
    let lab = Lab::new();
    for killed in [false, true] {
        let log = lab.path(&format!("ring{killed}.pcapng"));
        lab.start_capture(
            &log,
            &["--type", "flow", "--pkt-size", "0", "--file-size", "1"],
        );
        // ~4.3 MB of datagrams into a 1 MB log.
        send_numbered(&lab, 40100, N, PAYLOAD);
        let v = lab.wait_logged(N as u64, Duration::from_secs(20));
        assert_eq!(v["Session"]["Log"]["Mode"], "circular");
        assert!(
            v["Session"]["Log"]["PacketsOverwritten"].as_u64().unwrap() > 1000,
            "{v}"
        );
        let on_disk = v["Session"]["Log"]["BytesOnDisk"].as_u64().unwrap();
        assert!(on_disk <= 1024 * 1024, "{on_disk}");
        if killed {
            lab.kill_session();
            // As the kill left it: valid, at most the size, with the newest datagram.
            assert!(std::fs::metadata(&log).unwrap().len() <= 1024 * 1024);
            let got = numbers(&log, 40100);
            assert_eq!(got.iter().max(), Some(&(N - 1)));
            let out = lab.pktmon(&["stop"]);
            assert_eq!(out.status.code(), Some(1));
            assert!(
                text(&out.stdout).contains("put in time order"),
                "{}",
                text(&out.stdout)
            );
        } else {
            let out = lab.stop_capture();
            assert!(
                text(&out.stdout).contains("Packets overwritten by newer ones"),
                "{}",
                text(&out.stdout)
            );
        }
        let size = std::fs::metadata(&log).unwrap().len();
        assert!(size <= 1024 * 1024, "log grew past its size: {size}");
        let got = numbers(&log, 40100);
        // The newest, in time order, without gaps, and most of a megabyte of them.
        assert_eq!(got.last(), Some(&(N - 1)), "killed={killed}");
        let first = got[0];
        assert_eq!(got, (first..N).collect::<Vec<_>>(), "killed={killed}");
        // More than fits was sent; a good part of the megabyte is kept.
        // 1 MB of ~1.47 KB records, less the slot being refilled.
        assert!(got.len() > 550 && got.len() < 750, "{} kept", got.len());
    }
}

#[test]
fn multi_file_writes_numbered_standalone_files_that_add_up() {
    if require_root("multi_file_writes_numbered_standalone_files_that_add_up").is_err() {
        return;
    }
    let lab = Lab::new();
    let log = lab.path("trace.pcapng");
    lab.start_capture(
        &log,
        &[
            "--type",
            "flow",
            "--pkt-size",
            "0",
            "--file-size",
            "1",
            "-m",
            "multi-file",
        ],
    );
    send_numbered(&lab, 40101, N, PAYLOAD);
    lab.wait_logged(N as u64, Duration::from_secs(20));
    let out = lab.stop_capture();
    let s = text(&out.stdout);
    assert!(!log.exists(), "only numbered files");
    // Several MB in 1 MB files.
    let files: Vec<_> = (1..)
        .map(|n| lab.path(&format!("trace{n}.pcapng")))
        .take_while(|p| p.exists())
        .collect();
    assert!(files.len() >= 2, "{s}");
    assert!(
        s.contains(&format!("Log files written: {}", files.len())),
        "{s}"
    );
    let mut all = Vec::new();
    for f in &files {
        assert!(s.contains(&f.display().to_string()), "{s}");
        assert!(std::fs::metadata(f).unwrap().len() <= 1024 * 1024);
        all.extend(numbers(f, 40101));
    }
    assert_eq!(all, (0..N).collect::<Vec<_>>());
}

#[test]
fn memory_writes_nothing_until_stop_then_the_newest() {
    if require_root("memory_writes_nothing_until_stop_then_the_newest").is_err() {
        return;
    }
    let lab = Lab::new();
    let log = lab.path("mem.pcapng");
    let out = lab.start_capture(
        &log,
        &[
            "--type",
            "flow",
            "--pkt-size",
            "0",
            "--file-size",
            "1",
            "-m",
            "memory",
        ],
    );
    assert!(
        text(&out.stdout).contains("kill -9"),
        "{}",
        text(&out.stdout)
    );
    send_numbered(&lab, 40102, N, PAYLOAD);
    let v = lab.wait_logged(N as u64, Duration::from_secs(20));
    assert_eq!(v["Session"]["Log"]["BytesOnDisk"], 0);
    assert!(!log.exists(), "memory mode writes nothing before stop");
    lab.stop_capture();
    let got = numbers(&log, 40102);
    assert!(std::fs::metadata(&log).unwrap().len() <= 1024 * 1024);
    let first = got[0];
    assert_eq!(got, (first..N).collect::<Vec<_>>());
    assert!(got.len() > 550, "{} kept", got.len());
}

#[test]
fn a_removed_log_folder_stops_logging_says_so_and_stop_fails() {
    if require_root("a_removed_log_folder_stops_logging_says_so_and_stop_fails").is_err() {
        return;
    }
    let lab = Lab::new();
    for mode in ["circular", "multi-file"] {
        let folder = lab.path(&format!("gone-{mode}"));
        std::fs::create_dir(&folder).unwrap();
        let log = folder.join("x.pcapng");
        lab.start_capture(&log, &["-m", mode]);
        send_numbered(&lab, 40103, 20, 100);
        lab.wait_logged(20, Duration::from_secs(10));
        std::fs::remove_dir_all(&folder).unwrap();
        send_numbered(&lab, 40103, 20, 100);
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let (v, code) = lab.status_json();
            assert_eq!(code, 0, "the session goes on counting: {v}");
            if v["Session"]["Errors"].to_string().contains("LogRemoved") {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "never reported: {v}");
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = lab.pktmon(&["stop"]);
        assert_eq!(out.status.code(), Some(1), "{mode}");
        assert!(
            text(&out.stdout).contains("was removed"),
            "{}",
            text(&out.stdout)
        );
    }
}
