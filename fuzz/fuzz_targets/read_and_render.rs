//! Any bytes, as a capture file and as a single frame: the readers and the decoder must
//! return records or errors, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pktmon::fuzzing::exercise(data);
});
