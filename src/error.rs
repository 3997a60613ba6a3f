//! One error type for the whole tool; each variant maps to one documented exit code.

use std::fmt;

/// Exit codes shared by every command (README has the table).
pub mod exit {
    pub const SUCCESS: i32 = 0;
    pub const FAILURE: i32 = 1;
    /// Nothing is running: `status`, `stop`, `counters` (also `--live`), `reset` (LSB
    /// convention for status).
    pub const NOT_RUNNING: i32 = 3;
    /// Access denied: needs root or capabilities.
    pub const ACCESS_DENIED: i32 = 5;
    /// Invalid parameter or unknown command (Windows' ERROR_INVALID_PARAMETER).
    pub const INVALID_PARAMETER: i32 = 87;
}

#[derive(Debug)]
pub enum Error {
    /// Bad command line: unknown command/parameter, bad value. Exit 87.
    InvalidParameter(String),
    /// Missing privilege. Exit 5.
    AccessDenied(String),
    /// Nothing running where a session was needed (`status`, `stop`, `counters`, `reset`
    /// with no session). Exit 3, the same for every command.
    NotRunning(String),
    /// Anything that failed while doing the work. Exit 1.
    Failure(String),
    /// The reader of standard output went away (`| head -1`): the command stops writing
    /// and ends quietly. Exit 0, nothing printed.
    OutputClosed,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::InvalidParameter(_) => exit::INVALID_PARAMETER,
            Error::AccessDenied(_) => exit::ACCESS_DENIED,
            Error::NotRunning(_) => exit::NOT_RUNNING,
            Error::Failure(_) => exit::FAILURE,
            Error::OutputClosed => exit::SUCCESS,
        }
    }

    pub fn failure(msg: impl Into<String>) -> Self {
        Error::Failure(msg.into())
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::InvalidParameter(msg.into())
    }

    /// The message telling a user how to get the privileges a live capture needs.
    pub fn capture_needs_privilege(detail: &str) -> Self {
        let exe = std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "pktmon".to_string());
        Error::AccessDenied(format!(
            "Access is denied: packet capture needs root or CAP_NET_RAW{detail}.\n\
             Run it with sudo, or give the binary the capabilities once:\n    \
             sudo setcap cap_net_raw,cap_net_admin+eip {exe}"
        ))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidParameter(m)
            | Error::AccessDenied(m)
            | Error::NotRunning(m)
            | Error::Failure(m) => f.write_str(m),
            Error::OutputClosed => f.write_str("the reader of standard output went away"),
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Failure(e.to_string())
    }
}
