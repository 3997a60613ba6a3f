//! IP Payload Compression (RFC 3173): tcpdump's `IPComp(cpi=0x1234)`; the compressed
//! payload is not decompressed, so nothing follows.

use super::decode::be16;
use super::text::TextOut;

/// Appends the line for the captured header bytes `data` (the wire length is unused).
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    // The Compression Parameter Index follows the next-header and flags bytes.
    let Some(cpi) = be16(data, 2) else {
        out.s(" [|ipcomp]");
        return;
    };
    out.s("IPComp(cpi=0x");
    out.hex(u64::from(cpi), 4);
    out.s(")");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8]) -> String {
        crate::packet::text::printed(print, data, 8)
    }

    #[test]
    fn index_or_cut_short() {
        assert_eq!(text(&[4, 0, 0x12, 0x3a, 0xff]), "IPComp(cpi=0x123a)");
        assert_eq!(text(&[4, 0, 0x12]), " [|ipcomp]");
    }
}
