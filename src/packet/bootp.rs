//! BOOTP/DHCP (UDP 67/68, RFC 951/2131): tcpdump's default line,
//! `BOOTP/DHCP, Request from 00:0c:29:1f:74:06, length 300`.

use super::text::TextOut;

const REQUEST: u8 = 1;
/// Offset of the client hardware address.
const CHADDR_AT: usize = 28;

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("BOOTP/DHCP, ");
    let Some(&op) = data.first() else {
        out.s(" [|bootp]");
        return;
    };
    match op {
        REQUEST => out.s("Request"),
        2 => out.s("Reply"),
        _ => {
            out.s("unknown (0x");
            out.hex(u64::from(op), 2);
            out.s(")");
        }
    }
    let (Some(&htype), Some(&hlen)) = (data.get(1), data.get(2)) else {
        out.s(" [|bootp]");
        return;
    };
    // An Ethernet client's request names the client.
    if htype == 1 && hlen == 6 && op == REQUEST {
        let Some(chaddr) = data.get(CHADDR_AT..CHADDR_AT + 6) else {
            out.s(" [|bootp]");
            return;
        };
        out.s(" from ");
        out.mac(chaddr);
    }
    out.s(", length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn request_names_the_client() {
        let mut m = vec![0u8; 40];
        m[..3].copy_from_slice(&[1, 1, 6]);
        m[CHADDR_AT..CHADDR_AT + 6].copy_from_slice(&[0, 0x0c, 0x29, 0x1f, 0x74, 6]);
        assert_eq!(
            line(&m, 300),
            "BOOTP/DHCP, Request from 00-0C-29-1F-74-06, length 300"
        );
    }

    #[test]
    fn reply_and_unknown() {
        assert_eq!(line(&[2, 1, 6], 256), "BOOTP/DHCP, Reply, length 256");
        assert_eq!(line(&[7, 1, 6], 9), "BOOTP/DHCP, unknown (0x07), length 9");
    }

    #[test]
    fn cut_short() {
        assert_eq!(line(&[], 0), "BOOTP/DHCP,  [|bootp]");
        assert_eq!(line(&[1, 1, 6, 0], 300), "BOOTP/DHCP, Request [|bootp]");
    }
}
