//! The process-wide "stop now" flag of a session: set by Ctrl+C and SIGTERM (Unix) or a
//! console control event (Windows), or by the session itself (a real-time reader went
//! away). The capture loop polls it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The flag, with the handlers installed on first use.
pub fn stop_flag() -> Arc<AtomicBool> {
    Arc::clone(FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        install(&flag);
        flag
    }))
}

/// Asks the session in this process to finish, as Ctrl+C would.
pub fn request_stop() {
    stop_flag().store(true, Ordering::SeqCst);
}

#[cfg(unix)]
fn install(flag: &Arc<AtomicBool>) {
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        let _ = signal_hook::flag::register(sig, Arc::clone(flag));
    }
}

#[cfg(windows)]
fn install(_flag: &Arc<AtomicBool>) {
    use windows_sys::Win32::Foundation::{FALSE, TRUE};
    use windows_sys::Win32::System::Console::{
        CTRL_BREAK_EVENT, CTRL_C_EVENT, CTRL_CLOSE_EVENT, SetConsoleCtrlHandler,
    };
    unsafe extern "system" fn on_console_event(kind: u32) -> i32 {
        match kind {
            CTRL_C_EVENT | CTRL_BREAK_EVENT | CTRL_CLOSE_EVENT => {
                if let Some(f) = FLAG.get() {
                    f.store(true, Ordering::SeqCst);
                }
                TRUE
            }
            _ => FALSE,
        }
    }
    // SAFETY: registers a handler that only stores to an atomic.
    unsafe { SetConsoleCtrlHandler(Some(on_console_event), TRUE) };
}
