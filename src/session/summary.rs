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
        if c.log_mode == super::LogMode::Memory {
            "a ring in memory, written to the file at stop".to_string()
        } else {
            format!(
                "whole blocks, flushed every {} ms or {} KiB",
                super::log::FLUSH_EVERY.as_millis(),
                super::log::FLUSH_BYTES / 1024
            )
        },
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
            c.log_mode.label()
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
    } else if c.log_mode == super::LogMode::MultiFile {
        line(
            &mut out,
            "Log file",
            format!(
                "{} (numbered: {}, ...)",
                c.log_file.display(),
                crate::pcapng::numbered::numbered_path(&c.log_file, 1).display()
            ),
        );
    } else {
        line(&mut out, "Log file", c.log_file.display());
    }
    let size_label = match c.log_mode {
        super::LogMode::MultiFile => "Max file size",
        super::LogMode::Memory => "Memory buffer",
        super::LogMode::Circular => "Max file size",
    };
    line(&mut out, size_label, format!("{} MB", c.file_size_mb));
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
    log_lines(&mut out, r);
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

/// Bytes on disk, and per mode packets overwritten or files written.
fn log_lines(out: &mut String, r: &SessionReport) {
    let Some(mode) = r.log.mode else {
        return;
    };
    line_w(
        out,
        STATUS_WIDTH,
        "Bytes on disk",
        group_thousands(r.log.bytes_on_disk),
    );
    match mode {
        super::LogMode::Circular | super::LogMode::Memory => line_w(
            out,
            STATUS_WIDTH,
            "Packets overwritten",
            group_thousands(r.log.packets_overwritten),
        ),
        super::LogMode::MultiFile => {
            line_w(out, STATUS_WIDTH, "Files written", r.log.files_written)
        }
    }
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
        if r.log.packets_overwritten > 0 {
            let _ = writeln!(
                out,
                "Packets overwritten by newer ones: {}",
                group_thousands(r.log.packets_overwritten)
            );
        }
        if r.log.mode == Some(super::LogMode::MultiFile) {
            let _ = writeln!(out, "Log files written: {}", r.log.files_written);
            for f in &r.log.files {
                let _ = writeln!(out, "    {}", f.display());
            }
        }
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
        // A multi-file log ends in its last numbered file.
        let file = match r.log.files.last() {
            Some(last) if r.log.mode == Some(super::LogMode::MultiFile) => last.clone(),
            _ => r.info.config.log_file.clone(),
        };
        let _ = writeln!(
            out,
            "Log file: {} ({})",
            file.display(),
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
