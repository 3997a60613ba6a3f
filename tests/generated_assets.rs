//! The committed shell completions (completions/) and man pages (man/) are what the
//! generator makes from the current command tree (regenerate: `cargo run --example
//! gen_assets`), and the completions complete: static choices from the tree, component
//! ids and filter names from a running pktmon.
#![cfg(target_os = "linux")] // bash, zsh, fish and sysfs

mod gen_assets;

use std::path::Path;
use std::process::Command;

const PKTMON: &str = env!("CARGO_BIN_EXE_pktmon");
const REGENERATE: &str = "cargo run --example gen_assets";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn completions_and_man_pages_are_current() {
    let files = gen_assets::all();
    let mut stale = Vec::new();
    for f in &files {
        match std::fs::read(root().join(&f.path)) {
            Ok(committed) if committed == f.bytes => {}
            Ok(_) => stale.push(format!("{} differs", f.path.display())),
            Err(e) => stale.push(format!("{}: {e}", f.path.display())),
        }
    }
    for s in gen_assets::strays(root(), &files).expect("read generated folders") {
        stale.push(format!("{} is not generated any more", s.display()));
    }
    assert!(
        stale.is_empty(),
        "generated files out of date (run `{REGENERATE}`):\n{}",
        stale.join("\n")
    );
    // One page per command of the table (Gen 2 names excepted), and the top page.
    let pages = files.iter().filter(|f| f.path.starts_with("man")).count();
    assert_eq!(pages, pktmon::commands::COMMANDS.len() + 1);
}

/// A private state directory with filters `Web` (port 80) and one without a name.
fn state_with_filters() -> tempfile::TempDir {
    let state = tempfile::tempdir().expect("tempdir");
    for args in [
        &["filter", "add", "Web", "-p", "80"][..],
        &["filter", "add", "-t", "UDP"],
    ] {
        let out = Command::new(PKTMON)
            .args(args)
            .env("PKTMON_STATE_DIR", state.path())
            .output()
            .expect("run pktmon");
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
    state
}

/// PATH with the pktmon under test first (the completion functions call `pktmon`).
fn path_with_pktmon() -> String {
    let dir = Path::new(PKTMON).parent().expect("binary's folder");
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// The candidates bash completion offers for the last word of `line` (empty last word
/// when `line` ends with a space).
fn bash_candidates(line: &str, state: &Path) -> Vec<String> {
    let script = format!(
        "source {}\nCOMP_WORDS=({line}{})\nCOMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
         _pktmon_with_values pktmon \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        root().join("completions/pktmon.bash").display(),
        if line.ends_with(' ') { "''" } else { "" },
    );
    let out = Command::new("bash")
        .args(["--norc", "-c", &script])
        .env("PATH", path_with_pktmon())
        .env("PKTMON_STATE_DIR", state)
        .output()
        .expect("run bash");
    assert!(out.status.success(), "bash: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The candidates fish offers for `line` (first column of `complete -C`).
fn fish_candidates(line: &str, state: &Path) -> Vec<String> {
    let script = format!(
        "source {}; complete -C '{line}'",
        root().join("completions/pktmon.fish").display()
    );
    let out = Command::new("fish")
        .args(["--no-config", "-c", &script])
        .env("PATH", path_with_pktmon())
        .env("PKTMON_STATE_DIR", state)
        .output()
        .expect("run fish (scripts/deps.sh installs it)");
    assert!(out.status.success(), "fish: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

/// The component ids of pktmon's own namespace, by the kernel: its ifindexes.
fn own_ifindexes() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir("/sys/class/net")
        .expect("/sys/class/net")
        .map(|e| {
            let p = e.expect("entry").path().join("ifindex");
            std::fs::read_to_string(p)
                .expect("ifindex")
                .trim()
                .to_string()
        })
        .collect();
    ids.sort();
    ids
}

fn assert_has(got: &[String], want: &[&str], what: &str) {
    for w in want {
        assert!(got.iter().any(|g| g == w), "{what}: no {w:?} in {got:?}");
    }
}

#[test]
fn bash_completes_choices_components_and_filters() {
    let state = state_with_filters();
    let s = state.path();
    let types = bash_candidates("pktmon start --type ", s);
    assert_eq!(types, ["all", "flow", "drop"]);
    let modes = bash_candidates("pktmon start -m ", s);
    assert_eq!(modes, ["circular", "multi-file", "memory", "real-time"]);
    let comps = bash_candidates("pktmon start --capture --comp ", s);
    let ids = own_ifindexes();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_has(&comps, &["all", "nics"], "--comp");
    assert_has(&comps, &ids, "--comp (ifindexes)");
    // After a comma, the next item of the list, with what came before kept.
    let after = bash_candidates("pktmon start --comp nics,", s);
    let with_prefix: Vec<String> = ids.iter().map(|i| format!("nics,{i}")).collect();
    let with_prefix: Vec<&str> = with_prefix.iter().map(String::as_str).collect();
    assert_has(&after, &with_prefix, "--comp nics,");
    let filters = bash_candidates("pktmon filter remove ", s);
    assert_eq!(filters, ["1", "Web", "2"]);
    let protocols = bash_candidates("pktmon filter add x -t ", s);
    assert_eq!(protocols, ["TCP", "UDP", "ICMP", "ICMPv6"]);
    let commands = bash_candidates("pktmon ", s);
    assert_has(
        &commands,
        &["start", "stop", "etl2txt", "format"],
        "commands",
    );
    assert!(!commands.iter().any(|c| c == "__session"), "{commands:?}");
}

#[test]
fn fish_completes_choices_components_and_filters() {
    let state = state_with_filters();
    let s = state.path();
    assert_has(
        &fish_candidates("pktmon counters --type ", s),
        &["all", "flow", "drop"],
        "counters --type",
    );
    let ids = own_ifindexes();
    let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
    want.extend(["all", "nics"]);
    assert_has(&fish_candidates("pktmon start --comp ", s), &want, "--comp");
    assert_has(
        &fish_candidates("pktmon filter remove ", s),
        &["1", "Web", "2"],
        "filter remove",
    );
}

#[test]
fn every_script_parses_in_its_shell() {
    let dir = root().join("completions");
    let checks: [(&str, &[&str], &str); 3] = [
        ("bash", &["-n"], "pktmon.bash"),
        ("zsh", &["-n"], "_pktmon"),
        ("fish", &["--no-execute"], "pktmon.fish"),
    ];
    for (shell, flags, file) in checks {
        let out = Command::new(shell)
            .args(flags)
            .arg(dir.join(file))
            .output()
            .unwrap_or_else(|e| panic!("{shell} (scripts/deps.sh installs it): {e}"));
        assert!(out.status.success(), "{shell} {file}: {out:?}");
    }
}

/// zsh: the helper functions the generated specs call for `--comp` and `filter remove`
/// (the generator checks that the specs call them), run with zsh's completion builtins
/// replaced by printing what they are given.
#[test]
fn zsh_helpers_list_components_and_filters() {
    let state = state_with_filters();
    let script = format!(
        "compdef() {{ :; }}; _values() {{ shift 3; print -l -- \"$@\"; }}; \
         compadd() {{ shift; print -l -- ${{(P)1}}; }}; source {}; \
         _pktmon_components; print -- --; _pktmon_filters",
        root().join("completions/_pktmon").display()
    );
    let out = Command::new("zsh")
        .args(["-f", "-c", &script])
        .env("PATH", path_with_pktmon())
        .env("PKTMON_STATE_DIR", state.path())
        .output()
        .expect("run zsh (scripts/deps.sh installs it)");
    assert!(out.status.success(), "zsh: {out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let (comps, filters) = text.split_once("--\n").expect("two lists");
    let comps: Vec<String> = comps.lines().map(str::to_string).collect();
    let ids = own_ifindexes();
    let mut want: Vec<&str> = ids.iter().map(String::as_str).collect();
    want.extend(["all", "nics"]);
    assert_has(&comps, &want, "zsh --comp");
    assert_eq!(filters.lines().collect::<Vec<_>>(), ["1", "Web", "2"]);
}
