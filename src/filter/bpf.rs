//! The kernel prefilter: the filter set as a libpcap filter expression, compiled by
//! libpcap and attached to every capture handle so that the kernel drops what no filter
//! can match before it is copied to us.
//!
//! It must never reject a packet the matcher accepts. It is exact for every condition
//! except two, where it is widened:
//! - `-e` (tunnels): the filter also accepts every VXLAN (its UDP port), GRE and IP-in-IP
//!   packet; the matcher then looks inside.
//! - VLAN ids: libpcap's `vlan` keyword shifts the offsets of everything after it, in every
//!   branch, so one expression can test one tag only once. The tagged branch therefore
//!   checks that a tag is there (in the frame, or stripped by the kernel into metadata) but
//!   not which id.
//! - EtherType values below 0x0600 are 802.3 lengths, which `ether proto` reads as LLC
//!   SAPs: not checked.

use super::{Filter, FilterSet, IpNet};

fn mac(m: &[u8; 6]) -> String {
    format!(
        "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
        m[0], m[1], m[2], m[3], m[4], m[5]
    )
}

fn family(n: &IpNet) -> &'static str {
    if n.addr.is_ipv6() { "ip6" } else { "ip" }
}

fn net(dir: &str, n: &IpNet) -> String {
    let dir = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir} ")
    };
    if n.is_host() {
        format!("{} {dir}host {}", family(n), n.addr)
    } else {
        // libpcap refuses host bits in a network.
        format!("{} {dir}net {}/{}", family(n), n.network(), n.prefix)
    }
}

/// The conditions of one filter on one header stack, ANDed; None when none can be
/// checked (the filter then accepts everything).
fn conditions(f: &Filter) -> Option<String> {
    let mut terms: Vec<String> = Vec::new();
    match f.macs.as_slice() {
        [m] => terms.push(format!("ether host {}", mac(m))),
        [a, b] => terms.push(format!(
            "((ether src {a} and ether dst {b}) or (ether src {b} and ether dst {a}))",
            a = mac(a),
            b = mac(b)
        )),
        _ => {}
    }
    if let Some(et) = f.ethertype
        && et >= 0x0600
    {
        terms.push(format!("ether proto 0x{et:04x}"));
    }
    match f.ips.as_slice() {
        [n] => terms.push(net("", n)),
        [a, b] => terms.push(format!(
            "(({} and {}) or ({} and {}))",
            net("src", a),
            net("dst", b),
            net("src", b),
            net("dst", a)
        )),
        _ => {}
    }
    let v6 = f.ipv6();
    if let Some(p) = f.protocol {
        let v4_term = if p == super::PROTO_TCP && f.tcp_flags != 0 {
            // First fragment only, as the matcher reads flags.
            format!(
                "(ip proto 6 and ip[6:2] & 0x1fff = 0 and tcp[13] & {m} = {m})",
                m = f.tcp_flags
            )
        } else {
            format!("ip proto {p}")
        };
        let v6_term = if p == super::PROTO_TCP && f.tcp_flags != 0 {
            // libpcap has no tcp[] for IPv6: the flags byte of a TCP header right after
            // the fixed header (the matcher does not walk extension headers either).
            format!("(ip6 proto 6 and ip6[53] & {m} = {m})", m = f.tcp_flags)
        } else {
            format!("ip6 proto {p}")
        };
        terms.push(match v6 {
            Some(false) => v4_term,
            Some(true) => v6_term,
            None => format!("({v4_term} or {v6_term})"),
        });
    }
    match f.ports.as_slice() {
        [p] => terms.push(format!("(tcp port {p} or udp port {p})")),
        [a, b] => terms.push(format!(
            "((tcp or udp) and ((src port {a} and dst port {b}) or (src port {b} and dst port {a})))"
        )),
        _ => {}
    }
    if f.heartbeat {
        terms.push(format!("udp port {}", super::HEARTBEAT_PORT));
    }
    if terms.is_empty() {
        None
    } else {
        Some(format!("({})", terms.join(" and ")))
    }
}

/// Everything a tunnel the matcher looks into can arrive as.
fn tunnels(vxlan_port: u16) -> String {
    format!(
        "(udp dst port {vxlan_port} or ip proto 47 or ip6 proto 47 or ip proto 4 or ip proto 41 \
         or ip6 proto 4 or ip6 proto 41)"
    )
}

/// One filter as an expression: its conditions, or any tunnel when it has `-e`.
fn filter_expression(f: &Filter) -> Option<String> {
    let outer = conditions(f)?;
    Some(match f.encap {
        Some(port) => format!("({outer} or {})", tunnels(port)),
        None => outer,
    })
}

/// The prefilter for a filter set; None when it would accept everything (no filters, or
/// a filter whose conditions cannot be checked in the kernel).
pub fn prefilter(set: &FilterSet) -> Option<String> {
    if set.filters.is_empty() {
        return None;
    }
    let mut untagged = Vec::new();
    let mut tagged = Vec::new();
    for nf in &set.filters {
        let f = &nf.filter;
        let expr = filter_expression(f)?;
        match (f.vlan, f.encap) {
            (None, _) => untagged.push(expr.clone()),
            // An untagged tunnel may carry a tagged inner frame.
            (Some(_), Some(port)) => untagged.push(tunnels(port)),
            (Some(_), None) => {}
        }
        tagged.push(expr);
    }
    let mut branches = Vec::new();
    if !untagged.is_empty() {
        branches.push(untagged.join(" or "));
    }
    // Must stay last: `vlan` shifts the offsets of everything after it.
    branches.push(format!("(vlan and ({}))", tagged.join(" or ")));
    Some(branches.join(" or "))
}
