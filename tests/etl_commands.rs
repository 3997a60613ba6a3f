//! `etl2txt` / `etl2pcap` on real Windows pktmon `.etl` files (no root needed).

#![cfg(target_os = "linux")]

mod common;

use common::{PKTMON, text, tshark_fields, utf16_lines};
use std::path::PathBuf;
use std::process::Command;

fn data(name: &str) -> PathBuf {
    pktmon::testdata::etl_dir().join(name)
}

fn pktmon(args: &[&str]) -> std::process::Output {
    Command::new(PKTMON)
        .args(args)
        .output()
        .expect("run pktmon")
}

#[test]
fn etl2txt_reproduces_windows_pktmon_format_line_for_line() {
    if pktmon::testdata::shared_etl_dir("etl2txt_reproduces_windows_pktmon_format_line_for_line")
        .is_none()
    {
        return;
    }
    let etl = data("pktmon-win10-19042-a.etl");
    let windows = std::fs::read(data("pktmon-win10-19042-a.format.txt")).expect("sample");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.txt");
    let o = pktmon(&[
        "etl2txt",
        etl.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--utf16",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("Packets total:       2,705"),
        "{}",
        text(&o.stdout)
    );
    let ours = std::fs::read(&out).unwrap();
    assert_eq!(&ours[..2], &[0xFF, 0xFE], "UTF-16LE byte order mark");
    let (a, b) = (utf16_lines(&ours), utf16_lines(&windows));
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "first difference at line {}", i + 1);
    }
    assert_eq!(a.len(), b.len(), "line count");
    assert!(a.len() > 6000);
    assert_eq!(ours, windows, "byte for byte");
}

#[test]
fn etl2pcap_writes_what_tshark_reads_with_one_interface_per_component() {
    if pktmon::testdata::shared_etl_dir(
        "etl2pcap_writes_what_tshark_reads_with_one_interface_per_component",
    )
    .is_none()
    {
        return;
    }
    let etl = data("pktmon-win10-19042-a.etl");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("a.pcapng");
    let o = pktmon(&["pcapng", etl.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let s = text(&o.stdout);
    assert!(s.contains("Packets formatted:   2,705"), "{s}"); // grouped, as for every input
    let rows = tshark_fields(
        &out,
        "",
        &["frame.interface_name", "frame.packet_id", "frame.p2p_dir"],
    );
    assert_eq!(rows.len(), 2705);
    let mut names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    names.sort();
    names.dedup();
    assert!(names.len() > 1, "one interface per component: {names:?}");
    assert!(
        rows.iter().all(|r| !r[1].is_empty() && !r[2].is_empty()),
        "packet id and direction"
    );
    // Only the Miniport components with `-c nics`.
    let nics = dir.path().join("nics.pcapng");
    let o = pktmon(&[
        "etl2pcap",
        etl.to_str().unwrap(),
        "-o",
        nics.to_str().unwrap(),
        "-c",
        "nics",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let n = tshark_fields(&nics, "", &["frame.number"]).len();
    assert!(n > 0 && n < 2705, "{n}");
}

#[test]
fn other_etl_files_and_damage_give_clear_errors() {
    if pktmon::testdata::shared_etl_dir("other_etl_files_and_damage_give_clear_errors").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "generic-uncompressed-AMSITrace.etl",
        "generic-uncompressed-lxcore_kernel.etl",
    ] {
        let o = pktmon(&["etl2txt", data(f).to_str().unwrap(), "-o", "-"]);
        assert_eq!(o.status.code(), Some(1), "{f}");
        assert!(
            text(&o.stderr).contains("no Packet Monitor events"),
            "{f}: {}",
            text(&o.stderr)
        );
    }
    let whole = std::fs::read(data("pktmon-win10-19042-a.etl")).unwrap();
    let cut = dir.path().join("cut.etl");
    std::fs::write(&cut, &whole[..50_000]).unwrap();
    let out = dir.path().join("cut.txt");
    let o = pktmon(&[
        "etl2txt",
        cut.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let e = text(&o.stderr);
    assert!(e.contains("byte offset") && e.contains("damaged"), "{e}");
    let kept = std::fs::read_to_string(&out).unwrap();
    assert!(
        kept.lines().filter(|l| l.contains("PktGroupId")).count() > 100,
        "what came before is written"
    );
    let o = pktmon(&[
        "etl2txt",
        data("pktmon-win10-19042-a.etl").to_str().unwrap(),
        "--stats-only",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        text(&o.stdout).contains("Packets total:       2,705"),
        "{}",
        text(&o.stdout)
    );
}

/// A pktmon payload without a link layer (PacketType TCP) next to a raw IP one: the pcapng
/// declares a private link type for it, so tshark reads the file cleanly and shows its bytes
/// undissected instead of taking them for a header they are not.
#[test]
fn payloads_without_a_link_layer_stay_undissected_in_pcapng() {
    if pktmon::testdata::shared_etl_dir("payloads_without_a_link_layer_stay_undissected_in_pcapng")
        .is_none()
    {
        return;
    }
    use pktmon::etl::pktmon::PacketEvent;
    use pktmon::pcapng::{InterfaceDescription, PcapngWriter};
    use pktmon::pktmon_meta::packet_type;

    // Event 160's fixed part then the payload (etl-format.md §8).
    fn event(ptype: u16, payload: &[u8]) -> Vec<u8> {
        let mut d = 7u64.to_le_bytes().to_vec();
        for v in [1u16, 1, 3, ptype, 5, 1, 0] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&[0; 8]);
        for _ in 0..2 {
            d.extend_from_slice(&(payload.len() as u16).to_le_bytes());
        }
        d.extend_from_slice(payload);
        d
    }
    // 10.0.0.1.443 > 10.0.0.2.2 UDP, then the same UDP header alone (PacketType UDP). Under
    // LINKTYPE_NULL (what such records had before) tshark took its first 4 bytes for a BSD
    // loopback address family.
    let udp = [0x01, 0xBB, 0x00, 0x02, 0x00, 0x08, 0x00, 0x00];
    let mut ip = vec![
        0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ];
    ip.extend_from_slice(&udp);
    let events = [event(packet_type::IP, &ip), event(packet_type::UDP, &udp)];

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nolink.pcapng");
    let mut w = PcapngWriter::new(std::fs::File::create(&path).unwrap(), "test", None);
    for d in &events {
        let rec = PacketEvent::parse(d, false).expect("event").record(0, None);
        if !w.has_interface(rec.component, rec.link_type) {
            w.add_interface(&InterfaceDescription {
                component: rec.component,
                name: "c5".into(),
                description: "Component 5".into(),
                link_type: rec.link_type,
                snaplen: 0,
                mac: None,
            });
        }
        assert!(w.write_record(&rec));
    }
    w.flush().unwrap();
    let rows = tshark_fields(&path, "", &["frame.protocols", "ip.dst", "data.data"]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][1], "10.0.0.2", "{rows:?}");
    assert!(!rows[1][0].contains("ip"), "{rows:?}");
    // Every byte is left as data: none was taken for a link-layer header.
    assert_eq!(rows[1][2], "01bb000200080000", "{rows:?}");
}

/// A Windows `.etl` is a file source like pcap and pcapng: records with component
/// information from the rundown (Miniport = adapter), one conversion for every input,
/// and `-t`/`-m` apply to it too.
#[test]
fn etl_is_a_record_source_and_text_options_apply() {
    use pktmon::source::pcapng::ComponentRole;
    use pktmon::source::{FileSource, RecordSource};
    if pktmon::testdata::shared_etl_dir("etl_is_a_record_source_and_text_options_apply").is_none() {
        return;
    }
    let etl = data("pktmon-win10-19042-a.etl");
    let mut src = FileSource::open(&etl).expect("an ETL file opens as a record source");
    let mut records = 0;
    let mut components = std::collections::BTreeSet::new();
    while let Some(rec) = src.next_record().expect("sound file") {
        records += 1;
        components.insert(rec.component);
    }
    assert_eq!(records, 2705);
    let roles: Vec<Option<ComponentRole>> = components
        .iter()
        .map(|c| src.component_info(*c).and_then(|i| i.role))
        .collect();
    assert!(roles.contains(&Some(ComponentRole::Adapter)), "{roles:?}");
    assert!(roles.contains(&Some(ComponentRole::Other)), "{roles:?}");

    let etl = etl.to_str().unwrap();
    let o = pktmon(&["etl2txt", etl, "-o", "-", "-t"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let t = text(&o.stdout);
    let stamp = regex::Regex::new(r"^\d\d:\d\d:\d\d\.\d{9} PktGroupId ").unwrap();
    let lines: Vec<&str> = t.lines().filter(|l| l.contains("PktGroupId")).collect();
    assert_eq!(lines.len(), 2705);
    assert!(
        lines.iter().all(|l| stamp.is_match(l)),
        "{:?}",
        lines.first()
    );
    assert!(!t.contains("[Microsoft-Windows-PktMon]"));

    let o = pktmon(&["format", etl, "-o", "-", "-m"]);
    assert_eq!(o.status.code(), Some(0));
    let m = text(&o.stdout);
    assert!(
        m.lines()
            .filter(|l| l.contains("PktGroupId"))
            .all(|l| l.contains("] (Level Informational, Keywords 0x")),
        "{}",
        m.lines().find(|l| l.contains("PktGroupId")).unwrap_or("")
    );

    // --stats-only: the common part (packets, components) and the ETL part (events).
    let o = pktmon(&["etl2txt", etl, "-s"]);
    let s = text(&o.stdout);
    assert!(
        s.contains("Log file:            ") && s.contains("(etl)"),
        "{s}"
    );
    assert!(s.contains("Packets total:       2,705"), "{s}");
    assert!(s.contains(" Component  ") && s.contains("Event id"), "{s}");
    // Latency per hop from the log's PktGroupIds: the Wi-Fi adapter's received packets
    // (115 in this capture) reach the next filter driver.
    let hop = s.lines().skip_while(|l| *l != "Latency per hop").find(|l| {
        l.trim_start().starts_with("rtwlane02.sys (11)") && l.contains("wfplwfs.sys (40)")
    });
    let packets = hop.and_then(|l| l.split_whitespace().nth(4));
    assert_eq!(packets, Some("115"), "{s}");
}

/// The component role travels in our pcapng: `etl2pcap` of a Windows `.etl` keeps which
/// components are adapters (Miniport), so `-c nics` on that pcapng keeps exactly what
/// `-c nics` on the `.etl` keeps, with no description parsing.
#[test]
fn component_roles_travel_in_our_pcapng() {
    if pktmon::testdata::shared_etl_dir("component_roles_travel_in_our_pcapng").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let etl = data("pktmon-win10-19042-a.etl");
    let all = dir.path().join("all.pcapng");
    let from_etl = dir.path().join("nics-from-etl.pcapng");
    let from_pcapng = dir.path().join("nics-from-pcapng.pcapng");
    let run = |args: &[&str]| {
        let o = pktmon(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
    };
    let etl = etl.to_str().unwrap();
    run(&["etl2pcap", etl, "-o", all.to_str().unwrap()]);
    run(&[
        "etl2pcap",
        etl,
        "-o",
        from_etl.to_str().unwrap(),
        "-c",
        "nics",
    ]);
    run(&[
        "etl2pcap",
        all.to_str().unwrap(),
        "-o",
        from_pcapng.to_str().unwrap(),
        "-c",
        "nics",
    ]);
    let count = |p: &std::path::Path| tshark_fields(p, "", &["frame.number"]).len();
    let nics = count(&from_etl);
    assert!(nics > 0 && nics < count(&all), "{nics}");
    assert_eq!(count(&from_pcapng), nics);
    // Every interface of the converted file states its role.
    let mut src = pktmon::source::FileSource::open(&all).unwrap();
    let mut components = std::collections::BTreeSet::new();
    while let Some(rec) = pktmon::source::RecordSource::next_record(&mut src).unwrap() {
        components.insert(rec.component);
    }
    let roles: Vec<_> = components
        .iter()
        .map(|c| src.component_info(*c).and_then(|i| i.role))
        .collect();
    assert!(
        !roles.is_empty() && roles.iter().all(Option::is_some),
        "{roles:?}"
    );
}
