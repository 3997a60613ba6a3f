//! Setting a tracer up in the kernel: the ring buffer (largest size the kernel grants), a
//! per-CPU loss counter, program load (with the verifier's reason on refusal) and attach.
//! Errors are worded for users (see [`SetupError`]).

use super::SetupError;
use super::asm::Insn;
use super::bytes::u64_at;
use super::ringbuf::RingBuf;
use super::{os_error, sys};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};

/// Creates and maps a ring buffer of the first size in `sizes` (largest first) that the
/// kernel accepts; ENOMEM moves on to the next size.
pub fn ring(name: &str, sizes: &[usize]) -> Result<RingBuf, SetupError> {
    let mut last_err = None;
    for &size in sizes {
        let Ok(bytes) = u32::try_from(size) else {
            continue;
        };
        match sys::map_create(sys::BPF_MAP_TYPE_RINGBUF, 0, 0, bytes, name) {
            Ok(fd) => {
                return RingBuf::new(fd, size).map_err(|e| {
                    SetupError::failed(format!("mmap of the BPF ring buffer: {}", os_error(&e)))
                });
            }
            Err(e) if e.raw_os_error() == Some(libc::ENOMEM) => last_err = Some(e),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                return Err(SetupError::failed(format!(
                    "bpf(BPF_MAP_CREATE ringbuf): {} (the BPF ring buffer needs Linux 5.8)",
                    os_error(&e)
                )));
            }
            Err(e) => return Err(SetupError::refused("bpf(BPF_MAP_CREATE)", &e)),
        }
    }
    let e = last_err.unwrap_or_else(|| io::Error::from_raw_os_error(libc::ENOMEM));
    Err(SetupError::refused("bpf(BPF_MAP_CREATE ringbuf)", &e))
}

/// A `BPF_MAP_TYPE_PERCPU_ARRAY` with one u64 slot, which programs bump when the ring has
/// no room (per CPU: no atomics in the program).
pub struct LossCounter {
    map: OwnedFd,
    possible_cpus: usize,
}

impl LossCounter {
    pub fn create(name: &str) -> Result<LossCounter, SetupError> {
        let map = sys::map_create(sys::BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, name)
            .map_err(|e| SetupError::refused("bpf(BPF_MAP_CREATE percpu)", &e))?;
        Ok(LossCounter {
            map,
            possible_cpus: sys::cpus("possible").len().max(1),
        })
    }

    pub fn fd(&self) -> i32 {
        self.map.as_raw_fd()
    }

    /// Records lost so far, summed over CPUs (0 when the map cannot be read).
    pub fn sum(&self) -> u64 {
        let mut values = vec![0u8; 8 * self.possible_cpus];
        if sys::map_lookup(self.map.as_raw_fd(), &0u32.to_ne_bytes(), &mut values).is_err() {
            return 0;
        }
        values.chunks_exact(8).map(|c| u64_at(c, 0)).sum()
    }
}

/// An LRU hash map of u64 keys and values (the kernel filter's followed buffers).
pub fn followed_map(name: &str, entries: u32) -> Result<OwnedFd, SetupError> {
    sys::map_create(sys::BPF_MAP_TYPE_LRU_HASH, 8, 8, entries, name)
        .map_err(|e| SetupError::refused("bpf(BPF_MAP_CREATE lru_hash)", &e))
}

/// The last lines of a verifier log (the reason is at the end).
pub fn log_tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(6)..].join(" | ")
}

/// Loads a raw-tracepoint program; a verifier refusal says why.
pub fn program(insns: &[Insn], name: &str) -> Result<OwnedFd, SetupError> {
    sys::prog_load_raw_tracepoint(insns, name).map_err(|e| {
        if e.log.is_empty() {
            SetupError::refused("bpf(BPF_PROG_LOAD)", &e.error)
        } else {
            SetupError::failed(format!(
                "bpf(BPF_PROG_LOAD): {}; verifier: {}",
                os_error(&e.error),
                log_tail(&e.log)
            ))
        }
    })
}

/// Attaches `prog` to raw tracepoint `tracepoint`; closing the result detaches it.
pub fn attach(tracepoint: &str, prog: &OwnedFd) -> Result<OwnedFd, SetupError> {
    sys::raw_tracepoint_open(tracepoint, prog.as_raw_fd())
        .map_err(|e| SetupError::refused(&format!("bpf(BPF_RAW_TRACEPOINT_OPEN {tracepoint})"), &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifier_log_tail_keeps_the_last_lines() {
        let log = (1..=10)
            .map(|i| format!("line {i}\n\n"))
            .collect::<String>();
        assert_eq!(
            log_tail(&log),
            "line 5 | line 6 | line 7 | line 8 | line 9 | line 10"
        );
        assert_eq!(log_tail(""), "");
    }
}
