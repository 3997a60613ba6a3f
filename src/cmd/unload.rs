//! `pktmon unload`: stop every session and delete all state.

use crate::error::{Error, Result, exit};
use crate::session::state::{registered_sessions, state_dir};

pub fn run() -> Result<i32> {
    let mut code = exit::SUCCESS;
    for name in registered_sessions() {
        match super::stop::stop_for_unload(&name) {
            Ok(line) => println!("{line}"),
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
    Ok(code)
}
