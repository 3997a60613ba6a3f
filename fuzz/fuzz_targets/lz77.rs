//! Any bytes through the plain-LZ77 decompressor (first 3 bytes: the expected size).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pktmon::etl::fuzzing::exercise_lz77(data);
});
