//! Writing numbers and addresses into a byte buffer without going through `fmt` on the
//! per-packet path (the text output is measured against tcpdump; see bench/format.sh).

use std::io::Write as _;

pub(crate) const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

pub trait TextOut {
    fn s(&mut self, s: &str);
    fn num(&mut self, n: impl Decimal);
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

    /// The names of the bits set in `bits`, run together, or `none` when no named
    /// bit is set (the `Flags [SP.]` form).
    fn bit_letters(&mut self, bits: u8, names: &[(u8, &str)]) {
        let mut none = true;
        for &(bit, name) in names {
            if bits & bit != 0 {
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
    fn name_or_unknown(&mut self, name: Option<&str>, n: impl Decimal) {
        match name {
            Some(name) => self.s(name),
            None => {
                self.s("unknown (");
                self.num(n);
                self.s(")");
            }
        }
    }

    /// `n` in octal, no prefix (file modes: tcpdump's `%o`).
    fn octal(&mut self, n: u32) {
        let mut digits = [0u8; 11];
        let mut i = digits.len();
        let mut v = n;
        loop {
            i -= 1;
            digits[i] = b'0' + (v & 7) as u8;
            v >>= 3;
            if v == 0 {
                break;
            }
        }
        self.s(std::str::from_utf8(&digits[i..]).unwrap_or_default());
    }
}

impl TextOut for Vec<u8> {
    #[inline]
    fn s(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }

    #[inline]
    fn num(&mut self, n: impl Decimal) {
        n.write_decimal(self);
    }

    fn mac(&mut self, m: &[u8]) {
        if let Ok(m) = <&[u8; 6]>::try_from(m) {
            // `AA-BB-CC-DD-EE-F` packed in a register (see packed_digits), then the last
            // digit.
            let mut text = 0u128;
            for (i, &b) in m[..5].iter().enumerate() {
                let pair = u32::from(HEX_UPPER_PAIRS[usize::from(b)]) | u32::from(b'-') << 16;
                text |= u128::from(pair) << (24 * i);
            }
            text |= u128::from(HEX_UPPER[usize::from(m[5] >> 4)]) << 120;
            put_packed(self, text, 16);
            self.push(HEX_UPPER[usize::from(m[5] & 0x0F)]);
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
        // Each byte's text from a table, packed in a register (see packed_digits): no
        // divisions, no per-byte stores.
        let mut text = 0u128;
        let mut n = 0;
        for b in a {
            let (dotted, len) = OCTET_DOTTED[usize::from(b)];
            text |= u128::from(u32::from_le_bytes(dotted)) << (8 * n);
            n += usize::from(len);
        }
        // Without the last byte's dot.
        put_packed(self, text, n - 1);
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

/// Integers [`TextOut::num`] writes in decimal.
pub trait Decimal: Copy {
    fn write_decimal(self, out: &mut Vec<u8>);
}

macro_rules! unsigned_decimal {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            #[inline]
            fn write_decimal(self, out: &mut Vec<u8>) {
                decimal(out, self as u64);
            }
        }
    )*};
}
unsigned_decimal!(u8, u16, u32, u64, usize);

macro_rules! signed_decimal {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            #[inline]
            fn write_decimal(self, out: &mut Vec<u8>) {
                if self < 0 {
                    out.push(b'-');
                }
                decimal(out, self.unsigned_abs() as u64);
            }
        }
    )*};
}
signed_decimal!(i8, i16, i32, i64, isize);

macro_rules! wide_decimal {
    ($($t:ty),*) => {$(
        impl Decimal for $t {
            fn write_decimal(self, out: &mut Vec<u8>) {
                match i64::try_from(self) {
                    Ok(v) => v.write_decimal(out),
                    // Past 64 bits (nothing in a packet header is): through itoa.
                    Err(_) => out.extend_from_slice(itoa::Buffer::new().format(self).as_bytes()),
                }
            }
        }
    )*};
}
wide_decimal!(i128, u128);

/// Each byte value in decimal followed by a dot (`7.`, `192.`), and that text's length.
const OCTET_DOTTED: [([u8; 4], u8); 256] = {
    let mut t = [([0u8; 4], 0u8); 256];
    let mut b = 0;
    while b < 256 {
        let digits = [
            b'0' + (b / 100) as u8,
            b'0' + (b / 10 % 10) as u8,
            b'0' + (b % 10) as u8,
        ];
        let skip = if b >= 100 {
            0
        } else if b >= 10 {
            1
        } else {
            2
        };
        let mut i = 0;
        while skip + i < 3 {
            t[b].0[i] = digits[skip + i];
            i += 1;
        }
        t[b].0[i] = b'.';
        t[b].1 = (i + 1) as u8;
        b += 1;
    }
    t
};

/// `00` to `99`: each value's two digits as text packed little-endian (first digit in
/// the low byte).
const DIGIT_PAIRS: [u16; 100] = {
    let mut t = [0u16; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = u16::from_le_bytes([b'0' + (i / 10) as u8, b'0' + (i % 10) as u8]);
        i += 1;
    }
    t
};

/// Each byte in upper-case hex, packed as [`DIGIT_PAIRS`].
const HEX_UPPER_PAIRS: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = u16::from_le_bytes([HEX_UPPER[i >> 4], HEX_UPPER[i & 0x0F]]);
        i += 1;
    }
    t
};

/// Most digits [`packed_digits`] builds.
const PACKED_MAX: u64 = 10_000_000_000_000_000;

/// The last `width` (at most 16) decimal digits of `v`, zero-padded, as text packed
/// into a u128, first digit in the low byte. Built in registers: text built with byte
/// stores and then copied out with a wide load stalls the CPU on every number.
#[inline]
fn packed_digits(mut v: u64, width: usize) -> u128 {
    let mut text = 0u128;
    let mut left = width;
    while left >= 2 {
        text = (text << 16) | u128::from(DIGIT_PAIRS[(v % 100) as usize]);
        v /= 100;
        left -= 2;
    }
    if left == 1 {
        text = (text << 8) | u128::from(b'0' + (v % 10) as u8);
    }
    text
}

/// Appends the first `len` bytes of packed text: one 16-byte copy and a truncate (no
/// per-byte capacity checks, no variable-length memcpy call).
#[inline]
fn put_packed(out: &mut Vec<u8>, text: u128, len: usize) {
    let at = out.len();
    out.extend_from_slice(&text.to_le_bytes());
    out.truncate(at + len);
}

/// `v` in decimal (numbers are most of what a packet prints).
fn decimal(out: &mut Vec<u8>, v: u64) {
    if let Ok(v) = u32::try_from(v) {
        // All ten digits, then the leading zeros shifted out: no branch on the number's
        // length (those mispredict, numbers' lengths vary from one to the next).
        let digits = v.checked_ilog10().unwrap_or(0) as usize + 1;
        let text = packed_digits(u64::from(v), 10) >> (8 * (10 - digits));
        put_packed(out, text, digits);
        return;
    }
    if v >= PACKED_MAX {
        decimal(out, v / PACKED_MAX);
        put_packed(out, packed_digits(v % PACKED_MAX, 16), 16);
        return;
    }
    let digits = v.ilog10() as usize + 1;
    put_packed(out, packed_digits(v, digits), digits);
}

/// `v` in decimal with leading zeros to `width` digits (at most 16; `v` below
/// 10^`width`), e.g. a timestamp's nanoseconds.
pub fn zero_padded(out: &mut Vec<u8>, v: u64, width: usize) {
    put_packed(out, packed_digits(v, width.min(16)), width.min(16));
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
    fn decimals() {
        let mut o = Vec::new();
        for n in [
            0u64,
            7,
            10,
            99,
            100,
            101,
            999,
            1000,
            65535,
            4_294_967_295,
            9_999_999_999_999_999,
            10_000_000_000_000_000,
            10_000_000_000_000_123,
            u64::MAX,
        ] {
            o.num(n);
            o.s(" ");
        }
        o.num(-42i64);
        o.s(" ");
        o.num(i64::MIN);
        o.s(" ");
        o.num(u128::MAX);
        o.s(" ");
        o.num(-5i128);
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "0 7 10 99 100 101 999 1000 65535 4294967295 9999999999999999 10000000000000000 \
             10000000000000123 18446744073709551615 -42 -9223372036854775808 \
             340282366920938463463374607431768211455 -5"
        );
    }

    #[test]
    fn forms() {
        let mut o = Vec::new();
        o.mac(&[0x54, 0x8c, 0xa0, 0x98, 0x0e, 0x25]);
        o.s(" ");
        o.ipv4([192, 168, 0, 1]);
        o.s(" ");
        o.ipv4([255, 10, 99, 100]);
        o.s(" ");
        o.mac(&[0, 0xff, 0x10, 0x0a, 0xb0, 0x9c]);
        o.s(" ");
        zero_padded(&mut o, 1234, 9);
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
            "54-8C-A0-98-0E-25 192.168.0.1 255.10.99.100 00-FF-10-0A-B0-9C 000001234 fe80::59df:1ebf:95e6:52a5 08 abcdef a^AM-A"
        );
    }
}
