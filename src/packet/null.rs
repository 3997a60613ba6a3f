//! BSD loopback (LINKTYPE_NULL): the address family and what it carries.

use super::decode::{Decoder, Level, Link, Net};

impl<'a> Decoder<'_, 'a> {
    pub(super) fn null(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let Some(b) = data.get(0..4) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|null]"),
            };
        };
        // The family is in the capturing host's byte order; small values tell which.
        let le = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let family = if le & 0xFFFF_0000 != 0 {
            u32::from_be_bytes([b[0], b[1], b[2], b[3]])
        } else {
            le
        };
        let (rest, len) = (&data[4..], wire_len.saturating_sub(4));
        let net = match family {
            2 => Net::Ipv4(self.ipv4(rest, len)),
            10 | 24 | 28 | 30 => Net::Ipv6(self.ipv6(rest, len)),
            _ => Net::None,
        };
        Level {
            link: Link::Null {
                family,
                length: wire_len,
            },
            net,
        }
    }
}
