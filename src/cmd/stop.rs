//! `pktmon stop`.

use crate::error::{Error, Result, exit};
use crate::session::client::{self, StopOutcome};
use crate::session::json as session_json;
use crate::session::log::{Mended, mend_after_death};
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
            // The log is mended the same way; the text form says how.
            let _ = mend_after_death(&info.config);
            let printed = crate::json::print(serde_json::json!({
                "State": "dead",
                "Session": {"Info": session_json::info(&info)},
            }));
            crate::output::with_code(printed, exit::FAILURE)
        }
        StopOutcome::WasDead(info) => {
            let mended = mend_after_death(&info.config);
            let printed = crate::outln!(
                "The session's process ({}) had ended unexpectedly; its records were cleaned up and what it wrote is kept.\n\
                 {}Log file: {} (events lost: unknown, the session process died)",
                info.pid,
                mended_text(&mended),
                info.config.log_file.display()
            );
            crate::output::with_code(printed, exit::FAILURE)
        }
    }
}

/// What `stop` did to the log of a dead session, a line each (or nothing).
fn mended_text(m: &Mended) -> String {
    match m {
        Mended::Joined { packets } => format!(
            "The circular log was put in time order ({} packets).\n",
            crate::output::group_thousands(*packets)
        ),
        Mended::NotJoined(why) => format!(
            "Warning: the circular log could not be put in time order ({why}); it stays readable, one section per slot.\n"
        ),
        Mended::AsWritten => String::new(),
        Mended::Files(files) => {
            let mut t = format!("Log files written: {}\n", files.len());
            for f in files {
                t.push_str(&format!("    {}\n", f.display()));
            }
            t
        }
        Mended::Lost => "The memory-mode log was lost with the process: memory mode writes the log only at stop.\n".to_string(),
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
        StopOutcome::WasDead(info) => {
            let mended = mend_after_death(&info.config);
            Ok(format!(
                "Cleaned up session '{session}' whose process had died. {}Log file: {}",
                mended_text(&mended).replace('\n', " "),
                info.config.log_file.display()
            ))
        }
    }
}
