//! etl2txt / etl2pcap / hex2pkt against real peers: tcpdump decodes the same files (fields
//! compared, not lines), tshark reads what etl2pcap writes, and Windows pktmon's own text
//! shows the exact line forms.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::corpus as frames;
use common::fields::{Facts, facts, pktmon_packets, tcpdump_packets};
use pktmon::source::{FileSource, RecordSource};
use std::path::Path;
use std::process::{Command, Output};

fn pktmon(args: &[&str]) -> Output {
    Command::new(common::PKTMON)
        .args(args)
        .output()
        .expect("run pktmon")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// pktmon's text for `file` on stdout; asserts success.
/// Runs `pktmon <command> <input> -o <output> <extra>...` and checks that it succeeded.
fn convert(command: &str, input: &Path, output: &Path, extra: &[&str]) -> Output {
    let head = [
        command,
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ];
    let out = pktmon(&[&head[..], extra].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    out
}

fn etl2txt(file: &Path, extra: &[&str]) -> String {
    let mut args = vec!["etl2txt", file.to_str().unwrap(), "-o", "-"];
    args.extend_from_slice(extra);
    let out = pktmon(&args);
    assert!(out.status.success(), "etl2txt failed: {}", stderr(&out));
    stdout(&out)
}

/// Frames where pktmon deliberately prints less than tcpdump 4.99 (as Windows pktmon
/// does): only addresses and the frame length are compared.
const LESS_THAN_TCPDUMP: &[&str] = &["lldp", "igmp-unknown-proto"];

/// Compares every packet of `file` between pktmon and tcpdump; returns how many agreed.
fn compare_with_tcpdump(file: &Path, names: &[&str]) -> usize {
    let ours = pktmon_packets(&etl2txt(file, &[]));
    let theirs = tcpdump_packets(file);
    assert_eq!(
        ours.len(),
        theirs.len(),
        "packet count differs from tcpdump"
    );
    assert_eq!(ours.len(), names.len());
    let mut agreed = 0;
    let mut problems = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let (a, b) = (facts(&ours[i]), facts(&theirs[i]));
        let same = if LESS_THAN_TCPDUMP.contains(name) {
            a.macs == b.macs && a.pairs == b.pairs && a.lengths.first() == b.lengths.first()
        } else {
            a == b
        };
        if same && a != Facts::default() {
            agreed += 1;
        } else {
            problems.push(format!(
                "{name}:\n  pktmon:  {}\n  tcpdump: {}\n  {a:?}\n  {b:?}",
                ours[i], theirs[i]
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    agreed
}

#[test]
fn every_protocol_agrees_with_tcpdump() {
    let corpus = frames::ethernet_corpus();
    let names: Vec<&str> = corpus.iter().map(|(n, _)| *n).collect();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).collect();
    let dir = tempfile::tempdir().unwrap();
    let pcapng = dir.path().join("all.pcapng");
    frames::write_file(&pcapng, &frames::write_pcapng(&frames, 0, &[4], false));
    assert_eq!(compare_with_tcpdump(&pcapng, &names), names.len());
    let pcap = dir.path().join("all.pcap");
    frames::write_file(&pcap, &frames::write_pcap(&frames, 0));
    assert_eq!(compare_with_tcpdump(&pcap, &names), names.len());
}

#[test]
fn wifi_frames_agree_with_tcpdump() {
    let corpus = frames::wifi_corpus();
    let names: Vec<&str> = corpus.iter().map(|(n, _)| *n).collect();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).collect();
    let dir = tempfile::tempdir().unwrap();
    let pcap = dir.path().join("wifi.pcap");
    frames::write_file(&pcap, &frames::write_pcap_linktype(&frames, 0, 105));
    let ours = pktmon_packets(&etl2txt(&pcap, &[]));
    let theirs = tcpdump_packets(&pcap);
    assert_eq!(ours.len(), theirs.len());
    for (i, name) in names.iter().enumerate() {
        // Every word agrees, MAC case and separators aside.
        let norm = |s: &str| s.to_ascii_lowercase().replace('-', ":");
        assert_eq!(norm(&ours[i]), norm(&theirs[i]), "{name}");
    }
    // Cut at pktmon-like lengths: the same facts.
    for snaplen in [20, 30, 36, 40, 60] {
        let cut = dir.path().join(format!("wifi{snaplen}.pcap"));
        frames::write_file(&cut, &frames::write_pcap_linktype(&frames, snaplen, 105));
        let ours = pktmon_packets(&etl2txt(&cut, &[]));
        let theirs = tcpdump_packets(&cut);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(
                facts(&ours[i]),
                facts(&theirs[i]),
                "{name} cut at {snaplen}:\n  {}\n  {}",
                ours[i],
                theirs[i]
            );
        }
    }
}

#[test]
fn linux_cooked_captures_agree_with_tcpdump_and_give_direction() {
    let dir = tempfile::tempdir().unwrap();
    for linktype in [113u32, 276] {
        let frames: Vec<Vec<u8>> = frames::sll_corpus()
            .into_iter()
            .filter(|(l, _)| *l == linktype)
            .map(|(_, f)| f)
            .collect();
        let pcap = dir.path().join(format!("sll{linktype}.pcap"));
        frames::write_file(&pcap, &frames::write_pcap_linktype(&frames, 0, linktype));
        let text = etl2txt(&pcap, &[]);
        let ours = pktmon_packets(&text);
        let theirs = tcpdump_packets(&pcap);
        assert_eq!(ours.len(), frames.len());
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(facts(a), facts(b), "\n  pktmon:  {a}\n  tcpdump: {b}");
        }
        let dirs: Vec<&str> = text
            .lines()
            .filter_map(|l| l.split("Direction ").nth(1))
            .map(|r| r.split(' ').next().unwrap())
            .collect();
        assert_eq!(&dirs[..2], ["Rx", "Tx"], "{text}");
    }
}

#[test]
fn cut_short_packets_agree_with_tcpdump() {
    // pktmon logs 128 bytes by default; shorter cuts stop inside every header.
    let corpus = frames::ethernet_corpus();
    let names: Vec<&str> = corpus.iter().map(|(n, _)| *n).collect();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).collect();
    let dir = tempfile::tempdir().unwrap();
    for snaplen in [14, 20, 34, 38, 42, 54, 60, 70, 80, 96, 128] {
        let pcap = dir.path().join(format!("cut{snaplen}.pcap"));
        frames::write_file(&pcap, &frames::write_pcap(&frames, snaplen));
        let ours = pktmon_packets(&etl2txt(&pcap, &[]));
        let theirs = tcpdump_packets(&pcap);
        assert_eq!(ours.len(), theirs.len());
        for (i, name) in names.iter().enumerate() {
            let (a, b) = (facts(&ours[i]), facts(&theirs[i]));
            // Addresses, ports, flags and sequence numbers must agree whatever the cut;
            // lengths too, except where the two versions mark a cut header differently.
            assert_eq!(
                (&a.macs, &a.pairs, &a.tcp_flags, &a.seqs, &a.acks),
                (&b.macs, &b.pairs, &b.tcp_flags, &b.seqs, &b.acks),
                "{name} cut at {snaplen}:\n  pktmon:  {}\n  tcpdump: {}",
                ours[i],
                theirs[i]
            );
            // tcpdump 4.99 leaves the frame length out when it cannot read the VLAN
            // tag; 4.9 (and pktmon) print it.
            if !LESS_THAN_TCPDUMP.contains(name) && !b.lengths.is_empty() {
                assert_eq!(
                    a.lengths.first(),
                    b.lengths.first(),
                    "{name} cut at {snaplen}:\n  pktmon:  {}\n  tcpdump: {}",
                    ours[i],
                    theirs[i]
                );
            }
        }
    }
}

/// The lines of Windows pktmon's own text output (UTF-16LE) of the sample capture.
fn windows_sample_lines() -> Vec<String> {
    let path = pktmon::testdata::etl_dir().join("pktmon-win10-19042-a.format.txt");
    common::utf16_lines(&std::fs::read(path).expect("shared sample"))
}

#[test]
fn lines_read_exactly_as_windows_pktmon_prints_them() {
    if pktmon::testdata::shared_etl_dir("lines_read_exactly_as_windows_pktmon_prints_them")
        .is_none()
    {
        return;
    }
    // Frames rebuilt from fields of packets in Windows pktmon's text of a real capture;
    // our decode of each must be one of the TAB lines Windows printed.
    use frames::*;
    let sample = windows_sample_lines();
    let mac1 = [0x54, 0x8c, 0xa0, 0x98, 0x0e, 0x25];
    let mac2 = [0x3c, 0x84, 0x6a, 0x01, 0xea, 0x8b];
    let vpn1 = [0x00, 0xff, 0x3c, 0xda, 0x16, 0x9c];
    let vpn2 = [0x00, 0xff, 0x3d, 0xda, 0x16, 0x9c];
    let a = [192, 168, 0, 111];
    let b = [31, 171, 152, 19];
    let c = [10, 7, 3, 2];
    let d = [91, 108, 23, 100];
    let google = [172, 217, 17, 174];
    let dns_srv = [103, 86, 96, 100];
    // Most of the sample's packets are TCP, UDP or ICMP in IPv4 in Ethernet.
    let ip4_frame = |(sm, dm): ([u8; 6], [u8; 6]), (s, d): ([u8; 4], [u8; 4]), proto, l4: &[u8]| {
        eth(sm, dm, 0x0800, &ipv4(s, d, proto, l4))
    };
    let tcp_frame = |macs,
                     (s, d): ([u8; 4], [u8; 4]),
                     (sp, dp): (u16, u16),
                     (seq, ack): (u32, u32),
                     flags,
                     win,
                     opts: &[u8],
                     pl: &[u8]| {
        let seg = tcp(Addrs::V4(s, d), sp, dp, seq, ack, flags, win, opts, pl);
        ip4_frame(macs, (s, d), 6, &seg)
    };
    let udp_frame = |macs, (s, d): ([u8; 4], [u8; 4]), (sp, dp): (u16, u16), pl: &[u8]| {
        ip4_frame(macs, (s, d), 17, &udp(Addrs::V4(s, d), sp, dp, pl))
    };
    let (m12, m21) = ((mac1, mac2), (mac2, mac1));
    let (v12, v21) = ((vpn1, vpn2), (vpn2, vpn1));
    let dns8 = [8, 8, 8, 8];
    let http_response = [b"HTTP/1.1 200 OK\r\n".as_slice(), &[b'x'; 213]].concat();
    let http_request = [b"POST /api HTTP/1.1\r\n".as_slice(), &[b'y'; 202]].concat();
    let mut cases: Vec<Vec<u8>> = vec![
        tcp_frame(
            m12,
            (a, b),
            (63086, 443),
            (1, 1974835126),
            ACK,
            2042,
            &[],
            &[],
        ),
        tcp_frame(
            v12,
            (c, d),
            (52648, 80),
            (3119698246, 3459562924),
            PSH | ACK,
            1028,
            &[],
            &[0xC3; 40],
        ),
        tcp_frame(
            v21,
            (d, c),
            (80, 52648),
            (3459562924, 3119698287),
            PSH | ACK,
            131,
            &[],
            &http_response,
        ),
        tcp_frame(
            v12,
            (c, d),
            (52650, 80),
            (1900854895, 1801368838),
            PSH | ACK,
            1028,
            &[],
            &http_request,
        ),
        ip4_frame(v12, (c, google), 1, &icmp(8, 0, [0, 1, 0, 10], &[0x61; 32])),
        ip4_frame(v21, (google, c), 1, &icmp(0, 0, [0, 1, 0, 12], &[0x61; 32])),
        udp_frame(
            v12,
            (c, dns_srv),
            (50038, 53),
            &dns_query(23614, 0x0100, "google.com", 1, 1),
        ),
        udp_frame(
            m12,
            (a, dns8),
            (53883, 53),
            &dns_query(4694, 0x0100, "google.com", 1, 1),
        ),
        udp_frame(
            m21,
            (dns8, a),
            (53, 53883),
            &dns_a_response(4694, "google.com", &[[142, 250, 192, 110]]),
        ),
    ];
    // The SYN with options and the UDP / mDNS / DHCPv6 / ARP / IGMP lines need their exact
    // addresses and MACs, taken from the sample line itself.
    let find = |needle: &str| -> String {
        sample
            .iter()
            .find(|l| l.starts_with('\t') && l.contains(needle))
            .unwrap_or_else(|| panic!("sample has a line with {needle}"))
            .clone()
    };
    let mac_of = |s: &str| -> [u8; 6] {
        let v: Vec<u8> = s
            .split('-')
            .map(|h| u8::from_str_radix(h, 16).unwrap())
            .collect();
        v.try_into().unwrap()
    };
    let ip_of = |s: &str| -> [u8; 4] {
        let v: Vec<u8> = s.split('.').map(|x| x.parse().unwrap()).collect();
        v.try_into().unwrap()
    };
    // The source and destination MACs of a sample line's words.
    let macs_of = |w: &[&str]| (mac_of(w[0]), mac_of(w[2].trim_end_matches(',')));
    // SYN: "... > ...: Flags [S], seq N, win 64240, options [mss 1460,nop,wscale 8,nop,nop,sackOK], length 0"
    let syn = find("Flags [S], seq");
    let w: Vec<&str> = syn.trim_start().split(' ').collect();
    let src: Vec<&str> = w[8].rsplitn(2, '.').collect();
    let dst: Vec<&str> = w[10].trim_end_matches(':').rsplitn(2, '.').collect();
    let seq: u32 = w[14].trim_end_matches(',').parse().unwrap();
    let win: u16 = w[16].trim_end_matches(',').parse().unwrap();
    cases.push(tcp_frame(
        macs_of(&w),
        (ip_of(src[1]), ip_of(dst[1])),
        (src[0].parse().unwrap(), dst[0].parse().unwrap()),
        (seq, 0),
        SYN,
        win,
        &[2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2],
        &[],
    ));
    // ARP request
    let arp_line = find("ethertype ARP");
    let w: Vec<&str> = arp_line.trim_start().split(' ').collect();
    let (s_mac, d_mac) = macs_of(&w);
    let (tpa, spa) = (ip_of(w[10]), ip_of(w[12].trim_end_matches(',')));
    cases.push(eth(s_mac, d_mac, 0x0806, &arp(1, s_mac, spa, [0; 6], tpa)));
    // IGMP with router alert: Windows prints the protocol number.
    let igmp_line = find("ip-proto-2 8");
    let w: Vec<&str> = igmp_line.trim_start().split(' ').collect();
    let (s_mac, d_mac) = macs_of(&w);
    let (sa, da) = (ip_of(w[8]), ip_of(w[10].trim_end_matches(':')));
    cases.push(eth(
        s_mac,
        d_mac,
        0x0800,
        &ipv4_full(
            sa,
            da,
            2,
            1,
            0,
            0,
            &[0x94, 4, 0, 0],
            &[0x16, 0, 0, 0, 0, 0, 0, 0],
        ),
    ));

    // The options etl2txt uses for Windows logs.
    let windows = pktmon::packet::TextOptions {
        print: pktmon::packet::PrintOptions {
            windows_wifi_addresses: true,
            windows_dns_truncation: true,
            windows_printers: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut matched = 0;
    let mut missing = Vec::new();
    for frame in &cases {
        let mut out = Vec::new();
        pktmon::packet::render_decode(
            pktmon::record::LinkType::ETHERNET,
            frame,
            frame.len() as u32,
            false,
            &windows,
            &mut Default::default(),
            &mut out,
        );
        let line = String::from_utf8(out).unwrap();
        let line = line.trim_end_matches('\n');
        if sample.iter().any(|l| l == line) {
            matched += 1;
        } else {
            missing.push(line.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "not in Windows' text:\n{}",
        missing.join("\n")
    );
    assert_eq!(matched, cases.len());
}

#[test]
fn record_lines_keep_pktmon_layout_and_metadata_round_trips() {
    let corpus = frames::ethernet_corpus();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).take(10).collect();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("meta.pcapng");
    frames::write_file(&p, &frames::write_pcapng(&frames, 64, &[4, 9], true));
    let text = etl2txt(&p, &["-t"]);
    let records: Vec<&str> = text.lines().filter(|l| l.contains("PktGroupId")).collect();
    assert_eq!(records.len(), 10);
    // Our writer's metadata comes back: direction, group id (CPU 2), components.
    assert!(records[0].ends_with(
        "PktGroupId 562949953421313, PktNumber 1, Appearance 1, Direction Rx , Type Ethernet , Component 4, Edge 1, Filter 0, OriginalSize 54, LoggedSize 54 "
    ), "{}", records[0]);
    assert!(records[1].contains("Direction Tx , Type Ethernet , Component 9, Edge 1"));
    // The fifth record is a drop: pktmon's drop form, decode lines marked too.
    assert!(records[4].contains(
        "Drop: PktGroupId 562949953421317, PktNumber 1, Appearance 1, Direction Rx , Type Ethernet , Component 4, Filter 0, DropReason NO_SOCKET , DropLocation __udp4_lib_rcv+0x7c, OriginalSize 54, LoggedSize 54 "
    ), "{}", records[4]);
    assert!(text.contains("\n\tDrop: 54-8C-A0-98-0E-25 > 3C-84-6A-01-EA-8B"));
    // -t: the short prefix, a time of day with nanoseconds.
    let prefix = records[0].split(' ').next().unwrap();
    assert_eq!(prefix.len(), "HH:MM:SS.nnnnnnnnn".len(), "{prefix}");
    // Default prefix: ETW style with the CPU from the group id.
    let etw = etl2txt(&p, &[]);
    let first = etw.lines().next().unwrap();
    assert!(first.starts_with("[02]0000.0000::2023-11-1"), "{first}");
    assert!(first.contains(" [Microsoft-Windows-PktMon] PktGroupId "));
    // Packets logged at 64 bytes say so.
    assert!(etw.contains("OriginalSize 106, LoggedSize 64 "));
}

#[test]
fn formatting_options() {
    let corpus = frames::ethernet_corpus();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).take(4).collect();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("opts.pcapng");
    frames::write_file(&p, &frames::write_pcapng(&frames, 0, &[1], false));
    // -e: no link layer; tcpdump without -e says "IP".
    let t = etl2txt(&p, &["-e"]);
    assert!(
        t.contains("\tIP 192.168.0.111.63086 > 31.171.152.19.443: Flags [.], ack"),
        "{t}"
    );
    // -b: tcpdump -q.
    let t = etl2txt(&p, &["-b"]);
    assert!(
        t.contains(", IPv4, length 54: 192.168.0.111.63086 > 31.171.152.19.443: tcp 0"),
        "{t}"
    );
    // -v: IP header details and a checked TCP checksum.
    let t = etl2txt(&p, &["-v", "1"]);
    assert!(
        t.contains("(tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto TCP (6), length 40) "),
        "{t}"
    );
    assert!(t.contains("(correct)"), "{t}");
    // -x: hex lines of the logged bytes, tcpdump -x layout.
    let t = etl2txt(&p, &["-x"]);
    assert!(
        t.contains("\n\t0x0000:  3c84 6a01 ea8b 548c a098 0e25 0800 4500\n"),
        "{t}"
    );
    // -m: event metadata in the prefix.
    let t = etl2txt(&p, &["-m"]);
    assert!(t.contains(
        "[Microsoft-Windows-PktMon] (Level Informational, Keywords 0x0000000000000010) PktGroupId"
    ));
    // -l: another VXLAN port.
    let vx = frames::ethernet_corpus()
        .into_iter()
        .find(|(n, _)| *n == "vxlan")
        .unwrap()
        .1;
    let mut moved = vx.clone();
    // A port no printer claims (8472, Linux's old default, is OTV to tcpdump).
    moved[36..38].copy_from_slice(&9999u16.to_be_bytes()); // UDP destination port
    moved[40..42].copy_from_slice(&[0, 0]); // no UDP checksum
    let q = dir.path().join("vx.pcapng");
    frames::write_file(&q, &frames::write_pcapng(&[moved], 0, &[1], false));
    assert!(etl2txt(&q, &[]).contains("UDP, length"));
    let t = etl2txt(&q, &["-l", "9999"]);
    assert!(
        t.contains("VXLAN, flags [I] (0x08), vni 100\n\t02-00-00-00-00-01 > 02-00-00-00-00-02"),
        "{t}"
    );
    // Bad values are pktmon's exit 87.
    assert_eq!(
        pktmon(&["etl2txt", p.to_str().unwrap(), "-v", "4"])
            .status
            .code(),
        Some(87)
    );
    assert_eq!(
        pktmon(&["etl2txt", p.to_str().unwrap(), "--bogus"])
            .status
            .code(),
        Some(87)
    );
}

#[test]
fn output_file_encodings_default_name_and_stats() {
    let corpus = frames::ethernet_corpus();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).take(6).collect();
    let dir = tempfile::tempdir().unwrap();
    // The content decides, not the name: our pcapng called .etl.
    let p = dir.path().join("PktMon.etl");
    frames::write_file(&p, &frames::write_pcapng(&frames, 0, &[1], true));
    let out = pktmon(&["etl2txt", p.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let txt = dir.path().join("PktMon.txt");
    let s = stdout(&out);
    assert!(s.contains("Processing..."), "{s}");
    assert!(s.contains("Packets total:       6\n"), "{s}");
    assert!(s.contains("Packet drop count:   1\n"), "{s}");
    assert!(
        s.contains(&format!("Formatted file:      {}", txt.display())),
        "{s}"
    );
    let utf8 = std::fs::read_to_string(&txt).unwrap();
    assert_eq!(utf8.lines().filter(|l| l.contains("PktGroupId")).count(), 6);
    assert!(!utf8.contains('\r'));
    // --utf16: what Windows writes (BOM, UTF-16LE, CRLF), same text.
    let w = dir.path().join("win.txt");
    convert("etl2txt", &p, &w, &["--utf16"]);
    let bytes = std::fs::read(&w).unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let decoded = String::from_utf16(&units).unwrap();
    assert_eq!(decoded.replace("\r\n", "\n"), utf8);
    assert_eq!(decoded.matches("\r\n").count(), utf8.matches('\n').count());
    // --stats-only writes no file and counts per component.
    let out = pktmon(&["etl2txt", p.to_str().unwrap(), "-s"]);
    let s = stdout(&out);
    assert!(out.status.success());
    assert!(s.contains("Packets total:       6"), "{s}");
    assert!(s.contains("(pcapng)"), "{s}");
    // --tmfpath is accepted and says it does nothing here.
    let out = pktmon(&["etl2txt", p.to_str().unwrap(), "-o", "-", "-p", "C:\\tmf"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("--tmfpath has no effect"));
    // Gen 2 spelling.
    let out = pktmon(&["format", p.to_str().unwrap(), "-o", "-"]);
    assert!(out.status.success());
    assert_eq!(
        stdout(&out)
            .lines()
            .filter(|l| l.contains("PktGroupId"))
            .count(),
        6
    );
}

#[test]
fn unreadable_inputs_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    // An ETL file without Packet Monitor events (a Windows sample, when present).
    if let Some(samples) =
        pktmon::testdata::shared_etl_dir("unreadable_inputs_fail_clearly (ETL part)")
    {
        let etl = samples.join("generic-uncompressed-AMSITrace.etl");
        let out = pktmon(&["etl2txt", etl.to_str().unwrap(), "-o", "-"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("no Packet Monitor events"),
            "{}",
            stderr(&out)
        );
    }
    let junk = dir.path().join("junk.pcapng");
    std::fs::write(&junk, b"hello, this is not a capture").unwrap();
    let out = pktmon(&["etl2txt", junk.to_str().unwrap(), "-o", "-"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a pcap, pcapng or ETL file"),
        "{}",
        stderr(&out)
    );
    let out = pktmon(&["etl2txt", dir.path().join("nope").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("Failed to open"));
    // Converting a file onto itself is refused.
    let p = dir.path().join("x.pcapng");
    frames::write_file(&p, &frames::write_pcapng(&[vec![0u8; 60]], 0, &[1], false));
    let out = pktmon(&["etl2txt", p.to_str().unwrap(), "-o", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(std::fs::metadata(&p).unwrap().len() > 60);
}

/// Block boundaries of a pcapng or record boundaries of a pcap: (start offset, is packet).
fn boundaries(bytes: &[u8], pcapng: bool) -> Vec<(usize, bool)> {
    let mut v = Vec::new();
    if pcapng {
        let mut pos = 0;
        while pos + 8 <= bytes.len() {
            let t = u32::from_le_bytes(bytes[pos..pos + 4].try_into().unwrap());
            let len = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().unwrap()) as usize;
            v.push((pos, t == 6));
            pos += len;
        }
    } else {
        let mut pos = 24;
        while pos + 16 <= bytes.len() {
            let cap = u32::from_le_bytes(bytes[pos + 8..pos + 12].try_into().unwrap()) as usize;
            v.push((pos, true));
            pos += 16 + cap;
        }
    }
    v
}

#[test]
fn cut_files_keep_every_record_before_the_cut_and_name_the_offset() {
    let corpus = frames::ethernet_corpus();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).take(8).collect();
    for pcapng in [true, false] {
        let whole = if pcapng {
            frames::write_pcapng(&frames, 0, &[1], false)
        } else {
            frames::write_pcap(&frames, 0)
        };
        let blocks = boundaries(&whole, pcapng);
        // Every cut point: the records of the blocks wholly before it, then an error
        // naming the start of the block it cut (or a clean end at a boundary).
        for cut in 1..whole.len() {
            let bytes = &whole[..cut];
            let expected = blocks
                .iter()
                .filter(|(start, packet)| {
                    *packet
                        && blocks
                            .iter()
                            .find(|(s, _)| s > start)
                            .map_or(whole.len(), |(s, _)| *s)
                            <= cut
                })
                .count();
            let damaged_at = blocks
                .iter()
                .rev()
                .find(|(s, _)| *s < cut)
                .map(|(s, _)| *s)
                .filter(|s| {
                    blocks
                        .iter()
                        .find(|(n, _)| n > s)
                        .map_or(whole.len(), |(n, _)| *n)
                        > cut
                });
            let mut source = match FileSource::from_reader(bytes) {
                Ok(s) => s,
                Err(e) => {
                    // Only a cut inside the file header may refuse the file outright.
                    assert!(cut < 28, "cut {cut}: {e}");
                    continue;
                }
            };
            let mut got = 0;
            let err = loop {
                match source.next_record() {
                    Ok(Some(_)) => got += 1,
                    Ok(None) => break None,
                    Err(e) => break Some(e),
                }
            };
            assert_eq!(got, expected, "pcapng={pcapng} cut at {cut}");
            match (damaged_at, err) {
                (Some(at), Some(e)) => assert_eq!(e.offset, at as u64, "cut at {cut}: {e}"),
                (None, None) => {}
                (want, got) => {
                    panic!("pcapng={pcapng} cut at {cut}: expected damage at {want:?}, got {got:?}")
                }
            }
        }
        // The command: exit 1, the offset in the message, the records before it written.
        let dir = tempfile::tempdir().unwrap();
        let (start, _) = blocks[blocks.len() - 3];
        let cut = start + 10;
        let p = dir.path().join("cut.cap");
        std::fs::write(&p, &whole[..cut]).unwrap();
        let out = pktmon(&["etl2txt", p.to_str().unwrap(), "-o", "-"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains(&format!("at byte offset {start}")), "{err}");
        let kept = stdout(&out)
            .lines()
            .filter(|l| l.contains("PktGroupId"))
            .count();
        assert_eq!(kept, frames.len() - 3);
        assert!(
            err.contains(&format!("The {kept} packets before it were read")),
            "{err}"
        );
        // etl2pcap keeps them too.
        let o = dir.path().join("cut-out.pcapng");
        let out = pktmon(&["etl2pcap", p.to_str().unwrap(), "-o", o.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let rows = common::tshark_fields(&o, "", &["frame.number"]);
        assert_eq!(rows.len(), kept);
    }
}

#[test]
fn etl2pcap_output_reads_in_tshark_with_the_metadata() {
    let corpus = frames::ethernet_corpus();
    let frames: Vec<Vec<u8>> = corpus.into_iter().map(|(_, f)| f).take(20).collect();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("in.pcapng");
    frames::write_file(&p, &frames::write_pcapng(&frames, 128, &[4, 9], true));
    // Default: drops left out, as Windows does; the §3.8 summary.
    let out_path = dir.path().join("in.pcapng.out");
    let out = convert("etl2pcap", &p, &out_path, &[]);
    let s = stdout(&out);
    assert!(s.starts_with("Processing...\n\nPackets total:       20\nPacket drop count:   4\nPackets formatted:   16\nFormatted file:      "), "{s}");
    let rows = common::tshark_fields(
        &out_path,
        "",
        &["frame.p2p_dir", "frame.packet_id", "frame.interface_name"],
    );
    assert_eq!(rows.len(), 16);
    assert_eq!(rows[0], ["1", "562949953421313", "eth4"]);
    assert_eq!(rows[1], ["0", "562949953421314", "eth9"]);
    // tshark decodes the same packets as the input says.
    let before = common::tshark_fields(&p, "", &["ip.src", "tcp.srcport", "frame.len"]);
    let after = common::tshark_fields(&out_path, "", &["ip.src", "tcp.srcport", "frame.len"]);
    let kept: Vec<_> = before
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 5 != 4)
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(after, kept);
    // --drop-only keeps the drops, with their reason in our metadata.
    let d = dir.path().join("drops.pcapng");
    convert("pcapng", &p, &d, &["-d"]);
    let rows = common::tshark_fields(&d, "", &["frame.comment"]);
    assert_eq!(rows.len(), 4);
    assert!(
        rows.iter().all(|r| r[0].contains("DropReason NO_SOCKET")),
        "{rows:?}"
    );
    let t = etl2txt(&d, &[]);
    assert_eq!(t.matches("Drop: PktGroupId").count(), 4);
    // --component-id keeps one component; unknown values are exit 87.
    let c = dir.path().join("c9.pcapng");
    convert("etl2pcap", &p, &c, &["-c", "9"]);
    let rows = common::tshark_fields(&c, "", &["frame.interface_name"]);
    assert!(
        !rows.is_empty() && rows.iter().all(|r| r[0] == "eth9"),
        "{rows:?}"
    );
    let out = pktmon(&["etl2pcap", p.to_str().unwrap(), "-c", "some"]);
    assert_eq!(out.status.code(), Some(87));
    // nics: our interfaces say "ethernet": all kept.
    let n = dir.path().join("nics.pcapng");
    convert("etl2pcap", &p, &n, &["-c", "nics"]);
    assert_eq!(common::tshark_fields(&n, "", &["frame.number"]).len(), 16);
    // A tcpdump pcap converts too (one interface, defaults).
    let pc = dir.path().join("t.pcap");
    frames::write_file(&pc, &frames::write_pcap(&frames, 0));
    let o = dir.path().join("t.pcapng");
    convert("etl2pcap", &pc, &o, &[]);
    assert_eq!(common::tshark_fields(&o, "", &["frame.number"]).len(), 20);
    assert_eq!(
        pktmon_packets(&etl2txt(&o, &[])),
        pktmon_packets(&etl2txt(&pc, &[]))
    );
}

#[test]
fn hex2pkt_decodes_hex_in_every_spelling() {
    let frame = frames::ethernet_corpus()
        .into_iter()
        .find(|(n, _)| *n == "tcp-syn-opts")
        .unwrap()
        .1;
    let plain: String = frame.iter().map(|b| format!("{b:02x}")).collect();
    let spaced: Vec<String> = frame.iter().map(|b| format!("0x{b:02X}")).collect();
    let colons: Vec<String> = frame.iter().map(|b| format!("{b:02x}")).collect();
    let expect = "54-8C-A0-98-0E-25 > 3C-84-6A-01-EA-8B, ethertype IPv4 (0x0800), length 66: 192.168.0.111.63086 > 31.171.152.19.443: Flags [S], seq 1995496356, win 2042, options [mss 1460,nop,wscale 8,nop,nop,sackOK], length 0\n";
    let out = pktmon(&["hex2pkt", &plain]);
    assert!(out.status.success());
    assert_eq!(stdout(&out), expect);
    let mut args = vec!["hex2pkt"];
    args.extend(spaced.iter().map(String::as_str));
    assert_eq!(stdout(&pktmon(&args)), expect);
    assert_eq!(stdout(&pktmon(&["hex2pkt", &colons.join(":")])), expect);
    assert_eq!(
        stdout(&pktmon(&["hex2pkt", &colons.join("-"), "-t", "ethernet"])),
        expect
    );
    // IP: from the IP header on.
    let out = pktmon(&["hex2pkt", &plain[28..], "--type", "IP"]);
    assert_eq!(
        stdout(&out),
        "ip: 192.168.0.111.63086 > 31.171.152.19.443: Flags [S], seq 1995496356, win 2042, options [mss 1460,nop,wscale 8,nop,nop,sackOK], length 0\n"
    );
    let http: String = b"GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n"
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        stdout(&pktmon(&["hex2pkt", &http, "-t", "HTTP"])),
        "HTTP: GET /index.html HTTP/1.1\n"
    );
    // Garbage is exit 87 with the reason.
    let out = pktmon(&["hex2pkt", "abc"]);
    assert_eq!(out.status.code(), Some(87));
    assert!(stderr(&out).contains("odd number"));
    assert_eq!(
        pktmon(&["hex2pkt", "00", "-t", "SCTP"]).status.code(),
        Some(87)
    );
    assert!(stdout(&pktmon(&["hex2pkt", "help"])).contains("Decode a packet"));
}

/// Windows formats MACs into two rotating buffers and its compiler evaluates printf
/// arguments right to left, so in an 802.11 header the 3rd address it prints repeats the
/// 1st and the 4th the 2nd. We print the real addresses; to compare, apply that.
fn windows_80211_address_quirk(line: &str) -> String {
    let mut macs = 0;
    let mut first_two: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for w in line.split(' ') {
        match w.split_once(':') {
            Some((role, mac))
                if macs < 4
                    && mac.len() == 17
                    && role.chars().all(|c| c.is_ascii_uppercase() || c == '\t') =>
            {
                if macs < 2 {
                    first_two.push(mac.to_string());
                    out.push(w.to_string());
                } else {
                    out.push(format!("{role}:{}", first_two[macs % 2]));
                }
                macs += 1;
            }
            _ => out.push(w.to_string()),
        }
    }
    out.join(" ")
}

#[test]
fn windows_80211_quirk_is_what_the_sample_shows() {
    if pktmon::testdata::shared_etl_dir("windows_80211_quirk_is_what_the_sample_shows").is_none() {
        return;
    }
    // A real pair: Windows' line, and the frame's true addresses as we print them.
    let ours = "\tDA:54-8C-A0-98-0E-25 BSSID:3C-84-6A-01-EA-8B SA:3C-84-6A-01-EA-8B Data IV:3aaaa Pad 0 KeyID 0";
    let windows = "\tDA:54-8C-A0-98-0E-25 BSSID:3C-84-6A-01-EA-8B SA:54-8C-A0-98-0E-25 Data IV:3aaaa Pad 0 KeyID 0";
    assert!(windows_sample_lines().iter().any(|l| l == windows));
    assert_eq!(windows_80211_address_quirk(ours), windows);
    let ethernet = "\t54-8C-A0-98-0E-25 > 3C-84-6A-01-EA-8B, ethertype IPv4 (0x0800), length 54: x";
    assert_eq!(windows_80211_address_quirk(ethernet), ethernet);
}
