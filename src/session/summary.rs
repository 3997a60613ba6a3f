//! The text `start`, `status` and `stop` print (pktmon's §3.1–3.3 layouts).

use super::{SessionInfo, SessionReport};
use crate::output::group_thousands;
use std::fmt::Write;

/// A `    Label:              value` line, labels padded to pktmon's width (20).
fn line(out: &mut String, label: &str, value: impl std::fmt::Display) {
    line_w(out, 20, label, value);
}

/// The same with a wider label column, for sections whose labels are longer than
/// pktmon's (`Packets filtered out:` still gets a space before its value).
fn line_w(out: &mut String, width: usize, label: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "    {:<width$}{value}", format!("{label}:"));
}

/// Label width of the `status` sections: the longest label, its colon and a space.
const STATUS_WIDTH: usize = "Packets filtered out: ".len();

/// `status -b`: the capture buffers (kernel rings) and how the log is written.
pub fn buffers(r: &SessionReport) -> String {
    let c = &r.info.config;
    let mut out = String::from("\nBuffer Information:\n");
    let w = STATUS_WIDTH;
    line_w(
        &mut out,
        w,
        "Capture buffer",
        format!(
            "{} MB per component (kernel ring)",
            u64::from(c.buffer_bytes).div_ceil(1024 * 1024)
        ),
    );
    line_w(&mut out, w, "Components", r.info.monitored.len());
    line_w(
        &mut out,
        w,
        "Memory used",
        format!("{} MB", r.info.memory_bytes().div_ceil(1024 * 1024)),
    );
    line_w(
        &mut out,
        w,
        "Events lost",
        format!(
            "{} (ring full: packets the kernel could not hand over)",
            group_thousands(r.events_lost)
        ),
    );
    line_w(
        &mut out,
        w,
        "Log writes",
        format!(
            "whole blocks, flushed every {} ms or {} KiB",
            super::log::FLUSH_EVERY.as_millis(),
            super::log::FLUSH_BYTES / 1024
        ),
    );
    out
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
    if let Some(addr) = &info.metrics_address {
        let _ = writeln!(out, "\nMetrics:\n    http://{addr}/metrics");
    }
    out.push_str("\nPacket Filters:\n");
    out.push_str(&crate::filter::table::render(&c.filters));
    out
}

/// What `status` adds: the process and the numbers so far.
pub fn statistics(r: &SessionReport) -> String {
    let mut out = String::from("\nSession:\n");
    line_w(&mut out, STATUS_WIDTH, "Name", &r.info.config.name);
    line_w(&mut out, STATUS_WIDTH, "Process id", r.info.pid);
    let elapsed_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
        .saturating_sub(r.info.started_unix_ms);
    line_w(
        &mut out,
        STATUS_WIDTH,
        "Running for",
        format!("{} s", elapsed_ms / 1000),
    );
    out.push_str("\nStatistics:\n");
    line_w(
        &mut out,
        STATUS_WIDTH,
        "Packets captured",
        group_thousands(r.packets_seen),
    );
    line_w(
        &mut out,
        STATUS_WIDTH,
        "Packets filtered out",
        group_thousands(r.packets_filtered_out),
    );
    line_w(
        &mut out,
        STATUS_WIDTH,
        "Packets logged",
        group_thousands(r.packets_logged),
    );
    line_w(
        &mut out,
        STATUS_WIDTH,
        "Bytes logged",
        group_thousands(r.bytes_logged),
    );
    line_w(
        &mut out,
        STATUS_WIDTH,
        "Packets not logged",
        group_thousands(r.packets_not_logged),
    );
    line_w(
        &mut out,
        STATUS_WIDTH,
        "Events lost",
        group_thousands(r.events_lost),
    );
    line_w(
        &mut out,
        STATUS_WIDTH,
        "CPU time",
        format!("{:.2} s", r.cpu_seconds),
    );
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
