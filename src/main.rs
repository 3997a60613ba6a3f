fn main() {
    let mut args = std::env::args_os();
    let program = args.next().unwrap_or_default();
    let mut args: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
    // Wireshark runs the `pktmon-extcap` symlink with the extcap options alone.
    if pktmon::cmd::extcap::invoked_as_extcap(&program) {
        args.insert(0, "extcap".to_string());
    }
    std::process::exit(pktmon::cmd::main(&args));
}
