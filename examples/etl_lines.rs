//! Prints an ETL file's event lines as `pktmon format` would (UTF-8, LF), then any problems.
fn main() {
    let path = std::env::args().nth(1).expect("usage: etl_lines FILE.etl");
    let r = match pktmon::etl::EtlFile::open(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let mut line = String::new();
    for ev in r.events() {
        line.clear();
        if ev.write_line(&mut line) {
            println!("{line}");
        }
    }
    for p in r.problems() {
        eprintln!("{p}");
    }
}
