//! Runs the kernel drop tracer and prints what it sees: one line per drop, or with
//! `--count` only the totals by reason (for bench/drops.sh).
//!
//! usage: drop_watch [--netns PATH]... [--count] [--seconds N]
//! Stops after N seconds (default 10) or on SIGINT/SIGTERM; prints "ready" once the
//! tracer is attached, and a JSON summary at the end.

#[cfg(target_os = "linux")]
fn main() {
    use pktmon::capture::drops::{DropScope, DropTracer, netns_inode_of};
    use std::collections::BTreeMap;
    use std::io::Write;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    let mut scope = DropScope::default();
    let mut count_only = false;
    let mut seconds = 10u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--netns" => {
                let p = args.next().unwrap_or_default();
                match netns_inode_of(std::path::Path::new(&p)) {
                    Ok(i) => scope.netns_inodes.push(i),
                    Err(e) => {
                        eprintln!("drop_watch: {p}: {e}");
                        std::process::exit(2);
                    }
                }
            }
            "--count" => count_only = true,
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).unwrap_or(10),
            _ => {
                eprintln!("usage: drop_watch [--netns PATH]... [--count] [--seconds N]");
                std::process::exit(2);
            }
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    let started = Instant::now();
    let mut tracer = match DropTracer::open(&scope) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("drop_watch: {e}");
            std::process::exit(if e.is_permission_denied() { 5 } else { 1 });
        }
    };
    let open_ms = started.elapsed().as_secs_f64() * 1000.0;
    println!(
        "ready source={} open_ms={open_ms:.1}",
        tracer.kind().as_str()
    );
    if let Some(why) = tracer.why_fallback() {
        println!("fallback: {why}");
    }
    let _ = std::io::stdout().flush();
    let mut by_reason: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0u64;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let out = std::io::stdout();
    let mut out = out.lock();
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        let r = tracer.poll(Duration::from_millis(100), &mut |ev| {
            total += 1;
            match by_reason.get_mut(ev.reason.as_str()) {
                Some(n) => *n += 1,
                None => {
                    by_reason.insert(ev.reason.clone(), 1);
                }
            }
            if !count_only {
                let _ = writeln!(
                    out,
                    "{} {} at {} netns={:?} if={:?} {} proto={:#06x} len={} caplen={} link={} \
                     skb={:#x} head={:#x} shared={}",
                    ev.timestamp_ns,
                    ev.reason,
                    ev.location,
                    ev.netns_inode,
                    ev.ifindex,
                    if ev.ingress { "rx" } else { "tx" },
                    ev.protocol,
                    ev.original_len,
                    ev.data.len(),
                    ev.link_type.0,
                    ev.skb_addr,
                    ev.skb_head,
                    ev.data_shared
                );
            }
        });
        if let Err(e) = r {
            eprintln!("drop_watch: poll: {e}");
            break;
        }
    }
    // Whatever is still buffered.
    let _ = tracer.poll(Duration::ZERO, &mut |ev| {
        total += 1;
        *by_reason.entry(ev.reason.clone()).or_default() += 1;
    });
    let reasons: Vec<String> = by_reason
        .iter()
        .map(|(k, v)| format!("\"{k}\":{v}"))
        .collect();
    let _ = writeln!(
        out,
        "{{\"source\":\"{}\",\"total\":{total},\"lost\":{},\"reasons\":{{{}}}}}",
        tracer.kind().as_str(),
        tracer.lost(),
        reasons.join(",")
    );
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("drop_watch: Linux only");
}
