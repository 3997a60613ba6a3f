//! RADIUS (UDP 1645/1812 and friends, RFC 2865/5176): tcpdump's default line,
//! `RADIUS, Access-Request (1), id: 0x4f length: 56`.

use super::decode::be16;
use super::text::TextOut;

/// Code, identifier, length and the 16-byte authenticator.
const HEADER: usize = 20;

fn code_name(code: u8) -> &'static str {
    match code {
        1 => "Access-Request",
        2 => "Access-Accept",
        3 => "Access-Reject",
        4 => "Accounting-Request",
        5 => "Accounting-Response",
        11 => "Access-Challenge",
        12 => "Status-Server",
        13 => "Status-Client",
        40 => "Disconnect-Request",
        41 => "Disconnect-ACK",
        42 => "Disconnect-NAK",
        43 => "CoA-Request",
        44 => "CoA-ACK",
        45 => "CoA-NAK",
        255 => "Reserved",
        _ => "Unknown Command",
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let Some(header) = data.get(..HEADER) else {
        out.s(" [|radius]");
        return;
    };
    let length = be16(header, 2).map_or(0, u32::from);
    if length < HEADER as u32 {
        out.s(" [|radius]");
        return;
    }
    out.s("RADIUS, ");
    out.s(code_name(header[0]));
    out.s(" (");
    out.num(header[0]);
    out.s("), id: 0x");
    out.hex(u64::from(header[1]), 2);
    out.s(" length: ");
    out.num(length.min(len));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    fn header(code: u8, id: u8, length: u16) -> Vec<u8> {
        let mut h = vec![code, id];
        h.extend_from_slice(&length.to_be_bytes());
        h.resize(HEADER, 0);
        h
    }

    #[test]
    fn code_id_length() {
        assert_eq!(
            line(&header(1, 0x4f, 56), 56),
            "RADIUS, Access-Request (1), id: 0x4f length: 56"
        );
        // The shorter of the field and the datagram.
        assert_eq!(
            line(&header(58, 0x6a, 300), 263),
            "RADIUS, Unknown Command (58), id: 0x6a length: 263"
        );
    }

    #[test]
    fn cut_short() {
        assert_eq!(line(&header(1, 1, 19), 19), " [|radius]");
        assert_eq!(line(&header(1, 1, 20)[..19], 20), " [|radius]");
    }
}
