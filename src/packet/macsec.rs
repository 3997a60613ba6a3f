//! IEEE 802.1AE MACsec SecTAG (EtherType 0x88e5): the view, its decode and tcpdump's -e
//! form `an 0, pn 68, flags I, sci 2eb73f3995c30001, `, after which an unencrypted frame
//! goes on with its own type field.

use super::cursor::Bytes;
use super::text::TextOut;

const TCI_VERSION: u8 = 0x80;
const TCI_SC: u8 = 0x20;
/// Encrypted (E) or changed text (C): the payload cannot be decoded.
const TCI_CONFIDENTIAL: u8 = 0x08 | 0x04;
const TCI_FLAGS: u8 = 0x7c;
const SHORT_LENGTH_MASK: u8 = 0x3f;
const LEN_WITHOUT_SCI: usize = 6;
const LEN_WITH_SCI: usize = 14;
const ICV_LEN: u32 = 16;

/// tcpdump prints these names run together (`ECI`).
const FLAGS: [(u8, &str); 5] = [
    (0x08, "E"),
    (0x04, "C"),
    (0x40, "S"),
    (0x10, "B"),
    (TCI_SC, "I"),
];

#[derive(Clone, Copy, Debug)]
pub struct SecTag {
    pub tci_an: u8,
    pub packet_number: u32,
    pub short_length: u8,
    pub sci: Option<u64>,
    /// The type field after the SecTAG of an unencrypted frame.
    pub inner_type: Option<u16>,
}

/// What follows an Ethernet header whose type is MACsec.
pub enum Decoded<'a> {
    /// tcpdump prints only this mark (a cut-short or invalid SecTAG).
    Stop(&'static str),
    /// The SecTAG, then the secure data cut short.
    Cut(SecTag),
    /// The SecTAG and the encrypted rest, which tcpdump dumps in hex.
    Encrypted(SecTag, &'a [u8]),
    /// The SecTAG and the secure data (without the ICV), captured bytes and wire length.
    Clear(SecTag, &'a [u8], u32),
}

/// The SecTAG at the start of `data` (wire length `len`) and what follows it.
pub fn decode(data: &[u8], len: u32) -> Decoded<'_> {
    let b = Bytes(data);
    let truncated = Decoded::Stop(" [|macsec]");
    let Some(tci_an) = b
        .u8(0)
        .filter(|_| data.len() >= LEN_WITHOUT_SCI && len >= 6)
    else {
        return truncated;
    };
    let tag_len = if tci_an & TCI_SC != 0 {
        LEN_WITH_SCI
    } else {
        LEN_WITHOUT_SCI
    };
    if data.len() < tag_len || (len as usize) < tag_len {
        return truncated;
    }
    let short_length = data[1];
    if short_length & !SHORT_LENGTH_MASK != 0 || tci_an & TCI_VERSION != 0 {
        return Decoded::Stop(" (invalid)");
    }
    let tag = SecTag {
        tci_an,
        packet_number: b.be32(2).unwrap_or(0),
        short_length,
        sci: (tag_len == LEN_WITH_SCI).then(|| b.be(6, 8).unwrap_or(0)),
        inner_type: None,
    };
    let rest = &data[tag_len..];
    let len = len - tag_len as u32;
    if tci_an & TCI_CONFIDENTIAL != 0 {
        return Decoded::Encrypted(tag, rest);
    }
    let (Some(mut len), Some(mut captured)) = (
        len.checked_sub(ICV_LEN),
        (rest.len() as u32).checked_sub(ICV_LEN),
    ) else {
        return Decoded::Cut(tag);
    };
    let short = u32::from(short_length);
    if short != 0 {
        if short > len || short > captured {
            return Decoded::Cut(tag);
        }
        len = len.min(short);
        captured = captured.min(short);
    }
    Decoded::Clear(tag, &rest[..captured as usize], len)
}

/// `an 0, pn 68, flags I, sl 34, sci 2eb73f3995c30001, `.
pub fn print(out: &mut Vec<u8>, tag: &SecTag) {
    out.s("an ");
    out.num(tag.tci_an & 0x03);
    out.s(", pn ");
    out.num(tag.packet_number);
    out.s(", flags ");
    let flags = tag.tci_an & TCI_FLAGS;
    out.bit_letters(flags, &FLAGS);
    if tag.short_length != 0 {
        out.s(", sl ");
        out.num(tag.short_length);
    }
    if let Some(sci) = tag.sci {
        out.s(", sci ");
        out.hex(sci, 16);
    }
    out.s(", ");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag_text(tag: &SecTag) -> String {
        let mut out = Vec::new();
        print(&mut out, tag);
        String::from_utf8(out).unwrap()
    }

    fn frame(tci_an: u8, short_length: u8, payload: usize) -> Vec<u8> {
        let mut f = vec![tci_an, short_length, 0, 0, 0, 68];
        f.extend_from_slice(&[0x2e, 0xb7, 0x3f, 0x39, 0x95, 0xc3, 0x00, 0x01]);
        f.resize(14 + payload + 16, 0xee);
        f
    }

    #[test]
    fn clear_and_encrypted() {
        let f = frame(0x20, 0, 10);
        let Decoded::Clear(tag, data, len) = decode(&f, f.len() as u32) else {
            panic!("not clear");
        };
        assert_eq!((data.len(), len), (10, 10));
        assert_eq!(
            tag_text(&tag),
            "an 0, pn 68, flags I, sci 2eb73f3995c30001, "
        );
        let f = frame(0x2c, 0, 10);
        let Decoded::Encrypted(tag, data) = decode(&f, f.len() as u32) else {
            panic!("not encrypted");
        };
        assert_eq!(data.len(), 26);
        assert_eq!(
            tag_text(&tag),
            "an 0, pn 68, flags ECI, sci 2eb73f3995c30001, "
        );
        let f = frame(0x21, 4, 10);
        let Decoded::Clear(tag, data, len) = decode(&f, f.len() as u32) else {
            panic!("not clear");
        };
        assert_eq!((data.len(), len), (4, 4));
        assert!(tag_text(&tag).starts_with("an 1, pn 68, flags I, sl 4, sci"));
    }

    #[test]
    fn stops() {
        let stop = |d: &[u8], len: u32| match decode(d, len) {
            Decoded::Stop(t) => t,
            Decoded::Cut(_) => "cut",
            _ => "decoded",
        };
        let f = frame(0x20, 0, 10);
        assert_eq!(stop(&f[..13], 40), " [|macsec]");
        assert_eq!(stop(&f[..5], 40), " [|macsec]");
        assert_eq!(stop(&frame(0x20, 0x40, 10), 40), " (invalid)");
        assert_eq!(stop(&frame(0xa0, 0, 10), 40), " (invalid)");
        assert_eq!(stop(&f[..20], 20), "cut");
        assert_eq!(stop(&frame(0x20, 30, 10), 40), "cut");
    }
}
