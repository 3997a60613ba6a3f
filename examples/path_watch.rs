//! Runs the packet-path tracer and prints each sighting with the record's skb offsets:
//! for checking what the tracepoints see on a kernel.
//!
//! usage: path_watch [--netns PATH]... [--snaplen N] [--seconds N] [--max N] [--quiet]
//! Prints "ready rx=<insns> tx=<insns> open_ms=<ms>" once attached.

#[cfg(target_os = "linux")]
fn main() {
    use pktmon::capture::drops::netns_inode_of;
    use pktmon::capture::path::{PathOptions, PathTracer};
    use std::io::Write;
    use std::time::{Duration, Instant};

    let mut opts = PathOptions::default();
    let mut seconds = 10u64;
    let mut max = u64::MAX;
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = || args.next().and_then(|s| s.parse::<u64>().ok());
        match a.as_str() {
            "--netns" => {
                let p = args.next().unwrap_or_default();
                match netns_inode_of(std::path::Path::new(&p)) {
                    Ok(i) => opts.netns_inodes.push(i),
                    Err(e) => {
                        eprintln!("path_watch: {p}: {e}");
                        std::process::exit(2);
                    }
                }
            }
            "--snaplen" => opts.snaplen = num().unwrap_or(0) as u32,
            "--seconds" => seconds = num().unwrap_or(10),
            "--max" => max = num().unwrap_or(u64::MAX),
            "--quiet" => quiet = true,
            _ => {
                eprintln!(
                    "usage: path_watch [--netns PATH]... [--snaplen N] [--seconds N] [--max N] [--quiet]"
                );
                std::process::exit(2);
            }
        }
    }
    let started = Instant::now();
    let mut tracer = match PathTracer::open(&opts) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("path_watch: {e}");
            std::process::exit(if e.is_permission_denied() { 5 } else { 1 });
        }
    };
    let (rx, tx) = tracer.instructions();
    let (lrx, ltx) = tracer.load_times();
    println!(
        "ready rx={rx} tx={tx} load_us={}/{} cap={} open_ms={:.1}",
        lrx.as_micros(),
        ltx.as_micros(),
        tracer.cap(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let _ = std::io::stdout().flush();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut n = 0u64;
    let out = std::io::stdout();
    let mut out = out.lock();
    while Instant::now() < deadline && n < max {
        let r = tracer.poll_raw(Duration::from_millis(100), &mut |s, raw| {
            n += 1;
            if quiet {
                return;
            }
            let d = &pktmon::capture::path::RecordDetail::of(raw);
            let hex: String = s.data.iter().take(80).map(|b| format!("{b:02x}")).collect();
            let _ = writeln!(
                out,
                "{} {} netns={}/{:#x} if={}:{} type={} skb={:#x} head={:#x} len={} link={} nh@{} \
                 mac={} nh={} data@{} start@{} skb_len={} frag={} proto={:#06x} caplen={} {hex}",
                s.timestamp_ns,
                s.direction.as_str(),
                s.netns_inode,
                s.netns_cookie,
                s.ifindex,
                s.ifname,
                s.dev_type,
                s.skb_addr,
                s.skb_head,
                s.original_len,
                s.link_type.0,
                s.network_offset,
                d.mac_header,
                d.network_header,
                d.data_off,
                d.copy_start,
                d.skb_len,
                d.data_len,
                d.protocol,
                s.data.len(),
            );
        });
        if let Err(e) = r {
            eprintln!("path_watch: poll: {e}");
            std::process::exit(1);
        }
    }
    let stats = match tracer.program_stats() {
        Ok((rx, tx)) => format!(
            "rx_verified={} tx_verified={} rx_runs={} rx_ns_per_run={} tx_runs={} tx_ns_per_run={}",
            rx.verified_insns,
            tx.verified_insns,
            rx.run_cnt,
            rx.run_time_ns.checked_div(rx.run_cnt).unwrap_or(0),
            tx.run_cnt,
            tx.run_time_ns.checked_div(tx.run_cnt).unwrap_or(0),
        ),
        Err(e) => format!("stats: {e}"),
    };
    println!("total={n} lost={} {stats}", tracer.lost());
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("path_watch: Linux only");
}
