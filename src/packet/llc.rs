//! 802.2 LLC and SNAP headers: the view, the decode and tcpdump's `-e` form
//! `LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: `, and for a
//! frame no protocol printer takes, its kind: `Information, send seq 0, rcv seq 26,
//! Flags [Command], length 52` and the frame in hex.

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
            return (None, printed(Some(print_cut), data, len));
        }
        let unnumbered = data[2] & 3 == 3;
        let (control, hdrlen) = if unnumbered {
            (u16::from(data[2]), 3usize)
        } else {
            if data.len() < 4 || len < 4 {
                return (None, printed(Some(print_cut), data, len));
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
        let frame = data;
        let frame_len = len;
        let rest = &data[hdrlen..];
        let len = len - hdrlen as u32;
        let ui = control == UI;
        if !(dsap == 0xaa && ssap == 0xaa && ui) {
            let printer = (dsap == ssap && ui)
                .then(|| dispatch::llc_sap_printer(dsap))
                .flatten();
            let net = match printer {
                Some(print) => printed(Some(print), rest, len),
                // tcpdump has printers of its own for these (IP, NetBEUI).
                None if carried_elsewhere(dsap, ssap, control) => Net::None,
                None => printed(Some(print_frame), frame, frame_len),
            };
            return (Some(llc), net);
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

/// Unnumbered information, the control field of frames that carry a protocol.
const UI: u16 = 0x03;
/// The poll/final bit of a one-byte (unnumbered) control field.
const U_POLL: u16 = 0x10;
/// The poll/final bit of a two-byte (information, supervisory) control field.
const IS_POLL: u16 = 0x100;
const XID: u16 = 0xaf;
/// The first byte of an XID frame's IEEE 802.2 information field.
const XID_FORMAT: u8 = 0x81;

/// Frames tcpdump hands to a printer this decoder does not have (so it prints nothing
/// after the LLC header, rather than the frame's kind).
fn carried_elsewhere(dsap: u8, ssap: u8, control: u16) -> bool {
    dsap == ssap
        && match dsap {
            llc_sap::IP => control == UI,
            llc_sap::NETBEUI => control & 1 == 0 || control == UI,
            _ => false,
        }
}

/// A header cut short: tcpdump's mark, then the bytes there are in hex.
fn print_cut(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    out.s(" [|llc]");
    super::hexdump::hex_and_ascii(out, data, b"\t");
}

/// The kind of a frame no protocol printer takes, from its LLC header on (`frame`,
/// captured; `len` on the wire): `Unnumbered, xid, Flags [Poll], length 46`, then the
/// frame in hex as tcpdump dumps an unknown payload (not after a supervisory frame,
/// which carries none).
pub fn print_frame(out: &mut Vec<u8>, frame: &[u8], len: u32) {
    let (Some(&ssap_field), Some(&first)) = (frame.get(1), frame.get(2)) else {
        return;
    };
    let response = u16::from(ssap_field & 1);
    if first & 3 == 3 {
        let control = u16::from(first);
        out.s("Unnumbered, ");
        match unnumbered_name(control & !U_POLL) {
            Some(name) => out.s(name),
            None => out.hex(u64::from(control & !U_POLL), 2),
        }
        flags_and_length(out, response | (control & U_POLL), len);
        if control & !U_POLL == XID
            && xid(out, frame.get(3..).unwrap_or(&[]), len.saturating_sub(3))
        {
            return;
        }
    } else {
        let Some(c) = frame.get(2..4) else { return };
        let control = u16::from_le_bytes([c[0], c[1]]);
        let receive_seq = control >> 9 & 0x7f;
        let flags = response | (control & IS_POLL);
        if control & 1 == 1 {
            out.s("Supervisory, ");
            out.s(match control >> 2 & 3 {
                0 => "Receiver Ready",
                1 => "Receiver not Ready",
                2 => "Reject",
                _ => "?",
            });
            out.s(", rcv seq ");
            out.num(receive_seq);
            flags_and_length(out, flags, len);
            return;
        }
        out.s("Information, send seq ");
        out.num(control >> 1 & 0x7f);
        out.s(", rcv seq ");
        out.num(receive_seq);
        flags_and_length(out, flags, len);
    }
    super::hexdump::hex_and_ascii(out, frame, b"\t");
}

/// The names of unnumbered commands (control field without the poll bit).
fn unnumbered_name(command: u16) -> Option<&'static str> {
    Some(match command {
        UI => "ui",
        0xe3 => "test",
        XID => "xid",
        0x63 => "ua",
        0x43 => "disc",
        0x0f => "dm",
        0x6f => "sabme",
        0x87 => "frmr",
        _ => return None,
    })
}

/// `, Flags [Command], length 46`: `flags` is the SSAP's response bit with the
/// control field's poll/final bit.
fn flags_and_length(out: &mut Vec<u8>, flags: u16, len: u32) {
    out.s(", Flags [");
    out.s(match flags {
        0 => "Command",
        1 => "Response",
        U_POLL | IS_POLL => "Poll",
        _ => "Final",
    });
    out.s("], length ");
    out.num(len);
}

/// An XID frame's information field (`body`, captured; `len` on the wire): tcpdump
/// prints the IEEE 802.2 format's class and window, ` : 01 00`. Whether that was all.
fn xid(out: &mut Vec<u8>, body: &[u8], len: u32) -> bool {
    if len == 0 {
        return true;
    }
    match body.first() {
        None => {
            out.s(" [|llc]");
            true
        }
        Some(&XID_FORMAT) => {
            match body.get(1..3).filter(|_| len >= 3) {
                Some(f) => {
                    out.s(": ");
                    out.hex(u64::from(f[0]), 2);
                    out.s(" ");
                    out.hex(u64::from(f[1]), 2);
                }
                None => {
                    out.s(" [|llc]");
                    super::hexdump::hex_and_ascii(out, body, b"\t");
                }
            }
            true
        }
        Some(_) => false,
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
            print_snap_header(self.out, snap);
        }
    }
}

/// `oui Cisco (0x00000c), pid VTP (0x2003), length 40: ` (tcpdump -e only).
fn print_snap_header(out: &mut Vec<u8>, snap: &Snap) {
    out.s("oui ");
    out.s(wifi::oui_name(snap.oui));
    out.s(" (0x");
    out.hex(u64::from(snap.oui), 6);
    out.s(if snap.oui == 0 {
        "), ethertype "
    } else {
        "), pid "
    });
    out.s(match snap.oui {
        oui::ENCAP_ETHER | oui::CISCO_90 => wifi::snap_ether_type(snap.ether_type),
        oui => pid_name(oui, snap.ether_type),
    });
    out.s(" (0x");
    out.hex(u64::from(snap.ether_type), 4);
    out.s("), length ");
    out.num(snap.length);
    out.s(": ");
}

/// The SNAP header at the start of `data` (5 bytes captured and on the wire).
fn snap_header(data: &[u8], len: u32) -> Option<Snap> {
    let s = data.get(..5).filter(|_| len >= 5)?;
    Some(Snap {
        oui: u32::from_be_bytes([0, s[0], s[1], s[2]]),
        ether_type: u16::from_be_bytes([s[3], s[4]]),
        length: len - 5,
    })
}

/// The printer of a SNAP PDU outside LLC (Frame Relay's NLPID 0x80) when its protocol is
/// one printed whole; `None` for EtherTypes and protocols without a printer here.
pub fn snap_pdu_printer(data: &[u8], len: u32) -> Option<LinePrinter> {
    let snap = snap_header(data, len)?;
    dispatch::snap_printer(snap.oui, snap.ether_type)?;
    Some(print_snap_pdu)
}

/// `oui Cisco (0x00000c), pid VTP (0x2003), length 40: ` and the protocol's line.
fn print_snap_pdu(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let Some(snap) = snap_header(data, len) else {
        out.s(" [|snap]");
        return;
    };
    print_snap_header(out, &snap);
    if let Some(print) = dispatch::snap_printer(snap.oui, snap.ether_type) {
        print(out, &data[5..], snap.length);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::{frame_text, printed};
    use crate::record::LinkType;

    #[test]
    fn snap_pdu_outside_llc() {
        let mut vtp = vec![0x00, 0x00, 0x0c, 0x20, 0x03, 0x45, 0x02, 0x00, 0x18];
        vtp.resize(5 + 40, 0);
        assert!(snap_pdu_printer(&vtp, 1005).is_some());
        assert_eq!(
            printed(print_snap_pdu, &vtp, 1005),
            "oui Cisco (0x00000c), pid VTP (0x2003), length 1000: \
             VTPv69, Message Subset advertisement (0x02), length 1000 [|vtp]"
        );
        // An EtherType is the decoder's to follow; a cut header has no printer.
        assert!(snap_pdu_printer(&[0, 0, 0, 0x08, 0x00], 40).is_none());
        assert!(snap_pdu_printer(&vtp[..4], 1005).is_none());
        assert_eq!(printed(print_snap_pdu, &vtp, 4), " [|snap]");
    }

    #[test]
    fn frame_kinds() {
        // An information frame: its sequence numbers, then the frame in hex.
        let i_frame = [0x45, 0x10, 0x34, 0x00, 0xab];
        assert_eq!(
            printed(print_frame, &i_frame, 5),
            "Information, send seq 26, rcv seq 0, Flags [Command], length 5\n\
             \t0x0000:  4510 3400 ab                             E.4.."
        );
        let rr = [0x42, 0x43, 0x01, 0x35];
        assert_eq!(
            printed(print_frame, &rr, 4),
            "Supervisory, Receiver Ready, rcv seq 26, Flags [Final], length 4"
        );
        let xid = [0x00, 0x01, 0xbf, 0x81, 0x01, 0x00];
        assert_eq!(
            printed(print_frame, &xid, 6),
            "Unnumbered, xid, Flags [Final], length 6: 01 00"
        );
        assert_eq!(
            printed(print_frame, &xid[..4], 6),
            "Unnumbered, xid, Flags [Final], length 6 [|llc]\n\t0x0000:  81                                       ."
        );
        let test = [0x04, 0x04, 0xe3];
        assert_eq!(
            printed(print_frame, &test, 3),
            "Unnumbered, test, Flags [Command], length 3\n\
             \t0x0000:  0404 e3                                  ..."
        );
    }

    #[test]
    fn cut_header() {
        assert_eq!(
            printed(print_cut, &[0x45, 0x79], 15),
            " [|llc]\n\t0x0000:  4579                                     Ey"
        );
    }

    #[test]
    fn length_field_past_the_frame_is_cut_to_it() {
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x02, 0x00]); // claims 512 bytes
        frame.extend_from_slice(&[0x04, 0x04, 0x01, 0x00]); // RR, 4 bytes in all
        let text = frame_text(LinkType::ETHERNET, &frame, 18);
        assert!(
            text.contains("802.3, length 4: LLC, dsap SNA (0x04) Individual, ssap SNA (0x04) Command, ctrl 0x0001: Supervisory, Receiver Ready, rcv seq 0, Flags [Command], length 4"),
            "{text}"
        );
    }
}
