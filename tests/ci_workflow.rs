//! The GitHub Actions example (docs/examples/pktmon-ci.yml) works as written: its
//! `pktmon-*` steps run, word for word, in namespace a of a network-namespace lab, with
//! UDP traffic to namespace b where the workflow runs its tests; then every file its
//! upload step names exists, tshark reads the log and finds the traffic, and the text
//! and counters are there.
//!
//! What stands in for the runner: `RUNNER_TEMP` (and `${{ runner.temp }}` in the upload
//! paths) is a temporary directory; the pktmon under test is first in `PATH` in place of
//! the installed package (the install step is not run); `sudo` is a pass-through, since
//! the test already runs as root and sudo would drop the lab's private
//! `PKTMON_STATE_DIR`. Steps run as GitHub runs them: `bash --noprofile --norc -eo
//! pipefail`.
#![cfg(target_os = "linux")] // network namespaces, tshark, the unix session

mod common;

use common::{Lab, PKTMON, require_root, tshark_fields};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::YamlLoader;

const WORKFLOW: &str = "docs/examples/pktmon-ci.yml";

/// One step of the workflow's job.
struct Step {
    id: String,
    run: Option<String>,
    upload_paths: Vec<String>,
}

fn steps() -> Vec<Step> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(WORKFLOW);
    let text = std::fs::read_to_string(&path).expect("read the workflow");
    let docs = YamlLoader::load_from_str(&text).expect("the workflow is YAML");
    let jobs = docs[0]["jobs"].as_hash().expect("jobs");
    assert_eq!(jobs.len(), 1, "one job");
    let (_, job) = jobs.iter().next().expect("a job");
    job["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .map(|s| Step {
            id: s["id"].as_str().unwrap_or_default().to_string(),
            run: s["run"].as_str().map(str::to_string),
            upload_paths: match (s["uses"].as_str(), s["with"]["path"].as_str()) {
                (Some(u), Some(p)) if u.starts_with("actions/upload-artifact") => p
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                _ => Vec::new(),
            },
        })
        .collect()
}

/// A folder with `sudo` as a pass-through.
fn sudo_shim(dir: &Path) -> PathBuf {
    let bin = dir.join("shim");
    std::fs::create_dir_all(&bin).expect("shim dir");
    let sudo = bin.join("sudo");
    std::fs::write(&sudo, "#!/bin/sh\nexec \"$@\"\n").expect("write sudo");
    std::fs::set_permissions(&sudo, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    bin
}

#[test]
fn the_example_workflow_captures_the_tests_traffic() {
    if require_root("the_example_workflow_captures_the_tests_traffic").is_err() {
        return;
    }
    let steps = steps();
    let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
    // The order the guide describes: capture armed before the tests, stopped after.
    let at = |id: &str| {
        ids.iter()
            .position(|i| *i == id)
            .unwrap_or_else(|| panic!("no step {id}: {ids:?}"))
    };
    assert!(
        at("pktmon-start") < at("tests") && at("tests") < at("pktmon-stop"),
        "{ids:?}"
    );
    assert!(at("pktmon-stop") < at("upload-capture"), "{ids:?}");

    let lab = Lab::new();
    let runner_temp = tempfile::tempdir().expect("tempdir");
    let shim = sudo_shim(lab.dir.path());
    let bin_dir = Path::new(PKTMON).parent().expect("binary's folder");
    let path = format!(
        "{}:{}:{}",
        shim.display(),
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let _receiver = lab.bind_udp(&lab.ns_b, 5555);
    let sent = 40;
    for step in &steps {
        if step.id == "tests" {
            // Where the workflow runs its tests: traffic through the captured interface.
            lab.send_udp(&lab.ns_a, lab.addr_b, 5555, sent, 100);
            continue;
        }
        let Some(run) = step
            .run
            .as_deref()
            .filter(|_| step.id.starts_with("pktmon-"))
        else {
            continue;
        };
        let out = Command::new("ip")
            .args(["netns", "exec", &lab.ns_a])
            .args([
                "bash",
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                run,
            ])
            .env("PATH", &path)
            .env("RUNNER_TEMP", runner_temp.path())
            .env("PKTMON_STATE_DIR", lab.state.path())
            .current_dir(lab.dir.path())
            .output()
            .expect("run bash");
        assert!(
            out.status.success(),
            "step {} failed ({}):\n{}\n{}",
            step.id,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let uploads: Vec<PathBuf> = steps
        .iter()
        .flat_map(|s| s.upload_paths.iter())
        .map(|p| {
            let p = p.replace("${{ runner.temp }}", &runner_temp.path().to_string_lossy());
            assert!(
                !p.contains("${{"),
                "an expression the test cannot stand in for: {p}"
            );
            PathBuf::from(p)
        })
        .collect();
    assert_eq!(uploads.len(), 3, "{uploads:?}");
    for p in &uploads {
        let len = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        assert!(len > 0, "{} missing or empty", p.display());
    }
    let by_ext = |ext: &str| {
        uploads
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap_or_else(|| panic!("no .{ext} among {uploads:?}"))
    };
    let log = by_ext("etl");
    // Each datagram leaves the captured adapter (Tx; Wireshark's p2p_dir 0) once; the
    // session also follows it into namespace b, where it arrives.
    let sightings = tshark_fields(
        log,
        "udp.dstport == 5555",
        &["frame.interface_name", "frame.p2p_dir"],
    );
    let sent_at_a = sightings
        .iter()
        .filter(|f| f[0] == lab.if_a && f[1] == "0")
        .count();
    assert_eq!(
        sent_at_a, sent,
        "datagrams sent through {}: {sightings:?}",
        lab.if_a
    );
    // The text holds every record of the log.
    let text = std::fs::read_to_string(by_ext("txt")).expect("text log");
    let text_lines = text.lines().filter(|l| l.contains(".5555: UDP")).count();
    assert_eq!(
        text_lines,
        sightings.len(),
        "datagrams in the uploaded text:\n{text}"
    );
    let counters: serde_json::Value =
        serde_json::from_slice(&std::fs::read(by_ext("json")).expect("counters"))
            .expect("counters JSON");
    assert!(!counters.is_null());
}
