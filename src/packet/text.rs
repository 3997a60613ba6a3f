//! Writing numbers and addresses into a byte buffer without going through `fmt` on the
//! per-packet path (the text output is measured against tcpdump; see bench/format.sh).

use std::io::Write as _;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

pub trait TextOut {
    fn s(&mut self, s: &str);
    fn num(&mut self, n: impl itoa::Integer);
    /// `AA-BB-CC-DD-EE-FF`: pktmon's MAC form.
    fn mac(&mut self, m: &[u8]);
    fn ipv4(&mut self, a: [u8; 4]);
    fn ipv6(&mut self, a: [u8; 16]);
    /// Lower-case hex, `width` digits at least (0 = no padding).
    fn hex(&mut self, n: u64, width: usize);

    /// The names of the bits set in `bits`, `, `-separated, or `none` (tcpdump's
    /// `bittok2str`).
    fn bit_names(&mut self, bits: u16, names: &[(u16, &str)]) {
        let mut none = true;
        for &(bit, name) in names {
            if bits & bit != 0 {
                if !none {
                    self.s(", ");
                }
                self.s(name);
                none = false;
            }
        }
        if none {
            self.s("none");
        }
    }

    /// A value's name, or `unknown (N)` when it has none (tcpdump's `tok2str` with
    /// `unknown (%u)`).
    fn name_or_unknown(&mut self, name: Option<&str>, n: impl itoa::Integer) {
        match name {
            Some(name) => self.s(name),
            None => {
                self.s("unknown (");
                self.num(n);
                self.s(")");
            }
        }
    }
}

impl TextOut for Vec<u8> {
    #[inline]
    fn s(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }

    #[inline]
    fn num(&mut self, n: impl itoa::Integer) {
        let mut b = itoa::Buffer::new();
        // Byte pushes: a variable-length copy would be a memcpy call per number.
        push_bytes(self, b.format(n).as_bytes());
    }

    fn mac(&mut self, m: &[u8]) {
        if let Ok(m) = <&[u8; 6]>::try_from(m) {
            // Fixed size: the copy compiles to a few moves.
            let mut t = [b'-'; 17];
            for (i, b) in m.iter().enumerate() {
                t[3 * i] = HEX_UPPER[usize::from(b >> 4)];
                t[3 * i + 1] = HEX_UPPER[usize::from(b & 0x0F)];
            }
            self.extend_from_slice(&t);
            return;
        }
        for (i, b) in m.iter().enumerate() {
            if i > 0 {
                self.push(b'-');
            }
            self.push(HEX_UPPER[usize::from(b >> 4)]);
            self.push(HEX_UPPER[usize::from(b & 0x0F)]);
        }
    }

    fn ipv4(&mut self, a: [u8; 4]) {
        // Into a fixed buffer, then one fixed-size copy and a truncate: no per-byte
        // capacity checks, no variable-length memcpy call.
        let mut t = [0u8; 16];
        let mut n = 0;
        for (i, &b) in a.iter().enumerate() {
            if i > 0 {
                t[n] = b'.';
                n += 1;
            }
            if b >= 100 {
                t[n] = b'0' + b / 100;
                n += 1;
            }
            if b >= 10 {
                t[n] = b'0' + b / 10 % 10;
                n += 1;
            }
            t[n] = b'0' + b % 10;
            n += 1;
        }
        let len = self.len();
        self.extend_from_slice(&t);
        self.truncate(len + n);
    }

    fn ipv6(&mut self, a: [u8; 16]) {
        // std prints RFC 5952 form, as tcpdump's addrtostr6 does.
        let _ = write!(self, "{}", std::net::Ipv6Addr::from(a));
    }

    fn hex(&mut self, n: u64, width: usize) {
        let mut digits = [0u8; 16];
        let mut i = 16;
        let mut v = n;
        loop {
            i -= 1;
            digits[i] = HEX_LOWER[(v & 0xF) as usize];
            v >>= 4;
            if v == 0 {
                break;
            }
        }
        for _ in (16 - i)..width {
            self.push(b'0');
        }
        push_bytes(self, &digits[i..]);
    }
}

#[inline]
fn push_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len());
    for &b in bytes {
        out.push(b);
    }
}

/// Prints bytes as tcpdump's `fn_printn` does: printable ASCII as is, others escaped
/// (`M-` for the high bit, `^` for control characters).
pub fn printn(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        let mut c = b;
        if !c.is_ascii() {
            c &= 0x7F;
            out.extend_from_slice(b"M-");
        }
        if !(0x20..0x7F).contains(&c) {
            c ^= 0x40;
            out.push(b'^');
        }
        out.push(c);
    }
}

/// tcpdump's `unsigned_relts_print`: seconds as `1y2w3d4h5m6s`, zero as `0s`.
pub fn relative_seconds(out: &mut Vec<u8>, mut secs: u32) {
    if secs == 0 {
        out.s("0s");
        return;
    }
    for (unit, name) in [
        (31_536_000u32, "y"),
        (604_800, "w"),
        (86_400, "d"),
        (3_600, "h"),
        (60, "m"),
        (1, "s"),
    ] {
        if secs >= unit {
            out.num(secs / unit);
            out.s(name);
            secs %= unit;
        }
    }
}

/// The lines pktmon prints for a frame of `link` (for the golden tests of each link
/// layer's file).
#[cfg(test)]
pub(crate) fn frame_text(link: crate::record::LinkType, frame: &[u8], wire: u32) -> String {
    let d = super::decode(link, frame, wire, &Default::default());
    let mut out = Vec::new();
    super::print_lines(
        &mut out,
        &d,
        &Default::default(),
        b"",
        &mut Default::default(),
    );
    String::from_utf8(out).expect("printers write UTF-8")
}

/// The text a protocol's printer gives for `data` of wire length `len` (for the golden
/// tests of each protocol file).
#[cfg(test)]
pub(crate) fn printed(print: super::decode::LinePrinter, data: &[u8], len: u32) -> String {
    let mut out = Vec::new();
    print(&mut out, data, len);
    String::from_utf8(out).expect("printers write UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_seconds_forms() {
        let mut o = Vec::new();
        for secs in [0, 976, 31_536_000 + 604_800 + 61] {
            relative_seconds(&mut o, secs);
            o.s(" ");
        }
        assert_eq!(String::from_utf8(o).unwrap(), "0s 16m16s 1y1w1m1s ");
    }

    #[test]
    fn forms() {
        let mut o = Vec::new();
        o.mac(&[0x54, 0x8c, 0xa0, 0x98, 0x0e, 0x25]);
        o.s(" ");
        o.ipv4([192, 168, 0, 1]);
        o.s(" ");
        o.ipv6([
            0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x59, 0xdf, 0x1e, 0xbf, 0x95, 0xe6, 0x52, 0xa5,
        ]);
        o.s(" ");
        o.hex(0x8, 2);
        o.s(" ");
        o.hex(0xABCDEF, 0);
        o.s(" ");
        printn(&mut o, b"a\x01\xc1");
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "54-8C-A0-98-0E-25 192.168.0.1 fe80::59df:1ebf:95e6:52a5 08 abcdef a^AM-A"
        );
    }
}
