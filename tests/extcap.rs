//! Wireshark's extcap interface: the handshake as Wireshark drives it (through the
//! `pktmon-extcap` symlink name), and end to end with the installed tshark (needs root):
//! `tshark -D` lists the interface, and `tshark -i pktmon` captures what we send in a
//! namespace lab, with pktmon's interfaces per component.
#![cfg(target_os = "linux")] // network namespaces, the unix session

mod common;

use common::{Lab, PKTMON, require_root, text, tshark_fields};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// `pktmon-extcap` (a symlink to pktmon, as the README installs it) run with `args`.
fn extcap(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(dir.join("pktmon-extcap"))
        .args(args)
        .output()
        .expect("run pktmon-extcap")
}

fn symlink_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(PKTMON, dir.path().join("pktmon-extcap")).unwrap();
    dir
}

#[test]
fn handshake_as_wireshark_drives_it() {
    let dir = symlink_dir();
    let d = dir.path();
    // Step 1: interfaces (Wireshark adds its version).
    let out = extcap(d, &["--extcap-interfaces", "--extcap-version=4.0"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    let lines: Vec<&str> = said.lines().collect();
    assert!(lines[0].starts_with("extcap {version="), "{said}");
    assert!(
        lines[1].starts_with("interface {value=pktmon}{display="),
        "{said}"
    );
    // Step 2: link types.
    let out = extcap(d, &["--extcap-dlts", "--extcap-interface", "pktmon"]);
    assert_eq!(
        text(&out.stdout),
        "dlt {number=1}{name=EN10MB}{display=Ethernet}\n"
    );
    // Step 3: the dialog: components, bytes per packet, drops, the filter fields.
    let out = extcap(d, &["--extcap-config", "--extcap-interface", "pktmon"]);
    let config = text(&out.stdout);
    for call in [
        "--comp",
        "--pkt-size",
        "--type",
        "--ip",
        "--port",
        "--transport",
        "--mac",
        "--vlan",
        "--data-link",
    ] {
        assert!(
            config.contains(&format!("{{call={call}}}")),
            "{call} missing:\n{config}"
        );
    }
    assert!(
        config.contains("{value=flow}{display=Flows only (drops off)}"),
        "{config}"
    );
    // The same as `pktmon extcap`.
    let direct = Command::new(PKTMON)
        .args(["extcap", "--extcap-config", "--extcap-interface", "pktmon"])
        .output()
        .unwrap();
    assert_eq!(text(&direct.stdout), config);
    // Mistakes are refused with a message and exit 87.
    let out = extcap(d, &["--extcap-dlts", "--extcap-interface", "eth0"]);
    assert_eq!(out.status.code(), Some(87));
    assert!(text(&out.stderr).contains("unknown extcap interface 'eth0'"));
    let out = extcap(d, &["--capture", "--extcap-interface", "pktmon"]);
    assert_eq!(out.status.code(), Some(87), "{}", text(&out.stderr));
    let out = extcap(
        d,
        &[
            "--capture",
            "--extcap-interface",
            "pktmon",
            "--fifo",
            "/nonexistent/f",
            "--extcap-capture-filter",
            "udp port 53",
        ],
    );
    assert_eq!(out.status.code(), Some(87));
    assert!(
        text(&out.stderr).contains("capture filters"),
        "{}",
        text(&out.stderr)
    );
}

/// tshark's extcap folder ("Extcap path" of `tshark -G folders`).
fn tshark_extcap_dir() -> PathBuf {
    let out = Command::new("tshark")
        .args(["-G", "folders"])
        .output()
        .expect("tshark");
    let folders = text(&out.stdout);
    let line = folders
        .lines()
        .find(|l| l.starts_with("Extcap path:"))
        .unwrap_or_else(|| panic!("no extcap path in:\n{folders}"));
    PathBuf::from(line.trim_start_matches("Extcap path:").trim())
}

/// A symlink removed when the test ends, also when it fails.
struct Installed(PathBuf);

impl Drop for Installed {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn tshark_lists_and_captures_through_pktmon() {
    if require_root("tshark_lists_and_captures_through_pktmon").is_err() {
        return;
    }
    // As root tshark ignores WIRESHARK_EXTCAP_DIR and (4.0) has no personal extcap
    // folder: install into its extcap folder, under a name of this test's own.
    let link = tshark_extcap_dir().join(format!("pktmon-extcap-test{}", std::process::id()));
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(PKTMON, &link).expect("symlink into tshark's extcap folder");
    let _installed = Installed(link);

    let out = Command::new("tshark").arg("-D").output().unwrap();
    let listed = text(&out.stdout);
    assert!(
        listed
            .lines()
            .any(|l| l.contains(". pktmon (Packet Monitor")),
        "tshark -D does not list pktmon:\n{listed}{}",
        text(&out.stderr)
    );

    let lab = Lab::new();
    let _a = lab.bind_udp(&lab.ns_a, 41301);
    let pcap = lab.path("tshark.pcapng");
    // tshark (and so dumpcap and pktmon) in namespace a: the capture is that namespace's.
    let mut tshark = Command::new("ip")
        .args([
            "netns",
            "exec",
            &lab.ns_a,
            "tshark",
            "-i",
            "pktmon",
            "-a",
            "duration:3",
            "-w",
        ])
        .arg(&pcap)
        .env("PKTMON_STATE_DIR", lab.state.path())
        .env(common::LAB_PATH_SOURCE.0, common::LAB_PATH_SOURCE.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tshark");
    // The extcap's session is armed when it registers (sessions/extcap-<pid>.json).
    let sessions = lab.state.path().join("sessions");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let armed = std::fs::read_dir(&sessions)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with("extcap-") && n.ends_with(".json") && !n.ends_with(".config.json")
            });
        if armed {
            break;
        }
        if Instant::now() > deadline {
            let _ = tshark.kill();
            let out = tshark.wait_with_output().unwrap();
            panic!("the extcap session never armed: {}", text(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    const SENT: usize = 7;
    lab.send_udp(&lab.ns_b, lab.addr_a, 41301, SENT, 80);
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = tshark.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = tshark.kill();
            let _ = tshark.wait();
            panic!("tshark did not stop after its 3 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    use std::io::Read;
    let _ = tshark.stderr.take().unwrap().read_to_string(&mut err);
    assert!(status.success(), "tshark: {err}");

    // Our packets, on the lab's interface as pktmon names it, with our comment.
    let rows = tshark_fields(
        &pcap,
        "udp.dstport == 41301",
        &[
            "frame.interface_name",
            "frame.interface_description",
            "frame.len",
        ],
    );
    assert_eq!(rows.len(), SENT, "{rows:?}\n{err}");
    let id = lab.component_id(&lab.if_a);
    for r in &rows {
        assert_eq!(r[0], lab.if_a, "{rows:?}");
        assert!(r[1].starts_with(&format!("Component {id}, ")), "{rows:?}");
        assert_eq!(r[2], (14 + 20 + 8 + 80).to_string());
    }
    // The extcap's session ended with the capture.
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(&sessions)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().ends_with(".sock"))
    {
        assert!(
            Instant::now() < deadline,
            "the extcap session outlived tshark"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
