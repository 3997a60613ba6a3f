//! A script written for Windows pktmon, run unchanged: `pktmon start -c`, traffic,
//! `pktmon stop`, `pktmon etl2pcap PktMon.etl`, `pktmon etl2txt PktMon.etl`,
//! `pktmon format PktMon.etl`. The default log is `PktMon.etl` in the current directory
//! (its content is pcapng); the conversions write `PktMon.pcapng` and `PktMon.txt` beside it.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{Lab, PKTMON, require_root, text, tshark_fields};
use std::path::Path;
use std::process::Command;

#[test]
fn a_windows_script_runs_unchanged() {
    if require_root("a_windows_script_runs_unchanged").is_err() {
        return;
    }
    let lab = Lab::new();
    let port = 41_234;
    let sends = 5;
    let bin_dir = Path::new(PKTMON).parent().expect("bin dir");
    // The script as a Windows admin writes it (bash only for the traffic's /dev/udp).
    let script = format!(
        "set -e\n\
         pktmon start -c\n\
         for i in $(seq 1 {sends}); do echo \"windows workflow $i\" > /dev/udp/{b}/{port}; done\n\
         pktmon stop\n\
         pktmon etl2pcap PktMon.etl\n\
         pktmon etl2txt PktMon.etl\n\
         mv PktMon.txt etl2txt.txt\n\
         pktmon format PktMon.etl\n",
        b = lab.addr_b
    );
    let out = Command::new("ip")
        .args(["netns", "exec", &lab.ns_a, "bash", "-c", &script])
        .env("PKTMON_STATE_DIR", lab.state.path())
        // The workflow, not the path: one sighting per datagram, as libpcap sees a.
        .env(common::LAB_PATH_SOURCE.0, common::LAB_PATH_SOURCE.1)
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .current_dir(lab.dir.path())
        .output()
        .expect("run the script");
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "script failed:\n{stdout}\n{}",
        text(&out.stderr)
    );

    // stop names the default log in the current directory.
    let etl = lab.path("PktMon.etl");
    assert!(
        stdout.contains(&format!("Log file: {} (", etl.display())),
        "{stdout}"
    );
    // The log itself is pcapng (tshark reads it by content) and holds the traffic...
    let udp = format!("ip.dst == {} && udp.dstport == {port} && !icmp", lab.addr_b);
    let in_log = tshark_fields(&etl, &udp, &["frame.number"]);
    assert_eq!(in_log.len(), sends, "{udp} in PktMon.etl");
    // ...as does etl2pcap's PktMon.pcapng beside it, with the components as interfaces.
    let pcapng = lab.path("PktMon.pcapng");
    let converted = tshark_fields(&pcapng, &udp, &["frame.interface_name"]);
    assert_eq!(converted.len(), sends, "{udp} in PktMon.pcapng");
    assert!(converted.iter().all(|f| f[0] == lab.if_a), "{converted:?}");
    assert!(
        stdout.contains("Formatted file:      PktMon.pcapng"),
        "{stdout}"
    );

    // etl2txt and format both write PktMon.txt: a record line and a decode per packet.
    let decode = format!("> {}.{port}: UDP", lab.addr_b);
    for name in ["etl2txt.txt", "PktMon.txt"] {
        let txt = std::fs::read_to_string(lab.path(name)).expect(name);
        let decodes = txt.lines().filter(|l| l.contains(&decode)).count();
        assert_eq!(decodes, sends, "{name}: {decode}\n{txt}");
        assert!(txt.contains("PktGroupId "), "{name}");
        assert!(
            txt.contains(&format!("Component {}", lab.component_id(&lab.if_a))),
            "{name}"
        );
    }
    assert_eq!(
        stdout.matches("Formatted file:").count(),
        3,
        "etl2pcap, etl2txt, format: {stdout}"
    );
}

/// Windows command lines with ETW event collection: `--trace -p ... -k ... -l ...` is
/// answered with a warning, and the packet capture given with it runs. Also `--etw` with
/// `--capture`, `--flags 0x012`, and `status -b` (the buffer information we have).
#[test]
fn trace_options_warn_and_the_capture_runs() {
    if require_root("trace_options_warn_and_the_capture_runs").is_err() {
        return;
    }
    let lab = Lab::new();
    let log = lab.path("trace.etl");
    let out = lab.start_capture(
        &log,
        &[
            "--etw",
            "--flags",
            "0x012",
            "--trace",
            "-p",
            "Microsoft-Windows-TCPIP",
            "-k",
            "0xFF",
            "-l",
            "4",
        ],
    );
    let err = text(&out.stderr);
    assert!(
        err.contains("Warning: ETW event collection does not exist")
            && err.contains("Microsoft-Windows-TCPIP"),
        "{err}"
    );
    let port = 41_235;
    lab.send_udp(&lab.ns_a, lab.addr_b, port, 4, 30);
    lab.wait_logged(4, std::time::Duration::from_secs(10));

    let out = lab.pktmon(&["status", "-b"]);
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(s.contains("\nBuffer Information:\n"), "{s}");
    assert!(
        s.contains("    Capture buffer:       16 MB per component"),
        "{s}"
    );
    // Every label of a status section has a space before its value.
    for l in s
        .lines()
        .filter(|l| l.starts_with("    ") && l.contains(':'))
    {
        let (label, _) = l.split_once(':').unwrap();
        if !label.trim().contains(' ') || label.trim().len() < 22 {
            let after = &l[label.len() + 1..];
            assert!(after.is_empty() || after.starts_with(' '), "{l:?}");
        }
    }
    assert!(s.contains("    Packets filtered out: 0\n"), "{s}");

    lab.stop_capture();
    let udp = format!("ip.dst == {} && udp.dstport == {port} && !icmp", lab.addr_b);
    assert_eq!(tshark_fields(&log, &udp, &["frame.number"]).len(), 4);
}
