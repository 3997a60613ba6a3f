//! A bounded UDP sender for bench/drops.sh: sends COUNT datagrams to ADDR:PORT, at most
//! RATE per second when given, from inside the network namespace NETNS when given, and
//! prints what it achieved as one JSON line.
//!
//! usage: udp_flood --to ADDR:PORT --count N [--rate PPS] [--size BYTES] [--netns PATH]

#[cfg(target_os = "linux")]
fn main() {
    use std::net::{SocketAddr, UdpSocket};
    use std::time::{Duration, Instant};

    let usage = || -> ! {
        eprintln!(
            "usage: udp_flood --to ADDR:PORT --count N [--rate PPS] [--size BYTES] [--netns PATH]"
        );
        std::process::exit(2)
    };
    let (mut to, mut count, mut rate, mut size, mut netns) =
        (None::<SocketAddr>, 0u64, 0u64, 18usize, None::<String>);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let v = args.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--to" => to = Some(v.parse().unwrap_or_else(|_| usage())),
            "--count" => count = v.parse().unwrap_or_else(|_| usage()),
            "--rate" => rate = v.parse().unwrap_or_else(|_| usage()),
            "--size" => size = v.parse().unwrap_or_else(|_| usage()),
            "--netns" => netns = Some(v),
            _ => usage(),
        }
    }
    let Some(to) = to else { usage() };
    if let Some(path) = netns {
        let f = std::fs::File::open(&path).unwrap_or_else(|e| {
            eprintln!("udp_flood: {path}: {e}");
            std::process::exit(1)
        });
        if let Err(e) = nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET) {
            eprintln!("udp_flood: setns {path}: {e}");
            std::process::exit(1)
        }
    }
    let sock = UdpSocket::bind("0.0.0.0:0").unwrap_or_else(|e| {
        eprintln!("udp_flood: bind: {e}");
        std::process::exit(1)
    });
    let buf = vec![0x5au8; size];
    let (mut sent, mut retries) = (0u64, 0u64);
    let start = Instant::now();
    // Bounded in time too: never run more than 60 s.
    let limit = start + Duration::from_secs(60);
    while sent < count && Instant::now() < limit {
        if rate > 0 && sent % 64 == 0 {
            // Pace in batches of 64: sleep while ahead of schedule.
            let due = start + Duration::from_nanos(sent * 1_000_000_000 / rate);
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
        }
        match sock.send_to(&buf, to) {
            Ok(_) => sent += 1,
            Err(_) => retries += 1, // full buffer: try again, never count as sent
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"sent\":{sent},\"retries\":{retries},\"seconds\":{secs:.3},\"pps\":{:.0}}}",
        sent as f64 / secs
    );
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("udp_flood: Linux only");
}
