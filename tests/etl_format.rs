//! `pktmon format` compatibility: every line Windows printed for a real capture, except the
//! TAB-indented packet decode lines (the packet renderer's job), must equal ours, in order.

// Reads the sample logs by host path; run on the host platforms only.
#![cfg(not(windows))]

use std::path::PathBuf;

use pktmon::etl::EtlFile;

fn data(name: &str) -> PathBuf {
    pktmon::testdata::etl_dir().join(name)
}

/// Lines of a Windows text file: UTF-16LE with BOM, CRLF line ends.
fn read_windows_text(name: &str) -> Vec<String> {
    let bytes = std::fs::read(data(name)).expect("reference text");
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "UTF-16LE BOM");
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text = String::from_utf16(&units).expect("valid UTF-16");
    assert!(text.ends_with("\r\n"), "CRLF line ends");
    let lines: Vec<String> = text
        .strip_suffix("\r\n")
        .unwrap_or(&text)
        .split("\r\n")
        .map(str::to_string)
        .collect();
    assert!(lines.iter().all(|l| !l.contains('\n')), "no bare LF");
    lines
}

#[test]
fn record_and_event_lines_equal_windows_pktmon_format() {
    if pktmon::testdata::shared_etl_dir("record_and_event_lines_equal_windows_pktmon_format")
        .is_none()
    {
        return;
    }
    let reference: Vec<String> = read_windows_text("pktmon-win10-19042-a.format.txt")
        .into_iter()
        .filter(|l| !l.starts_with('\t'))
        .collect();
    let reader = EtlFile::open(data("pktmon-win10-19042-a.etl")).expect("open");
    assert!(reader.problems().is_empty(), "{:?}", reader.problems());
    let mut ours = Vec::new();
    for ev in reader.events() {
        let mut line = String::new();
        if ev.write_line(&mut line) {
            ours.push(line);
        }
    }
    let matched = reference
        .iter()
        .zip(&ours)
        .take_while(|(a, b)| a == b)
        .count();
    eprintln!(
        "pktmon-win10-19042-a: {matched} of {} reference lines (TAB decode lines excluded) equal ours",
        reference.len()
    );
    if matched < reference.len().max(ours.len()) {
        panic!(
            "first difference at non-TAB line {} (of {} reference, {} ours):\n  windows: {:?}\n  ours:    {:?}",
            matched + 1,
            reference.len(),
            ours.len(),
            reference.get(matched),
            ours.get(matched)
        );
    }
    assert_eq!(matched, 3654);
}
