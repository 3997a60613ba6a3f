//! The control channel: one JSON request line, one JSON reply line, over the session's
//! owner-only Unix socket.

use super::SessionReport;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Request {
    Status,
    Stop,
    /// Zero the counters.
    Reset,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Reply {
    Report(Box<SessionReport>),
    Error(String),
}

#[cfg(unix)]
pub use unix::send_request;

/// No control channel to a background session exists here yet (Windows would use a named
/// pipe); callers report the session as unresponsive.
#[cfg(not(unix))]
pub fn send_request(
    _socket: &std::path::Path,
    _req: Request,
    _timeout: std::time::Duration,
) -> std::io::Result<Reply> {
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "background sessions are not supported on this platform yet",
    ))
}

#[cfg(unix)]
mod unix {
    use super::{Reply, Request};
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixStream;
    use std::path::Path;
    use std::time::Duration;

    /// Sends one request and waits at most `timeout` for the reply.
    pub fn send_request(socket: &Path, req: Request, timeout: Duration) -> std::io::Result<Reply> {
        let mut stream = UnixStream::connect(socket)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        let mut line = serde_json::to_vec(&req)?;
        line.push(b'\n');
        stream.write_all(&line)?;
        let mut reader = BufReader::new(stream);
        let mut reply = String::new();
        reader.read_line(&mut reply)?;
        if reply.is_empty() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the session closed the connection without a reply",
            ));
        }
        serde_json::from_str(&reply).map_err(std::io::Error::other)
    }
}
