//! The fuzz target's body, shared by `fuzz/` (cargo-fuzz, nightly) and the stable
//! `examples/fuzz_drive.rs` so both exercise exactly the same code.

use crate::packet::{
    CaptureMemory, PrefixStyle, PrintOptions, TextOptions, TextRenderer, render_decode,
};
use crate::record::LinkType;
use crate::source::{FileSource, RecordSource};

/// Reads `data` as a capture file and decodes it as a frame of several link types, with
/// several option sets. Panics only on a bug: the text must be UTF-8, each record one
/// record line followed by TAB lines, and decode text ASCII.
pub fn exercise(data: &[u8]) {
    let mut out = Vec::with_capacity(4096);
    // One capture: what one frame leaves in the memory must not upset the next.
    let mut memory = CaptureMemory::default();
    let option_sets = [
        TextOptions::default(),
        TextOptions {
            prefix: PrefixStyle::TimestampOnly,
            metadata: true,
            hex: true,
            print: PrintOptions {
                verbose: 3,
                ..PrintOptions::default()
            },
            ..TextOptions::default()
        },
        TextOptions {
            print: PrintOptions {
                brief: true,
                no_link_header: true,
                verbose: 0,
                windows_wifi_addresses: true,
                windows_dns_truncation: true,
                windows_printers: true,
            },
            ..TextOptions::default()
        },
    ];
    if let Ok(mut source) = FileSource::from_reader(data) {
        let mut renderer = TextRenderer::new(option_sets[1]);
        // Bounded: a file cannot hold more records than bytes / 12.
        for _ in 0..=data.len() / 12 {
            match source.next_record() {
                Ok(Some(rec)) => {
                    renderer.render(&rec, &mut out);
                    check_record(&out);
                    out.clear();
                }
                Ok(None) | Err(_) => break,
            }
        }
    }
    for link in [
        LinkType::ETHERNET,
        LinkType::RAW,
        LinkType::NULL,
        LinkType::IEEE802_11,
        LinkType::LINUX_SLL,
        LinkType::LINUX_SLL2,
    ] {
        for opts in &option_sets {
            for wire in [data.len() as u32, data.len() as u32 + 1500] {
                render_decode(link, data, wire, wire % 2 == 1, opts, &mut memory, &mut out);
                check(&out);
                out.clear();
            }
        }
    }
}

/// Decode lines: ASCII, each starting with a TAB and ending with a newline.
fn check(text: &[u8]) {
    assert!(
        text.is_ascii(),
        "non-ASCII decode: {:?}",
        String::from_utf8_lossy(text)
    );
    assert!(
        text.ends_with(b"\n"),
        "no line end: {:?}",
        String::from_utf8_lossy(text)
    );
    for line in text[..text.len() - 1].split(|b| *b == b'\n') {
        assert!(
            line.starts_with(b"\t"),
            "line without TAB: {:?}",
            String::from_utf8_lossy(line)
        );
        assert!(!line.contains(&b'\r'));
    }
}

/// A record: one UTF-8 record line, then decode lines.
fn check_record(text: &[u8]) {
    let s = std::str::from_utf8(text).expect("record text is UTF-8");
    let (first, rest) = s.split_once('\n').expect("record line ends with a newline");
    assert!(
        !first.starts_with('\t') && first.contains("PktGroupId "),
        "{first:?}"
    );
    assert!(!first.chars().any(char::is_control), "{first:?}");
    check(rest.as_bytes());
}
