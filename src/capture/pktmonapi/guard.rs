//! Callback bodies run on the DLL's thread, called from C: a panic must not unwind into
//! the DLL. Rust would abort the process there (a panic cannot leave an `extern "system"`
//! function); we catch it instead, so the session ends with a clear message and a
//! finished log rather than a process gone without its final blocks.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs `body`; a panic in it is caught and remembered in `panicked`.
pub fn guarded(panicked: &AtomicBool, body: impl FnOnce()) {
    // AssertUnwindSafe: after a panic the callback's state is not used again; `panicked`
    // ends the stream.
    if catch_unwind(AssertUnwindSafe(body)).is_err() {
        panicked.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_and_remembered() {
        let flag = AtomicBool::new(false);
        let mut ran = false;
        guarded(&flag, || ran = true);
        assert!(ran && !flag.load(Ordering::SeqCst));
        // (The panic message is printed: the hook is process-wide, left alone.)
        guarded(&flag, || panic!("a panic in a callback body"));
        assert!(flag.load(Ordering::SeqCst));
    }
}
