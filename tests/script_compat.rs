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
