//! Ethernet II and 802.3 frames with their 802.1Q/QinQ tags: the header view, its decode
//! and tcpdump's `-e` form `AA-BB-.. > CC-DD-.., ethertype IPv4 (0x0800), length 54: `.

use super::arista;
use super::decode::{Decoder, Level, Link, MAX_TAGS, Net};
use super::llc::Llc;
use super::macsec::{self, SecTag};
use super::print::Printer;
use super::text::TextOut;
use arrayvec::ArrayVec;
use etherparse::Ethernet2HeaderSlice;

#[derive(Debug)]
pub struct Ethernet {
    pub source: [u8; 6],
    pub destination: [u8; 6],
    /// The type/length field after the addresses.
    pub ether_type: u16,
    /// Frame length on the wire.
    pub length: u32,
    pub vlans: ArrayVec<VlanTag, MAX_TAGS>,
    /// The LLC header of an 802.3 frame (type field ≤ 1500).
    pub llc: Option<Llc>,
    /// The 802.1AE SecTAG of a MACsec frame.
    pub macsec: Option<SecTag>,
    /// Arista's timestamp header.
    pub arista: Option<arista::Header>,
}

/// One 802.1Q tag and the type field that follows it.
#[derive(Clone, Copy, Debug)]
pub struct VlanTag {
    pub tci: u16,
    pub ether_type: u16,
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ethernet(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let Ok(header) = Ethernet2HeaderSlice::from_slice(data) else {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|ether]"),
            };
        };
        if wire_len < 14 {
            return Level {
                link: Link::None,
                net: Net::Truncated("[|ether]"),
            };
        }
        let mut eth = Ethernet {
            source: header.source(),
            destination: header.destination(),
            ether_type: header.ether_type().0,
            length: wire_len,
            vlans: ArrayVec::new(),
            llc: None,
            macsec: None,
            arista: None,
        };
        let mut rest = &data[14..];
        let mut len = wire_len - 14;
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
                macsec::Decoded::Stop(net) => net,
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
            // 802.3: the type field is the length of what follows, an LLC header.
            let (llc, net) = self.llc(rest, u32::from(ether_type));
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
    pub(super) fn ethernet(&mut self, eth: &Ethernet) {
        self.out.mac(&eth.source);
        self.out.s(" > ");
        self.out.mac(&eth.destination);
        let mut length = eth.length;
        if eth.ether_type <= 1500 {
            self.out.s(", 802.3");
            length = u32::from(eth.ether_type);
        } else if self.opts.brief {
            self.out.s(", ");
            self.ether_type_or_hex(eth.ether_type, "Unknown Ethertype (0x", ")");
        } else {
            self.out.s(", ethertype ");
            self.ether_type_and_number(eth.ether_type, "Unknown");
        }
        self.length(length);
        self.out.s(": ");
        if let Some(header) = &eth.arista {
            arista::print(self.out, header);
            // The original type field opens a new header, with the frame's length.
            if let Some(t) = header.inner_type {
                self.out.s("ethertype ");
                self.ether_type_and_number(t, "Unknown");
                self.length(eth.length);
                self.out.s(": ");
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
            } else if eth.llc.is_some() {
                // tcpdump 4.99 writes no separator between these two.
                self.out.s("802.3");
            }
        }
    }
}
