//! `pktmon etl2txt <file>` (Gen 2: `pktmon format`): a capture file as pktmon text.
//! Arguments → options → `convert::to_text` / `convert::stats` (any input format).

use super::convert::{self, Encoding};
use crate::error::{Error, Result, exit};
use crate::packet::{DecodeOptions, PrefixStyle, PrintOptions, TextOptions};
use clap::ArgMatches;
use std::io::{self, Write};
use std::path::PathBuf;

pub use super::convert::TextSink;

/// The text options `etl2txt` flags ask for.
pub fn text_options(m: &ArgMatches) -> TextOptions {
    TextOptions {
        prefix: if m.get_flag("timestamp-only") {
            PrefixStyle::TimestampOnly
        } else {
            PrefixStyle::Etw
        },
        metadata: m.get_flag("metadata"),
        print: PrintOptions {
            no_link_header: m.get_flag("no-ethernet"),
            brief: m.get_flag("brief"),
            verbose: m.get_one::<u8>("verbose").copied().unwrap_or(0),
            windows_wifi_addresses: false,
            windows_dns_truncation: false,
            windows_printers: false,
        },
        decode: DecodeOptions {
            // The command table's default (4789) is always filled in by the parser.
            vxlan_port: m.get_one::<u16>("vxlan").copied().unwrap_or_default(),
        },
        hex: m.get_flag("hex"),
    }
}

pub fn run(m: &ArgMatches) -> Result<i32> {
    let input = m.get_one::<String>("file").ok_or_else(|| {
        Error::invalid("Error: missing the log file to convert. See pktmon etl2txt help.")
    })?;
    if m.get_one::<String>("tmfpath").is_some() {
        eprintln!("Note: --tmfpath has no effect here: WPP trace messages are not decoded.");
    }
    let mut source = convert::open_source(input)?;
    if m.get_flag("stats-only") {
        return convert::stats(input, &mut source, m.get_flag("json"));
    }
    let out = m.get_one::<String>("out").map(String::as_str);
    let encoding = if m.get_flag("utf16") {
        Encoding::Utf16
    } else {
        Encoding::Utf8
    };
    // One conversion for both destinations. to_text hands over its text in chunks of
    // 64 KiB and more: a buffer here would only copy them once more.
    let (dest, out_path): (Box<dyn Write>, Option<PathBuf>) = if out == Some("-") {
        (Box::new(io::stdout().lock()), None)
    } else {
        let path = convert::output_path(input, out, "txt")?;
        (Box::new(convert::create_output(&path)?), Some(path))
    };
    let done = convert::to_text(input, &mut source, dest, encoding, text_options(m))?;
    match &out_path {
        // The text went to stdout: the summary goes to stderr.
        None => convert::write_summary(&mut io::stderr(), &done.counts, None),
        Some(path) => convert::write_summary(&mut io::stdout(), &done.counts, Some(path)),
    }
    if done.output_closed {
        return Ok(exit::SUCCESS);
    }
    convert::outcome(input, &done.counts, done.failure)
}
