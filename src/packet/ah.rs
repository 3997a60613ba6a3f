//! The IP Authentication Header (RFC 4302): tcpdump's `AH(spi=0x..,seq=0x..,icv=0x..): `
//! before what it protects.

use super::decode::{be16, be32};
use super::text::TextOut;

/// Fixed part: next header, length, reserved, SPI, sequence number.
const FIXED_LEN: usize = 12;

/// The header's length in bytes from its length field (32-bit words, minus 2).
pub fn header_len(ah: &[u8]) -> Option<usize> {
    ah.get(1).map(|&l| (usize::from(l) + 2) * 4)
}

/// Appends the text for the captured bytes `ah` from the header's start; where they end
/// before the header does, tcpdump's ` [|ah]`.
pub fn print(out: &mut Vec<u8>, ah: &[u8]) {
    if ah.is_empty() {
        out.s(" [|ah]");
        return;
    }
    out.s("AH");
    if fields(out, ah).is_none() {
        out.s(" [|ah]");
    }
}

fn fields(out: &mut Vec<u8>, ah: &[u8]) -> Option<()> {
    let len = header_len(ah)?;
    out.s("(");
    let reserved = be16(ah, 2)?;
    if reserved != 0 {
        out.s("reserved=0x");
        out.hex(u64::from(reserved), 0);
        out.s("[MustBeZero],");
    }
    // Each field is read before its label is printed, as tcpdump does.
    let spi = be32(ah, 4)?;
    out.s("spi=0x");
    out.hex(u64::from(spi), 8);
    let seq = be32(ah, 8)?;
    out.s(",seq=0x");
    out.hex(u64::from(seq), 0);
    out.s(",icv=0x");
    for at in FIXED_LEN..len {
        out.hex(u64::from(*ah.get(at)?), 2);
    }
    out.s("): ");
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(ah: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, ah);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn header_and_cut_short() {
        let ah = [
            89, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0x25, 0x5a, 0xf6, 0xd6, 0x58, 1, 2, 3, 4,
        ];
        assert_eq!(header_len(&ah), Some(24));
        assert_eq!(
            text(&ah),
            "AH(spi=0x00000100,seq=0x25,icv=0x5af6d65801020304 [|ah]"
        );
        let mut whole = ah.to_vec();
        whole.extend_from_slice(&[5, 6, 7, 8]);
        whole[3] = 1;
        assert_eq!(
            text(&whole),
            "AH(reserved=0x1[MustBeZero],spi=0x00000100,seq=0x25,icv=0x5af6d6580102030405060708): "
        );
        assert_eq!(text(&ah[..6]), "AH( [|ah]");
        assert_eq!(text(&[]), " [|ah]");
    }
}
