//! 802.2 LLC and SNAP headers: the view, the decode and tcpdump's `-e` form
//! `LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: `.

use super::decode::{Decoder, Net};
use super::numbers::llc_sap;
use super::print::Printer;
use super::text::TextOut;
use super::wifi::{self};

/// An 802.2 LLC header, and SNAP when it carries one.
#[derive(Clone, Copy, Debug)]
pub struct Llc {
    pub dsap_field: u8,
    pub ssap_field: u8,
    pub control: u16,
    /// Unnumbered format (one control byte).
    pub unnumbered: bool,
    pub snap: Option<Snap>,
}

#[derive(Clone, Copy, Debug)]
pub struct Snap {
    pub oui: u32,
    pub ether_type: u16,
    /// Wire length after the SNAP header.
    pub length: u32,
}

impl<'a> Decoder<'_, 'a> {
    /// An 802.2 LLC header (and SNAP) and what follows it.
    pub(super) fn llc(&mut self, data: &'a [u8], len: u32) -> (Option<Llc>, Net<'a>) {
        if data.len() < 3 || len < 3 {
            return (None, Net::Truncated("[|llc]"));
        }
        let unnumbered = data[2] & 3 == 3;
        let (control, hdrlen) = if unnumbered {
            (u16::from(data[2]), 3usize)
        } else {
            if data.len() < 4 || len < 4 {
                return (None, Net::Truncated("[|llc]"));
            }
            (u16::from_le_bytes([data[2], data[3]]), 4)
        };
        if data[0] == llc_sap::GLOBAL && data[1] == llc_sap::GLOBAL {
            return (None, Self::headerless_8023_payload(data, len));
        }
        let mut llc = Llc {
            dsap_field: data[0],
            ssap_field: data[1],
            control,
            unnumbered,
            snap: None,
        };
        let (dsap, ssap) = (data[0] & !1, data[1] & !1);
        let rest = &data[hdrlen..];
        let len = len - hdrlen as u32;
        if dsap == ssap && control == 0x03 && dsap != 0xaa {
            return (Some(llc), Self::llc_sap_payload(dsap, rest, len));
        }
        if !(dsap == 0xaa && ssap == 0xaa && control == 0x03) {
            return (Some(llc), Net::None);
        }
        let Some(s) = rest.get(0..5) else {
            return (Some(llc), Net::Truncated("[|snap]"));
        };
        let ether_type = u16::from_be_bytes([s[3], s[4]]);
        let length = len.saturating_sub(5);
        llc.snap = Some(Snap {
            oui: u32::from_be_bytes([0, s[0], s[1], s[2]]),
            ether_type,
            length,
        });
        (
            Some(llc),
            self.ether_payload(ether_type, &rest[5..], length),
        )
    }
}

impl Printer<'_> {
    /// `LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: ` and
    /// `oui Ethernet (0x000000), ethertype IPv4 (0x0800), length 40: ` (tcpdump -e only).
    pub(super) fn llc(&mut self, llc: &Llc) {
        if !self.eflag() {
            return;
        }
        let (dsap, ssap) = (llc.dsap_field & !1, llc.ssap_field & !1);
        self.out.s("LLC, dsap ");
        self.out.s(wifi::sap_name(dsap));
        self.out.s(" (0x");
        self.out.hex(u64::from(dsap), 2);
        self.out.s(if llc.dsap_field & 1 != 0 {
            ") Group, ssap "
        } else {
            ") Individual, ssap "
        });
        self.out.s(wifi::sap_name(ssap));
        self.out.s(" (0x");
        self.out.hex(u64::from(ssap), 2);
        self.out.s(if llc.ssap_field & 1 != 0 {
            ") Response, ctrl 0x"
        } else {
            ") Command, ctrl 0x"
        });
        self.out
            .hex(u64::from(llc.control), if llc.unnumbered { 2 } else { 4 });
        self.out.s(": ");
        if let Some(snap) = &llc.snap {
            self.out.s("oui ");
            self.out.s(wifi::oui_name(snap.oui));
            self.out.s(" (0x");
            self.out.hex(u64::from(snap.oui), 6);
            self.out.s(if snap.oui == 0 {
                "), ethertype "
            } else {
                "), pid "
            });
            self.out.s(if snap.oui == 0 {
                wifi::snap_ether_type(snap.ether_type)
            } else {
                "Unknown"
            });
            self.out.s(" (0x");
            self.out.hex(u64::from(snap.ether_type), 4);
            self.out.s("), length ");
            self.out.num(snap.length);
            self.out.s(": ");
        }
    }
}
