//! Cisco HDLC (LINKTYPE_C_HDLC, 104): the header view, its decode and tcpdump's `-e` form
//! `bcast, ethertype IPv4 (0x0800), length 24: `.

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::names;
use super::numbers::ether_type;
use super::text::TextOut;

pub const HEADER_LEN: usize = 4;
/// OSI packets (an NLPID follows).
const ISO: u16 = 0xfefe;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChdlcHeader {
    pub address: u8,
    /// An EtherType.
    pub protocol: u16,
    pub length: u32,
}

/// The header of `data` and the bytes after it; `None` when cut short.
pub fn decode(data: &[u8], wire_len: u32) -> Option<(ChdlcHeader, &[u8])> {
    let h = data.get(..HEADER_LEN)?;
    Some((
        ChdlcHeader {
            address: h[0],
            protocol: u16::from_be_bytes([h[2], h[3]]),
            length: wire_len,
        },
        &data[HEADER_LEN..],
    ))
}

pub fn print(out: &mut Vec<u8>, h: &ChdlcHeader) {
    match h.address {
        0x0f => out.s("unicast"),
        0x8f => out.s("bcast"),
        a => {
            out.s("0x");
            out.hex(u64::from(a), 2);
        }
    }
    out.s(", ethertype ");
    out.s(names::ether_type(h.protocol).unwrap_or("Unknown"));
    out.s(" (0x");
    out.hex(u64::from(h.protocol), 4);
    out.s("), length ");
    out.num(h.length);
    out.s(": ");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn chdlc(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let Some((header, rest)) = super::chdlc::decode(data, wire_len) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|chdlc]"),
            };
        };
        let len = wire_len.saturating_sub(super::chdlc::HEADER_LEN as u32);
        let net = match header.protocol {
            ether_type::IPV4 | ether_type::IPV6 => self.ether_payload(header.protocol, rest, len),
            // Cisco HDLC's 0x8035 is SLARP, not RARP.
            ether_type::RARP => Net::Printed(Printed {
                print: super::slarp::print,
                data: rest,
                length: len,
            }),
            // OSI, with the "fudge" byte some senders put before the NLPID.
            ISO => Net::Printed(Printed {
                print: super::osi::print_chdlc,
                data: rest,
                length: len,
            }),
            _ => Net::None,
        };
        Level {
            link: Link::Chdlc(header),
            net,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_line() {
        let (h, rest) = decode(&[0x8f, 0x00, 0x80, 0x35, 1], 24).unwrap();
        assert_eq!(rest, &[1]);
        let mut out = Vec::new();
        print(&mut out, &h);
        assert_eq!(out, b"bcast, ethertype Reverse ARP (0x8035), length 24: ");
        assert!(decode(&[0x0f, 0, 8], 3).is_none());
    }
}
