//! PGM (IP protocol 113, RFC 3208): tcpdump's default line, the ports (with the
//! addresses when PGM follows the IP header directly) and `PGM, length N` from the
//! header's own length field.

use super::decode::{Addressing, be16};
use super::print::Addrs;
use super::text::TextOut;

const HEADER_LEN: usize = 16;
/// Offset of the header's length field (of the data after the header).
const LENGTH_AT: usize = 14;

/// Appends the text for a PGM packet whose captured bytes are `data`, inside a datagram
/// between `addrs`.
pub fn print(out: &mut Vec<u8>, data: &[u8], addressing: Addressing, addrs: Addrs) {
    let (Some(sport), Some(dport)) = (be16(data, 0), be16(data, 2)) else {
        addrs.pair(out, None);
        out.s(": [|pgm]");
        return;
    };
    match addressing {
        Addressing::WithAddresses => addrs.pair(out, Some((sport, dport))),
        Addressing::PortsOnly => {
            out.num(sport);
            out.s(" > ");
            out.num(dport);
        }
    }
    out.s(": ");
    match be16(data, LENGTH_AT).filter(|_| data.len() >= HEADER_LEN) {
        Some(length) => {
            out.s("PGM, length ");
            out.num(length);
        }
        None => out.s(" [|pgm]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRS: Addrs = Addrs::V4([10, 0, 0, 1], [239, 0, 0, 2]);

    fn text(data: &[u8], addressing: Addressing) -> String {
        let mut out = Vec::new();
        print(&mut out, data, addressing, ADDRS);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn ports_length_and_cut_short() {
        let mut p = [0u8; 16];
        p[..4].copy_from_slice(&[0x7e, 0x42, 0x01, 0xf4]);
        p[15] = 24;
        assert_eq!(
            text(&p, Addressing::WithAddresses),
            "10.0.0.1.32322 > 239.0.0.2.500: PGM, length 24"
        );
        assert_eq!(
            text(&p, Addressing::PortsOnly),
            "32322 > 500: PGM, length 24"
        );
        assert_eq!(
            text(&p[..15], Addressing::WithAddresses),
            "10.0.0.1.32322 > 239.0.0.2.500:  [|pgm]"
        );
        assert_eq!(
            text(&p[..3], Addressing::WithAddresses),
            "10.0.0.1 > 239.0.0.2: [|pgm]"
        );
    }
}
