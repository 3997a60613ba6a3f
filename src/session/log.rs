//! The session's pcapng log: the writer plus what a session must do around it — flush on
//! a schedule, keep the file well-formed after a write error, say when the size limit is
//! reached. Absent with `--counters-only`.

use super::problem::SessionProblem;
use crate::pcapng::InterfaceDescription;
use crate::pcapng::PcapngWriter;
use crate::pcapng::writer::InterfaceStatistics;
use crate::record::PacketRecord;
use std::fs::File;
use std::time::{Duration, Instant};

/// The log is flushed at least this often, so a killed session loses at most about this
/// much (plus one capture latency).
pub const FLUSH_EVERY: Duration = Duration::from_millis(250);
pub const FLUSH_BYTES: usize = 1 << 20;

pub struct SessionLog {
    writer: Option<PcapngWriter<File>>,
    path: String,
    limit_mb: u64,
    writing: bool,
    lost_to_write_error: u64,
    last_flush: Instant,
    limit_noted: bool,
}

impl SessionLog {
    pub fn new(writer: Option<PcapngWriter<File>>, path: String, limit_mb: u64) -> SessionLog {
        SessionLog {
            writer,
            path,
            limit_mb,
            writing: true,
            lost_to_write_error: 0,
            last_flush: Instant::now(),
            limit_noted: false,
        }
    }

    #[inline]
    pub fn write(&mut self, rec: &PacketRecord<'_>) {
        match &mut self.writer {
            Some(w) if self.writing => {
                w.write_record(rec);
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
        let mut problems = Vec::new();
        let Some(w) = &mut self.writer else {
            return problems;
        };
        if self.writing
            && (force
                || w.buffered_bytes() >= FLUSH_BYTES
                || self.last_flush.elapsed() >= FLUSH_EVERY)
        {
            self.last_flush = Instant::now();
            if let Err(e) = w.flush() {
                problems.push(self.abandon(&e));
            }
        }
        if let Some(w) = &self.writer
            && w.limit_reached()
            && !self.limit_noted
        {
            self.limit_noted = true;
            problems.push(SessionProblem::LogLimitReached {
                limit_mb: self.limit_mb,
            });
        }
        problems
    }

    /// A write failed (disk full, I/O error): keep the file as it was after the last whole
    /// block, stop logging, say so.
    fn abandon(&mut self, e: &std::io::Error) -> SessionProblem {
        self.writing = false;
        let kept_packets = match &mut self.writer {
            Some(w) => {
                let keep = w.committed_bytes();
                let _ = w.get_mut().set_len(keep);
                self.lost_to_write_error += w.discard_buffered();
                w.committed_records()
            }
            None => 0,
        };
        SessionProblem::LogWriteFailed {
            path: self.path.clone(),
            error: e.to_string(),
            kept_packets,
        }
    }

    /// Statistics blocks, last flush, sync. Returns a problem if that failed.
    pub fn finish(&mut self, stats: &[(u32, InterfaceStatistics)]) -> Option<SessionProblem> {
        if !self.writing {
            return None;
        }
        let w = self.writer.as_mut()?;
        for (component, s) in stats {
            w.write_statistics(*component, s);
        }
        match w.flush().and_then(|_| w.get_mut().sync_all()) {
            Ok(()) => None,
            Err(e) => Some(self.abandon(&e)),
        }
    }

    pub fn logged(&self) -> (u64, u64) {
        self.writer
            .as_ref()
            .map(|w| (w.committed_records(), w.committed_bytes()))
            .unwrap_or((0, 0))
    }

    pub fn not_logged(&self) -> u64 {
        self.writer.as_ref().map_or(0, |w| w.refused_records()) + self.lost_to_write_error
    }

    pub fn limit_reached(&self) -> bool {
        self.limit_noted
    }
}
