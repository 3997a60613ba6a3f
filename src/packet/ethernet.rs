//! Ethernet II and 802.3 frames with their 802.1Q/QinQ tags: the header view, its decode
//! and tcpdump's `-e` form `AA-BB-.. > CC-DD-.., ethertype IPv4 (0x0800), length 54: `.

use super::arista;
use super::decode::{Decoder, Level, Link, MAX_TAGS, Net};
use super::llc::Llc;
use super::macsec::{self, SecTag};
use super::print::Printer;
use super::text::TextOut;
use arrayvec::ArrayVec;

#[derive(Debug)]
pub struct Ethernet {
    pub source: [u8; 6],
    pub destination: [u8; 6],
    /// The type/length field after the addresses.
    pub ether_type: u16,
    /// Frame length on the wire.
    pub length: u32,
    /// An 802.3 frame's length field, cut to the bytes the frame has after it (what
    /// tcpdump prints as its length).
    pub llc_length: u32,
    pub vlans: ArrayVec<VlanTag, MAX_TAGS>,
    /// The LLC header of an 802.3 frame (type field ≤ 1500).
    pub llc: Option<Llc>,
    /// The 802.1AE SecTAG of a MACsec frame.
    pub macsec: Option<SecTag>,
    /// Arista's timestamp header.
    pub arista: Option<arista::Header>,
    /// A switch's tag in (or before) the frame.
    pub switch_tag: Option<SwitchTag>,
}

/// Which switch tag a link type puts in its Ethernet frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SwitchTagKind {
    /// Broadcom, after the MAC addresses.
    Brcm,
    /// Broadcom, before the frame (printed with `-e` only).
    BrcmPrepended,
    /// Marvell DSA, after the MAC addresses.
    Dsa,
    /// Marvell EDSA, after the MAC addresses.
    Edsa,
}

impl SwitchTagKind {
    pub fn tag_len(self) -> usize {
        match self {
            SwitchTagKind::Brcm | SwitchTagKind::BrcmPrepended => super::brcm_tag::TAG_LEN,
            SwitchTagKind::Dsa => super::dsa::DSA_LEN,
            SwitchTagKind::Edsa => super::dsa::EDSA_LEN,
        }
    }

    /// tcpdump's mark for a frame cut short before the type field.
    fn cut(self) -> &'static str {
        match self {
            SwitchTagKind::Brcm => " [|brcm-tag]",
            SwitchTagKind::BrcmPrepended => " [|ether]",
            SwitchTagKind::Dsa => " [|dsa]",
            SwitchTagKind::Edsa => " [|edsa]",
        }
    }
}

/// A switch tag and its bytes (the first `kind.tag_len()` are used).
#[derive(Clone, Copy, Debug)]
pub struct SwitchTag {
    pub kind: SwitchTagKind,
    pub bytes: [u8; 8],
}

impl SwitchTag {
    /// The tag's text, ending with `, `.
    pub fn print(&self, out: &mut Vec<u8>, eflag: bool) {
        let b = &self.bytes;
        let four = [b[0], b[1], b[2], b[3]];
        match self.kind {
            SwitchTagKind::Brcm | SwitchTagKind::BrcmPrepended => {
                super::brcm_tag::print(out, &four)
            }
            SwitchTagKind::Dsa => super::dsa::print_dsa(out, &four, eflag),
            SwitchTagKind::Edsa => super::dsa::print_edsa(out, b, eflag),
        }
    }
}

/// One 802.1Q tag and the type field that follows it.
#[derive(Clone, Copy, Debug)]
pub struct VlanTag {
    pub tci: u16,
    pub ether_type: u16,
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ethernet(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        self.tagged_ethernet(data, wire_len, None)
    }

    /// An Ethernet frame with a switch's tag of `kind` (a Broadcom tag before the frame,
    /// other tags between the MAC addresses and the type field).
    pub(super) fn switch_tagged(
        &mut self,
        data: &'a [u8],
        wire_len: u32,
        kind: SwitchTagKind,
    ) -> Level<'a> {
        let mut tag = SwitchTag {
            kind,
            bytes: [0; 8],
        };
        let n = kind.tag_len();
        if kind != SwitchTagKind::BrcmPrepended {
            return self.tagged_ethernet(data, wire_len, Some(tag));
        }
        let Some(b) = data.get(..n) else {
            return Level {
                link: Link::None,
                net: Net::Truncated(" [|brcm-tag-prepend]"),
            };
        };
        tag.bytes[..n].copy_from_slice(b);
        self.tagged_ethernet(&data[n..], wire_len.saturating_sub(n as u32), Some(tag))
    }

    fn tagged_ethernet(
        &mut self,
        data: &'a [u8],
        wire_len: u32,
        mut tag: Option<SwitchTag>,
    ) -> Level<'a> {
        // Bytes of the tag between the addresses and the type field.
        let inner = tag
            .filter(|t| t.kind != SwitchTagKind::BrcmPrepended)
            .map_or(0, |t| t.kind.tag_len());
        let type_at = 12 + inner;
        if data.len() < type_at + 2 || (wire_len as usize) < type_at + 2 {
            return Level {
                link: Link::None,
                net: Net::Truncated(tag.map_or("[|ether]", |t| t.kind.cut())),
            };
        }
        if let Some(t) = tag.as_mut().filter(|_| inner > 0) {
            t.bytes[..inner].copy_from_slice(&data[12..type_at]);
        }
        let mut eth = Ethernet {
            source: data[6..12].try_into().unwrap_or_default(),
            destination: data[0..6].try_into().unwrap_or_default(),
            ether_type: u16::from_be_bytes([data[type_at], data[type_at + 1]]),
            length: wire_len,
            llc_length: 0,
            vlans: ArrayVec::new(),
            llc: None,
            macsec: None,
            switch_tag: tag,
            arista: None,
        };
        let hdr_len = type_at + 2;
        let mut rest = &data[hdr_len..];
        let mut len = wire_len - hdr_len as u32;
        let mut ether_type = eth.ether_type;
        if ether_type == super::numbers::ether_type::ARISTA {
            let net = match arista::decode(rest) {
                None => Net::Truncated("[|arista]"),
                Some((mut header, end)) => match end {
                    arista::End::Known(n) => {
                        let inner = rest.get(n..).and_then(|r| super::decode::be16(r, 0));
                        match (inner, len.checked_sub(n as u32 + 2)) {
                            (Some(inner), Some(inner_len)) => {
                                header.inner_type = Some(inner);
                                eth.arista = Some(header);
                                ether_type = inner;
                                rest = &rest[n + 2..];
                                len = inner_len;
                                Net::None
                            }
                            _ => {
                                eth.arista = Some(header);
                                Net::Truncated(" [|ether]")
                            }
                        }
                    }
                    arista::End::Cut => {
                        eth.arista = Some(header);
                        Net::Truncated(" [|arista]")
                    }
                    arista::End::Unknown => {
                        eth.arista = Some(header);
                        Net::Unknown(rest)
                    }
                },
            };
            if !matches!(net, Net::None) {
                return Level {
                    link: Link::Ethernet(eth),
                    net,
                };
            }
        }
        if ether_type == super::numbers::ether_type::MACSEC {
            let net = match macsec::decode(rest, len) {
                macsec::Decoded::Stop(mark) => Net::Truncated(mark),
                macsec::Decoded::Cut(tag) => {
                    eth.macsec = Some(tag);
                    Net::Truncated(" [|macsec]")
                }
                macsec::Decoded::Encrypted(tag, payload) => {
                    eth.macsec = Some(tag);
                    Net::Unknown(payload)
                }
                macsec::Decoded::Clear(mut tag, data, data_len) => {
                    match (super::decode::be16(data, 0), data_len.checked_sub(2)) {
                        (Some(inner), Some(inner_len)) => {
                            tag.inner_type = Some(inner);
                            eth.macsec = Some(tag);
                            ether_type = inner;
                            rest = &data[2..];
                            len = inner_len;
                            Net::None
                        }
                        _ => {
                            eth.macsec = Some(tag);
                            Net::Truncated(" [|ether]")
                        }
                    }
                }
            };
            if eth.macsec.and_then(|t| t.inner_type).is_none() {
                return Level {
                    link: Link::Ethernet(eth),
                    net,
                };
            }
        }
        while super::names::is_vlan_ether_type(ether_type) {
            if rest.len() < 4 || len < 4 || eth.vlans.is_full() {
                return Level {
                    link: Link::Ethernet(eth),
                    net: Net::Truncated("[|vlan]"),
                };
            }
            let tci = u16::from_be_bytes([rest[0], rest[1]]);
            ether_type = u16::from_be_bytes([rest[2], rest[3]]);
            eth.vlans.push(VlanTag { tci, ether_type });
            rest = &rest[4..];
            len -= 4;
        }
        let net = if ether_type <= 1500 {
            // 802.3: the type field is the length of what follows, an LLC header (at
            // most the rest of the frame).
            eth.llc_length = u32::from(ether_type).min(len);
            let (llc, net) = self.llc(rest, eth.llc_length);
            eth.llc = llc;
            net
        } else {
            match self.ether_payload(ether_type, rest, len) {
                // tcpdump has no printer for a type it cannot name: it dumps the bytes.
                Net::None if super::names::ether_type(ether_type).is_none() => Net::Unknown(rest),
                net => net,
            }
        };
        Level {
            link: Link::Ethernet(eth),
            net,
        }
    }
}

impl Printer<'_> {
    /// A switch tag between the MAC addresses, which tcpdump prints even without `-e`.
    pub(super) fn switch_tag_alone(&mut self, eth: &Ethernet) {
        if let Some(t) = eth
            .switch_tag
            .filter(|t| t.kind != SwitchTagKind::BrcmPrepended)
        {
            t.print(self.out, false);
        }
    }

    /// `ethertype IPv4 (0x0800), length 54: ` (or `802.3, length N: `).
    fn type_and_length(&mut self, ether_type: u16, length: u32) {
        if ether_type <= 1500 {
            self.out.s("802.3");
        } else if self.opts.brief {
            self.ether_type_or_hex(ether_type, "Unknown Ethertype (0x", ")");
        } else {
            self.out.s("ethertype ");
            self.ether_type_and_number(ether_type, "Unknown");
        }
        self.length(length);
        self.out.s(": ");
    }

    pub(super) fn ethernet(&mut self, eth: &Ethernet) {
        let tag = eth.switch_tag;
        let prepended = tag.filter(|t| t.kind == SwitchTagKind::BrcmPrepended);
        if let Some(t) = prepended {
            t.print(self.out, true);
        }
        self.out.mac(&eth.source);
        self.out.s(" > ");
        self.out.mac(&eth.destination);
        self.out.s(", ");
        if let Some(t) = tag.filter(|_| prepended.is_none()) {
            t.print(self.out, true);
        }
        let length = if eth.ether_type <= 1500 {
            eth.llc_length
        } else {
            eth.length
        };
        self.type_and_length(eth.ether_type, length);
        if let Some(header) = &eth.arista {
            arista::print(self.out, header);
            // The original type field opens a new header, with the frame's length.
            if let Some(t) = header.inner_type {
                let length = if t <= 1500 { u32::from(t) } else { eth.length };
                self.type_and_length(t, length);
            }
        }
        if let Some(tag) = &eth.macsec {
            macsec::print(self.out, tag);
            match tag.inner_type {
                Some(t) if t > 1500 => {
                    self.out.s("ethertype ");
                    self.ether_type_and_number(t, "Unknown");
                    self.out.s(", ");
                }
                Some(_) => self.out.s("802.3"),
                None => {}
            }
        }
        for tag in &eth.vlans {
            self.out.s("vlan ");
            self.out.num(tag.tci & 0x0FFF);
            self.out.s(", p ");
            self.out.num(tag.tci >> 13);
            if tag.tci & 0x1000 != 0 {
                self.out.s(", DEI");
            }
            self.out.s(", ");
            if tag.ether_type > 1500 {
                self.out.s("ethertype ");
                self.ether_type_and_number(tag.ether_type, "Unknown");
                self.out.s(", ");
            } else {
                // A length field (LLC follows, whole or cut short): tcpdump 4.99
                // writes no separator between these two.
                self.out.s("802.3");
            }
        }
    }
}
