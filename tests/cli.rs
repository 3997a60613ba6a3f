//! Command-line behaviour that needs no privileges: help forms, errors, exit codes,
//! `list` without root.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{PKTMON, text};
use std::process::Command;

fn pktmon(args: &[&str], state: &std::path::Path) -> std::process::Output {
    Command::new(PKTMON)
        .args(args)
        .env("PKTMON_STATE_DIR", state)
        .output()
        .expect("run pktmon")
}

#[test]
fn help_forms_print_pktmon_help() {
    let st = tempfile::tempdir().unwrap();
    for args in [&["help"][..], &["/?"], &[], &["--help"]] {
        let out = pktmon(args, st.path());
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(
            text(&out.stdout).starts_with("pktmon <command> [OPTIONS | help]"),
            "{args:?}"
        );
    }
    for args in [
        &["start", "help"][..],
        &["start", "--help"],
        &["help", "start"],
    ] {
        let out = pktmon(args, st.path());
        assert_eq!(out.status.code(), Some(0));
        assert!(
            text(&out.stdout).starts_with("pktmon start --capture"),
            "{args:?}"
        );
    }
    let out = pktmon(&["comp", "list", "help"], st.path());
    assert!(text(&out.stdout).starts_with("pktmon list"));
}

#[test]
fn unknown_commands_and_parameters_exit_87() {
    let st = tempfile::tempdir().unwrap();
    let out = pktmon(&["frobnicate"], st.path());
    assert_eq!(out.status.code(), Some(87));
    assert_eq!(
        text(&out.stderr).trim(),
        "Unknown command 'frobnicate'. See pktmon help."
    );
    let out = pktmon(&["list", "--frob"], st.path());
    assert_eq!(out.status.code(), Some(87));
    assert_eq!(
        text(&out.stderr).trim(),
        "Unknown parameter '--frob'. See pktmon list help."
    );
    let out = pktmon(&["start", "-c", "-m", "real-mode"], st.path());
    assert_eq!(out.status.code(), Some(87));
    assert!(
        text(&out.stderr).contains("'real-mode' is not a valid argument to parameter '--log-mode'")
    );
    let out = pktmon(&["--session", "../x", "status"], st.path());
    assert_eq!(out.status.code(), Some(87));
    let out = pktmon(&["start"], st.path());
    assert_eq!(out.status.code(), Some(87));
    assert!(text(&out.stderr).contains("pktmon start --capture"));
}

#[test]
fn status_and_stop_when_idle() {
    let st = tempfile::tempdir().unwrap();
    let out = pktmon(&["status"], st.path());
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stdout).trim(), "Packet Monitor is not running.");
    let out = pktmon(&["stop"], st.path());
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stderr).trim(), "Packet Monitor is not running.");
    let out = pktmon(&["status", "--json"], st.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["State"], "not running");
}

#[test]
fn list_shows_loopback_only_when_asked() {
    let st = tempfile::tempdir().unwrap();
    let out = pktmon(&["list"], st.path());
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.starts_with("\nNetwork Adapters:\n"), "{s}");
    assert!(!s.contains(" lo "), "loopback is hidden by default: {s}");
    let s = text(&pktmon(&["list", "-i"], st.path()).stdout);
    assert!(s.contains("Loopback:") && s.contains("loopback"), "{s}");
    let out = pktmon(&["comp", "list", "--json"], st.path());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let lo = v
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["Components"].as_array().unwrap().iter())
        .find(|c| c["Name"] == "lo")
        .expect("--json implies -i");
    assert_eq!(lo["Type"], "loopback");
    assert!(lo["Id"].as_u64().unwrap() > 0);
}

/// Runs the binary as `nobody` (needs root to switch users).
fn as_nobody(args: &[&str]) -> Option<std::process::Output> {
    if common::require_root("non-root behaviour").is_err() {
        return None;
    }
    // A copy nobody can reach (the build tree may sit under a private home).
    let dir = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let exe = dir.path().join("pktmon");
    std::fs::copy(PKTMON, &exe).unwrap();
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let state = dir.path().join("state");
    // A child forked by another test thread while the copy was open for writing keeps the
    // file busy until it execs (ETXTBSY): retry a bounded number of times.
    for _ in 0..100 {
        let out = Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
            ])
            .arg(&exe)
            .args(args)
            .env("PKTMON_STATE_DIR", &state)
            .current_dir(dir.path())
            .output()
            .expect("setpriv (util-linux)");
        if !text(&out.stderr).contains("Text file busy") {
            return Some(out);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("{} stayed busy", exe.display());
}

#[test]
fn non_root_start_exits_5_with_a_remedy_and_list_works() {
    let Some(out) = as_nobody(&["start", "--capture"]) else {
        return;
    };
    assert_eq!(out.status.code(), Some(5), "{}", text(&out.stderr));
    let e = text(&out.stderr);
    assert!(e.contains("needs root or CAP_NET_RAW"), "{e}");
    assert!(e.contains("setcap cap_net_raw,cap_net_admin+eip"), "{e}");
    let out = as_nobody(&["list", "-a", "-i"]).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Network Adapters:"));
}

#[test]
fn filters_persist_number_stably_and_refuse_the_33rd_and_bad_input() {
    let st = tempfile::tempdir().unwrap();
    let add = |args: &[&str]| {
        let mut a = vec!["filter", "add"];
        a.extend_from_slice(args);
        pktmon(&a, st.path())
    };
    let out = add(&[
        "MySmbSyn",
        "-i",
        "10.10.10.10",
        "-t",
        "TCP",
        "SYN",
        "-p",
        "445",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "Filter added.");
    assert_eq!(
        add(&["--ip-address", "10.0.0.1", "10.0.0.0/24", "--encap", "8472"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        add(&[
            "Third",
            "--mac-address",
            "AA-BB-CC-DD-EE-FF",
            "--vlan",
            "0x10"
        ])
        .status
        .code(),
        Some(0)
    );
    let list = text(&pktmon(&["filter", "list"], st.path()).stdout);
    assert!(list.starts_with("Packet Filters:\n"), "{list}");
    assert!(
        list.contains("MySmbSyn") && list.contains("TCP (SYN)") && list.contains("10.0.0.0/24"),
        "{list}"
    );

    // Remove one: the others keep their numbers.
    assert_eq!(
        pktmon(&["filter", "remove", "2"], st.path()).status.code(),
        Some(0)
    );
    let v: serde_json::Value =
        serde_json::from_slice(&pktmon(&["filter", "list", "--json"], st.path()).stdout).unwrap();
    let ids: Vec<u64> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["Id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 3]);
    assert_eq!(v[1]["VlanId"], 16);
    let out = pktmon(&["filter", "remove", "nope"], st.path());
    assert_eq!(out.status.code(), Some(1));

    // Bad input: exit 87, the parameter named, nothing stored.
    for (args, param) in [
        (&["-m", "aa:bb:cc"][..], "--mac-address"),
        (&["-i", "10.0.0.1/40"], "--ip-address"),
        (&["-p", "70000"], "--port"),
        (
            &["-t", "tcp", "syn", "fin", "bogus"],
            "--transport-protocol",
        ),
        (&["-v", "5000"], "--vlan"),
        (&["-d", "ipx"], "--data-link"),
    ] {
        let out = add(args);
        assert_eq!(out.status.code(), Some(87), "{args:?}");
        assert!(
            text(&out.stderr).contains(param),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = add(&["-i", "10.0.0.1", "2001:db8::1"]);
    assert_eq!(out.status.code(), Some(87));
    let out = add(&["-x"]);
    assert_eq!(out.status.code(), Some(87));
    assert!(text(&out.stderr).contains("Unknown parameter '-x'"));
    let v: serde_json::Value =
        serde_json::from_slice(&pktmon(&["filter", "list", "--json"], st.path()).stdout).unwrap();
    assert_eq!(
        v.as_array().unwrap().len(),
        2,
        "nothing stored by the bad adds"
    );

    // Up to 32; the 33rd is refused.
    for i in 0..30 {
        assert_eq!(add(&["-p", &i.to_string()]).status.code(), Some(0));
    }
    let out = add(&["-p", "9999"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("at most 32 filters"),
        "{}",
        text(&out.stderr)
    );

    // remove without an argument removes all, as pktmon does.
    assert_eq!(
        pktmon(&["filter", "remove"], st.path()).status.code(),
        Some(0)
    );
    assert_eq!(
        text(&pktmon(&["filter", "list"], st.path()).stdout),
        "Packet Filters:\n    None\n"
    );
}

/// One rule for "nothing is running" (README, exit codes): exit 3 and pktmon's sentence,
/// from every command that needs a session.
#[test]
fn nothing_running_is_exit_3_for_every_session_command() {
    let st = tempfile::tempdir().unwrap();
    for args in [
        &["status"][..],
        &["stop"],
        &["counters"],
        &["counters", "--json"],
        &["counters", "--live"],
        &["comp", "counters"],
        &["reset"],
        &["reset", "-counters"],
    ] {
        let out = pktmon(args, st.path());
        assert_eq!(
            out.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&out.stderr)
        );
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(said.trim(), "Packet Monitor is not running.", "{args:?}");
    }
}

/// Values Windows would not run with are refused with exit 87 before anything starts
/// (no root needed: the checks come before the privilege check).
#[test]
fn empty_components_and_unhonourable_flags_are_refused() {
    let st = tempfile::tempdir().unwrap();
    for comp in ["", ",", " ", " , "] {
        let out = pktmon(&["start", "-c", "--comp", comp], st.path());
        assert_eq!(out.status.code(), Some(87), "--comp {comp:?}");
        let e = text(&out.stderr);
        assert!(
            e.contains("is not a valid argument to parameter '--comp'"),
            "{comp:?}: {e}"
        );
    }
    for (flags, why) in [
        ("0x4", "0x004"),
        ("0x10", "0x002"),
        ("0x2", "0x010"),
        ("0x1F", "0x008"),
        ("0x112", "above 0x010"),
    ] {
        let out = pktmon(&["start", "-c", "--flags", flags], st.path());
        assert_eq!(out.status.code(), Some(87), "--flags {flags}");
        let e = text(&out.stderr);
        assert!(
            e.contains(&format!("--flags {flags} cannot be honoured")) && e.contains(why),
            "{flags}: {e}"
        );
    }
    let out = pktmon(&["start", "-c", "--flags", "zz"], st.path());
    assert_eq!(out.status.code(), Some(87));
    // --trace alone: nothing this platform can collect.
    let out = pktmon(
        &["start", "--trace", "-p", "Microsoft-Windows-TCPIP"],
        st.path(),
    );
    assert_eq!(out.status.code(), Some(87));
    assert!(text(&out.stderr).contains("only packet capture is"));
}

/// Gen 2's optional values: `format f -v` is `-v 1`, `format f -l` is `-l 4789`.
#[test]
fn gen2_format_optional_values() {
    use common::corpus::{ethernet_corpus, write_file, write_pcapng};
    let dir = tempfile::tempdir().unwrap();
    let frames: Vec<Vec<u8>> = ethernet_corpus().into_iter().map(|(_, f)| f).collect();
    let log = dir.path().join("PktMon.etl");
    write_file(&log, &write_pcapng(&frames, 0, &[4], false));
    let log = log.to_str().unwrap();
    let run = |extra: &[&str]| {
        let out = pktmon(
            &[&["format", log, "-o", "-"][..], extra].concat(),
            dir.path(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{extra:?}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    };
    assert_eq!(run(&["-v"]), run(&["-v", "1"]));
    assert_ne!(run(&["-v"]), run(&[]), "-v changes the decode");
    assert_eq!(run(&["-l"]), run(&["-l", "4789"]));
    assert_eq!(run(&["-x", "-v"]), run(&["-x", "--verbose", "1"]));
}
