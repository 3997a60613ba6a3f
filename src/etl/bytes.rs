//! Bounds-checked little-endian reads: every read of file data returns `None` instead of
//! panicking when the bytes are not there.

use std::fmt;

pub fn u8_at(b: &[u8], off: usize) -> Option<u8> {
    b.get(off).copied()
}

pub fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

pub fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

pub fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    let s = b.get(off..off.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

pub fn i32_at(b: &[u8], off: usize) -> Option<i32> {
    u32_at(b, off).map(|v| v as i32)
}

pub fn guid_at(b: &[u8], off: usize) -> Option<Guid> {
    let s = b.get(off..off.checked_add(16)?)?;
    let mut a = [0u8; 16];
    a.copy_from_slice(s);
    Some(Guid(a))
}

pub fn align8(x: usize) -> usize {
    x.saturating_add(7) & !7
}

/// A NUL-terminated UTF-16LE string starting at `off`; a missing terminator ends the string
/// at the end of `b`. Returns the text and the bytes consumed (terminator included).
pub fn utf16z_at(b: &[u8], off: usize) -> Option<(String, usize)> {
    let s = b.get(off..)?;
    let pairs = s.chunks_exact(2);
    let (len, terminated) = match pairs.clone().position(|p| p == [0, 0]) {
        Some(n) => (n, true),
        None => (s.len() / 2, false),
    };
    let body = &s[..2 * len];
    // ASCII fast path (every string pktmon writes): one allocation, no UTF-16 decoding.
    let text = if body.chunks_exact(2).all(|p| p[1] == 0 && p[0] < 0x80) {
        let ascii: Vec<u8> = body.chunks_exact(2).map(|p| p[0]).collect();
        // ASCII is UTF-8; the fallback cannot happen but costs nothing to keep honest.
        String::from_utf8(ascii)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    } else {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    // Without a terminator the string runs to the end (pktmon writes a last string
    // without one), odd trailing byte included in what is consumed.
    let used = if terminated { 2 * len + 2 } else { s.len() };
    Some((text, used))
}

/// A Windows GUID in its in-memory layout (u32, u16, u16 little-endian, then 8 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Guid(pub [u8; 16]);

impl Guid {
    pub const ZERO: Guid = Guid([0; 16]);

    pub const fn from_fields(d1: u32, d2: u16, d3: u16, d4: [u8; 8]) -> Guid {
        let a = d1.to_le_bytes();
        let b = d2.to_le_bytes();
        let c = d3.to_le_bytes();
        Guid([
            a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d4[0], d4[1], d4[2], d4[3], d4[4],
            d4[5], d4[6], d4[7],
        ])
    }

    pub fn is_zero(&self) -> bool {
        self.0 == [0; 16]
    }
}

impl fmt::Display for Guid {
    /// Lower case without braces: `4d4f80d9-c8bd-4d73-bb5b-19c90402c5ac`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = &self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            u32::from_le_bytes([g[0], g[1], g[2], g[3]]),
            u16::from_le_bytes([g[4], g[5]]),
            u16::from_le_bytes([g[6], g[7]]),
            g[8],
            g[9],
            g[10],
            g[11],
            g[12],
            g[13],
            g[14],
            g[15]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{self}}}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounded() {
        let b = [1u8, 2, 3];
        assert_eq!(u16_at(&b, 1), Some(0x0302));
        assert_eq!(u16_at(&b, 2), None);
        assert_eq!(u32_at(&b, 0), None);
        assert_eq!(u64_at(&b, usize::MAX), None);
        assert_eq!(align8(9), 16);
        assert_eq!(align8(16), 16);
    }

    #[test]
    fn guid_prints_like_windows() {
        let g = Guid::from_fields(
            0x4d4f80d9,
            0xc8bd,
            0x4d73,
            [0xbb, 0x5b, 0x19, 0xc9, 0x04, 0x02, 0xc5, 0xac],
        );
        assert_eq!(g.to_string(), "4d4f80d9-c8bd-4d73-bb5b-19c90402c5ac");
        assert_eq!(&g.0[..4], &[0xd9, 0x80, 0x4f, 0x4d]);
    }

    #[test]
    fn utf16_strings_with_and_without_terminator() {
        let b = [b'W', 0, b'S', 0, 0, 0, b'x', 0];
        assert_eq!(utf16z_at(&b, 0), Some(("WS".to_string(), 6)));
        assert_eq!(utf16z_at(&b, 6), Some(("x".to_string(), 2)));
        assert_eq!(utf16z_at(&b, 8), Some((String::new(), 0)));
        assert_eq!(utf16z_at(&b, 9), None);
    }
}
