//! LZXpress "plain LZ77" decompression ([MS-XCA] §2.3/2.4), the compression of pktmon ETL
//! buffers.
//!
//! Written here rather than taken from `rust-lzxpress`: that crate rejects a valid pktmon
//! buffer (`MemLimit` on a small, highly compressible one), and the caller always knows the
//! exact output size from the buffer header, which lets this decoder allocate once, bound every
//! copy by it, and refuse anything that would produce more or less.

use std::fmt;

/// Why a stream could not be decompressed. `input_offset` is where in the compressed bytes
/// the problem was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lz77Error {
    pub input_offset: usize,
    pub kind: Lz77ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lz77ErrorKind {
    /// The input ended before `expected` bytes were produced.
    Short { produced: usize, expected: usize },
    /// A match would write past the expected size.
    TooLong { expected: usize },
    /// A match refers back further than the output produced so far.
    BadDistance { distance: usize, produced: usize },
    /// An extended match length below its encoding's minimum.
    BadLength,
}

impl fmt::Display for Lz77Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Lz77ErrorKind::Short { produced, expected } => write!(
                f,
                "compressed data ends at byte {} after {produced} of {expected} bytes",
                self.input_offset
            ),
            Lz77ErrorKind::TooLong { expected } => write!(
                f,
                "compressed data at byte {} expands beyond the expected {expected} bytes",
                self.input_offset
            ),
            Lz77ErrorKind::BadDistance { distance, produced } => write!(
                f,
                "match at byte {} refers {distance} bytes back but only {produced} were produced",
                self.input_offset
            ),
            Lz77ErrorKind::BadLength => {
                write!(f, "invalid match length at byte {}", self.input_offset)
            }
        }
    }
}

impl std::error::Error for Lz77Error {}

/// Decompresses `input` into exactly `expected_len` bytes.
pub fn decompress(input: &[u8], expected_len: usize) -> Result<Vec<u8>, Lz77Error> {
    let mut out = Vec::new();
    decompress_into(input, expected_len, &mut out)?;
    Ok(out)
}

/// Decompresses `input` into `out` (cleared first), which ends up exactly `expected_len`
/// bytes long. Allocates at most `expected_len` bytes. On error `out` holds what was produced.
pub fn decompress_into(
    input: &[u8],
    expected_len: usize,
    out: &mut Vec<u8>,
) -> Result<(), Lz77Error> {
    // Sized up front so the decoder writes by index (much faster than pushing byte by
    // byte). A fresh zeroed allocation comes from calloc: large ones are the kernel's zero
    // pages, not a memset pass over the whole buffer.
    if out.capacity() < expected_len {
        *out = vec![0; expected_len];
    } else {
        out.clear();
        out.resize(expected_len, 0);
    }
    let mut d = Decoder {
        input,
        pos: 0,
        out,
        len: 0,
    };
    let result = d.run();
    let produced = d.len;
    out.truncate(produced);
    result
}

struct Decoder<'a, 'o> {
    input: &'a [u8],
    pos: usize,
    /// Sized to the expected length; `len` bytes of it are produced.
    out: &'o mut [u8],
    len: usize,
}

impl Decoder<'_, '_> {
    fn err(&self, kind: Lz77ErrorKind) -> Lz77Error {
        Lz77Error {
            input_offset: self.pos,
            kind,
        }
    }

    fn short(&self) -> Lz77Error {
        self.err(Lz77ErrorKind::Short {
            produced: self.len,
            expected: self.out.len(),
        })
    }

    fn byte(&mut self) -> Result<u8, Lz77Error> {
        let b = *self.input.get(self.pos).ok_or_else(|| self.short())?;
        self.pos += 1;
        Ok(b)
    }

    fn u16(&mut self) -> Result<u16, Lz77Error> {
        let s = self
            .input
            .get(self.pos..self.pos + 2)
            .ok_or_else(|| self.short())?;
        self.pos += 2;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }

    fn u32(&mut self) -> Result<u32, Lz77Error> {
        let s = self
            .input
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.short())?;
        self.pos += 4;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    fn run(&mut self) -> Result<(), Lz77Error> {
        let expected = self.out.len();
        let mut flags: u32 = 0;
        let mut flag_count: u32 = 0;
        // Position of the byte whose high nibble the next length-7 match will use; 0 = none
        // (position 0 always holds a flag word, never a nibble).
        let mut half_byte_pos: usize = 0;
        while self.len < expected {
            if flag_count == 0 {
                flags = self.u32()?;
                flag_count = 32;
            }
            // A run of clear flag bits is a run of literals: copy them in one go.
            let pending = flags.checked_shl(32 - flag_count).unwrap_or(0);
            let literals = (pending.leading_zeros()).min(flag_count) as usize;
            if literals > 0 {
                let n = literals
                    .min(expected - self.len)
                    .min(self.input.len() - self.pos);
                if n <= 8 && self.len + 8 <= expected && self.pos + 8 <= self.input.len() {
                    // Fixed-size copy; bytes past `n` are overwritten by what follows.
                    self.out[self.len..self.len + 8]
                        .copy_from_slice(&self.input[self.pos..self.pos + 8]);
                } else {
                    self.out[self.len..self.len + n]
                        .copy_from_slice(&self.input[self.pos..self.pos + n]);
                }
                self.len += n;
                self.pos += n;
                flag_count -= n as u32;
                if n < literals && self.len < expected {
                    return Err(self.short());
                }
                continue;
            }
            flag_count -= 1;
            let token_at = self.pos;
            let token = self.u16()?;
            let distance = usize::from(token >> 3) + 1;
            let mut length = usize::from(token & 7);
            if length == 7 {
                if half_byte_pos == 0 {
                    half_byte_pos = self.pos;
                    length = usize::from(self.byte()? & 0x0F);
                } else {
                    // In range: it was read successfully when remembered.
                    length = usize::from(self.input[half_byte_pos] >> 4);
                    half_byte_pos = 0;
                }
                if length == 15 {
                    length = usize::from(self.byte()?);
                    if length == 255 {
                        let mut n = usize::from(self.u16()?);
                        if n == 0 {
                            n = self.u32()? as usize;
                        }
                        if n < 15 + 7 {
                            return Err(self.err(Lz77ErrorKind::BadLength));
                        }
                        length = n - (15 + 7);
                    }
                    length += 15;
                }
                length += 7;
            }
            length += 3;
            let produced = self.len;
            if distance > produced {
                self.pos = token_at;
                return Err(self.err(Lz77ErrorKind::BadDistance { distance, produced }));
            }
            if length > expected - produced {
                self.pos = token_at;
                return Err(self.err(Lz77ErrorKind::TooLong { expected }));
            }
            copy_match(self.out, produced, distance, length);
            self.len += length;
        }
        Ok(())
    }
}

/// Writes `length` bytes at `at`, copied from `distance` back; the source may overlap what
/// is being written (a run), which repeats the last `distance` bytes. The caller checked
/// that both ranges lie inside `out`.
fn copy_match(out: &mut [u8], at: usize, distance: usize, length: usize) {
    let start = at - distance;
    if length <= 16 && distance >= 16 && at + 16 <= out.len() {
        // Fixed-size copy (no memmove call); the bytes past `length` are overwritten by
        // what follows, or cut off with the rest on error.
        let (src, dst) = out.split_at_mut(at);
        dst[..16].copy_from_slice(&src[start..start + 16]);
    } else if length <= 16 {
        // Short matches are the common case: a byte loop beats a memmove call, and copying
        // forward byte by byte is exactly the overlapping semantics.
        for i in 0..length {
            out[at + i] = out[start + i];
        }
    } else if distance >= length {
        out.copy_within(start..start + length, at);
    } else if distance == 1 {
        let b = out[start];
        out[at..at + length].fill(b);
    } else {
        // Overlapping: each pass repeats the pattern written so far, doubling it.
        let mut done = 0;
        while done < length {
            let n = (at + done - start).min(length - done);
            out.copy_within(start..start + n, at + done);
            done += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal compressor used only to produce test streams: literals and matches found
    /// by a naive search, in the encoding the decoder reads.
    pub(crate) fn compress(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut flag_pos = 0usize;
        let mut flags: u32 = 0;
        let mut flag_count = 0u32;
        let mut half_byte_pos: Option<usize> = None;
        out.extend_from_slice(&[0, 0, 0, 0]);
        let mut i = 0;
        let push_flag = |out: &mut Vec<u8>,
                         flags: &mut u32,
                         flag_count: &mut u32,
                         flag_pos: &mut usize,
                         bit: u32| {
            if *flag_count == 32 {
                out[*flag_pos..*flag_pos + 4].copy_from_slice(&flags.to_le_bytes());
                *flag_pos = out.len();
                out.extend_from_slice(&[0, 0, 0, 0]);
                *flags = 0;
                *flag_count = 0;
            }
            *flags = (*flags << 1) | bit;
            *flag_count += 1;
        };
        while i < data.len() {
            let mut best = (0usize, 0usize);
            let lo = i.saturating_sub(8192);
            for j in lo..i {
                let mut l = 0;
                while i + l < data.len() && data[j + l] == data[i + l] {
                    l += 1;
                }
                if l > best.1 {
                    best = (i - j, l);
                }
            }
            if best.1 >= 3 {
                let (dist, len) = best;
                push_flag(&mut out, &mut flags, &mut flag_count, &mut flag_pos, 1);
                let l = len - 3;
                let tok_len = l.min(7) as u16;
                out.extend_from_slice(&((((dist - 1) as u16) << 3) | tok_len).to_le_bytes());
                if l >= 7 {
                    let l2 = l - 7;
                    let nib = l2.min(15) as u8;
                    match half_byte_pos.take() {
                        None => {
                            half_byte_pos = Some(out.len());
                            out.push(nib);
                        }
                        Some(p) => out[p] |= nib << 4,
                    }
                    if l2 >= 15 {
                        let l3 = l2 - 15;
                        if l3 < 255 {
                            out.push(l3 as u8);
                        } else {
                            out.push(255);
                            let n = l + 3 - 3;
                            if n <= 0xFFFF {
                                out.extend_from_slice(&(n as u16).to_le_bytes());
                            } else {
                                out.extend_from_slice(&0u16.to_le_bytes());
                                out.extend_from_slice(&(n as u32).to_le_bytes());
                            }
                        }
                    }
                }
                i += len;
            } else {
                push_flag(&mut out, &mut flags, &mut flag_count, &mut flag_pos, 0);
                out.push(data[i]);
                i += 1;
            }
        }
        // Pad the last flag word with set bits: a set bit with no input left ends the stream.
        let pad = 32 - flag_count;
        flags = ((u64::from(flags) << pad) | ((1u64 << pad) - 1)) as u32;
        out[flag_pos..flag_pos + 4].copy_from_slice(&flags.to_le_bytes());
        out
    }

    #[test]
    fn round_trips_literals_runs_and_long_matches() {
        let mut cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            b"abcabcabcabcabcabcabc".to_vec(),
            vec![0u8; 9],
            vec![0u8; 10 + 15],
            vec![7u8; 300],
            vec![1u8; 70_000],
            vec![2u8; 5_000_000],
        ];
        let mut pseudo = Vec::new();
        let mut x: u32 = 12345;
        for _ in 0..20_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            pseudo.push(b"ab cd\0\0\xff"[(x >> 16) as usize % 8]);
        }
        cases.push(pseudo);
        for data in cases {
            let c = compress(&data);
            let d = decompress(&c, data.len()).expect("decompress");
            assert_eq!(d, data, "round trip of {} bytes", data.len());
        }
    }

    #[test]
    fn second_length_seven_match_uses_high_nibble() {
        // Two matches each needing an extra nibble: the second must reuse the first's byte.
        let mut s = b"abc".to_vec();
        s.extend(std::iter::repeat_n(b'a', 20)); // match len 20 -> nibble
        s.extend_from_slice(b"q");
        s.extend(std::iter::repeat_n(b'a', 25)); // another long match -> high nibble
        let c = compress(&s);
        assert_eq!(decompress(&c, s.len()).unwrap(), s);
    }

    #[test]
    fn agrees_with_the_byte_at_a_time_reference_on_mutated_streams() {
        use crate::etl::fuzzing::reference_lz77;
        let mut data = Vec::new();
        let mut x: u32 = 7;
        for i in 0..30_000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let b = if (x >> 20).is_multiple_of(3) {
                (i % 251) as u8
            } else {
                b"pktmon\0\0\xff"[(x >> 16) as usize % 9]
            };
            data.push(b);
        }
        let good = compress(&data);
        for round in 0..1000u32 {
            let mut s = good.clone();
            x = x.wrapping_mul(1_103_515_245).wrapping_add(round);
            let at = (x as usize >> 8) % s.len();
            s[at] ^= 1 << (x % 8);
            if round % 3 == 0 {
                s.truncate((x as usize >> 4) % s.len());
            }
            let want = if round % 5 == 0 {
                data.len() - 7
            } else {
                data.len()
            };
            let mut out = Vec::new();
            let ok = decompress_into(&s, want, &mut out).is_ok();
            let (reference, reference_ok) = reference_lz77(&s, want);
            assert_eq!(ok, reference_ok, "round {round}");
            assert!(out == reference, "round {round}: outputs differ");
        }
    }

    #[test]
    fn rejects_distance_before_start() {
        // Flag word: first item is a match; token distance 1 with nothing produced yet.
        let input = [0, 0, 0, 0x80, 0x00, 0x00];
        let e = decompress(&input, 3).unwrap_err();
        assert!(matches!(e.kind, Lz77ErrorKind::BadDistance { .. }), "{e}");
        assert_eq!(e.input_offset, 4);
    }

    #[test]
    fn rejects_output_longer_than_expected() {
        let c = compress(&[5u8; 100]);
        let e = decompress(&c, 50).unwrap_err();
        assert!(matches!(e.kind, Lz77ErrorKind::TooLong { .. }), "{e}");
    }

    #[test]
    fn rejects_output_shorter_than_expected() {
        let c = compress(b"hello world");
        let e = decompress(&c, 12).unwrap_err();
        assert!(
            matches!(
                e.kind,
                Lz77ErrorKind::Short {
                    produced: 11,
                    expected: 12
                }
            ),
            "{e}"
        );
        for cut in 0..c.len() {
            assert!(decompress(&c[..cut], 11).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn rejects_too_small_extended_length() {
        // Literal 'a', then a match with length code 7, nibble 15, byte 255, u16 5 (< 22).
        let flags: u32 = 0b01 << 30;
        let mut input = flags.to_le_bytes().to_vec();
        input.push(b'a');
        input.extend_from_slice(&7u16.to_le_bytes());
        input.extend_from_slice(&[0x0F, 0xFF, 5, 0]);
        let e = decompress(&input, 1000).unwrap_err();
        assert_eq!(e.kind, Lz77ErrorKind::BadLength);
    }

    #[test]
    fn huge_declared_length_is_bounded_by_expected_size() {
        // u32 length 0xFFFF_FFFF must not be attempted.
        let flags: u32 = 0b01 << 30;
        let mut input = flags.to_le_bytes().to_vec();
        input.push(b'a');
        input.extend_from_slice(&7u16.to_le_bytes());
        input.extend_from_slice(&[0x0F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        let e = decompress(&input, 4096).unwrap_err();
        assert!(matches!(e.kind, Lz77ErrorKind::TooLong { .. }), "{e}");
    }
}
