//! The repository stands alone: what its files cite can be opened from a clone of it.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            if !p.ends_with("target") && !p.ends_with("spec") {
                files(&p, out);
            }
        } else if p
            .extension()
            .is_some_and(|e| ["rs", "sh", "c", "md", "toml"].contains(&e.to_str().unwrap_or("")))
        {
            out.push(p);
        }
    }
}

/// No source comment or doc points into the shared specification folder beside the
/// repository (a clone does not have it); every `docs/spec/<file>` cited exists.
#[test]
fn cited_specifications_are_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in [
        "src", "scripts", "tests", "docs", "bench", "examples", "fuzz", ".ci",
    ] {
        if root.join(dir).is_dir() {
            files(&root.join(dir), &mut all);
        }
    }
    all.push(root.join("README.md"));
    let outside = concat!("shared", "/spec");
    let mut cited = 0;
    for f in &all {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        assert!(
            !text.contains(outside),
            "{} cites ../{outside}, which a clone does not have; cite docs/spec",
            f.display()
        );
        for (i, _) in text.match_indices("docs/spec/") {
            let name: String = text[i + "docs/spec/".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            let name = name.trim_end_matches('.');
            if name.is_empty() {
                continue; // the folder itself, or a placeholder
            }
            assert!(
                root.join("docs/spec").join(name).is_file(),
                "{} cites docs/spec/{name}, which does not exist",
                f.display()
            );
            cited += 1;
        }
    }
    assert!(cited >= 8, "{cited}");
}
