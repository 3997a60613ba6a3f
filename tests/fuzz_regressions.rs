//! Inputs the fuzzer found (fuzz/regressions) and the fuzz seeds (fuzz/seeds) run through
//! the fuzz target's body on every `cargo test`.

use std::path::Path;

#[test]
fn fuzz_findings_and_seeds_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            let path = e.expect("dir entry").path();
            if path.is_file() {
                pktmon::fuzzing::exercise(&std::fs::read(&path).expect("read input"));
                n += 1;
            }
        }
    }
    assert!(n > 0, "no fuzz inputs found under {}", root.display());
}
