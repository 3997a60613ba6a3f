//! A packet's fingerprint: a 32-bit hash of the fields that stay the same while the packet
//! crosses veth pairs, bridges, routers and NAT (`docs/spec/packet-path.md`): the IP length,
//! identification, fragment field and protocol, the transport header's sequence numbers
//! or length, the ICMP type and echo id/sequence, and the first payload bytes. Addresses,
//! ports, TTL, checksums and MACs are left out because forwarding and NAT rewrite them.
//! Non-IP frames hash their link-layer payload. A tunnel packet (VXLAN, Geneve, GRE) hashes
//! the packet it carries instead: encapsulation keeps the kernel buffer but adds outer
//! headers, so only the inner packet's fingerprint is the same before, inside and after
//! the tunnel.
//!
//! With the kernel's buffer address a fingerprint tells one packet from the next that
//! reuses the buffer; alone, it links sightings by content within a short window.

use crate::record::LinkType;

/// Payload bytes hashed after the transport header (present in a 128-byte snap of a
/// TCP/IPv6 packet with options).
const PAYLOAD_BYTES: usize = 8;
/// Link-layer payload bytes hashed for non-IP frames (an ARP packet is 28).
const OTHER_BYTES: usize = 46;
use crate::packet::numbers::ether_type::VLAN_TPIDS as TPIDS;
/// IANA ports of the UDP tunnels carrying Ethernet (the kernel's defaults).
const VXLAN_PORT: u16 = 4789;
const GENEVE_PORT: u16 = 6081;
/// Tunnels inside tunnels followed at most this deep (a bound on crafted frames).
const MAX_TUNNELS: u8 = 3;

/// FNV-1a, 32 bits: small, fast, good enough to tell packets of one flow apart.
struct Fnv(u32);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0x811c_9dc5)
    }
    fn bytes(&mut self, b: &[u8]) {
        for &x in b {
            self.0 ^= u32::from(x);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
    }
    /// Hashes `len` bytes at `at`, or what is there of them (a truncated capture).
    fn span(&mut self, b: &[u8], at: usize, len: usize) {
        if at < b.len() {
            self.bytes(&b[at..(at + len).min(b.len())]);
        }
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

/// Where the network layer starts in a frame of this link type, and its EtherType.
pub fn network_layer(frame: &[u8], link: LinkType) -> Option<(usize, u16)> {
    match link {
        LinkType::ETHERNET => {
            let mut off = 12;
            let mut et = be16(frame, off)?;
            while TPIDS.contains(&et) {
                off += 4;
                et = be16(frame, off)?;
            }
            Some((off + 2, et))
        }
        LinkType::LINUX_SLL => Some((16, be16(frame, 14)?)),
        LinkType::LINUX_SLL2 => Some((20, be16(frame, 0)?)),
        LinkType::RAW | LinkType(228) | LinkType(229) => match frame.first()? >> 4 {
            4 => Some((0, 0x0800)),
            6 => Some((0, 0x86DD)),
            _ => None,
        },
        _ => None,
    }
}

/// The fingerprint of a frame, or None when its link layer is unknown.
pub fn fingerprint(frame: &[u8], link: LinkType) -> Option<u32> {
    fingerprint_tunneled(frame, link).map(|(f, _)| f)
}

/// The fingerprint of a frame and whether the frame is a tunnel packet (the fingerprint
/// is then the carried packet's).
pub fn fingerprint_tunneled(frame: &[u8], link: LinkType) -> Option<(u32, bool)> {
    let (l3, ethertype) = network_layer(frame, link)?;
    let (inner, inner_type) = innermost(frame, l3, ethertype);
    Some((hash_at(frame, inner, inner_type), inner != l3))
}

/// The fingerprint of the packet whose network layer (of this EtherType) starts at `l3`
/// (of the packet it carries, when it is a tunnel packet).
pub fn fingerprint_at(frame: &[u8], l3: usize, ethertype: u16) -> u32 {
    let (l3, ethertype) = innermost(frame, l3, ethertype);
    hash_at(frame, l3, ethertype)
}

/// The innermost packet of a frame whose network layer starts at `l3`.
fn innermost(frame: &[u8], mut l3: usize, mut ethertype: u16) -> (usize, u16) {
    for _ in 0..MAX_TUNNELS {
        match tunnel_payload(frame, l3, ethertype) {
            Some(inner) => (l3, ethertype) = inner,
            None => break,
        }
    }
    (l3, ethertype)
}

/// The transport header of an unfragmented IPv4/IPv6 packet: (offset, protocol).
fn transport_of(frame: &[u8], l3: usize, ethertype: u16) -> Option<(usize, u8)> {
    match ethertype {
        0x0800 => {
            let ihl = usize::from(*frame.get(l3)? & 0x0f) * 4;
            let frag = be16(frame, l3 + 6)?;
            // Offset or more-fragments: not the whole packet, no tunnel header to trust.
            (ihl >= 20 && frag & 0x3fff == 0).then_some((l3 + ihl, *frame.get(l3 + 9)?))
        }
        0x86DD => Some((l3 + 40, *frame.get(l3 + 6)?)),
        _ => None,
    }
}

/// Where the packet carried by a tunnel packet starts: (network layer, EtherType). None
/// when the packet is no tunnel packet, or its inner packet is not in the capture.
fn tunnel_payload(frame: &[u8], l3: usize, ethertype: u16) -> Option<(usize, u16)> {
    let (l4, protocol) = transport_of(frame, l3, ethertype)?;
    let (inner, inner_type) = match protocol {
        17 => match be16(frame, l4 + 2)? {
            // VXLAN: 8 bytes, the I flag set, then an Ethernet frame.
            VXLAN_PORT if *frame.get(l4 + 8)? & 0x08 != 0 => (l4 + 16, 0x6558),
            // Geneve: version 0, 8 bytes plus options, the protocol it carries.
            GENEVE_PORT if *frame.get(l4 + 8)? >> 6 == 0 => {
                let options = usize::from(*frame.get(l4 + 8)? & 0x3f) * 4;
                (l4 + 16 + options, be16(frame, l4 + 10)?)
            }
            _ => return None,
        },
        // GRE version 0: 4 bytes plus checksum, key and sequence when flagged.
        47 => {
            let flags = *frame.get(l4)?;
            if *frame.get(l4 + 1)? & 0x07 != 0 {
                return None;
            }
            let optional = [0x80u8, 0x20, 0x10]
                .iter()
                .filter(|&&f| flags & f != 0)
                .count();
            (l4 + 4 + 4 * optional, be16(frame, l4 + 2)?)
        }
        _ => return None,
    };
    match inner_type {
        // Transparent Ethernet bridging: the inner frame's own EtherType (and VLAN tags).
        0x6558 => {
            let (off, et) = network_layer(frame.get(inner..)?, LinkType::ETHERNET)?;
            Some((inner + off, et))
        }
        0x0800 | 0x86DD => Some((inner, inner_type)),
        _ => None,
    }
    // Only when the inner network header is there: else the outer headers are all we have.
    .filter(|&(at, _)| at < frame.len())
}

fn hash_at(frame: &[u8], l3: usize, ethertype: u16) -> u32 {
    let mut h = Fnv::new();
    h.bytes(&ethertype.to_be_bytes());
    match ethertype {
        0x0800 if frame.len() >= l3 + 20 => {
            let ihl = usize::from(frame[l3] & 0x0f) * 4;
            h.span(frame, l3 + 2, 6); // total length, identification, fragment field
            h.span(frame, l3 + 9, 1); // protocol
            let frag_offset = be16(frame, l3 + 6).unwrap_or(0) & 0x1fff;
            if frag_offset == 0 && ihl >= 20 {
                transport(&mut h, frame, l3 + ihl, frame[l3 + 9]);
            }
        }
        0x86DD if frame.len() >= l3 + 40 => {
            h.span(frame, l3 + 4, 3); // payload length, next header
            transport(&mut h, frame, l3 + 40, frame[l3 + 6]);
        }
        _ => h.span(frame, l3, OTHER_BYTES),
    }
    h.0
}

/// Hashes the invariant part of a transport header at `l4` and the first payload bytes.
fn transport(h: &mut Fnv, b: &[u8], l4: usize, protocol: u8) {
    let payload = match protocol {
        // TCP: sequence, acknowledgement, data offset and flags.
        6 => {
            h.span(b, l4 + 4, 10);
            b.get(l4 + 12).map(|&x| l4 + usize::from(x >> 4) * 4)
        }
        // UDP, UDP-Lite: the length.
        17 | 136 => {
            h.span(b, l4 + 4, 2);
            Some(l4 + 8)
        }
        // ICMP, ICMPv6: type, code, and the rest of the header (echo id and sequence).
        1 | 58 => {
            h.span(b, l4, 2);
            h.span(b, l4 + 4, 4);
            Some(l4 + 8)
        }
        _ => Some(l4),
    };
    if let Some(p) = payload {
        h.span(b, p, PAYLOAD_BYTES);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udp4(src: [u8; 4], sport: u16, ttl: u8, id: u16, payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00];
        let total = 20 + 8 + payload.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8]);
        f.extend_from_slice(&id.to_be_bytes());
        f.extend_from_slice(&[0x40, 0, ttl, 17, 0xab, 0xcd]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&[10, 0, 0, 2]);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&53u16.to_be_bytes());
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0x12, 0x34]);
        f.extend_from_slice(payload);
        f
    }

    #[test]
    fn forwarding_and_nat_leave_the_fingerprint_alone() {
        let sent = udp4([10, 0, 0, 1], 4000, 64, 7, b"hello world");
        // Routed (TTL, checksum, MACs) and masqueraded (source address and port).
        let mut nat = udp4([192, 0, 2, 9], 61000, 63, 7, b"hello world");
        nat[0] = 0xee;
        let a = fingerprint(&sent, LinkType::ETHERNET).unwrap();
        assert_eq!(a, fingerprint(&nat, LinkType::ETHERNET).unwrap());
        // The same packet as raw IP (a drop record starts at the network header).
        assert_eq!(a, fingerprint(&sent[14..], LinkType::RAW).unwrap());
    }

    #[test]
    fn different_packets_differ() {
        let a = fingerprint(
            &udp4([10, 0, 0, 1], 4000, 64, 7, b"aaaa"),
            LinkType::ETHERNET,
        );
        let id = fingerprint(
            &udp4([10, 0, 0, 1], 4000, 64, 8, b"aaaa"),
            LinkType::ETHERNET,
        );
        let data = fingerprint(
            &udp4([10, 0, 0, 1], 4000, 64, 7, b"aaab"),
            LinkType::ETHERNET,
        );
        assert_ne!(a, id);
        assert_ne!(a, data);
    }

    /// `inner` carried over IPv4 by protocol `proto` behind the tunnel header `tunnel`.
    fn encap(proto: u8, tunnel: &[u8], inner: &[u8]) -> Vec<u8> {
        let mut f = vec![0x02, 0, 0, 0, 0, 4, 0x02, 0, 0, 0, 0, 3, 0x08, 0x00];
        let total = 20 + tunnel.len() + inner.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0x12, 0x34]);
        f.extend_from_slice(&[0x40, 0, 64, proto, 0, 0, 192, 168, 0, 1, 192, 168, 0, 2]);
        f.extend_from_slice(tunnel);
        f.extend_from_slice(inner);
        f
    }

    fn udp_tunnel(dport: u16, header: [u8; 8], inner: &[u8]) -> Vec<u8> {
        let mut t = 50_000u16.to_be_bytes().to_vec();
        t.extend_from_slice(&dport.to_be_bytes());
        t.extend_from_slice(&((16 + inner.len()) as u16).to_be_bytes());
        t.extend_from_slice(&[0, 0]);
        t.extend_from_slice(&header);
        encap(17, &t, inner)
    }

    const VXLAN: [u8; 8] = [0x08, 0, 0, 0, 0, 0, 42, 0];

    #[test]
    fn tunnels_fingerprint_the_packet_they_carry() {
        let inner = udp4([10, 0, 0, 1], 4000, 64, 7, b"hello world");
        let want = fingerprint(&inner, LinkType::ETHERNET).unwrap();
        let vxlan = udp_tunnel(4789, VXLAN, &inner);
        assert_eq!(fingerprint(&vxlan, LinkType::ETHERNET), Some(want));
        assert_eq!(
            fingerprint_tunneled(&vxlan, LinkType::ETHERNET),
            Some((want, true))
        );
        assert_eq!(
            fingerprint_tunneled(&inner, LinkType::ETHERNET),
            Some((want, false))
        );
        // A drop record of the outer packet starts at its network header.
        assert_eq!(fingerprint(&vxlan[14..], LinkType::RAW), Some(want));
        let geneve = udp_tunnel(6081, [0, 0, 0x65, 0x58, 0, 0, 42, 0], &inner);
        assert_eq!(fingerprint(&geneve, LinkType::ETHERNET), Some(want));
        // GRE with a key, carrying IPv4 itself (no inner Ethernet).
        let gre = encap(47, &[0x20, 0, 0x08, 0x00, 0, 0, 0, 9], &inner[14..]);
        assert_eq!(fingerprint(&gre, LinkType::ETHERNET), Some(want));
        // Another inner packet in the same tunnel is another packet.
        let other = udp4([10, 0, 0, 1], 4000, 64, 8, b"hello world");
        assert_ne!(
            fingerprint(&udp_tunnel(4789, VXLAN, &other), LinkType::ETHERNET),
            Some(want)
        );
    }

    #[test]
    fn not_a_tunnel_or_cut_before_the_inner_packet() {
        let inner = udp4([10, 0, 0, 1], 4000, 64, 7, b"hello world");
        let want = fingerprint(&inner, LinkType::ETHERNET);
        // Other ports, and VXLAN without its I flag, are plain UDP.
        assert_ne!(
            fingerprint(&udp_tunnel(4790, VXLAN, &inner), LinkType::ETHERNET),
            want
        );
        assert_ne!(
            fingerprint(&udp_tunnel(4789, [0; 8], &inner), LinkType::ETHERNET),
            want
        );
        // A capture cut before the inner network header hashes the outer packet; cuts
        // anywhere never panic.
        let vxlan = udp_tunnel(4789, VXLAN, &inner);
        let cut = fingerprint(&vxlan[..14 + 20 + 8 + 8 + 14], LinkType::ETHERNET);
        assert!(cut.is_some() && cut != want);
        for n in 0..vxlan.len() {
            let _ = fingerprint(&vxlan[..n], LinkType::ETHERNET);
        }
    }

    #[test]
    fn vlan_tags_and_short_frames() {
        let plain = udp4([10, 0, 0, 1], 4000, 64, 7, b"x");
        let mut tagged = plain[..12].to_vec();
        tagged.extend_from_slice(&[0x81, 0x00, 0x00, 0x05]);
        tagged.extend_from_slice(&plain[12..]);
        assert_eq!(
            fingerprint(&plain, LinkType::ETHERNET),
            fingerprint(&tagged, LinkType::ETHERNET)
        );
        // Truncated frames never panic.
        for n in 0..plain.len() {
            let _ = fingerprint(&plain[..n], LinkType::ETHERNET);
            let _ = fingerprint(&plain[14..14 + n.min(plain.len() - 14)], LinkType::RAW);
        }
        assert_eq!(fingerprint(&plain, LinkType(147)), None);
    }
}
