//! RPKI-RTR (TCP 323, RFC 6810/8210): without `-v` tcpdump only names the protocol,
//! `, RPKI-RTR`, right after TCP's `length N`.

use super::text::TextOut;

pub const PORT: u16 = 323;

/// Appends the text for a payload of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, _data: &[u8], _len: u32) {
    out.s(", RPKI-RTR");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_protocol_whatever_the_pdu() {
        let reset_query = [2, 2, 0, 0, 0, 0, 0, 8];
        assert_eq!(
            crate::packet::text::printed(print, &reset_query, 8),
            ", RPKI-RTR"
        );
        assert_eq!(crate::packet::text::printed(print, &[], 22), ", RPKI-RTR");
    }
}
