//! The text `start`, `status` and `stop` print (pktmon's §3.1–3.3 layouts).

use super::{SessionInfo, SessionReport};
use crate::output::group_thousands;
use std::fmt::Write;

fn line(out: &mut String, label: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "    {:<20}{value}", format!("{label}:"));
}

/// Logger Parameters / Collected Data / Capture Type / Monitored Components / Packet Filters.
pub fn parameters(info: &SessionInfo) -> String {
    let c = &info.config;
    let mut out = String::from("\nLogger Parameters:\n");
    line(&mut out, "Logger name", "PktMon");
    line(
        &mut out,
        "Logging mode",
        if c.real_time {
            "Real-time"
        } else {
            "Single file (logging stops at the size limit)"
        },
    );
    if c.real_time {
        line(
            &mut out,
            "Log file",
            "none (real-time: records are printed)",
        );
    } else if c.counters_only {
        line(&mut out, "Log file", "none (counters only)");
    } else {
        line(&mut out, "Log file", c.log_file.display());
    }
    line(&mut out, "Max file size", format!("{} MB", c.file_size_mb));
    line(
        &mut out,
        "Memory used",
        format!("{} MB", info.memory_bytes().div_ceil(1024 * 1024)),
    );
    out.push_str(if c.counters_only {
        "\nCollected Data:\n    Packet counters\n"
    } else {
        "\nCollected Data:\n    Packet counters, packet capture\n"
    });
    let _ = writeln!(out, "\nCapture Type:\n    {}", c.capture_type);
    let _ = writeln!(out, "\nMonitored Components:\n    {}", c.selector_label);
    for m in &info.monitored {
        let _ = writeln!(out, "    {:>6} {}", m.id, m.name);
    }
    for s in &info.skipped {
        let _ = writeln!(
            out,
            "    {:>6} {} (not monitored: {})",
            s.id, s.name, s.reason
        );
    }
    if !info.path_source.is_empty() {
        let _ = writeln!(out, "\nPacket Path:\n    {}", info.path_source);
    }
    if !info.drop_source.is_empty() {
        let _ = writeln!(out, "\nDrop Detection:\n    {}", info.drop_source);
    }
    out.push_str("\nPacket Filters:\n");
    out.push_str(&crate::filter::table::render(&c.filters));
    out
}

/// What `status` adds: the process and the numbers so far.
pub fn statistics(r: &SessionReport) -> String {
    let mut out = String::from("\nSession:\n");
    line(&mut out, "Name", &r.info.config.name);
    line(&mut out, "Process id", r.info.pid);
    let elapsed_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
        .saturating_sub(r.info.started_unix_ms);
    line(&mut out, "Running for", format!("{} s", elapsed_ms / 1000));
    out.push_str("\nStatistics:\n");
    line(
        &mut out,
        "Packets captured",
        group_thousands(r.packets_seen),
    );
    line(
        &mut out,
        "Packets filtered out",
        group_thousands(r.packets_filtered_out),
    );
    line(
        &mut out,
        "Packets logged",
        group_thousands(r.packets_logged),
    );
    line(&mut out, "Bytes logged", group_thousands(r.bytes_logged));
    line(
        &mut out,
        "Packets not logged",
        group_thousands(r.packets_not_logged),
    );
    line(&mut out, "Events lost", group_thousands(r.events_lost));
    line(&mut out, "CPU time", format!("{:.2} s", r.cpu_seconds));
    problems(&mut out, r);
    out
}

fn problems(out: &mut String, r: &SessionReport) {
    if !r.errors.is_empty() {
        out.push_str("\nProblems:\n");
        for e in &r.errors {
            let _ = writeln!(out, "    {e}");
        }
    }
}

/// The tail of `stop`: `Log file: <path> (No events lost)` and anything that went wrong.
pub fn stopped(r: &SessionReport) -> String {
    let mut out = String::from("Flushing logs...\n");
    if r.limit_reached {
        let _ = writeln!(
            out,
            "Log file size limit ({} MB) reached: {} packets were not logged.",
            r.info.config.file_size_mb,
            group_thousands(r.packets_not_logged)
        );
    }
    for e in r
        .errors
        .iter()
        .filter(|e| !matches!(e, super::problem::SessionProblem::LogLimitReached { .. }))
    {
        let _ = writeln!(out, "Warning: {e}");
    }
    if !r.info.config.counters_only && !r.info.config.real_time {
        let _ = writeln!(out, "Packets logged: {}", group_thousands(r.packets_logged));
    }
    if r.info.config.real_time {
        let _ = writeln!(
            out,
            "No log file (real-time; {}).",
            lost_text(r.events_lost)
        );
    } else if r.info.config.counters_only {
        let _ = writeln!(
            out,
            "No log file (counters only; {}).",
            lost_text(r.events_lost)
        );
    } else {
        let _ = writeln!(
            out,
            "Log file: {} ({})",
            r.info.config.log_file.display(),
            lost_text(r.events_lost)
        );
    }
    out
}

pub fn lost_text(lost: u64) -> String {
    match lost {
        0 => "No events lost".into(),
        1 => "1 event lost".into(),
        n => format!("{} events lost", group_thousands(n)),
    }
}
