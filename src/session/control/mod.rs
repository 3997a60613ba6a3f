//! The control channel of a background session: one JSON request line in, one JSON reply
//! line out. On Unix it is an owner-only Unix socket in the state directory; on Windows a
//! named pipe (whose default security lets only administrators, SYSTEM and the creator
//! write to it).

use super::SessionReport;
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, Read, Write};

#[cfg(windows)]
mod pipe;
#[cfg(unix)]
mod unix;

#[cfg(windows)]
pub use pipe::{ControlServer, send_request, wake};
#[cfg(unix)]
pub use unix::{ControlServer, send_request, wake};

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

/// The client half of one exchange: write the request line, read the reply line.
fn exchange(mut stream: impl Read + Write, req: Request) -> std::io::Result<Reply> {
    let mut line = serde_json::to_vec(&req)?;
    line.push(b'\n');
    stream.write_all(&line)?;
    stream.flush()?;
    let mut reply = String::new();
    BufReader::new(stream).read_line(&mut reply)?;
    if reply.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the session closed the connection without a reply",
        ));
    }
    serde_json::from_str(&reply).map_err(std::io::Error::other)
}

/// The server half of one exchange: read a request line, answer it with `handle`.
fn answer(
    mut stream: impl Read + Write,
    handle: &mut dyn FnMut(Request) -> Reply,
) -> std::io::Result<()> {
    let mut line = String::new();
    BufReader::new(&mut stream).read_line(&mut line)?;
    let reply = match serde_json::from_str::<Request>(line.trim()) {
        Ok(req) => handle(req),
        Err(e) => Reply::Error(format!("bad request: {e}")),
    };
    let mut out = serde_json::to_vec(&reply)?;
    out.push(b'\n');
    stream.write_all(&out)?;
    stream.flush()
}
