//! The Windows backend against the stand-in PktMonApi.dll (tests/pktmonapi_standin.c) under
//! Wine: `pktmon list` (also with the enumeration and naming the real DLL was seen to
//! have), where the DLL is loaded from, and the errors for a missing DLL, a missing export
//! and a non-elevated process. scripts/cross.sh builds the stand-ins and sets
//! PKTMON_STANDIN_DIR.
#![cfg(windows)]

mod windows_common;

use std::process::{Command, Output};
use windows_common::{PKTMON, standin, text};

/// The stand-in's behaviour switches: each test sets its own.
const SWITCHES: &[&str] = &[
    "PKTMON_STANDIN_DENY",
    "PKTMON_STANDIN_SIZE_QUERY",
    "PKTMON_STANDIN_GROW",
    "PKTMON_STANDIN_NAMES",
    "PKTMON_STANDIN_SECONDARY",
];

fn pktmon(dll: &str, extra_env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(PKTMON);
    c.args(args).env("PKTMON_PKTMONAPI_DLL", dll);
    for k in SWITCHES {
        c.env_remove(k);
    }
    for (k, v) in extra_env {
        c.env(k, v);
    }
    c.output().expect("run pktmon")
}

/// `pktmon list --all --include-hidden` with these switches: its stdout (exit 0 checked).
fn list(extra_env: &[(&str, &str)], json: bool) -> String {
    let mut args = vec!["list", "--all", "--include-hidden"];
    if json {
        args.push("--json");
    }
    let out = pktmon(&standin("PktMonApi.dll"), extra_env, &args);
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{extra_env:?}: stdout {stdout} stderr {}",
        text(&out.stderr)
    );
    stdout
}

/// The line of `stdout` whose first word is `id`.
fn row(stdout: &str, id: &str) -> String {
    stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(id))
        .unwrap_or_else(|| panic!("no component {id} in {stdout}"))
        .to_string()
}

const NIC: &str = "Intel(R) 82574L Gigabit Network Connection";
const LOOPBACK: &str = "Software Loopback Interface 1";

#[test]
fn list_shows_the_standin_data_sources() {
    let stdout = list(&[], false);
    // Names are the data sources' Descriptions (as pktmon shows adapters).
    let eth = row(&stdout, "1");
    assert!(eth.contains(NIC), "{eth}");
    assert!(
        eth.contains("00-15-5D-01-02-03") || eth.to_lowercase().contains("00:15:5d:01:02:03"),
        "{eth}"
    );
    let lo = row(&stdout, "2");
    assert!(lo.contains(LOOPBACK), "{lo}");
    // The hidden registration (id 12) is not a component of its own.
    assert!(
        !stdout
            .lines()
            .any(|l| l.split_whitespace().next() == Some("12")),
        "{stdout}"
    );
}

#[test]
fn a_size_query_that_fails_with_the_size_set_is_accepted() {
    let stdout = list(&[("PKTMON_STANDIN_SIZE_QUERY", "fail")], false);
    assert!(row(&stdout, "1").contains(NIC), "{stdout}");
    assert!(row(&stdout, "2").contains(LOOPBACK), "{stdout}");
}

#[test]
fn a_list_that_grows_before_the_fill_is_read_again() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let log = tmp.path().join("calls.txt");
    let log_s = log.to_string_lossy().into_owned();
    // One adapter more after the size query: the fill finds its buffer too small.
    let stdout = list(
        &[("PKTMON_STANDIN_GROW", "1"), ("PKTMON_STANDIN_LOG", &log_s)],
        false,
    );
    assert!(
        row(&stdout, "21").contains("Microsoft Hyper-V Network Adapter #1"),
        "{stdout}"
    );
    let calls = std::fs::read_to_string(&log).expect("call log");
    let enums: Vec<&str> = calls
        .lines()
        .filter(|l| l.starts_with("EnumDataSources"))
        .collect();
    assert_eq!(
        enums,
        [
            "EnumDataSources kind=0 hidden=0 capacity=0",
            "EnumDataSources kind=0 hidden=0 capacity=n",
            "EnumDataSources kind=0 hidden=0 capacity=n",
        ]
    );
    // Both at once: a failing size query and a list that grows.
    let stdout = list(
        &[
            ("PKTMON_STANDIN_GROW", "2"),
            ("PKTMON_STANDIN_SIZE_QUERY", "fail"),
        ],
        false,
    );
    assert!(row(&stdout, "22").contains("#2"), "{stdout}");

    // A list that never stops growing: a bounded number of attempts, then a clear error.
    let out = pktmon(
        &standin("PktMonApi.dll"),
        &[("PKTMON_STANDIN_GROW", "1000")],
        &["list"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("kept growing"), "{stderr}");
}

#[test]
fn driver_files_in_name_leave_display_names_and_the_loopback_found() {
    let switch = [("PKTMON_STANDIN_NAMES", "driver")];
    let stdout = list(&switch, false);
    let eth = row(&stdout, "1");
    assert!(eth.contains(NIC), "{eth}");
    assert!(eth.contains("driver e1i63x64.sys"), "{eth}");
    // The loopback's Name is a driver file: it is known by its description, and listed
    // in the Loopback group.
    let lo = row(&stdout, "2");
    assert!(lo.contains(LOOPBACK) && lo.contains("loopback"), "{lo}");
    let loopback_group = stdout
        .split("Loopback:")
        .nth(1)
        .unwrap_or_else(|| panic!("no Loopback group in {stdout}"));
    assert!(loopback_group.contains(LOOPBACK), "{stdout}");
    assert!(
        !stdout.contains(".sys   "),
        "a driver file as a name: {stdout}"
    );

    let doc: serde_json::Value =
        serde_json::from_str(&list(&switch, true)).expect("list --json is JSON");
    let comps: Vec<&serde_json::Value> = doc
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["Components"].as_array().expect("components"))
        .collect();
    let nic = comps
        .iter()
        .find(|c| c["Id"] == 1)
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(nic["Name"], NIC);
    assert!(
        nic["Properties"]
            .as_array()
            .expect("properties")
            .iter()
            .any(|p| p["Name"] == "Driver" && p["Value"] == "e1i63x64.sys"),
        "{nic}"
    );
    let lo = comps
        .iter()
        .find(|c| c["Id"] == 2)
        .unwrap_or_else(|| panic!("{doc}"));
    assert_eq!(
        (&lo["Name"], &lo["Type"]),
        (&LOOPBACK.into(), &"loopback".into())
    );
}

#[test]
fn the_dll_is_loaded_from_system32_only() {
    // A PktMonApi.dll in the current folder (and on PATH) is not loaded: only System32,
    // which under Wine has none, is searched.
    let tmp = tempfile::tempdir().expect("temp dir");
    let planted = tmp.path().join("PktMonApi.dll");
    let standin_path = standin("PktMonApi.dll");
    std::fs::copy(&standin_path, &planted).expect("copy the stand-in");
    let path = format!(
        "{};{}",
        tmp.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut c = Command::new(PKTMON);
    c.arg("list")
        .current_dir(tmp.path())
        .env("PATH", path)
        .env_remove("PKTMON_PKTMONAPI_DLL");
    let out = c.output().expect("run pktmon");
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout {} stderr {stderr}",
        text(&out.stdout)
    );
    assert!(stderr.contains("cannot load PktMonApi.dll"), "{stderr}");
    // The same file named by the test override loads.
    let out = pktmon(&planted.to_string_lossy(), &[], &["list"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
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

#[test]
fn datasources_reports_the_raw_entries_for_real_machine_reports() {
    let out = pktmon(
        &standin("PktMonApi.dll"),
        &[
            ("PKTMON_STANDIN_SECONDARY", "1"),
            ("PKTMON_STANDIN_NAMES", "driver"),
        ],
        &["__datasources"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let entry = |list: &str, id: u64| {
        doc[list]
            .as_array()
            .expect("entries")
            .iter()
            .find(|e| e["Id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no {id} in {list}: {doc}"))
    };
    let nic = entry("Visible", 1);
    assert_eq!(
        (&nic["Name"], &nic["Description"], &nic["SecondaryId"]),
        (&"e1i63x64.sys".into(), &NIC.into(), &1.into())
    );
    assert_eq!(
        nic["Detail"].as_str().map(|d| &d[..12]),
        Some("00155d010203")
    );
    assert_eq!(doc["Visible"].as_array().map(Vec::len), Some(2));
    let chained = entry("WithHidden", 14);
    assert_eq!(
        (&chained["Kind"], &chained["SecondaryId"]),
        (&2.into(), &13.into())
    );
}
