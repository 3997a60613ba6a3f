//! The launcher and controller side of a session: start the background process and wait
//! until capture is armed, ask it for status, stop it, clean up after a dead one.

use super::SessionConfig;
use super::control::{Reply, Request};
use super::process;
use super::state::SessionPaths;
use super::state::write_private;
use super::{SessionInfo, SessionReport};
use crate::error::{Error, Result};
use std::time::{Duration, Instant};

/// What is known about a named session.
#[derive(Debug)]
pub enum SessionState {
    NotRunning,
    Running(Box<SessionReport>),
    /// Registered, but its process is gone (killed, crashed).
    Dead(Box<SessionInfo>),
    /// Its process lives but does not answer.
    Unresponsive(Box<SessionInfo>, String),
}

pub fn read_registry(paths: &SessionPaths) -> Option<SessionInfo> {
    let bytes = std::fs::read(paths.registry()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The last report a session wrote when it finished (for `stop` of a session that ended
/// by itself and, later, for `counters` after `stop`).
pub fn read_last_report(paths: &SessionPaths) -> Option<SessionReport> {
    let bytes = std::fs::read(paths.last_report()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether the session process `pid` (started at `start_ticks`, 0 = unknown) is alive
/// and not a zombie.
pub fn session_alive(pid: u32, start_ticks: u64) -> bool {
    if !process::alive(pid) {
        return false;
    }
    start_ticks == 0 || process::start_ticks(pid).is_none_or(|t| t == start_ticks)
}

/// Waits (bounded) until the session's process has exited.
fn wait_exit(info: &SessionInfo, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if !session_alive(info.pid, info.pid_start_ticks) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    !session_alive(info.pid, info.pid_start_ticks)
}

pub fn query(paths: &SessionPaths) -> SessionState {
    let Some(info) = read_registry(paths) else {
        return SessionState::NotRunning;
    };
    if !session_alive(info.pid, info.pid_start_ticks) {
        return SessionState::Dead(Box::new(info));
    }
    match super::control::send_request(&info.socket, Request::Status, Duration::from_secs(10)) {
        Ok(Reply::Report(r)) => SessionState::Running(r),
        Ok(Reply::Error(e)) => SessionState::Unresponsive(Box::new(info), e),
        Err(e) => {
            // A process being killed drops its socket before it is reaped: give it a
            // moment to be gone before calling it unresponsive.
            if wait_exit(&info, Duration::from_millis(500)) {
                SessionState::Dead(Box::new(info))
            } else {
                SessionState::Unresponsive(Box::new(info), e.to_string())
            }
        }
    }
}

/// Removes the registry entry and socket of a session whose process is gone.
pub fn clean_up(paths: &SessionPaths) {
    for p in [paths.registry(), paths.socket(), paths.config()] {
        let _ = std::fs::remove_file(p);
    }
}

/// How a `stop` ended.
#[derive(Debug)]
pub enum StopOutcome {
    Stopped(Box<SessionReport>),
    /// The process had died; its registry was cleaned up and its log kept.
    WasDead(Box<SessionInfo>),
}

pub fn stop(paths: &SessionPaths) -> Result<StopOutcome> {
    let Some(info) = read_registry(paths) else {
        return Err(Error::NotRunning("Packet Monitor is not running.".into()));
    };
    if !session_alive(info.pid, info.pid_start_ticks) {
        clean_up(paths);
        return Ok(StopOutcome::WasDead(Box::new(info)));
    }
    {
        let reply =
            super::control::send_request(&info.socket, Request::Stop, Duration::from_secs(90));
        let exited = wait_exit(&info, Duration::from_secs(10));
        match reply {
            Ok(Reply::Report(r)) => {
                if !exited {
                    return Err(Error::failure(format!(
                        "the session finished its log but its process {} did not exit",
                        info.pid
                    )));
                }
                Ok(StopOutcome::Stopped(r))
            }
            Ok(Reply::Error(e)) => Err(Error::failure(format!("the session could not stop: {e}"))),
            Err(e) => {
                // It may have finished on its own meanwhile (SIGTERM): use its final report.
                match read_last_report(paths) {
                    Some(r) if exited && r.info.started_unix_ms == info.started_unix_ms => {
                        Ok(StopOutcome::Stopped(Box::new(r)))
                    }
                    _ if !session_alive(info.pid, info.pid_start_ticks) => {
                        clean_up(paths);
                        Ok(StopOutcome::WasDead(Box::new(info)))
                    }
                    _ => Err(Error::failure(format!(
                        "the session (process {}) does not answer: {e}",
                        info.pid
                    ))),
                }
            }
        }
    }
}

/// Starts the background session process and returns once every component is armed.
pub fn launch(paths: &SessionPaths, config: &SessionConfig) -> Result<SessionInfo> {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let json = serde_json::to_vec_pretty(config).map_err(|e| Error::failure(e.to_string()))?;
    write_private(&paths.config(), &json)?;
    let exe = std::env::current_exe()
        .map_err(|e| Error::failure(format!("cannot find the pktmon executable: {e}")))?;
    let log = super::state::private_file(&paths.log())
        .map_err(|e| Error::failure(format!("cannot write {}: {e}", paths.log().display())))?;
    let mut cmd = Command::new(exe);
    cmd.arg("__session")
        .arg(&paths.name)
        .env(super::state::STATE_DIR_ENV, &paths.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log));
    process::detach(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| Error::failure(format!("cannot start the session process: {e}")))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Error::failure("no pipe to the session process"))?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(l) => l,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            clean_up(paths);
            return Err(Error::failure(
                "capture was not armed within 60 s; the session was stopped",
            ));
        }
    };
    if let Some(info) = line.trim_end().strip_prefix("READY ") {
        return serde_json::from_str(info).map_err(|e| {
            Error::failure(format!(
                "the session started but its parameters are unreadable: {e}"
            ))
        });
    }
    let _ = child.wait();
    let _ = std::fs::remove_file(paths.config());
    if let Some(rest) = line.trim_end().strip_prefix("ERROR ") {
        let (code, msg) = rest.split_once(' ').unwrap_or((rest, "\"\""));
        let msg: String = serde_json::from_str(msg).unwrap_or_else(|_| msg.to_string());
        return Err(match code.parse::<i32>().unwrap_or(1) {
            crate::error::exit::ACCESS_DENIED => Error::AccessDenied(msg),
            crate::error::exit::INVALID_PARAMETER => Error::InvalidParameter(msg),
            _ => Error::Failure(msg),
        });
    }
    let tail = std::fs::read_to_string(paths.log()).unwrap_or_default();
    let tail: Vec<&str> = tail.lines().rev().take(5).collect();
    Err(Error::failure(format!(
        "the session process ended before capture was armed{}",
        if tail.is_empty() {
            String::new()
        } else {
            format!(
                ": {}",
                tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
            )
        }
    )))
}
