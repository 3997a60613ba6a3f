//! The BPF drop source: the program from `program` on the `kfree_skb` raw tracepoint,
//! records read from a ring buffer.

use super::btf::Btf;
use super::event::{Decoder, DropEvent, RealtimeClock};
use super::kallsyms::Kallsyms;
use super::program::{self, KernelLayout, ProgramSpec};
use super::reasons::ReasonTable;
use super::ringbuf::RingBuf;
use super::sys;
use super::{SourceError, os_error};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// Ring sizes tried, largest first (16 MiB holds ~1 s of drops at 100k/s).
const RING_BYTES: [usize; 3] = [16 << 20, 8 << 20, 4 << 20];
/// How often user space looks at the ring while waiting (the program never wakes us:
/// a wakeup per record costs about 3x the throughput).
const POLL_SLICE: Duration = Duration::from_millis(10);

pub struct BpfSource {
    ring: RingBuf,
    lost_map: OwnedFd,
    possible_cpus: usize,
    // Closing the link detaches the program; keep both for the tracer's life.
    _link: OwnedFd,
    _prog: OwnedFd,
    decoder: Decoder,
}

fn refused(what: &str, e: &io::Error) -> SourceError {
    let permission = matches!(e.raw_os_error(), Some(libc::EPERM) | Some(libc::EACCES));
    let hint = if permission {
        " (needs root or CAP_BPF+CAP_PERFMON)"
    } else {
        ""
    };
    SourceError {
        message: format!("{what}: {}{hint}", os_error(e)),
        permission,
    }
}

fn failed(message: String) -> SourceError {
    SourceError {
        message,
        permission: false,
    }
}

/// The last lines of a verifier log (the reason is at the end).
fn log_tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(6)..].join(" | ")
}

impl BpfSource {
    pub fn open(netns_inodes: &[u32]) -> Result<BpfSource, SourceError> {
        let btf = Btf::from_sys().map_err(|e| failed(e.0))?;
        let layout = KernelLayout::from_btf(&btf).map_err(failed)?;
        if !program::kernel_has_ringbuf(&btf) {
            return Err(failed(
                "kernel has no BPF ring buffer (needs Linux 5.8)".into(),
            ));
        }
        let reasons = match ReasonTable::from_btf(&btf) {
            Ok(t) => t,
            // Kernels before 5.17: the program records "unknown" reasons.
            Err(_) if layout.args.reason.is_none() => ReasonTable::default(),
            Err(e) => return Err(failed(e)),
        };
        drop(btf);

        let mut ring = None;
        let mut last_err = None;
        for size in RING_BYTES {
            match sys::map_create(sys::BPF_MAP_TYPE_RINGBUF, 0, 0, size as u32, "pktmon_drops") {
                Ok(fd) => {
                    ring = Some((fd, size));
                    break;
                }
                Err(e) if e.raw_os_error() == Some(libc::ENOMEM) => last_err = Some(e),
                Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                    return Err(failed(format!(
                        "bpf(BPF_MAP_CREATE ringbuf): {} (the BPF ring buffer needs Linux 5.8)",
                        os_error(&e)
                    )));
                }
                Err(e) => return Err(refused("bpf(BPF_MAP_CREATE)", &e)),
            }
        }
        let Some((ring_fd, ring_size)) = ring else {
            let e = last_err.unwrap_or_else(|| io::Error::from_raw_os_error(libc::ENOMEM));
            return Err(refused("bpf(BPF_MAP_CREATE ringbuf)", &e));
        };
        let lost_map = sys::map_create(sys::BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, "pktmon_lost")
            .map_err(|e| refused("bpf(BPF_MAP_CREATE percpu)", &e))?;

        let insns = program::build(&ProgramSpec {
            layout: &layout,
            consumed: reasons.consumed(),
            netns_inodes,
            ringbuf_fd: ring_fd.as_raw_fd(),
            lost_fd: lost_map.as_raw_fd(),
        })
        .map_err(failed)?;
        let prog = sys::prog_load_raw_tracepoint(&insns, "pktmon_drops").map_err(|e| {
            if e.log.is_empty() {
                refused("bpf(BPF_PROG_LOAD)", &e.error)
            } else {
                failed(format!(
                    "bpf(BPF_PROG_LOAD): {}; verifier: {}",
                    os_error(&e.error),
                    log_tail(&e.log)
                ))
            }
        })?;
        let link = sys::raw_tracepoint_open("kfree_skb", prog.as_raw_fd())
            .map_err(|e| refused("bpf(BPF_RAW_TRACEPOINT_OPEN kfree_skb)", &e))?;
        let ring = RingBuf::new(ring_fd, ring_size)
            .map_err(|e| failed(format!("mmap of the BPF ring buffer: {}", os_error(&e))))?;
        Ok(BpfSource {
            ring,
            lost_map,
            possible_cpus: sys::cpus("possible").len().max(1),
            _link: link,
            _prog: prog,
            decoder: Decoder {
                reasons,
                symbols: Kallsyms::load(),
                clock: RealtimeClock::new(),
            },
        })
    }

    /// Waits up to `timeout` for records, then hands every one available to `f`.
    pub fn poll(
        &mut self,
        timeout: Duration,
        ev: &mut DropEvent,
        f: &mut dyn FnMut(&DropEvent),
    ) -> io::Result<usize> {
        let deadline = Instant::now() + timeout;
        self.decoder.clock.refresh();
        loop {
            let decoder = &mut self.decoder;
            let n = self.ring.drain(usize::MAX, &mut |raw| {
                if decoder.bpf_record(raw, ev) {
                    f(ev);
                }
            });
            let now = Instant::now();
            if n > 0 || now >= deadline {
                return Ok(n);
            }
            std::thread::sleep(POLL_SLICE.min(deadline - now));
        }
    }

    /// Records the ring had no room for, summed over CPUs.
    pub fn lost(&self) -> u64 {
        let mut values = vec![0u8; 8 * self.possible_cpus];
        if sys::map_lookup(self.lost_map.as_raw_fd(), &0u32.to_ne_bytes(), &mut values).is_err() {
            return 0;
        }
        values
            .chunks_exact(8)
            .map(|c| super::event::u64_at(c, 0))
            .sum()
    }
}
