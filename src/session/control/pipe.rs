//! The control channel over a named pipe (`\\.\pipe\pktmon-…`). The server keeps one
//! instance listening at all times: it creates the next instance before it answers the
//! client that connected to the current one, so a client never finds the name missing
//! while the session lives.

use super::{Reply, Request, answer, exchange};
use crate::error::{Error, Result};
use std::os::windows::io::{FromRawHandle, OwnedHandle};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use windows_sys::Win32::Foundation::{
    ERROR_NO_DATA, ERROR_PIPE_BUSY, ERROR_PIPE_CONNECTED, GetLastError, INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Storage::FileSystem::{
    FILE_FLAG_FIRST_PIPE_INSTANCE, FlushFileBuffers, PIPE_ACCESS_DUPLEX,
};
use windows_sys::Win32::System::Pipes::{
    ConnectNamedPipe, CreateNamedPipeW, DisconnectNamedPipe, PIPE_READMODE_BYTE,
    PIPE_REJECT_REMOTE_CLIENTS, PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES, PIPE_WAIT,
};

fn open_client(pipe: &Path, deadline: Instant) -> std::io::Result<std::fs::File> {
    loop {
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(pipe)
        {
            Ok(f) => return Ok(f),
            // Every instance is talking to another client: wait for the next one.
            Err(e)
                if e.raw_os_error() == Some(ERROR_PIPE_BUSY as i32)
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Sends one request and waits at most `timeout` for the reply.
pub fn send_request(pipe: &Path, req: Request, timeout: Duration) -> std::io::Result<Reply> {
    let deadline = Instant::now() + timeout;
    let file = open_client(pipe, deadline)?;
    // Pipe reads have no timeout: exchange on a thread so that a session that never answers
    // cannot hold us past `timeout` (the thread ends with the process).
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(exchange(&file, req));
    });
    rx.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .unwrap_or_else(|_| {
            Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the session did not answer in time",
            ))
        })
}

/// Makes a server blocked waiting for a client notice that `done` is set.
pub fn wake(pipe: &Path) {
    let _ = open_client(pipe, Instant::now() + Duration::from_secs(2));
}

pub struct ControlServer {
    name: Vec<u16>,
    listening: OwnedHandle,
}

fn create_instance(name: &[u16], first: bool) -> std::io::Result<OwnedHandle> {
    let open_mode = PIPE_ACCESS_DUPLEX
        | if first {
            FILE_FLAG_FIRST_PIPE_INSTANCE
        } else {
            0
        };
    // SAFETY: `name` is NUL-terminated; default security attributes (null).
    let h = unsafe {
        CreateNamedPipeW(
            name.as_ptr(),
            open_mode,
            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
            PIPE_UNLIMITED_INSTANCES,
            4096,
            4096,
            0,
            std::ptr::null(),
        )
    };
    if h == INVALID_HANDLE_VALUE || h.is_null() {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: a fresh handle that nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(h) })
}

/// Waits for a client on `h`. Ok(false): the client came and went before we saw it.
fn connect(h: &OwnedHandle) -> std::io::Result<bool> {
    use std::os::windows::io::AsRawHandle;
    // SAFETY: a pipe handle we own; synchronous (no OVERLAPPED).
    if unsafe { ConnectNamedPipe(h.as_raw_handle(), std::ptr::null_mut()) } != 0 {
        return Ok(true);
    }
    // SAFETY: reads this thread's last error.
    match unsafe { GetLastError() } {
        ERROR_PIPE_CONNECTED => Ok(true),
        ERROR_NO_DATA => Ok(false),
        _ => Err(std::io::Error::last_os_error()),
    }
}

impl ControlServer {
    /// Creates the pipe. Refuses a name another process already serves.
    pub fn bind(pipe: &Path) -> Result<ControlServer> {
        let name: Vec<u16> = pipe
            .as_os_str()
            .to_string_lossy()
            .encode_utf16()
            .chain(std::iter::once(0))
            .collect();
        let listening = create_instance(&name, true).map_err(|e| {
            Error::failure(format!(
                "cannot create the control pipe {}: {e}",
                pipe.display()
            ))
        })?;
        Ok(ControlServer { name, listening })
    }

    /// Answers requests with `handle` until `done` is set (and `wake` called).
    pub fn serve(mut self, done: &AtomicBool, handle: &mut dyn FnMut(Request) -> Reply) {
        use std::os::windows::io::AsRawHandle;
        let mut failures = 0;
        while !done.load(Ordering::SeqCst) {
            let connected = match connect(&self.listening) {
                Ok(c) => c,
                Err(_) => {
                    failures += 1;
                    if failures > 100 {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(20));
                    false
                }
            };
            if done.load(Ordering::SeqCst) {
                return;
            }
            let Ok(next) = create_instance(&self.name, false) else {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            };
            let conn = std::mem::replace(&mut self.listening, next);
            if connected {
                let file = std::fs::File::from(conn);
                let _ = answer(&file, handle);
                // SAFETY: the handle is the connected pipe instance `file` owns.
                unsafe {
                    FlushFileBuffers(file.as_raw_handle());
                    DisconnectNamedPipe(file.as_raw_handle());
                }
            }
        }
    }
}
