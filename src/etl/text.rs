//! Event lines as Windows `pktmon format` (etl2txt) prints them:
//! `[CC]PPPP.TTTT::YYYY-MM-DD HH:MM:SS.fffffff00 [Provider] message`.
//! Line ends and the UTF-16 encoding are the writer's business, not this module's.

use std::fmt::Write as _;

use super::bytes::{guid_at, u16_at, u32_at, u64_at};
use std::sync::Arc;

use super::logfile::{LogfileHeader, civil_from_filetime};
use super::pktmon::{PacketEvent, PacketMaps};
use super::tdh::ValueMap;
use super::value::{Field, write_field};

/// Provider name Windows prints for the system (kernel logger) events.
pub const SYSTEM_PROVIDER_NAME: &str = "MSNT_SystemTrace";

/// Appends `[CC]PPPP.TTTT::<local time> [<provider>] `.
pub fn write_prefix(out: &mut String, cpu: u16, pid: u32, tid: u32, local_ft: i64, provider: &str) {
    out.push('[');
    push_dec2(out, u32::from(cpu));
    out.push(']');
    push_hex4(out, pid);
    out.push('.');
    push_hex4(out, tid);
    out.push_str("::");
    write_local_time(out, local_ft);
    out.push_str(" [");
    out.push_str(provider);
    out.push_str("] ");
}

/// `YYYY-MM-DD HH:MM:SS.fffffff00`: 100-ns precision printed with nine digits.
pub fn write_local_time(out: &mut String, local_ft: i64) {
    let (y, mo, d, h, mi, s, frac) = civil_from_filetime(local_ft);
    if (0..10_000).contains(&y) {
        push_dec2(out, (y / 100) as u32);
        push_dec2(out, (y % 100) as u32);
        out.push('-');
    } else {
        let _ = write!(out, "{y:04}-");
    }
    push_dec2(out, mo as u32);
    out.push('-');
    push_dec2(out, d as u32);
    out.push(' ');
    push_dec2(out, h as u32);
    out.push(':');
    push_dec2(out, mi as u32);
    out.push(':');
    push_dec2(out, s as u32);
    out.push('.');
    // 7 digits of 100 ns, then "00".
    let mut digits = [b'0'; 9];
    let mut f = frac as u32;
    for i in (0..7).rev() {
        digits[i] = b'0' + (f % 10) as u8;
        f /= 10;
    }
    // Valid ASCII by construction.
    out.push_str(std::str::from_utf8(&digits).unwrap_or("000000000"));
}

fn push_dec2(out: &mut String, v: u32) {
    if v < 100 {
        out.push(char::from(b'0' + (v / 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
    } else {
        let _ = write!(out, "{v}");
    }
}

/// `%04X`: at least four upper-case hex digits.
fn push_hex4(out: &mut String, v: u32) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if v <= 0xFFFF {
        for shift in [12, 8, 4, 0] {
            out.push(char::from(HEX[((v >> shift) & 0xF) as usize]));
        }
    } else {
        let _ = write!(out, "{v:04X}");
    }
}

/// The message of a packet (160) or drop (170) record line, written directly (the hot path
/// of etl2txt); equal to the template rendering of the standard messages (tested).
pub fn write_packet_message(out: &mut String, p: &PacketEvent<'_>, maps: &PacketMaps) {
    let mut n = itoa::Buffer::new();
    let mapped = |out: &mut String, map: &Option<Arc<ValueMap>>, v: u32| match map
        .as_deref()
        .and_then(|m| m.get(v))
    {
        Some(name) => out.push_str(name),
        None => {
            let mut b = itoa::Buffer::new();
            out.push_str(b.format(v));
        }
    };
    if p.dropped {
        out.push_str("Drop: ");
    }
    out.push_str("PktGroupId ");
    out.push_str(n.format(p.group_id));
    out.push_str(", PktNumber ");
    out.push_str(n.format(p.packet_number));
    out.push_str(", Appearance ");
    out.push_str(n.format(p.appearance));
    out.push_str(", Direction ");
    mapped(out, &maps.direction, u32::from(p.direction_tag));
    out.push_str(", Type ");
    mapped(out, &maps.packet_type, u32::from(p.packet_type));
    out.push_str(", Component ");
    out.push_str(n.format(p.component_id));
    if !p.dropped {
        out.push_str(", Edge ");
        out.push_str(n.format(p.edge_id));
    }
    out.push_str(", Filter ");
    out.push_str(n.format(p.filter_id));
    if p.dropped {
        out.push_str(", DropReason ");
        mapped(out, &maps.drop_reason, p.drop_reason);
        out.push_str(", DropLocation ");
        crate::pktmon_meta::write_drop_location(out, p.drop_location);
    }
    out.push_str(", OriginalSize ");
    out.push_str(n.format(p.original_size));
    out.push_str(", LoggedSize ");
    out.push_str(n.format(p.logged_size));
    out.push(' ');
}

/// Appends `s` as UTF-16LE (the encoding of Windows' text output), with a fast path for
/// ASCII, which every pktmon line is.
pub fn push_utf16le(out: &mut Vec<u8>, s: &str) {
    if s.is_ascii() {
        let start = out.len();
        out.resize(start + 2 * s.len(), 0);
        for (pair, b) in out[start..].chunks_exact_mut(2).zip(s.bytes()) {
            pair[0] = b;
        }
    } else {
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
    }
}

/// Expands a message template: `%1`..`%99` insert the fields in order (a printf-style
/// `!…!` suffix is ignored), `%%` is a percent sign, `%t`/`%n`/`%r` tab/newline/CR,
/// `%0` ends the message.
pub fn write_message(out: &mut String, message: &str, fields: &[Field<'_>]) {
    let mut rest = message;
    while let Some(p) = rest.find('%') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count().min(2);
        if digits > 0 {
            let n: usize = after[..digits].parse().unwrap_or(0);
            if n == 0 {
                return;
            }
            if let Some(f) = fields.get(n - 1) {
                write_field(out, f);
            }
            rest = &after[digits..];
            if let Some(spec) = rest.strip_prefix('!')
                && let Some(end) = spec.find('!')
            {
                rest = &spec[end + 1..];
            }
            continue;
        }
        let mut chars = after.chars();
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(c) => out.push(c),
            None => out.push('%'),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// The logfile header event's message.
pub fn write_header_message(out: &mut String, h: &LogfileHeader) {
    let _ = write!(
        out,
        "Event: Header, BufferSize: {}, Version: {}, ProviderVersion: {}, NumberOfProcessors: {}, \
         EndTime: {}, TimerResolution: {}, MaxFileSize: {}, LogFileMode: 0x{:x}, BuffersWritten: {}, \
         StartBuffers: {}, PointerSize: {}, EventsLost: {}, CPUSpeed: {}, LoggerName: 0x{:x}, \
         LogFileName: 0x{:x}, TimeZoneInformation: , BootTime: {}, PerfFreq: {}, StartTime: {}, \
         ReservedFlags: 0x{:x}, BuffersLost: {}, SessionNameString: {}, LogFileNameString: {}",
        h.buffer_size,
        h.version,
        h.provider_version,
        h.number_of_processors,
        h.end_time,
        h.timer_resolution,
        h.maximum_file_size,
        h.log_file_mode,
        h.buffers_written,
        h.start_buffers,
        h.pointer_size,
        h.events_lost,
        h.cpu_speed_mhz,
        h.logger_name_ptr,
        h.log_file_name_ptr,
        h.boot_time,
        h.perf_freq,
        h.start_time,
        h.reserved_flags,
        h.buffers_lost,
        h.logger_name,
        h.log_file_name
    );
}

/// The partition information system event (HookId 0x0050). Windows prints its two GUIDs
/// empty (seen only all-zero); we print non-zero ones.
pub fn write_partition_message(out: &mut String, data: &[u8]) {
    let guid = |off| match guid_at(data, off) {
        Some(g) if !g.is_zero() => format!("{{{g}}}"),
        _ => String::new(),
    };
    let _ = write!(
        out,
        "Event: PartitionInfoExtensionV2, EventVersion: {}, Reserved: {}, PartitionType: {}, \
         QpcOffsetFromRoot: {}, PartitionId: {}, ParentId: {}",
        u16_at(data, 0).unwrap_or(0),
        u16_at(data, 2).unwrap_or(0),
        u32_at(data, 4).unwrap_or(0),
        u64_at(data, 8).unwrap_or(0) as i64,
        guid(16),
        guid(32)
    );
}

/// Our own rendering for events without a message template (Windows' wording for them is
/// unknown): `Event: <name>, <Field>: <value>, …`, in the style of the system events.
pub fn write_fields_message(out: &mut String, name: &str, fields: &[Field<'_>]) {
    out.push_str("Event: ");
    out.push_str(name);
    for f in fields {
        out.push_str(", ");
        out.push_str(f.name);
        out.push_str(": ");
        write_field(out, f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::logfile::FILETIME_UNIX_EPOCH;
    use super::super::value::Value;
    use super::*;

    #[test]
    fn prefix_like_pktmon() {
        let mut s = String::new();
        // 2021-06-03 19:19:55.6187930 local.
        let ft = FILETIME_UNIX_EPOCH
            + (super::super::logfile::days_from_civil(2021, 6, 3) * 86_400
                + 19 * 3600
                + 19 * 60
                + 55)
                * 10_000_000
            + 6_187_930;
        write_prefix(&mut s, 2, 0, 0x6A4, ft, "Microsoft-Windows-PktMon");
        assert_eq!(
            s,
            "[02]0000.06A4::2021-06-03 19:19:55.618793000 [Microsoft-Windows-PktMon] "
        );
        let mut s = String::new();
        write_prefix(&mut s, 123, 0x12345, 1, ft, "X");
        assert!(s.starts_with("[123]12345.0001::"), "{s}");
    }

    #[test]
    fn utf16le_encoding() {
        let mut v = Vec::new();
        push_utf16le(&mut v, "A\r\n");
        push_utf16le(&mut v, "구");
        assert_eq!(v, [b'A', 0, b'\r', 0, b'\n', 0, 0x6C, 0xAD]);
    }

    #[test]
    fn message_inserts() {
        let f = |v| Field {
            name: "n",
            value: Value::UInt(v),
            in_type: 8,
            out_type: 8,
            map: None,
        };
        let fields = [f(5), f(7)];
        let mut s = String::new();
        write_message(&mut s, "A %1, B %2!d!, C %3, 100%% %0 ignored", &fields);
        assert_eq!(s, "A 5, B 7, C , 100% ");
        let mut s = String::new();
        write_message(&mut s, "tail %", &fields);
        assert_eq!(s, "tail %");
    }
}
