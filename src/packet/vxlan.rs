//! VXLAN: the header decode; the carried Ethernet frame is the next level.

use super::decode::{App, Decoder, Inner, MAX_LEVELS};

impl<'a> Decoder<'_, 'a> {
    pub(super) fn vxlan(&mut self, data: &'a [u8], len: u32) -> App<'a> {
        if len < 8 || data.len() < 8 {
            return App::VxlanTruncated;
        }
        let flags = data[0];
        let vni = u32::from_be_bytes([0, data[4], data[5], data[6]]);
        if self.depth + 1 < MAX_LEVELS {
            self.inner = Some(Inner::Ethernet(&data[8..], len - 8));
        }
        App::Vxlan { flags, vni }
    }
}
