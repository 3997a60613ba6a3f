//! The Windows backend against the stand-in PktMonApi.dll (tests/pktmonapi_standin.c) under
//! Wine: `pktmon list`, and the errors for a missing DLL, a missing export and a
//! non-elevated process. scripts/cross.sh builds the stand-ins and sets PKTMON_STANDIN_DIR.
#![cfg(windows)]

mod windows_common;

use std::process::{Command, Output};
use windows_common::{PKTMON, standin, text};

fn pktmon(dll: &str, extra_env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(PKTMON);
    c.args(args)
        .env("PKTMON_PKTMONAPI_DLL", dll)
        .env_remove("PKTMON_STANDIN_DENY");
    for (k, v) in extra_env {
        c.env(k, v);
    }
    c.output().expect("run pktmon")
}

#[test]
fn list_shows_the_standin_data_sources() {
    let out = pktmon(
        &standin("PktMonApi.dll"),
        &[],
        &["list", "--all", "--include-hidden"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout {stdout} stderr {}",
        text(&out.stderr)
    );
    let line_with = |name: &str| {
        stdout
            .lines()
            .find(|l| l.contains(name))
            .map(str::to_string)
    };
    let eth = line_with("Ethernet0").unwrap_or_else(|| panic!("no Ethernet0 in {stdout}"));
    assert!(eth.split_whitespace().any(|w| w == "1"), "{eth}");
    assert!(
        eth.contains("00-15-5D-01-02-03") || eth.to_lowercase().contains("00:15:5d:01:02:03"),
        "{eth}"
    );
    let lo = line_with("Loopback Pseudo-Interface 1")
        .unwrap_or_else(|| panic!("no loopback in {stdout}"));
    assert!(lo.split_whitespace().any(|w| w == "2"), "{lo}");
    // The hidden registration (id 12) is not a component of its own.
    assert!(
        !stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some("12")),
        "{stdout}"
    );
}

#[test]
fn missing_dll_names_what_is_needed() {
    let out = pktmon(&standin("NoSuchPktMonApi.dll"), &[], &["list"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr {stderr}");
    assert!(stderr.contains("NoSuchPktMonApi.dll"), "{stderr}");
    assert!(
        stderr.contains("Windows Server 2022 with the 6B update"),
        "{stderr}"
    );
}

#[test]
fn missing_export_is_named() {
    let out = pktmon(&standin("PktMonApiNoStream.dll"), &[], &["list"]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr {stderr}");
    assert!(
        stderr.contains("has no export PacketMonitorCloseRealtimeStream"),
        "{stderr}"
    );
}

#[test]
fn not_elevated_is_access_denied_with_pktmon_wording() {
    let out = pktmon(
        &standin("PktMonApi.dll"),
        &[("PKTMON_STANDIN_DENY", "1")],
        &["list"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "stderr {stderr}");
    assert!(
        stderr.contains("Failed to communicate with the PktMon driver. Access is denied."),
        "{stderr}"
    );
}
