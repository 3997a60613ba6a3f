//! Metrics of a live session (needs root): `counters --format prometheus` and the
//! session's `--metrics` endpoint pass Debian's `promtool check metrics`; a real
//! Prometheus server, started here in the lab's namespace, scrapes the session (it asks
//! for OpenMetrics first) and answers a query with the packet count we sent.
#![cfg(target_os = "linux")] // network namespaces, the unix session

mod common;

use common::{Lab, require_root, text};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `f` on a thread that entered namespace `ns` (the session and Prometheus listen
/// on that namespace's loopback).
fn in_netns<T: Send + 'static>(ns: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let ns = ns.to_string();
    std::thread::spawn(move || {
        let file = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
        nix::sched::setns(file, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        f()
    })
    .join()
    .expect("netns thread")
}

/// One HTTP GET in namespace `ns`: (status line, headers, body); None when nobody answers.
fn http_get(ns: &str, addr: &str, target: &str, accept: &str) -> Option<(String, String, String)> {
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    );
    let addr = addr.to_string();
    in_netns(ns, move || {
        let mut s = TcpStream::connect(&addr).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        s.write_all(request.as_bytes()).ok()?;
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).ok()?;
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = raw.split_once("\r\n\r\n")?;
        let (status, headers) = head.split_once("\r\n").unwrap_or((head, ""));
        Some((status.to_string(), headers.to_string(), body.to_string()))
    })
}

/// `promtool check metrics` on `text`: its complaints (empty when clean).
fn promtool_check(text_in: &str) -> String {
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian package prometheus, scripts/deps.sh)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text_in.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success() || !said.is_empty(),
        "promtool failed silently"
    );
    if out.status.success() {
        String::new()
    } else {
        said
    }
}

/// A process killed and reaped when the test ends, also when it fails.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The session's metrics address, from `status --json`.
fn metrics_address(lab: &Lab) -> String {
    let (v, code) = lab.status_json();
    assert_eq!(code, 0, "{v}");
    v["Session"]["Info"]["MetricsAddress"]
        .as_str()
        .unwrap_or_else(|| panic!("no MetricsAddress: {v}"))
        .to_string()
}

#[test]
fn metrics_pass_promtool_and_prometheus_scrapes_the_packet_count() {
    if require_root("metrics_pass_promtool_and_prometheus_scrapes_the_packet_count").is_err() {
        return;
    }
    let lab = Lab::new();
    let _a = lab.bind_udp(&lab.ns_a, 41201);
    // A bad address is refused before anything starts.
    let bad = lab.pktmon(&["start", "-c", "--counters-only", "--metrics", "nowhere"]);
    assert_eq!(bad.status.code(), Some(87), "{}", text(&bad.stderr));
    let out = lab.pktmon(&[
        "start",
        "-c",
        "--counters-only",
        "--comp",
        "nics",
        "--metrics",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let addr = metrics_address(&lab);
    assert!(
        addr.starts_with("127.0.0.1:"),
        "loopback unless told: {addr}"
    );
    assert!(text(&out.stdout).contains(&format!("http://{addr}/metrics")));

    const SENT: u64 = 17;
    lab.send_udp(&lab.ns_b, lab.addr_a, 41201, SENT as usize, 50);
    let want = format!(
        "pktmon_packets_total{{component=\"{}\",name=\"{}\",direction=\"rx\"}} {SENT}\n",
        lab.component_id(&lab.if_a),
        lab.if_a
    );

    // Printed once, in both formats; the 0.0.4 one is what promtool reads.
    let printed = lab.pktmon(&["counters", "--format", "prometheus"]);
    assert_eq!(printed.status.code(), Some(0), "{}", text(&printed.stderr));
    let printed = text(&printed.stdout);
    assert!(printed.contains(&want), "{want} not in:\n{printed}");
    assert_eq!(promtool_check(&printed), "", "{printed}");
    let om = text(&lab.pktmon(&["counters", "--format", "openmetrics"]).stdout);
    assert!(
        om.ends_with("# EOF\n") && om.contains("# TYPE pktmon_packets counter\n"),
        "{om}"
    );
    assert!(om.contains(&want), "{om}");

    // Served: by Accept header.
    let (status, headers, body) =
        http_get(&lab.ns_a, &addr, "/metrics", "text/plain").expect("the endpoint answers");
    assert!(status.contains("200"), "{status}");
    assert!(headers.contains("text/plain; version=0.0.4"), "{headers}");
    assert!(body.contains(&want), "{body}");
    assert_eq!(promtool_check(&body), "", "{body}");
    let (_, headers, body) = http_get(
        &lab.ns_a,
        &addr,
        "/metrics",
        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5",
    )
    .expect("the endpoint answers");
    assert!(
        headers.contains("application/openmetrics-text"),
        "{headers}"
    );
    assert!(body.ends_with("# EOF\n"), "{body}");
    let (status, ..) = http_get(&lab.ns_a, &addr, "/nothing", "*/*").unwrap();
    assert!(status.contains("404"), "{status}");

    // A real Prometheus in the lab's namespace scrapes the session every second.
    let config = lab.path("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n\
             scrape_configs:\n  - job_name: pktmon\n    static_configs:\n      - targets: ['{addr}']\n"
        ),
    )
    .unwrap();
    let storage = lab.path("tsdb");
    let web = "127.0.0.1:19090";
    let log = std::fs::File::create(lab.path("prometheus.log")).unwrap();
    let _prometheus = Killed(
        Command::new("ip")
            .args(["netns", "exec", &lab.ns_a, "prometheus"])
            .arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", storage.display()))
            .arg(format!("--web.listen-address={web}"))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("prometheus (Debian package, scripts/deps.sh)"),
    );
    let query = format!(
        "/api/v1/query?query={}",
        percent_encode(&format!(
            "pktmon_packets_total{{name=\"{}\",direction=\"rx\"}}",
            lab.if_a
        ))
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    let value = loop {
        let answer = http_get(&lab.ns_a, web, &query, "application/json");
        let got = answer.as_ref().and_then(|(_, _, body)| {
            let v: serde_json::Value = serde_json::from_str(body).ok()?;
            v["data"]["result"][0]["value"][1]
                .as_str()
                .map(String::from)
        });
        if let Some(v) = got {
            break v;
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus never had the count: {answer:?}\nits log:\n{}",
            std::fs::read_to_string(lab.path("prometheus.log")).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(value, SENT.to_string());
    // The scrape went through the OpenMetrics parser (Prometheus asks for it first) and
    // the target is healthy.
    let (_, _, body) = http_get(&lab.ns_a, web, "/api/v1/targets", "application/json").unwrap();
    assert!(body.contains("\"health\":\"up\""), "{body}");
    lab.stop_capture();
}

#[test]
fn hop_latency_is_a_summary_promtool_accepts() {
    if require_root("hop_latency_is_a_summary_promtool_accepts").is_err() {
        return;
    }
    let lab = Lab::new();
    let _a = lab.bind_udp(&lab.ns_a, 41202);
    // Kernel tracepoints follow each packet from if_b (ns b) to if_a (ns a): one hop.
    let bpf = [("PKTMON_PATH_SOURCE", "bpf")];
    let comp = format!("{},{}", lab.ns_a, lab.ns_b);
    let out = lab.pktmon_env(&["start", "-c", "--counters-only", "--comp", &comp], &bpf);
    // As tests/packet_path.rs, the kernel path source is expected where root tests run.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("tracepoints"),
        "{}",
        text(&out.stdout)
    );
    lab.send_udp(&lab.ns_b, lab.addr_a, 41202, 20, 50);
    let deadline = Instant::now() + Duration::from_secs(10);
    let printed = loop {
        let out = lab.pktmon_env(&["counters", "--format", "prometheus"], &bpf);
        let printed = text(&out.stdout);
        if printed.contains("pktmon_hop_latency_seconds_count{") {
            break printed;
        }
        assert!(Instant::now() < deadline, "no hop after 10 s:\n{printed}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let hop = format!("to_name=\"{}\"", lab.if_a);
    assert!(
        printed
            .lines()
            .any(|l| l.starts_with("pktmon_hop_latency_seconds{")
                && l.contains(&hop)
                && l.contains("quantile=\"0.99\"")),
        "{printed}"
    );
    assert_eq!(promtool_check(&printed), "", "{printed}");
    lab.stop_capture();
}
