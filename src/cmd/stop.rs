//! `pktmon stop`.

use crate::error::{Error, Result, exit};
use crate::session::client::{self, StopOutcome};
use crate::session::json as session_json;
use crate::session::state::SessionPaths;
use crate::session::summary;
use clap::ArgMatches;

pub fn run(m: &ArgMatches, session: &str) -> Result<i32> {
    let json = m.get_flag("json");
    let paths = SessionPaths::new(session);
    match client::stop(&paths)? {
        StopOutcome::Stopped(r) => {
            let printed = if json {
                crate::json::print(
                    serde_json::json!({"State": "stopped", "Session": session_json::report(&r)}),
                )
            } else {
                crate::out!("{}", summary::stopped(&r))
            };
            // A log that could not be written completely is a failure the caller must see.
            let write_failed = r.errors.iter().any(|e| e.is_write_failure());
            let code = if write_failed {
                exit::FAILURE
            } else {
                exit::SUCCESS
            };
            crate::output::with_code(printed, code)
        }
        StopOutcome::WasDead(info) if json => {
            let printed = crate::json::print(serde_json::json!({
                "State": "dead",
                "Session": {"Info": session_json::info(&info)},
            }));
            crate::output::with_code(printed, exit::FAILURE)
        }
        StopOutcome::WasDead(info) => {
            let printed = crate::outln!(
                "The session's process ({}) had ended unexpectedly; its records were cleaned up and what it wrote is kept.\n\
                 Log file: {} (events lost: unknown, the session process died)",
                info.pid,
                info.config.log_file.display()
            );
            crate::output::with_code(printed, exit::FAILURE)
        }
    }
}

/// Used by `unload`: stop quietly, say only where the log is.
pub fn stop_for_unload(session: &str) -> std::result::Result<String, Error> {
    let paths = SessionPaths::new(session);
    match client::stop(&paths)? {
        StopOutcome::Stopped(r) => Ok(format!(
            "Stopped session '{session}'. Log file: {} ({})",
            r.info.config.log_file.display(),
            summary::lost_text(r.events_lost)
        )),
        StopOutcome::WasDead(info) => Ok(format!(
            "Cleaned up session '{session}' whose process had died. Log file: {}",
            info.config.log_file.display()
        )),
    }
}
