//! Every `--json` document and NDJSON stream validates against its schema in docs/schema/:
//! from a live session in a namespace lab (list, filter list, status, counters, counters
//! --live, stop, start -m real-time, etl2txt --stats-only and etl2pcap on its log), and
//! from the Windows sample files in ../shared/data (etl2txt --stats-only, etl2pcap).
#![cfg(target_os = "linux")] // network namespaces, the unix session

mod common;

use common::{Lab, PKTMON, require_root, text};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The `$id` prefix of our schemas: a name, never fetched; the files are docs/schema/.
const SCHEMA_BASE: &str = "https://pktmon.example/schema/";

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema")
}

/// Resolves `$ref`s between our schema files from disk (and nothing else).
struct SchemaFiles;

impl jsonschema::Retrieve for SchemaFiles {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri
            .as_str()
            .strip_prefix(SCHEMA_BASE)
            .ok_or_else(|| format!("not one of ours: {uri}"))?;
        let bytes = std::fs::read(schema_dir().join(name))?;
        Ok(serde_json::from_slice(&bytes)?)
    }
}

fn validator(name: &str) -> jsonschema::Validator {
    let path = schema_dir().join(format!("{name}.schema.json"));
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).expect("read schema"))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    jsonschema::options()
        .with_retriever(SchemaFiles)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Fails with every violation when `doc` does not match schema `name`.
fn check(name: &str, doc: &Value) {
    let v = validator(name);
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name}: {} violations:\n{}\nin {doc:#}",
        errors.len(),
        errors.join("\n")
    );
}

/// stdout of a command that must exit with `code`, as JSON, checked against `schema`.
fn checked(out: std::process::Output, code: i32, schema: &str) -> Value {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{schema}: {}",
        text(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{schema}: {e}: {}", text(&out.stdout)));
    check(schema, &doc);
    doc
}

#[test]
fn every_schema_compiles_and_refuses_what_it_should() {
    for entry in std::fs::read_dir(schema_dir()).expect("docs/schema") {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let name = name.strip_suffix(".schema.json").expect("*.schema.json");
        validator(name);
    }
    // The rules bite: a snake_case field, a missing Version, a MAC as bytes.
    let v = validator("etl2pcap");
    let good = serde_json::json!({"Version": 1, "LogFile": "a", "OutputFile": "b",
        "PacketsTotal": 1, "PacketDropCount": 0, "PacketsWritten": 1});
    assert!(v.is_valid(&good));
    let mut snake = good.clone();
    snake["packets_total"] = 1.into();
    assert!(!v.is_valid(&snake));
    let mut unversioned = good.clone();
    unversioned.as_object_mut().unwrap().remove("Version");
    assert!(!v.is_valid(&unversioned));
    let filters = validator("filter-list");
    let f = serde_json::json!([{"Version": 1, "Id": 1, "Name": "x", "MacAddress": [[2, 0, 0, 0, 0, 1]],
        "VlanId": null, "EtherType": null, "Protocol": null, "TcpFlags": [], "IpAddress": [],
        "Port": [], "Heartbeat": false, "Encapsulation": false, "VxlanPort": null}]);
    assert!(!filters.is_valid(&f));
}

/// Reads lines of a child's stdout on a thread, so that waits stay bounded.
fn lines_of(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// `pktmon <args>` in namespace a of the lab, stdout piped, running on.
fn spawn(lab: &Lab, args: &[&str]) -> Child {
    Command::new("ip")
        .args(["netns", "exec", &lab.ns_a, PKTMON])
        .args(args)
        .env("PKTMON_STATE_DIR", lab.state.path())
        .env(common::LAB_PATH_SOURCE.0, common::LAB_PATH_SOURCE.1)
        .current_dir(lab.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn pktmon")
}

/// Waits (bounded) for the child to end; kills it when it does not.
fn wait_end(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(s) = child.try_wait().expect("wait") {
            return s.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("pktmon did not end within {limit:?}");
}

#[test]
fn live_session_outputs_match_their_schemas() {
    if require_root("live_session_outputs_match_their_schemas").is_err() {
        return;
    }
    let lab = Lab::new();
    let _a = lab.bind_udp(&lab.ns_a, 41101);

    // list, with a namespace's components (MACs as strings).
    let list = checked(lab.pktmon(&["list", "--json"]), 0, "list");
    assert!(list.to_string().contains(&lab.if_a), "{list}");

    // filter list: none, then one with every kind of condition.
    assert_eq!(
        checked(lab.pktmon(&["filter", "list", "--json"]), 0, "filter-list"),
        Value::Array(vec![])
    );
    let mac = lab.mac_b.map(|b| format!("{b:02X}")).join("-");
    let out = lab.pktmon(&[
        "filter",
        "add",
        "F",
        "-m",
        &mac,
        "-i",
        "10.77.0.0/16",
        "-t",
        "TCP",
        "SYN",
        "-p",
        "80",
        "-e",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let filters = checked(lab.pktmon(&["filter", "list", "--json"]), 0, "filter-list");
    assert_eq!(filters[0]["MacAddress"][0], mac.as_str());
    assert_eq!(lab.pktmon(&["filter", "remove"]).status.code(), Some(0));

    // status before any session.
    checked(lab.pktmon(&["status", "--json"]), 3, "status");

    // A logging session: status, counters, counters --live, stop.
    let log = lab.path("s.etl");
    lab.start_capture(&log, &["--comp", "nics"]);
    let mut live = spawn(
        &lab,
        &["counters", "--live", "--json", "--refresh-rate", "20"],
    );
    let live_lines = lines_of(&mut live);
    const SENT: u64 = 12;
    lab.send_udp(&lab.ns_b, lab.addr_a, 41101, SENT as usize, 64);
    let status = lab.wait_logged(SENT, Duration::from_secs(10));
    check("status", &status);
    let counters = checked(lab.pktmon(&["counters", "--json"]), 0, "counters");
    assert!(counters.to_string().contains(&lab.if_a), "{counters}");
    // The live stream has lines before the stop, each one a whole object.
    let first = live_lines
        .recv_timeout(Duration::from_secs(10))
        .expect("a first live line");
    check(
        "counters-live",
        &serde_json::from_str(&first).expect("one object per line"),
    );
    let stopped = checked(lab.pktmon(&["stop", "--json"]), 0, "stop");
    assert_eq!(stopped["Session"]["PacketsLogged"], SENT);
    let deadline = Instant::now() + Duration::from_secs(10);
    let last = loop {
        let line = live_lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the live stream ends with a Stopped line");
        let doc: Value = serde_json::from_str(&line).expect("one object per line");
        check("counters-live", &doc);
        if doc["Stopped"] == true {
            break doc;
        }
    };
    assert!(last.to_string().contains(&lab.if_a));
    assert_eq!(wait_end(&mut live, Duration::from_secs(10)), Some(0));

    // The log's statistics and conversion.
    let log_s = log.to_str().unwrap();
    let stats = checked(
        lab.pktmon(&["etl2txt", log_s, "--stats-only", "--json"]),
        0,
        "etl2txt-stats",
    );
    assert_eq!(stats["PacketsTotal"], SENT);
    let pcap = checked(
        lab.pktmon(&[
            "etl2pcap",
            log_s,
            "--json",
            "-o",
            lab.path("s.pcapng").to_str().unwrap(),
        ]),
        0,
        "etl2pcap",
    );
    assert_eq!(pcap["PacketsWritten"], SENT);

    // real-time --json: one record per line while the session runs.
    let mut rt = spawn(
        &lab,
        &["start", "-c", "--comp", "nics", "-m", "real-time", "--json"],
    );
    let rt_lines = lines_of(&mut rt);
    let deadline = Instant::now() + Duration::from_secs(10);
    while lab.status_json().1 != 0 {
        assert!(Instant::now() < deadline, "the real-time session never ran");
        std::thread::sleep(Duration::from_millis(20));
    }
    lab.send_udp(&lab.ns_b, lab.addr_a, 41101, 3, 64);
    for _ in 0..3 {
        let line = rt_lines
            .recv_timeout(Duration::from_secs(10))
            .expect("a record line");
        let rec: Value = serde_json::from_str(&line).expect("one object per line");
        check("realtime-record", &rec);
        assert_eq!(rec["OriginalSize"], 14 + 20 + 8 + 64, "{rec}");
    }
    lab.stop_capture();
    assert_eq!(wait_end(&mut rt, Duration::from_secs(10)), Some(0));
}

#[test]
fn sample_file_outputs_match_their_schemas() {
    let Some(dir) = pktmon::testdata::shared_etl_dir("sample_file_outputs_match_their_schemas")
    else {
        return;
    };
    let out_dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "etl" || x == "pcapng"))
        .collect();
    files.push(dir.join("../tcpdump-tests/802.1ad_QinQ.pcap"));
    files.sort();
    let mut with_packets = 0;
    for f in &files {
        let f = f.to_str().unwrap();
        let run = |args: &[&str]| {
            Command::new(PKTMON)
                .args(args)
                .output()
                .expect("run pktmon")
        };
        let stats = run(&["etl2txt", f, "--stats-only", "--json"]);
        if stats.status.code() != Some(0) {
            // Files that are no pktmon log (generic ETW traces) are refused with a message.
            assert!(stats.stdout.is_empty() && !stats.stderr.is_empty(), "{f}");
            continue;
        }
        let doc: Value =
            serde_json::from_slice(&stats.stdout).unwrap_or_else(|e| panic!("{f}: {e}"));
        check("etl2txt-stats", &doc);
        if doc["PacketsTotal"].as_u64() > Some(0) {
            with_packets += 1;
        }
        let out = out_dir.path().join("x.pcapng");
        let conv = run(&["etl2pcap", f, "--json", "-o", out.to_str().unwrap()]);
        let doc = checked(conv, 0, "etl2pcap");
        assert_eq!(doc["PacketsTotal"], doc_total(&stats.stdout), "{f}");
    }
    assert!(
        with_packets >= 3,
        "only {with_packets} sample files had packets"
    );
}

fn doc_total(stats: &[u8]) -> Value {
    serde_json::from_slice::<Value>(stats).unwrap()["PacketsTotal"].clone()
}
