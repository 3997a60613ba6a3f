//! What can go wrong in a running session, as `status` and `stop` report it. Commands
//! decide on the variant (e.g. `stop` exits 1 when the log could not be written), never
//! on the wording.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SessionProblem {
    /// The capture backend failed; the session stopped.
    CaptureFailed { message: String },
    /// The capture ended on its own (the PktMon driver stopped the stream while the
    /// session was active); the session stopped.
    CaptureStopped { message: String },
    /// One component's capture ended on its own (the interface went away).
    ComponentEnded { component: u32, message: String },
    /// The kernel drop tracer failed; drops are no longer seen.
    DropTracingFailed { message: String },
    /// The kernel path tracer failed; sightings are no longer seen.
    PathTracingFailed { message: String },
    /// The log reached `--file-size`: logging stopped, counting goes on (sessions of
    /// versions before the log modes; circular logs now wrap).
    LogLimitReached { limit_mb: u64 },
    /// Writing the log failed (disk full, I/O error): logging stopped, what was written
    /// before is kept.
    LogWriteFailed {
        path: String,
        error: String,
        kept_packets: u64,
    },
    /// The log file (or its folder) was removed while the session wrote it: logging
    /// stopped, counting goes on.
    LogRemoved { path: String },
    /// The circular log could not be put in time order at stop; it stays as written (a
    /// valid pcapng of one section per slot, in slot order).
    LogNotJoined { path: String, error: String },
}

impl SessionProblem {
    /// True when the log is incomplete because of an error (not a limit the user set).
    pub fn is_write_failure(&self) -> bool {
        matches!(
            self,
            SessionProblem::LogWriteFailed { .. }
                | SessionProblem::LogRemoved { .. }
                | SessionProblem::LogNotJoined { .. }
        )
    }

    /// True when the session ended because of it (not stopped by anyone).
    pub fn ended_session(&self) -> bool {
        matches!(
            self,
            SessionProblem::CaptureFailed { .. } | SessionProblem::CaptureStopped { .. }
        )
    }

    /// The variant's name, for `status --json` (`"Kind"`): scripts decide on it, never on
    /// the message's wording.
    pub fn kind_name(&self) -> &'static str {
        match self {
            SessionProblem::CaptureFailed { .. } => "CaptureFailed",
            SessionProblem::CaptureStopped { .. } => "CaptureStopped",
            SessionProblem::ComponentEnded { .. } => "ComponentEnded",
            SessionProblem::DropTracingFailed { .. } => "DropTracingFailed",
            SessionProblem::PathTracingFailed { .. } => "PathTracingFailed",
            SessionProblem::LogLimitReached { .. } => "LogLimitReached",
            SessionProblem::LogWriteFailed { .. } => "LogWriteFailed",
            SessionProblem::LogRemoved { .. } => "LogRemoved",
            SessionProblem::LogNotJoined { .. } => "LogNotJoined",
        }
    }
}

impl fmt::Display for SessionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionProblem::CaptureFailed { message } => write!(f, "capture failed: {message}"),
            SessionProblem::CaptureStopped { message } => {
                write!(f, "capture stopped: {message}; the session ended")
            }
            SessionProblem::ComponentEnded { component, message } => {
                write!(f, "component {component}: {message}")
            }
            SessionProblem::DropTracingFailed { message } => {
                write!(
                    f,
                    "drop tracing failed: {message}; drops are no longer seen"
                )
            }
            SessionProblem::PathTracingFailed { message } => write!(
                f,
                "packet path tracing failed: {message}; packets are no longer seen"
            ),
            SessionProblem::LogLimitReached { limit_mb } => write!(
                f,
                "the log file reached its size limit ({limit_mb} MB): logging stopped there, capture goes on being counted"
            ),
            SessionProblem::LogWriteFailed {
                path,
                error,
                kept_packets,
            } => write!(
                f,
                "writing {path} failed ({error}): logging stopped; the {kept_packets} packets logged before that are kept"
            ),
            SessionProblem::LogRemoved { path } => write!(
                f,
                "the log file {path} (or its folder) was removed: logging stopped, capture goes on being counted"
            ),
            SessionProblem::LogNotJoined { path, error } => write!(
                f,
                "the circular log {path} could not be put in time order ({error}); it stays readable, one section per slot"
            ),
        }
    }
}
