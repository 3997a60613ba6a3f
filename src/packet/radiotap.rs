//! Radiotap (LINKTYPE_IEEE802_11_RADIO, 127): the radio header before an 802.11 frame,
//! printed field by field as tcpdump does (`10018922us tsft 1.0 Mb/s 2412 MHz 11b
//! -19dBm signal antenna 0 `), then the frame through the 802.11 decoder.
//!
//! All fields are little-endian and aligned to their own size from the header's start;
//! a field whose size is unknown stops the walk (`[bit 32] `), as in tcpdump.

use super::decode::{Decoder, Level};
use super::text::TextOut;

/// The fixed part: version, pad, length, first presence word.
const FIXED_LEN: usize = 8;

/// Presence bits that mean the same in every word: namespace switches and "another
/// presence word follows".
const BIT_RADIOTAP_NAMESPACE: u32 = 1 << 29;
const BIT_VENDOR_NAMESPACE: u32 = 1 << 30;
const BIT_EXT: u32 = 1 << 31;
const FIELD_BITS: u32 = BIT_RADIOTAP_NAMESPACE - 1;

/// Field numbers (bit numbers in the default namespace).
const MCS: u32 = 19;
const XCHANNEL: u32 = 18;

/// The Flags field's bits.
const F_CFP: u8 = 0x01;
const F_SHORTPRE: u8 = 0x02;
const F_WEP: u8 = 0x04;
const F_FRAG: u8 = 0x08;
const F_FCS: u8 = 0x10;
const F_DATAPAD: u8 = 0x20;
const F_BADFCS: u8 = 0x40;

/// A radiotap header whose length fits the captured bytes: `bytes` is the whole header.
#[derive(Clone, Copy, Debug)]
pub struct Radiotap<'a> {
    bytes: &'a [u8],
    /// Offset of the last presence word (the chain of extended words ends there).
    last_word: usize,
}

/// How the 802.11 frame after the header is laid out (from the Flags field).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Framing {
    /// Padding between the MAC header and the body, to a 4-byte boundary.
    pub pad: bool,
    /// The frame ends with a 4-byte FCS.
    pub fcs: bool,
}

/// Why a radiotap header cannot be walked at all; tcpdump prints only `[|802.11_radio]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cut;

/// The header of `data` and the bytes after it.
pub fn decode(data: &[u8]) -> Result<(Radiotap<'_>, &[u8]), Cut> {
    let fixed = data.get(..FIXED_LEN).ok_or(Cut)?;
    let len = usize::from(u16::from_le_bytes([fixed[2], fixed[3]]));
    if len < FIXED_LEN {
        return Err(Cut);
    }
    let bytes = data.get(..len).ok_or(Cut)?;
    let mut last_word = 4;
    while last_word + 4 <= len && le32(bytes, last_word) & BIT_EXT != 0 {
        last_word += 4;
    }
    if last_word + 4 > len {
        return Err(Cut);
    }
    Ok((Radiotap { bytes, last_word }, &data[len..]))
}

fn le32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4)
        .map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

impl<'a> Radiotap<'a> {
    pub fn fields(&self) -> Fields<'a> {
        Fields {
            bytes: self.bytes,
            next: self.last_word + 4,
            word_at: 4,
            last_word: self.last_word,
            remaining: le32(self.bytes, 4) & FIELD_BITS,
            present: le32(self.bytes, 4),
            bit0: 0,
            vendor: false,
            skip: 0,
            done: false,
        }
    }

    /// The framing the Flags field announces (none when it is absent).
    pub fn framing(&self) -> Framing {
        let flags = self
            .fields()
            .filter_map(|f| match f {
                Field::Flags(v) => Some(v),
                _ => None,
            })
            .last()
            .unwrap_or(0);
        Framing {
            pad: flags & F_DATAPAD != 0,
            fcs: flags & F_FCS != 0,
        }
    }
}

/// One radiotap field, in the order present.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Field {
    Tsft(u64),
    Flags(u8),
    Rate(u8),
    /// Channel or XChannel; `mcs` when the same presence word has the MCS field (the
    /// frame is 11n whatever the channel flags say).
    Channel {
        frequency: u16,
        flags: u32,
        mcs: bool,
    },
    Fhss(u8, u8),
    DbmSignal(i8),
    DbmNoise(i8),
    LockQuality(u16),
    TxAttenuation(i16),
    DbTxAttenuation(i8),
    DbmTxPower(i8),
    Antenna(u8),
    DbSignal(u8),
    DbNoise(u8),
    Mcs {
        known: u8,
        flags: u8,
        index: u8,
    },
    Vht {
        known: u16,
        flags: u8,
        bandwidth: u8,
        mcs_nss: [u8; 4],
        coding: u8,
    },
    /// A field tcpdump reads but does not print (RX flags, A-MPDU status).
    Silent,
    /// A field of unknown size: the walk ends.
    UnknownBit(u32),
    /// A field (or vendor namespace header) cut short by the header's length.
    Truncated,
}

/// The fields of a radiotap header, walking presence words and namespaces.
pub struct Fields<'a> {
    bytes: &'a [u8],
    /// Where the next field may start (before alignment).
    next: usize,
    word_at: usize,
    last_word: usize,
    /// Field bits of the current word not walked yet.
    remaining: u32,
    present: u32,
    /// Bit number of the current word's bit 0.
    bit0: u32,
    /// In a vendor namespace, whose fields are skipped.
    vendor: bool,
    skip: u16,
    done: bool,
}

impl Fields<'_> {
    /// `N` bytes aligned to `N` from the header's start.
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let at = self.next.checked_next_multiple_of(N)?;
        let b: [u8; N] = self.bytes.get(at..at + N)?.try_into().ok()?;
        self.next = at + N;
        Some(b)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take::<2>().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }

    /// The field of `bit`; `Ok(None)` for a field read but shown as nothing.
    fn field(&mut self, bit: u32) -> Result<Option<Field>, Field> {
        let cut = Field::Truncated;
        let f = match bit {
            0 => Field::Tsft(self.take::<8>().map(u64::from_le_bytes).ok_or(cut)?),
            1 => Field::Flags(self.u8().ok_or(cut)?),
            2 => Field::Rate(self.u8().ok_or(cut)?),
            3 => {
                let frequency = self.u16().ok_or(cut)?;
                let flags = self.u16().ok_or(cut)?;
                if self.present & (1 << XCHANNEL) != 0 {
                    return Ok(None);
                }
                Field::Channel {
                    frequency,
                    flags: u32::from(flags),
                    mcs: self.present & (1 << MCS) != 0,
                }
            }
            4 => Field::Fhss(self.u8().ok_or(cut)?, self.u8().ok_or(cut)?),
            5 => Field::DbmSignal(self.u8().ok_or(cut)? as i8),
            6 => Field::DbmNoise(self.u8().ok_or(cut)? as i8),
            7 => Field::LockQuality(self.u16().ok_or(cut)?),
            8 => Field::TxAttenuation(self.u16().ok_or(cut)? as i16),
            9 => Field::DbTxAttenuation(self.u8().ok_or(cut)? as i8),
            10 => Field::DbmTxPower(self.u8().ok_or(cut)? as i8),
            11 => Field::Antenna(self.u8().ok_or(cut)?),
            12 => Field::DbSignal(self.u8().ok_or(cut)?),
            13 => Field::DbNoise(self.u8().ok_or(cut)?),
            14 => {
                self.u16().ok_or(cut)?;
                Field::Silent
            }
            18 => {
                let flags = self.u32().ok_or(cut)?;
                let frequency = self.u16().ok_or(cut)?;
                self.u8().ok_or(cut)?; // channel number
                self.u8().ok_or(cut)?; // max power
                Field::Channel {
                    frequency,
                    flags,
                    mcs: self.present & (1 << MCS) != 0,
                }
            }
            19 => Field::Mcs {
                known: self.u8().ok_or(cut)?,
                flags: self.u8().ok_or(cut)?,
                index: self.u8().ok_or(cut)?,
            },
            20 => {
                self.u32().ok_or(cut)?;
                self.u16().ok_or(cut)?;
                self.u8().ok_or(cut)?;
                self.u8().ok_or(cut)?;
                Field::Silent
            }
            21 => {
                let known = self.u16().ok_or(cut)?;
                let flags = self.u8().ok_or(cut)?;
                let bandwidth = self.u8().ok_or(cut)?;
                let mut mcs_nss = [0u8; 4];
                for m in &mut mcs_nss {
                    *m = self.u8().ok_or(cut)?;
                }
                let coding = self.u8().ok_or(cut)?;
                self.u8().ok_or(cut)?; // group id
                self.u16().ok_or(cut)?; // partial AID
                Field::Vht {
                    known,
                    flags,
                    bandwidth,
                    mcs_nss,
                    coding,
                }
            }
            other => return Err(Field::UnknownBit(other)),
        };
        Ok(Some(f))
    }

    /// Acts on the namespace bits of the word just walked; `Some(Truncated)` when a
    /// vendor namespace header is cut short (the walk goes on).
    fn switch_namespace(&mut self) -> Option<Field> {
        match self.present & (BIT_RADIOTAP_NAMESPACE | BIT_VENDOR_NAMESPACE) {
            0 => self.bit0 += 32,
            BIT_RADIOTAP_NAMESPACE => {
                self.bit0 = 0;
                self.vendor = false;
                self.skip = 0;
            }
            BIT_VENDOR_NAMESPACE => {
                self.bit0 = 0;
                self.vendor = true;
                // OUI and sub-namespace (read unaligned once 2 aligned bytes fit), then
                // the length of the namespace's fields.
                let aligned = self.next.next_multiple_of(2);
                if aligned + 2 > self.bytes.len() {
                    return Some(Field::Truncated);
                }
                for _ in 0..4 {
                    if self.u8().is_none() {
                        return Some(Field::Truncated);
                    }
                }
                match self.u16() {
                    Some(skip) => self.skip = skip,
                    None => return Some(Field::Truncated),
                }
            }
            _ => {}
        }
        None
    }
}

impl Iterator for Fields<'_> {
    type Item = Field;

    fn next(&mut self) -> Option<Field> {
        loop {
            if self.done {
                return None;
            }
            if self.remaining != 0 {
                let bitno = self.remaining.trailing_zeros();
                self.remaining &= self.remaining - 1;
                match self.field(self.bit0 + bitno) {
                    Ok(Some(f)) => return Some(f),
                    Ok(None) => continue,
                    Err(stop) => {
                        self.done = true;
                        return Some(stop);
                    }
                }
            }
            // The current word is walked: switch namespaces, then the next word.
            let cut = self.switch_namespace();
            self.word_at += 4;
            if self.word_at > self.last_word {
                self.done = true;
            } else {
                self.present = le32(self.bytes, self.word_at);
                if self.vendor {
                    let skip = usize::from(self.skip);
                    if self.next + skip > self.bytes.len() {
                        self.done = true;
                    } else {
                        self.next += skip;
                        self.skip = 0;
                    }
                    self.remaining = 0;
                } else {
                    self.remaining = self.present & FIELD_BITS;
                }
            }
            if cut.is_some() {
                return cut;
            }
        }
    }
}

/// HT data rate in tenths of Mb/s of 802.11n MCS `index` (0..=76), as the standard's
/// table has it; `None` where it has no rate (MCS 32 at 20 MHz) or the index is past it.
fn ht_rate_tenths(index: u8, forty: bool, short_gi: bool) -> Option<u32> {
    // Data bits per OFDM symbol at 20 MHz, in units of 26 (MCS 0 = 1).
    const UNITS: [u8; 77] = [
        1, 2, 3, 4, 6, 8, 9, 10, // one stream
        2, 4, 6, 8, 12, 16, 18, 20, // two
        3, 6, 9, 12, 18, 24, 27, 30, // three
        4, 8, 12, 16, 24, 32, 36, 40, // four
        0,  // MCS 32: 40 MHz duplicate
        6, 8, 10, 9, 12, 15, // unequal modulation, two streams
        8, 10, 10, 12, 14, 14, 16, 12, 15, 15, 18, 21, 21, 24, // three
        10, 12, 14, 12, 14, 16, 18, 16, 18, 20, 20, 22, 15, 18, 21, 18, 21, 24, 27, 24, 27, 30, 30,
        33, // four
    ];
    if index == 32 {
        return forty.then_some(if short_gi { 67 } else { 60 });
    }
    let k = u32::from(*UNITS.get(usize::from(index))?);
    // 20 MHz: 6.5 Mb/s per unit, 40 MHz: 13.5; a short guard interval is 10/9 faster.
    Some(match (forty, short_gi) {
        (false, false) => 65 * k,
        (false, true) => (650 * k * 2 + 9) / 18,
        (true, false) => 135 * k,
        (true, true) => 150 * k,
    })
}

const HT_BANDWIDTH: [&str; 4] = ["20 MHz", "40 MHz", "20 MHz (L)", "20 MHz (U)"];

const VHT_BANDWIDTH: [&str; 32] = [
    "20 MHz",
    "40 MHz",
    "20 MHz (L)",
    "20 MHz (U)",
    "80 MHz",
    "80 MHz (L)",
    "80 MHz (U)",
    "80 MHz (LL)",
    "80 MHz (LU)",
    "80 MHz (UL)",
    "80 MHz (UU)",
    "160 MHz",
    "160 MHz (L)",
    "160 MHz (U)",
    "160 MHz (LL)",
    "160 MHz (LU)",
    "160 MHz (UL)",
    "160 MHz (UU)",
    "160 MHz (LLL)",
    "160 MHz (LLU)",
    "160 MHz (LUL)",
    // tcpdump's spelling of LUU.
    "160 MHz (UUU)",
    "160 MHz (ULL)",
    "160 MHz (ULU)",
    "160 MHz (UUL)",
    "160 MHz (UUU)",
    "unknown (26)",
    "unknown (27)",
    "unknown (28)",
    "unknown (29)",
    "unknown (30)",
    "unknown (31)",
];

fn tenths(out: &mut Vec<u8>, t: u32) {
    out.num(t / 10);
    out.s(".");
    out.num(t % 10);
}

fn channel(out: &mut Vec<u8>, frequency: u16, flags: u32, mcs: bool) {
    const TURBO: u32 = 0x10;
    const CCK: u32 = 0x20;
    const OFDM: u32 = 0x40;
    const GHZ2: u32 = 0x80;
    const GHZ5: u32 = 0x100;
    const DYN: u32 = 0x400;
    const GFSK: u32 = 0x800;
    const HALF: u32 = 0x4000;
    const QUARTER: u32 = 0x8000;
    let all = |bits: u32| flags & bits == bits;
    let width = |out: &mut Vec<u8>, name: &str| {
        out.s(name);
        if flags & HALF != 0 {
            out.s("/10Mhz");
        } else if flags & QUARTER != 0 {
            out.s("/5Mhz");
        }
    };
    out.num(frequency);
    out.s(" MHz");
    if mcs {
        out.s(" 11n");
    } else {
        if all(GHZ2 | GFSK) {
            out.s(" FHSS");
        }
        if all(GHZ5 | OFDM) {
            width(out, " 11a");
        }
        if all(GHZ2 | OFDM) || all(GHZ2 | DYN) {
            width(out, " 11g");
        } else if all(GHZ2 | CCK) {
            out.s(" 11b");
        }
        if flags & TURBO != 0 {
            out.s(" Turbo");
        }
    }
    if flags & 0x10000 != 0 {
        out.s(" ht/20");
    } else if flags & 0x40000 != 0 {
        out.s(" ht/40-");
    } else if flags & 0x20000 != 0 {
        out.s(" ht/40+");
    }
    out.s(" ");
}

fn guard_interval(out: &mut Vec<u8>, short: bool) {
    out.s(if short { "short GI " } else { "long GI " });
}

/// One field as tcpdump prints it (each ends with a space).
pub fn print_field(out: &mut Vec<u8>, f: &Field) {
    match *f {
        Field::Tsft(t) => {
            out.num(t);
            out.s("us tsft ");
        }
        Field::Flags(v) => {
            for (bit, name) in [
                (F_CFP, "cfp "),
                (F_SHORTPRE, "short preamble "),
                (F_WEP, "wep "),
                (F_FRAG, "fragmented "),
                (F_BADFCS, "bad-fcs "),
            ] {
                if v & bit != 0 {
                    out.s(name);
                }
            }
        }
        Field::Rate(r) if (0x80..=0x8f).contains(&r) => {
            out.s("MCS ");
            out.num(r & 0x7f);
            out.s(" ");
        }
        Field::Rate(r) => {
            tenths(out, u32::from(r) * 5);
            out.s(" Mb/s ");
        }
        Field::Channel {
            frequency,
            flags,
            mcs,
        } => channel(out, frequency, flags, mcs),
        Field::Fhss(set, pattern) => {
            out.s("fhset ");
            out.num(set);
            out.s(" fhpat ");
            out.num(pattern);
            out.s(" ");
        }
        Field::DbmSignal(v) => {
            out.num(v);
            out.s("dBm signal ");
        }
        Field::DbmNoise(v) => {
            out.num(v);
            out.s("dBm noise ");
        }
        Field::LockQuality(v) => {
            out.num(v);
            out.s(" sq ");
        }
        Field::TxAttenuation(v) => {
            out.num(-i32::from(v));
            out.s(" tx power ");
        }
        Field::DbTxAttenuation(v) => {
            out.num(-i32::from(v));
            out.s("dB tx attenuation ");
        }
        Field::DbmTxPower(v) => {
            out.num(v);
            out.s("dBm tx power ");
        }
        Field::Antenna(v) => {
            out.s("antenna ");
            out.num(v);
            out.s(" ");
        }
        Field::DbSignal(v) => {
            out.num(v);
            out.s("dB signal ");
        }
        Field::DbNoise(v) => {
            out.num(v);
            out.s("dB noise ");
        }
        Field::Mcs {
            known,
            flags,
            index,
        } => print_mcs(out, known, flags, index),
        Field::Vht {
            known,
            flags,
            bandwidth,
            mcs_nss,
            coding,
        } => {
            for (i, m) in mcs_nss.iter().enumerate() {
                if m & 0x0f == 0 {
                    continue;
                }
                out.s("User ");
                out.num(i);
                out.s(" MCS ");
                out.num(m >> 4);
                out.s(if coding & (1 << i) != 0 {
                    " LDPC FEC "
                } else {
                    " BCC FEC "
                });
            }
            if known & 0x0040 != 0 {
                out.s(VHT_BANDWIDTH[usize::from(bandwidth & 0x1f)]);
                out.s(" ");
            }
            if known & 0x0004 != 0 {
                guard_interval(out, flags & 0x04 != 0);
            }
        }
        Field::Silent => {}
        Field::UnknownBit(bit) => {
            out.s("[bit ");
            out.num(bit);
            out.s("] ");
        }
        Field::Truncated => out.s(" [|802.11_radio]"),
    }
}

fn print_mcs(out: &mut Vec<u8>, known: u8, flags: u8, index: u8) {
    const BANDWIDTH_KNOWN: u8 = 0x01;
    const INDEX_KNOWN: u8 = 0x02;
    const GI_KNOWN: u8 = 0x04;
    let short_gi = flags & 0x04 != 0;
    if known & INDEX_KNOWN != 0 {
        let rate = if known & (BANDWIDTH_KNOWN | GI_KNOWN) != 0 {
            ht_rate_tenths(index, flags & 0x03 == 1, short_gi).filter(|&r| r != 0)
        } else {
            None
        };
        if let Some(r) = rate {
            tenths(out, r);
            out.s(" Mb/s ");
        }
        out.s("MCS ");
        out.num(index);
        out.s(" ");
    }
    if known & BANDWIDTH_KNOWN != 0 {
        out.s(HT_BANDWIDTH[usize::from(flags & 0x03)]);
        out.s(" ");
    }
    if known & GI_KNOWN != 0 {
        guard_interval(out, short_gi);
    }
    if known & 0x08 != 0 {
        out.s(if flags & 0x08 != 0 {
            "greenfield "
        } else {
            "mixed "
        });
    }
    if known & 0x10 != 0 {
        out.s(if flags & 0x10 != 0 {
            "LDPC FEC "
        } else {
            "BCC FEC "
        });
    }
    if known & 0x20 != 0 {
        out.s("RX-STBC");
        out.num((flags & 0x60) >> 5);
        out.s(" ");
    }
}

/// Every field of the header, as tcpdump prints them.
pub fn print(out: &mut Vec<u8>, r: &Radiotap<'_>) {
    for f in r.fields() {
        print_field(out, &f);
    }
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn radiotap(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        match decode(data) {
            Err(Cut) => Level {
                link: super::decode::Link::None,
                net: super::decode::Net::Truncated(" [|802.11_radio]"),
            },
            Ok((radio, rest)) => {
                let len = wire_len.saturating_sub((data.len() - rest.len()) as u32);
                self.wifi_frame(rest, len, Some(radio))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(header: &[u8]) -> String {
        let (r, _) = decode(header).unwrap();
        let mut out = Vec::new();
        print(&mut out, &r);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fields_aligned_and_printed() {
        // TSFT, flags, rate, channel, dBm signal, dBm noise, antenna.
        let h = [
            0, 0, 26, 0, 0x6f, 0x08, 0, 0, //
            0x6a, 0xe0, 0x98, 0, 0, 0, 0, 0, // tsft 10018922
            0x10, 0x02, // flags (FCS), rate 1.0
            0x6c, 0x09, 0xa0, 0x00, // 2412 MHz, CCK 2 GHz
            0xed, 0xaa, // -19 dBm, -86 dBm
            0x00, 0x00, // antenna 0 (at offset 24), pad
        ];
        assert_eq!(
            text(&h),
            "10018922us tsft 1.0 Mb/s 2412 MHz 11b -19dBm signal -86dBm noise antenna 0 "
        );
        let (r, rest) = decode(&h).unwrap();
        assert!(rest.is_empty());
        assert_eq!(
            r.framing(),
            Framing {
                pad: false,
                fcs: true
            }
        );
    }

    #[test]
    fn extended_words_and_unknown_bit() {
        // Word 0: tsft + ext; word 1: bit 32 (unknown size) stops the walk. The tsft
        // is aligned to 8 from the header's start: 4 bytes of padding.
        let mut h = vec![0, 0, 24, 0, 0x01, 0, 0, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0];
        h.extend_from_slice(&7u64.to_le_bytes());
        assert_eq!(text(&h), "7us tsft [bit 32] ");
    }

    #[test]
    fn mcs_rates() {
        // Known: bandwidth, index, GI, STBC; 40 MHz, long GI, STBC 2, MCS 7.
        let h = [0, 0, 11, 0, 0, 0, 0x08, 0, 0x27, 0x41, 7];
        assert_eq!(text(&h), "135.0 Mb/s MCS 7 40 MHz long GI RX-STBC2 ");
        let h = [0, 0, 11, 0, 0, 0, 0x08, 0, 0x07, 0x04, 2];
        assert_eq!(text(&h), "21.7 Mb/s MCS 2 20 MHz short GI ");
        // Index alone: no rate.
        let h = [0, 0, 11, 0, 0, 0, 0x08, 0, 0x02, 0, 76];
        assert_eq!(text(&h), "MCS 76 ");
        assert_eq!(ht_rate_tenths(76, false, true), Some(2383));
        assert_eq!(ht_rate_tenths(32, false, false), None);
        assert_eq!(ht_rate_tenths(77, false, false), None);
    }

    #[test]
    fn cut_fields_and_headers() {
        // A channel field past the header's length.
        let h = [0, 0, 10, 0, 0x08, 0, 0, 0, 0x6c, 0x09];
        assert_eq!(text(&h), " [|802.11_radio]");
        assert_eq!(decode(&[0, 0, 7, 0, 0, 0, 0, 0]).err(), Some(Cut));
        assert_eq!(decode(&[0, 0, 12, 0, 0, 0, 0, 0]).err(), Some(Cut));
        // Extended presence words running past the header.
        assert_eq!(decode(&[0, 0, 8, 0, 0, 0, 0, 0x80]).err(), Some(Cut));
    }

    fn frame_text(frame: &[u8], wire: u32) -> String {
        let link = crate::packet::numbers::link_type::IEEE802_11_RADIO;
        crate::packet::text::frame_text(link, frame, wire)
    }

    #[test]
    fn frame_after_header_without_its_fcs() {
        // Flags (FCS at the end), rate 1.0; an ACK and its FCS.
        let mut f = vec![0, 0, 10, 0, 0x06, 0, 0, 0, 0x10, 0x02];
        f.extend_from_slice(&[0xd4, 0, 0, 0, 0x90, 0xa4, 0xde, 0xc0, 0x46, 0x0a]);
        f.extend_from_slice(&[1, 2, 3, 4]);
        assert_eq!(
            frame_text(&f, f.len() as u32),
            "1.0 Mb/s RA:90-A4-DE-C0-46-0A Acknowledgment\n"
        );
        // Fewer bytes than the FCS after the header.
        assert_eq!(frame_text(&f[..12], 12), "1.0 Mb/s  [|802.11]\n");
        assert_eq!(frame_text(&f[..6], 6), " [|802.11_radio]\n");
    }

    #[test]
    fn channel_forms() {
        let mut out = Vec::new();
        channel(&mut out, 5180, 0x140, false);
        channel(&mut out, 2437, 0x4c0, true);
        channel(&mut out, 2437, 0x44c0 | 0x10, false);
        assert_eq!(out, b"5180 MHz 11a 2437 MHz 11n 2437 MHz 11g/10Mhz Turbo ");
    }
}
