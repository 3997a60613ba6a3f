//! Multi-namespace topologies for the packet-path tests: namespaces, veth pairs, bridges
//! and routers made by shell commands, removed on drop (also when the test fails), and
//! pktmon run from the host namespace with a private state directory.

use super::{PKTMON, text, tshark_fields};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

static SEQ: AtomicU32 = AtomicU32::new(0);

pub struct Topo {
    /// Short unique tag for names (namespaces `pp<tag><x>`, interfaces `p<tag><x>`).
    pub tag: String,
    /// A /16-ish private block of this topology's own: 10.<net>.x.y.
    pub net: u8,
    pub namespaces: Vec<String>,
    pub state: tempfile::TempDir,
    pub dir: tempfile::TempDir,
}

impl Topo {
    pub fn new() -> Topo {
        let n = SEQ.fetch_add(1, Ordering::SeqCst);
        Topo {
            tag: format!("{}{}", std::process::id() % 10_000, n),
            net: 100 + (std::process::id() % 50) as u8 * 2 + (n % 2) as u8,
            namespaces: Vec::new(),
            state: tempfile::tempdir().expect("tempdir"),
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The name of this topology's namespace `x`.
    pub fn ns(&self, x: &str) -> String {
        format!("pp{}{x}", self.tag)
    }

    /// The name of this topology's interface `x`.
    pub fn ifname(&self, x: &str) -> String {
        format!("p{}{x}", self.tag)
    }

    /// Makes namespace `x` with loopback up and IPv6 off unless `ipv6`.
    pub fn add_ns(&mut self, x: &str, ipv6: bool) -> String {
        let ns = self.ns(x);
        sh_ok(&format!("ip netns add {ns}"));
        self.namespaces.push(ns.clone());
        self.exec(&ns, "ip link set lo up");
        if !ipv6 {
            self.exec(
                &ns,
                "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1",
            );
        }
        ns
    }

    /// A veth pair: `a` in namespace `ns_a`, `b` in `ns_b`, both up.
    pub fn veth(&self, a: &str, ns_a: &str, b: &str, ns_b: &str) {
        sh_ok(&format!(
            "ip link add {a} netns {ns_a} type veth peer name {b} netns {ns_b} && \
             ip -n {ns_a} link set {a} up && ip -n {ns_b} link set {b} up"
        ));
    }

    /// Runs a shell command inside namespace `ns`; it must succeed.
    pub fn exec(&self, ns: &str, cmd: &str) -> Output {
        let out = Command::new("ip")
            .args(["netns", "exec", ns, "sh", "-c", cmd])
            .output()
            .expect("ip netns exec");
        assert!(
            out.status.success(),
            "in {ns}: {cmd}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        out
    }

    /// Runs pktmon in the host namespace with this topology's state directory.
    pub fn pktmon(&self, args: &[&str]) -> Output {
        self.pktmon_env(args, &[])
    }

    pub fn pktmon_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(PKTMON);
        cmd.args(args)
            .env("PKTMON_STATE_DIR", self.state.path())
            .current_dir(self.dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run pktmon")
    }

    /// Runs pktmon inside namespace `ns` with this topology's state directory.
    pub fn pktmon_in(&self, ns: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new("ip");
        cmd.args(["netns", "exec", ns, PKTMON])
            .args(args)
            .env("PKTMON_STATE_DIR", self.state.path())
            .current_dir(self.dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run pktmon")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for Topo {
    fn drop(&mut self) {
        let _ = Command::new(PKTMON)
            .arg("unload")
            .env("PKTMON_STATE_DIR", self.state.path())
            .output();
        for ns in self.namespaces.iter().rev() {
            let _ = Command::new("sh")
                .args(["-c", &format!("ip netns pids {ns} | xargs -r kill -9")])
                .output();
            let _ = Command::new("ip").args(["netns", "del", ns]).output();
        }
    }
}

pub fn sh_ok(cmd: &str) {
    let out = Command::new("sh").args(["-c", cmd]).output().expect("sh");
    assert!(out.status.success(), "{cmd}: {}", text(&out.stderr));
}

/// One record of a pktmon log as tshark reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub group: u64,
    pub appearance: u32,
    pub interface: String,
    /// "Rx", "Tx" or "" (from `frame.p2p_dir`: 1 = received, 0 = sent).
    pub direction: String,
    pub time_ns: u64,
    pub comment: String,
    pub is_drop: bool,
    /// The display filter's own fields, in order.
    pub extra: Vec<String>,
}

/// Reads every record of `log` matching `filter` (tshark must read it cleanly), with the
/// extra `fields`.
pub fn sightings(log: &Path, filter: &str, fields: &[&str]) -> Vec<Sighting> {
    let mut all = vec![
        "frame.packet_id",
        "frame.comment",
        "frame.interface_name",
        "frame.p2p_dir",
        "frame.time_epoch",
    ];
    all.extend_from_slice(fields);
    tshark_fields(log, filter, &all)
        .into_iter()
        .map(|row| {
            let comment = row[1].clone();
            let appearance = comment
                .split(", ")
                .find_map(|kv| kv.strip_prefix("Appearance "))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            Sighting {
                group: row[0].parse().unwrap_or(0),
                appearance,
                interface: row[2].clone(),
                direction: match row[3].as_str() {
                    "1" => "Rx".into(),
                    "0" => "Tx".into(),
                    _ => String::new(),
                },
                time_ns: epoch_ns(&row[4]),
                is_drop: comment.contains("DropReason"),
                comment,
                extra: row[5..].to_vec(),
            }
        })
        .collect()
}

/// `1733212345.123456789` → ns.
fn epoch_ns(s: &str) -> u64 {
    let (sec, frac) = s.split_once('.').unwrap_or((s, "0"));
    let frac = format!("{frac:0<9}");
    sec.parse::<u64>().unwrap_or(0) * 1_000_000_000 + frac[..9].parse::<u64>().unwrap_or(0)
}

/// The records grouped by PktGroupId, each group in appearance order.
pub fn groups(records: &[Sighting]) -> Vec<Vec<Sighting>> {
    let mut map: std::collections::BTreeMap<u64, Vec<Sighting>> = Default::default();
    for r in records {
        map.entry(r.group).or_default().push(r.clone());
    }
    map.into_values()
        .map(|mut g| {
            g.sort_by_key(|s| s.appearance);
            g
        })
        .collect()
}
