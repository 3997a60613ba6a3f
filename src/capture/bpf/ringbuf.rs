//! Consumer side of a `BPF_MAP_TYPE_RINGBUF`: the consumer position page (ours to write),
//! then the producer position page and the data area mapped twice in a row, so a record
//! that wraps around the end is still contiguous.

use super::sys::{Mmap, page_size};
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

const BUSY: u32 = 1 << 31;
const DISCARD: u32 = 1 << 30;
const HEADER: usize = 8;

pub struct RingBuf {
    // The map; the mappings keep it alive too, but own it explicitly.
    fd: OwnedFd,
    consumer: Mmap,
    producer: Mmap,
    size: usize,
}

impl RingBuf {
    /// Maps the ring of map `fd`, whose `max_entries` is `size` (a power-of-two number of
    /// pages).
    pub fn new(fd: OwnedFd, size: usize) -> io::Result<RingBuf> {
        let page = page_size();
        let consumer = Mmap::new(fd.as_raw_fd(), page, 0, true)?;
        let producer = Mmap::new(fd.as_raw_fd(), page + 2 * size, page, false)?;
        Ok(RingBuf {
            fd,
            consumer,
            producer,
            size,
        })
    }

    /// The map's descriptor, for `ld_map_fd` in programs.
    pub fn fd(&self) -> i32 {
        self.fd.as_raw_fd()
    }

    fn consumer_pos(&self) -> &AtomicU64 {
        // SAFETY: the first 8 bytes of the consumer page are the kernel's consumer_pos,
        // 8-aligned, and live as long as the mapping.
        unsafe { &*(self.consumer.ptr as *const AtomicU64) }
    }

    fn producer_pos(&self) -> &AtomicU64 {
        // SAFETY: as above, for the producer page.
        unsafe { &*(self.producer.ptr as *const AtomicU64) }
    }

    /// Waits until `deadline` for records, looking every `slice` (the programs never wake
    /// us: a wakeup per record costs about 3x the throughput), then hands every committed
    /// record to `f`; returns how many were read.
    pub fn drain_until(
        &mut self,
        deadline: std::time::Instant,
        slice: std::time::Duration,
        f: &mut dyn FnMut(&[u8]),
    ) -> usize {
        loop {
            let n = self.drain(usize::MAX, f);
            let now = std::time::Instant::now();
            if n > 0 || now >= deadline {
                return n;
            }
            std::thread::sleep(slice.min(deadline - now));
        }
    }

    /// Hands every committed record (at most `max`) to `f`; returns how many were read.
    pub fn drain(&mut self, max: usize, f: &mut dyn FnMut(&[u8])) -> usize {
        let page = page_size();
        let mask = self.size as u64 - 1;
        let mut cons = self.consumer_pos().load(Ordering::Acquire);
        let prod = self.producer_pos().load(Ordering::Acquire);
        let mut n = 0;
        while cons < prod && n < max {
            let at = page + (cons & mask) as usize;
            // SAFETY: `at` is inside the first copy of the data area and 8-aligned (records
            // are 8-aligned); the header is written by the kernel with release semantics.
            let len = unsafe { &*(self.producer.ptr.add(at) as *const AtomicU32) }
                .load(Ordering::Acquire);
            if len & BUSY != 0 {
                break; // reserved but not yet committed
            }
            let size = (len & !(BUSY | DISCARD)) as usize;
            if size + HEADER > self.size {
                break; // cannot happen with a sane kernel; never read out of bounds
            }
            if len & DISCARD == 0 {
                // SAFETY: the payload lies within the double mapping (at + 8 + size <=
                // page + 2 * ring size), and the kernel will not touch it until we advance
                // the consumer position.
                let payload =
                    unsafe { std::slice::from_raw_parts(self.producer.ptr.add(at + HEADER), size) };
                f(payload);
                n += 1;
            }
            cons += ((size + HEADER + 7) & !7) as u64;
            self.consumer_pos().store(cons, Ordering::Release);
        }
        n
    }
}
