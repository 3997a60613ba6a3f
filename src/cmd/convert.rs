//! What the file-converting commands (`etl2txt`, `etl2pcap`) share: opening the input by
//! its magic bytes, the output name, the progress bar and the console summary.

use crate::error::{Error, Result};
use crate::output::group_thousands;
use crate::source::{FileSource, OpenError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Opens `path` as a record source; the error says what the file is and what to do.
pub fn open_source(path: &str) -> Result<FileSource<File>> {
    FileSource::open(Path::new(path)).map_err(|e| match e {
        OpenError::Io(io) => Error::failure(format!("Failed to open '{path}': {io}")),
        other => Error::failure(format!("Cannot convert '{path}': {other}")),
    })
}

/// The output file: `--out` as given, else the input's name with `extension`, next to
/// the input (Windows pktmon: `PktMon.etl` → `PktMon.txt`). Refuses to overwrite the input.
pub fn output_path(input: &str, out: Option<&str>, extension: &str) -> Result<PathBuf> {
    let path = match out {
        Some(o) => PathBuf::from(o),
        None => Path::new(input).with_extension(extension),
    };
    let same = match (path.canonicalize(), Path::new(input).canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => path == Path::new(input),
    };
    if same {
        return Err(Error::failure(format!(
            "The output file '{}' is the input file; give another name with --out.",
            path.display()
        )));
    }
    Ok(path)
}

/// Creates the output file and says that conversion starts (as Windows pktmon does).
pub fn create_output(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::File::create(path).map_err(|e| {
        Error::failure(format!(
            "Failed to create the output file '{}': {e}",
            path.display()
        ))
    })?;
    crate::outln!("Processing...")?;
    Ok(file)
}

/// A progress bar on stderr while converting, only when stderr is a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    records: u64,
}

impl Progress {
    pub fn new(total_bytes: u64) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(
                Some(total_bytes),
                ProgressDrawTarget::stderr_with_hz(10),
            );
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, records: 0 }
    }

    /// Called per record; touches the bar only every few thousand records.
    #[inline]
    pub fn record(&mut self, bytes_read: u64) {
        self.records += 1;
        if self.records.is_multiple_of(4096)
            && let Some(bar) = &self.bar
        {
            bar.set_position(bytes_read);
        }
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Record counts for the console summary.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub total: u64,
    pub drops: u64,
    pub formatted: u64,
}

/// pktmon's summary (`Packets total:       8106` ...), labels padded to one width.
pub fn write_summary(w: &mut dyn Write, counts: &Counts, formatted_file: Option<&Path>) {
    let _ = writeln!(w);
    let _ = writeln!(w, "Packets total:       {}", group_thousands(counts.total));
    let _ = writeln!(w, "Packet drop count:   {}", group_thousands(counts.drops));
    let _ = writeln!(
        w,
        "Packets formatted:   {}",
        group_thousands(counts.formatted)
    );
    if let Some(f) = formatted_file {
        let _ = writeln!(w, "Formatted file:      {}", f.display());
    }
}

/// Size of the file at `path` (0 when unknown), for the progress bar.
pub fn file_size(path: &str) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}
