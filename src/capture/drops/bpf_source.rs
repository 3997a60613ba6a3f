//! The BPF drop source: the program from `program` on the `kfree_skb` raw tracepoint,
//! records read from a ring buffer.

use super::SourceError;
use super::event::{Decoder, DropEvent};
use super::program::{self, KernelLayout, ProgramSpec};
use super::reasons::ReasonTable;
use crate::capture::bpf::btf::Btf;
use crate::capture::bpf::kallsyms::Kallsyms;
use crate::capture::bpf::load::{self, LossCounter};
use crate::capture::bpf::ringbuf::RingBuf;
use crate::capture::bpf::{RealtimeClock, kernel};
use std::io;
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

/// Ring sizes tried, largest first (16 MiB holds ~1 s of drops at 100k/s).
const RING_BYTES: [usize; 3] = [16 << 20, 8 << 20, 4 << 20];
/// How often user space looks at the ring while waiting (the program never wakes us:
/// a wakeup per record costs about 3x the throughput).
const POLL_SLICE: Duration = Duration::from_millis(10);

pub struct BpfSource {
    ring: RingBuf,
    lost: LossCounter,
    // Closing the link detaches the program; keep both for the tracer's life.
    _link: OwnedFd,
    _prog: OwnedFd,
    decoder: Decoder,
}

impl BpfSource {
    pub fn open(netns_inodes: &[u32]) -> Result<BpfSource, SourceError> {
        let btf = Btf::from_sys().map_err(|e| SourceError::failed(e.0))?;
        let layout = KernelLayout::from_btf(&btf).map_err(SourceError::failed)?;
        if !kernel::kernel_has_ringbuf(&btf) {
            return Err(SourceError::failed(
                "kernel has no BPF ring buffer (needs Linux 5.8)",
            ));
        }
        let reasons = match ReasonTable::from_btf(&btf) {
            Ok(t) => t,
            // Kernels before 5.17: the program records "unknown" reasons.
            Err(_) if layout.args.reason.is_none() => ReasonTable::default(),
            Err(e) => return Err(SourceError::failed(e)),
        };
        drop(btf);

        let ring = load::ring("pktmon_drops", &RING_BYTES)?;
        let lost = LossCounter::create("pktmon_lost")?;
        let insns = program::build(&ProgramSpec {
            layout: &layout,
            consumed: reasons.consumed(),
            netns_inodes,
            ringbuf_fd: ring.fd(),
            lost_fd: lost.fd(),
        })
        .map_err(SourceError::failed)?;
        let prog = load::program(&insns, "pktmon_drops")?;
        let link = load::attach("kfree_skb", &prog)?;
        Ok(BpfSource {
            ring,
            lost,
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
        self.decoder.clock.refresh();
        let decoder = &mut self.decoder;
        Ok(self
            .ring
            .drain_until(Instant::now() + timeout, POLL_SLICE, &mut |raw| {
                if decoder.bpf_record(raw, ev) {
                    f(ev);
                }
            }))
    }

    /// Records the ring had no room for, summed over CPUs.
    pub fn lost(&self) -> u64 {
        self.lost.sum()
    }
}
