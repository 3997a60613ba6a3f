//! OLSR (UDP 698, RFC 3626): tcpdump's default line, `OLSRv4, seq 0xce93, length 72`
//! (the version is the IP version carrying it).

use super::decode::be16;
use super::text::TextOut;

/// Packet length and sequence number.
const HEADER: usize = 4;

/// Appends the line for a packet over IPv4.
pub fn print_v4(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print(out, data, len, "OLSRv4");
}

/// Appends the line for a packet over IPv6.
pub fn print_v6(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print(out, data, len, "OLSRv6");
}

fn print(out: &mut Vec<u8>, data: &[u8], len: u32, name: &str) {
    out.s(name);
    let (Some(packet_len), Some(seq)) = (be16(data, 0), be16(data, 2)) else {
        out.s(" [|olsr]");
        return;
    };
    if len < HEADER as u32 {
        out.s(" [|olsr]");
        return;
    }
    out.s(", seq 0x");
    out.hex(u64::from(seq), 4);
    out.s(", length ");
    out.num(len.min(u32::from(packet_len)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header() {
        let mut out = Vec::new();
        print_v4(&mut out, &[0, 72, 0xce, 0x93], 80);
        out.s(" | ");
        print_v6(&mut out, &[0x10, 0, 2, 1], 5393);
        out.s(" | ");
        print_v4(&mut out, &[0, 72, 0xce], 80);
        out.s(" | ");
        print_v4(&mut out, &[0, 72, 0xce, 0x93], 3);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "OLSRv4, seq 0xce93, length 72 | OLSRv6, seq 0x0201, length 4096 | \
             OLSRv4 [|olsr] | OLSRv4 [|olsr]"
        );
    }
}
