//! `pktmon status`.

use crate::error::{Result, exit};
use crate::session::client::{self, SessionState};
use crate::session::json as session_json;
use crate::session::state::SessionPaths;
use crate::session::summary;
use clap::ArgMatches;
use serde_json::json;

pub fn run(m: &ArgMatches, session: &str) -> Result<i32> {
    let paths = SessionPaths::new(session);
    let state = client::query(&paths);
    if m.get_flag("json") {
        let (doc, code) = match &state {
            SessionState::NotRunning => {
                let mut doc = json!({"State": "not running"});
                if let Some(why) = ended_on_its_own(&paths) {
                    doc["LastSessionEnded"] = json!(why);
                }
                (doc, exit::NOT_RUNNING)
            }
            SessionState::Running(r) => (
                json!({"State": "running", "Session": session_json::report(r)}),
                exit::SUCCESS,
            ),
            SessionState::Dead(i) => (
                json!({"State": "dead", "Session": {"Info": session_json::info(i)}}),
                exit::FAILURE,
            ),
            SessionState::Unresponsive(i, why) => (
                json!({"State": "not responding", "Reason": why, "Session": {"Info": session_json::info(i)}}),
                exit::FAILURE,
            ),
        };
        let printed = crate::json::print(doc);
        return crate::output::with_code(printed, code);
    }
    let ended = ended_on_its_own(&paths);
    let (printed, code) = report(state, m.get_flag("buffer-info"), ended.as_deref());
    crate::output::with_code(printed, code)
}

/// Why the last session of this name ended by itself (its stream stopped, its capture
/// failed), from its final report; None when it was stopped.
fn ended_on_its_own(paths: &SessionPaths) -> Option<String> {
    let last = client::read_last_report(paths)?;
    let why: Vec<String> = last
        .errors
        .iter()
        .filter(|e| e.ended_session())
        .map(|e| e.to_string())
        .collect();
    (!why.is_empty()).then(|| why.join("; "))
}

/// Prints the state; the exit code it means.
fn report(state: SessionState, buffer_info: bool, ended: Option<&str>) -> (Result<()>, i32) {
    match state {
        SessionState::NotRunning => (
            match ended {
                Some(why) => crate::outln!(
                    "Packet Monitor is not running. The last session ended on its own: {why}"
                ),
                None => crate::outln!("Packet Monitor is not running."),
            },
            exit::NOT_RUNNING,
        ),
        SessionState::Running(r) => {
            let text = format!(
                "{}{}{}",
                summary::parameters(&r.info),
                summary::statistics(&r),
                if buffer_info {
                    summary::buffers(&r)
                } else {
                    String::new()
                }
            );
            (crate::out!("{text}"), exit::SUCCESS)
        }
        SessionState::Dead(info) => {
            let printed = crate::outln!(
                "Packet Monitor is not running: the session's process ({}) ended unexpectedly.\n\
                 What it logged until then is in {}. Run 'pktmon stop' to clean up.",
                info.pid,
                info.config.log_file.display()
            );
            (printed, exit::FAILURE)
        }
        SessionState::Unresponsive(info, why) => {
            let printed = crate::outln!(
                "Packet Monitor's session process ({}) does not answer: {why}",
                info.pid
            );
            (printed, exit::FAILURE)
        }
    }
}
