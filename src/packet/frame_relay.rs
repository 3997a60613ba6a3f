//! Frame Relay (LINKTYPE_FRELAY, 107): the Q.922 address, then either a Cisco-style
//! EtherType or the RFC 2427 UI control byte, optional pad and NLPID, printed as
//! tcpdump's `-e` form `Q.922, hdr-len 2, DLCI 301, Flags [none], cisco-ethertype IPv6
//! (0x86dd), length 100: `. FRF.15 fragments are printed here too; Q.933 (LMI) has its
//! own file.
//!
//! tcpdump tries a Cisco EtherType first when the byte after the address is not UI; if
//! no printer takes that type it says `UI xx! ` and reads the frame again as NLPID
//! encapsulation, printing the header a second time.

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::names;
use super::numbers::nlpid;
use super::text::TextOut;

/// tcpdump's mark for a frame cut short.
pub const CUT: &str = " [|fr]";
/// The UI (unnumbered information) control byte.
const LLC_UI: u8 = 0x03;

const FLAG_CR: u32 = 0x0200_0000;
const FLAG_DE: u32 = 0x0002_0000;
const FLAG_BECN: u32 = 0x0004_0000;
const FLAG_FECN: u32 = 0x0008_0000;
const FLAG_SDLC: u32 = 0x0000_0002;

/// A Q.922 address: its length (2 to 4 bytes), DLCI and flags (tcpdump's bit layout).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Q922 {
    pub addr_len: u8,
    pub dlci: u32,
    pub flags: u32,
}

/// Why a Q.922 address could not be read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AddressError {
    /// An EA bit where none may be, or a fifth address byte.
    Invalid,
    Cut,
}

/// Reads the Q.922 address at the start of `p` (`length` bytes on the wire).
pub fn parse_q922(p: &[u8], length: u32) -> Result<Q922, AddressError> {
    let byte = |i: usize| match p.get(i) {
        Some(&b) if (i as u32) < length => Ok(b),
        _ => Err(AddressError::Cut),
    };
    let b0 = byte(0)?;
    if b0 & 1 != 0 {
        return Err(AddressError::Invalid);
    }
    let b1 = byte(1)?;
    let mut dlci = (u32::from(b0 & 0xfc) << 2) | u32::from((b1 & 0xf0) >> 4);
    let mut flags = (u32::from(b0 & 0x02) << 24) | (u32::from(b1 & 0x0e) << 16);
    if b1 & 1 != 0 {
        return Ok(Q922 {
            addr_len: 2,
            dlci,
            flags,
        });
    }
    let mut addr_len = 3;
    let mut at = 2;
    let b2 = byte(2)?;
    if b2 & 1 == 0 {
        dlci = (dlci << 7) | u32::from(b2 >> 1);
        addr_len = 4;
        at = 3;
    }
    let last = byte(at)?;
    if last & 1 == 0 {
        return Err(AddressError::Invalid);
    }
    flags |= u32::from(last & 0x02);
    dlci = (dlci << 6) | u32::from(last >> 2);
    Ok(Q922 {
        addr_len,
        dlci,
        flags,
    })
}

/// What tcpdump says about the pad byte after UI (RFC 2427 wants one exactly with
/// 3-byte addresses).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum PadNote {
    #[default]
    Fine,
    /// A pad byte where none belongs.
    Pad,
    /// No pad byte after a 3-byte address.
    NoPad,
}

/// An FRF.16 (multilink) fragment header before a Q.922 frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frf16Fragment {
    pub sequence: u16,
    /// The Begin/End/Control bits.
    pub flags: u8,
}

/// A Frame Relay header as tcpdump walks it, in printing order.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FrameRelay {
    pub frf16: Option<Frf16Fragment>,
    pub address: Option<Q922>,
    /// The Cisco-style EtherType tried first (its header is printed with `-e`).
    pub cisco_ethertype: Option<u16>,
    /// The control byte tcpdump complains about (`UI xx! `).
    pub ui: Option<u8>,
    pub pad: PadNote,
    pub nlpid: Option<u8>,
    /// tcpdump prints the NLPID header even without `-e` (for an NLPID it dumps).
    pub header_always: bool,
    /// Wire length from the Q.922 address on.
    pub length: u32,
}

/// The Begin/End/Control flag names of FRF.15 and FRF.16 headers.
pub const FRAGMENT_FLAGS: [(u16, &str); 3] = [(0x80, "Begin"), (0x40, "End"), (0x20, "Control")];

const HEADER_FLAGS: [(u32, &str); 5] = [
    (FLAG_CR, "C!"),
    (FLAG_DE, "DE"),
    (FLAG_BECN, "BECN"),
    (FLAG_FECN, "FECN"),
    (FLAG_SDLC, "sdlcore"),
];

/// `Q.922, hdr-len 2, DLCI 301, Flags [none], NLPID IPv4 (0xcc), length 100: `; a
/// `protocol` past 0xff is a Cisco EtherType.
fn print_header(out: &mut Vec<u8>, a: &Q922, protocol: u16, length: u32) {
    out.s("Q.922, hdr-len ");
    out.num(a.addr_len);
    out.s(", DLCI ");
    out.num(a.dlci);
    out.s(", Flags [");
    let mut none = true;
    for (bit, name) in HEADER_FLAGS {
        if a.flags & bit != 0 {
            if !none {
                out.s(", ");
            }
            out.s(name);
            none = false;
        }
    }
    if none {
        out.s("none");
    }
    if let Ok(n) = u8::try_from(protocol) {
        out.s("], NLPID ");
        out.s(names::nlpid(n).unwrap_or("unknown"));
        out.s(" (0x");
        out.hex(u64::from(n), 2);
    } else {
        out.s("], cisco-ethertype ");
        out.s(names::ether_type(protocol).unwrap_or("unknown"));
        out.s(" (0x");
        out.hex(u64::from(protocol), 4);
    }
    out.s("), length ");
    out.num(length);
    out.s(": ");
}

/// The header's text; `eflag`: tcpdump's `-e` (the Q.922 headers).
pub fn print(out: &mut Vec<u8>, fr: &FrameRelay, eflag: bool) {
    if let Some(f) = fr.frf16 {
        out.s("FRF.16 Frag, seq ");
        out.num(f.sequence);
        out.s(", Flags [");
        out.bit_names(u16::from(f.flags), &FRAGMENT_FLAGS);
        out.s("], ");
    }
    let Some(a) = &fr.address else {
        return;
    };
    if let Some(t) = fr.cisco_ethertype.filter(|_| eflag) {
        print_header(out, a, t, fr.length);
    }
    if let Some(c) = fr.ui {
        out.s("UI ");
        out.hex(u64::from(c), 2);
        out.s("! ");
    }
    match fr.pad {
        PadNote::Fine => {}
        PadNote::Pad => out.s("Pad! "),
        PadNote::NoPad => out.s("No pad! "),
    }
    if let Some(n) = fr.nlpid.filter(|_| eflag || fr.header_always) {
        print_header(out, a, u16::from(n), fr.length);
    }
}

/// An FRF.15 fragment (NLPID 0xb1): `FRF.15, seq 0x012, Flags [Begin], End-to-End
/// Fragmentation, length 40`.
pub fn print_frf15(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let (Some(&b0), Some(&b1)) = (data.first(), data.get(1)) else {
        out.s(CUT);
        return;
    };
    if len < 2 {
        out.s(CUT);
        return;
    }
    out.s("FRF.15, seq 0x");
    out.hex(u64::from((u16::from(b0 & 0x1e) << 7) | u16::from(b1)), 3);
    out.s(", Flags [");
    out.bit_names(u16::from(b0 & 0xe0), &FRAGMENT_FLAGS);
    out.s("],");
    out.s(if b0 & 1 != 0 {
        "Interface"
    } else {
        "End-to-End"
    });
    out.s(" Fragmentation, length ");
    out.num(len);
}

impl<'a> Decoder<'_, 'a> {
    /// A frame of LINKTYPE_FRELAY (tcpdump wants 4 captured bytes at least).
    pub(super) fn frame_relay(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        if data.len() < 4 {
            return Level {
                link: Link::None,
                net: Net::Truncated(CUT),
            };
        }
        self.q922_frame(data, wire_len, None)
    }

    /// A Q.922 frame (after an FRF.16 fragment header, if any) and what it carries.
    pub(super) fn q922_frame(
        &mut self,
        data: &'a [u8],
        length: u32,
        frf16: Option<Frf16Fragment>,
    ) -> Level<'a> {
        let mut fr = FrameRelay {
            frf16,
            length,
            ..FrameRelay::default()
        };
        let level = |fr: FrameRelay, net| Level {
            link: Link::FrameRelay(fr),
            net,
        };
        let a = match parse_q922(data, length) {
            Ok(a) => a,
            Err(AddressError::Cut) => return level(fr, Net::Truncated(CUT)),
            Err(AddressError::Invalid) => return level(fr, Net::Note("Q.922, invalid address")),
        };
        fr.address = Some(a);
        let addr_len = usize::from(a.addr_len);
        let avail = |n: usize| data.len() >= n && length as usize >= n;
        let Some(&control) = data.get(addr_len).filter(|_| avail(addr_len + 1)) else {
            return level(fr, Net::Truncated(CUT));
        };
        if control != LLC_UI && a.dlci != 0 {
            if avail(addr_len + 2) {
                let t = u16::from_be_bytes([data[addr_len], data[addr_len + 1]]);
                fr.cisco_ethertype = Some(t);
                let rest = &data[addr_len + 2..];
                match self.ether_payload(t, rest, length - a.addr_len as u32 - 2) {
                    Net::None => {}
                    net => return level(fr, net),
                }
            }
            fr.ui = Some(control);
        }
        if !avail(addr_len + 2) {
            return level(fr, Net::Truncated(CUT));
        }
        let hdr_len = if data[addr_len + 1] == 0 {
            if addr_len != 3 {
                fr.pad = PadNote::Pad;
            }
            addr_len + 3
        } else {
            if addr_len == 3 {
                fr.pad = PadNote::NoPad;
            }
            addr_len + 2
        };
        if !avail(hdr_len) {
            return level(fr, Net::Truncated(CUT));
        }
        let id = data[hdr_len - 1];
        fr.nlpid = Some(id);
        let rest = &data[hdr_len..];
        let len = length - hdr_len as u32;
        let printed = |print| {
            Net::Printed(Printed {
                print,
                data: rest,
                length: len,
            })
        };
        let net = match id {
            nlpid::IPV4 => Net::Ipv4(self.ipv4(rest, len)),
            nlpid::IPV6 => Net::Ipv6(self.ipv6(rest, len)),
            nlpid::Q933 => printed(super::q933::print),
            nlpid::FRF15 => printed(print_frf15),
            // OSI printers read the NLPID too.
            nlpid::CLNP | nlpid::ESIS | nlpid::ISIS => Net::Printed(Printed {
                print: super::osi::print,
                data: &data[hdr_len - 1..],
                length: len + 1,
            }),
            // SNAP carrying an EtherType or a protocol without a printer, and PPP: not
            // decoded yet.
            nlpid::SNAP => super::llc::snap_pdu_printer(rest, len).map_or(Net::None, printed),
            nlpid::PPP => Net::None,
            _ => {
                fr.header_always = true;
                Net::Dump {
                    bytes: rest,
                    length: len,
                    cut: CUT,
                    ascii: true,
                }
            }
        };
        level(fr, net)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(data: &[u8], length: u32) -> (String, String) {
        let opts = Default::default();
        let mut d = Decoder {
            opts: &opts,
            inner: None,
            inner_continues: false,
            depth: 0,
        };
        let level = d.frame_relay(data, length);
        let mut out = Vec::new();
        if let Link::FrameRelay(fr) = &level.link {
            print(&mut out, fr, true);
        }
        let net = match level.net {
            Net::Truncated(t) | Net::Note(t) => t.to_string(),
            Net::Dump { bytes, .. } => format!("dump {}", bytes.len()),
            Net::Printed(p) => {
                let mut o = Vec::new();
                p.print(&mut o, b"");
                String::from_utf8(o).unwrap()
            }
            Net::Ipv6(_) => "ipv6".to_string(),
            Net::None => String::new(),
            _ => "other".to_string(),
        };
        (String::from_utf8(out).unwrap(), net)
    }

    #[test]
    fn addresses() {
        assert_eq!(
            parse_q922(&[0x48, 0xd1], 2),
            Ok(Q922 {
                addr_len: 2,
                dlci: 301,
                flags: 0
            })
        );
        // 3 bytes: DLCI 1, FECN and BECN, SDLC.
        assert_eq!(
            parse_q922(&[0x00, 0x0c, 0x07], 3),
            Ok(Q922 {
                addr_len: 3,
                dlci: 1,
                flags: FLAG_FECN | FLAG_BECN | FLAG_SDLC
            })
        );
        assert_eq!(parse_q922(&[0x01], 1), Err(AddressError::Invalid));
        assert_eq!(
            parse_q922(&[0x00, 0x00, 0x00, 0x00], 4),
            Err(AddressError::Invalid)
        );
        assert_eq!(parse_q922(&[0x48], 1), Err(AddressError::Cut));
        assert_eq!(parse_q922(&[0x48, 0xd1], 1), Err(AddressError::Cut));
    }

    #[test]
    fn cisco_ethertype() {
        let mut f = vec![0x48, 0xd1, 0x86, 0xdd];
        f.extend_from_slice(&[0x60, 0, 0, 0, 0, 0, 59, 64]);
        f.extend_from_slice(&[0; 32]);
        let (h, net) = header(&f, 100);
        assert_eq!(
            h,
            "Q.922, hdr-len 2, DLCI 301, Flags [none], cisco-ethertype IPv6 (0x86dd), length 100: "
        );
        assert_eq!(net, "ipv6");
    }

    #[test]
    fn unknown_ethertype_then_nlpid() {
        // Control 0x00 is not UI: tried as EtherType 0x0011 (printed as an NLPID since it
        // is below 0x100), then "UI 00!" and the NLPID 0x11, whose bytes are dumped.
        let f = [0xb0, 0x00, 0x3a, 0x01, 0x00, 0x11, 0x88, 0x6b, 0x68];
        let (h, net) = header(&f, 41);
        let hdr = "Q.922, hdr-len 4, DLCI 5769024, Flags [none], NLPID unknown (0x11), length 41: ";
        assert_eq!(h, format!("{hdr}UI 00! {hdr}"));
        assert_eq!(net, "dump 3");
        // DLCI 0: no EtherType tried; a pad byte after a 2-byte address.
        let (h, _) = header(&[0x00, 0x01, 0x03, 0x00, 0xcc], 5);
        assert_eq!(
            h,
            "Pad! Q.922, hdr-len 2, DLCI 0, Flags [none], NLPID IPv4 (0xcc), length 5: "
        );
    }

    #[test]
    fn pads_fragments_and_cuts() {
        // 3-byte address without a pad byte.
        let f = [0x00, 0x0c, 0x07, 0x03, 0xb1, 0x80, 0x05];
        let (h, net) = header(&f, 7);
        assert_eq!(
            h,
            "No pad! Q.922, hdr-len 3, DLCI 1, Flags [BECN, FECN, sdlcore], NLPID FRF.15 (0xb1), length 7: "
        );
        assert_eq!(
            net,
            "FRF.15, seq 0x005, Flags [Begin],End-to-End Fragmentation, length 2"
        );
        let (h, net) = header(&[0x30, 0xb1, 0x03, 0xb1], 262144);
        assert!(h.ends_with("NLPID FRF.15 (0xb1), length 262144: "));
        assert_eq!(net, CUT);
        assert_eq!(header(&[0x01, 0, 0, 0], 4).1, "Q.922, invalid address");
        assert_eq!(header(&[0x48, 0xd1, 0x03], 3).1, CUT);
    }
}
