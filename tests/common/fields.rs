//! Comparing pktmon's decode with tcpdump's on the same file, by fields (addresses,
//! ports, flags, sequence numbers, lengths), not by whole lines: pktmon words some
//! things the way tcpdump 4.9 did, and our tcpdump is 4.99.
#![allow(dead_code)]

use regex::Regex;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// The facts both printers state about one packet.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Facts {
    pub macs: Vec<String>,
    /// `src > dst` pairs (with `.port` where printed), outermost first.
    pub pairs: Vec<String>,
    pub tcp_flags: Vec<String>,
    pub seqs: Vec<String>,
    pub acks: Vec<String>,
    pub wins: Vec<String>,
    /// Every `length N` in order.
    pub lengths: Vec<u32>,
    /// ICMP / ARP / DNS words that name the message (`echo request`, `who-has ...`).
    pub words: Vec<String>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("regex"))
}

pub fn facts(text: &str) -> Facts {
    static MAC: OnceLock<Regex> = OnceLock::new();
    static PAIR: OnceLock<Regex> = OnceLock::new();
    static FLAGS: OnceLock<Regex> = OnceLock::new();
    static SEQ: OnceLock<Regex> = OnceLock::new();
    static ACK: OnceLock<Regex> = OnceLock::new();
    static WIN: OnceLock<Regex> = OnceLock::new();
    static LEN: OnceLock<Regex> = OnceLock::new();
    static WORDS: OnceLock<Regex> = OnceLock::new();
    let mut f = Facts::default();
    for m in re(&MAC, r"\b([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b").find_iter(text) {
        f.macs
            .push(m.as_str().to_ascii_lowercase().replace('-', ":"));
    }
    // MAC pairs look like IPv6 pairs to the address pattern: take them out first.
    let text = &re(&MAC, r"\b([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\b").replace_all(text, "MAC");
    let addr = r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:]*)(?:\.\d+)?";
    let pair = format!(r"({addr}) > ({addr}):");
    for c in re(&PAIR, &pair).captures_iter(text) {
        f.pairs.push(format!("{} > {}", &c[1], &c[2]));
    }
    for c in re(&FLAGS, r"Flags \[([^\]]*)\]").captures_iter(text) {
        f.tcp_flags.push(c[1].to_string());
    }
    for c in re(&SEQ, r", seq (\d+(?::\d+)?)").captures_iter(text) {
        f.seqs.push(c[1].to_string());
    }
    for c in re(&ACK, r", ack (\d+)").captures_iter(text) {
        f.acks.push(c[1].to_string());
    }
    for c in re(&WIN, r", win (\d+)").captures_iter(text) {
        f.wins.push(c[1].to_string());
    }
    for c in re(&LEN, r"length (\d+)").captures_iter(text) {
        f.lengths.push(c[1].parse().expect("number"));
    }
    for m in re(
        &WORDS,
        r"echo request|echo reply|who-has \S+ tell \S+|\S+ is-at|time exceeded in-transit|udp port \d+ unreachable|\d+\+? A\? \S+|PTR \(Q[MU]\)\? \S+|dhcp6 \w+|neighbor solicitation|VXLAN, flags \[I\] \(0x08\), vni \d+",
    )
    .find_iter(text)
    {
        f.words.push(m.as_str().to_string());
    }
    f
}

/// tcpdump's decode of every packet, continuation lines joined: one string per packet.
pub fn tcpdump_packets(file: &Path) -> Vec<String> {
    let out = Command::new("tcpdump")
        .args(["-nn", "-e", "-S", "-tt", "-r"])
        .arg(file)
        .output()
        .expect("tcpdump is installed");
    assert!(
        out.status.success(),
        "tcpdump failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut packets: Vec<String> = Vec::new();
    for line in text.lines() {
        let starts_packet = line
            .split(' ')
            .next()
            .is_some_and(|t| t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.'));
        if starts_packet {
            let rest = line.split_once(' ').map_or("", |(_, r)| r);
            packets.push(rest.to_string());
        } else if let Some(last) = packets.last_mut() {
            // tcpdump -x style hex lines are not decode.
            if !line.trim_start().starts_with("0x") {
                last.push(' ');
                last.push_str(line.trim());
            }
        }
    }
    packets
}

/// pktmon's decode lines per record from `etl2txt` text: the TAB lines after each
/// record line, joined.
pub fn pktmon_packets(text: &str) -> Vec<String> {
    let mut packets: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(decode) = line.strip_prefix('\t') {
            if decode.starts_with("0x") {
                continue;
            }
            if let Some(last) = packets.last_mut() {
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(decode.strip_prefix("Drop: ").unwrap_or(decode));
            }
        } else if line.contains("PktGroupId ") {
            packets.push(String::new());
        }
    }
    packets
}
