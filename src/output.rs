//! Small text helpers shared by the renderers, and the one way commands write to
//! standard output.
//!
//! A reader that goes away early (`pktmon list --json | grep -q x`, `| head -1`) is not a
//! failure of the command: every write to stdout goes through [`write_stdout`] (or the
//! [`out!`](crate::out)/[`outln!`](crate::outln) macros), which turns a closed pipe into
//! [`Error::OutputClosed`]; the command then ends quietly with exit 0, as `cat`, `grep`
//! and the like do when SIGPIPE is ignored. Nothing panics and nothing is printed.

use crate::error::{Error, Result};
use std::io::{self, Write};

/// The error a write to stdout (or a stream standing in for it) becomes: a closed pipe
/// is [`Error::OutputClosed`], anything else a failure naming the output.
pub fn stdout_error(e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Error::OutputClosed
    } else {
        Error::failure(format!("Failed to write to standard output: {e}"))
    }
}

/// Writes formatted text to stdout (see the module doc for a closed pipe).
pub fn write_stdout(args: std::fmt::Arguments<'_>) -> Result<()> {
    io::stdout().lock().write_fmt(args).map_err(stdout_error)
}

/// Writes bytes to stdout and flushes them (see the module doc for a closed pipe).
pub fn write_stdout_bytes(bytes: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(stdout_error)
}

/// The exit code the work decided, also when the reader of its report went away
/// (`pktmon status | grep -q x` still exits 3 when nothing runs).
pub fn with_code(printed: Result<()>, code: i32) -> Result<i32> {
    match printed {
        Ok(()) | Err(Error::OutputClosed) => Ok(code),
        Err(e) => Err(e),
    }
}

/// `print!` for commands: returns `Result<()>` instead of panicking on a closed pipe.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::output::write_stdout(format_args!($($arg)*)) };
}

/// `println!` for commands: returns `Result<()>` instead of panicking on a closed pipe.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `1234567` -> `1,234,567` (pktmon's tables group digits).
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(147232), "147,232");
        assert_eq!(group_thousands(1234567), "1,234,567");
    }
}
