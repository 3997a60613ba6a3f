//! `pktmon status`.

use crate::error::{Result, exit};
use crate::session::client::{self, SessionState};
use crate::session::state::SessionPaths;
use crate::session::summary;
use clap::ArgMatches;
use serde_json::json;

pub fn run(m: &ArgMatches, session: &str) -> Result<i32> {
    let paths = SessionPaths::new(session);
    let state = client::query(&paths);
    if m.get_flag("json") {
        let (doc, code) = match &state {
            SessionState::NotRunning => (json!({"State": "not running"}), exit::NOT_RUNNING),
            SessionState::Running(r) => (json!({"State": "running", "Session": r}), exit::SUCCESS),
            SessionState::Dead(i) => (
                json!({"State": "dead", "Session": {"info": i}}),
                exit::FAILURE,
            ),
            SessionState::Unresponsive(i, why) => (
                json!({"State": "not responding", "Reason": why, "Session": {"info": i}}),
                exit::FAILURE,
            ),
        };
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return Ok(code);
    }
    match state {
        SessionState::NotRunning => {
            println!("Packet Monitor is not running.");
            Ok(exit::NOT_RUNNING)
        }
        SessionState::Running(r) => {
            print!("{}", summary::parameters(&r.info));
            print!("{}", summary::statistics(&r));
            Ok(exit::SUCCESS)
        }
        SessionState::Dead(info) => {
            println!(
                "Packet Monitor is not running: the session's process ({}) ended unexpectedly.",
                info.pid
            );
            println!(
                "What it logged until then is in {}. Run 'pktmon stop' to clean up.",
                info.config.log_file.display()
            );
            Ok(exit::FAILURE)
        }
        SessionState::Unresponsive(info, why) => {
            println!(
                "Packet Monitor's session process ({}) does not answer: {why}",
                info.pid
            );
            Ok(exit::FAILURE)
        }
    }
}
