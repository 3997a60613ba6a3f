//! The session's operating-system process: is it alive, when did it start (to tell it from
//! a later process that reused its pid), how much CPU did it use, and how to start one that
//! outlives the shell that ran `pktmon start`.

/// When a process started, in a platform unit (Linux: clock ticks since boot, /proc/PID/stat
/// field 22; Windows: its creation FILETIME). None when unknown.
pub fn start_ticks(pid: u32) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        let rest = stat.rsplit_once(')')?.1;
        // Fields after the command: state is field 3, starttime field 22.
        rest.split_whitespace().nth(19)?.parse().ok()
    }
    #[cfg(windows)]
    {
        windows::creation_time(pid)
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    {
        let _ = pid;
        None
    }
}

/// Whether `pid` is a live process (not a zombie).
pub fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        use nix::errno::Errno;
        use nix::sys::signal::kill;
        use nix::unistd::Pid;
        let Ok(raw) = i32::try_from(pid) else {
            return false;
        };
        match kill(Pid::from_raw(raw), None) {
            Ok(()) | Err(Errno::EPERM) => {}
            Err(_) => return false,
        }
        #[cfg(target_os = "linux")]
        {
            // A zombie still answers kill(0); a reused pid runs something else.
            if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                && let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r.trim_start())
                && (rest.starts_with('Z') || rest.starts_with('X'))
            {
                return false;
            }
        }
        true
    }
    #[cfg(windows)]
    {
        windows::alive(pid)
    }
}

/// User + system CPU time of this process (all threads), seconds.
pub fn cpu_seconds() -> f64 {
    #[cfg(unix)]
    {
        use nix::sys::resource::{UsageWho, getrusage};
        getrusage(UsageWho::RUSAGE_SELF)
            .map(|u| {
                let t =
                    |tv: nix::sys::time::TimeVal| tv.tv_sec() as f64 + tv.tv_usec() as f64 / 1e6;
                t(u.user_time()) + t(u.system_time())
            })
            .unwrap_or(0.0)
    }
    #[cfg(windows)]
    {
        windows::own_cpu_seconds()
    }
}

/// Makes `cmd` start detached from our terminal or console, so that Ctrl+C in the shell
/// that ran `start` does not stop the capture.
pub fn detach(cmd: &mut std::process::Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: setsid is async-signal-safe.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid().map_err(std::io::Error::from)?;
                Ok(())
            });
        }
    }
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        use windows_sys::Win32::Foundation::{HANDLE_FLAG_INHERIT, SetHandleInformation};
        use windows_sys::Win32::System::Console::{
            GetStdHandle, STD_ERROR_HANDLE, STD_INPUT_HANDLE, STD_OUTPUT_HANDLE,
        };
        use windows_sys::Win32::System::Threading::{CREATE_NEW_PROCESS_GROUP, DETACHED_PROCESS};
        // CreateProcess hands every inheritable handle to the child, our own stdio included:
        // a session holding the pipe of whoever ran `pktmon start` would keep that reader
        // waiting for end-of-file as long as the capture runs. The child's stdio is given
        // explicitly, so ours need not be inheritable.
        for which in [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE] {
            // SAFETY: GetStdHandle returns this process's handle (or null/invalid, which
            // SetHandleInformation rejects harmlessly).
            unsafe {
                let h = GetStdHandle(which);
                if !h.is_null() {
                    SetHandleInformation(h, HANDLE_FLAG_INHERIT, 0);
                }
            }
        }
        cmd.creation_flags(DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP);
    }
}

#[cfg(windows)]
mod windows {
    use windows_sys::Win32::Foundation::{CloseHandle, FILETIME, HANDLE, STILL_ACTIVE};
    use windows_sys::Win32::System::Threading::{
        GetCurrentProcess, GetExitCodeProcess, GetProcessTimes, OpenProcess,
        PROCESS_QUERY_LIMITED_INFORMATION,
    };

    struct Process(HANDLE);
    impl Drop for Process {
        fn drop(&mut self) {
            // SAFETY: a handle OpenProcess gave us, closed once.
            unsafe { CloseHandle(self.0) };
        }
    }

    fn open(pid: u32) -> Option<Process> {
        // SAFETY: plain query; null on failure.
        let h = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
        (!h.is_null()).then_some(Process(h))
    }

    fn ft(t: &FILETIME) -> u64 {
        (u64::from(t.dwHighDateTime) << 32) | u64::from(t.dwLowDateTime)
    }

    /// (creation, kernel, user) times of a process handle.
    fn times(h: HANDLE) -> Option<(u64, u64, u64)> {
        let zero = FILETIME {
            dwLowDateTime: 0,
            dwHighDateTime: 0,
        };
        let (mut c, mut e, mut k, mut u) = (zero, zero, zero, zero);
        // SAFETY: valid handle and four out-parameters.
        let ok = unsafe { GetProcessTimes(h, &mut c, &mut e, &mut k, &mut u) };
        (ok != 0).then(|| (ft(&c), ft(&k), ft(&u)))
    }

    pub fn creation_time(pid: u32) -> Option<u64> {
        let p = open(pid)?;
        times(p.0).map(|(c, ..)| c)
    }

    pub fn alive(pid: u32) -> bool {
        let Some(p) = open(pid) else {
            return false;
        };
        let mut code = 0u32;
        // SAFETY: valid handle, out-parameter.
        let ok = unsafe { GetExitCodeProcess(p.0, &mut code) };
        ok != 0 && code == STILL_ACTIVE as u32
    }

    pub fn own_cpu_seconds() -> f64 {
        // SAFETY: the pseudo-handle of this process needs no closing.
        times(unsafe { GetCurrentProcess() })
            .map(|(_, k, u)| (k + u) as f64 / 1e7)
            .unwrap_or(0.0)
    }
}
