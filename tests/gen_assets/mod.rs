//! The files generated from pktmon's clap tree ([`pktmon::cli::user_command`]): shell
//! completions for bash, zsh, fish, PowerShell and elvish (clap_complete, plus the
//! hand-written functions in this folder that complete values only a running system
//! knows: component ids and filter names), and a man page for `pktmon` and each command
//! (clap_mangen). Shared by examples/gen_assets.rs (writes them) and
//! tests/generated_assets.rs (checks the committed ones are current).

use clap::Command;
use clap_complete::Shell;
use std::path::{Path, PathBuf};

/// The folder (in the repository) of the completion scripts.
pub const COMPLETIONS_DIR: &str = "completions";
/// The folder of the man pages (section 1, uncompressed; the package gzips them).
pub const MAN_DIR: &str = "man";

/// One generated file: its path in the repository and its content.
pub struct Generated {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// The command tree as the generators see it: with the version for the man pages' footer.
fn tree() -> Command {
    pktmon::cli::user_command().version(env!("CARGO_PKG_VERSION"))
}

/// Functions appended to clap_complete's script: completion of values that only
/// `pktmon list` and `pktmon filter list` know (None: static completion only).
fn dynamic_part(shell: Shell) -> Option<&'static str> {
    match shell {
        Shell::Bash => Some(include_str!("dynamic.bash")),
        Shell::Zsh => Some(include_str!("dynamic.zsh")),
        Shell::Fish => Some(include_str!("dynamic.fish")),
        _ => None,
    }
}

/// The completion script for `shell`, under the file name its shell looks for.
fn completion(shell: Shell) -> Generated {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut tree(), "pktmon", &mut bytes);
    if let Some(extra) = dynamic_part(shell) {
        bytes = splice(shell, bytes, extra);
    }
    let name = match shell {
        Shell::Bash => "pktmon.bash".to_string(),
        Shell::Zsh => "_pktmon".to_string(),
        Shell::Fish => "pktmon.fish".to_string(),
        Shell::PowerShell => "_pktmon.ps1".to_string(),
        Shell::Elvish => "pktmon.elv".to_string(),
        other => format!("pktmon.{other}"),
    };
    Generated {
        path: Path::new(COMPLETIONS_DIR).join(name),
        bytes,
    }
}

/// zsh: the option specs (by how their line starts) whose action the generator replaces,
/// and the action: functions of dynamic.zsh, or the words `filter add` knows.
const ZSH_ACTIONS: &[(&[&str], &str)] = &[
    (&["'--comp=["], "_pktmon_components"),
    (&["'::which -- "], "_pktmon_filters"),
    (&["'-d+[", "'--data-link=["], "(IPv4 IPv6 ARP)"),
    (&["'-t+[", "'--transport=["], "(TCP UDP ICMP ICMPv6)"),
];

/// clap_complete's script with the dynamic part added where the shell needs it: bash and
/// fish at the end (bash's wrapper registers itself in place of clap's function, fish adds
/// candidates); zsh before its closing dispatch, with the actions of [`ZSH_ACTIONS`].
fn splice(shell: Shell, generated: Vec<u8>, extra: &str) -> Vec<u8> {
    let text = String::from_utf8(generated).expect("clap_complete writes UTF-8");
    let spliced = match shell {
        Shell::Zsh => {
            let mut replaced = vec![0; ZSH_ACTIONS.len()];
            let mut lines: Vec<String> = Vec::new();
            for line in text.lines() {
                let found = ZSH_ACTIONS.iter().position(|(starts, _)| {
                    starts.iter().any(|s| line.starts_with(s)) && line.ends_with(":_default' \\")
                });
                match found {
                    Some(i) => {
                        replaced[i] += 1;
                        let kept = line.strip_suffix("_default' \\").unwrap_or(line);
                        lines.push(format!("{kept}{}' \\", ZSH_ACTIONS[i].1));
                    }
                    None => lines.push(line.to_string()),
                }
            }
            // Each replacement must still find its line: a renamed option would otherwise
            // lose its completion silently.
            for (n, (starts, _)) in replaced.iter().zip(ZSH_ACTIONS) {
                assert!(*n > 0, "no zsh option spec starts with {starts:?}");
            }
            let dispatch = "if [ \"$funcstack[1]\" = \"_pktmon\" ]; then";
            let at = lines
                .iter()
                .position(|l| l == dispatch)
                .expect("clap_complete's zsh script ends with its dispatch");
            lines.insert(at, extra.trim_end().to_string() + "\n");
            lines.join("\n") + "\n"
        }
        _ => format!("{text}\n{extra}"),
    };
    spliced.into_bytes()
}

/// Gen 2 names of commands that have a page under their current name (each page's
/// footer gives the Gen 2 form).
const GEN2_NAMES: [&str; 3] = ["comp", "format", "pcapng"];

/// `pktmon` and every visible subcommand, depth first.
fn documented(cmd: &Command, out: &mut Vec<Command>) {
    out.push(cmd.clone());
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        documented(sub, out);
    }
}

/// The man pages: `pktmon.1` and `pktmon-<command>[-<sub>].1`.
fn man_pages() -> Vec<Generated> {
    let mut root = tree();
    for gen2 in GEN2_NAMES {
        root = root.mut_subcommand(gen2, |c| c.hide(true));
    }
    root.build();
    let mut pages = Vec::new();
    documented(&root, &mut pages);
    pages
        .into_iter()
        .map(|cmd| {
            let man = clap_mangen::Man::new(cmd).manual("pktmon manual");
            let mut bytes = Vec::new();
            man.render(&mut bytes).expect("rendering into memory");
            Generated {
                path: Path::new(MAN_DIR).join(man.get_filename()),
                bytes,
            }
        })
        .collect()
}

/// Every generated file.
pub fn all() -> Vec<Generated> {
    let shells = [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::PowerShell,
        Shell::Elvish,
    ];
    let mut files: Vec<Generated> = shells.into_iter().map(completion).collect();
    files.extend(man_pages());
    files
}

/// Files in the generated folders under `root` that [`all`] does not produce (left over
/// from a command that no longer exists).
pub fn strays(root: &Path, files: &[Generated]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for dir in [COMPLETIONS_DIR, MAN_DIR] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            let rel = Path::new(dir).join(e?.file_name());
            if !files.iter().any(|f| f.path == rel) {
                out.push(rel);
            }
        }
    }
    Ok(out)
}

/// Writes every generated file under `root` and removes the strays; returns the paths.
#[allow(dead_code)] // used by the example only
pub fn write_all(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let files = all();
    for dir in [COMPLETIONS_DIR, MAN_DIR] {
        std::fs::create_dir_all(root.join(dir))?;
    }
    for stray in strays(root, &files)? {
        std::fs::remove_file(root.join(stray))?;
    }
    for f in &files {
        std::fs::write(root.join(&f.path), &f.bytes)?;
    }
    Ok(files.into_iter().map(|f| f.path).collect())
}
