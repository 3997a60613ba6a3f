//! Writes the generated files: shell completions (completions/) and man pages (man/),
//! from pktmon's clap tree. `cargo run --example gen_assets`; the test
//! tests/generated_assets.rs fails while the committed files differ from what this writes.

#[path = "../tests/gen_assets/mod.rs"]
mod gen_assets;

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    match gen_assets::write_all(root) {
        Ok(written) => {
            for p in written {
                println!("{}", p.display());
            }
        }
        Err(e) => {
            eprintln!("gen_assets: {e}");
            std::process::exit(1);
        }
    }
}
