//! Big-endian reads at fixed offsets, each `None` past the captured bytes: what a
//! printer walking a message field by field needs to stop where tcpdump stops.

/// The captured bytes of one message.
#[derive(Clone, Copy)]
pub struct Bytes<'a>(pub &'a [u8]);

impl<'a> Bytes<'a> {
    pub fn u8(self, at: usize) -> Option<u8> {
        self.0.get(at).copied()
    }

    pub fn be16(self, at: usize) -> Option<u16> {
        self.be(at, 2).map(|v| v as u16)
    }

    pub fn be32(self, at: usize) -> Option<u32> {
        self.be(at, 4).map(|v| v as u32)
    }

    /// The `n`-byte (at most 8) big-endian number at `at`.
    pub fn be(self, at: usize, n: usize) -> Option<u64> {
        let s = self.0.get(at..at.checked_add(n)?)?;
        Some(s.iter().fold(0u64, |v, &b| v << 8 | u64::from(b)))
    }

    /// The bytes from `at` on (empty past the end).
    pub fn from(self, at: usize) -> &'a [u8] {
        self.0.get(at..).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_end() {
        let b = Bytes(&[1, 2, 3, 4, 5, 6]);
        assert_eq!(b.u8(5), Some(6));
        assert_eq!(b.u8(6), None);
        assert_eq!(b.be16(4), Some(0x0506));
        assert_eq!(b.be16(5), None);
        assert_eq!(b.be32(0), Some(0x01020304));
        assert_eq!(b.be(0, 6), Some(0x010203040506));
        assert_eq!(b.be(1, 6), None);
        assert_eq!(b.be(usize::MAX, 2), None);
        assert_eq!(b.from(9), &[] as &[u8]);
    }
}
