//! The ETL reader on the real Windows files in ../shared/data/etl: event counts (as the data
//! README and the reference text state them), records, the rundown, time order, the
//! non-pktmon samples, and damaged files (truncated at many offsets, corrupted).

// Reads the sample logs by host path; run on the host platforms only.
#![cfg(not(windows))]

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use pktmon::etl::{EtlError, EtlFile, EtlReader, EventKind, looks_like_etl};
use pktmon::record::{Direction, LinkType, RecordKind};

fn path(name: &str) -> PathBuf {
    pktmon::testdata::etl_dir().join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(path(name)).expect("sample file")
}

fn open(name: &str) -> EtlReader {
    let r = EtlFile::open(path(name)).expect("open");
    assert!(r.problems().is_empty(), "{name}: {:?}", r.problems());
    r
}

fn lines(r: &EtlReader) -> Vec<String> {
    r.events()
        .filter_map(|ev| {
            let mut s = String::new();
            ev.write_line(&mut s).then_some(s)
        })
        .collect()
}

/// Events of the PktMon provider by id.
fn pktmon_ids(r: &EtlReader) -> HashMap<u16, usize> {
    let mut m = HashMap::new();
    for ev in r.events().filter(|e| e.is_pktmon()) {
        *m.entry(ev.id()).or_insert(0) += 1;
    }
    m
}

#[test]
fn win10_sample_counts_match_the_data_readme_and_reference_text() {
    if pktmon::testdata::shared_etl_dir(
        "win10_sample_counts_match_the_data_readme_and_reference_text",
    )
    .is_none()
    {
        return;
    }
    let r = open("pktmon-win10-19042-a.etl");
    assert_eq!(r.header().provider_version, 19042);
    assert_eq!(r.header().number_of_processors, 4);
    assert_eq!(r.buffers().count(), 5, "1 header + 4 compressed");
    assert_eq!(r.stats().compressed_buffers, 4);
    let cpus: HashSet<u16> = r.buffers().skip(1).map(|(_, h)| h.processor).collect();
    assert_eq!(cpus.len(), 4);
    // The reference text has 3,651 PktMon lines and 3 system lines.
    let s = r.stats();
    assert_eq!(s.packets, 2705);
    assert_eq!(s.drops, 0);
    assert_eq!(s.packets + s.pktmon_other, 3651);
    assert_eq!(s.system, 3);
    assert!(s.metadata_events > 0);
    let ids = pktmon_ids(&r);
    assert_eq!(ids[&160], 2705);
    assert_eq!(ids[&20], 141, "141 components");

    let mut ethernet = 0;
    let mut wifi = 0;
    let mut truncated = 0;
    for ev in r.events() {
        let Some(rec) = ev.packet_record() else {
            continue;
        };
        match rec.link_type {
            LinkType::ETHERNET => ethernet += 1,
            LinkType::IEEE802_11 => wifi += 1,
            other => panic!("unexpected link type {other:?}"),
        }
        if rec.data.len() < rec.original_len as usize {
            truncated += 1;
            assert_eq!(rec.data.len(), 128, "pktmon's default truncation");
        }
        assert_eq!(rec.kind, RecordKind::Flow);
        assert_ne!(rec.direction, Direction::Unknown);
    }
    assert_eq!((ethernet, wifi, truncated), (1532, 1173, 683));
    let (first, last) = r.time_span().expect("events");
    let secs = (last - first) as f64 / 1e7;
    assert!((15.0..16.5).contains(&secs), "15.7 s, got {secs}");
}

#[test]
fn first_packet_record_has_the_fields_windows_printed() {
    if pktmon::testdata::shared_etl_dir("first_packet_record_has_the_fields_windows_printed")
        .is_none()
    {
        return;
    }
    // Reference line 4: [02]0000.0000::2021-06-03 19:19:55.618793000 (local, UTC+5:30)
    // PktGroupId 562949953421313, PktNumber 1, Appearance 1, Direction Tx, Type Ethernet,
    // Component 84, Edge 1, Filter 0, OriginalSize 54, LoggedSize 54.
    let r = open("pktmon-win10-19042-a.etl");
    let ev = r.events().find(|e| e.packet().is_some()).expect("a packet");
    assert_eq!(ev.cpu, 2);
    let rec = ev.packet_record().unwrap();
    // 2021-06-03 13:49:55.6187930 UTC.
    assert_eq!(rec.timestamp_ns, 1_622_728_195_618_793_000);
    assert_eq!(rec.group_id, 562_949_953_421_313);
    assert_eq!((rec.packet_number, rec.appearance), (1, 1));
    assert_eq!(rec.direction, Direction::Tx);
    assert_eq!((rec.component, rec.edge, rec.filter_id), (84, 1, 0));
    assert_eq!((rec.original_len, rec.data.len()), (54, 54));
    // The decode line says 54-8C-A0-98-0E-25 > 3C-84-6A-01-EA-8B, ethertype IPv4.
    assert_eq!(&rec.data[..6], &[0x3C, 0x84, 0x6A, 0x01, 0xEA, 0x8B]);
    assert_eq!(&rec.data[6..12], &[0x54, 0x8C, 0xA0, 0x98, 0x0E, 0x25]);
    assert_eq!(&rec.data[12..14], &[0x08, 0x00]);
}

#[test]
fn events_come_in_time_order_with_the_header_first() {
    if pktmon::testdata::shared_etl_dir("events_come_in_time_order_with_the_header_first").is_none()
    {
        return;
    }
    for name in [
        "pktmon-win10-19042-a.etl",
        "pktmon-ws2022-20348-xdp.etl",
        "pktmon-win11-22000-nopackets.etl",
        "generic-uncompressed-AMSITrace.etl",
        "generic-uncompressed-lxcore_kernel.etl",
    ] {
        let r = open(name);
        let mut events = r.events();
        let first = events.next().expect("events");
        assert_eq!(first.kind, EventKind::LogfileHeader, "{name}");
        let mut prev = first.filetime;
        for ev in events {
            assert!(ev.filetime >= prev, "{name}: time goes back");
            prev = ev.filetime;
        }
        assert_eq!(r.events().count(), r.event_count(), "{name}");
    }
}

#[test]
fn server_2022_sample_has_its_filter_and_components() {
    if pktmon::testdata::shared_etl_dir("server_2022_sample_has_its_filter_and_components")
        .is_none()
    {
        return;
    }
    let r = open("pktmon-ws2022-20348-xdp.etl");
    assert_eq!(r.header().provider_version, 20348);
    assert_eq!(r.header().number_of_processors, 8);
    assert_eq!(r.stats().packets, 114);
    let rundown = r.rundown();
    assert_eq!(rundown.components.len(), 44);
    assert_eq!(rundown.filters.len(), 1);
    assert_eq!(rundown.filters[0].id, 1);
    for ev in r.events() {
        if let Some(rec) = ev.packet_record() {
            assert_eq!(rec.filter_id, 1);
            assert_eq!(rec.link_type, LinkType::ETHERNET);
        }
    }
    // netvsc.sys and xdp.sys carry the ICMP echo (data README).
    let names: HashSet<&str> = rundown
        .components
        .values()
        .map(|c| c.name.as_str())
        .collect();
    assert!(
        names.contains("netvsc.sys") && names.contains("xdp.sys"),
        "{names:?}"
    );
    let filter_line = lines(&r)
        .into_iter()
        .find(|l| l.contains("] Packet Filter 1, Name "))
        .expect("filter line");
    assert!(filter_line.ends_with(' '), "{filter_line:?}");
}

#[test]
fn win10_rundown_names_components_edges_and_addresses() {
    if pktmon::testdata::shared_etl_dir("win10_rundown_names_components_edges_and_addresses")
        .is_none()
    {
        return;
    }
    let r = open("pktmon-win10-19042-a.etl");
    let c = &r.rundown().components;
    assert_eq!(c.len(), 141);
    // Reference: "Component 84, Type Protocol , Name tcpip.sys, TCPIP".
    let tcpip = &c[&84];
    assert_eq!(
        (
            tcpip.type_name.as_str(),
            tcpip.name.as_str(),
            tcpip.description.as_str()
        ),
        ("Protocol", "tcpip.sys", "TCPIP")
    );
    // "Flow Counters: Component 84, Edge Lower, Edge Id 1, ... Packets In 92, Bytes In
    // 11486, ... Packets Out 46, Bytes Out 6371".
    let e = &tcpip.edges[0];
    assert_eq!((e.id, e.name.as_str()), (1, "Lower"));
    assert_eq!(
        (
            e.counters.packets_in,
            e.counters.bytes_in,
            e.counters.packets_out,
            e.counters.bytes_out
        ),
        (92, 11486, 46, 6371)
    );
    // "Component 1 ... PhysAddress = 0x548CA0980E25", "IfIndex = 17", "NdisMedium = WiFi".
    let wifi = &c[&1];
    assert_eq!(
        wifi.mac.as_deref(),
        Some(&[0x54, 0x8C, 0xA0, 0x98, 0x0E, 0x25][..])
    );
    assert_eq!(wifi.if_index, Some(17));
    assert!(
        wifi.properties
            .iter()
            .any(|p| p.name == "NdisMedium" && p.value == "WiFi")
    );
    // "Component 128, IP Address = 192.168.0.111", "Component 134, IP Address = ::1".
    assert_eq!(
        c[&128].ipv4,
        vec!["192.168.0.111".parse::<std::net::Ipv4Addr>().unwrap()]
    );
    assert_eq!(c[&134].ipv6, vec![std::net::Ipv6Addr::LOCALHOST]);
}

#[test]
fn win11_sample_decompresses_the_buffer_rust_lzxpress_rejects() {
    if pktmon::testdata::shared_etl_dir(
        "win11_sample_decompresses_the_buffer_rust_lzxpress_rejects",
    )
    .is_none()
    {
        return;
    }
    let r = open("pktmon-win11-22000-nopackets.etl");
    assert_eq!(r.header().provider_version, 22000);
    assert_eq!(r.stats().packets, 0);
    assert!(r.has_pktmon_events());
    // The small, highly compressible buffer: 1,512 bytes once decompressed.
    assert!(
        r.buffers()
            .any(|(_, h)| h.is_compressed() && h.events_len() == 1512),
        "{:?}",
        r.buffers().collect::<Vec<_>>()
    );
    let all = lines(&r);
    // Its messages are Korean; ours are Windows' English ones.
    assert!(all.iter().all(|l| l.is_ascii()), "localised text leaked");
    // Event 73: the string property without a terminator ("WSL").
    assert!(
        all.iter().any(|l| l.ends_with("VMSwitchName  = WSL ")),
        "{:?}",
        all.iter()
            .filter(|l| l.contains("VMSwitchName"))
            .collect::<Vec<_>>()
    );
    assert_eq!(pktmon_ids(&r).get(&73), Some(&2));
}

#[test]
fn generic_samples_walk_cleanly_and_hold_no_pktmon_events() {
    if pktmon::testdata::shared_etl_dir("generic_samples_walk_cleanly_and_hold_no_pktmon_events")
        .is_none()
    {
        return;
    }
    let amsi = open("generic-uncompressed-AMSITrace.etl");
    assert_eq!(amsi.buffers().count(), 6);
    assert!(amsi.buffers().all(|(_, h)| h.buffer_size == 65536));
    assert!(!amsi.has_pktmon_events());
    let tl: Vec<_> = amsi
        .events()
        .filter(|e| matches!(e.raw.kind, pktmon::etl::raw::HeaderKind::Event { .. }))
        .collect();
    assert_eq!(tl.len(), 19, "19 TraceLogging events");
    for ev in &tl {
        let items: Vec<_> = pktmon::etl::raw::ExtendedItems::new(ev.raw.extended).collect();
        assert_eq!(items.len(), 2, "two chained extended items");
        // TraceLogging: provider and event name from the extended items, fields decoded
        // with the event's own schema.
        let mut line = String::new();
        assert!(ev.write_line(&mut line));
        assert!(
            line.contains("[AmsiTrace] Event: AmsiScript, Engine: ")
                && line.contains(", Raw Script: "),
            "{line}"
        );
        let (fields, err) = ev.fields();
        assert!(err.is_none(), "{err:?}");
        assert_eq!(fields.len(), 3);
    }
    let lx = open("generic-uncompressed-lxcore_kernel.etl");
    assert_eq!(lx.buffers().count(), 3);
    assert!(!lx.has_pktmon_events());
    for r in [&amsi, &lx] {
        let e = r.require_pktmon().unwrap_err();
        assert!(e.to_string().starts_with("no Packet Monitor events"), "{e}");
    }
    assert!(
        open("pktmon-win11-22000-nopackets.etl")
            .require_pktmon()
            .is_ok()
    );
    let lx_lines = lines(&lx);
    assert!(
        lx_lines.iter().any(|l| l
            .contains("[Microsoft.Windows.Subsystem.LxCore] Event: BreakPoint, ErrorLevel: 2, ")),
        "{lx_lines:?}"
    );
}

#[test]
fn sniffs_etl_by_magic_bytes() {
    if pktmon::testdata::shared_etl_dir("sniffs_etl_by_magic_bytes").is_none() {
        return;
    }
    for name in [
        "pktmon-win10-19042-a.etl",
        "generic-uncompressed-AMSITrace.etl",
        "pktmon-win11-22000-nopackets.etl",
    ] {
        assert!(looks_like_etl(&bytes(name)), "{name}");
    }
    assert!(!looks_like_etl(&bytes(
        "pktmon-etl2pcap-output-win10.pcapng"
    )));
    let err = EtlReader::from_bytes(bytes("pktmon-etl2pcap-output-win10.pcapng")).err();
    assert!(matches!(err, Some(EtlError::NotEtl { .. })), "{err:?}");
    assert!(EtlReader::from_bytes(Vec::new()).is_err());
}

/// Lines of the whole file, for checking that a damaged copy yields only real events.
fn line_set(r: &EtlReader) -> HashSet<String> {
    lines(r).into_iter().collect()
}

#[test]
fn truncated_files_keep_every_whole_event_before_the_cut() {
    if pktmon::testdata::shared_etl_dir("truncated_files_keep_every_whole_event_before_the_cut")
        .is_none()
    {
        return;
    }
    let full = bytes("pktmon-win10-19042-a.etl");
    let all = line_set(&open("pktmon-win10-19042-a.etl"));
    let buffer_starts: Vec<u64> = open("pktmon-win10-19042-a.etl")
        .buffers()
        .map(|(o, _)| o)
        .collect();
    let mut cuts: Vec<usize> = (0..full.len()).step_by(211).collect();
    for &b in &buffer_starts {
        let b = b as usize;
        cuts.extend([
            b.saturating_sub(1),
            b,
            b + 1,
            b + 0x47,
            b + 0x48,
            b + 0x49,
            b + 200,
        ]);
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.retain(|&c| c < full.len());
    let mut prev_count = 0;
    let mut tested = 0;
    for cut in cuts {
        let r = match EtlReader::from_bytes(full[..cut].to_vec()) {
            Ok(r) => r,
            Err(e) => {
                // Only a cut inside the header buffer leaves nothing to read.
                assert!(cut < 1024, "cut {cut}: {e}");
                continue;
            }
        };
        tested += 1;
        let problem = r.problems().first().unwrap_or_else(|| {
            panic!("cut at {cut} not reported");
        });
        let EtlError::Truncated { offset, .. } = problem else {
            panic!("cut at {cut}: {problem}");
        };
        assert!(buffer_starts.contains(offset), "cut {cut}: offset {offset}");
        assert!(
            problem
                .to_string()
                .contains(&format!("byte offset {offset}"))
        );
        let got = lines(&r);
        assert!(
            got.len() >= prev_count,
            "cut {cut}: fewer events than a shorter cut"
        );
        prev_count = got.len();
        for l in &got {
            assert!(all.contains(l), "cut {cut}: invented line {l}");
        }
    }
    assert!(tested > 400, "{tested}");
    // A cut one byte before the end keeps all but the last buffer's tail.
    let r = EtlReader::from_bytes(full[..full.len() - 1].to_vec()).unwrap();
    assert!(lines(&r).len() > all.len() / 2);
}

#[test]
fn a_corrupt_buffer_is_reported_with_its_offset_and_the_others_are_kept() {
    if pktmon::testdata::shared_etl_dir(
        "a_corrupt_buffer_is_reported_with_its_offset_and_the_others_are_kept",
    )
    .is_none()
    {
        return;
    }
    let full = bytes("pktmon-win10-19042-a.etl");
    let good = open("pktmon-win10-19042-a.etl");
    let (second_at, second) = good.buffers().nth(2).map(|(o, h)| (o, *h)).unwrap();
    // Overwrite the middle of the second compressed buffer's stream.
    let mut bad = full.clone();
    let mid = second_at as usize + 0x48 + 500;
    for b in &mut bad[mid..mid + 64] {
        *b = 0xFF;
    }
    let r = EtlReader::from_bytes(bad).expect("still readable");
    assert!(
        r.problems().iter().any(|p| p.offset() == second_at),
        "{:?}",
        r.problems()
    );
    let cpu_events = |r: &EtlReader, cpu| r.events().filter(|e| e.cpu == cpu).count();
    for (_, h) in good.buffers().skip(1) {
        if h.processor != second.processor {
            assert_eq!(cpu_events(&r, h.processor), cpu_events(&good, h.processor));
        }
    }

    // A compressed buffer claiming more than any buffer can hold is refused unallocated.
    let mut huge = full.clone();
    huge[second_at as usize + 0x30..second_at as usize + 0x34]
        .copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    let r = EtlReader::from_bytes(huge).unwrap();
    let p = r
        .problems()
        .iter()
        .find(|p| p.offset() == second_at)
        .expect("reported");
    assert!(matches!(p, EtlError::Corrupt { .. }), "{p}");
    assert!(p.to_string().contains("more than"), "{p}");

    // A BufferSize smaller than a header stops the chain there, keeping what came before.
    let mut cut = full;
    cut[second_at as usize..second_at as usize + 4].copy_from_slice(&8u32.to_le_bytes());
    let r = EtlReader::from_bytes(cut).unwrap();
    assert!(matches!(r.problems()[0], EtlError::Corrupt { offset, .. } if offset == second_at));
    assert_eq!(r.buffers().count(), 2);
}

#[test]
fn template_rendering_agrees_with_the_packet_fast_path() {
    if pktmon::testdata::shared_etl_dir("template_rendering_agrees_with_the_packet_fast_path")
        .is_none()
    {
        return;
    }
    // The packet line is written by a fast path; the generic template renderer must give
    // the same text from the embedded template and message.
    let r = open("pktmon-win10-19042-a.etl");
    let mut checked = 0;
    for ev in r.events().filter(|e| e.packet().is_some()).step_by(7) {
        let mut fast = String::new();
        ev.write_message(&mut fast);
        let t = ev.template().expect("template");
        let (fields, err) = ev.fields();
        assert!(err.is_none());
        let mut slow = String::new();
        pktmon::etl::text::write_message(&mut slow, t.message.as_deref().unwrap(), &fields);
        assert_eq!(fast, slow);
        checked += 1;
    }
    assert!(checked > 300);
}

#[test]
fn wifi_labelled_ethernet_frames_are_recognised() {
    if pktmon::testdata::shared_etl_dir("wifi_labelled_ethernet_frames_are_recognised").is_none() {
        return;
    }
    // Where a packet's WiFi-typed appearance has the same bytes as an Ethernet-typed
    // appearance of the same group, it is really Ethernet (etl-format.md §8.2).
    let r = open("pktmon-win10-19042-a.etl");
    let mut ethernet_payloads: HashSet<(u64, &[u8])> = HashSet::new();
    let mut wifi = Vec::new();
    for ev in r.events() {
        if let Some(p) = ev.packet() {
            match p.packet_type {
                1 => {
                    ethernet_payloads.insert((p.group_id, p.payload));
                }
                2 => wifi.push(*p),
                _ => {}
            }
        }
    }
    let mut agree = 0;
    for p in &wifi {
        let truth = ethernet_payloads.contains(&(p.group_id, p.payload));
        let guess = pktmon::etl::pktmon::wifi_payload_is_ethernet(p.payload);
        if truth == guess {
            agree += 1;
        }
    }
    assert!(wifi.len() == 1173);
    assert_eq!(
        agree,
        wifi.len(),
        "heuristic disagrees on {} frames",
        wifi.len() - agree
    );
}

/// A compressed buffer (header + plain-LZ77 stream) that expands to `len` zero bytes.
fn zero_bomb_buffer(len: usize, cpu: u16) -> Vec<u8> {
    let mut stream = (0b01u32 << 30).to_le_bytes().to_vec(); // literal, then a match
    stream.push(0);
    stream.extend_from_slice(&7u16.to_le_bytes()); // distance 1, length code 7
    stream.extend_from_slice(&[0x0F, 0xFF, 0, 0]); // nibble 15, byte 255, u16 0 -> u32
    stream.extend_from_slice(&((len - 1 - 3) as u32).to_le_bytes());
    let mut b = vec![0u8; 0x48];
    b[0..4].copy_from_slice(&((0x48 + stream.len()) as u32).to_le_bytes());
    b[0x28..0x2A].copy_from_slice(&cpu.to_le_bytes());
    b[0x30..0x34].copy_from_slice(&((0x48 + len) as u32).to_le_bytes());
    b[0x34..0x36].copy_from_slice(&0x60u16.to_le_bytes());
    b.extend_from_slice(&stream);
    b
}

#[test]
fn decompression_bombs_are_bounded() {
    if pktmon::testdata::shared_etl_dir("decompression_bombs_are_bounded").is_none() {
        return;
    }
    let sample = bytes("pktmon-win11-22000-nopackets.etl");
    let mut file = sample[..1024].to_vec(); // the header buffer
    let per_buffer = (16 << 20) - 0x48; // the largest a 16 MiB buffer holds
    for i in 0..20 {
        file.extend(zero_bomb_buffer(per_buffer, i));
    }
    let r = EtlReader::from_bytes(file).expect("header is sound");
    // 16 such buffers fit the 256 MiB floor of the budget; the rest are refused.
    let refused: Vec<_> = r
        .problems()
        .iter()
        .filter(|p| p.to_string().contains("would expand to more than"))
        .collect();
    assert_eq!(refused.len(), 4, "{:?}", r.problems());
    assert_eq!(r.stats().compressed_buffers, 20);
    // The zero fill holds no events; the logfile header and partition event remain.
    assert_eq!(r.event_count(), 2);
}

/// The Server 2022 sample with one packet event turned into a drop (170), stored as an
/// uncompressed buffer: the file has no template for 170, so the built-in one is used.
fn sample_with_a_drop() -> Vec<u8> {
    use pktmon::etl::raw::EventWalker;
    let file = bytes("pktmon-ws2022-20348-xdp.etl");
    let header_len = u32::from_le_bytes([file[0], file[1], file[2], file[3]]) as usize;
    let at = header_len;
    let size = u32::from_le_bytes(file[at..at + 4].try_into().unwrap()) as usize;
    let want = u32::from_le_bytes(file[at + 0x30..at + 0x34].try_into().unwrap()) as usize - 0x48;
    let mut area = pktmon::etl::lz77::decompress(&file[at + 0x48..at + size], want).unwrap();
    let first_packet = EventWalker::new(&area)
        .flatten()
        .find(|(_, ev)| ev.descriptor.id == 160)
        .map(|(off, _)| off)
        .expect("a packet in the first data buffer");
    area[first_packet + 0x28..first_packet + 0x2A].copy_from_slice(&170u16.to_le_bytes());
    let user = first_packet + 0x50;
    area[user + 0x16..user + 0x1A].copy_from_slice(&1204u32.to_le_bytes());
    area[user + 0x1A..user + 0x1E].copy_from_slice(&0xE000_460Au32.to_le_bytes());
    let mut out = file[..header_len].to_vec();
    let mut h = file[at..at + 0x48].to_vec();
    h[0..4].copy_from_slice(&((0x48 + area.len()) as u32).to_le_bytes());
    h[0x34..0x36].copy_from_slice(&0x20u16.to_le_bytes()); // not compressed
    out.extend_from_slice(&h);
    out.extend_from_slice(&area);
    out.extend_from_slice(&file[at + size..]);
    out
}

#[test]
fn drops_become_drop_records_and_print_like_microsofts_documentation() {
    if pktmon::testdata::shared_etl_dir(
        "drops_become_drop_records_and_print_like_microsofts_documentation",
    )
    .is_none()
    {
        return;
    }
    let r = EtlReader::from_bytes(sample_with_a_drop()).expect("readable");
    assert!(r.problems().is_empty(), "{:?}", r.problems());
    assert_eq!((r.stats().packets, r.stats().drops), (113, 1));
    let ev = r.events().find(|e| e.id() == 170).expect("the drop");
    let rec = ev.packet_record().unwrap();
    assert_eq!(
        rec.kind,
        RecordKind::Drop {
            reason: "INET: transport endpoint was not found".into(),
            location: "0xE000460A".into()
        }
    );
    let mut msg = String::new();
    ev.write_message(&mut msg);
    // The layout of Microsoft's example line ("Drop: PktGroupId …, Filter 1, DropReason
    // INET: transport endpoint was not found , DropLocation 0xE000460A, OriginalSize …").
    let p = ev.packet().unwrap();
    assert_eq!(
        msg,
        format!(
            "Drop: PktGroupId {}, PktNumber 1, Appearance {}, Direction Rx , Type Ethernet , \
             Component {}, Filter 1, DropReason INET: transport endpoint was not found , \
             DropLocation 0xE000460A, OriginalSize 98, LoggedSize 98 ",
            p.group_id, p.appearance, p.component_id
        )
    );
    // The template renderer gives the same text.
    let (fields, err) = ev.fields();
    assert!(err.is_none());
    let mut slow = String::new();
    let t = ev.template().unwrap();
    pktmon::etl::text::write_message(&mut slow, t.message.as_deref().unwrap(), &fields);
    assert_eq!(slow, msg);
}
