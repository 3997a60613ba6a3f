//! The session's pcapng log: the writer plus what a session must do around it — keep it
//! in the chosen mode (circular, multi-file, memory), flush on a schedule, keep it
//! well-formed after a write error or a removed folder, finish it at stop, and mend what a
//! killed session left. Absent with `--counters-only` and real-time. Layout and
//! guarantees: docs/log-modes.md.

use super::problem::SessionProblem;
use super::{LogMode, LogReport, SessionConfig};
use crate::pcapng::InterfaceDescription;
use crate::pcapng::PcapngWriter;
use crate::pcapng::numbered::{NumberedFiles, numbered_path};
use crate::pcapng::ring::{self, SlotRing};
use crate::pcapng::writer::InterfaceStatistics;
use crate::record::PacketRecord;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The log is flushed at least this often, so a killed session loses at most about this
/// much (plus one capture latency).
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);
/// Written out as soon as this much is buffered, from the write itself: a poll round
/// under a flood hands over megabytes, and bytes flushed while still in cache cost
/// less to walk and to copy to the kernel (measured: a 1 MiB buffer flushed once per
/// round spent ~15% of the session's CPU in cache misses over its blocks).
pub const FLUSH_BYTES: usize = 256 << 10;

/// Where the writer's blocks go, by log mode.
pub enum LogSink {
    Circular(SlotRing<File>),
    MultiFile(NumberedFiles),
    Memory(SlotRing<Vec<u8>>),
}

impl LogSink {
    /// Opens the log of `config` (a circular log's file, the first numbered file). Memory
    /// mode writes nothing before stop; its folder must exist.
    pub fn open(config: &SessionConfig) -> io::Result<LogSink> {
        let path = &config.log_file;
        let size = config.file_size_mb.saturating_mul(1024 * 1024);
        Ok(match config.log_mode {
            LogMode::Circular => {
                LogSink::Circular(SlotRing::new(super::state::private_file(path)?, size))
            }
            LogMode::MultiFile => LogSink::MultiFile(NumberedFiles::create(
                path,
                size,
                super::state::private_file,
            )?),
            LogMode::Memory => {
                let folder = path.parent().unwrap_or(Path::new("."));
                if !folder.is_dir() {
                    return Err(io::Error::new(
                        io::ErrorKind::NotFound,
                        format!("the folder {} does not exist", folder.display()),
                    ));
                }
                LogSink::Memory(SlotRing::new(Vec::new(), size))
            }
        })
    }

    fn abandon(&mut self) -> io::Result<()> {
        match self {
            LogSink::Circular(r) => r.abandon(),
            LogSink::MultiFile(m) => m.abandon(),
            LogSink::Memory(r) => r.abandon(),
        }
    }

    fn too_large(&self) -> u64 {
        match self {
            LogSink::Circular(r) => r.too_large(),
            LogSink::MultiFile(m) => m.too_large(),
            LogSink::Memory(r) => r.too_large(),
        }
    }

    /// The file that must still exist while the session writes it.
    fn file_in_use<'a>(&'a self, path: &'a Path) -> Option<&'a Path> {
        match self {
            LogSink::Circular(_) => Some(path),
            LogSink::MultiFile(m) => m.current_path(),
            LogSink::Memory(_) => None,
        }
    }

    fn report(&self, path: &Path) -> LogReport {
        match self {
            LogSink::Circular(r) => LogReport {
                mode: Some(LogMode::Circular),
                bytes_on_disk: r.extent(),
                packets_overwritten: r.overwritten(),
                files: vec![path.to_path_buf()],
                files_written: 1,
            },
            LogSink::MultiFile(m) => LogReport {
                mode: Some(LogMode::MultiFile),
                bytes_on_disk: m.bytes_on_disk(),
                packets_overwritten: 0,
                files: m.files().to_vec(),
                files_written: m.files().len() as u64,
            },
            LogSink::Memory(r) => LogReport {
                mode: Some(LogMode::Memory),
                bytes_on_disk: 0,
                packets_overwritten: r.overwritten(),
                files: Vec::new(),
                files_written: 0,
            },
        }
    }
}

impl Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            LogSink::Circular(r) => r.write(buf),
            LogSink::MultiFile(m) => m.write(buf),
            LogSink::Memory(r) => r.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct SessionLog {
    writer: Option<PcapngWriter<LogSink>>,
    path: PathBuf,
    writing: bool,
    lost_to_write_error: u64,
    last_flush: Instant,
    /// What the log holds; kept current at each flush and final after `finish`.
    report: LogReport,
    /// (records, bytes, not logged) when `finish` let the writer go.
    finished: Option<(u64, u64, u64)>,
    /// Problems met by flushes between two `tick`s.
    problems: Vec<SessionProblem>,
}

impl SessionLog {
    pub fn new(writer: Option<PcapngWriter<LogSink>>, path: PathBuf) -> SessionLog {
        let report = writer
            .as_ref()
            .map(|w| w.get_ref().report(&path))
            .unwrap_or_default();
        SessionLog {
            writer,
            path,
            writing: true,
            lost_to_write_error: 0,
            last_flush: Instant::now(),
            report,
            finished: None,
            problems: Vec::new(),
        }
    }

    #[inline]
    pub fn write(&mut self, rec: &PacketRecord<'_>) {
        match &mut self.writer {
            Some(w) if self.writing => {
                w.write_record(rec);
                if w.buffered_bytes() >= FLUSH_BYTES {
                    self.flush_now();
                }
            }
            Some(_) => self.lost_to_write_error += 1,
            None => {}
        }
    }

    /// Writes a record whose (component, link type) may have no interface yet (drops: raw
    /// IP on an Ethernet component, or a component not monitored); `describe` makes one.
    pub fn write_adding_interface(
        &mut self,
        rec: &PacketRecord<'_>,
        describe: impl FnOnce() -> InterfaceDescription,
    ) {
        if let Some(w) = &mut self.writer
            && self.writing
            && !w.has_interface(rec.component, rec.link_type)
        {
            w.add_interface(&describe());
        }
        self.write(rec);
    }

    /// Adds an interface block (a component that joined); later records of its component
    /// and link type use it.
    pub fn add_interface(
        &mut self,
        desc: &InterfaceDescription,
        role: crate::pcapng::meta::ComponentRole,
    ) {
        if let Some(w) = &mut self.writer
            && self.writing
        {
            w.add_interface_with_role(desc, Some(role));
        }
    }

    /// Flushes when due (or when `force`); returns the problems to report, once each.
    pub fn tick(&mut self, force: bool) -> Vec<SessionProblem> {
        let due = match &self.writer {
            Some(w) => {
                self.writing
                    && (force
                        || w.buffered_bytes() >= FLUSH_BYTES
                        || self.last_flush.elapsed() >= FLUSH_EVERY)
            }
            None => false,
        };
        if due {
            self.flush_now();
        }
        std::mem::take(&mut self.problems)
    }

    /// Writes out what is buffered; a problem is kept for the next `tick`.
    fn flush_now(&mut self) {
        let Some(w) = &mut self.writer else {
            return;
        };
        self.last_flush = Instant::now();
        // A removed file takes the writes without error (Unix keeps the open file):
        // look for it at each flush.
        let removed = w
            .get_ref()
            .file_in_use(&self.path)
            .is_some_and(|p| !p.exists());
        if removed {
            self.abandon();
            self.problems.push(SessionProblem::LogRemoved {
                path: self.path.display().to_string(),
            });
        } else if let Err(e) = w.flush() {
            let problem = self.abandon_for(&e);
            self.problems.push(problem);
        }
        self.refresh_report();
    }

    fn refresh_report(&mut self) {
        if let Some(w) = &self.writer {
            self.report = w.get_ref().report(&self.path);
        }
    }

    /// Stops writing; the sink keeps what it holds valid up to its last whole block.
    fn abandon(&mut self) -> u64 {
        self.writing = false;
        match &mut self.writer {
            Some(w) => {
                let _ = w.get_mut().abandon();
                self.lost_to_write_error += w.discard_buffered();
                w.committed_records()
            }
            None => 0,
        }
    }

    /// A write failed (disk full, I/O error): keep the log as it was after the last whole
    /// block, stop logging, say so.
    fn abandon_for(&mut self, e: &io::Error) -> SessionProblem {
        let kept_packets = self.abandon();
        SessionProblem::LogWriteFailed {
            path: self.path.display().to_string(),
            error: e.to_string(),
            kept_packets,
        }
    }

    /// Statistics blocks, last flush, and what the mode does at the end: a circular log
    /// is put in time order, a memory ring written out, a numbered file synced. Returns
    /// the problems met.
    pub fn finish(&mut self, stats: &[(u32, InterfaceStatistics)]) -> Vec<SessionProblem> {
        let mut problems = self.tick(true);
        let (records, bytes) = self.logged();
        self.finished = Some((records, bytes, self.not_logged()));
        let Some(mut w) = self.writer.take() else {
            return problems;
        };
        if self.writing {
            for (component, s) in stats {
                w.write_statistics(*component, s);
            }
            if let Err(e) = w.flush() {
                self.writer = Some(w);
                problems.push(self.abandon_for(&e));
                self.refresh_report();
                return problems;
            }
        }
        let path = self.path.clone();
        self.report = w.get_ref().report(&path);
        let committed = w.committed_records();
        match w.into_inner() {
            LogSink::Circular(ring) => {
                let wrote_on = self.writing;
                drop(ring.into_store());
                // After a failure the file stays as written: valid, in slot order.
                if wrote_on {
                    match join_in_place(&path) {
                        Ok(j) => self.report.bytes_on_disk = j.bytes,
                        Err(e) => problems.push(SessionProblem::LogNotJoined {
                            path: path.display().to_string(),
                            error: e.to_string(),
                        }),
                    }
                }
            }
            LogSink::MultiFile(mut files) => {
                if self.writing
                    && let Err(e) = files.sync()
                {
                    problems.push(SessionProblem::LogWriteFailed {
                        path: path.display().to_string(),
                        error: e.to_string(),
                        kept_packets: committed,
                    });
                }
            }
            LogSink::Memory(ring) => {
                if self.writing {
                    let overwritten = ring.overwritten();
                    let bytes = ring.into_store();
                    match write_memory_log(&bytes, &path) {
                        Ok(n) => {
                            self.report.bytes_on_disk = n;
                            self.report.files = vec![path.clone()];
                            self.report.files_written = 1;
                        }
                        Err((e, n)) => {
                            self.report.bytes_on_disk = n;
                            self.report.files = vec![path.clone()];
                            self.report.files_written = 1;
                            problems.push(SessionProblem::LogWriteFailed {
                                path: path.display().to_string(),
                                error: e.to_string(),
                                kept_packets: 0,
                            });
                        }
                    }
                    self.report.packets_overwritten = overwritten;
                }
            }
        }
        problems
    }

    pub fn logged(&self) -> (u64, u64) {
        match (&self.writer, self.finished) {
            (Some(w), _) => (w.committed_records(), w.committed_bytes()),
            (None, Some((records, bytes, _))) => (records, bytes),
            (None, None) => (0, 0),
        }
    }

    pub fn not_logged(&self) -> u64 {
        match (&self.writer, self.finished) {
            (Some(w), _) => {
                w.refused_records() + w.get_ref().too_large() + self.lost_to_write_error
            }
            (None, Some((_, _, not_logged))) => not_logged,
            (None, None) => self.lost_to_write_error,
        }
    }

    pub fn report(&self) -> &LogReport {
        &self.report
    }
}

/// Writes whole blocks to a file in chunks; on an error the file is cut back to the
/// blocks that reached it whole.
struct BlockFile {
    file: File,
    chunk: Vec<u8>,
    durable: u64,
}

impl BlockFile {
    const CHUNK: usize = 1 << 20;

    fn new(file: File) -> BlockFile {
        BlockFile {
            file,
            chunk: Vec::with_capacity(Self::CHUNK),
            durable: 0,
        }
    }

    fn push_chunk(&mut self) -> io::Result<()> {
        if let Err(e) = self.file.write_all(&self.chunk) {
            let _ = self.file.set_len(self.durable);
            return Err(e);
        }
        self.durable += self.chunk.len() as u64;
        self.chunk.clear();
        Ok(())
    }

    /// Writes the rest and syncs; the bytes in the file.
    fn finish(mut self) -> Result<u64, (io::Error, u64)> {
        match self.push_chunk().and_then(|_| self.file.sync_all()) {
            Ok(()) => Ok(self.durable),
            Err(e) => Err((e, self.durable)),
        }
    }
}

impl Write for BlockFile {
    /// Each call is one whole block (the joiner writes block by block).
    fn write(&mut self, block: &[u8]) -> io::Result<usize> {
        if self.chunk.len() + block.len() > Self::CHUNK && !self.chunk.is_empty() {
            self.push_chunk()?;
        }
        self.chunk.extend_from_slice(block);
        Ok(block.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Memory mode at stop: the ring's sections, oldest first, as one section in the log
/// file. Returns the bytes written; on an error, also how many whole bytes it kept.
fn write_memory_log(ring_bytes: &[u8], path: &Path) -> Result<u64, (io::Error, u64)> {
    let file = super::state::private_file(path).map_err(|e| (e, 0))?;
    let mut out = BlockFile::new(file);
    let slots = ring::slots_in_order(ring_bytes).unwrap_or_default();
    if let Err(e) = ring::join(slots, &mut out) {
        return Err((e, out.durable));
    }
    out.finish()
}

/// Puts the circular log at `path` in time order (a temporary file beside it, then
/// renamed over it). Returns what it holds.
pub fn join_in_place(path: &Path) -> io::Result<ring::Joined> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".joining");
    let tmp = PathBuf::from(tmp);
    let result = (|| {
        let mut out = BlockFile::new(super::state::private_file(&tmp)?);
        let joined = ring::join_file(path, &mut out)?;
        out.finish().map_err(|(e, _)| e)?;
        std::fs::rename(&tmp, path)?;
        Ok(joined)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What `stop` did with the log of a session whose process died.
#[derive(Debug)]
pub enum Mended {
    /// The circular log was put in time order.
    Joined { packets: u64 },
    /// The circular log could not be joined; it stays readable as written.
    NotJoined(String),
    /// Nothing to do (already one section, or no log).
    AsWritten,
    /// The numbered files found; the last was cut back to whole blocks.
    Files(Vec<PathBuf>),
    /// Memory mode: the ring died with the process.
    Lost,
}

/// Mends the log of a session whose process died (kill -9): joins a circular log, cuts
/// the last numbered file back to its whole blocks.
pub fn mend_after_death(config: &SessionConfig) -> Mended {
    if config.counters_only || config.real_time {
        return Mended::AsWritten;
    }
    let path = &config.log_file;
    match config.log_mode {
        LogMode::Circular if ring::is_unjoined(path) => match join_in_place(path) {
            Ok(j) => Mended::Joined { packets: j.packets },
            Err(e) => Mended::NotJoined(e.to_string()),
        },
        LogMode::Circular => Mended::AsWritten,
        LogMode::Memory => Mended::Lost,
        LogMode::MultiFile => {
            let files: Vec<PathBuf> = (1..)
                .map(|n| numbered_path(path, n))
                .take_while(|p| p.exists())
                .collect();
            if let Some(last) = files.last() {
                let _ = cut_to_whole_blocks(last);
            }
            Mended::Files(files)
        }
    }
}

/// Cuts a file after its last whole block (a write the kill interrupted).
fn cut_to_whole_blocks(path: &Path) -> io::Result<()> {
    let bytes = std::fs::read(path)?;
    let mut pos = 0;
    while let Some((_, len)) = crate::pcapng::blocks::block_at(&bytes, pos) {
        pos += len;
    }
    if pos < bytes.len() {
        std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .set_len(pos as u64)?;
    }
    Ok(())
}
