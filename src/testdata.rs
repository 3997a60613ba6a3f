//! Test support: the Windows sample files (`../shared/data/etl`, beside the repository;
//! not part of it). Tests that need them call [`shared_etl_dir`] first: without the
//! files they are skipped with a printed reason, unless `PKTMON_REQUIRE_SHARED_DATA=1`
//! (CI) makes the absence a failure.

use std::path::PathBuf;

/// The environment variable that turns a missing sample directory into a failure.
pub const REQUIRE_VAR: &str = "PKTMON_REQUIRE_SHARED_DATA";

/// Where the samples are looked for: `../shared/data/etl` from the repository.
pub fn etl_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/etl")
}

/// The sample directory for `test`, or None after printing why `test` is skipped.
/// Panics instead of skipping when `PKTMON_REQUIRE_SHARED_DATA=1`.
pub fn shared_etl_dir(test: &str) -> Option<PathBuf> {
    let dir = etl_dir();
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var(REQUIRE_VAR).as_deref() == Ok("1") {
        panic!(
            "{test}: needs the Windows sample files in {}, and {REQUIRE_VAR}=1 forbids skipping",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED {test}: needs the Windows sample files in {} (not in this clone)",
        dir.display()
    );
    None
}

/// Where tcpdump's own test captures are looked for: `../shared/data/tcpdump-tests`.
pub fn tcpdump_tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/tcpdump-tests")
}

/// The tcpdump test-capture directory for `test`, or None after printing why `test` is
/// skipped. Panics instead of skipping when `PKTMON_REQUIRE_SHARED_DATA=1`.
pub fn shared_tcpdump_tests_dir(test: &str) -> Option<PathBuf> {
    let dir = tcpdump_tests_dir();
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var(REQUIRE_VAR).as_deref() == Ok("1") {
        panic!(
            "{test}: needs tcpdump's test captures in {}, and {REQUIRE_VAR}=1 forbids skipping",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED {test}: needs tcpdump's test captures in {} (not in this clone)",
        dir.display()
    );
    None
}
