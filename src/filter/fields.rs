//! The header fields filters look at, read once per packet from the frame: a view over
//! bytes that never reads past the end (a truncated packet simply lacks the deeper fields).
//!
//! Deliberately what the kernel prefilter can also see, so that both agree: one VLAN tag
//! (802.1Q/802.1ad/QinQ TPIDs), IPv4 with options, the IPv6 fixed header (the protocol is
//! its Next Header; extension headers are not walked), TCP/UDP ports and TCP flags of the
//! first fragment only.

use crate::record::LinkType;

use crate::packet::numbers::ether_type::VLAN_TPIDS as TPIDS;

/// IP addresses of one layer as integers (IPv4 in the low 32 bits), so that prefix
/// checks are a mask and a compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpPair {
    pub v6: bool,
    pub src: u128,
    pub dst: u128,
}

impl IpPair {
    pub fn is_v6(&self) -> bool {
        self.v6
    }
}

fn be32(b: &[u8], at: usize) -> u128 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as u128
}

fn be128(b: &[u8], at: usize) -> u128 {
    let mut x = [0u8; 16];
    x.copy_from_slice(&b[at..at + 16]);
    u128::from_be_bytes(x)
}

/// The fields of one header stack (the outer packet, or what a tunnel carries).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Headers {
    /// (source, destination)
    pub macs: Option<([u8; 6], [u8; 6])>,
    pub vlan: Option<u16>,
    pub ethertype: Option<u16>,
    pub ip: Option<IpPair>,
    pub protocol: Option<u8>,
    /// (source, destination) of TCP or UDP.
    pub ports: Option<(u16, u16)>,
    pub tcp_flags: Option<u8>,
    /// Where the IP payload starts in the frame (for tunnels); None for non-first
    /// fragments, whose payload is no header.
    payload_offset: Option<usize>,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

impl Headers {
    /// Reads a frame of the given link type.
    pub fn parse(frame: &[u8], link: LinkType) -> Headers {
        match link {
            LinkType::ETHERNET => Self::ethernet(frame),
            LinkType::RAW => Self::raw_ip(frame, 0),
            _ => Headers::default(),
        }
    }

    fn ethernet(frame: &[u8]) -> Headers {
        let mut h = Headers::default();
        if frame.len() < 14 {
            return h;
        }
        let mut dst = [0u8; 6];
        let mut src = [0u8; 6];
        dst.copy_from_slice(&frame[0..6]);
        src.copy_from_slice(&frame[6..12]);
        h.macs = Some((src, dst));
        let mut off = 12;
        let Some(mut et) = be16(frame, off) else {
            return h;
        };
        if TPIDS.contains(&et) {
            let Some(tci) = be16(frame, off + 2) else {
                return h;
            };
            h.vlan = Some(tci & 0x0FFF);
            off += 4;
            let Some(inner) = be16(frame, off) else {
                return h;
            };
            et = inner;
        }
        h.ethertype = Some(et);
        h.ip_layer(frame, off + 2, et);
        h
    }

    fn raw_ip(frame: &[u8], off: usize) -> Headers {
        let mut h = Headers::default();
        match frame.get(off).map(|b| b >> 4) {
            Some(4) => h.ip_layer(frame, off, super::ETHERTYPE_IPV4),
            Some(6) => h.ip_layer(frame, off, super::ETHERTYPE_IPV6),
            _ => {}
        }
        h
    }

    fn ip_layer(&mut self, b: &[u8], off: usize, ethertype: u16) {
        let (l4, proto, first_fragment) = match ethertype {
            super::ETHERTYPE_IPV4 => {
                let Some(&vihl) = b.get(off) else { return };
                let ihl = ((vihl & 0x0F) as usize) * 4;
                if vihl >> 4 != 4 || ihl < 20 || b.len() < off + 20 {
                    return;
                }
                self.ip = Some(IpPair {
                    v6: false,
                    src: be32(b, off + 12),
                    dst: be32(b, off + 16),
                });
                let frag = be16(b, off + 6).unwrap_or(0) & 0x1FFF;
                (off + ihl, b[off + 9], frag == 0)
            }
            super::ETHERTYPE_IPV6 => {
                if b.len() < off + 40 || b[off] >> 4 != 6 {
                    return;
                }
                self.ip = Some(IpPair {
                    v6: true,
                    src: be128(b, off + 8),
                    dst: be128(b, off + 24),
                });
                (off + 40, b[off + 6], true)
            }
            _ => return,
        };
        self.protocol = Some(proto);
        if !first_fragment {
            return;
        }
        self.payload_offset = Some(l4);
        if proto == super::PROTO_TCP || proto == super::PROTO_UDP {
            if let (Some(s), Some(d)) = (be16(b, l4), be16(b, l4 + 2)) {
                self.ports = Some((s, d));
            }
            if proto == super::PROTO_TCP {
                self.tcp_flags = b.get(l4 + 13).copied();
            }
        }
    }

    /// The headers a tunnel in this packet carries: VXLAN on UDP `vxlan_port`, GRE
    /// (NVGRE = GRE carrying Ethernet), IP-in-IP (IPv4 or IPv6 inside).
    pub fn inner(&self, frame: &[u8], vxlan_port: u16) -> Option<Headers> {
        let off = self.payload_offset?;
        match self.protocol? {
            super::PROTO_UDP if self.ports?.1 == vxlan_port => {
                let inner = frame.get(off + 8 + 8..)?; // UDP header, VXLAN header
                Some(Self::ethernet(inner))
            }
            47 => {
                let flags = be16(frame, off)?;
                let proto = be16(frame, off + 2)?;
                // Optional checksum/offset (C), key (K) and sequence (S) words.
                let mut len = 4;
                if flags & 0x8000 != 0 {
                    len += 4;
                }
                if flags & 0x2000 != 0 {
                    len += 4;
                }
                if flags & 0x1000 != 0 {
                    len += 4;
                }
                let inner = frame.get(off + len..)?;
                match proto {
                    0x6558 => Some(Self::ethernet(inner)),
                    super::ETHERTYPE_IPV4 | super::ETHERTYPE_IPV6 => {
                        let mut h = Headers::default();
                        h.ip_layer(inner, 0, proto);
                        h.ethertype = Some(proto);
                        Some(h)
                    }
                    _ => None,
                }
            }
            4 | 41 => {
                let mut h = Self::raw_ip(frame.get(off..)?, 0);
                h.ethertype = Some(if self.protocol == Some(4) {
                    super::ETHERTYPE_IPV4
                } else {
                    super::ETHERTYPE_IPV6
                });
                Some(h)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn udp4_frame(vlan: Option<u16>, sport: u16, dport: u16) -> Vec<u8> {
        let mut f = vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1];
        if let Some(v) = vlan {
            f.extend_from_slice(&[0x81, 0x00]);
            f.extend_from_slice(&v.to_be_bytes());
        }
        f.extend_from_slice(&[0x08, 0x00]);
        f.extend_from_slice(&[
            0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ]);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&[0, 8, 0, 0]);
        f
    }

    #[test]
    fn reads_vlan_ip_and_ports_and_survives_truncation() {
        let f = udp4_frame(Some(42), 1234, 53);
        let h = Headers::parse(&f, LinkType::ETHERNET);
        assert_eq!(h.vlan, Some(42));
        assert_eq!(h.ethertype, Some(0x0800));
        assert_eq!(h.protocol, Some(17));
        assert_eq!(h.ports, Some((1234, 53)));
        assert_eq!(h.ip.unwrap().src, 0x0A00_0001);
        for n in 0..f.len() {
            let _ = Headers::parse(&f[..n], LinkType::ETHERNET);
        }
        let short = Headers::parse(&f[..40], LinkType::ETHERNET);
        assert!(short.ports.is_none() && short.ip.is_some());
    }
}
