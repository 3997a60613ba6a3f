//! IEEE 802.11 frames (pktmon's `Type WiFi` records, LINKTYPE_IEEE802_11 without a radio
//! header): the MAC header and management/control bodies as tcpdump prints them
//! (`DA:… BSSID:… SA:… Data IV:3aaaa Pad 0 KeyID 0`, `Assoc Request (ssid) [|802.11]`).
//! Data frames continue through LLC/SNAP into the Ethernet protocols.

use super::decode::{Decoder, Level, Link, Net, WifiBody};
use super::names;
use super::print::Printer;
use super::radiotap::Radiotap;
use super::text::{TextOut, printn};

/// Frame types (the `type` bits of the frame control field).
pub const TYPE_MGMT: u8 = 0;
pub const TYPE_CTRL: u8 = 1;
pub const TYPE_DATA: u8 = 2;

/// The frame control field and the captured MAC header.
#[derive(Clone, Copy, Debug)]
pub struct WifiHeader<'a> {
    pub fc: u16,
    pub header: &'a [u8],
}

impl WifiHeader<'_> {
    pub fn frame_type(&self) -> u8 {
        ((self.fc >> 2) & 3) as u8
    }
    pub fn subtype(&self) -> u8 {
        ((self.fc >> 4) & 0xF) as u8
    }
    pub fn to_ds(&self) -> bool {
        self.fc & 0x0100 != 0
    }
    pub fn from_ds(&self) -> bool {
        self.fc & 0x0200 != 0
    }
    pub fn protected(&self) -> bool {
        self.fc & 0x4000 != 0
    }
    fn addr(&self, at: usize) -> &[u8] {
        self.header.get(at..at + 6).unwrap_or(&[])
    }
}

/// Length of the MAC header for `fc`; `Err` names what tcpdump prints for a frame type
/// or control subtype it does not know.
pub fn header_length(fc: u16) -> Result<usize, (bool, u8)> {
    let subtype = ((fc >> 4) & 0xF) as u8;
    match ((fc >> 2) & 3) as u8 {
        TYPE_MGMT => Ok(24),
        TYPE_CTRL => match subtype {
            7 => Ok(10),  // control wrapper
            8 => Ok(24),  // BAR
            9 => Ok(16),  // BA
            10 => Ok(16), // PS-Poll
            11 => Ok(16), // RTS
            12 => Ok(10), // CTS
            13 => Ok(10), // ACK
            14 => Ok(16), // CF-End
            15 => Ok(16), // CF-End + CF-Ack
            s => Err((true, s)),
        },
        TYPE_DATA => {
            let base = if fc & 0x0300 == 0x0300 { 30 } else { 24 };
            Ok(base + if subtype & 8 != 0 { 2 } else { 0 })
        }
        t => Err((false, t)),
    }
}

/// The MAC header as tcpdump `-e` prints it (addresses by role), ending with a space.
/// `windows`: print as Windows pktmon's formatter does, whose third printed address is a
/// copy of the first printed one and whose fourth is a copy of the second.
pub fn print_header(out: &mut Vec<u8>, h: &WifiHeader<'_>, windows: bool) {
    let mut shown = [0usize; 2];
    let mut count = 0usize;
    let mut role = |out: &mut Vec<u8>, name: &str, at: usize| {
        let at = match count {
            2 | 3 if windows => shown[count - 2],
            0 | 1 => {
                shown[count] = at;
                at
            }
            _ => at,
        };
        count += 1;
        out.s(name);
        out.s(":");
        out.mac(h.addr(at));
        out.s(" ");
    };
    match h.frame_type() {
        TYPE_MGMT => {
            role(out, "BSSID", 16);
            role(out, "DA", 4);
            role(out, "SA", 10);
        }
        TYPE_CTRL => match h.subtype() {
            8 => {
                out.s(" ");
                role(out, "RA", 4);
                role(out, "TA", 10);
                let le16 = |at: usize| {
                    h.header
                        .get(at..at + 2)
                        .map_or(0, |b| u16::from_le_bytes([b[0], b[1]]))
                };
                out.s("CTL(");
                out.hex(u64::from(le16(16)), 0);
                out.s(") SEQ(");
                out.num(le16(18));
                out.s(") ");
            }
            9 | 12 | 13 => role(out, "RA", 4),
            10 => {
                role(out, "BSSID", 4);
                role(out, "TA", 10);
            }
            11 => {
                role(out, "RA", 4);
                role(out, "TA", 10);
            }
            14 | 15 => {
                role(out, "RA", 4);
                role(out, "BSSID", 10);
            }
            _ => {}
        },
        TYPE_DATA => {
            let st = h.subtype();
            if st & 0x0B != 0 {
                out.s("CF ");
                if st & 1 != 0 {
                    out.s(if st & 2 != 0 { "Ack/Poll" } else { "Ack" });
                } else if st & 2 != 0 {
                    out.s("Poll");
                }
                if st & 8 != 0 {
                    out.s("+QoS");
                }
                out.s(" ");
            }
            match (h.to_ds(), h.from_ds()) {
                (false, false) => {
                    role(out, "DA", 4);
                    role(out, "SA", 10);
                    role(out, "BSSID", 16);
                }
                (false, true) => {
                    role(out, "DA", 4);
                    role(out, "BSSID", 10);
                    role(out, "SA", 16);
                }
                (true, false) => {
                    role(out, "BSSID", 4);
                    role(out, "SA", 10);
                    role(out, "DA", 16);
                }
                (true, true) => {
                    role(out, "RA", 4);
                    role(out, "TA", 10);
                    role(out, "DA", 16);
                    role(out, "SA", 24);
                }
            }
        }
        _ => {}
    }
}

/// ` IV:3aaaa Pad 0 KeyID 0`; false when the IV was not captured.
pub fn print_iv(out: &mut Vec<u8>, body: &[u8]) -> bool {
    let Some(b) = body.get(0..4) else {
        return false;
    };
    let iv = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    out.s(" IV:");
    let v = iv & 0x00FF_FFFF;
    // `%3x`: at least three characters, space padded.
    let digits = if v == 0 {
        1
    } else {
        (32 - v.leading_zeros()).div_ceil(4)
    };
    for _ in digits..3 {
        out.s(" ");
    }
    out.hex(u64::from(v), 0);
    out.s(" Pad ");
    out.hex(u64::from((iv >> 24) & 0x3F), 0);
    out.s(" KeyID ");
    out.hex(u64::from(iv >> 30), 0);
    true
}

const MGMT_NAMES: [&str; 16] = [
    "Assoc Request",
    "Assoc Response",
    "ReAssoc Request",
    "ReAssoc Response",
    "Probe Request",
    "Probe Response",
    "",
    "",
    "Beacon",
    "ATIM",
    "Disassociation",
    "Authentication",
    "DeAuthentication",
    "Action",
    "",
    "",
];

const CTRL_NAMES: [&str; 16] = [
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "Control Wrapper",
    "BAR",
    "BA",
    "Power Save-Poll",
    "Request-To-Send",
    "Clear-To-Send",
    "Acknowledgment",
    "CF-End",
    "CF-End+CF-Ack",
];

/// The information elements tcpdump shows.
#[derive(Default)]
struct Elements<'a> {
    ssid: Option<&'a [u8]>,
    rates: Option<&'a [u8]>,
    channel: Option<u8>,
}

/// Walks information elements; false when they are cut short (tcpdump's `[|802.11]`),
/// with what was read before kept.
fn parse_elements<'a>(cap: &'a [u8], mut length: usize, e: &mut Elements<'a>) -> bool {
    let mut at = 0usize;
    while length != 0 {
        let (Some(&id), Some(&elen)) = (cap.get(at), cap.get(at + 1)) else {
            return false;
        };
        if length < 2 {
            return false;
        }
        let elen = usize::from(elen);
        let Some(value) = cap.get(at + 2..at + 2 + elen) else {
            return false;
        };
        if length < elen + 2 {
            return false;
        }
        match id {
            0 => {
                if elen > 32 {
                    return false;
                }
                e.ssid.get_or_insert(value);
            }
            1 => {
                if elen > 16 {
                    return false;
                }
                if elen != 0 && e.rates.is_none() {
                    e.rates = Some(value);
                }
            }
            3 if elen == 1 => {
                e.channel.get_or_insert(value[0]);
            }
            5 if elen == 255 => return false,
            16 if elen > 253 => return false,
            _ => {}
        }
        at += 2 + elen;
        length -= 2 + elen;
    }
    true
}

fn print_ssid(out: &mut Vec<u8>, e: &Elements<'_>) {
    if let Some(ssid) = e.ssid {
        // tcpdump keeps the SSID as a C string: it ends at a NUL.
        let end = ssid.iter().position(|b| *b == 0).unwrap_or(ssid.len());
        out.s(" (");
        printn(out, &ssid[..end]);
        out.s(")");
    }
}

fn print_rates(out: &mut Vec<u8>, e: &Elements<'_>) {
    if let Some(rates) = e.rates {
        let mut sep = " [";
        for r in rates {
            let half = r & 0x7F;
            out.s(sep);
            out.num(half / 2);
            out.s(if half % 2 == 1 { ".5" } else { ".0" });
            if r & 0x80 != 0 {
                out.s("*");
            }
            sep = " ";
        }
        out.s(" Mbit]");
    }
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// A management frame body after the MAC header; false when cut short.
pub fn print_management(
    out: &mut Vec<u8>,
    h: &WifiHeader<'_>,
    body: &[u8],
    length: usize,
    link_header_shown: bool,
) -> bool {
    let subtype = h.subtype();
    match MGMT_NAMES[usize::from(subtype)] {
        "" => {
            out.s("Unhandled Management subtype(");
            out.hex(u64::from(subtype), 0);
            out.s(")");
        }
        name => out.s(name),
    }
    if h.protected() {
        return print_iv(out, body);
    }
    let fixed = |n: usize| body.len() >= n && length >= n;
    let mut e = Elements::default();
    match subtype {
        0 | 4 => {
            let start = if subtype == 0 { 4 } else { 0 };
            if !fixed(start) {
                return false;
            }
            let ok = parse_elements(&body[start..], length - start, &mut e);
            print_ssid(out, &e);
            print_rates(out, &e);
            ok
        }
        1 | 3 => {
            if !fixed(6) {
                return false;
            }
            let (cap, status, aid) = (
                le16(body, 0).unwrap_or(0),
                le16(body, 2).unwrap_or(0),
                le16(body, 4).unwrap_or(0),
            );
            let ok = parse_elements(&body[6..], length - 6, &mut e);
            out.s(" AID(");
            out.hex(u64::from((aid << 2) >> 2), 0);
            out.s(") :");
            if cap & 0x0010 != 0 {
                out.s(" PRIVACY ");
            }
            out.s(": ");
            out.s(STATUS_TEXT
                .get(usize::from(status))
                .copied()
                .unwrap_or("n/a"));
            ok
        }
        2 => {
            if !fixed(10) {
                return false;
            }
            let ok = parse_elements(&body[10..], length - 10, &mut e);
            print_ssid(out, &e);
            out.s(" AP : ");
            out.mac(&body[4..10]);
            ok
        }
        5 | 8 => {
            if !fixed(12) {
                return false;
            }
            let cap = le16(body, 10).unwrap_or(0);
            let ok = parse_elements(&body[12..], length - 12, &mut e);
            print_ssid(out, &e);
            print_rates(out, &e);
            if subtype == 8 {
                out.s(if cap & 0x0001 != 0 { " ESS" } else { " IBSS" });
            }
            if let Some(ch) = e.channel {
                out.s(" CH: ");
                out.num(ch);
            }
            if cap & 0x0010 != 0 {
                out.s(", PRIVACY");
            }
            ok
        }
        9 => true,
        10 | 12 => {
            let Some(code) = le16(body, 0).filter(|_| length >= 2) else {
                return false;
            };
            let reason = REASON_TEXT
                .get(usize::from(code))
                .copied()
                .unwrap_or("Reserved");
            if subtype == 12 && !link_header_shown {
                out.s(" (");
                out.mac(h.addr(10));
                out.s(")");
            }
            out.s(": ");
            out.s(reason);
            true
        }
        11 => {
            if !fixed(6) {
                return false;
            }
            let (alg, seq, status) = (
                le16(body, 0).unwrap_or(0),
                le16(body, 2).unwrap_or(0),
                le16(body, 4).unwrap_or(0),
            );
            let ok = parse_elements(&body[6..], length - 6, &mut e);
            let alg_name = AUTH_ALGORITHMS
                .get(usize::from(alg))
                .copied()
                .unwrap_or("Reserved");
            let status_name = if seq % 2 == 1 {
                STATUS_TEXT
                    .get(usize::from(status))
                    .copied()
                    .unwrap_or("n/a")
            } else {
                ""
            };
            out.s(" (");
            out.s(alg_name);
            out.s(")-");
            out.hex(u64::from(seq), 0);
            if alg == 1 && (seq == 2 || seq == 3) {
                out.s(" [Challenge Text] ");
            } else {
                out.s(": ");
            }
            out.s(status_name);
            ok
        }
        13 => {
            let (Some(&category), Some(&action)) = (body.first(), body.get(1)) else {
                return false;
            };
            if length < 2 {
                return false;
            }
            if link_header_shown {
                out.s(": ");
            } else {
                out.s(" (");
                out.mac(h.addr(10));
                out.s("): ");
            }
            print_action(out, category, action);
            true
        }
        _ => true,
    }
}

fn print_action(out: &mut Vec<u8>, category: u8, action: u8) {
    let act = |out: &mut Vec<u8>, names: &[&str], first: u8| match action
        .checked_sub(first)
        .and_then(|i| names.get(usize::from(i)))
    {
        Some(n) => out.s(n),
        None => {
            out.s("Act#");
            out.num(action);
        }
    };
    match category {
        0 => {
            out.s("Spectrum Management Act#");
            out.num(action);
        }
        1 => {
            out.s("QoS Act#");
            out.num(action);
        }
        2 => {
            out.s("DLS Act#");
            out.num(action);
        }
        3 => {
            out.s("BA ");
            act(out, &["ADDBA Request", "ADDBA Response", "DELBA"], 0);
        }
        7 => {
            out.s("HT ");
            act(out, &["TxChWidth", "MIMOPwrSave"], 0);
        }
        127 => {
            out.s("Vendor Act#");
            out.num(action);
        }
        _ => {
            out.s("Reserved(");
            out.num(category);
            out.s(") Act#");
            out.num(action);
        }
    }
}

/// A control frame after its header; false when cut short.
pub fn print_control(
    out: &mut Vec<u8>,
    h: &WifiHeader<'_>,
    frame: &[u8],
    link_header_shown: bool,
) -> bool {
    let subtype = h.subtype();
    out.s(match CTRL_NAMES[usize::from(subtype)] {
        "" => "Unknown Ctrl Subtype",
        n => n,
    });
    let need = header_length(h.fc).unwrap_or(0);
    if frame.len() < need {
        return false;
    }
    let addr = |at: usize| &frame[at..at + 6];
    match subtype {
        8 if !link_header_shown => {
            out.s(" RA:");
            out.mac(addr(4));
            out.s(" TA:");
            out.mac(addr(10));
            out.s(" CTL(");
            out.hex(u64::from(le16(frame, 16).unwrap_or(0)), 0);
            out.s(") SEQ(");
            out.num(le16(frame, 18).unwrap_or(0));
            out.s(") ");
        }
        10 => {
            out.s(" AID(");
            out.hex(u64::from(le16(frame, 2).unwrap_or(0)), 0);
            out.s(")");
        }
        11 if !link_header_shown => {
            out.s(" TA:");
            out.mac(addr(10));
            out.s(" ");
        }
        9 | 12 | 13 | 14 | 15 if !link_header_shown => {
            out.s(" RA:");
            out.mac(addr(4));
            out.s(" ");
        }
        _ => {}
    }
    true
}

/// LLC SAP names (tcpdump's `llc_values`).
pub fn sap_name(sap: u8) -> &'static str {
    match sap {
        0x00 => "Null",
        0xff => "Global",
        0x02 => "802.1B I",
        0x03 => "802.1B G",
        0x06 => "IP",
        0x04 => "SNA",
        0x0e => "ProWay NM",
        0x42 => "STP",
        0x4e => "RS511",
        0x7e => "ISO8208",
        0x8e => "ProWay",
        0xaa => "SNAP",
        0xe0 => "IPX",
        0xf0 => "NetBeui",
        0xfe => "OSI",
        _ => "Unknown",
    }
}

/// `oui Ethernet (0x000000)`: names of SNAP organisation codes.
pub fn oui_name(oui: u32) -> &'static str {
    match oui {
        0x000000 => "Ethernet",
        0x0000f8 => "Cisco",
        0x00000c => "Cisco",
        0x0080c2 => "IEEE 802.1 Bridged",
        0x00e02b => "Extreme",
        _ => "Unknown",
    }
}

/// Ethertype words after `ethertype` inside SNAP (the same table as Ethernet).
pub fn snap_ether_type(t: u16) -> &'static str {
    names::ether_type(t).unwrap_or("Unknown")
}

/// IEEE 802.11 status codes as tcpdump (and so pktmon) prints them.
pub const STATUS_TEXT: &[&str] = &[
    "Successful",
    "Unspecified failure",
    "TDLS wakeup schedule rejected but alternative schedule provided",
    "TDLS wakeup schedule rejected",
    "Reserved",
    "Security disabled",
    "Unacceptable lifetime",
    "Not in same BSS",
    "Reserved",
    "Reserved",
    "Cannot Support all requested capabilities in the Capability Information field",
    "Reassociation denied due to inability to confirm that association exists",
    "Association denied due to reason outside the scope of this standard",
    "Responding STA does not support the specified authentication algorithm",
    "Received an Authentication frame with authentication transaction sequence number out of expected sequence",
    "Authentication rejected because of challenge failure",
    "Authentication rejected due to timeout waiting for next frame in sequence",
    "Association denied because AP is unable to handle additional associated STAs",
    "Association denied due to requesting STA not supporting all of the data rates in the BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or the Basic VHT-MCS and NSS Set field in the VHT Operation parameter",
    "Association denied due to requesting STA not supporting the short preamble option",
    "Reserved",
    "Reserved",
    "Association request rejected because Spectrum Management capability is required",
    "Association request rejected because the information in the Power Capability element is unacceptable",
    "Association request rejected because the information in the Supported Channels element is unacceptable",
    "Association denied due to requesting STA not supporting the Short Slot Time option",
    "Reserved",
    "Association denied because the requested STA does not support HT features",
    "R0KH unreachable",
    "Association denied because the requesting STA does not support the phased coexistence operation (PCO) transition time required by the AP",
    "Association request rejected temporarily; try again later",
    "Robust management frame policy violation",
    "Unspecified, QoS-related failure",
    "Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA",
    "Association denied due to excessive frame loss rates and/or poor conditions on current operating channel",
    "Association (with QoS BSS) denied because the requesting STA does not support the QoS facility",
    "Reserved",
    "The request has been declined",
    "The request has not been successful as one or more parameters have invalid values",
    "The allocation or TS has not been created because the request cannot be honored; however, a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC",
    "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9",
    "Invalid group cipher",
    "Invalid pairwise cipher",
    "Invalid AKMP",
    "Unsupported RSNE version",
    "Invalid RSNE capabilities",
    "Cipher suite rejected because of security policy",
    "The TS or allocation has not been created; however, the HC or PCP might be capable of creating a TS or allocation, in response to a request, after the time indicated in the TS Delay element",
    "Direct Link is not allowed in the BSS by policy",
    "The Destination STA is not present within this BSS",
    "The Destination STA is not a QoS STA",
    "Association denied because the listen interval is too large",
    "Invalid FT Action frame count",
    "Invalid pairwise master key identifier (PMKID)",
    "Invalid MDE",
    "Invalid FTE",
    "Requested TCLAS processing is not supported by the AP or PCP",
    "The AP or PCP has insufficient TCLAS processing resources to satisfy the request",
    "The TS has not been created because the request cannot be honored; however, the HC or PCP suggests that the STA transition to a different BSS to set up the TS",
    "GAS Advertisement Protocol not supported",
    "No outstanding GAS request",
    "GAS Response not received from the Advertisement Server",
    "STA timed out waiting for GAS Query Response",
    "LARGE GAS Response is larger than query response length limit",
    "Request refused because home network does not support request",
    "Advertisement Server in the network is not currently reachable",
    "Reserved",
    "Request refused due to permissions received via SSPN interface",
    "Request refused because the AP or PCP does not support unauthenticated access",
    "Reserved",
    "Reserved",
    "Reserved",
    "Invalid contents of RSNE",
    "U-APSD coexistence is not supported",
    "Requested U-APSD coexistence mode is not supported",
    "Requested Interval/Duration value cannot be supported with U-APSD coexistence",
    "Authentication is rejected because an Anti-Clogging Token is required",
    "Authentication is rejected because the offered finite cyclic group is not supported",
    "The TBTT adjustment request has not been successful because the STA could not find an alternative TBTT",
    "Transmission failure",
    "Requested TCLAS Not Supported",
    "TCLAS Resources Exhausted",
    "Rejected with Suggested BSS transition",
    "Reject with recommended schedule",
    "Reject because no wakeup schedule specified",
    "Success, the destination STA is in power save mode",
    "FST pending, in process of admitting FST session",
    "Performing FST now",
    "FST pending, gap(s) in block ack window",
    "Reject because of U-PID setting",
    "Reserved",
    "Reserved",
    "(Re)Association refused for some external reason",
    "(Re)Association refused because of memory limits at the AP",
    "(Re)Association refused because emergency services are not supported at the AP",
    "GAS query response not yet received",
    "Reject since the request is for transition to a frequency band subject to DSE procedures and FST Initiator is a dependent STA",
    "Requested TCLAS processing has been terminated by the AP",
    "The TS schedule conflicts with an existing schedule; an alternative schedule is provided",
    "The association has been denied; however, one or more Multi-band elements are included that can be used by the receiving STA to join the BSS",
    "The request failed due to a reservation conflict",
    "The request failed due to exceeded MAF limit",
    "The request failed due to exceeded MCCA track limit",
    "Association denied because the information in theSpectrum Management field is unacceptable",
    "Association denied because the requesting STA does not support VHT features",
    "Enablement denied",
    "Enablement denied due to restriction from an authorized GDB",
    "Authorization deenabled",
];

/// IEEE 802.11 reason codes as tcpdump (and so pktmon) prints them.
pub const REASON_TEXT: &[&str] = &[
    "Reserved",
    "Unspecified reason",
    "Previous authentication no longer valid",
    "Deauthenticated because sending STA is leaving (or has left) IBSS or ESS",
    "Disassociated due to inactivity",
    "Disassociated because AP is unable to handle all currently  associated STAs",
    "Class 2 frame received from nonauthenticated STA",
    "Class 3 frame received from nonassociated STA",
    "Disassociated because sending STA is leaving (or has left) BSS",
    "STA requesting (re)association is not authenticated with responding STA",
    "Disassociated because the information in the Power Capability element is unacceptable",
    "Disassociated because the information in the Supported Channels element is unacceptable",
    "Disassociated due to BSS transition management",
    "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9",
    "Message integrity code (MIC) failure",
    "4-Way Handshake timeout",
    "Group key handshake timeout",
    "Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe Response/Beacon frame",
    "Invalid group cipher",
    "Invalid pairwise cipher",
    "Invalid AKMP",
    "Unsupported RSNE version",
    "Invalid RSNE capabilities",
    "IEEE 802.1X authentication failed",
    "Cipher suite rejected because of the security policy",
    "TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link",
    "TDLS direct-link teardown for unspecified reason",
    "Disassociated because session terminated by SSP request",
    "Disassociated because of lack of SSP roaming agreement",
    "Requested service rejected because of SSP cipher suite or AKM requirement",
    "Requested service not authorized in this location",
    "TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel to 20 MHz channel)",
    "Disassociated for unspecified, QoS-related reason",
    "Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA",
    "Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions",
    "Disassociated because STA is transmitting outside the limits of its TXOPs",
    "Requested from peer STA as the STA is leaving the BSS (or resetting)",
    "Requested from peer STA as it does not want to use the mechanism",
    "Requested from peer STA as the STA received frames using the mechanism for which a set up is required",
    "Requested from peer STA due to time out",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Reserved",
    "Peer STA does not support the requested cipher suite",
    "In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation frame: Disassociated because authorized access limit reached",
    "In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: Disassociated due to external service requirements",
    "Invalid FT Action frame count",
    "Invalid pairwise master key identifier (PMKID)",
    "Invalid MDE",
    "Invalid FTE",
    "Mesh peering canceled for unknown reasons",
    "The mesh STA has reached the supported maximum number of peer mesh STAs",
    "The received information violates the Mesh Configuration policy configured in the mesh STA profile",
    "The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering",
    "The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a Mesh Peering Confirm frame",
    "The confirmTimer for the mesh peering instance times out",
    "The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match",
    "The mesh STA receives inconsistent information about the mesh parameters between mesh peering Management frames",
    "The mesh STA fails the authenticated mesh peering exchange because due to failure in selecting either the pairwise ciphersuite or group ciphersuite",
    "The mesh STA does not have proxy information for this external destination",
    "The mesh STA does not have forwarding information for this destination",
    "The mesh STA determines that the link to the next hop of an active path in its forwarding information is no longer usable",
    "The Deauthentication frame was sent because the MAC address of the STA already exists in the mesh BSS",
    "The mesh STA performs channel switch to meet regulatory requirements",
    "The mesh STA performs channel switching with unspecified reason",
];

pub const AUTH_ALGORITHMS: &[&str] = &["Open System", "Shared Key", "EAP"];

impl<'a> Decoder<'_, 'a> {
    pub(super) fn wifi(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        self.wifi_frame(data, wire_len, None)
    }

    /// An 802.11 frame, after its radiotap header if it has one (whose Flags field may
    /// announce padding after the MAC header and an FCS at the end).
    pub(super) fn wifi_frame(
        &mut self,
        data: &'a [u8],
        wire_len: u32,
        radio: Option<Radiotap<'a>>,
    ) -> Level<'a> {
        let alone = |body| Level {
            link: radio.map_or(Link::None, Link::Radiotap),
            net: Net::Wifi(body),
        };
        let framing = radio.map(|r| r.framing()).unwrap_or_default();
        let (data, wire_len) = if framing.fcs {
            let Some(len) = wire_len.checked_sub(4) else {
                return alone(WifiBody::Cut);
            };
            (data.get(..len as usize).unwrap_or(data), len)
        } else {
            (data, wire_len)
        };
        let Some(fc) = data.get(0..2).map(|b| u16::from_le_bytes([b[0], b[1]])) else {
            return alone(WifiBody::Cut);
        };
        let hdrlen = match header_length(fc) {
            Ok(n) if framing.pad => n.next_multiple_of(4),
            Ok(n) => n,
            Err((true, subtype)) => return alone(WifiBody::UnknownControl(subtype)),
            Err((false, kind)) => return alone(WifiBody::UnknownType(kind)),
        };
        if data.len() < hdrlen {
            return alone(WifiBody::Cut);
        }
        let header = WifiHeader {
            fc,
            header: &data[..hdrlen],
        };
        let body = &data[hdrlen..];
        let len = wire_len.saturating_sub(hdrlen as u32);
        let (llc, net) = match header.frame_type() {
            TYPE_MGMT => (None, Net::Wifi(WifiBody::Management { body, length: len })),
            TYPE_CTRL => (None, Net::Wifi(WifiBody::Control { frame: data })),
            _ if header.subtype() & 4 != 0 => (None, Net::Wifi(WifiBody::Empty)),
            _ if header.protected() => (None, Net::Wifi(WifiBody::Protected(body))),
            _ => self.llc(body, len),
        };
        Level {
            link: Link::Wifi { radio, header, llc },
            net,
        }
    }
}

impl Printer<'_> {
    pub(super) fn wifi(&mut self, link: &Link<'_>, body: &WifiBody<'_>) {
        let header = match link {
            Link::Wifi { header, .. } => Some(header),
            _ => None,
        };
        let shown = self.eflag();
        let ok = match (body, header) {
            (WifiBody::UnknownType(t), _) => {
                self.out.s("unknown 802.11 frame type (");
                self.out.num(*t);
                self.out.s(")");
                true
            }
            (WifiBody::UnknownControl(t), _) => {
                self.out.s("unknown 802.11 ctrl frame subtype (");
                self.out.num(*t);
                self.out.s(")");
                true
            }
            (WifiBody::Empty, _) => true,
            (WifiBody::Protected(body), _) => {
                self.out.s("Data");
                print_iv(self.out, body)
            }
            (WifiBody::Management { body, length }, Some(h)) => {
                print_management(self.out, h, body, *length as usize, shown)
            }
            (WifiBody::Control { frame }, Some(h)) => print_control(self.out, h, frame, shown),
            _ => false,
        };
        if !ok {
            self.out.s(" [|802.11]");
        }
    }
}
