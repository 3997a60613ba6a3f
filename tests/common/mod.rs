//! Test lab: two network namespaces joined by a veth pair, a private state directory,
//! helpers to run pktmon inside a namespace, send traffic and read captures with tshark.
//! Everything is removed on drop, also when the test fails.
#![allow(dead_code)]

pub mod corpus;
pub mod fields;
pub mod frames;
#[cfg(target_os = "linux")]
pub mod icmp;
pub mod topo;

use std::net::{Ipv4Addr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub const PKTMON: &str = env!("CARGO_BIN_EXE_pktmon");

pub fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Ok(()) to run a root test; Err(()) after printing why it is skipped. Panics instead of
/// skipping when PKTMON_REQUIRE_ROOT_TESTS=1 (CI).
pub fn require_root(test: &str) -> Result<(), ()> {
    if is_root() {
        return Ok(());
    }
    if std::env::var("PKTMON_REQUIRE_ROOT_TESTS").as_deref() == Ok("1") {
        panic!("{test}: needs root, and PKTMON_REQUIRE_ROOT_TESTS=1 forbids skipping");
    }
    eprintln!("SKIPPED {test}: needs root (network namespaces and packet capture)");
    Err(())
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().expect("run command");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn ip(args: &[&str]) {
    run_ok(Command::new("ip").args(args));
}

static SEQ: AtomicU32 = AtomicU32::new(0);

/// The capture backend of the lab's sessions (see `Lab::pktmon_env`).
pub const LAB_PATH_SOURCE: (&str, &str) = ("PKTMON_PATH_SOURCE", "pcap");

pub struct Lab {
    pub ns_a: String,
    pub ns_b: String,
    pub if_a: String,
    pub if_b: String,
    pub addr_a: Ipv4Addr,
    pub addr_b: Ipv4Addr,
    pub mac_a: [u8; 6],
    pub mac_b: [u8; 6],
    pub state: tempfile::TempDir,
    pub dir: tempfile::TempDir,
}

impl Lab {
    /// Two namespaces `a` and `b`; veth `if_a` (10.77.n.1) in a, `if_b` (10.77.n.2) in b,
    /// static neighbours (no ARP needed), IPv6 off (no background chatter), lo up in a.
    pub fn new() -> Lab {
        let n = SEQ.fetch_add(1, Ordering::SeqCst);
        let tag = format!("{}{}", std::process::id() % 100_000, n);
        let lab = Lab {
            ns_a: format!("pkt{tag}a"),
            ns_b: format!("pkt{tag}b"),
            if_a: format!("pk{tag}a"),
            if_b: format!("pk{tag}b"),
            addr_a: Ipv4Addr::new(10, 77, (n % 250) as u8, 1),
            addr_b: Ipv4Addr::new(10, 77, (n % 250) as u8, 2),
            mac_a: [2, 0x77, 0, 0, (n % 250) as u8, 1],
            mac_b: [2, 0x77, 0, 0, (n % 250) as u8, 2],
            state: tempfile::tempdir().expect("tempdir"),
            dir: tempfile::tempdir().expect("tempdir"),
        };
        // From here on Drop removes whatever was made, also on a failed step.
        let hex = |m: [u8; 6]| m.map(|b| format!("{b:02x}")).join(":");
        let (mac_a, mac_b) = (hex(lab.mac_a), hex(lab.mac_b));
        ip(&["netns", "add", &lab.ns_a]);
        ip(&["netns", "add", &lab.ns_b]);
        ip(&[
            "link", "add", &lab.if_a, "address", &mac_a, "netns", &lab.ns_a, "type", "veth",
            "peer", "name", &lab.if_b, "address", &mac_b, "netns", &lab.ns_b,
        ]);
        for (ns, ifname) in [(&lab.ns_a, &lab.if_a), (&lab.ns_b, &lab.if_b)] {
            run_ok(
                Command::new("ip")
                    .args(["netns", "exec", ns, "sh", "-c"])
                    .arg(format!(
                        "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; \
                 echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; \
                 echo 1 > /proc/sys/net/ipv6/conf/{ifname}/disable_ipv6"
                    )),
            );
        }
        ip(&[
            "-n",
            &lab.ns_a,
            "addr",
            "add",
            &format!("{}/24", lab.addr_a),
            "dev",
            &lab.if_a,
        ]);
        ip(&[
            "-n",
            &lab.ns_b,
            "addr",
            "add",
            &format!("{}/24", lab.addr_b),
            "dev",
            &lab.if_b,
        ]);
        ip(&[
            "-n",
            &lab.ns_a,
            "neigh",
            "add",
            &lab.addr_b.to_string(),
            "lladdr",
            &mac_b,
            "dev",
            &lab.if_a,
            "nud",
            "permanent",
        ]);
        ip(&[
            "-n",
            &lab.ns_b,
            "neigh",
            "add",
            &lab.addr_a.to_string(),
            "lladdr",
            &mac_a,
            "dev",
            &lab.if_b,
            "nud",
            "permanent",
        ]);
        ip(&["-n", &lab.ns_a, "link", "set", "lo", "up"]);
        ip(&["-n", &lab.ns_a, "link", "set", &lab.if_a, "up"]);
        ip(&["-n", &lab.ns_b, "link", "set", &lab.if_b, "up"]);
        lab
    }

    /// Runs pktmon inside namespace a with this lab's state directory.
    pub fn pktmon(&self, args: &[&str]) -> Output {
        self.pktmon_env(args, &[])
    }

    /// As `pktmon`, with environment variables set for it.
    ///
    /// The lab's tests check a session inside namespace a as libpcap sees it (one
    /// namespace, the kernel prefilter, MAC-based direction): `PKTMON_PATH_SOURCE=pcap`
    /// unless `env` says otherwise. tests/packet_path.rs covers the kernel tracepoints.
    pub fn pktmon_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", &self.ns_a, PKTMON])
            .args(args)
            .env("PKTMON_STATE_DIR", self.state.path())
            .env(LAB_PATH_SOURCE.0, LAB_PATH_SOURCE.1)
            .current_dir(self.dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run pktmon")
    }

    /// `pktmon start -c <args> -f <log>`, which must succeed; its output.
    pub fn start_capture(&self, log: &Path, args: &[&str]) -> Output {
        let log = log.to_str().expect("UTF-8 log path");
        let all = [&["start", "-c"][..], args, &["-f", log]].concat();
        let out = self.pktmon(&all);
        assert_eq!(out.status.code(), Some(0), "{all:?}: {}", text(&out.stderr));
        out
    }

    /// `pktmon stop`, which must succeed; its output.
    pub fn stop_capture(&self) -> Output {
        let out = self.pktmon(&["stop"]);
        assert_eq!(out.status.code(), Some(0), "stop: {}", text(&out.stderr));
        out
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The component id of `if_a` as `pktmon list --json` reports it.
    pub fn component_id(&self, name: &str) -> u32 {
        let out = self.pktmon(&["list", "--json"]);
        assert!(out.status.success());
        let doc: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("list --json parses");
        for g in doc.as_array().expect("array") {
            for c in g["Components"].as_array().expect("components") {
                if c["Name"] == name {
                    return c["Id"].as_u64().expect("id") as u32;
                }
            }
        }
        panic!(
            "component {name} not listed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    /// Sends `count` UDP datagrams of `payload` bytes from namespace `ns` to `to:port`.
    pub fn send_udp(&self, ns: &str, to: Ipv4Addr, port: u16, count: usize, payload: usize) {
        let ns = ns.to_string();
        std::thread::spawn(move || {
            let f = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
            nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
            let s = UdpSocket::bind("0.0.0.0:0").expect("bind");
            let buf = vec![0x5Au8; payload];
            for _ in 0..count {
                let mut sent = false;
                // A full socket buffer is retried, never dropped by us.
                for _ in 0..1000 {
                    match s.send_to(&buf, (to, port)) {
                        Ok(_) => {
                            sent = true;
                            break;
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(1)),
                    }
                }
                assert!(sent, "could not send");
            }
        })
        .join()
        .expect("sender thread");
    }

    /// A UDP socket bound to `port` in namespace `ns` (kept open while the value lives), so
    /// that datagrams to it are received instead of answered with ICMP.
    pub fn bind_udp(&self, ns: &str, port: u16) -> UdpSocket {
        let ns = ns.to_string();
        std::thread::spawn(move || {
            let f = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
            nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
            UdpSocket::bind(("0.0.0.0", port)).expect("bind")
        })
        .join()
        .expect("binder thread")
    }

    /// The JSON of `pktmon status --json` and its exit code.
    pub fn status_json(&self) -> (serde_json::Value, i32) {
        let out = self.pktmon(&["status", "--json"]);
        let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (v, out.status.code().unwrap_or(-1))
    }

    /// Kills the running session's process (SIGKILL) and waits (bounded) until `status`
    /// reports it dead; returns that status's exit code.
    #[cfg(unix)]
    pub fn kill_session(&self) -> i32 {
        let (v, _) = self.status_json();
        let pid = v["Session"]["Info"]["Pid"].as_u64().expect("pid") as i32;
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        )
        .expect("kill the session");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (v, code) = self.status_json();
            if v["State"] == "dead" {
                return code;
            }
            assert!(Instant::now() < deadline, "status never saw the death: {v}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits (bounded) until the running session has logged at least `n` packets.
    pub fn wait_logged(&self, n: u64, limit: Duration) -> serde_json::Value {
        let deadline = Instant::now() + limit;
        loop {
            let (v, code) = self.status_json();
            assert_eq!(code, 0, "session not running: {v}");
            let logged = v["Session"]["PacketsLogged"].as_u64().unwrap_or(0);
            if logged >= n {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "only {logged} of {n} packets logged in {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        // Stop any session this test left running, then remove the namespaces.
        let _ = Command::new("ip")
            .args(["netns", "exec", &self.ns_a, PKTMON, "unload"])
            .env("PKTMON_STATE_DIR", self.state.path())
            .output();
        for ns in [&self.ns_a, &self.ns_b] {
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs tshark on a file; asserts it read the file cleanly (the root warning aside) and
/// returns one Vec of fields per packet.
pub fn tshark_fields(file: &Path, filter: &str, fields: &[&str]) -> Vec<Vec<String>> {
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(file)
        .args(["-T", "fields", "-E", "separator=|"]);
    if !filter.is_empty() {
        cmd.args(["-Y", filter]);
    }
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("tshark is installed");
    let stderr = text(&out.stderr);
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.contains("Running as user"))
        .collect();
    assert!(
        out.status.success(),
        "tshark failed on {}: {stderr}",
        file.display()
    );
    assert!(
        complaints.is_empty(),
        "tshark complained about {}: {complaints:?}",
        file.display()
    );
    text(&out.stdout)
        .lines()
        .map(|l| l.split('|').map(str::to_string).collect())
        .collect()
}

/// Runs an nftables script inside namespace `ns` (package nftables).
pub fn nft(ns: &str, script: &str) {
    let out = Command::new("ip")
        .args(["netns", "exec", ns, "nft", "-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin
                .take()
                .expect("stdin")
                .write_all(script.as_bytes())?;
            c.wait_with_output()
        })
        .expect("nft (package nftables) runs");
    assert!(out.status.success(), "nft: {}", text(&out.stderr));
}

/// The lines of a UTF-16LE text with a byte order mark and CRLF line ends (what Windows
/// pktmon writes).
pub fn utf16_lines(bytes: &[u8]) -> Vec<String> {
    let units: Vec<u16> = bytes
        .get(2..)
        .unwrap_or(&[])
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
        .split("\r\n")
        .map(str::to_string)
        .collect()
}
