//! What the fuzz targets (fuzz/) and the stable-Rust stress driver (examples/etl_stress.rs)
//! run on each input, so both exercise exactly the same code.

use super::lz77;
use super::reader::EtlReader;

/// Reads `data` as an ETL file and touches everything a command would: every event's
/// line, record and fields, the rundown and the problems. Panics only on a broken
/// invariant (which is what the fuzzer looks for).
pub fn exercise_reader(data: &[u8]) -> usize {
    let Ok(r) = EtlReader::from_bytes(data.to_vec()) else {
        return 0;
    };
    let mut line = String::new();
    let mut n = 0;
    for ev in r.events() {
        line.clear();
        ev.write_line(&mut line);
        if let Some(rec) = ev.packet_record() {
            assert!(rec.data.len() <= usize::from(u16::MAX));
        }
        let (fields, _) = ev.fields();
        n += 1 + fields.len();
    }
    assert!(n >= r.event_count());
    for p in r.problems() {
        line.clear();
        line.push_str(&p.to_string());
    }
    n + r.rundown().components.len()
}

/// The first three bytes give the expected output size (16 bits used); the rest is a
/// compressed stream. The optimised decoder must agree with [`reference_lz77`] byte for
/// byte: same success, same output (on failure, the same bytes produced before it).
pub fn exercise_lz77(data: &[u8]) -> usize {
    let Some((head, stream)) = data.split_first_chunk::<3>() else {
        return 0;
    };
    // Capped at 64 KiB (the samples' buffers are up to 291 KB, but a 4 KB fuzz input rarely
    // expands further): larger sizes only cost allocation time, not coverage.
    let expected =
        (usize::from(head[0]) | usize::from(head[1]) << 8 | usize::from(head[2]) << 16) & 0xFFFF;
    let mut out = Vec::new();
    let result = lz77::decompress_into(stream, expected, &mut out);
    let (reference, ok) = reference_lz77(stream, expected);
    assert_eq!(result.is_ok(), ok, "decoders disagree on success");
    assert!(out == reference, "decoders disagree on the output");
    match result {
        Ok(()) => {
            assert_eq!(out.len(), expected);
            expected
        }
        Err(e) => {
            assert!(out.len() <= expected);
            assert!(e.input_offset <= stream.len());
            0
        }
    }
}

/// [MS-XCA] plain LZ77 decoding written as literally as possible, one byte at a time: the
/// oracle for the optimised decoder. Returns what was produced and whether exactly
/// `expected` bytes were.
pub fn reference_lz77(input: &[u8], expected: usize) -> (Vec<u8>, bool) {
    let mut out: Vec<u8> = Vec::new();
    let mut pos = 0;
    let mut flags = 0u32;
    let mut count = 0;
    let mut half = None;
    let byte = |pos: &mut usize| -> Option<usize> {
        let b = *input.get(*pos)?;
        *pos += 1;
        Some(usize::from(b))
    };
    while out.len() < expected {
        if count == 0 {
            let Some(w) = input.get(pos..pos + 4) else {
                return (out, false);
            };
            flags = u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
            pos += 4;
            count = 32;
        }
        count -= 1;
        if flags >> count & 1 == 0 {
            let Some(b) = byte(&mut pos) else {
                return (out, false);
            };
            out.push(b as u8);
            continue;
        }
        let (Some(lo), Some(hi)) = (byte(&mut pos), byte(&mut pos)) else {
            return (out, false);
        };
        let token = lo | hi << 8;
        let distance = (token >> 3) + 1;
        let mut length = token & 7;
        if length == 7 {
            length = match half.take() {
                None => {
                    half = Some(pos);
                    let Some(b) = byte(&mut pos) else {
                        return (out, false);
                    };
                    b & 15
                }
                Some(at) => usize::from(input[at]) >> 4,
            };
            if length == 15 {
                let Some(b) = byte(&mut pos) else {
                    return (out, false);
                };
                length = b;
                if length == 255 {
                    let (Some(a), Some(b)) = (byte(&mut pos), byte(&mut pos)) else {
                        return (out, false);
                    };
                    let mut n = a | b << 8;
                    if n == 0 {
                        let Some(w) = input.get(pos..pos + 4) else {
                            return (out, false);
                        };
                        n = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as usize;
                        pos += 4;
                    }
                    if n < 22 {
                        return (out, false);
                    }
                    length = n - 22;
                }
                length += 15;
            }
            length += 7;
        }
        length += 3;
        if distance > out.len() || length > expected - out.len() {
            return (out, false);
        }
        for _ in 0..length {
            out.push(out[out.len() - distance]);
        }
    }
    (out, true)
}
