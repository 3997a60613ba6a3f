//! Linux cooked captures (LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2): the decode.

use super::decode::{Decoder, Level, Link, Net};

impl<'a> Decoder<'_, 'a> {
    pub(super) fn sll(&mut self, data: &'a [u8], wire_len: u32, v2: bool) -> Level<'a> {
        let hdrlen = if v2 { 20 } else { 16 };
        if data.len() < hdrlen || (wire_len as usize) < hdrlen {
            return Level {
                link: Link::None,
                net: Net::Truncated(if v2 { "[|sll2]" } else { "[|sll]" }),
            };
        }
        let be16 = |at: usize| u16::from_be_bytes([data[at], data[at + 1]]);
        let (packet_type, halen, addr_at, protocol, interface) = if v2 {
            (
                u16::from(data[10]),
                data[11],
                12,
                be16(0),
                Some(u32::from_be_bytes([data[4], data[5], data[6], data[7]])),
            )
        } else {
            (be16(0), data[5], 6, be16(14), None)
        };
        let address = (halen == 6).then(|| {
            let mut a = [0u8; 6];
            a.copy_from_slice(&data[addr_at..addr_at + 6]);
            a
        });
        let rest = &data[hdrlen..];
        let len = wire_len - hdrlen as u32;
        let net = match protocol {
            // 802.2: an LLC header follows.
            0x0004 => self.llc(rest, len).1,
            p if p <= 1500 => Net::None,
            p => self.ether_payload(p, rest, len),
        };
        Level {
            link: Link::Sll {
                packet_type,
                address,
                protocol,
                interface,
                length: wire_len,
            },
            net,
        }
    }
}
