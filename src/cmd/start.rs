//! `pktmon start --capture`: validate, pick components, launch the session process and
//! return once capture is armed.

use crate::capture::privilege::check_capture_privilege;
use crate::components::{Component, ComponentSelector, component_set};
use crate::error::exit;
use crate::error::{Error, Result};
use crate::session::client::{self, SessionState};
use crate::session::state::{SessionPaths, ensure_state_dir};
use crate::session::summary;
use crate::session::{LogMode, PacketType, SessionConfig};
use clap::ArgMatches;
use std::path::PathBuf;

/// Kernel capture buffer per component: large enough for bursts at this machine's rates,
/// smaller when many components share the memory.
fn buffer_bytes(components: usize) -> u32 {
    if components <= 8 { 16 << 20 } else { 4 << 20 }
}

/// `--flags` bits (the PktMon provider's ETW keywords) and what this pktmon logs.
pub mod flags {
    /// Internal Packet Monitor errors: none are logged as events; problems are reported by
    /// `status` and `stop`.
    pub const CONFIG: u32 = 0x001;
    /// Component information: always logged (one pcapng interface per component).
    pub const RUNDOWN: u32 = 0x002;
    /// Parsed header events of the first packet of each group: not available.
    pub const NBL_PARSED: u32 = 0x004;
    /// NDIS out-of-band metadata: not available.
    pub const NBL_INFO: u32 = 0x008;
    /// Packet bytes cut to `--pkt-size`: always logged.
    pub const PKT_PAYLOAD: u32 = 0x010;
    /// Windows' default, and exactly what the log holds.
    pub const DEFAULT: u32 = RUNDOWN | PKT_PAYLOAD;
    /// What may be asked for on top of the default (nothing of it is ever missing).
    pub const HONOURED: u32 = CONFIG | DEFAULT;
}

/// Checks `--flags`: a value is accepted only when the log holds what it asks for (the
/// default 0x012, optionally with 0x001); anything else is refused, never ignored.
pub fn check_flags(value: &str) -> Result<u32> {
    let hex = value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
        .unwrap_or(value);
    let bits = u32::from_str_radix(hex, 16).map_err(|_| {
        Error::invalid(format!(
            "Error: '{value}' is not a valid argument to parameter '--flags'. See pktmon start help."
        ))
    })?;
    if bits & flags::DEFAULT == flags::DEFAULT && bits & !flags::HONOURED == 0 {
        return Ok(bits);
    }
    let mut why = Vec::new();
    if bits & flags::PKT_PAYLOAD == 0 {
        why.push("without 0x010 the packet bytes would be left out, but the log always holds them");
    }
    if bits & flags::RUNDOWN == 0 {
        why.push("without 0x002 component information would be left out, but the log always describes every component");
    }
    if bits & flags::NBL_PARSED != 0 {
        why.push("0x004 (parsed header events) is not available here");
    }
    if bits & flags::NBL_INFO != 0 {
        why.push("0x008 (NDIS out-of-band metadata) is not available here");
    }
    if bits & !(flags::HONOURED | flags::NBL_PARSED | flags::NBL_INFO) != 0 {
        why.push("bits above 0x010 are not defined");
    }
    Err(Error::invalid(format!(
        "Error: --flags {value} cannot be honoured: {}. Use 0x012 (the default) or 0x013. See pktmon start help.",
        why.join("; ")
    )))
}

pub fn run(m: &ArgMatches, session: &str) -> Result<i32> {
    run_with(m, session, None)
}

/// Where a real-time session's records go.
pub enum RealTimeOutput {
    /// pktmon's text on stdout.
    Text,
    /// NDJSON on stdout (`--json`).
    Json,
    /// Our pcapng into Wireshark's fifo (`pktmon extcap --capture`).
    Pcapng(super::extcap::FifoSink),
}

/// What `pktmon extcap --capture` asks of `start`: a real-time session into the fifo,
/// with the filters of its dialog (None: the stored filters, as `start` uses).
pub struct ExtcapTarget {
    pub sink: super::extcap::FifoSink,
    pub filters: Option<crate::filter::FilterSet>,
}

/// `start` with `m`'s options; `extcap` makes it a real-time session into Wireshark.
pub fn run_with(m: &ArgMatches, session: &str, extcap: Option<ExtcapTarget>) -> Result<i32> {
    if m.get_flag("trace") {
        if !m.get_flag("capture") {
            return Err(Error::invalid(
                "Error: event collection (--trace) relies on Windows ETW providers and is not \
                 available on this platform; only packet capture is. Use 'pktmon start --capture'. \
                 See pktmon start help.",
            ));
        }
        let providers: Vec<&String> = m
            .get_many::<String>("provider")
            .map(|v| v.collect())
            .unwrap_or_default();
        eprintln!(
            "Warning: ETW event collection does not exist on this platform; --trace{} is ignored. \
             The packet capture runs.",
            if providers.is_empty() {
                String::new()
            } else {
                format!(
                    " (providers: {})",
                    providers
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        );
    }
    if !m.get_flag("capture") {
        return Err(Error::invalid(
            "Error: nothing to collect. Use 'pktmon start --capture'. See pktmon start help.",
        ));
    }
    let counters_only = m.get_flag("counters-only");
    let capture_type = match m.get_one::<String>("type").map(|s| s.to_ascii_lowercase()) {
        _ if m.get_flag("drop-only") => "drop".to_string(),
        Some(t) => t,
        None => "all".to_string(),
    };
    let (packet_type, capture_type) = match capture_type.as_str() {
        "all" => (PacketType::All, "All packets"),
        "flow" => (PacketType::Flow, "Flow packets"),
        _ => (PacketType::Drop, "Drop packets"),
    };
    // The command table restricts the choice; the default is circular.
    let (log_mode, real_time) = match m
        .get_one::<String>("log-mode")
        .map(|s| s.to_ascii_lowercase())
        .as_deref()
    {
        _ if extcap.is_some() => (LogMode::Circular, true),
        Some("real-time") => (LogMode::Circular, true),
        Some("multi-file") => (LogMode::MultiFile, false),
        Some("memory") => (LogMode::Memory, false),
        _ => (LogMode::Circular, false),
    };
    if let Some(value) = m.get_one::<String>("flags") {
        check_flags(value)?;
    }
    // Defaults come from the command table (crate::commands), which the parser fills in.
    let pkt_size = m.get_one::<u32>("pkt-size").copied().unwrap_or_default();
    let file_size_mb = m.get_one::<u64>("file-size").copied().unwrap_or_default();
    let comp_values: Vec<String> = m
        .get_many::<String>("comp")
        .map(|v| v.cloned().collect())
        .unwrap_or_default();
    // `--comp ""`, `","`, `" "` name no component: an error, never "all".
    if m.contains_id("comp") && comp_values.iter().all(|v| v.trim().is_empty()) {
        return Err(Error::invalid(format!(
            "Error: '{}' is not a valid argument to parameter '--comp'. \
             Use all, nics, or component ids from 'pktmon list'. See pktmon start help.",
            comp_values.join(",")
        )));
    }
    let selector = ComponentSelector::parse(&comp_values)?;
    let metrics = match m.get_one::<String>("metrics") {
        Some(given) => Some(crate::session::metrics::parse_address(given)?.to_string()),
        None => None,
    };
    let log_file = absolute_log_path(m.get_one::<String>("file-name").map(String::as_str))?;

    check_capture_privilege()?;

    let set = component_set()?;
    let selection = selector.select(&set)?;
    // Every selected component, in every namespace: the session's backend arms what it
    // can reach (kernel tracepoints reach every namespace; libpcap only pktmon's own).
    let components: Vec<Component> = selection.components;
    if components.is_empty() {
        return Err(Error::failure(format!(
            "no component matches '{}'; see 'pktmon list -a -i'",
            selector.label()
        )));
    }

    ensure_state_dir()?;
    let paths = SessionPaths::new(session);
    let _lock = lock_session(&paths)?;
    match client::query(&paths) {
        SessionState::NotRunning => {}
        SessionState::Running(_) | SessionState::Unresponsive(..) => {
            return Err(Error::failure(if session == "default" {
                "Packet Monitor is already running. Run 'pktmon stop' first.".to_string()
            } else {
                format!(
                    "Packet Monitor session '{session}' is already running. Run 'pktmon stop --session {session}' first."
                )
            }));
        }
        SessionState::Dead(info) => {
            eprintln!(
                "Note: an earlier session's process ({}) had died; cleaned it up (its log {} is kept).",
                info.pid,
                info.config.log_file.display()
            );
            client::clean_up(&paths);
        }
    }

    let config = SessionConfig {
        name: session.to_string(),
        log_file,
        file_size_mb,
        pkt_size,
        selector_label: selector.label(),
        explicit_components: selector.is_explicit(),
        selection: Some(selection.scope),
        // One kernel ring per libpcap handle, which reaches pktmon's own namespace only.
        buffer_bytes: buffer_bytes(components.iter().filter(|c| c.in_own_netns()).count()),
        components,
        capture_type: capture_type.to_string(),
        packet_type,
        counters_only,
        real_time,
        log_mode,
        filters: crate::filter::load()?,
        metrics,
    };
    if let Some(target) = extcap {
        let config = SessionConfig {
            filters: target.filters.unwrap_or(config.filters),
            ..config
        };
        return run_real_time(&paths, &config, RealTimeOutput::Pcapng(target.sink));
    }
    if real_time {
        let output = if m.get_flag("json") {
            RealTimeOutput::Json
        } else {
            RealTimeOutput::Text
        };
        return run_real_time(&paths, &config, output);
    }
    if m.get_flag("json") {
        return Err(Error::invalid(
            "Error: --json streams records and needs '-m real-time'. See pktmon start help.",
        ));
    }
    let info = client::launch(&paths, &config)?;
    crate::out!("{}", summary::parameters(&info))?;
    if log_mode == LogMode::Memory && !counters_only {
        crate::outln!(
            "\nNote: memory mode keeps the log in memory; 'pktmon stop' (or SIGTERM/SIGINT to \
             the session) writes it. A session killed outright (kill -9, a crash) loses it."
        )?;
    }
    Ok(exit::SUCCESS)
}

/// `-m real-time`: this process is the session; records go to stdout as they arrive,
/// flushed one by one so that a pipe (`| grep`) sees them at once.
fn run_real_time(
    paths: &SessionPaths,
    config: &SessionConfig,
    output: RealTimeOutput,
) -> Result<i32> {
    use crate::packet::{PrefixStyle, TextOptions, TextRenderer};
    use std::io::Write;
    let settings = serde_json::to_vec_pretty(config).map_err(|e| Error::failure(e.to_string()))?;
    crate::session::state::write_private(&paths.config(), &settings)?;
    let mut renderer = TextRenderer::new(TextOptions {
        prefix: PrefixStyle::TimestampOnly,
        ..TextOptions::default()
    });
    let stdout = std::io::stdout();
    let text = matches!(output, RealTimeOutput::Text);
    // Only text shares stdout with the parameters and the final report; NDJSON and
    // pcapng readers get records alone, and the rest goes to stderr.
    let report_to = || -> Box<dyn Write> {
        if text {
            Box::new(std::io::stdout().lock())
        } else {
            Box::new(std::io::stderr().lock())
        }
    };
    let output = std::cell::RefCell::new(output);
    let mut buf = Vec::with_capacity(4096);
    let mut reader_gone = false;
    let mut printed: u64 = 0;
    let report = crate::session::daemon::run_real_time(
        &paths.name,
        |info| {
            let mut out = report_to();
            let _ = write!(out, "{}", summary::parameters(info));
            let _ = writeln!(out);
            let _ = out.flush();
            if let RealTimeOutput::Pcapng(sink) = &mut *output.borrow_mut()
                && sink.armed(info).is_err()
            {
                // Wireshark went away before the capture began.
                crate::session::interrupt::request_stop();
            }
        },
        &mut |rec| {
            printed += 1;
            let written = match &mut *output.borrow_mut() {
                RealTimeOutput::Json => {
                    crate::json::write_line(&mut stdout.lock(), record_json(rec))
                }
                RealTimeOutput::Text => {
                    buf.clear();
                    renderer.render(rec, &mut buf);
                    let mut out = stdout.lock();
                    out.write_all(&buf).and_then(|_| out.flush())
                }
                RealTimeOutput::Pcapng(sink) => sink.record(rec),
            };
            if written.is_err() && !reader_gone {
                // Nobody reads any more (`| head`): end the session as Ctrl+C would.
                reader_gone = true;
                crate::session::interrupt::request_stop();
            }
        },
    )?;
    let mut out = report_to();
    let _ = write!(out, "{}", summary::stopped(&report));
    let _ = writeln!(
        out,
        "Packets printed: {}",
        crate::output::group_thousands(printed)
    );
    let _ = out.flush();
    Ok(exit::SUCCESS)
}

/// One record of `-m real-time --json` (docs/schema/realtime-record.schema.json).
fn record_json(rec: &crate::record::PacketRecord<'_>) -> serde_json::Value {
    use crate::record::RecordKind;
    use std::fmt::Write as _;
    let mut hex = String::with_capacity(rec.data.len() * 2);
    for b in rec.data.iter() {
        let _ = write!(hex, "{b:02x}");
    }
    let mut o = serde_json::json!({
        "TimestampNs": rec.timestamp_ns,
        "Component": rec.component,
        "Direction": rec.direction.as_str(),
        "Edge": rec.edge,
        "PktGroupId": rec.group_id,
        "PktNumber": rec.packet_number,
        "Appearance": rec.appearance,
        "Type": if rec.is_drop() { "Drop" } else { "Flow" },
        "FilterId": rec.filter_id,
        "OriginalSize": rec.original_len,
        "LoggedSize": rec.data.len(),
        "LinkType": rec.link_type.0,
        "Data": hex,
    });
    if let RecordKind::Drop { reason, location } = &rec.kind {
        o["DropReason"] = serde_json::json!(reason);
        o["DropLocation"] = serde_json::json!(location);
    }
    o
}

/// The log path as the user gave it, made absolute against the current directory.
fn absolute_log_path(given: Option<&str>) -> Result<PathBuf> {
    let p = PathBuf::from(given.unwrap_or(crate::commands::DEFAULT_LOG_FILE));
    if p.as_os_str().is_empty() {
        return Err(Error::invalid(
            "Error: parameter '--file-name' needs a value. See pktmon start help.",
        ));
    }
    let abs = if p.is_absolute() {
        p
    } else {
        std::env::current_dir()
            .map_err(|e| Error::failure(format!("cannot read the current directory: {e}")))?
            .join(p)
    };
    if abs.is_dir() {
        return Err(Error::failure(format!(
            "cannot write the log file {}: it is a directory",
            abs.display()
        )));
    }
    Ok(abs)
}

/// Serialises concurrent `start`s of the same session (the lock goes with the file).
fn lock_session(paths: &SessionPaths) -> Result<std::fs::File> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(paths.lock())
        .map_err(|e| Error::failure(format!("cannot lock {}: {e}", paths.lock().display())))?;
    f.lock()
        .map_err(|e| Error::failure(format!("cannot lock {}: {e}", paths.lock().display())))?;
    Ok(f)
}
