//! Why a BPF tracer could not be set up, worded for users.

use std::io;

/// An OS error as a user reads it: "Operation not permitted", without "(os error 1)".
pub fn os_error(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Why one step of the setup failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupError {
    pub message: String,
    /// Refused for lack of privilege (as opposed to a missing kernel feature).
    pub permission: bool,
}

/// What users are told to get when the kernel says no.
pub const PRIVILEGE_HINT: &str = "needs root or CAP_BPF+CAP_PERFMON";

impl SetupError {
    /// A system call `what` failed with `e`; EPERM/EACCES are privilege problems.
    pub fn refused(what: &str, e: &io::Error) -> SetupError {
        let permission = matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EACCES));
        let hint = if permission {
            format!(" ({PRIVILEGE_HINT})")
        } else {
            String::new()
        };
        SetupError {
            message: format!("{what}: {}{hint}", os_error(e)),
            permission,
        }
    }

    /// Anything else: the kernel lacks a feature, or BTF is not what we expect.
    pub fn failed(message: impl Into<String>) -> SetupError {
        SetupError {
            message: message.into(),
            permission: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_errors_say_what_to_do() {
        let e = SetupError::refused("bpf(BPF_PROG_LOAD)", &io::Error::from_raw_os_error(1));
        assert!(e.permission);
        assert_eq!(
            e.message,
            "bpf(BPF_PROG_LOAD): Operation not permitted (needs root or CAP_BPF+CAP_PERFMON)"
        );
        let e = SetupError::refused("bpf(BPF_MAP_CREATE)", &io::Error::from_raw_os_error(22));
        assert!(!e.permission);
        assert!(!e.message.contains("CAP_BPF"), "{}", e.message);
    }
}
