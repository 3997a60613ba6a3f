//! The control channel over an owner-only Unix socket.

use super::{Reply, Request, answer, exchange};
use crate::error::{Error, Result};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Sends one request and waits at most `timeout` for the reply.
pub fn send_request(socket: &Path, req: Request, timeout: Duration) -> std::io::Result<Reply> {
    let stream = UnixStream::connect(socket)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    exchange(stream, req)
}

/// Nothing to do: the server polls its `done` flag.
pub fn wake(_socket: &Path) {}

pub struct ControlServer {
    listener: UnixListener,
}

impl ControlServer {
    pub fn bind(path: &Path) -> Result<ControlServer> {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::remove_file(path);
        // Created under an owner-only directory; tightened again below for good measure.
        let listener = UnixListener::bind(path).map_err(|e| {
            Error::failure(format!(
                "cannot create the control socket {}: {e}",
                path.display()
            ))
        })?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        listener.set_nonblocking(true)?;
        Ok(ControlServer { listener })
    }

    /// Answers requests with `handle` until `done` is set.
    pub fn serve(self, done: &AtomicBool, handle: &mut dyn FnMut(Request) -> Reply) {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    let _ = stream
                        .set_nonblocking(false)
                        .and_then(|_| stream.set_read_timeout(Some(Duration::from_secs(5))))
                        .and_then(|_| answer(&stream, handle));
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if done.load(Ordering::SeqCst) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}
