//! GRE: the header view, its decode (payload → next level) and tcpdump's printer.

use super::decode::{Decoder, Inner, MAX_LEVELS, Printed, be16, be32};
use super::numbers::ether_type;
use super::print::Printer;
use super::text::TextOut;

#[derive(Debug)]
pub struct Gre<'a> {
    pub version: u8,
    pub flags: u16,
    /// `None` when cut short before the protocol field.
    pub protocol: Option<u16>,
    pub offset: Option<u16>,
    pub key: Option<u32>,
    pub sequence: Option<u32>,
    /// Version 1 (PPTP) only: the acknowledgment number.
    pub ack: Option<u32>,
    /// Wire length of the GRE packet.
    pub length: u32,
    /// The source route entries (captured bytes from the first, wire bytes left).
    pub routing: Option<(&'a [u8], u32)>,
    /// The optional fields were cut short.
    pub truncated: bool,
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn gre(&mut self, data: &'a [u8], len: u32) -> Gre<'a> {
        let mut gre = Gre {
            version: 0,
            flags: 0,
            protocol: None,
            offset: None,
            key: None,
            sequence: None,
            ack: None,
            length: len,
            routing: None,
            truncated: true,
        };
        let Some(flags) = be16(data, 0) else {
            return gre;
        };
        gre.flags = flags;
        gre.version = (flags & 0x0007) as u8;
        if gre.version > 1 {
            gre.truncated = false;
            return gre;
        }
        let Some(protocol) = be16(data, 2).filter(|_| len >= 4) else {
            return gre;
        };
        gre.protocol = Some(protocol);
        let mut at = 4usize;
        let mut left = len - 4;
        let v0 = gre.version == 0;
        if v0 && flags & 0xC000 != 0 {
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
        if !v0 && flags & 0x0080 != 0 {
            let Some(ack) = be32(data, at).filter(|_| left >= 4) else {
                return gre;
            };
            gre.ack = Some(ack);
            at += 4;
            left -= 4;
        }
        if v0 && flags & 0x4000 != 0 {
            let routes = &data[at.min(data.len())..];
            gre.routing = Some((routes, left));
            let Some(taken) = source_routes(routes, left, None) else {
                return gre;
            };
            at += taken;
            left -= taken as u32;
        }
        gre.truncated = false;
        let inner = &data[at.min(data.len())..];
        if !v0 {
            // PPTP's GRE carries PPP, and only in a packet with a sequence number.
            if flags & 0x1000 != 0 && protocol == ether_type::PPP && self.depth + 1 < MAX_LEVELS {
                self.inner = Some(Inner::Ppp(inner, left));
            }
            return gre;
        }
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
    pub(super) fn gre(&mut self, gre: &Gre<'_>) {
        self.out.s("GREv");
        self.out.num(gre.version);
        if gre.version > 1 {
            self.out.s(" ERROR: unknown-version");
            return;
        }
        if self.opts.verbose > 0 {
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
        match gre.key {
            Some(key) if gre.version == 1 => {
                self.out.s(", call ");
                self.out.num(key & 0xffff);
            }
            Some(key) => {
                self.out.s(", key=0x");
                self.out.hex(u64::from(key), 0);
            }
            None => {}
        }
        if let Some(seq) = gre.sequence {
            self.out.s(", seq ");
            self.out.num(seq);
        }
        if let Some(ack) = gre.ack {
            self.out.s(", ack ");
            self.out.num(ack);
        }
        if let Some((routes, left)) = gre.routing {
            source_routes(routes, left, Some(self.out));
        }
        if gre.truncated {
            self.out.s(" [|gre]");
            return;
        }
        let payload = gre.version == 0 || gre.flags & 0x1000 != 0;
        if !payload {
            self.out.s(", no-payload");
        }
        if let (Some(p), true) = (gre.protocol, self.eflag()) {
            self.out.s(", proto ");
            self.ether_type_and_number(p, "unknown");
        }
        self.length(gre.length);
        let named = match gre.version {
            0 => GRE_PAYLOADS_NAMED,
            _ => &[ether_type::PPP],
        };
        if let Some(p) = gre.protocol.filter(|p| payload && !named.contains(p)) {
            self.out.s(": gre-proto-0x");
            self.out.hex(u64::from(p), 0);
        }
    }
}

/// GRE payloads tcpdump prints (we print the IP and Ethernet ones); any other is
/// `gre-proto-0x..`.
pub(super) const GRE_PAYLOADS_NAMED: &[u16] = &[0x0800, 0x86dd, 0x6558, 0x8847, 0x00fe, 0x880b];

/// Source route entry address families tcpdump lists.
const SRE_IP: u16 = 0x0800;
const SRE_ASN: u16 = 0xfffe;

/// Walks the source route entries in `routes` (captured bytes; `left` on the wire),
/// printing each into `out` when given (tcpdump's `, (rtaf=ip 10.0.0.1 *10.0.0.2)`):
/// the bytes up to and with the closing null entry, or `None` where they are cut short.
fn source_routes(routes: &[u8], mut left: u32, mut out: Option<&mut Vec<u8>>) -> Option<usize> {
    let mut at = 0usize;
    loop {
        let head = routes.get(at..at + 4).filter(|_| left >= 4)?;
        let (af, offset, len) = (u16::from_be_bytes([head[0], head[1]]), head[2], head[3]);
        at += 4;
        left -= 4;
        if af == 0 && len == 0 {
            return Some(at);
        }
        let entry = routes.get(at..).unwrap_or(&[]);
        let listed = route_entry(out.as_deref_mut(), af, offset, len, entry, left);
        if !listed || left < u32::from(len) {
            return None;
        }
        at += usize::from(len);
        left -= u32::from(len);
    }
}

/// One entry: `, (rtaf=ip ...)`; false when its addresses are cut short.
fn route_entry(
    mut out: Option<&mut Vec<u8>>,
    af: u16,
    offset: u8,
    len: u8,
    entry: &[u8],
    left: u32,
) -> bool {
    let (name, unit) = match af {
        SRE_IP => ("ip", 4),
        SRE_ASN => ("asn", 2),
        _ => {
            if let Some(out) = out {
                out.s(", (rtaf=0x");
                out.hex(u64::from(af), 0);
                out.s(")");
            }
            return true;
        }
    };
    if let Some(out) = out.as_deref_mut() {
        out.s(", (rtaf=");
        out.s(name);
    }
    let whole = route_addresses(out.as_deref_mut(), unit, offset, len, entry, left);
    if let Some(out) = out {
        out.s(")");
    }
    whole
}

/// The entry's addresses, `*` before the one its offset points at; an offset or length
/// that misfits the address size is named instead. False when cut short.
fn route_addresses(
    out: Option<&mut Vec<u8>>,
    unit: u8,
    offset: u8,
    len: u8,
    entry: &[u8],
    mut left: u32,
) -> bool {
    let misfit = if !offset.is_multiple_of(unit) {
        Some(("badoffset=", offset, None))
    } else if !len.is_multiple_of(unit) {
        Some(("badlength=", len, None))
    } else if offset >= len {
        Some(("badoff/len=", offset, Some(len)))
    } else {
        None
    };
    if let Some((what, n, m)) = misfit {
        if let Some(out) = out {
            out.s(", ");
            out.s(what);
            out.num(n);
            if let Some(m) = m {
                out.s("/");
                out.num(m);
            }
        }
        return true;
    }
    let mut out = out;
    let unit = usize::from(unit);
    for at in (0..usize::from(len)).step_by(unit) {
        let Some(a) = entry.get(at..at + unit).filter(|_| left >= unit as u32) else {
            return false;
        };
        left -= unit as u32;
        if let Some(out) = out.as_deref_mut() {
            out.s(if at == usize::from(offset) { " *" } else { " " });
            match a {
                [a, b, c, d] => out.ipv4([*a, *b, *c, *d]),
                _ => out.hex(u64::from(u16::from_be_bytes([a[0], a[1]])), 0),
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    /// The lines for a raw IPv4 datagram given in hex (all of it captured).
    fn lines(hex: &str) -> String {
        let frame: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        crate::packet::text::frame_text(crate::record::LinkType::RAW, &frame, frame.len() as u32)
    }

    const IP: &str = "450000__00000000402f00000102030405060708";

    fn gre(total: &str, gre: &str) -> String {
        lines(&format!("{}{gre}", IP.replace("__", total)))
    }

    #[test]
    fn source_routes() {
        // An unknown address family, then the packet ends inside its entry.
        assert_eq!(
            gre("20", "400008000000001030300008"),
            "ip: 1.2.3.4 > 5.6.7.8: GREv0, off 0x10, (rtaf=0x3030) [|gre]\n"
        );
        // IPv4 addresses, the offset's one starred, then the null entry.
        assert_eq!(
            gre("2c", "4000080000000000080004080a0000010a00000200000000"),
            "ip: 1.2.3.4 > 5.6.7.8: GREv0, off 0x0, (rtaf=ip 10.0.0.1 *10.0.0.2), \
             proto IPv4 (0x0800), length 24\n[|ip]\n"
        );
    }

    #[test]
    fn pptp_carries_ppp() {
        assert_eq!(
            gre("28", "3001880b0004000700000009ff03c02109010004"),
            "ip: 1.2.3.4 > 5.6.7.8: GREv1, call 7, seq 9, proto PPP (0x880b), length 20\n\
             LCP (0xc021), length 8: LCP, Echo-Request (0x09), id 1, length 6\n"
        );
        assert_eq!(
            gre("20", "2081880b0004000700000009"),
            "ip: 1.2.3.4 > 5.6.7.8: GREv1, call 7, ack 9, no-payload, proto PPP (0x880b), \
             length 12\n"
        );
    }
}
