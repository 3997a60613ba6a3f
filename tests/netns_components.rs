//! Components in every network namespace (root): `list` from the host shows the lab's two
//! namespaces and a process-held one with stable, distinct ids; `--comp NAMESPACE`; the
//! registry resolves interfaces created and renamed after it was built.
#![cfg(target_os = "linux")]

mod common;

use common::{Lab, PKTMON, require_root, text};
use pktmon::components::registry::{
    ComponentRegistry, FileIdStore, RescanPolicy, SystemNamespaces,
};
use pktmon::components::{ComponentKind, ComponentSelector, component_set};
use serde_json::Value;
use std::os::unix::fs::MetadataExt;
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

/// pktmon run in the host namespace (the test's own) with the lab's state directory.
fn host_pktmon(lab: &Lab, args: &[&str]) -> Output {
    Command::new(PKTMON)
        .args(args)
        .env("PKTMON_STATE_DIR", lab.state.path())
        .current_dir(lab.dir.path())
        .output()
        .expect("run pktmon")
}

/// (namespace, name) → id from `list -a -i --json`.
fn listed(out: &Output) -> Vec<(String, String, u64)> {
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("list --json parses");
    let mut v = Vec::new();
    for g in doc.as_array().expect("array") {
        let ns = g["Namespace"].as_str().expect("Namespace").to_string();
        for c in g["Components"].as_array().expect("components") {
            v.push((
                ns.clone(),
                c["Name"].as_str().unwrap().to_string(),
                c["Id"].as_u64().unwrap(),
            ));
        }
    }
    v
}

fn id_in(list: &[(String, String, u64)], ns: &str, name: &str) -> u64 {
    list.iter()
        .find(|(n, c, _)| n == ns && c == name)
        .map(|(_, _, id)| *id)
        .unwrap_or_else(|| panic!("{name} in {ns} not listed: {list:?}"))
}

/// A process in a namespace of its own (`unshare --net sleep`), killed on drop.
struct Sleeper(Child);

impl Sleeper {
    fn start() -> Sleeper {
        let child = Command::new("unshare")
            .args(["--net", "sleep", "120"])
            .spawn()
            .expect("unshare (util-linux)");
        let s = Sleeper(child);
        // unshare execs sleep in the same process once the namespace is made.
        let deadline = Instant::now() + Duration::from_secs(5);
        let own = std::fs::metadata("/proc/self/ns/net").unwrap().ino();
        loop {
            let comm =
                std::fs::read_to_string(format!("/proc/{}/comm", s.0.id())).unwrap_or_default();
            let ns = std::fs::metadata(format!("/proc/{}/ns/net", s.0.id())).map(|m| m.ino());
            if comm.trim() == "sleep" && ns.is_ok_and(|i| i != own) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "unshare --net sleep did not start"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Sleeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn list_from_the_host_shows_every_namespace_with_stable_distinct_ids() {
    if require_root("list_from_the_host_shows_every_namespace_with_stable_distinct_ids").is_err() {
        return;
    }
    let lab = Lab::new();
    let sleeper = Sleeper::start();
    let first = listed(&host_pktmon(&lab, &["list", "-a", "-i", "--json"]));
    let a = id_in(&first, &lab.ns_a, &lab.if_a);
    let b = id_in(&first, &lab.ns_b, &lab.if_b);
    let lo_a = id_in(&first, &lab.ns_a, "lo");
    let lo_b = id_in(&first, &lab.ns_b, "lo");
    let sleeper_ns = format!("pid {} (sleep)", sleeper.0.id());
    let lo_s = id_in(&first, &sleeper_ns, "lo");
    let mut ids = vec![a, b, lo_a, lo_b, lo_s];
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "distinct ids: {first:?}");
    // The host's own interfaces keep id = ifindex; the others are outside that range.
    let own_ns = &first[0].0;
    let own_lo = id_in(&first, own_ns, "lo");
    assert_eq!(own_lo, 1, "{first:?}");
    let mut all: Vec<u64> = first.iter().map(|(_, _, id)| *id).collect();
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        first.len(),
        "no id repeats across namespaces: {first:?}"
    );
    // The same ids in a second run (another process).
    let second = listed(&host_pktmon(&lab, &["list", "-a", "-i", "--json"]));
    assert_eq!(id_in(&second, &lab.ns_a, &lab.if_a), a);
    assert_eq!(id_in(&second, &lab.ns_b, &lab.if_b), b);
    assert_eq!(id_in(&second, &sleeper_ns, "lo"), lo_s);
    // Text: the own namespace as before, the others under their names, veth peers named.
    let out = host_pktmon(&lab, &["list", "-a", "-i"]);
    let s = text(&out.stdout);
    assert!(s.starts_with("\nNetwork Adapters:\n"), "{s}");
    assert!(
        s.contains(&format!("\nNetwork namespace {}", lab.ns_a)),
        "{s}"
    );
    assert!(
        s.contains(&format!("\nNetwork namespace {sleeper_ns}")),
        "{s}"
    );
    let row = s
        .lines()
        .find(|l| l.contains(&format!(" {} ", lab.if_a)))
        .expect("if_a row");
    assert!(row.trim_start().starts_with(&a.to_string()), "{row}");
    assert!(
        row.contains(&format!("veth, peer {}@{} ({b})", lab.if_b, lab.ns_b)),
        "{row}"
    );
    // Inside a namespace, that namespace is pktmon's own: its ids are its ifindexes.
    let inside = listed(&lab.pktmon(&["list", "--json"]));
    assert_eq!(inside[0].0, lab.ns_a);
    assert!(id_in(&inside, &lab.ns_a, &lab.if_a) < 10_000);
}

#[test]
fn comp_takes_a_namespace_name_or_pid() {
    if require_root("comp_takes_a_namespace_name_or_pid").is_err() {
        return;
    }
    let lab = Lab::new();
    // API level, as `start` does it: the namespace's interfaces, and later ones fit.
    let set = component_set().expect("component set");
    let sel = ComponentSelector::parse(std::slice::from_ref(&lab.ns_b))
        .unwrap()
        .select(&set)
        .expect("namespace selects");
    let names: Vec<&str> = sel.components.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains(&lab.if_b.as_str()) && names.contains(&"lo"),
        "{names:?}"
    );
    assert!(
        sel.components
            .iter()
            .all(|c| c.netns.as_ref().is_some_and(|n| n.name == lab.ns_b))
    );
    let mut later = sel.components[0].clone();
    later.id = 123_456;
    assert!(sel.scope.admits(&later));
    let sleeper = Sleeper::start();
    let sel = ComponentSelector::parse(&[format!("pid:{}", sleeper.0.id())])
        .unwrap()
        .select(&component_set().unwrap())
        .expect("pid selects");
    assert_eq!(sel.components.len(), 1, "{:?}", sel.components);
    assert_eq!(
        sel.components[0].display_name(),
        format!("lo@pid {} (sleep)", sleeper.0.id())
    );

    // A session inside namespace a, selecting it by name, captures there.
    let _receiver = lab.bind_udp(&lab.ns_a, 7070);
    let log = lab.path("ns.pcapng");
    let out = lab.start_capture(&log, &["--comp", &lab.ns_a]);
    let s = text(&out.stdout);
    assert!(
        s.contains(&format!("Monitored Components:\n    {}\n", lab.ns_a)),
        "{s}"
    );
    assert!(s.contains(&format!(" {}\n", lab.if_a)), "{s}");
    lab.send_udp(&lab.ns_b, lab.addr_a, 7070, 5, 20);
    lab.wait_logged(5, Duration::from_secs(10));
    lab.stop_capture();

    // From the host, kernel tracepoints capture in another namespace named by --comp.
    let log = lab.path("host.pcapng");
    let logs = log.to_str().expect("UTF-8");
    let out = host_pktmon(&lab, &["start", "-c", "--comp", &lab.ns_a, "-f", logs]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    lab.send_udp(&lab.ns_b, lab.addr_a, 7070, 3, 20);
    let out = host_pktmon(&lab, &["stop"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows = common::tshark_fields(&log, "udp.dstport == 7070", &["frame.interface_name"]);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let want = format!("{}@{}", lab.if_a, lab.ns_a);
    assert!(rows.iter().all(|r| r[0] == want), "{rows:?}");
    // libpcap (forced) opens the handle in the namespace named: the same packets, the
    // same interface name.
    let log = lab.path("host-pcap.pcapng");
    let logs = log.to_str().expect("UTF-8");
    let pcap_pktmon = |args: &[&str]| {
        Command::new(PKTMON)
            .args(args)
            .env("PKTMON_STATE_DIR", lab.state.path())
            .env("PKTMON_PATH_SOURCE", "pcap")
            .current_dir(lab.dir.path())
            .output()
            .expect("run pktmon")
    };
    let out = pcap_pktmon(&["start", "-c", "--comp", &lab.ns_a, "-f", logs]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    lab.send_udp(&lab.ns_b, lab.addr_a, 7070, 3, 20);
    let out = pcap_pktmon(&["stop"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let rows = common::tshark_fields(&log, "udp.dstport == 7070", &["frame.interface_name"]);
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| r[0] == want), "{rows:?}");
    // Unknown namespaces and processes: exit 87, listing the valid ones.
    let out = host_pktmon(&lab, &["start", "-c", "--comp", "no-such-namespace"]);
    assert_eq!(out.status.code(), Some(87));
    let e = text(&out.stderr);
    assert!(
        e.contains("Valid network namespaces") && e.contains(&lab.ns_b),
        "{e}"
    );
    let out = host_pktmon(&lab, &["start", "-c", "--comp", "pid:4000000000"]);
    assert_eq!(out.status.code(), Some(87), "{}", text(&out.stderr));
}

/// ifindex of `dev` in namespace `ns` (`ip -n ns -o link show dev`: "N: name: ...").
fn ifindex(ns: &str, dev: &str) -> u32 {
    let out = Command::new("ip")
        .args(["-n", ns, "-o", "link", "show", "dev", dev])
        .output()
        .expect("ip");
    text(&out.stdout)
        .split(':')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no ifindex for {dev}: {}", text(&out.stdout)))
}

fn ip(args: &[&str]) {
    let out = Command::new("ip").args(args).output().expect("ip");
    assert!(out.status.success(), "ip {args:?}: {}", text(&out.stderr));
}

#[test]
fn registry_resolves_interfaces_created_and_renamed_later() {
    if require_root("registry_resolves_interfaces_created_and_renamed_later").is_err() {
        return;
    }
    let lab = Lab::new();
    let ns_b = std::fs::metadata(format!("/run/netns/{}", lab.ns_b))
        .unwrap()
        .ino();
    let mut reg = ComponentRegistry::with_parts(
        Box::new(SystemNamespaces),
        Box::new(FileIdStore::in_dir(lab.state.path().to_path_buf())),
        RescanPolicy {
            discovery_interval: Duration::ZERO,
            links_interval: Duration::ZERO,
        },
    )
    .expect("registry");
    let if_b = ifindex(&lab.ns_b, &lab.if_b);
    let before = reg.resolve(ns_b, if_b, &lab.if_b).clone();
    assert_eq!(before.kind, ComponentKind::Veth);
    assert_eq!(before.display_name(), format!("{}@{}", lab.if_b, lab.ns_b));

    // Created after the registry was built.
    let late = format!("{}n", lab.if_b);
    let late_peer = format!("{}p", lab.if_b);
    ip(&[
        "-n", &lab.ns_b, "link", "add", &late, "type", "veth", "peer", "name", &late_peer,
    ]);
    let d = ifindex(&lab.ns_b, &late);
    let c = reg.resolve(ns_b, d, &late).clone();
    assert_eq!(c.kind, ComponentKind::Veth);
    assert_eq!(c.name, late);
    assert_ne!(c.id, before.id);

    // Renamed after the registry was built: same id, new name.
    let renamed = format!("{}r", lab.if_b);
    ip(&["-n", &lab.ns_b, "link", "set", &lab.if_b, "down"]);
    ip(&["-n", &lab.ns_b, "link", "set", &lab.if_b, "name", &renamed]);
    let c = reg.resolve(ns_b, if_b, &renamed).clone();
    assert_eq!((c.id, c.name.as_str()), (before.id, renamed.as_str()));
    assert_eq!(c.kind, ComponentKind::Veth);
    // the snapshot agrees, and a new process numbers them the same
    let snap = reg.snapshot();
    assert!(
        snap.components
            .iter()
            .any(|x| x.id == c.id && x.name == renamed)
    );
    let out = host_pktmon(&lab, &["list", "--json"]);
    let list = listed(&out);
    assert_eq!(id_in(&list, &lab.ns_b, &renamed), u64::from(before.id));
    ip(&["-n", &lab.ns_b, "link", "set", &renamed, "name", &lab.if_b]);
}

#[test]
fn without_privileges_list_shows_the_own_namespace_and_says_so() {
    if require_root("without_privileges_list_shows_the_own_namespace_and_says_so").is_err() {
        return;
    }
    let lab = Lab::new();
    // A copy nobody can reach (the build tree may sit under a private home).
    let dir = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let exe = dir.path().join("pktmon");
    std::fs::copy(PKTMON, &exe).unwrap();
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let state = dir.path().join("state");
    let mut out = None;
    // A child forked by another test thread while the copy was open for writing keeps the
    // file busy until it execs (ETXTBSY): retry a bounded number of times.
    for _ in 0..100 {
        let o = Command::new("setpriv")
            .args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
            ])
            .arg(&exe)
            .args(["list", "--json"])
            .env("PKTMON_STATE_DIR", &state)
            .output()
            .expect("setpriv (util-linux)");
        if !text(&o.stderr).contains("Text file busy") {
            out = Some(o);
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = out.expect("pktmon ran");
    let list = listed(&out);
    let own = &list[0].0;
    assert!(list.iter().all(|(ns, _, _)| ns == own), "{list:?}");
    assert!(!list.iter().any(|(_, name, _)| *name == lab.if_a));
    let e = text(&out.stderr);
    assert!(
        e.contains("other network namespace(s) not listed: entering them needs root"),
        "{e}"
    );
    // nothing to number, so nothing written
    assert!(!state.exists());
}
