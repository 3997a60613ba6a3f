//! Where packets go inside this machine: every packet seen on its way in and out of every
//! network device, in every network namespace, with the identity of its buffer
//! (`skb_head`) so that one packet can be followed across devices (veth pairs, bridges,
//! routing and NAT). See `docs/spec/packet-path.md`.
//!
//! Two BPF programs, on the `netif_receive_skb` (Rx) and `net_dev_start_xmit` (Tx) raw
//! tracepoints (kprobes and fentry are not assumed), write to one ring buffer that
//! [`PathTracer::poll`] reads; AF_PACKET (libpcap) taps sit at the same two points. The
//! programs are assembled at run time with offsets from the kernel's BTF (see
//! `capture::bpf`). Needs root or CAP_BPF+CAP_PERFMON, BTF and Linux 5.8+.
//!
//! Packet bytes come from the skb's linear part only: what lies in page fragments (large
//! TCP segments, GRO) is not reachable from a tracepoint, so `data` may be shorter than
//! the snap length even when the packet is longer.
//!
//! What the tracepoints see (measured on 6.18 with `examples/path_watch`):
//! - veth: Tx `data` is at the Ethernet header (`mac_header == data`); Rx `mac_header` is
//!   set 14 bytes before `data`. Both ends see the same skb and head.
//! - loopback (ARPHRD_LOOPBACK): the same, with an Ethernet header of zero addresses.
//! - bridge: a unicast frame veth → bridge → veth gives 4 sightings with one skb and head
//!   and none on the bridge device; a broadcast (ARP) is flooded as a clone (another skb,
//!   the same head) and delivered to the bridge device (Rx on br0).
//! - tun (ARPHRD_NONE): both directions start at the network header (RAW).
//! - Cost per run (`kernel.bpf_stats_enabled`, 200k 64-byte UDP datagrams over veth,
//!   106-byte frames): ~170–190 ns for a packet outside the scope, ~340–430 ns in scope
//!   with a 128-byte cap, ~400–530 ns with 1536 (larger reserved records).

mod program;
mod sighting;

pub use crate::capture::bpf::sys::ProgStats;
pub use program::{DEFAULT_CAP, Hook, MAX_CAP, PathLayout, cap_for_snaplen};
pub use sighting::{ARPHRD_ETHER, ARPHRD_LOOPBACK, RecordDetail, Sighting};

use crate::capture::bpf::btf::Btf;
use crate::capture::bpf::classic::ClassicInsn;
use crate::capture::bpf::load::{self, LossCounter};
use crate::capture::bpf::ringbuf::RingBuf;
use crate::capture::bpf::{RealtimeClock, SetupError, kernel, sys};
use program::{KernelFilter, ProgramSpec};
use std::fmt;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// Ring sizes tried, largest first. Records have a fixed size (`HDR` + the capture
/// length, rounded to 8): 16 MiB holds ~77k records of 128 packet bytes, ~10k of 1536.
const RING_BYTES: [usize; 3] = [16 << 20, 8 << 20, 4 << 20];
/// How often user space looks at the ring while waiting (the programs never wake us: a
/// wakeup per record costs about 3x the throughput).
const POLL_SLICE: Duration = Duration::from_millis(10);
/// Buffers of followed packets the kernel filter remembers (least recently used go):
/// a packet crosses a host in well under a millisecond, so this covers floods of
/// millions of matching packets per second.
const FOLLOWED_BUFFERS: u32 = 1 << 16;

/// What to trace.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathOptions {
    /// Bytes of each packet to copy, from the link-layer header; 0 = as many as a record
    /// holds ([`MAX_CAP`]). Larger values are cut to [`MAX_CAP`].
    pub snaplen: u32,
    /// Network namespace inodes (as `stat -L /run/netns/NAME` shows) whose devices are
    /// traced, filtered in the kernel; empty = every namespace.
    pub netns_inodes: Vec<u64>,
}

/// Why the path tracer could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathTracerError {
    /// A namespace inode does not fit the kernel's 32 bits.
    BadScope(u64),
    /// The kernel refused for lack of privilege.
    PermissionDenied(String),
    /// The kernel lacks something the tracer needs (BTF, ring buffer, a tracepoint), or
    /// refused the program.
    Unsupported(String),
}

impl PathTracerError {
    /// True when more privilege would help (exit code 5 material).
    pub fn is_permission_denied(&self) -> bool {
        matches!(self, PathTracerError::PermissionDenied(_))
    }
}

impl From<SetupError> for PathTracerError {
    fn from(e: SetupError) -> Self {
        if e.permission {
            PathTracerError::PermissionDenied(e.message)
        } else {
            PathTracerError::Unsupported(e.message)
        }
    }
}

impl fmt::Display for PathTracerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathTracerError::BadScope(ino) => {
                write!(f, "network namespace inode {ino} is out of range")
            }
            PathTracerError::PermissionDenied(why) => write!(
                f,
                "packet-path tracing needs root or CAP_BPF+CAP_PERFMON; {why}"
            ),
            PathTracerError::Unsupported(why) => {
                write!(f, "packet-path tracing is not available: {why}")
            }
        }
    }
}

impl std::error::Error for PathTracerError {}

/// An attached pair of path programs. Poll regularly: what the ring cannot hold is
/// counted in [`PathTracer::lost`].
pub struct PathTracer {
    ring: RingBuf,
    lost: LossCounter,
    layout: PathLayout,
    inodes: Vec<u32>,
    /// Buffers of packets the kernel filter accepted (with [`PathTracer::set_filter`]).
    followed: Option<OwnedFd>,
    // Closing a link detaches its program; keep them for the tracer's life.
    links: Vec<OwnedFd>,
    progs: Vec<OwnedFd>,
    clock: RealtimeClock,
    cap: u32,
    instructions: [usize; 2],
    load_time: [Duration; 2],
}

// The session may poll the tracer from a thread of its own.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<PathTracer>();
};

impl fmt::Debug for PathTracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PathTracer")
            .field("cap", &self.cap)
            .field("instructions", &self.instructions)
            .finish()
    }
}

impl PathTracer {
    /// Builds, loads and attaches both programs.
    pub fn open(opts: &PathOptions) -> Result<PathTracer, PathTracerError> {
        let inodes = opts
            .netns_inodes
            .iter()
            .map(|&i| u32::try_from(i).map_err(|_| PathTracerError::BadScope(i)))
            .collect::<Result<Vec<u32>, _>>()?;
        let unsupported = PathTracerError::Unsupported;
        let btf = Btf::from_sys().map_err(|e| unsupported(e.0))?;
        let layout = PathLayout::from_btf(&btf).map_err(unsupported)?;
        if !kernel::kernel_has_ringbuf(&btf) {
            return Err(unsupported(
                "kernel has no BPF ring buffer (needs Linux 5.8)".into(),
            ));
        }
        drop(btf);
        let cap = cap_for_snaplen(opts.snaplen);
        let mut tracer = PathTracer {
            ring: load::ring("pktmon_path", &RING_BYTES)?,
            lost: LossCounter::create("pktmon_plost")?,
            layout,
            inodes,
            followed: None,
            links: Vec::new(),
            progs: Vec::new(),
            clock: RealtimeClock::new(),
            cap,
            instructions: [0; 2],
            load_time: [Duration::ZERO; 2],
        };
        tracer.attach(None)?;
        Ok(tracer)
    }

    /// Builds, loads and attaches both programs (with the session's filter, if any) in
    /// place of those attached before.
    fn attach(&mut self, filter: Option<&[ClassicInsn]>) -> Result<(), PathTracerError> {
        let unsupported = PathTracerError::Unsupported;
        // Detach first: for a moment nothing is traced, rather than everything twice.
        self.links.clear();
        self.progs.clear();
        for (i, hook) in [Hook::Receive, Hook::Transmit].into_iter().enumerate() {
            let insns = program::build(&ProgramSpec {
                layout: &self.layout,
                hook,
                cap: self.cap,
                netns_inodes: &self.inodes,
                ringbuf_fd: self.ring.fd(),
                lost_fd: self.lost.fd(),
                filter: match (filter, &self.followed) {
                    (Some(program), Some(map)) => Some(KernelFilter {
                        program,
                        followed_fd: map.as_raw_fd(),
                    }),
                    _ => None,
                },
            })
            .map_err(unsupported)?;
            self.instructions[i] = insns.len();
            let t = Instant::now();
            let prog = load::program(&insns, hook.program_name())?;
            self.load_time[i] = t.elapsed();
            self.links.push(load::attach(hook.tracepoint(), &prog)?);
            self.progs.push(prog);
        }
        Ok(())
    }

    /// Runs the session's filter (libpcap's classic program for Ethernet frames) in the
    /// programs: what it rejects never reaches user space, unless the packet's buffer was
    /// accepted before (see `program::KernelFilter`). On failure the tracer is left
    /// unfiltered and attached.
    pub fn set_filter(&mut self, program: &[ClassicInsn]) -> Result<(), PathTracerError> {
        if self.followed.is_none() {
            self.followed = Some(load::followed_map("pktmon_follow", FOLLOWED_BUFFERS)?);
        }
        let result = self.attach(Some(program));
        if result.is_err() {
            self.attach(None)?;
        }
        result
    }

    /// Packet bytes each sighting carries at most.
    pub fn cap(&self) -> u32 {
        self.cap
    }

    /// Instructions of the (Rx, Tx) programs.
    pub fn instructions(&self) -> (usize, usize) {
        (self.instructions[0], self.instructions[1])
    }

    /// Statistics of the (Rx, Tx) programs: instructions verified, and runs and their
    /// total time while `kernel.bpf_stats_enabled` is 1.
    pub fn program_stats(&self) -> io::Result<(ProgStats, ProgStats)> {
        let stats = |i: usize| match self.progs.get(i) {
            Some(p) => sys::prog_stats(p.as_raw_fd()),
            None => Err(io::Error::from(io::ErrorKind::NotFound)),
        };
        Ok((stats(0)?, stats(1)?))
    }

    /// How long loading (mostly verifying) the (Rx, Tx) programs took.
    pub fn load_times(&self) -> (Duration, Duration) {
        (self.load_time[0], self.load_time[1])
    }

    /// Waits up to `timeout` for sightings, then hands every one available to `f`.
    /// Returns how many were delivered; `Duration::ZERO` only collects what is there.
    pub fn poll(&mut self, timeout: Duration, f: &mut dyn FnMut(&Sighting)) -> io::Result<usize> {
        self.poll_raw(timeout, &mut |s, _| f(s))
    }

    /// As [`PathTracer::poll`], with the raw record too (for its diagnostic fields:
    /// [`RecordDetail::of`], decoded only by callers that want them).
    pub fn poll_raw(
        &mut self,
        timeout: Duration,
        f: &mut dyn FnMut(&Sighting, &[u8]),
    ) -> io::Result<usize> {
        self.clock.refresh();
        let clock = &self.clock;
        Ok(self
            .ring
            .drain_until(Instant::now() + timeout, POLL_SLICE, &mut |raw| {
                if let Some(s) = sighting::decode(raw, clock) {
                    f(&s, raw);
                }
            }))
    }

    /// Sightings the kernel could not hand over (ring full), so far.
    pub fn lost(&self) -> u64 {
        self.lost.sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_to_do() {
        let e = PathTracerError::from(SetupError::refused(
            "bpf(BPF_MAP_CREATE)",
            &io::Error::from_raw_os_error(libc::EPERM),
        ));
        assert!(e.is_permission_denied());
        let s = e.to_string();
        assert!(
            s.starts_with("packet-path tracing needs root or CAP_BPF+CAP_PERFMON; bpf("),
            "{s}"
        );
        let e = PathTracerError::from(SetupError::failed("kernel BTF has no struct net"));
        assert!(!e.is_permission_denied());
        assert_eq!(
            e.to_string(),
            "packet-path tracing is not available: kernel BTF has no struct net"
        );
    }

    #[test]
    fn out_of_range_scopes_are_refused_before_the_kernel_is_asked() {
        let e = PathTracer::open(&PathOptions {
            snaplen: 0,
            netns_inodes: vec![1 << 40],
        })
        .unwrap_err();
        assert_eq!(e, PathTracerError::BadScope(1 << 40));
    }
}
