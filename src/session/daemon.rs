//! The background process that owns a capture: arms every component, writes the pcapng
//! log, answers `status`/`stop` on the control channel, and finishes the file on stop,
//! SIGTERM/SIGINT or a console Ctrl+C.

use super::control::{ControlServer, Reply, Request};
use super::log::{LogSink, SessionLog};
use super::metrics::MetricsServer;
use super::pipeline::{RecordPipeline, Scope};
use super::problem::SessionProblem;
use super::state::{SessionPaths, write_private};
use super::{MonitoredComponent, SessionConfig, SessionInfo, SessionReport, SkippedComponent};
use crate::capture::choice::{BackendError, DropReach};
use crate::capture::{CaptureBackend, CaptureError, CaptureOptions, Captured};
use crate::components::ComponentKind;
use crate::counters::CounterSet;
use crate::error::{Error, Result};
use crate::path::Identity;
use crate::pcapng::writer::InterfaceStatistics;
use crate::pcapng::{InterfaceDescription, PcapngWriter};
use crate::record::PacketRecord;
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Block timeout of the kernel ring: the longest a packet waits before we see it.
const LATENCY_MS: u32 = 50;
const POLL_EVERY: Duration = Duration::from_millis(100);

/// Numbers shared between the capture loop and the control thread (no lock per packet).
#[derive(Default)]
struct Live {
    packets_seen: AtomicU64,
    filtered_out: AtomicU64,
    packets_logged: AtomicU64,
    bytes_logged: AtomicU64,
    not_logged: AtomicU64,
    log: Mutex<super::LogReport>,
    events_lost: AtomicU64,
    errors: Mutex<Vec<SessionProblem>>,
    /// Everything captured before this instant is in the published counters.
    complete: Mutex<Option<Instant>>,
    completed: Condvar,
    /// The capture loop's counters, published once per poll round.
    counters: Mutex<CounterSet>,
    /// Interface drop counters when the session started (or was last reset).
    iface_baseline: Mutex<Vec<(u32, u64, u64)>>,
    reset_requested: AtomicBool,
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
            limit_reached: false,
            events_lost: self.events_lost.load(Ordering::Relaxed),
            cpu_seconds: super::process::cpu_seconds(),
            errors: self.errors.lock().map(|e| e.clone()).unwrap_or_default(),
            counters: self.counters_now(),
            log: self.log.lock().map(|l| l.clone()).unwrap_or_default(),
        }
    }

    /// The counters with the interfaces' own drops since the baseline filled in.
    fn counters_now(&self) -> CounterSet {
        let mut set = self.counters.lock().map(|c| c.clone()).unwrap_or_default();
        let base = self
            .iface_baseline
            .lock()
            .map(|b| b.clone())
            .unwrap_or_default();
        if let Ok(now) = crate::components::interface_drop_counters() {
            for c in &mut set.components {
                let Some(&(_, rx, tx)) = now.iter().find(|(id, ..)| *id == c.id) else {
                    continue;
                };
                let (brx, btx) = base
                    .iter()
                    .find(|(id, ..)| *id == c.id)
                    .map(|&(_, r, t)| (r, t))
                    .unwrap_or((rx, tx));
                c.iface_rx_dropped = rx.saturating_sub(brx);
                c.iface_tx_dropped = tx.saturating_sub(btx);
            }
        }
        set
    }

    fn rebaseline(&self) {
        if let (Ok(now), Ok(mut b)) = (
            crate::components::interface_drop_counters(),
            self.iface_baseline.lock(),
        ) {
            *b = now;
        }
    }
    fn problem(&self, p: SessionProblem) {
        if let Ok(mut e) = self.errors.lock() {
            e.push(p);
        }
    }

    fn complete_up_to(&self, t: Instant) {
        if let Ok(mut c) = self.complete.lock() {
            *c = Some(t);
        }
        self.completed.notify_all();
    }

    /// Waits (at most `limit`) until the published numbers include every packet captured
    /// before now: `counters` right after traffic must show it.
    fn wait_current(&self, limit: Duration) {
        let asked = Instant::now();
        let Ok(mut c) = self.complete.lock() else {
            return;
        };
        while c.is_none_or(|t| t < asked) && asked.elapsed() < limit {
            c = match self.completed.wait_timeout(c, Duration::from_millis(20)) {
                Ok((g, _)) => g,
                Err(_) => return,
            };
        }
    }
}

/// Entry point of `pktmon __session NAME`. Prints `READY <json info>` or
/// `ERROR <code> <json message>` on stdout for the launcher, then runs until stopped. Returns the exit code.
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
    // The session's parameters go with READY: it may end on its own (its stream stopped)
    // and remove its registry entry before `start` could read it.
    let info = serde_json::to_string(&armed.info).unwrap_or_default();
    let _ = writeln!(ready, "READY {info}");
    let _ = ready.flush();
    detach_stdout();
    let code = capture_until_stopped(&paths, armed, None);
    let _ = std::fs::remove_file(paths.socket());
    let _ = std::fs::remove_file(paths.registry());
    let _ = std::fs::remove_file(paths.config());
    code
}

/// `start -m real-time`: the session runs in this process and prints every record as it
/// arrives until Ctrl+C/SIGTERM (or `pktmon stop` from elsewhere); no log file. `started`
/// is called once capture is armed, with the session's registry entry.
pub fn run_real_time(
    name: &str,
    started: impl FnOnce(&SessionInfo),
    console: Console<'_>,
) -> Result<SessionReport> {
    let paths = SessionPaths::new(name);
    let armed = match prepare(&paths) {
        Ok(a) => a,
        Err(e) => {
            let _ = std::fs::remove_file(paths.socket());
            let _ = std::fs::remove_file(paths.registry());
            let _ = std::fs::remove_file(paths.config());
            return Err(e);
        }
    };
    started(&armed.info);
    capture_until_stopped(&paths, armed, Some(console));
    let _ = std::fs::remove_file(paths.socket());
    let _ = std::fs::remove_file(paths.registry());
    let _ = std::fs::remove_file(paths.config());
    super::client::read_last_report(&paths)
        .ok_or_else(|| Error::failure("the session ended without its final report"))
}

/// Everything set up and armed, not yet running.
struct Armed {
    info: SessionInfo,
    backend: Box<dyn CaptureBackend>,
    log: SessionLog,
    control: ControlServer,
    drops: Option<DropSource>,
    metrics: Option<MetricsServer>,
}

/// The kernel drop tracer of a session, scoped to the namespaces its capture reaches.
#[cfg(target_os = "linux")]
struct DropSource {
    tracer: crate::capture::drops::DropTracer,
}

#[cfg(not(target_os = "linux"))]
struct DropSource;

/// Opens the drop tracer; says which source is active and why. Refusal is an error only
/// when the session exists to log drops (`--type drop`).
#[cfg(target_os = "linux")]
fn open_drop_source(
    config: &SessionConfig,
    reach: &DropReach,
) -> Result<(Option<DropSource>, String)> {
    use crate::capture::drops::{DropScope, DropTracer, DropTracerError, current_netns_inode};
    let netns_inodes = match reach {
        DropReach::Namespaces(v) => v.clone(),
        DropReach::Own => vec![
            current_netns_inode()
                .map_err(|e| Error::failure(format!("cannot read this network namespace: {e}")))?,
        ],
    };
    match DropTracer::open(&DropScope { netns_inodes }) {
        Ok(tracer) => {
            let mut text = tracer.kind().describe().to_string();
            if let Some(why) = tracer.why_fallback() {
                text.push_str(&format!(" (fallback: {why})"));
            }
            Ok((Some(DropSource { tracer }), text))
        }
        Err(e) if config.packet_type == super::PacketType::Drop => Err(match &e {
            DropTracerError::Unavailable {
                permission_denied: true,
                ..
            } => Error::AccessDenied(format!("Access is denied: {e}")),
            _ => Error::failure(format!("cannot capture drops (--type drop): {e}")),
        }),
        Err(DropTracerError::Disabled) => Ok((
            None,
            "interface drop counters only (drop tracing disabled by PKTMON_DROP_SOURCE=none)"
                .to_string(),
        )),
        Err(e) => Ok((None, format!("interface drop counters only: {e}"))),
    }
}

#[cfg(windows)]
fn open_drop_source(
    _config: &SessionConfig,
    _reach: &DropReach,
) -> Result<(Option<DropSource>, String)> {
    Ok((
        None,
        "PktMon driver (drops arrive in the packet stream with their reasons)".to_string(),
    ))
}

#[cfg(not(any(target_os = "linux", windows)))]
fn open_drop_source(
    config: &SessionConfig,
    _reach: &DropReach,
) -> Result<(Option<DropSource>, String)> {
    if config.packet_type == super::PacketType::Drop {
        return Err(Error::failure(
            "capturing drops (--type drop) needs the Linux kernel drop tracer",
        ));
    }
    Ok((None, "none on this platform".to_string()))
}

fn prepare(paths: &SessionPaths) -> Result<Armed> {
    let config: SessionConfig = std::fs::read(paths.config())
        .map_err(Error::from)
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| Error::failure(e.to_string())))
        .map_err(|e| Error::failure(format!("cannot read the session settings: {e}")))?;

    let sink = if config.counters_only || config.real_time {
        None
    } else {
        Some(open_log(&config)?)
    };

    let opts = CaptureOptions {
        pkt_size: config.pkt_size,
        buffer_bytes: config.buffer_bytes,
        latency_ms: LATENCY_MS,
    };
    let scope = config
        .selection
        .clone()
        .unwrap_or(crate::components::SelectionScope::All);
    let opened = crate::capture::choice::open_backend(
        &config.name,
        &scope,
        &config.components,
        config.pkt_size,
    )
    .map_err(|e| match e {
        BackendError::PermissionDenied(m) => Error::AccessDenied(format!("Access is denied: {m}")),
        other => Error::failure(other.to_string()),
    })?;
    let mut backend = opened.backend;
    let mut monitored = Vec::new();
    let mut skipped = Vec::new();
    let mut descriptions = Vec::new();
    // A backend confined to pktmon's namespace takes what it can reach of `all`/`nics`;
    // components named explicitly (or by namespace) are tried, and refused with a reason.
    let reachable = |c: &&crate::components::Component| {
        opened.every_namespace
            || c.in_own_netns()
            || !matches!(
                scope,
                crate::components::SelectionScope::All | crate::components::SelectionScope::Nics
            )
    };
    for comp in config.components.iter().filter(reachable) {
        match backend.arm(comp, &opts) {
            Ok(a) => {
                monitored.push(MonitoredComponent {
                    id: comp.id,
                    name: comp.display_name(),
                    link_type: a.link_type.0,
                });
                descriptions.push((
                    InterfaceDescription {
                        component: comp.id,
                        // `ifname@namespace` outside pktmon's own namespace: names repeat
                        name: comp.display_name(),
                        description: format!(
                            "Component {}, {}",
                            comp.id,
                            comp.describe(&config.components)
                        ),
                        link_type: a.link_type,
                        snaplen: a.snaplen,
                        mac: comp.mac,
                    },
                    component_role(comp),
                ));
            }
            Err(CaptureError::PermissionDenied(m)) => {
                return Err(Error::capture_needs_privilege(&format!(" ({m})")));
            }
            Err(CaptureError::Failed(m) | CaptureError::Ended(m)) if config.explicit_components => {
                return Err(Error::failure(m));
            }
            Err(CaptureError::Failed(m) | CaptureError::Ended(m)) => {
                skipped.push(SkippedComponent {
                    id: comp.id,
                    name: comp.display_name(),
                    reason: m,
                })
            }
        }
    }
    backend
        .set_filters(&config.filters)
        .map_err(|e| Error::failure(e.to_string()))?;
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

    // The sink keeps the mode's size (wrapping, next file, ring): no writer limit.
    let writer = match sink {
        Some(sink) => {
            let mut w =
                PcapngWriter::new(sink, &format!("pktmon {}", env!("CARGO_PKG_VERSION")), None);
            for (d, role) in &descriptions {
                w.add_interface_with_role(d, Some(*role));
            }
            w.flush().map_err(|e| {
                Error::failure(format!(
                    "cannot write the log file {}: {e}",
                    config.log_file.display()
                ))
            })?;
            Some(w)
        }
        None => None,
    };
    let log = SessionLog::new(writer, config.log_file.clone());

    let (drops, drop_source) = open_drop_source(&config, &opened.drop_reach)?;
    let control = ControlServer::bind(&paths.socket())?;
    let metrics = match &config.metrics {
        Some(addr) => Some(MetricsServer::bind(addr)?),
        None => None,
    };
    let metrics_address = metrics
        .as_ref()
        .and_then(MetricsServer::local_addr)
        .map(|a| a.to_string());
    let info = SessionInfo {
        config,
        pid: std::process::id(),
        pid_start_ticks: super::process::start_ticks(std::process::id()).unwrap_or(0),
        started_unix_ms: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0),
        socket: paths.socket(),
        metrics_address,
        monitored,
        skipped,
        drop_source,
        path_source: match backend.filter_note() {
            Some(note) => format!("{}; {note}", opened.description),
            None => opened.description,
        },
    };
    let json = serde_json::to_vec_pretty(&info).map_err(|e| Error::failure(e.to_string()))?;
    write_private(&paths.registry(), &json)?;
    Ok(Armed {
        info,
        backend,
        log,
        control,
        drops,
        metrics,
    })
}

fn open_log(config: &SessionConfig) -> Result<LogSink> {
    LogSink::open(config).map_err(|e| {
        Error::failure(format!(
            "cannot write the log file {}: {e}",
            config.log_file.display()
        ))
    })
}

/// After READY nobody reads our stdout any more.
fn detach_stdout() {
    #[cfg(unix)]
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        let _ = nix::unistd::dup2_stdout(&null);
    }
}

fn now_ns() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

type FinalSlot = Arc<(Mutex<Option<SessionReport>>, Condvar)>;

/// What a real-time session prints each logged record with.
pub type Console<'a> = &'a mut dyn FnMut(&crate::record::PacketRecord<'_>);

fn capture_until_stopped(paths: &SessionPaths, armed: Armed, console: Option<Console<'_>>) -> i32 {
    let Armed {
        info,
        mut backend,
        log,
        control,
        mut drops,
        metrics,
    } = armed;
    let stop = super::interrupt::stop_flag();
    let config = &info.config;
    let counters = CounterSet::new(info.monitored.iter().map(|m| {
        let loopback = config
            .components
            .iter()
            .any(|c| c.id == m.id && c.kind == ComponentKind::Loopback);
        (m.id, m.name.clone(), loopback)
    }));
    let live = Arc::new(Live::default());
    if let Ok(mut c) = live.counters.lock() {
        *c = counters.clone();
    }
    live.rebaseline();
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
        std::thread::spawn(move || {
            control.serve(&done, &mut |req| {
                answer(req, &info, &live, &stop, &final_slot)
            })
        })
    };

    let metrics = metrics.map(|server| {
        let (info, live, done) = (info.clone(), Arc::clone(&live), Arc::clone(&done));
        std::thread::spawn(move || server.serve(&done, &mut || live.report(&info, true)))
    });

    let start_ns = now_ns();
    // Drops of no known interface count under `kernel` when every component is asked for.
    let mut scope = Scope::new(!config.explicit_components && config.selector_label == "All");
    for m in &info.monitored {
        scope.insert(m.id, m.name.clone());
    }
    let mut pipeline = RecordPipeline::new(
        crate::filter::matcher::Matcher::new(config.filters.clone()),
        counters,
        log,
        console,
        config.packet_type,
        config.pkt_size,
        scope,
    );
    let mut held_drops = HeldDrops::default();
    let mut last_stats = Instant::now();
    let mut last_publish = Instant::now();
    let mut stop_deadline: Option<Instant> = None;

    loop {
        let round_start = Instant::now();
        // Drops first, sightings after: every sighting of a dropped packet happened before
        // its drop, so it is in hand when the drop is placed.
        if let Some(d) = &mut drops
            && let Err(e) = poll_drops(d, backend.as_mut(), &mut held_drops)
        {
            live.problem(SessionProblem::DropTracingFailed {
                message: e.to_string(),
            });
            drops = None;
        }
        let polled = backend.poll(POLL_EVERY, &mut |c| match c {
            Captured::Packet(rec, identity) => pipeline.sighting(rec, identity),
            Captured::Joined(c) => pipeline.join(
                c,
                joined_description(c, &info.config.components),
                component_role(c),
            ),
        });
        if let Err(e) = polled {
            live.problem(match e {
                CaptureError::Ended(message) => SessionProblem::CaptureStopped { message },
                other => SessionProblem::CaptureFailed {
                    message: other.to_string(),
                },
            });
            stop.store(true, Ordering::SeqCst);
            stop_deadline = Some(Instant::now());
        }
        // A sighting may wait in the capture's kernel block up to LATENCY_MS.
        let everything = stop_deadline.is_some_and(|d| Instant::now() >= d);
        held_drops.release(&mut pipeline, DROP_HOLD, everything);
        for (component, message) in backend.take_failures() {
            live.problem(SessionProblem::ComponentEnded { component, message });
        }
        let reset = live.reset_requested.load(Ordering::SeqCst);
        if reset {
            pipeline.reset_counters();
            live.reset_requested.store(false, Ordering::SeqCst);
        }
        for p in pipeline.log_mut().tick(false) {
            live.problem(p);
        }
        // Under a flood rounds follow each other closely: publish at most every
        // PUBLISH_EVERY (a copy of the counters and the hop percentiles), and at once after
        // a reset or at the end.
        if reset || everything || last_publish.elapsed() >= PUBLISH_EVERY {
            last_publish = Instant::now();
            if let Ok(mut c) = live.counters.lock() {
                pipeline.publish_counters(&mut c);
            }
            let t = pipeline.throughput();
            live.packets_seen.store(t.seen, Ordering::Relaxed);
            live.filtered_out.store(t.filtered_out, Ordering::Relaxed);
            publish_log(&live, pipeline.log());
            // Everything captured before this round started, less one capture lag, is
            // now counted.
            live.complete_up_to(round_start.checked_sub(CAPTURE_LAG).unwrap_or(round_start));
        }
        if last_stats.elapsed() >= Duration::from_secs(1) {
            last_stats = Instant::now();
            let lost: u64 = backend.stats().iter().map(|s| s.dropped).sum::<u64>()
                + drops.as_ref().map_or(0, drop_events_lost);
            live.events_lost.store(lost, Ordering::Relaxed);
        }
        if everything {
            break;
        }
        if stop.load(Ordering::SeqCst) {
            // Packets already in a kernel block that is not yet handed over arrive within
            // one block timeout: keep reading that long before closing.
            stop_deadline.get_or_insert_with(|| Instant::now() + CAPTURE_LAG);
        }
    }

    backend.finish(&mut |c| {
        if let Captured::Packet(rec, identity) = c {
            pipeline.sighting(rec, identity)
        }
    });
    held_drops.release(&mut pipeline, DROP_HOLD, true);
    // What the backend still held counts too.
    if let Ok(mut c) = live.counters.lock() {
        pipeline.publish_counters(&mut c);
    }
    let t = pipeline.throughput();
    live.packets_seen.store(t.seen, Ordering::Relaxed);
    live.filtered_out.store(t.filtered_out, Ordering::Relaxed);
    // Finish the file: statistics blocks, flush, sync.
    let end_ns = now_ns();
    let stats = backend.stats();
    let lost: u64 =
        stats.iter().map(|s| s.dropped).sum::<u64>() + drops.as_ref().map_or(0, drop_events_lost);
    live.events_lost.store(lost, Ordering::Relaxed);
    let isbs: Vec<(u32, InterfaceStatistics)> = stats
        .iter()
        .map(|s| {
            (
                s.component,
                InterfaceStatistics {
                    start_ns,
                    end_ns,
                    received: s.received,
                    dropped: s.dropped,
                },
            )
        })
        .collect();
    let mut log = pipeline.into_log();
    for p in log.finish(&isbs) {
        live.problem(p);
    }
    publish_log(&live, &log);
    drop(log);

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
    super::control::wake(&info.socket);
    let _ = control.join();
    if let Some(m) = metrics {
        let _ = m.join();
    }
    0
}

/// Whether a component is a network adapter, kept in the log's interface blocks (so that
/// `etl2pcap -c nics` on the log needs no description parsing).
fn component_role(c: &crate::components::Component) -> crate::pcapng::meta::ComponentRole {
    if c.is_nic() {
        crate::pcapng::meta::ComponentRole::Adapter
    } else {
        crate::pcapng::meta::ComponentRole::Other
    }
}

/// The pcapng interface of a component that joined during the session.
fn joined_description(
    c: &crate::components::Component,
    all: &[crate::components::Component],
) -> InterfaceDescription {
    InterfaceDescription {
        component: c.id,
        name: c.display_name(),
        description: format!("Component {}, {}", c.id, c.describe(all)),
        link_type: if c.kind == ComponentKind::Tun {
            crate::record::LinkType::RAW
        } else {
            crate::record::LinkType::ETHERNET
        },
        snaplen: 0,
        mac: c.mac,
    }
}

/// How often a running capture publishes its numbers to `status`/`counters` at most.
const PUBLISH_EVERY: Duration = Duration::from_millis(20);

/// How long after a packet passed a component the capture may still hand it over (the
/// kernel block timeout, a merge of several handles into time order as long again, plus
/// a margin).
const CAPTURE_LAG: Duration = Duration::from_millis(2 * LATENCY_MS as u64 + 30);
/// Drops wait this long before they are placed, so that their packet's sightings from a
/// capture with block latency (and merge queue) are in.
const DROP_HOLD: Duration = Duration::from_millis(2 * LATENCY_MS as u64 + 20);

/// Drops read from the kernel, waiting for the sightings of their packets. Placed records
/// go back to `spare` to hold the next drops: a flood of drops allocates nothing.
#[derive(Default)]
struct HeldDrops {
    queue: std::collections::VecDeque<(Instant, PacketRecord<'static>, Identity)>,
    spare: Vec<PacketRecord<'static>>,
}

impl HeldDrops {
    // Only the Linux kernel drop tracer hands drops over apart from the capture.
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    fn push(&mut self, rec: &PacketRecord<'_>, identity: Identity) {
        let held = match self.spare.pop() {
            Some(mut spare) => {
                rec.copy_into(&mut spare);
                spare
            }
            None => rec.clone().into_owned(),
        };
        self.queue.push_back((Instant::now(), held, identity));
    }

    /// Places the drops held at least `hold` (all of them with `everything`).
    fn release(&mut self, pipeline: &mut RecordPipeline<'_>, hold: Duration, everything: bool) {
        while let Some((t, ..)) = self.queue.front() {
            if !everything && t.elapsed() < hold {
                break;
            }
            if let Some((_, rec, identity)) = self.queue.pop_front() {
                pipeline.kernel_drop(&rec, identity);
                self.spare.push(rec);
            }
        }
    }
}

/// Reads the drops the kernel reported since the last round. Frees that lose nothing (a
/// copy lives on; multicast nobody here joined) are not drops.
#[cfg(target_os = "linux")]
fn poll_drops(
    d: &mut DropSource,
    backend: &mut dyn CaptureBackend,
    held: &mut HeldDrops,
) -> std::io::Result<usize> {
    use crate::capture::drops::DropVerdict;
    let kernel_identity = backend.kernel_identity();
    d.tracer.poll(Duration::ZERO, &mut |ev| {
        if ev.verdict() != DropVerdict::Dropped {
            return;
        }
        let component = match (ev.netns_inode, ev.ifindex) {
            (Some(ns), Some(ifindex)) => backend.component_at(ns, ifindex),
            _ => None,
        }
        .unwrap_or(super::pipeline::KERNEL_COMPONENT);
        let identity = if kernel_identity && ev.skb_head != 0 {
            Identity::Buffer(ev.skb_head)
        } else {
            Identity::Content
        };
        held.push(&ev.record(component), identity);
    })
}

#[cfg(not(target_os = "linux"))]
fn poll_drops(
    _d: &mut DropSource,
    _backend: &mut dyn CaptureBackend,
    _held: &mut HeldDrops,
) -> std::io::Result<usize> {
    Ok(0)
}

#[cfg(target_os = "linux")]
fn drop_events_lost(d: &DropSource) -> u64 {
    d.tracer.lost()
}

#[cfg(not(target_os = "linux"))]
fn drop_events_lost(_d: &DropSource) -> u64 {
    0
}

fn publish_log(live: &Live, log: &SessionLog) {
    let (records, bytes) = log.logged();
    live.packets_logged.store(records, Ordering::Relaxed);
    live.bytes_logged.store(bytes, Ordering::Relaxed);
    live.not_logged.store(log.not_logged(), Ordering::Relaxed);
    if let Ok(mut l) = live.log.lock() {
        l.clone_from(log.report());
    }
}

/// The session's answer to one control request.
fn answer(
    req: Request,
    info: &SessionInfo,
    live: &Live,
    stop: &AtomicBool,
    final_slot: &FinalSlot,
) -> Reply {
    match req {
        Request::Status => {
            let (slot, _) = &**final_slot;
            match slot.lock().ok().and_then(|s| s.clone()) {
                Some(done) => Reply::Report(Box::new(done)),
                None => {
                    live.wait_current(Duration::from_secs(2));
                    Reply::Report(Box::new(live.report(info, true)))
                }
            }
        }
        Request::Stop => {
            stop.store(true, Ordering::SeqCst);
            let (slot, cv) = &**final_slot;
            let deadline = Instant::now() + Duration::from_secs(60);
            let Ok(mut guard) = slot.lock() else {
                return Reply::Error("session state poisoned".into());
            };
            while guard.is_none() && Instant::now() < deadline {
                guard = match cv.wait_timeout(guard, Duration::from_millis(200)) {
                    Ok((g, _)) => g,
                    Err(_) => return Reply::Error("session state poisoned".into()),
                };
            }
            match guard.clone() {
                Some(r) => Reply::Report(Box::new(r)),
                None => Reply::Error("the session did not finish within 60 s".into()),
            }
        }
        Request::Reset => {
            live.reset_requested.store(true, Ordering::SeqCst);
            live.rebaseline();
            let deadline = Instant::now() + Duration::from_secs(5);
            while live.reset_requested.load(Ordering::SeqCst) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if live.reset_requested.load(Ordering::SeqCst) {
                Reply::Error("the capture loop did not reset its counters within 5 s".into())
            } else {
                Reply::Report(Box::new(live.report(info, true)))
            }
        }
    }
}
