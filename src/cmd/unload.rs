//! `pktmon unload`: stop every session and delete all state.

use crate::error::{Error, Result, exit};
use crate::session::state::{registered_sessions, state_dir};

pub fn run() -> Result<i32> {
    let mut code = exit::SUCCESS;
    // The work finishes even when nobody reads stdout any more (`| head -1`).
    let mut output_closed = false;
    for name in registered_sessions() {
        match super::stop::stop_for_unload(&name) {
            Ok(line) => output_closed |= crate::outln!("{line}").is_err(),
            Err(e) => {
                eprintln!("Session '{name}': {e}");
                code = exit::FAILURE;
            }
        }
    }
    let dir = state_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| {
            Error::failure(format!(
                "cannot delete the state directory {}: {e}",
                dir.display()
            ))
        })?;
    }
    if output_closed && code == exit::SUCCESS {
        return Err(Error::OutputClosed);
    }
    Ok(code)
}
