//! 802.2 LLC and SNAP headers: the view, the decode and tcpdump's `-e` form
//! `LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: `.

use super::decode::{Decoder, LinePrinter, Net, Printed};
use super::dispatch;
use super::names;
use super::numbers::{llc_sap, oui, snap_pid};
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
        // What follows the LLC header ends at its length, captured or not (tcpdump cuts
        // the snapshot there).
        let data = &data[..data.len().min(len as usize)];
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
        let ui = control == 0x03;
        if !(dsap == 0xaa && ssap == 0xaa && ui) {
            let printer = (dsap == ssap && ui)
                .then(|| dispatch::llc_sap_printer(dsap))
                .flatten();
            return (Some(llc), printed(printer, rest, len));
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
        let rest = &rest[5..];
        let (net, named) = match llc.snap.map(|s| s.oui) {
            // These OUIs' protocol IDs are EtherTypes.
            Some(oui::ENCAP_ETHER | oui::CISCO_90) => (
                self.ether_payload(ether_type, rest, length),
                names::ether_type(ether_type).is_some(),
            ),
            Some(oui) => (
                printed(dispatch::snap_printer(oui, ether_type), rest, length),
                false,
            ),
            None => (Net::None, true),
        };
        // tcpdump dumps a frame whose SNAP protocol it does not know, from the LLC header
        // on (as for an unknown EtherType, a known one without a printer here stays blank).
        let net = match net {
            Net::None if !named => Net::Unknown(data),
            net => net,
        };
        (Some(llc), net)
    }
}

fn printed<'a>(printer: Option<LinePrinter>, data: &'a [u8], length: u32) -> Net<'a> {
    match printer {
        Some(print) => Net::Printed(Printed {
            print,
            data,
            length,
        }),
        None => Net::None,
    }
}

/// The name tcpdump gives a SNAP protocol ID under a non-Ethernet OUI.
fn pid_name(oui: u32, pid: u16) -> &'static str {
    match (oui, pid) {
        (oui::CISCO, snap_pid::CDP) => "CDP",
        (oui::CISCO, snap_pid::VTP) => "VTP",
        (oui::CISCO, snap_pid::DTP) => "DTP",
        (oui::CISCO, snap_pid::UDLD) => "UDLD",
        (oui::CISCO, snap_pid::PVST) => "PVST",
        (oui::CISCO, snap_pid::VLAN_BRIDGE) => "VLAN Bridge",
        (oui::RFC2684, snap_pid::BPDU) => "BPDU",
        (oui::APPLETALK, _) => wifi::snap_ether_type(pid),
        _ => "Unknown",
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
            self.out.s(match snap.oui {
                oui::ENCAP_ETHER | oui::CISCO_90 => wifi::snap_ether_type(snap.ether_type),
                oui => pid_name(oui, snap.ether_type),
            });
            self.out.s(" (0x");
            self.out.hex(u64::from(snap.ether_type), 4);
            self.out.s("), length ");
            self.out.num(snap.length);
            self.out.s(": ");
        }
    }
}
