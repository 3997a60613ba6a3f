//! The decoder against its oracle: every capture of tcpdump's own test suite
//! (`../shared/data/tcpdump-tests/`) through the installed `tcpdump -nn -S -e -r` and our
//! `pktmon etl2txt -t`, packet by packet. Prints the share of packet lines we print
//! identically and the protocols losing the most lines, and fails when the share falls
//! below [`RATCHET`] (raised as the decoder learns), when pktmon panics, or when it reads a
//! different number of packets than tcpdump (outside [`COUNT_EXCEPTIONS`]).
//!
//! Comparing: tcpdump's continuation lines are joined to their packet line, our TAB decode
//! lines (one per encapsulation layer) are joined likewise; at a join, an optional `:` and
//! the white space around it read as `: ` (tcpdump breaks the line after VXLAN, Geneve and
//! similar headers where we start a layer). Timestamps are cut off, runs of white space
//! become one space, and our MAC spelling `AA-BB-..` becomes tcpdump's `aa:bb:..`.
//! `PKTMON_CONFORMANCE_DIFF=<file>` writes every differing line pair there;
//! `PKTMON_CONFORMANCE_ALL=1` prints the share of every protocol.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::Regex;

const PKTMON: &str = env!("CARGO_BIN_EXE_pktmon");

/// The lowest share (per mille) of tcpdump's packet lines we must print identically.
/// Raise it whenever the decoder gains; never lower it.
const RATCHET: u32 = 997;

/// Captures where our packet count may differ from tcpdump's, and why.
const COUNT_EXCEPTIONS: &[(&str, &str)] = &[];

/// Marks a join point (a tcpdump continuation line, our next decode line).
const JOIN: char = '\u{1}';

struct Canon {
    join: Regex,
    mac: Regex,
    space: Regex,
    stamp: Regex,
}

impl Canon {
    fn new() -> Canon {
        Canon {
            join: Regex::new(&format!(r":?\s*{JOIN}\s*")).unwrap(),
            mac: Regex::new(r"\b([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})-([0-9A-F]{2})\b").unwrap(),
            space: Regex::new(r"\s+").unwrap(),
            // tcpdump prints `[Error converting time]` for a time past its range.
            stamp: Regex::new(r"^(\d{2}:\d{2}:\d{2}\.\d+|\[Error converting time\]) ").unwrap(),
        }
    }

    fn text(&self, joined: &str, ours: bool) -> String {
        let s = self.join.replace_all(joined, ": ");
        let s = if ours {
            self.mac.replace_all(&s, |c: &regex::Captures<'_>| {
                (1..=6)
                    .map(|i| c[i].to_ascii_lowercase())
                    .collect::<Vec<_>>()
                    .join(":")
            })
        } else {
            s
        };
        self.space.replace_all(s.trim(), " ").into_owned()
    }

    /// tcpdump's packets: a line starting with a timestamp opens one, the lines after it
    /// continue it.
    fn tcpdump_packets(&self, out: &str) -> Vec<String> {
        let mut packets: Vec<String> = Vec::new();
        for line in out.lines() {
            if let Some(m) = self.stamp.find(line) {
                packets.push(line[m.end()..].to_string());
            } else if line.starts_with("[Invalid header:") {
                // A record header libpcap read but tcpdump refused (no bytes): a packet.
                packets.push(line.to_string());
            } else if let Some(last) = packets.last_mut() {
                last.push(JOIN);
                last.push_str(line);
            }
        }
        packets.iter().map(|p| self.text(p, false)).collect()
    }

    /// Our packets: a record line (timestamp prefix) opens one, its TAB lines decode it.
    fn our_packets(&self, out: &str) -> Vec<String> {
        let mut packets: Vec<Option<String>> = Vec::new();
        for line in out.lines() {
            if let Some(decode) = line.strip_prefix('\t') {
                if let Some(last) = packets.last_mut() {
                    match last {
                        Some(p) => {
                            p.push(JOIN);
                            p.push_str(decode);
                        }
                        None => *last = Some(decode.to_string()),
                    }
                }
            } else if self.stamp.is_match(line) {
                packets.push(None);
            }
        }
        packets
            .into_iter()
            .map(|p| self.text(&p.unwrap_or_default(), true))
            .collect()
    }
}

/// The protocol a tcpdump packet line is about: the first word after the last address
/// pair (`a > b: `), TCP's application when it names one, else the ethertype or the
/// link layer's first word.
fn protocol_of(line: &str) -> String {
    let word = |s: &str| -> String {
        s.split([' ', ',', ':', '(', '['])
            .find(|w| !w.is_empty())
            .unwrap_or("?")
            .to_string()
    };
    if let Some(at) = line.rfind(" > ") {
        // An address pair ends at its `: `; a MAC pair goes on with `, ethertype`.
        if let Some(colon) = line[at..]
            .find(": ")
            .filter(|&c| !line[at..at + c].contains(", "))
        {
            let rest = &line[at + colon + 2..];
            if rest.starts_with("Flags [") {
                return match rest.find(", length ").and_then(|l| {
                    let tail = &rest[l + 9..];
                    tail.find(": ").map(|c| word(&tail[c + 2..]))
                }) {
                    Some(app) => format!("TCP {app}"),
                    None => "TCP".to_string(),
                };
            }
            if rest.starts_with("UDP,") {
                return "UDP".to_string();
            }
            // DNS opens with the query id.
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return "DNS".to_string();
            }
            return word(rest);
        }
    }
    if let Some(at) = line.find("ethertype ") {
        return word(&line[at + 10..]);
    }
    format!("link {}", word(line))
}

struct Capture {
    name: String,
    tcpdump: Vec<String>,
    ours: Vec<String>,
    problem: Option<String>,
}

fn run_capture(canon: &Canon, path: &Path) -> Capture {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let td = Command::new("tcpdump")
        .args(["-nn", "-S", "-e", "-r"])
        .arg(path)
        .env("TZ", "UTC")
        .output()
        .expect("run tcpdump");
    let ours = Command::new(PKTMON)
        .args(["etl2txt", "-t", "-o", "-"])
        .arg(path)
        .env("TZ", "UTC")
        .output()
        .expect("run pktmon");
    let tcpdump = canon.tcpdump_packets(&String::from_utf8_lossy(&td.stdout));
    let mine = canon.our_packets(&String::from_utf8_lossy(&ours.stdout));
    let stderr = String::from_utf8_lossy(&ours.stderr);
    let problem = if stderr.contains("panicked") || ours.status.code() == Some(101) {
        Some(format!("pktmon panicked: {}", stderr.trim()))
    } else if mine.len() != tcpdump.len() && !COUNT_EXCEPTIONS.iter().any(|(n, _)| *n == name) {
        Some(format!(
            "{} packets, tcpdump {} (pktmon: {}; tcpdump: {})",
            mine.len(),
            tcpdump.len(),
            stderr.lines().last().unwrap_or("").trim(),
            String::from_utf8_lossy(&td.stderr)
                .lines()
                .last()
                .unwrap_or("")
                .trim()
        ))
    } else {
        None
    };
    Capture {
        name,
        tcpdump,
        ours: mine,
        problem,
    }
}

#[test]
fn tcpdump_test_captures_print_as_tcpdump_prints_them() {
    let Some(dir) = pktmon::testdata::shared_tcpdump_tests_dir(
        "tcpdump_test_captures_print_as_tcpdump_prints_them",
    ) else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read the capture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no captures in {}", dir.display());

    // Two processes per capture: threads keep both cores busy.
    let canon = Canon::new();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Capture>> = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let c = run_capture(&canon, path);
                    results.lock().unwrap().push(c);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by(|a, b| a.name.cmp(&b.name));

    let mut total = 0usize;
    let mut same = 0usize;
    // protocol → (lines, identical, an example capture and line pair)
    let mut by_protocol: HashMap<String, (usize, usize, String)> = HashMap::new();
    let mut problems = Vec::new();
    // Every differing pair, for whoever works on the decoder.
    let mut dump = String::new();
    for c in &results {
        if let Some(p) = &c.problem {
            problems.push(format!("{}: {p}", c.name));
        }
        for (i, want) in c.tcpdump.iter().enumerate() {
            let got = c.ours.get(i).map(String::as_str).unwrap_or("");
            let ok = got == want;
            if !ok {
                dump.push_str(&format!("{} #{}\n< {want}\n> {got}\n", c.name, i + 1));
            }
            total += 1;
            same += usize::from(ok);
            // A link type we do not decode loses all its lines, whatever they carry.
            let protocol = match got.strip_prefix("unsupported link type ") {
                Some(rest) => format!("link type {}", rest.split(',').next().unwrap_or("")),
                None => protocol_of(want),
            };
            let e = by_protocol.entry(protocol).or_insert((0, 0, String::new()));
            e.0 += 1;
            e.1 += usize::from(ok);
            if !ok && e.2.is_empty() {
                e.2 = format!(
                    "{} #{}\n      tcpdump: {want}\n      pktmon:  {got}",
                    c.name,
                    i + 1
                );
            }
        }
    }
    let share = (same * 1000).checked_div(total).unwrap_or(0);
    eprintln!(
        "tcpdump conformance: {same} of {total} packet lines identical ({}.{}%) over {} captures",
        share / 10,
        share % 10,
        results.len()
    );
    let mut losing: Vec<_> = by_protocol.iter().collect();
    losing.sort_by_key(|(name, (n, ok, _))| (std::cmp::Reverse(n - ok), (*name).clone()));
    eprintln!("protocols losing the most lines (lost/lines):");
    for (name, (n, ok, example)) in losing.iter().take(10) {
        eprintln!("  {name}: {}/{n}\n    e.g. {example}", n - ok);
    }
    if std::env::var("PKTMON_CONFORMANCE_ALL").as_deref() == Ok("1") {
        let mut all: Vec<_> = by_protocol.iter().collect();
        all.sort_by_key(|(name, _)| (*name).clone());
        for (name, (n, ok, _)) in all {
            eprintln!("  share {name}: {ok}/{n}");
        }
    }
    if let Ok(path) = std::env::var("PKTMON_CONFORMANCE_DIFF") {
        std::fs::write(&path, &dump).expect("write the differences");
    }
    assert!(
        problems.is_empty(),
        "{} captures read differently from tcpdump:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        share as u32 >= RATCHET,
        "identical share {share}‰ fell below the ratchet {RATCHET}‰"
    );
}

#[test]
fn lines_compare_across_join_points_and_spellings() {
    let c = Canon::new();
    let td = c.tcpdump_packets(
        "10:00:00.000001 aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, VXLAN, vni 1\n    02:00:00:00:00:01 > x\n10:00:00.2 b",
    );
    let ours = c.our_packets(
        "10:00:00.000001000 PktGroupId 1\n\tAA-BB-CC-DD-EE-FF > 11-22-33-44-55-66, VXLAN, vni 1\n\t02-00-00-00-00-01 >   x\n10:00:00.2 PktGroupId 2\n\tb\n",
    );
    assert_eq!(td, ours);
    assert_eq!(td.len(), 2);
    assert_eq!(
        td[0],
        "aa:bb:cc:dd:ee:ff > 11:22:33:44:55:66, VXLAN, vni 1: 02:00:00:00:00:01 > x"
    );
    assert_ne!(c.our_packets("1:00:00.1 x\n\tc\n"), td);
    assert_eq!(
        protocol_of("a > b, ethertype ARP (0x0806), length 42: x"),
        "ARP"
    );
    assert_eq!(protocol_of("1.1.1.1.5 > 2.2.2.2.53: 1+ A? x. (2)"), "DNS");
    assert_eq!(
        protocol_of("1.1.1.1.5 > 2.2.2.2.80: Flags [P.], seq 1:2, length 1: HTTP"),
        "TCP HTTP"
    );
}
