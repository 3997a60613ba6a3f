//! Real traffic in test-made network namespaces (needs root): captured by tcpdump (a
//! pcap from another tool) and by a pktmon session (our pcapng), then decoded by
//! `pktmon etl2txt` and compared with `tcpdump -nn -e` field by field.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::fields::{facts, pktmon_packets, tcpdump_packets};
use common::{Lab, PKTMON, require_root, text};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Runs `f` in a thread that has entered network namespace `ns`.
fn in_netns<T: Send + 'static>(
    ns: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    let ns = ns.to_string();
    std::thread::spawn(move || {
        let file = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
        nix::sched::setns(file, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        f()
    })
}

/// An HTTP exchange over a real TCP connection from namespace a to b.
fn http_exchange(lab: &Lab, port: u16) {
    let addr_b = lab.addr_b;
    let (ready_tx, ready_rx) = mpsc::channel();
    let server = in_netns(&lab.ns_b, move || {
        let l = TcpListener::bind((addr_b, port)).expect("listen");
        ready_tx.send(()).expect("ready");
        let (mut s, _) = l.accept().expect("accept");
        let mut req = [0u8; 512];
        let n = s.read(&mut req).expect("read request");
        assert!(req[..n].starts_with(b"GET /pktmon HTTP/1.1"));
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
            .expect("respond");
    });
    ready_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("server listening");
    in_netns(&lab.ns_a, move || {
        let mut s = TcpStream::connect((addr_b, port)).expect("connect");
        s.write_all(b"GET /pktmon HTTP/1.1\r\nHost: b\r\n\r\n")
            .expect("send");
        let mut resp = Vec::new();
        s.read_to_end(&mut resp).expect("read response");
        assert!(resp.ends_with(b"hello"));
    })
    .join()
    .expect("client");
    server.join().expect("server");
}

/// All the traffic the tests decode: TCP with HTTP, UDP, a DNS query (to a closed port,
/// so ICMP port unreachable comes back), then an end marker to port 9998.
fn make_traffic(lab: &Lab) {
    http_exchange(lab, 8080);
    lab.send_udp(&lab.ns_a, lab.addr_b, 9999, 5, 100);
    let addr_b = lab.addr_b;
    in_netns(&lab.ns_a, move || {
        let s = std::net::UdpSocket::bind("0.0.0.0:0").expect("bind");
        let mut q = vec![0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        for label in ["pktmon", "example", "org"] {
            q.push(label.len() as u8);
            q.extend_from_slice(label.as_bytes());
        }
        q.extend_from_slice(&[0, 0, 1, 0, 1]);
        s.send_to(&q, (addr_b, 53)).expect("dns");
        s.send_to(b"END", (addr_b, 9998)).expect("marker");
    })
    .join()
    .expect("sender");
}

/// True once `file` (pcap) holds a datagram to port 9998.
fn has_marker(file: &Path) -> bool {
    let Ok(mut src) = pktmon::source::FileSource::open(file) else {
        return false;
    };
    use pktmon::source::RecordSource;
    while let Ok(Some(rec)) = src.next_record() {
        let d = &rec.data;
        if d.len() >= 38 && d[12..14] == [8, 0] && d[23] == 17 && d[36..38] == 9998u16.to_be_bytes()
        {
            return true;
        }
    }
    false
}

fn compare(file: &Path) -> usize {
    let out = Command::new(PKTMON)
        .args(["etl2txt", file.to_str().unwrap(), "-o", "-"])
        .output()
        .expect("run pktmon");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ours = pktmon_packets(&text(&out.stdout));
    let theirs = tcpdump_packets(file);
    assert_eq!(ours.len(), theirs.len(), "packet counts differ");
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(facts(a), facts(b), "\n  pktmon:  {a}\n  tcpdump: {b}");
    }
    ours.len()
}

#[test]
fn live_traffic_captured_by_tcpdump_decodes_like_tcpdump() {
    if require_root("live_traffic_captured_by_tcpdump_decodes_like_tcpdump").is_err() {
        return;
    }
    let lab = Lab::new();
    let pcap = lab.path("live.pcap");
    let mut td = Command::new("ip")
        .args([
            "netns", "exec", &lab.ns_b, "tcpdump", "-i", &lab.if_b, "-U", "-nn", "-w",
        ])
        .arg(&pcap)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tcpdump");
    // tcpdump says "listening on" once its capture is armed.
    let stderr = td.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("tcpdump starts listening");
        if line.contains("listening on") {
            break;
        }
    }
    make_traffic(&lab);
    let deadline = Instant::now() + Duration::from_secs(15);
    while !has_marker(&pcap) {
        assert!(
            Instant::now() < deadline,
            "tcpdump did not write the marker"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(td.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .expect("stop tcpdump");
    td.wait().expect("tcpdump exits");
    let n = compare(&pcap);
    // Handshake, request, response, teardown; 5 datagrams; DNS; marker; ICMP replies.
    assert!(n >= 17, "only {n} packets captured");
    let t = text(
        &Command::new(PKTMON)
            .args(["etl2txt", pcap.to_str().unwrap(), "-o", "-"])
            .output()
            .unwrap()
            .stdout,
    );
    assert!(t.contains("Flags [S], seq "), "{t}");
    assert!(t.contains(": HTTP: GET /pktmon HTTP/1.1"), "{t}");
    assert!(t.contains(": HTTP: HTTP/1.1 200 OK"), "{t}");
    assert!(t.contains(".53: 4660+ A? pktmon.example.org. (36)"), "{t}");
    assert!(t.contains("udp port 9999 unreachable"), "{t}");
}

#[test]
fn live_traffic_logged_by_pktmon_keeps_direction_and_component() {
    if require_root("live_traffic_logged_by_pktmon_keeps_direction_and_component").is_err() {
        return;
    }
    let lab = Lab::new();
    let id = lab.component_id(&lab.if_a);
    let log = lab.path("PktMon.etl");
    let out = lab.pktmon(&[
        "start",
        "--capture",
        "--comp",
        &id.to_string(),
        "--pkt-size",
        "0",
        "-f",
        log.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "start: {}", text(&out.stderr));
    make_traffic(&lab);
    let out = lab.pktmon(&["stop"]);
    assert_eq!(out.status.code(), Some(0), "stop: {}", text(&out.stderr));
    // A pcapng named .etl: read by its content.
    let n = compare(&log);
    assert!(n >= 17, "only {n} packets logged");
    let out = Command::new(PKTMON)
        .args(["etl2txt", log.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    let t = text(&out.stdout);
    let a = lab.addr_a;
    let b: Ipv4Addr = lab.addr_b;
    let mut checked = 0;
    let lines: Vec<&str> = t.lines().collect();
    for pair in lines.windows(2) {
        let (record, decode) = (pair[0], pair[1]);
        if !record.contains("PktGroupId") {
            continue;
        }
        assert!(
            record.contains(&format!("Component {id}, Edge 1")),
            "{record}"
        );
        if decode.contains(&format!(" {a}.")) && decode.contains(&format!(" > {b}.")) {
            assert!(record.contains("Direction Tx ,"), "{record}\n{decode}");
            checked += 1;
        } else if decode.contains(&format!(" {b}.")) && decode.contains(&format!(" > {a}.")) {
            assert!(record.contains("Direction Rx ,"), "{record}\n{decode}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "{t}");
}
