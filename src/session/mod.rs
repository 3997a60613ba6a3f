//! Sessions: the state directory, the registry of running sessions, the background process
//! that owns a capture, and the control channel to it.

pub mod client;
pub mod control;
pub mod daemon;
pub mod interrupt;
pub mod json;
pub mod log;
pub mod metrics;
mod pipeline;
pub mod problem;
pub mod process;
pub mod state;
pub mod summary;

use crate::components::Component;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What `pktmon start` asked for; handed from the launcher to the session process.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionConfig {
    pub name: String,
    /// Absolute path of the pcapng log.
    pub log_file: PathBuf,
    pub file_size_mb: u64,
    pub pkt_size: u32,
    /// `Monitored Components:` label (All, NICs, or the ids).
    pub selector_label: String,
    /// Ids were named explicitly: failing to arm one of them fails `start`.
    pub explicit_components: bool,
    /// What `--comp` selected, for interfaces that appear during the session (None in
    /// configs of older versions).
    #[serde(default)]
    pub selection: Option<crate::components::SelectionScope>,
    pub components: Vec<Component>,
    /// "All packets", "Flow packets" or "Drop packets".
    pub capture_type: String,
    /// Which records reach the log (`--type`).
    #[serde(default)]
    pub packet_type: PacketType,
    /// `--counters-only`: count, write no log.
    #[serde(default)]
    pub counters_only: bool,
    /// `-m real-time`: print records on the console, write no log.
    #[serde(default)]
    pub real_time: bool,
    /// How the log is kept (`-m circular|multi-file|memory`).
    #[serde(default)]
    pub log_mode: LogMode,
    /// Kernel capture buffer per component, bytes.
    pub buffer_bytes: u32,
    /// The packet filters in force when the session started.
    #[serde(default)]
    pub filters: crate::filter::FilterSet,
    /// `--metrics`: where to serve the session's metrics (address:port), if anywhere.
    #[serde(default)]
    pub metrics: Option<String>,
}

/// `start -m`: how the log is kept (real-time, which keeps none, is `real_time`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogMode {
    /// One file of at most `--file-size`; the oldest packets give way to the newest.
    #[default]
    Circular,
    /// A new numbered file each time the current one reaches `--file-size`.
    MultiFile,
    /// A ring of `--file-size` in memory, written to the file at stop.
    Memory,
}

impl LogMode {
    /// How `start` and `status` name it (pktmon's `Logging mode:` line).
    pub fn label(self) -> &'static str {
        match self {
            LogMode::Circular => "Circular",
            LogMode::MultiFile => "Multi-file",
            LogMode::Memory => "Memory",
        }
    }
}

/// What the log holds, as `status` and `stop` report it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LogReport {
    /// None when the session keeps no log (counters only, real-time).
    pub mode: Option<LogMode>,
    /// Bytes of log on disk now (memory mode: 0 until stop writes it).
    pub bytes_on_disk: u64,
    /// Packets that gave way to newer ones (circular, memory).
    pub packets_overwritten: u64,
    /// Files written so far, oldest first (multi-file: one per number).
    pub files: Vec<PathBuf>,
    pub files_written: u64,
}

/// `start --type`: which records are logged (counters always count both).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PacketType {
    #[default]
    All,
    Flow,
    Drop,
}

impl PacketType {
    pub fn logs_flows(self) -> bool {
        self != PacketType::Drop
    }
    pub fn logs_drops(self) -> bool {
        self != PacketType::Flow
    }
}

/// A component the session monitors.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MonitoredComponent {
    pub id: u32,
    pub name: String,
    pub link_type: u16,
}

/// A component the session could not monitor (only with `--comp all|nics`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SkippedComponent {
    pub id: u32,
    pub name: String,
    pub reason: String,
}

/// The registry entry of a running session, written by its process once capture is armed.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionInfo {
    pub config: SessionConfig,
    pub pid: u32,
    /// The process's start time in clock ticks since boot (0 = unknown): with the pid it
    /// names the process even after the pid is reused.
    #[serde(default)]
    pub pid_start_ticks: u64,
    pub started_unix_ms: u64,
    pub socket: PathBuf,
    pub monitored: Vec<MonitoredComponent>,
    pub skipped: Vec<SkippedComponent>,
    /// Which kernel drop source is active, and why (fallbacks, refusals).
    #[serde(default)]
    pub drop_source: String,
    /// How packets are seen and followed across components, and why (fallbacks).
    #[serde(default)]
    pub path_source: String,
    /// Where the metrics endpoint listens (the port chosen when 0 was asked for).
    #[serde(default)]
    pub metrics_address: Option<String>,
}

impl SessionInfo {
    /// Kernel buffer memory in use, bytes, and the ring of memory mode.
    pub fn memory_bytes(&self) -> u64 {
        let ring = if self.config.log_mode == LogMode::Memory
            && !self.config.real_time
            && !self.config.counters_only
        {
            self.config.file_size_mb * 1024 * 1024
        } else {
            0
        };
        self.config.buffer_bytes as u64 * self.monitored.len() as u64 + ring
    }
}

/// Numbers and state of a session, as `status` and `stop` report them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionReport {
    pub info: SessionInfo,
    pub running: bool,
    /// Packets the capture delivered.
    pub packets_seen: u64,
    /// Packets no filter matched (not logged).
    #[serde(default)]
    pub packets_filtered_out: u64,
    /// Packets written to the log file (and flushed).
    pub packets_logged: u64,
    pub bytes_logged: u64,
    /// Packets not logged because writing failed (or, before the log modes, the size
    /// limit was reached; also a packet larger than a circular slot or a numbered file).
    pub packets_not_logged: u64,
    /// Sessions of versions before the log modes stopped logging at `--file-size`; a log
    /// now wraps or goes on in the next file, so this stays false.
    #[serde(default)]
    pub limit_reached: bool,
    /// Packets the kernel dropped because the capture buffer was full.
    pub events_lost: u64,
    /// CPU time the session process used so far (user + system), seconds.
    #[serde(default)]
    pub cpu_seconds: f64,
    pub errors: Vec<problem::SessionProblem>,
    /// Per-component counters (flows that passed the filters, drops, interface drops).
    #[serde(default)]
    pub counters: crate::counters::CounterSet,
    /// The log: its mode, bytes on disk, packets overwritten, files written.
    #[serde(default)]
    pub log: LogReport,
}

/// Session names become file names: keep them plain.
pub fn validate_session_name(name: &str) -> crate::error::Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !name.starts_with('.');
    if ok {
        Ok(())
    } else {
        Err(crate::error::Error::invalid(format!(
            "Error: '{name}' is not a valid argument to parameter '--session'. \
             Use up to 64 letters, digits, '-', '_' or '.'."
        )))
    }
}
