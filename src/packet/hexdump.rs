//! tcpdump's default print of bytes it has no printer for: continuation lines of
//! `0x0000:  4508 0034 ...  E..4` (16 bytes a line, offset, hex pairs, ASCII).

use super::text::TextOut;

const PER_LINE: usize = 16;
/// Width of the hex part: ` xxxx` for each pair of bytes.
const HEX_WIDTH: usize = PER_LINE / 2 * 5;

/// Appends each line as `\n`, `line_start`, then the dump of up to 16 bytes.
pub fn hex_and_ascii(out: &mut Vec<u8>, bytes: &[u8], line_start: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for (i, chunk) in bytes.chunks(PER_LINE).enumerate() {
        out.push(b'\n');
        out.extend_from_slice(line_start);
        out.s("0x");
        out.hex((i * PER_LINE) as u64, 4);
        out.s(": ");
        let start = out.len();
        for pair in chunk.chunks(2) {
            out.push(b' ');
            for &b in pair {
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 15)]);
            }
        }
        let width = out.len() - start;
        out.resize(out.len() + (HEX_WIDTH - width) + 2, b' ');
        out.extend(
            chunk
                .iter()
                // Graphic characters only: tcpdump prints a space as `.` too.
                .map(|&c| if (0x21..0x7f).contains(&c) { c } else { b'.' }),
        );
    }
}

/// tcpdump's `hex_print`: each line of up to 16 bytes is `ident`, the offset, then the
/// bytes as ` xxxx` pairs (no ASCII column).
pub fn hex_only(out: &mut Vec<u8>, bytes: &[u8], ident: &str) {
    for (i, chunk) in bytes.chunks(PER_LINE).enumerate() {
        out.s(ident);
        out.s("0x");
        out.hex((i * PER_LINE) as u64, 4);
        out.s(": ");
        for pair in chunk.chunks(2) {
            out.s(" ");
            for &b in pair {
                out.hex(u64::from(b), 2);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_tcpdump_prints_them() {
        let mut out = Vec::new();
        let bytes: Vec<u8> = (0x3a..0x3a + 19).collect();
        hex_and_ascii(&mut out, &bytes, b"\t");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\n\t0x0000:  3a3b 3c3d 3e3f 4041 4243 4445 4647 4849  :;<=>?@ABCDEFGHI\
             \n\t0x0010:  4a4b 4c                                  JKL"
        );
        let mut out = Vec::new();
        hex_and_ascii(&mut out, b"a b", b"\t");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\n\t0x0000:  6120 62                                  a.b"
        );
        let mut out = Vec::new();
        hex_and_ascii(&mut out, &[], b"\t");
        assert!(out.is_empty());
    }

    #[test]
    fn hex_only_lines() {
        let mut out = Vec::new();
        let bytes: Vec<u8> = (0..17).collect();
        hex_only(&mut out, &bytes, "\n\t[");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\n\t[0x0000:  0001 0203 0405 0607 0809 0a0b 0c0d 0e0f\n\t[0x0010:  10"
        );
    }
}
