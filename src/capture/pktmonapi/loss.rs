//! Packets the real-time stream lost, from what each data descriptor and event reports.
//!
//! What real callers observed (docs/spec/pktmonapi-fidelity.md §4, §7; Cipherazzi's
//! collector): `MissedPacketWriteCount` belongs to the descriptor it arrives with (packets
//! the driver could not write before this one), `MissedPacketReadCount` is cumulative per
//! stream, and a `ProcessInfo` warning (a packet over the buffer) is one discarded packet
//! that the missed-read count includes. So loss = the write counts added up, plus the
//! increase of the read count, or the ProcessInfo warnings where they are more (a DLL
//! that leaves them out of the read count still has them counted, never twice).

/// The stream's loss so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamLoss {
    written: u64,
    read: u64,
    last_read: u32,
    process_info: u64,
}

impl StreamLoss {
    /// One data descriptor's counters.
    pub fn descriptor(&mut self, missed_write: u32, missed_read: u32) {
        self.written += u64::from(missed_write);
        // A cumulative count only grows; a smaller one is a count that started again (or
        // a DLL that reports per descriptor after all): its whole value is new.
        self.read += if missed_read >= self.last_read {
            u64::from(missed_read - self.last_read)
        } else {
            u64::from(missed_read)
        };
        self.last_read = missed_read;
    }

    /// A ProcessInfo event: one packet did not fit the buffer.
    pub fn process_info(&mut self) {
        self.process_info += 1;
    }

    /// A descriptor the stream handed over that could not be read (it does not fit its
    /// own buffer): its packet is lost.
    pub fn unreadable(&mut self) {
        self.written += 1;
    }

    pub fn lost(&self) -> u64 {
        self.written + self.read.max(self.process_info)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(descriptors: &[(u32, u32)]) -> StreamLoss {
        let mut l = StreamLoss::default();
        for &(w, r) in descriptors {
            l.descriptor(w, r);
        }
        l
    }

    #[test]
    fn cumulative_read_counts_add_their_increase_and_writes_add_up() {
        // Reads as a running total: 0, 1, 1, 1, 3, 3 → 3 lost; writes 3 + 2 + 2.
        let l = run(&[(0, 0), (3, 1), (0, 1), (0, 1), (2, 3), (2, 3)]);
        assert_eq!(l.lost(), 7 + 3);
    }

    #[test]
    fn a_read_count_that_falls_starts_again() {
        // Per descriptor after all (1 then 0s, then 2): 3 lost, not a wrapped u32.
        assert_eq!(run(&[(0, 1), (0, 0), (0, 0), (0, 2)]).lost(), 3);
    }

    #[test]
    fn process_info_is_counted_once() {
        // Two warnings that the read count includes: 2 lost, not 4.
        let mut l = run(&[(0, 0)]);
        l.process_info();
        l.process_info();
        l.descriptor(0, 2);
        assert_eq!(l.lost(), 2);
        // Warnings the read count leaves out are still losses.
        let mut l = StreamLoss::default();
        for _ in 0..3 {
            l.process_info();
        }
        l.descriptor(1, 0);
        l.unreadable();
        assert_eq!(l.lost(), 1 + 1 + 3);
    }
}
