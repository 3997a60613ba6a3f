//! `status --json` and `stop --json`: a session's parameters and numbers in pktmon's
//! naming (see [`crate::json`]), built from the report field by field so that internal
//! structures (component records, the wire format between processes) never leak.

use super::{SessionInfo, SessionReport};
use crate::counters::table::{self, CounterType};
use serde_json::{Value, json};

/// The session's parameters (what `start` was asked and what it armed).
pub fn info(i: &SessionInfo) -> Value {
    let c = &i.config;
    json!({
        "Name": c.name,
        "Pid": i.pid,
        "StartedUnixMs": i.started_unix_ms,
        "LogFile": if c.counters_only || c.real_time { Value::Null } else { json!(c.log_file.display().to_string()) },
        "FileSizeMb": c.file_size_mb,
        "PktSize": c.pkt_size,
        "MonitoredComponents": c.selector_label,
        "CaptureType": c.capture_type,
        "CountersOnly": c.counters_only,
        "RealTime": c.real_time,
        "LogMode": if c.counters_only || c.real_time { Value::Null } else { json!(c.log_mode) },
        "BufferBytes": c.buffer_bytes,
        "Monitored": i.monitored.iter().map(|m| json!({"Id": m.id, "Name": m.name, "LinkType": m.link_type})).collect::<Vec<_>>(),
        "Skipped": i.skipped.iter().map(|s| json!({"Id": s.id, "Name": s.name, "Reason": s.reason})).collect::<Vec<_>>(),
        "DropSource": i.drop_source,
        "PathSource": i.path_source,
        "MetricsAddress": i.metrics_address,
    })
}

/// Parameters, numbers, problems and counters of a running or stopped session.
pub fn report(r: &SessionReport) -> Value {
    json!({
        "Info": info(&r.info),
        "Running": r.running,
        "PacketsSeen": r.packets_seen,
        "PacketsFilteredOut": r.packets_filtered_out,
        "PacketsLogged": r.packets_logged,
        "BytesLogged": r.bytes_logged,
        "PacketsNotLogged": r.packets_not_logged,
        "LimitReached": r.limit_reached,
        "EventsLost": r.events_lost,
        "CpuSeconds": r.cpu_seconds,
        "Log": json!({
            "Mode": r.log.mode,
            "BytesOnDisk": r.log.bytes_on_disk,
            "PacketsOverwritten": r.log.packets_overwritten,
            "Files": r.log.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
            "FilesWritten": r.log.files_written,
        }),
        "Errors": r.errors.iter().map(|e| json!({"Kind": e.kind_name(), "Message": e.to_string()})).collect::<Vec<_>>(),
        "Counters": table::to_json(&r.counters, CounterType::All, true),
    })
}
