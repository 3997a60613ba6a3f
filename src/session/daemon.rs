//! The background process that owns a capture: arms every component, writes the pcapng
//! log, answers `status`/`stop` on the control socket, and finishes the file on stop,
//! SIGTERM or SIGINT.

use super::control::{Reply, Request};
use super::state::{SessionPaths, write_private};
use super::{MonitoredComponent, SessionConfig, SessionInfo, SessionReport, SkippedComponent};
use crate::capture::pcap::PcapBackend;
use crate::capture::{CaptureBackend, CaptureError, CaptureOptions};
use crate::error::{Error, Result};
use crate::pcapng::writer::InterfaceStatistics;
use crate::pcapng::{InterfaceDescription, PcapngWriter};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Block timeout of the kernel ring: the longest a packet waits before we see it.
const LATENCY_MS: u32 = 50;
/// The log is flushed at least this often, so a killed session loses at most about this
/// much (plus one latency).
const FLUSH_EVERY: Duration = Duration::from_millis(250);
const FLUSH_BYTES: usize = 1 << 20;
const POLL_EVERY: Duration = Duration::from_millis(100);

/// Numbers shared between the capture loop and the control thread (no lock per packet).
#[derive(Default)]
struct Live {
    packets_seen: AtomicU64,
    filtered_out: AtomicU64,
    packets_logged: AtomicU64,
    bytes_logged: AtomicU64,
    not_logged: AtomicU64,
    limit_reached: AtomicBool,
    events_lost: AtomicU64,
    errors: Mutex<Vec<String>>,
}

impl Live {
    fn report(&self, info: &SessionInfo, running: bool) -> SessionReport {
        SessionReport {
            info: info.clone(),
            running,
            packets_seen: self.packets_seen.load(Ordering::Relaxed),
            packets_filtered_out: self.filtered_out.load(Ordering::Relaxed),
            packets_logged: self.packets_logged.load(Ordering::Relaxed),
            bytes_logged: self.bytes_logged.load(Ordering::Relaxed),
            packets_not_logged: self.not_logged.load(Ordering::Relaxed),
            limit_reached: self.limit_reached.load(Ordering::Relaxed),
            events_lost: self.events_lost.load(Ordering::Relaxed),
            cpu_seconds: process_cpu_seconds(),
            errors: self.errors.lock().map(|e| e.clone()).unwrap_or_default(),
        }
    }
    fn error(&self, msg: String) {
        if let Ok(mut e) = self.errors.lock() {
            e.push(msg);
        }
    }
}

/// Entry point of `pktmon __session NAME`. Prints `READY` or `ERROR <code> <json message>`
/// on stdout for the launcher, then runs until stopped. Returns the exit code.
pub fn run(name: &str) -> i32 {
    let paths = SessionPaths::new(name);
    let mut ready = std::io::stdout();
    let armed = match prepare(&paths) {
        Ok(a) => a,
        Err(e) => {
            let msg = serde_json::to_string(&e.to_string()).unwrap_or_default();
            let _ = writeln!(ready, "ERROR {} {msg}", e.exit_code());
            let _ = ready.flush();
            let _ = std::fs::remove_file(paths.socket());
            let _ = std::fs::remove_file(paths.registry());
            let _ = std::fs::remove_file(paths.config());
            return e.exit_code();
        }
    };
    let _ = writeln!(ready, "READY");
    let _ = ready.flush();
    detach_stdout();
    let code = capture_until_stopped(&paths, armed);
    let _ = std::fs::remove_file(paths.socket());
    let _ = std::fs::remove_file(paths.registry());
    let _ = std::fs::remove_file(paths.config());
    code
}

/// Everything set up and armed, not yet running.
struct Armed {
    info: SessionInfo,
    backend: PcapBackend,
    writer: PcapngWriter<File>,
    listener: UnixListener,
}

fn prepare(paths: &SessionPaths) -> Result<Armed> {
    let config: SessionConfig = std::fs::read(paths.config())
        .map_err(Error::from)
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| Error::failure(e.to_string())))
        .map_err(|e| Error::failure(format!("cannot read the session settings: {e}")))?;

    let file = open_log(&config)?;

    let opts = CaptureOptions {
        pkt_size: config.pkt_size,
        buffer_bytes: config.buffer_bytes,
        latency_ms: LATENCY_MS,
    };
    let mut backend = PcapBackend::new();
    let mut monitored = Vec::new();
    let mut skipped = Vec::new();
    let mut descriptions = Vec::new();
    for comp in &config.components {
        match backend.arm(comp, &opts) {
            Ok(a) => {
                monitored.push(MonitoredComponent {
                    id: comp.id,
                    name: comp.name.clone(),
                    link_type: a.link_type.0,
                });
                descriptions.push(InterfaceDescription {
                    component: comp.id,
                    name: comp.name.clone(),
                    description: format!(
                        "Component {}, {}",
                        comp.id,
                        comp.describe(&config.components)
                    ),
                    link_type: a.link_type,
                    snaplen: a.snaplen,
                    mac: comp.mac,
                });
            }
            Err(CaptureError::PermissionDenied(m)) => {
                return Err(Error::capture_needs_privilege(&format!(" ({m})")));
            }
            Err(CaptureError::Failed(m)) if config.explicit_components => {
                return Err(Error::failure(m));
            }
            Err(CaptureError::Failed(m)) => skipped.push(SkippedComponent {
                id: comp.id,
                name: comp.name.clone(),
                reason: m,
            }),
        }
    }
    if let Some(expr) = crate::filter::bpf::prefilter(&config.filters) {
        backend
            .set_prefilter(&expr)
            .map_err(|e| Error::failure(e.to_string()))?;
    }
    if monitored.is_empty() {
        let why: Vec<String> = skipped.iter().map(|s| s.reason.clone()).collect();
        return Err(Error::failure(format!(
            "no component could be monitored{}",
            if why.is_empty() {
                String::new()
            } else {
                format!(": {}", why.join("; "))
            }
        )));
    }

    let limit = config.file_size_mb.saturating_mul(1024 * 1024);
    let mut writer = PcapngWriter::new(
        file,
        &format!("pktmon {}", env!("CARGO_PKG_VERSION")),
        Some(limit),
    );
    for d in &descriptions {
        writer.add_interface(d);
    }
    writer.flush().map_err(|e| {
        Error::failure(format!(
            "cannot write the log file {}: {e}",
            config.log_file.display()
        ))
    })?;

    let listener = bind_socket(paths)?;
    let info = SessionInfo {
        config,
        pid: std::process::id(),
        started_unix_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0),
        socket: paths.socket(),
        monitored,
        skipped,
    };
    let json = serde_json::to_vec_pretty(&info).map_err(|e| Error::failure(e.to_string()))?;
    write_private(&paths.registry(), &json)?;
    Ok(Armed {
        info,
        backend,
        writer,
        listener,
    })
}

fn open_log(config: &SessionConfig) -> Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let path = &config.log_file;
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| {
            Error::failure(format!("cannot write the log file {}: {e}", path.display()))
        })?;
    // An existing file keeps its mode through O_TRUNC; a capture is private.
    let _ = f.set_permissions(std::fs::Permissions::from_mode(0o600));
    Ok(f)
}

fn bind_socket(paths: &SessionPaths) -> Result<UnixListener> {
    use std::os::unix::fs::PermissionsExt;
    let path = paths.socket();
    let _ = std::fs::remove_file(&path);
    // Created under an owner-only directory; tightened again below for good measure.
    let listener = UnixListener::bind(&path).map_err(|e| {
        Error::failure(format!(
            "cannot create the control socket {}: {e}",
            path.display()
        ))
    })?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    listener.set_nonblocking(true)?;
    Ok(listener)
}

/// After READY nobody reads our stdout any more.
fn detach_stdout() {
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        let _ = nix::unistd::dup2_stdout(&null);
    }
}

/// User + system CPU time of this process (all threads).
fn process_cpu_seconds() -> f64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_SELF)
        .map(|u| {
            let t = |tv: nix::sys::time::TimeVal| tv.tv_sec() as f64 + tv.tv_usec() as f64 / 1e6;
            t(u.user_time()) + t(u.system_time())
        })
        .unwrap_or(0.0)
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

type FinalSlot = Arc<(Mutex<Option<SessionReport>>, Condvar)>;

fn capture_until_stopped(paths: &SessionPaths, armed: Armed) -> i32 {
    let Armed {
        info,
        mut backend,
        mut writer,
        listener,
    } = armed;
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    let live = Arc::new(Live::default());
    let final_slot: FinalSlot = Arc::new((Mutex::new(None), Condvar::new()));
    let done = Arc::new(AtomicBool::new(false));

    let control = {
        let (info, live, stop, final_slot, done) = (
            info.clone(),
            Arc::clone(&live),
            Arc::clone(&stop),
            Arc::clone(&final_slot),
            Arc::clone(&done),
        );
        std::thread::spawn(move || serve_control(listener, &info, &live, &stop, &final_slot, &done))
    };

    let start_ns = now_ns();
    let limit_mb = info.config.file_size_mb;
    let log_path = info.config.log_file.display().to_string();
    let matcher = crate::filter::matcher::Matcher::new(info.config.filters.clone());
    let mut seen: u64 = 0;
    let mut filtered_out: u64 = 0;
    let mut writing = true;
    let mut lost_to_write_error: u64 = 0;
    let mut last_flush = Instant::now();
    let mut last_stats = Instant::now();
    let mut stop_deadline: Option<Instant> = None;
    let mut limit_noted = false;

    loop {
        let polled = backend.poll(POLL_EVERY, &mut |rec| {
            seen += 1;
            let Some(filter_id) = matcher.matching_filter(&rec.data, rec.link_type) else {
                filtered_out += 1;
                return;
            };
            if writing {
                if filter_id == rec.filter_id {
                    writer.write_record(rec);
                } else {
                    let mut rec = rec.clone();
                    rec.filter_id = filter_id;
                    writer.write_record(&rec);
                }
            } else {
                lost_to_write_error += 1;
            }
        });
        if let Err(e) = polled {
            live.error(format!("capture failed: {e}"));
            stop.store(true, Ordering::SeqCst);
            stop_deadline = Some(Instant::now());
        }
        for (comp, why) in backend.take_failures() {
            live.error(format!("component {comp}: {why}"));
        }
        live.packets_seen.store(seen, Ordering::Relaxed);
        live.filtered_out.store(filtered_out, Ordering::Relaxed);

        if writing
            && (writer.buffered_bytes() >= FLUSH_BYTES || last_flush.elapsed() >= FLUSH_EVERY)
        {
            last_flush = Instant::now();
            if let Err(e) = writer.flush() {
                writing = false;
                lost_to_write_error += abandon_log(&mut writer, &live, &log_path, &e);
            }
            live.packets_logged
                .store(writer.committed_records(), Ordering::Relaxed);
            live.bytes_logged
                .store(writer.committed_bytes(), Ordering::Relaxed);
        }
        if writer.limit_reached() && !limit_noted {
            limit_noted = true;
            live.limit_reached.store(true, Ordering::Relaxed);
            live.error(format!(
                "the log file reached its size limit ({limit_mb} MB): logging stopped there, capture goes on being counted"
            ));
        }
        live.not_logged.store(
            writer.refused_records() + lost_to_write_error,
            Ordering::Relaxed,
        );
        if last_stats.elapsed() >= Duration::from_secs(1) {
            last_stats = Instant::now();
            let lost: u64 = backend.stats().iter().map(|s| s.dropped).sum();
            live.events_lost.store(lost, Ordering::Relaxed);
        }
        if stop.load(Ordering::SeqCst) {
            // Packets already in a kernel block that is not yet handed over arrive within
            // one block timeout: keep reading that long before closing.
            let deadline = *stop_deadline.get_or_insert_with(|| {
                Instant::now() + Duration::from_millis(LATENCY_MS as u64 + 50)
            });
            if Instant::now() >= deadline {
                break;
            }
        }
    }

    // Finish the file: statistics blocks, flush, sync.
    let end_ns = now_ns();
    let stats = backend.stats();
    let lost: u64 = stats.iter().map(|s| s.dropped).sum();
    live.events_lost.store(lost, Ordering::Relaxed);
    if writing {
        for s in &stats {
            writer.write_statistics(
                s.component,
                &InterfaceStatistics {
                    start_ns,
                    end_ns,
                    received: s.received,
                    dropped: s.dropped,
                },
            );
        }
        match writer.flush().and_then(|_| writer.get_mut().sync_all()) {
            Ok(()) => {}
            Err(e) => lost_to_write_error += abandon_log(&mut writer, &live, &log_path, &e),
        }
    }
    live.packets_logged
        .store(writer.committed_records(), Ordering::Relaxed);
    live.bytes_logged
        .store(writer.committed_bytes(), Ordering::Relaxed);
    live.not_logged.store(
        writer.refused_records() + lost_to_write_error,
        Ordering::Relaxed,
    );
    drop(writer);

    let report = live.report(&info, false);
    if let Ok(json) = serde_json::to_vec_pretty(&report) {
        let _ = write_private(&paths.last_report(), &json);
    }
    {
        let (slot, cv) = &*final_slot;
        if let Ok(mut s) = slot.lock() {
            *s = Some(report);
        }
        cv.notify_all();
    }
    done.store(true, Ordering::SeqCst);
    let _ = control.join();
    0
}

/// A write failed (disk full, I/O error): keep the file as it was after the last whole
/// block, stop logging, say so. Returns how many buffered records were lost.
fn abandon_log(
    writer: &mut PcapngWriter<File>,
    live: &Live,
    log_path: &str,
    e: &std::io::Error,
) -> u64 {
    let keep = writer.committed_bytes();
    let _ = writer.get_mut().set_len(keep);
    let lost = writer.discard_buffered();
    live.error(format!(
        "writing {log_path} failed ({e}): logging stopped; the {} packets logged before that are kept",
        writer.committed_records()
    ));
    lost
}

fn serve_control(
    listener: UnixListener,
    info: &SessionInfo,
    live: &Live,
    stop: &AtomicBool,
    final_slot: &FinalSlot,
    done: &AtomicBool,
) {
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                let _ = handle_client(stream, info, live, stop, final_slot);
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

fn handle_client(
    stream: UnixStream,
    info: &SessionInfo,
    live: &Live,
    stop: &AtomicBool,
    final_slot: &FinalSlot,
) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let reply = match serde_json::from_str::<Request>(line.trim()) {
        Ok(Request::Status) => {
            let (slot, _) = &**final_slot;
            match slot.lock().ok().and_then(|s| s.clone()) {
                Some(done) => Reply::Report(Box::new(done)),
                None => Reply::Report(Box::new(live.report(info, true))),
            }
        }
        Ok(Request::Stop) => {
            stop.store(true, Ordering::SeqCst);
            let (slot, cv) = &**final_slot;
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut guard = slot
                .lock()
                .map_err(|_| std::io::Error::other("session state poisoned"))?;
            while guard.is_none() && Instant::now() < deadline {
                guard = cv
                    .wait_timeout(guard, Duration::from_millis(200))
                    .map_err(|_| std::io::Error::other("session state poisoned"))?
                    .0;
            }
            match guard.clone() {
                Some(r) => Reply::Report(Box::new(r)),
                None => Reply::Error("the session did not finish within 60 s".into()),
            }
        }
        Err(e) => Reply::Error(format!("bad request: {e}")),
    };
    let mut out = serde_json::to_vec(&reply)?;
    out.push(b'\n');
    (&stream).write_all(&out)
}
