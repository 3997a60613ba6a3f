//! DHCPv6 (UDP 546/547): tcpdump's default line, `dhcp6 solicit`, and with `-v` the
//! transaction id.

use super::decode::{App, Decoder};
use super::names;
use super::text::TextOut;

/// The message is printed whole on its UDP line.
pub(super) fn decode<'a>(_: &mut Decoder<'_, 'a>, data: &'a [u8], _len: u32) -> App<'a> {
    App::Dhcp6(data)
}

/// Appends the line for the captured message `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], verbose: u8) {
    out.s("dhcp6");
    let Some(h) = data.get(..4) else {
        out.s("[|dhcp6]");
        return;
    };
    out.s(" ");
    let kind = h[0];
    match names::dhcp6_message(kind) {
        Some(name) => out.s(name),
        None => {
            out.s("msgtype-");
            out.num(kind);
        }
    }
    // Relay messages carry no transaction id.
    if verbose > 0 && !matches!(kind, 12 | 13) {
        out.s(" (xid=");
        out.hex(u64::from(u32::from_be_bytes([0, h[1], h[2], h[3]])), 0);
        out.s(")");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], verbose: u8) -> String {
        let mut out = Vec::new();
        print(&mut out, data, verbose);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn message_type_and_transaction_id() {
        assert_eq!(line(&[1, 0x12, 0x34, 0x56], 0), "dhcp6 solicit");
        assert_eq!(
            line(&[1, 0x12, 0x34, 0x56], 1),
            "dhcp6 solicit (xid=123456)"
        );
        assert_eq!(line(&[12, 0, 0, 0], 1), "dhcp6 relay-fwd");
        assert_eq!(line(&[99, 0, 0, 0], 0), "dhcp6 msgtype-99");
        assert_eq!(line(&[1, 0], 0), "dhcp6[|dhcp6]");
    }
}
