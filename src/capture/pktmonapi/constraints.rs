//! pktmon filters → PktMonApi.dll capture constraints (`PacketMonitorAddCaptureConstraint`,
//! `docs/spec/pktmon-cli.md` §5.3/§5.5).
//!
//! One constraint per filter, in the set's order: the API ORs constraints and ANDs the fields
//! inside one, which is pktmon's own rule for filters (§2.1). An empty set gives no
//! constraint, which the API takes as "capture everything", as pktmon does without filters.
//! Only the `is_present` bits of the conditions a filter sets are raised.
//!
//! | Filter | Constraint |
//! |---|---|
//! | name | `Name`: UTF-16, NUL-terminated, cut to 63 units (never inside a surrogate pair) |
//! | `-m a [b]` | `Mac1` [+ `Mac2`] |
//! | `-v`, `-d`, `-t` | `VlanId`, `EtherType`, `TransportProtocol` |
//! | `-t TCP flags` | + `TCPFlags` (the flag byte) |
//! | `-i a[/n] [b[/m]]` | `Ip1` [+ `Ip2`], host bits cleared; `PrefixLength1/2` only for a network shorter than a host; the `IPv6` bit for IPv6 |
//! | `-p a [b]` | `Port1` [+ `Port2`] |
//! | `-b` | the `ClusterHeartbeat` bit |
//! | `-e [port]` | `EncapType` = 0xFF (all kinds, what pktmon.exe sets) + `VxLanPort` = the port |
//!
//! `DSCP` has no pktmon option and stays unset; `Packets`/`Bytes` are documented as not
//! implemented and stay 0.
//!
//! Two values: the API documents 1 = source, 2 = destination, while pktmon.exe, which fills
//! the same driver structure, documents direction-agnostic matching (§2.2). We follow
//! pktmon.exe and pass the values in the order the user typed them. Should a real Windows
//! run show the driver matching by direction, the remedy belongs here: add the swapped pair
//! as a second constraint (which the OR rule makes direction-agnostic).
//!
//! Everything our filter model can say fits a constraint: a filter made by
//! `pktmon filter add` always translates. What is refused is a filter the model can hold
//! but `filter add` never makes (a hand-edited or foreign filters.json): no condition,
//! more than two MACs/IPs/ports, mixed IP families, a prefix longer than the address,
//! a VLAN ID above 4095, TCP flags without `-t TCP`. The error names the filter and the
//! feature and says what to do.

use super::ffi::{
    IpAddress, MAX_NAME_LENGTH, ProtocolConstraint, constraint_present as bit, encap_type,
};
use crate::filter::{FilterSet, IpNet, NumberedFilter, PROTO_TCP};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The constraints that select what `filters` select, one per filter, in order.
///
/// Byte order (the API documents it only for IP addresses):
/// * IP addresses: network order, the bytes of the address as written (§5.5 documents
///   `PACKETMONITOR_IP_ADDRESS` so; an IPv4 address fills the first 4 of its 16 bytes).
/// * Ports, EtherType, VLAN ID: host order, i.e. the number itself in a `USHORT`. pktmon.exe
///   fills the driver's filter structure with the numbers the user typed, and the API's
///   constraint is the same structure one layer up; a `USHORT` field named for a number
///   (not `UCHAR[2]` like the addresses) also reads as a number. Undocumented, so the
///   first real Windows run must confirm it (a `-p 443` constraint that captures nothing
///   while port 47873 = 0x01BB swapped matches would mean network order).
/// * TCP flags, protocol, prefix lengths: single bytes.
pub fn capture_constraints(filters: &FilterSet) -> Result<Vec<ProtocolConstraint>, String> {
    filters.filters.iter().map(constraint).collect()
}

fn constraint(nf: &NumberedFilter) -> Result<ProtocolConstraint, String> {
    let f = &nf.filter;
    let refuse = |problem: String, fix: &str| {
        let who = if f.name.is_empty() {
            format!("filter {}", nf.number)
        } else {
            format!("filter {} ('{}')", nf.number, f.name)
        };
        Err(format!(
            "{who} {problem}, which PktMonApi.dll cannot express. Remove the filters with \
             'pktmon filter remove' and add this one again {fix}."
        ))
    };
    if !f.has_condition() {
        return refuse(
            "has no condition".into(),
            "with at least one of -m, -v, -d, -t, -i, -p or -b",
        );
    }
    for (what, n, option) in [
        ("MAC addresses", f.macs.len(), "-m"),
        ("IP addresses", f.ips.len(), "-i"),
        ("ports", f.ports.len(), "-p"),
    ] {
        if n > 2 {
            return refuse(
                format!("has {n} {what} (at most 2 per filter)"),
                &format!("with one or two values for {option}, or as several filters"),
            );
        }
    }
    if f.tcp_flags != 0 && f.protocol != Some(PROTO_TCP) {
        return refuse(
            format!("has TCP flags 0x{:02x} without '-t TCP'", f.tcp_flags),
            "as '-t TCP <flags>'",
        );
    }
    if let Some(v) = f.vlan.filter(|&v| v > 4095) {
        return refuse(
            format!("has VLAN ID {v} (a VLAN ID is 0-4095)"),
            "with a VLAN ID from 0 to 4095",
        );
    }
    if let [a, b] = f.ips.as_slice()
        && a.addr.is_ipv6() != b.addr.is_ipv6()
    {
        return refuse(
            "mixes an IPv4 and an IPv6 address (one address family per filter)".into(),
            "as one filter per address family",
        );
    }
    if let Some(n) = f.ips.iter().find(|n| n.prefix > host_prefix(n)) {
        return refuse(
            format!(
                "has prefix /{} on {} (at most /{})",
                n.prefix,
                n.addr,
                host_prefix(n)
            ),
            "with a valid prefix length",
        );
    }

    let mut c = ProtocolConstraint::empty();
    c.name = utf16_name(&f.name);
    let mut present = 0;
    let mut set = |b: u32| present |= b;
    if let Some(m) = f.macs.first() {
        c.mac1 = *m;
        set(bit::MAC1);
    }
    if let Some(m) = f.macs.get(1) {
        c.mac2 = *m;
        set(bit::MAC2);
    }
    if let Some(v) = f.vlan {
        c.vlan_id = v;
        set(bit::VLAN_ID);
    }
    if let Some(e) = f.ethertype {
        c.ether_type = e;
        set(bit::ETHER_TYPE);
    }
    if let Some(p) = f.protocol {
        c.transport_protocol = p;
        set(bit::TRANSPORT_PROTOCOL);
    }
    if f.tcp_flags != 0 {
        c.tcp_flags = f.tcp_flags;
        set(bit::TCP_FLAGS);
    }
    if let Some(n) = f.ips.first() {
        c.ip1 = ip_address(n);
        set(bit::IP1);
        if n.addr.is_ipv6() {
            set(bit::IPV6);
        }
        if !n.is_host() {
            c.prefix_length1 = n.prefix;
            set(bit::PREFIX_LENGTH1);
        }
    }
    if let Some(n) = f.ips.get(1) {
        c.ip2 = ip_address(n);
        set(bit::IP2);
        if !n.is_host() {
            c.prefix_length2 = n.prefix;
            set(bit::PREFIX_LENGTH2);
        }
    }
    if let Some(p) = f.ports.first() {
        c.port1 = *p;
        set(bit::PORT1);
    }
    if let Some(p) = f.ports.get(1) {
        c.port2 = *p;
        set(bit::PORT2);
    }
    if f.heartbeat {
        set(bit::CLUSTER_HEARTBEAT);
    }
    if let Some(port) = f.encap {
        c.encap_type = encap_type::ALL;
        c.vxlan_port = port;
        set(bit::ENCAP_TYPE | bit::VXLAN_PORT);
    }
    c.is_present = present;
    Ok(c)
}

fn host_prefix(n: &IpNet) -> u8 {
    if n.addr.is_ipv4() { 32 } else { 128 }
}

/// The network address (host bits cleared), in network order.
fn ip_address(n: &IpNet) -> IpAddress {
    let mut a = IpAddress::default();
    match n.network() {
        IpAddr::V4(v4) => a.bytes[..4].copy_from_slice(&v4.octets()),
        IpAddr::V6(v6) => a.bytes = v6.octets(),
    }
    a
}

/// At most `MAX_NAME_LENGTH - 1` UTF-16 units and a NUL; a character that does not fit
/// whole is dropped rather than split.
fn utf16_name(name: &str) -> [u16; MAX_NAME_LENGTH] {
    let mut out = [0u16; MAX_NAME_LENGTH];
    let mut len = 0;
    for ch in name.chars() {
        let mut buf = [0u16; 2];
        let units = ch.encode_utf16(&mut buf);
        if len + units.len() > MAX_NAME_LENGTH - 1 {
            break;
        }
        out[len..len + units.len()].copy_from_slice(units);
        len += units.len();
    }
    out
}

/// The line the stand-in DLL (tests/pktmonapi_standin.c) logs for this constraint:
/// `AddCaptureConstraint name=<utf8> present=0x<hex>`, then, for each `is_present` bit
/// that has a field, in struct order: `mac1= mac2=` (aa:bb:..), `vlan=` (decimal),
/// `ethertype=0x<4 hex>`, `dscp=`, `proto=` (decimal), `ip1= ip2=` (dotted IPv4, or IPv6 as
/// Rust prints it, by the `IPv6` bit), `prefix1= prefix2= port1= port2=` (decimal),
/// `tcpflags=0x<2 hex>`, `encap=0x<hex>`, `vxlanport=` (decimal). The `IPv6` and
/// `ClusterHeartbeat` bits have no field and show only in `present`.
pub fn standin_log_line(c: &ProtocolConstraint) -> String {
    use std::fmt::Write;
    let len = c.name.iter().position(|&u| u == 0).unwrap_or(c.name.len());
    let mut s = format!(
        "AddCaptureConstraint name={} present=0x{:x}",
        String::from_utf16_lossy(&c.name[..len]),
        c.is_present
    );
    let has = |b: u32| c.is_present & b != 0;
    let mac = |m: &[u8; 6]| {
        m.iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    let ip = |a: &IpAddress| {
        if has(bit::IPV6) {
            Ipv6Addr::from(a.bytes).to_string()
        } else {
            Ipv4Addr::new(a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]).to_string()
        }
    };
    // Writing to a String cannot fail.
    let mut field = |b: u32, text: String| {
        if has(b) {
            let _ = write!(s, " {text}");
        }
    };
    field(bit::MAC1, format!("mac1={}", mac(&c.mac1)));
    field(bit::MAC2, format!("mac2={}", mac(&c.mac2)));
    field(bit::VLAN_ID, format!("vlan={}", c.vlan_id));
    field(bit::ETHER_TYPE, format!("ethertype=0x{:04x}", c.ether_type));
    field(bit::DSCP, format!("dscp={}", c.dscp));
    field(
        bit::TRANSPORT_PROTOCOL,
        format!("proto={}", c.transport_protocol),
    );
    field(bit::IP1, format!("ip1={}", ip(&c.ip1)));
    field(bit::IP2, format!("ip2={}", ip(&c.ip2)));
    field(bit::PREFIX_LENGTH1, format!("prefix1={}", c.prefix_length1));
    field(bit::PREFIX_LENGTH2, format!("prefix2={}", c.prefix_length2));
    field(bit::PORT1, format!("port1={}", c.port1));
    field(bit::PORT2, format!("port2={}", c.port2));
    field(bit::TCP_FLAGS, format!("tcpflags=0x{:02x}", c.tcp_flags));
    field(bit::ENCAP_TYPE, format!("encap=0x{:x}", c.encap_type));
    field(bit::VXLAN_PORT, format!("vxlanport={}", c.vxlan_port));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Filter, parse::FilterArgs};

    /// A set from `pktmon filter add` command lines (the real parser), numbered 1...
    fn set(filters: &[FilterArgs]) -> FilterSet {
        let mut s = FilterSet::default();
        for a in filters {
            s.add(a.to_filter().expect("valid filter")).expect("room");
        }
        s
    }

    fn one(a: FilterArgs) -> ProtocolConstraint {
        let mut v = capture_constraints(&set(&[a])).expect("translates");
        assert_eq!(v.len(), 1);
        v.remove(0)
    }

    fn strs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    /// The bytes at `offset..offset+len` of the struct as the DLL reads it. Only ranges that
    /// lie inside fields are read (padding is not initialized memory).
    fn bytes_at(c: &ProtocolConstraint, offset: usize, len: usize) -> Vec<u8> {
        assert!(offset + len <= std::mem::size_of::<ProtocolConstraint>());
        let base = c as *const ProtocolConstraint as *const u8;
        // SAFETY: in bounds (asserted), and the callers' ranges are field bytes.
        unsafe { std::slice::from_raw_parts(base.add(offset), len).to_vec() }
    }

    fn name_of(c: &ProtocolConstraint) -> String {
        let len = c.name.iter().position(|&u| u == 0).expect("NUL-terminated");
        String::from_utf16(&c.name[..len]).expect("whole characters")
    }

    #[test]
    fn no_filters_no_constraints() {
        assert!(
            capture_constraints(&FilterSet::default())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn one_mac_then_two() {
        let c = one(FilterArgs {
            name: Some("mac".into()),
            mac: strs(&["00-1D-D8-B7-01-7D"]),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::MAC1);
        assert_eq!(bytes_at(&c, 132, 6), [0x00, 0x1D, 0xD8, 0xB7, 0x01, 0x7D]);
        assert_eq!(bytes_at(&c, 138, 6), [0; 6]);
        assert_eq!(name_of(&c), "mac");
        assert_eq!(bytes_at(&c, 0, 8), [b'm', 0, b'a', 0, b'c', 0, 0, 0]);

        let c = one(FilterArgs {
            mac: strs(&["aa:bb:cc:dd:ee:ff", "00-1D-D8-B7-01-7D"]),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::MAC1 | bit::MAC2);
        assert_eq!(bytes_at(&c, 132, 6), [0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
        assert_eq!(bytes_at(&c, 138, 6), [0x00, 0x1D, 0xD8, 0xB7, 0x01, 0x7D]);
        assert_eq!(name_of(&c), "");
        assert_eq!(bytes_at(&c, 200, 16), [0; 16], "Packets/Bytes stay 0");
    }

    #[test]
    fn ipv4_network_gets_prefix_and_cleared_host_bits() {
        let c = one(FilterArgs {
            name: Some("MySubnet".into()),
            ip: strs(&["10.10.10.77/24"]),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::IP1 | bit::PREFIX_LENGTH1);
        assert_eq!(
            bytes_at(&c, 152, 16),
            [10, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(bytes_at(&c, 184, 2), [24, 0]);
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name=MySubnet present=0x240 ip1=10.10.10.0 prefix1=24"
        );
        // A host address has no prefix condition.
        let c = one(FilterArgs {
            ip: strs(&["10.10.10.10"]),
            transport: strs(&["ICMP"]),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::IP1 | bit::TRANSPORT_PROTOCOL);
        assert_eq!(bytes_at(&c, 150, 1), [1]);
        assert_eq!(bytes_at(&c, 152, 4), [10, 10, 10, 10]);
    }

    #[test]
    fn two_ipv6_set_the_family_bit_and_both_prefixes() {
        let c = one(FilterArgs {
            ip: strs(&["2001:db8::1", "fe80::/10"]),
            ..Default::default()
        });
        assert_eq!(
            c.is_present,
            bit::IP1 | bit::IP2 | bit::IPV6 | bit::PREFIX_LENGTH2
        );
        assert_eq!(c.is_present, 0x5C0);
        let mut want1 = [0u8; 16];
        want1[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        want1[15] = 1;
        assert_eq!(bytes_at(&c, 152, 16), want1);
        let mut want2 = [0u8; 16];
        want2[..2].copy_from_slice(&[0xfe, 0x80]);
        assert_eq!(bytes_at(&c, 168, 16), want2);
        assert_eq!(bytes_at(&c, 184, 2), [0, 10]);
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name= present=0x5c0 ip1=2001:db8::1 ip2=fe80:: prefix2=10"
        );
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn ports_pair_in_host_order() {
        let c = one(FilterArgs {
            port: strs(&["443", "0x1bd"]),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::PORT1 | bit::PORT2);
        assert_eq!((c.port1, c.port2), (443, 445));
        assert_eq!(bytes_at(&c, 186, 4), [0xBB, 0x01, 0xBD, 0x01]);
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name= present=0x1800 port1=443 port2=445"
        );
    }

    #[test]
    fn tcp_syn_flags_with_the_protocol() {
        let c = one(FilterArgs {
            name: Some("MySmbSyn".into()),
            ip: strs(&["10.10.10.10"]),
            transport: strs(&["TCP", "SYN"]),
            port: strs(&["445"]),
            ..Default::default()
        });
        assert_eq!(
            c.is_present,
            bit::TRANSPORT_PROTOCOL | bit::IP1 | bit::PORT1 | bit::TCP_FLAGS
        );
        assert_eq!(bytes_at(&c, 150, 1), [6]);
        assert_eq!(bytes_at(&c, 190, 1), [0x02]);
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name=MySmbSyn present=0x2860 proto=6 ip1=10.10.10.10 \
             port1=445 tcpflags=0x02"
        );
        // `-t TCP` alone: no flags condition.
        let c = one(FilterArgs {
            transport: strs(&["tcp"]),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::TRANSPORT_PROTOCOL);
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn vlan_and_ethertype() {
        let c = one(FilterArgs {
            vlan: Some("100".into()),
            data_link: Some("IPv6".into()),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::VLAN_ID | bit::ETHER_TYPE);
        assert_eq!(bytes_at(&c, 144, 4), [100, 0, 0xDD, 0x86]);
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name= present=0xc vlan=100 ethertype=0x86dd"
        );
        let c = one(FilterArgs {
            data_link: Some("ARP".into()),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::ETHER_TYPE);
        assert_eq!(c.ether_type, 0x0806);
    }

    #[test]
    fn heartbeat_is_the_cluster_bit_only() {
        let c = one(FilterArgs {
            name: Some("hb".into()),
            heartbeat: true,
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::CLUSTER_HEARTBEAT);
        assert_eq!(bytes_at(&c, 128, 4), 0x1_0000u32.to_ne_bytes());
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name=hb present=0x10000"
        );
    }

    #[test]
    #[cfg(target_endian = "little")]
    fn encap_all_kinds_with_the_vxlan_port() {
        let c = one(FilterArgs {
            ip: strs(&["10.0.0.10"]),
            encap: Some(Some("8472".into())),
            ..Default::default()
        });
        assert_eq!(c.is_present, bit::IP1 | bit::ENCAP_TYPE | bit::VXLAN_PORT);
        assert_eq!(bytes_at(&c, 192, 4), [0xFF, 0, 0, 0]);
        assert_eq!(bytes_at(&c, 196, 2), 8472u16.to_le_bytes());
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name= present=0xc040 ip1=10.0.0.10 encap=0xff vxlanport=8472"
        );
        // `-e` without a port: the default VXLAN port.
        let c = one(FilterArgs {
            port: strs(&["53"]),
            encap: Some(None),
            ..Default::default()
        });
        assert_eq!((c.encap_type, c.vxlan_port), (0xFF, 4789));
    }

    #[test]
    fn long_name_is_cut_to_63_units_without_splitting_a_character() {
        let ascii: String = "x".repeat(70);
        let f = Filter {
            name: ascii,
            heartbeat: true,
            ..Default::default()
        };
        let mut s = FilterSet::default();
        s.add(f).unwrap();
        let c = capture_constraints(&s).unwrap()[0];
        assert_eq!(name_of(&c), "x".repeat(63));
        assert_eq!(c.name[63], 0);
        // 62 units, then a character of two units that does not fit whole.
        let f = Filter {
            name: format!("{}\u{1F600}", "y".repeat(62)),
            heartbeat: true,
            ..Default::default()
        };
        let mut s = FilterSet::default();
        s.add(f).unwrap();
        let c = capture_constraints(&s).unwrap()[0];
        assert_eq!(name_of(&c), "y".repeat(62));
        // Non-ASCII that fits is kept whole.
        let c = one(FilterArgs {
            name: Some("Ünïcode \u{1F600}".into()),
            heartbeat: true,
            ..Default::default()
        });
        assert_eq!(name_of(&c), "Ünïcode \u{1F600}");
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name=Ünïcode \u{1F600} present=0x10000"
        );
    }

    #[test]
    fn one_constraint_per_filter_in_order() {
        let s = set(&[
            FilterArgs {
                ip: strs(&["10.0.0.10"]),
                transport: strs(&["icmp"]),
                ..Default::default()
            },
            FilterArgs {
                port: strs(&["53"]),
                ..Default::default()
            },
        ]);
        let v = capture_constraints(&s).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].is_present, bit::IP1 | bit::TRANSPORT_PROTOCOL);
        assert_eq!(v[1].is_present, bit::PORT1);
        assert_eq!(v[1].port1, 53);
    }

    fn refusal(f: Filter) -> String {
        let mut s = FilterSet::default();
        s.add(Filter {
            name: "fine".into(),
            heartbeat: true,
            ..Default::default()
        })
        .unwrap();
        s.add(f).unwrap();
        capture_constraints(&s).unwrap_err()
    }

    fn ip(s: &str) -> IpNet {
        crate::filter::parse::ip_net(s).unwrap()
    }

    #[test]
    fn refusals_name_the_filter_and_the_feature() {
        let e = refusal(Filter {
            name: "empty".into(),
            encap: Some(4789),
            ..Default::default()
        });
        assert!(e.starts_with("filter 2 ('empty') has no condition"), "{e}");
        assert!(e.contains("at least one of -m"), "{e}");
        assert!(e.contains("'pktmon filter remove'"), "{e}");

        let e = refusal(Filter {
            macs: vec![[1; 6], [2; 6], [3; 6]],
            ..Default::default()
        });
        assert!(e.starts_with("filter 2 has 3 MAC addresses"), "{e}");
        assert!(e.contains("-m"), "{e}");

        let e = refusal(Filter {
            ips: vec![ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")],
            ..Default::default()
        });
        assert!(e.contains("has 3 IP addresses"), "{e}");

        let e = refusal(Filter {
            ports: vec![1, 2, 3],
            ..Default::default()
        });
        assert!(e.contains("has 3 ports"), "{e}");

        let e = refusal(Filter {
            ips: vec![ip("10.0.0.1"), ip("::1")],
            ..Default::default()
        });
        assert!(e.contains("mixes an IPv4 and an IPv6 address"), "{e}");

        let e = refusal(Filter {
            tcp_flags: 0x02,
            ports: vec![80],
            ..Default::default()
        });
        assert!(e.contains("TCP flags 0x02 without '-t TCP'"), "{e}");
        let e = refusal(Filter {
            protocol: Some(17),
            tcp_flags: 0x12,
            ..Default::default()
        });
        assert!(e.contains("TCP flags 0x12 without '-t TCP'"), "{e}");

        let e = refusal(Filter {
            vlan: Some(5000),
            ..Default::default()
        });
        assert!(e.contains("VLAN ID 5000"), "{e}");

        let e = refusal(Filter {
            ips: vec![IpNet {
                addr: "10.0.0.0".parse().unwrap(),
                prefix: 40,
            }],
            ..Default::default()
        });
        assert!(e.contains("prefix /40 on 10.0.0.0 (at most /32)"), "{e}");
    }

    #[test]
    fn log_line_prints_only_present_fields() {
        let mut c = ProtocolConstraint::empty();
        c.mac2 = [1, 2, 3, 4, 5, 6];
        c.port1 = 99;
        c.dscp = 46;
        c.is_present = bit::MAC2 | bit::DSCP;
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name= present=0x12 mac2=01:02:03:04:05:06 dscp=46"
        );
        // IPv6 text follows Rust's (RFC 5952) form, which the stand-in reproduces.
        c.is_present = bit::IP1 | bit::IP2 | bit::IPV6;
        c.ip1.bytes = "::ffff:10.1.2.3".parse::<Ipv6Addr>().unwrap().octets();
        c.ip2.bytes = "1:0:0:2:0:0:0:3".parse::<Ipv6Addr>().unwrap().octets();
        assert_eq!(
            standin_log_line(&c),
            "AddCaptureConstraint name= present=0x1c0 ip1=::ffff:10.1.2.3 ip2=1:0:0:2::3"
        );
    }
}
