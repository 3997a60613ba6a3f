//! The fallback drop source: `perf_event_open` on the `skb:kfree_skb` tracepoint, one
//! event per online CPU, raw samples decoded with the field offsets and reason table of
//! the tracepoint's format file. It gives reason, location and protocol, but no
//! interface, namespace or bytes, and sees every namespace.

use super::event::{Decoder, DropEvent, TraceFields};
use super::reasons::ReasonTable;
use super::{SourceError, os_error};
use crate::capture::bpf::RealtimeClock;
use crate::capture::bpf::btf::Btf;
use crate::capture::bpf::bytes::u64_at;
use crate::capture::bpf::kallsyms::Kallsyms;
use crate::capture::bpf::sys::{self, Mmap, PerfEventAttr};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const TRACEFS: [&str; 2] = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"];
const EVENT: &str = "events/skb/kfree_skb";
/// Data pages per CPU (2 MiB) and the fill level that wakes a poll.
const DATA_PAGES: usize = 512;
const WAKEUP_BYTES: u32 = 64 << 10;
const PERF_RECORD_LOST: u32 = 2;
const PERF_RECORD_SAMPLE: u32 = 9;
/// Offset of the raw trace entry in a sample (header, pid/tid, time, cpu/res, size).
const RAW_AT: usize = 8 + 8 + 8 + 8 + 4;

struct CpuRing {
    fd: OwnedFd,
    map: Mmap,
    data_off: usize,
    data_size: usize,
}

pub struct PerfSource {
    rings: Vec<CpuRing>,
    fields: TraceFields,
    decoder: Decoder,
    lost: u64,
    scratch: Vec<u8>,
}

/// Mounts tracefs at its usual place when the directory is there but empty; true if it
/// did (needs CAP_SYS_ADMIN; failure is not an error, the caller reports the first one).
fn mount_tracefs() -> bool {
    let target = TRACEFS[0];
    let empty = std::fs::read_dir(target).is_ok_and(|mut d| d.next().is_none());
    if !empty {
        return false;
    }
    let (Ok(src), Ok(dst), Ok(fs)) = (
        std::ffi::CString::new("nodev"),
        std::ffi::CString::new(target),
        std::ffi::CString::new("tracefs"),
    ) else {
        return false;
    };
    // SAFETY: valid NUL-terminated strings; no data argument.
    unsafe { libc::mount(src.as_ptr(), dst.as_ptr(), fs.as_ptr(), 0, std::ptr::null()) == 0 }
}

/// The tracepoint's id and format file, from the first readable tracefs.
fn read_tracepoint() -> Result<(u64, String), SourceError> {
    let mut why = Vec::new();
    for root in TRACEFS {
        let dir = format!("{root}/{EVENT}");
        let id = std::fs::read_to_string(format!("{dir}/id"));
        let format = std::fs::read_to_string(format!("{dir}/format"));
        match (id, format) {
            (Ok(id), Ok(format)) => {
                let id = id.trim().parse::<u64>().map_err(|_| SourceError {
                    message: format!("{dir}/id is not a number"),
                    permission: false,
                })?;
                return Ok((id, format));
            }
            (Err(e), _) | (_, Err(e)) => why.push((root, e)),
        }
    }
    let permission = why
        .iter()
        .any(|(_, e)| e.kind() == io::ErrorKind::PermissionDenied);
    let message = if permission {
        format!(
            "tracefs ({}) is not readable (needs root, or CAP_PERFMON and read access to tracefs)",
            TRACEFS[0]
        )
    } else {
        format!(
            "no skb:kfree_skb tracepoint: tracefs not mounted at {} ({})",
            TRACEFS[0],
            why.first().map(|(_, e)| os_error(e)).unwrap_or_default()
        )
    };
    Err(SourceError {
        message,
        permission,
    })
}

/// Field offsets from a format file (`field:void * location;\toffset:16;\tsize:8;...`).
pub fn parse_fields(format: &str) -> Result<TraceFields, String> {
    let mut location = None;
    let mut protocol = None;
    let mut reason = None;
    let mut min_len = 0;
    for line in format.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("field:") else {
            continue;
        };
        let mut decl = "";
        let mut offset = None;
        let mut size = None;
        for part in rest.split(';') {
            let part = part.trim();
            if let Some(v) = part.strip_prefix("offset:") {
                offset = v.parse::<usize>().ok();
            } else if let Some(v) = part.strip_prefix("size:") {
                size = v.parse::<usize>().ok();
            } else if decl.is_empty() {
                decl = part;
            }
        }
        let (Some(offset), Some(size)) = (offset, size) else {
            continue;
        };
        let name = decl.rsplit([' ', '*']).next().unwrap_or("");
        match (name, size) {
            ("location", 8) => location = Some(offset),
            ("protocol", 2) => protocol = Some(offset),
            ("reason", 4) => reason = Some(offset),
            _ => continue,
        }
        min_len = min_len.max(offset + size);
    }
    match (location, protocol) {
        (Some(location), Some(protocol)) => Ok(TraceFields {
            location,
            protocol,
            reason,
            min_len,
        }),
        _ => Err("skb:kfree_skb format has no location/protocol fields".into()),
    }
}

fn online_cpus() -> Vec<u32> {
    let cpus = sys::cpus("online");
    if cpus.is_empty() {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        (0..n as u32).collect()
    } else {
        cpus
    }
}

impl PerfSource {
    pub fn open() -> Result<PerfSource, SourceError> {
        let (id, format) = match read_tracepoint() {
            Ok(t) => t,
            // `ip netns exec` remounts /sys, which hides tracefs: mount it again (in that
            // private mount namespace, or where the system would have it anyway).
            Err(e) => {
                if mount_tracefs() {
                    read_tracepoint()?
                } else {
                    return Err(e);
                }
            }
        };
        let fields = parse_fields(&format).map_err(|message| SourceError {
            message,
            permission: false,
        })?;
        let mut reasons = ReasonTable::from_print_fmt(&format);
        // The format's table leaves out CONSUMED (not a drop); BTF has it when present.
        let from_btf = Btf::from_sys()
            .ok()
            .and_then(|b| ReasonTable::from_btf(&b).ok());
        let consumed = from_btf.as_ref().and_then(|t| t.consumed());
        if reasons.is_empty()
            && let Some(t) = from_btf
        {
            reasons = t;
        }

        let page = sys::page_size();
        let mut rings = Vec::new();
        for cpu in online_cpus() {
            let mut attr = PerfEventAttr {
                type_: sys::PERF_TYPE_TRACEPOINT,
                config: id,
                sample_period: 1,
                sample_type: sys::PERF_SAMPLE_TID
                    | sys::PERF_SAMPLE_TIME
                    | sys::PERF_SAMPLE_CPU
                    | sys::PERF_SAMPLE_RAW,
                flags: sys::ATTR_DISABLED | sys::ATTR_WATERMARK | sys::ATTR_USE_CLOCKID,
                wakeup_watermark: WAKEUP_BYTES,
                // CLOCK_REALTIME is refused for tracepoints; convert from monotonic.
                clockid: libc::CLOCK_MONOTONIC,
                ..Default::default()
            };
            let fd = sys::perf_event_open(&mut attr, cpu as i32).map_err(|e| {
                let permission =
                    matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EACCES));
                let paranoid = std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
                    .map(|s| s.trim().to_string())
                    .unwrap_or_else(|_| "?".into());
                SourceError {
                    message: if permission {
                        format!(
                            "perf_event_open(skb:kfree_skb): {} (needs root or CAP_PERFMON; perf_event_paranoid={paranoid})",
                            os_error(&e)
                        )
                    } else {
                        format!("perf_event_open(skb:kfree_skb) on CPU {cpu}: {}", os_error(&e))
                    },
                    permission,
                }
            })?;
            let map = Mmap::new(fd.as_raw_fd(), page * (1 + DATA_PAGES), 0, true).map_err(|e| {
                SourceError {
                    message: format!("mmap of the perf ring: {}", os_error(&e)),
                    permission: false,
                }
            })?;
            rings.push(CpuRing {
                fd,
                map,
                data_off: page,
                data_size: page * DATA_PAGES,
            });
        }
        for r in &rings {
            if let Some(c) = consumed.filter(|_| fields.reason.is_some()) {
                // Best effort: cuts the load; the decoder copes without it.
                if let Ok(filter) = std::ffi::CString::new(format!("reason != {c}")) {
                    // SAFETY: ioctl with a NUL-terminated string on our own perf fd.
                    unsafe {
                        libc::ioctl(
                            r.fd.as_raw_fd(),
                            sys::PERF_EVENT_IOC_SET_FILTER,
                            filter.as_ptr(),
                        )
                    };
                }
            }
            // SAFETY: plain ioctl on our own perf fd.
            if unsafe { libc::ioctl(r.fd.as_raw_fd(), sys::PERF_EVENT_IOC_ENABLE, 0) } < 0 {
                return Err(SourceError {
                    message: format!(
                        "enabling the perf event: {}",
                        os_error(&io::Error::last_os_error())
                    ),
                    permission: false,
                });
            }
        }
        Ok(PerfSource {
            rings,
            fields,
            decoder: Decoder {
                reasons,
                symbols: Kallsyms::load(),
                clock: RealtimeClock::new(),
            },
            lost: 0,
            scratch: Vec::with_capacity(256),
        })
    }

    pub fn lost(&self) -> u64 {
        self.lost
    }

    fn any_data(&self) -> bool {
        self.rings.iter().any(|r| {
            let (head, tail) = positions(r);
            head.load(Ordering::Acquire) != tail.load(Ordering::Acquire)
        })
    }

    pub fn poll(
        &mut self,
        timeout: Duration,
        ev: &mut DropEvent,
        f: &mut dyn FnMut(&DropEvent),
    ) -> io::Result<usize> {
        self.decoder.clock.refresh();
        if !self.any_data() && !timeout.is_zero() {
            let mut fds: Vec<libc::pollfd> = self
                .rings
                .iter()
                .map(|r| libc::pollfd {
                    fd: r.fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                })
                .collect();
            let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
            // SAFETY: fds is a valid array of pollfd of the given length.
            let r = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
            if r < 0 {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
        let mut n = 0;
        for i in 0..self.rings.len() {
            n += self.drain(i, ev, f);
        }
        Ok(n)
    }

    fn drain(&mut self, i: usize, ev: &mut DropEvent, f: &mut dyn FnMut(&DropEvent)) -> usize {
        let ring = &self.rings[i];
        let (head_pos, tail_pos) = positions(ring);
        let head = head_pos.load(Ordering::Acquire);
        let mut tail = tail_pos.load(Ordering::Relaxed);
        let size = ring.data_size as u64;
        // SAFETY: the data area lies inside the mapping (data_off + data_size <= len).
        let data =
            unsafe { std::slice::from_raw_parts(ring.map.ptr.add(ring.data_off), ring.data_size) };
        let mut n = 0;
        while tail < head {
            let at = (tail % size) as usize;
            let hdr = read_wrapped(data, at, 8, &mut self.scratch);
            let kind = u32::from_ne_bytes([hdr[0], hdr[1], hdr[2], hdr[3]]);
            let len = u16::from_ne_bytes([hdr[6], hdr[7]]) as usize;
            if len < 8 || len as u64 > head - tail {
                break; // corrupt: stop rather than read garbage
            }
            let record = read_wrapped(data, at, len, &mut self.scratch);
            match kind {
                PERF_RECORD_SAMPLE if record.len() >= RAW_AT => {
                    let time = u64_at(record, 16);
                    let raw_len =
                        u32::from_ne_bytes([record[32], record[33], record[34], record[35]])
                            as usize;
                    if let Some(entry) = record.get(RAW_AT..RAW_AT + raw_len)
                        && entry.len() >= self.fields.min_len
                    {
                        self.decoder.trace_entry(&self.fields, time, entry, ev);
                        f(ev);
                        n += 1;
                    }
                }
                PERF_RECORD_LOST if record.len() >= 24 => {
                    self.lost += u64_at(record, 16);
                }
                _ => {}
            }
            tail += len as u64;
        }
        tail_pos.store(tail, Ordering::Release);
        n
    }
}

/// `data_head` and `data_tail` of a perf ring's control page.
fn positions(r: &CpuRing) -> (&AtomicU64, &AtomicU64) {
    // SAFETY: offsets 1024 and 1032 of the first page are data_head and data_tail
    // (struct perf_event_mmap_page), 8-aligned, living as long as the mapping.
    unsafe {
        (
            &*(r.map.ptr.add(1024) as *const AtomicU64),
            &*(r.map.ptr.add(1032) as *const AtomicU64),
        )
    }
}

/// `len` bytes at `at` in a ring of `data.len()` bytes, copied into `scratch` when they
/// wrap around the end.
fn read_wrapped<'a>(data: &'a [u8], at: usize, len: usize, scratch: &'a mut Vec<u8>) -> &'a [u8] {
    if at + len <= data.len() {
        return &data[at..at + len];
    }
    scratch.clear();
    let first = data.len().saturating_sub(at);
    scratch.extend_from_slice(&data[at.min(data.len())..]);
    scratch.extend_from_slice(&data[..(len - first).min(data.len())]);
    scratch
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORMAT_6_18: &str = "name: kfree_skb\nID: 2310\nformat:\n\
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n\
\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n\
\tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n\
\tfield:void * rx_sk;\toffset:24;\tsize:8;\tsigned:0;\n\
\tfield:unsigned short protocol;\toffset:32;\tsize:2;\tsigned:0;\n\
\tfield:enum skb_drop_reason reason;\toffset:36;\tsize:4;\tsigned:0;\n\n\
print fmt: \"skbaddr=%p\", REC->skbaddr, __print_symbolic(REC->reason, { 2, \"NOT_SPECIFIED\" }, { 3, \"NO_SOCKET\" })\n";

    #[test]
    fn format_fields() {
        let f = parse_fields(FORMAT_6_18).unwrap();
        assert_eq!(
            f,
            TraceFields {
                location: 16,
                protocol: 32,
                reason: Some(36),
                min_len: 40
            }
        );
        // 5.10: no reason, protocol at 24.
        let old = "\tfield:void * skbaddr;\toffset:8;\tsize:8;\tsigned:0;\n\
                   \tfield:void * location;\toffset:16;\tsize:8;\tsigned:0;\n\
                   \tfield:unsigned short protocol;\toffset:24;\tsize:2;\tsigned:0;\n";
        let f = parse_fields(old).unwrap();
        assert_eq!((f.protocol, f.reason, f.min_len), (24, None, 26));
        assert!(parse_fields("garbage").is_err());
        assert!(parse_fields("field:void * location; offset:x; size:8;").is_err());
    }

    #[test]
    fn trace_entry_decoding() {
        let mut d = Decoder {
            reasons: ReasonTable::from_print_fmt(FORMAT_6_18),
            symbols: Kallsyms::parse("ffffffff82048c10 T __udp4_lib_rcv\n"),
            clock: RealtimeClock::new(),
        };
        let f = parse_fields(FORMAT_6_18).unwrap();
        let mut entry = vec![0u8; 40];
        entry[16..24].copy_from_slice(&(0xffffffff82048c10u64 + 0x4bc).to_ne_bytes());
        entry[32..34].copy_from_slice(&0x0800u16.to_ne_bytes());
        entry[36..40].copy_from_slice(&3u32.to_ne_bytes());
        let mut ev = DropEvent::default();
        d.trace_entry(&f, 1_000, &entry, &mut ev);
        assert_eq!(ev.reason, "NO_SOCKET");
        assert_eq!(ev.location, "__udp4_lib_rcv+0x4bc");
        assert_eq!(ev.protocol, 0x0800);
        assert!(ev.ingress);
        assert_eq!((ev.netns_inode, ev.ifindex), (None, None));
        assert!(ev.data.is_empty());
    }

    #[test]
    fn wrapped_reads() {
        let data: Vec<u8> = (0..16).collect();
        let mut s = Vec::new();
        assert_eq!(read_wrapped(&data, 2, 4, &mut s), &[2, 3, 4, 5]);
        assert_eq!(read_wrapped(&data, 14, 4, &mut s), &[14, 15, 0, 1]);
        // Never reads past either end, even when asked for more than the ring.
        assert_eq!(read_wrapped(&data, 15, 40, &mut s).len(), 17);
    }
}
