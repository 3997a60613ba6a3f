//! Any bytes through the whole ETL reader: index, decode, records, text, rundown.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    pktmon::etl::fuzzing::exercise_reader(data);
});
