//! Hand-assembled frames for decoder tests: every protocol the text decoder knows, with
//! correct lengths and checksums, plus pcap/pcapng files holding them.
#![allow(dead_code)]

use pktmon::pcapng::{InterfaceDescription, PcapngWriter};
use pktmon::record::{Direction, LinkType, PacketRecord, RecordKind};
use std::borrow::Cow;
use std::path::Path;

pub const MAC_A: [u8; 6] = [0x54, 0x8c, 0xa0, 0x98, 0x0e, 0x25];
pub const MAC_B: [u8; 6] = [0x3c, 0x84, 0x6a, 0x01, 0xea, 0x8b];
pub const IP_A: [u8; 4] = [192, 168, 0, 111];
pub const IP_B: [u8; 4] = [31, 171, 152, 19];
pub const IP6_A: [u8; 16] = [
    0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x59, 0xdf, 0x1e, 0xbf, 0x95, 0xe6, 0x52, 0xa5,
];
pub const IP6_B: [u8; 16] = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xfb];

fn sum16(mut sum: u32, data: &[u8]) -> u32 {
    for c in data.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    sum
}

fn fold(mut sum: u32) -> u16 {
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

pub fn eth(src: [u8; 6], dst: [u8; 6], ether_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::new();
    f.extend_from_slice(&dst);
    f.extend_from_slice(&src);
    f.extend_from_slice(&ether_type.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

pub fn vlan(tci: u16, inner_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = tci.to_be_bytes().to_vec();
    f.extend_from_slice(&inner_type.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// IPv4 with a correct header checksum; `flags_frag` is the raw flags/offset field.
#[allow(clippy::too_many_arguments)]
pub fn ipv4_full(
    src: [u8; 4],
    dst: [u8; 4],
    proto: u8,
    ttl: u8,
    id: u16,
    flags_frag: u16,
    options: &[u8],
    payload: &[u8],
) -> Vec<u8> {
    assert_eq!(options.len() % 4, 0);
    let hlen = 20 + options.len();
    let total = (hlen + payload.len()) as u16;
    let mut h = vec![0x40 | (hlen / 4) as u8, 0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&id.to_be_bytes());
    h.extend_from_slice(&flags_frag.to_be_bytes());
    h.extend_from_slice(&[ttl, proto, 0, 0]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    h.extend_from_slice(options);
    let c = fold(sum16(0, &h));
    h[10..12].copy_from_slice(&c.to_be_bytes());
    h.extend_from_slice(payload);
    h
}

pub fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
    ipv4_full(src, dst, proto, 64, 0x1234, 0x4000, &[], payload)
}

pub fn ipv6(src: [u8; 16], dst: [u8; 16], next: u8, payload: &[u8]) -> Vec<u8> {
    ipv6_full(src, dst, next, 255, payload)
}

pub fn ipv6_full(src: [u8; 16], dst: [u8; 16], next: u8, hop_limit: u8, payload: &[u8]) -> Vec<u8> {
    let mut h = vec![0x60, 0, 0, 0];
    h.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    h.extend_from_slice(&[next, hop_limit]);
    h.extend_from_slice(&src);
    h.extend_from_slice(&dst);
    h.extend_from_slice(payload);
    h
}

#[derive(Clone, Copy)]
pub enum Addrs {
    V4([u8; 4], [u8; 4]),
    V6([u8; 16], [u8; 16]),
}

fn pseudo(addrs: Addrs, proto: u8, len: usize) -> u32 {
    let s = u32::from(proto) + len as u32;
    match addrs {
        Addrs::V4(a, b) => sum16(sum16(s, &a), &b),
        Addrs::V6(a, b) => sum16(sum16(s, &a), &b),
    }
}

pub fn udp(addrs: Addrs, sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut u = udp_no_checksum(sport, dport, payload);
    let c = fold(sum16(pseudo(addrs, 17, u.len()), &u));
    u[6..8].copy_from_slice(&c.to_be_bytes());
    u
}

/// UDP with a zero checksum field (no checksum, allowed for IPv4).
pub fn udp_no_checksum(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let len = (8 + payload.len()) as u16;
    let mut u = Vec::new();
    u.extend_from_slice(&sport.to_be_bytes());
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&len.to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    u
}

pub const FIN: u8 = 0x01;
pub const SYN: u8 = 0x02;
pub const RST: u8 = 0x04;
pub const PSH: u8 = 0x08;
pub const ACK: u8 = 0x10;
pub const URG: u8 = 0x20;

#[allow(clippy::too_many_arguments)]
pub fn tcp(
    addrs: Addrs,
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: u8,
    win: u16,
    options: &[u8],
    payload: &[u8],
) -> Vec<u8> {
    let mut t = tcp_no_checksum(sport, dport, seq, ack, flags, win, options, payload);
    let c = fold(sum16(pseudo(addrs, 6, t.len()), &t));
    t[16..18].copy_from_slice(&c.to_be_bytes());
    t
}

/// TCP with a zero checksum field.
#[allow(clippy::too_many_arguments)]
pub fn tcp_no_checksum(
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: u8,
    win: u16,
    options: &[u8],
    payload: &[u8],
) -> Vec<u8> {
    assert_eq!(options.len() % 4, 0);
    let hlen = 20 + options.len();
    let mut t = Vec::new();
    t.extend_from_slice(&sport.to_be_bytes());
    t.extend_from_slice(&dport.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&ack.to_be_bytes());
    t.extend_from_slice(&[((hlen / 4) as u8) << 4, flags]);
    t.extend_from_slice(&win.to_be_bytes());
    t.extend_from_slice(&[0, 0, 0, if flags & URG != 0 { 5 } else { 0 }]);
    t.extend_from_slice(options);
    t.extend_from_slice(payload);
    t
}

pub fn icmp(kind: u8, code: u8, rest_of_header: [u8; 4], body: &[u8]) -> Vec<u8> {
    let mut m = vec![kind, code, 0, 0];
    m.extend_from_slice(&rest_of_header);
    m.extend_from_slice(body);
    let c = fold(sum16(0, &m));
    m[2..4].copy_from_slice(&c.to_be_bytes());
    m
}

pub fn icmp6(addrs: Addrs, kind: u8, code: u8, rest: &[u8]) -> Vec<u8> {
    let mut m = vec![kind, code, 0, 0];
    m.extend_from_slice(rest);
    let c = fold(sum16(pseudo(addrs, 58, m.len()), &m));
    m[2..4].copy_from_slice(&c.to_be_bytes());
    m
}

pub fn dns_name(name: &str) -> Vec<u8> {
    let mut n = Vec::new();
    for l in name.split('.').filter(|l| !l.is_empty()) {
        n.push(l.len() as u8);
        n.extend_from_slice(l.as_bytes());
    }
    n.push(0);
    n
}

pub fn dns_query(id: u16, flags: u16, name: &str, qtype: u16, qclass: u16) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
    m.extend_from_slice(&dns_name(name));
    m.extend_from_slice(&qtype.to_be_bytes());
    m.extend_from_slice(&qclass.to_be_bytes());
    m
}

/// A response to `dns_query` with A answers pointing back at the question name.
pub fn dns_a_response(id: u16, name: &str, addrs: &[[u8; 4]]) -> Vec<u8> {
    let mut m = dns_query(id, 0x8180, name, 1, 1);
    m[6..8].copy_from_slice(&(addrs.len() as u16).to_be_bytes());
    for a in addrs {
        m.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4]);
        m.extend_from_slice(a);
    }
    m
}

/// A VXLAN header (flags: VNI valid) and the inner Ethernet frame.
pub fn vxlan(vni: u32, inner: &[u8]) -> Vec<u8> {
    let v = vni.to_be_bytes();
    let mut b = vec![0x08, 0, 0, 0, v[1], v[2], v[3], 0];
    b.extend_from_slice(inner);
    b
}

/// A GRE header carrying `proto` (0x0800, 0x86DD, 0x6558 = Ethernet), with a key when
/// given (NVGRE), and what it carries.
pub fn gre(proto: u16, key: Option<u32>, inner: &[u8]) -> Vec<u8> {
    let flags: u16 = if key.is_some() { 0x2000 } else { 0 };
    let mut b = flags.to_be_bytes().to_vec();
    b.extend_from_slice(&proto.to_be_bytes());
    if let Some(k) = key {
        b.extend_from_slice(&k.to_be_bytes());
    }
    b.extend_from_slice(inner);
    b
}

pub fn arp(op: u16, sha: [u8; 6], spa: [u8; 4], tha: [u8; 6], tpa: [u8; 4]) -> Vec<u8> {
    let mut a = vec![0, 1, 0x08, 0x00, 6, 4];
    a.extend_from_slice(&op.to_be_bytes());
    a.extend_from_slice(&sha);
    a.extend_from_slice(&spa);
    a.extend_from_slice(&tha);
    a.extend_from_slice(&tpa);
    a
}

const SYN_OPTS: [u8; 12] = [2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2];
const TS_OPTS: [u8; 12] = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2];
const SACK_OPTS: [u8; 12] = [1, 1, 5, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0];

/// Frames covering every decoder path, each with a short name.
pub fn ethernet_corpus() -> Vec<(&'static str, Vec<u8>)> {
    let v4 = Addrs::V4(IP_A, IP_B);
    let v4r = Addrs::V4(IP_B, IP_A);
    let v6 = Addrs::V6(IP6_A, IP6_B);
    let e4 = |p: Vec<u8>| eth(MAC_A, MAC_B, 0x0800, &p);
    let e6 = |p: Vec<u8>| eth(MAC_A, MAC_B, 0x86dd, &p);
    let tcp4 = |sp, dp, seq, ack, fl, opts: &[u8], pl: &[u8]| {
        e4(ipv4(
            IP_A,
            IP_B,
            6,
            &tcp(v4, sp, dp, seq, ack, fl, 2042, opts, pl),
        ))
    };
    let udp4 = |sp, dp, pl: &[u8]| e4(ipv4(IP_A, IP_B, 17, &udp(v4, sp, dp, pl)));
    // An echo request between two private addresses, as the tunnels carry it.
    let inner_echo = |seq: u8| {
        let echo = icmp(8, 0, [0, 9, 0, seq], &[0; 16]);
        ipv4([10, 0, 0, 1], [10, 0, 0, 2], 1, &echo)
    };
    let inner_eth_echo = |seq: u8| {
        eth(
            [2, 0, 0, 0, 0, 1],
            [2, 0, 0, 0, 0, 2],
            0x0800,
            &inner_echo(seq),
        )
    };
    let mut c: Vec<(&'static str, Vec<u8>)> = vec![
        ("tcp-ack", tcp4(63086, 443, 1, 1974835126, ACK, &[], &[])),
        (
            "tcp-syn-opts",
            tcp4(63086, 443, 1995496356, 0, SYN, &SYN_OPTS, &[]),
        ),
        (
            "tcp-synack",
            e4(ipv4(
                IP_B,
                IP_A,
                6,
                &tcp(
                    v4r,
                    443,
                    63086,
                    77,
                    1995496357,
                    SYN | ACK,
                    65535,
                    &SYN_OPTS,
                    &[],
                ),
            )),
        ),
        (
            "tcp-psh-data",
            tcp4(63086, 443, 1000, 2000, PSH | ACK, &TS_OPTS, &[0x17; 40]),
        ),
        ("tcp-fin", tcp4(63086, 443, 5000, 6000, FIN | ACK, &[], &[])),
        ("tcp-rst", tcp4(63086, 443, 5000, 0, RST, &[], &[])),
        (
            "tcp-sack",
            tcp4(63086, 443, 5000, 6000, ACK, &SACK_OPTS, &[]),
        ),
        (
            "tcp-urg",
            tcp4(63086, 443, 5000, 6000, URG | ACK | PSH, &[], b"!"),
        ),
        (
            "http-request",
            tcp4(
                52650,
                80,
                1900854895,
                1801368838,
                PSH | ACK,
                &[],
                b"POST /api HTTP/1.1\r\nHost: x\r\n\r\n",
            ),
        ),
        (
            "http-response",
            e4(ipv4(
                IP_B,
                IP_A,
                6,
                &tcp(
                    v4r,
                    80,
                    52648,
                    3459562924,
                    3119698287,
                    PSH | ACK,
                    131,
                    &[],
                    b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
                ),
            )),
        ),
        (
            "http-body",
            tcp4(52648, 80, 10, 20, PSH | ACK, &[], &[0xAB; 40]),
        ),
        ("udp", udp4(58050, 1900, &[b'M'; 137])),
        (
            "dns-query",
            udp4(53883, 53, &dns_query(4694, 0x0100, "google.com", 1, 1)),
        ),
        (
            "dns-response",
            e4(ipv4(
                IP_B,
                IP_A,
                17,
                &udp(
                    v4r,
                    53,
                    53883,
                    &dns_a_response(4694, "google.com", &[[142, 250, 192, 110]]),
                ),
            )),
        ),
        (
            "dns-2-answers",
            e4(ipv4(
                IP_B,
                IP_A,
                17,
                &udp(
                    v4r,
                    53,
                    53883,
                    &dns_a_response(7, "a.example", &[[1, 2, 3, 4], [5, 6, 7, 8]]),
                ),
            )),
        ),
        (
            "mdns-ptr",
            udp4(
                5353,
                5353,
                &dns_query(0, 0, "_googlecast._tcp.local", 12, 1),
            ),
        ),
        (
            "dns-aaaa-query",
            udp4(40000, 53, &dns_query(9, 0x0100, "example.org", 28, 1)),
        ),
        (
            "mdns-v6",
            e6(ipv6(
                IP6_A,
                IP6_B,
                17,
                &udp(v6, 5353, 5353, &dns_query(0, 0, "moearliuk.local", 1, 1)),
            )),
        ),
        (
            "dhcp6-solicit",
            e6(ipv6(
                IP6_A,
                [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2],
                17,
                &udp(
                    Addrs::V6(IP6_A, [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2]),
                    546,
                    547,
                    &[1, 0xab, 0xcd, 0xef, 0, 1, 0, 0],
                ),
            )),
        ),
        (
            "icmp-echo",
            e4(ipv4(IP_A, IP_B, 1, &icmp(8, 0, [0, 1, 0, 10], &[0x61; 32]))),
        ),
        (
            "icmp-reply",
            e4(ipv4(IP_B, IP_A, 1, &icmp(0, 0, [0, 1, 0, 10], &[0x61; 32]))),
        ),
        (
            "icmp-port-unreach",
            e4(ipv4(
                IP_B,
                IP_A,
                1,
                &icmp(
                    3,
                    3,
                    [0; 4],
                    &ipv4(IP_A, IP_B, 17, &udp(v4, 40000, 33434, &[0; 8])),
                ),
            )),
        ),
        (
            "icmp-time-exceeded",
            e4(ipv4(
                IP_B,
                IP_A,
                1,
                &icmp(
                    11,
                    0,
                    [0; 4],
                    &ipv4(IP_A, IP_B, 17, &udp(v4, 40000, 33434, &[0; 8])),
                ),
            )),
        ),
        (
            "igmp-unknown-proto",
            e4(ipv4_full(
                [192, 168, 0, 1],
                [224, 0, 0, 1],
                2,
                1,
                0,
                0,
                &[0x94, 4, 0, 0],
                &[0x11, 0x64, 0xee, 0x9b, 0, 0, 0, 0],
            )),
        ),
        (
            "ip-fragment-later",
            e4(ipv4_full(IP_A, IP_B, 17, 64, 99, 0x00b9, &[], &[0u8; 100])),
        ),
        (
            "arp-request",
            eth(
                MAC_A,
                [0xff; 6],
                0x0806,
                &arp(1, MAC_A, [192, 168, 153, 1], [0; 6], [192, 168, 153, 2]),
            ),
        ),
        (
            "arp-reply",
            eth(
                MAC_B,
                MAC_A,
                0x0806,
                &arp(2, MAC_B, [192, 168, 153, 2], MAC_A, [192, 168, 153, 1]),
            ),
        ),
        (
            "vlan-icmp",
            eth(
                MAC_A,
                MAC_B,
                0x8100,
                &vlan(
                    0x2005,
                    0x0800,
                    &ipv4(IP_A, IP_B, 1, &icmp(8, 0, [0, 2, 0, 3], &[0; 8])),
                ),
            ),
        ),
        (
            "icmp6-echo",
            e6(ipv6(
                IP6_A,
                IP6_B,
                58,
                &icmp6(v6, 128, 0, &[0, 7, 0, 1, 1, 2, 3, 4]),
            )),
        ),
        (
            "icmp6-ns",
            e6(ipv6(
                IP6_A,
                IP6_B,
                58,
                &icmp6(v6, 135, 0, &[[0u8; 4].as_slice(), &IP6_A].concat()),
            )),
        ),
        (
            "ipv6-hbh-icmp6",
            e6(ipv6(
                IP6_A,
                IP6_B,
                0,
                &[
                    &[58u8, 0, 5, 2, 0, 0, 1, 0][..],
                    &icmp6(
                        v6,
                        143,
                        0,
                        &[
                            0, 0, 0, 1, 4, 0, 0, 0, 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                            0xfb,
                        ],
                    ),
                ]
                .concat(),
            )),
        ),
        (
            "ipv6-tcp",
            e6(ipv6(
                IP6_A,
                IP6_B,
                6,
                &tcp(v6, 50000, 443, 1, 2, ACK, 500, &[], &[]),
            )),
        ),
        ("vxlan", udp4(40000, 4789, &vxlan(100, &inner_eth_echo(1)))),
        (
            "gre-ip",
            e4(ipv4(IP_A, IP_B, 47, &gre(0x0800, None, &inner_echo(2)))),
        ),
        (
            "nvgre",
            e4(ipv4(
                IP_A,
                IP_B,
                47,
                &gre(0x6558, Some(0x1000), &inner_eth_echo(3)),
            )),
        ),
        (
            "ipip",
            e4(ipv4(
                IP_A,
                IP_B,
                4,
                &ipv4(
                    [10, 0, 0, 1],
                    [10, 0, 0, 2],
                    17,
                    &udp(Addrs::V4([10, 0, 0, 1], [10, 0, 0, 2]), 1000, 2000, &[0; 4]),
                ),
            )),
        ),
        ("unknown-ethertype", eth(MAC_A, MAC_B, 0x88b5, &[0u8; 46])),
        (
            "lldp",
            eth(MAC_A, [1, 0x80, 0xc2, 0, 0, 0xe], 0x88cc, &[0u8; 46]),
        ),
    ];
    // Ethernet padding after a short IP datagram.
    let mut padded = eth(
        MAC_A,
        MAC_B,
        0x0800,
        &ipv4(IP_A, IP_B, 6, &tcp(v4, 1, 2, 3, 4, ACK, 5, &[], &[])),
    );
    padded.resize(60, 0);
    c.push(("padded-tcp", padded));
    c
}

fn flow<'a>(component: u32, ts: u64, data: &'a [u8], wire: u32) -> PacketRecord<'a> {
    let mut r = PacketRecord::flow(component, LinkType::ETHERNET, ts, data);
    r.original_len = wire;
    r
}

/// Writes `frames` (each cut to `snaplen` when non-zero) as our pcapng; returns the file
/// bytes. Records alternate Rx/Tx; every fifth is a drop when `with_drops`.
pub fn write_pcapng(
    frames: &[Vec<u8>],
    snaplen: usize,
    components: &[u32],
    with_drops: bool,
) -> Vec<u8> {
    let mut w = PcapngWriter::new(Vec::new(), "pktmon test", None);
    for &c in components {
        w.add_interface(&InterfaceDescription {
            component: c,
            name: format!("eth{c}"),
            description: format!("Component {c}, ethernet"),
            link_type: LinkType::ETHERNET,
            snaplen: snaplen as u32,
            mac: Some(MAC_A),
        });
    }
    for (i, f) in frames.iter().enumerate() {
        let cut = if snaplen > 0 {
            &f[..f.len().min(snaplen)]
        } else {
            &f[..]
        };
        let comp = components[i % components.len()];
        let mut r = flow(
            comp,
            1_700_000_000_000_000_000 + i as u64 * 1000,
            cut,
            f.len() as u32,
        );
        r.direction = if i % 2 == 0 {
            Direction::Rx
        } else {
            Direction::Tx
        };
        r.group_id = (2 << 48) | (i as u64 + 1);
        if with_drops && i % 5 == 4 {
            r.kind = RecordKind::Drop {
                reason: Cow::Borrowed("NO_SOCKET"),
                location: Cow::Borrowed("__udp4_lib_rcv+0x7c"),
            };
        }
        assert!(w.write_record(&r));
    }
    w.flush().unwrap();
    w.into_inner()
}

/// A legacy pcap (microsecond stamps) of Ethernet `frames`, as tcpdump -w writes.
pub fn write_pcap(frames: &[Vec<u8>], snaplen: usize) -> Vec<u8> {
    write_pcap_linktype(frames, snaplen, 1)
}

/// A legacy pcap of `frames` of link type `linktype`.
pub fn write_pcap_linktype(frames: &[Vec<u8>], snaplen: usize, linktype: u32) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&(if snaplen > 0 { snaplen as u32 } else { 262144 }).to_le_bytes());
    out.extend_from_slice(&linktype.to_le_bytes());
    for (i, f) in frames.iter().enumerate() {
        let cut = if snaplen > 0 {
            &f[..f.len().min(snaplen)]
        } else {
            &f[..]
        };
        out.extend_from_slice(&(1_700_000_000u32 + i as u32).to_le_bytes());
        out.extend_from_slice(&(i as u32 * 10).to_le_bytes());
        out.extend_from_slice(&(cut.len() as u32).to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(cut);
    }
    out
}

pub fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("write test capture");
}

/// An 802.11 MAC header: frame control, duration, three addresses, sequence control.
pub fn wifi_header(fc: u16, a1: [u8; 6], a2: [u8; 6], a3: [u8; 6]) -> Vec<u8> {
    let mut h = fc.to_le_bytes().to_vec();
    h.extend_from_slice(&[0x3a, 0x01]);
    h.extend_from_slice(&a1);
    h.extend_from_slice(&a2);
    h.extend_from_slice(&a3);
    h.extend_from_slice(&[0x10, 0x00]);
    h
}

pub const AP: [u8; 6] = [0x3c, 0x84, 0x6a, 0x01, 0xea, 0x8b];
pub const STA: [u8; 6] = [0x54, 0x8c, 0xa0, 0x98, 0x0e, 0x25];
pub const GW: [u8; 6] = [0x00, 0x20, 0xb3, 0x3b, 0x00, 0x01];

/// 802.11 frames (LINKTYPE_IEEE802_11): data through LLC/SNAP, protected data,
/// management and control frames.
pub fn wifi_corpus() -> Vec<(&'static str, Vec<u8>)> {
    let v4 = Addrs::V4(IP_A, IP_B);
    let snap = |et: u16, payload: &[u8]| {
        let mut l = vec![0xaa, 0xaa, 0x03, 0, 0, 0];
        l.extend_from_slice(&et.to_be_bytes());
        l.extend_from_slice(payload);
        l
    };
    let cat = |a: Vec<u8>, b: Vec<u8>| [a, b].concat();
    let mut assoc = vec![0x31, 0x04, 0x0a, 0x00];
    assoc.extend_from_slice(&[0, 4, b'h', b'o', b'm', b'e', 1, 4, 0x82, 0x84, 0x0b, 0x16]);
    let mut beacon = vec![0u8; 8];
    beacon.extend_from_slice(&[0x64, 0x00, 0x11, 0x04]);
    beacon.extend_from_slice(&[0, 3, b'l', b'a', b'b', 1, 2, 0x82, 0x0c, 3, 1, 6]);
    let mut ack = 0x00d4u16.to_le_bytes().to_vec();
    ack.extend_from_slice(&[0, 0]);
    ack.extend_from_slice(&STA);
    vec![
        (
            "wifi-tods-tcp",
            cat(
                wifi_header(0x0108, AP, STA, GW),
                snap(
                    0x0800,
                    &ipv4(
                        IP_A,
                        IP_B,
                        6,
                        &tcp(v4, 63086, 443, 1, 1974835126, ACK, 2042, &[], &[]),
                    ),
                ),
            ),
        ),
        (
            "wifi-fromds-udp",
            cat(
                wifi_header(0x0208, STA, AP, GW),
                snap(
                    0x0800,
                    &ipv4(
                        IP_B,
                        IP_A,
                        17,
                        &udp(
                            Addrs::V4(IP_B, IP_A),
                            53,
                            53883,
                            &dns_a_response(4694, "google.com", &[[142, 250, 192, 110]]),
                        ),
                    ),
                ),
            ),
        ),
        (
            "wifi-arp",
            cat(
                wifi_header(0x0108, AP, STA, [0xff; 6]),
                snap(
                    0x0806,
                    &arp(1, STA, [192, 168, 0, 111], [0; 6], [192, 168, 0, 1]),
                ),
            ),
        ),
        (
            "wifi-protected",
            cat(
                wifi_header(0x4208, STA, AP, GW),
                vec![0xaa, 0xaa, 0x03, 0x00, 1, 2, 3, 4, 5, 6, 7, 8],
            ),
        ),
        ("wifi-null", wifi_header(0x0148, AP, STA, AP)),
        (
            "wifi-assoc-request",
            cat(wifi_header(0x0000, AP, STA, AP), assoc),
        ),
        (
            "wifi-beacon",
            cat(wifi_header(0x0080, [0xff; 6], AP, AP), beacon),
        ),
        ("wifi-ack", ack),
        (
            "wifi-unknown-type",
            vec![0x0c, 0x00, 0, 0, 1, 2, 3, 4, 5, 6],
        ),
    ]
}

/// Linux cooked-capture frames: (link type, frame), SLL and SLL2, in and out.
pub fn sll_corpus() -> Vec<(u32, Vec<u8>)> {
    let v4 = Addrs::V4(IP_A, IP_B);
    let ip = ipv4(
        IP_A,
        IP_B,
        17,
        &udp(v4, 40000, 53, &dns_query(7, 0x0100, "example.org", 1, 1)),
    );
    let sll = |ptype: u16| {
        let mut h = ptype.to_be_bytes().to_vec();
        h.extend_from_slice(&[0, 1, 0, 6]);
        h.extend_from_slice(&MAC_A);
        h.extend_from_slice(&[0, 0, 0x08, 0x00]);
        h.extend_from_slice(&ip);
        h
    };
    let sll2 = |ptype: u8| {
        let mut h = vec![0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, ptype, 6];
        h.extend_from_slice(&MAC_B);
        h.extend_from_slice(&[0, 0]);
        h.extend_from_slice(&ip);
        h
    };
    vec![
        (113, sll(0)),
        (113, sll(4)),
        (276, sll2(0)),
        (276, sll2(4)),
        (276, sll2(1)),
    ]
}
