//! What can go wrong reading an ETL file. Every error names the byte offset in the file.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EtlError {
    /// The file could not be read at all.
    Io { path: String, message: String },
    /// The file does not start like an ETL file (or its logfile header is unusable).
    NotEtl { offset: u64, what: String },
    /// The file ends in the middle of a buffer.
    Truncated { offset: u64, what: String },
    /// Data that cannot be right; `offset` is the buffer's start in the file, `what`
    /// says where inside it.
    Corrupt { offset: u64, what: String },
    /// A sound ETL file without a single Microsoft-Windows-PktMon event.
    NoPacketMonitorEvents { events: u64 },
}

impl EtlError {
    /// The file offset the error is about (0 for I/O errors).
    pub fn offset(&self) -> u64 {
        match self {
            EtlError::Io { .. } | EtlError::NoPacketMonitorEvents { .. } => 0,
            EtlError::NotEtl { offset, .. }
            | EtlError::Truncated { offset, .. }
            | EtlError::Corrupt { offset, .. } => *offset,
        }
    }
}

impl fmt::Display for EtlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EtlError::Io { path, message } => write!(f, "cannot read {path}: {message}"),
            EtlError::NotEtl { offset, what } => {
                write!(f, "not an ETL file (at byte offset {offset}): {what}")
            }
            EtlError::Truncated { offset, what } => {
                write!(f, "the file is truncated at byte offset {offset}: {what}")
            }
            EtlError::Corrupt { offset, what } => {
                write!(f, "corrupt data at byte offset {offset}: {what}")
            }
            EtlError::NoPacketMonitorEvents { events } => write!(
                f,
                "no Packet Monitor events: the file holds {events} events, none from Microsoft-Windows-PktMon"
            ),
        }
    }
}

impl std::error::Error for EtlError {}

impl From<EtlError> for crate::error::Error {
    fn from(e: EtlError) -> Self {
        crate::error::Error::failure(e.to_string())
    }
}
