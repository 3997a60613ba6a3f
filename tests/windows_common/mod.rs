//! What the Windows tests (run under Wine by scripts/cross.sh) share: the pktmon binary, the
//! stand-in PktMonApi.dll builds, output as text.
#![allow(dead_code)] // each test binary uses its own part

pub const PKTMON: &str = env!("CARGO_BIN_EXE_pktmon");

/// A stand-in DLL build by file name, as a Windows path.
pub fn standin(file: &str) -> String {
    let dir = std::env::var("PKTMON_STANDIN_DIR")
        .expect("PKTMON_STANDIN_DIR must name the stand-in DLLs' folder: run scripts/cross.sh");
    format!("{dir}\\{file}")
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}
