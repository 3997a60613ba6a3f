//! Native-endian reads from the records BPF programs write. Out-of-range reads give 0:
//! a short record is a bug or a foreign record, never a reason to panic.

pub fn u16_at(b: &[u8], at: usize) -> u16 {
    b.get(at..at.saturating_add(2))
        .map(|s| u16::from_ne_bytes([s[0], s[1]]))
        .unwrap_or(0)
}

pub fn u32_at(b: &[u8], at: usize) -> u32 {
    b.get(at..at.saturating_add(4))
        .map(|s| u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
        .unwrap_or(0)
}

pub fn u64_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at.saturating_add(8))
        .map(|s| u64::from_ne_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_and_out_of_range() {
        let b = 0x0807_0605_0403_0201u64.to_ne_bytes();
        assert_eq!(u64_at(&b, 0), 0x0807_0605_0403_0201);
        assert_eq!(u32_at(&b, 4), 0x0807_0605);
        assert_eq!(u16_at(&b, 6), 0x0807);
        assert_eq!(u16_at(&b, 7), 0);
        assert_eq!(u64_at(&b, usize::MAX), 0);
    }
}
