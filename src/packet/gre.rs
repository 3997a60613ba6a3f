//! GRE: the header view, its decode (payload → next level) and tcpdump's printer.

use super::decode::{Decoder, Inner, MAX_LEVELS, Printed, be16, be32};
use super::numbers::ether_type;
use super::print::Printer;
use super::text::TextOut;

#[derive(Debug)]
pub struct Gre {
    pub version: u8,
    pub flags: u16,
    /// `None` when cut short before the protocol field.
    pub protocol: Option<u16>,
    pub offset: Option<u16>,
    pub key: Option<u32>,
    pub sequence: Option<u32>,
    /// Wire length of the GRE packet.
    pub length: u32,
    /// The optional fields were cut short.
    pub truncated: bool,
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn gre(&mut self, data: &'a [u8], len: u32) -> Gre {
        let mut gre = Gre {
            version: 0,
            flags: 0,
            protocol: None,
            offset: None,
            key: None,
            sequence: None,
            length: len,
            truncated: true,
        };
        let Some(flags) = be16(data, 0) else {
            return gre;
        };
        gre.flags = flags;
        gre.version = (flags & 0x0007) as u8;
        if gre.version != 0 {
            gre.truncated = false;
            return gre;
        }
        let Some(protocol) = be16(data, 2).filter(|_| len >= 4) else {
            return gre;
        };
        gre.protocol = Some(protocol);
        let mut at = 4usize;
        let mut left = len - 4;
        if flags & 0xC000 != 0 {
            // Checksum present: it and the offset field take 4 bytes.
            let Some(off) = be16(data, at + 2).filter(|_| left >= 4) else {
                return gre;
            };
            gre.offset = Some(off);
            at += 4;
            left -= 4;
        }
        if flags & 0x2000 != 0 {
            let Some(key) = be32(data, at).filter(|_| left >= 4) else {
                return gre;
            };
            gre.key = Some(key);
            at += 4;
            left -= 4;
        }
        if flags & 0x1000 != 0 {
            let Some(seq) = be32(data, at).filter(|_| left >= 4) else {
                return gre;
            };
            gre.sequence = Some(seq);
            at += 4;
            left -= 4;
        }
        if flags & 0x4000 != 0 {
            // Source routing entries are rare and obsolete; stop here.
            return gre;
        }
        gre.truncated = false;
        let inner = &data[at.min(data.len())..];
        if self.depth + 1 < MAX_LEVELS {
            self.inner = match protocol {
                0x0800 => Some(Inner::Ipv4(inner, left)),
                0x86dd => Some(Inner::Ipv6(inner, left)),
                0x6558 => Some(Inner::Ethernet(inner, left)),
                ether_type::GRE_OSI => Some(Inner::Printed(Printed {
                    print: super::osi::print,
                    data: inner,
                    length: left,
                })),
                _ => None,
            };
        }
        gre
    }
}

impl Printer<'_> {
    pub(super) fn gre(&mut self, gre: &Gre) {
        self.out.s("GREv");
        self.out.num(gre.version);
        if gre.version > 1 {
            self.out.s(" ERROR: unknown-version");
            return;
        }
        if gre.version == 0 && self.opts.verbose > 0 {
            self.out.s(", Flags [");
            self.bit_names(
                gre.flags,
                &[
                    (0x8000, "checksum present"),
                    (0x4000, "routing present"),
                    (0x2000, "key present"),
                    (0x1000, "sequence# present"),
                    (0x0800, "strict source route"),
                    (0x0080, "acknowledgment# present"),
                ],
            );
            self.out.s("]");
        }
        if let Some(off) = gre.offset {
            self.out.s(", off 0x");
            self.out.hex(u64::from(off), 0);
        }
        if let Some(key) = gre.key {
            self.out.s(", key=0x");
            self.out.hex(u64::from(key), 0);
        }
        if let Some(seq) = gre.sequence {
            self.out.s(", seq ");
            self.out.num(seq);
        }
        if gre.truncated {
            self.out.s(" [|gre]");
            return;
        }
        if let (Some(p), true) = (gre.protocol, self.eflag()) {
            self.out.s(", proto ");
            self.ether_type_and_number(p, "unknown");
        }
        self.length(gre.length);
        if let Some(p) = gre.protocol.filter(|p| !GRE_PAYLOADS_NAMED.contains(p)) {
            self.out.s(": gre-proto-0x");
            self.out.hex(u64::from(p), 0);
        }
    }
}

/// GRE payloads tcpdump prints (we print the IP and Ethernet ones); any other is
/// `gre-proto-0x..`.
pub(super) const GRE_PAYLOADS_NAMED: &[u16] = &[0x0800, 0x86dd, 0x6558, 0x8847, 0x00fe, 0x880b];
