//! `pktmon filter add` arguments → a `Filter`, with pktmon-style errors (exit 87) that name
//! the parameter. Keywords are case-insensitive; MACs take `-` or `:`; numbers are decimal
//! or `0x` hex.

use super::{
    ETHERTYPE_ARP, ETHERTYPE_IPV4, ETHERTYPE_IPV6, Filter, IpNet, PROTO_ICMP, PROTO_ICMPV6,
    PROTO_TCP, PROTO_UDP, VXLAN_PORT,
};
use crate::error::{Error, Result};
use std::net::IpAddr;

/// The raw values of `filter add` as the command line gave them.
#[derive(Clone, Debug, Default)]
pub struct FilterArgs {
    pub name: Option<String>,
    pub mac: Vec<String>,
    pub vlan: Option<String>,
    pub data_link: Option<String>,
    pub transport: Vec<String>,
    pub ip: Vec<String>,
    pub port: Vec<String>,
    pub heartbeat: bool,
    /// `Some(None)`: `-e` without a port.
    pub encap: Option<Option<String>>,
}

fn bad(value: &str, param: &str) -> Error {
    Error::invalid(format!(
        "Error: '{value}' is not a valid argument to parameter '{param}'. See pktmon filter add help."
    ))
}

/// Decimal or 0x-hex number.
pub fn number(s: &str) -> Option<u64> {
    let t = s.trim();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else {
        t.parse().ok()
    }
}

pub fn mac(s: &str) -> Option<[u8; 6]> {
    let parts: Vec<&str> = s.split(['-', ':']).collect();
    if parts.len() != 6 {
        return None;
    }
    let mut m = [0u8; 6];
    for (i, p) in parts.iter().enumerate() {
        if p.len() != 2 {
            return None;
        }
        m[i] = u8::from_str_radix(p, 16).ok()?;
    }
    Some(m)
}

pub fn ip_net(s: &str) -> Option<IpNet> {
    let (a, p) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let addr: IpAddr = a.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let prefix = match p {
        Some(p) => {
            let n: u8 = p.parse().ok()?;
            if n > max {
                return None;
            }
            n
        }
        None => max,
    };
    Some(IpNet { addr, prefix })
}

pub const TCP_FLAGS: [(&str, u8); 8] = [
    ("FIN", 0x01),
    ("SYN", 0x02),
    ("RST", 0x04),
    ("PSH", 0x08),
    ("ACK", 0x10),
    ("URG", 0x20),
    ("ECE", 0x40),
    ("CWR", 0x80),
];

fn port(s: &str, param: &str) -> Result<u16> {
    number(s)
        .and_then(|n| u16::try_from(n).ok())
        .ok_or_else(|| bad(s, param))
}

impl FilterArgs {
    pub fn to_filter(&self) -> Result<Filter> {
        let mut f = Filter {
            name: self.name.clone().unwrap_or_default(),
            ..Default::default()
        };
        if f.name.chars().count() > 63 {
            return Err(Error::invalid(
                "Error: a filter name has at most 63 characters. See pktmon filter add help.",
            ));
        }
        for m in &self.mac {
            f.macs.push(mac(m).ok_or_else(|| bad(m, "--mac-address"))?);
        }
        if let Some(v) = &self.vlan {
            let id = number(v)
                .filter(|&n| n <= 4095)
                .ok_or_else(|| bad(v, "--vlan"))?;
            f.vlan = Some(id as u16);
        }
        if let Some(d) = &self.data_link {
            f.ethertype = Some(match d.to_ascii_lowercase().as_str() {
                "ipv4" => ETHERTYPE_IPV4,
                "ipv6" => ETHERTYPE_IPV6,
                "arp" => ETHERTYPE_ARP,
                _ => number(d)
                    .and_then(|n| u16::try_from(n).ok())
                    .ok_or_else(|| bad(d, "--data-link"))?,
            });
        }
        if let Some((proto, flags)) = self.transport.split_first() {
            let p = match proto.to_ascii_lowercase().as_str() {
                "tcp" => PROTO_TCP,
                "udp" => PROTO_UDP,
                "icmp" => PROTO_ICMP,
                "icmpv6" => PROTO_ICMPV6,
                _ => number(proto)
                    .and_then(|n| u8::try_from(n).ok())
                    .ok_or_else(|| bad(proto, "--transport-protocol"))?,
            };
            f.protocol = Some(p);
            for word in flags {
                if p != PROTO_TCP {
                    return Err(Error::invalid(format!(
                        "Error: TCP flags ('{word}') need '-t TCP'. See pktmon filter add help."
                    )));
                }
                let bit = TCP_FLAGS
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(word))
                    .map(|(_, b)| *b)
                    .ok_or_else(|| bad(word, "--transport-protocol"))?;
                f.tcp_flags |= bit;
            }
        }
        for i in &self.ip {
            f.ips.push(ip_net(i).ok_or_else(|| bad(i, "--ip-address"))?);
        }
        if let [a, b] = f.ips.as_slice()
            && a.addr.is_ipv4() != b.addr.is_ipv4()
        {
            return Err(Error::invalid(
                "Error: the two addresses of '--ip-address' must both be IPv4 or both IPv6. See pktmon filter add help.",
            ));
        }
        if let (Some(v6), Some(et)) = (f.ips.first().map(|n| n.addr.is_ipv6()), f.ethertype)
            && ((v6 && et == ETHERTYPE_IPV4) || (!v6 && et == ETHERTYPE_IPV6))
        {
            return Err(Error::invalid(
                "Error: '--ip-address' and '--data-link' name different IP versions. See pktmon filter add help.",
            ));
        }
        for p in &self.port {
            f.ports.push(port(p, "--port")?);
        }
        f.heartbeat = self.heartbeat;
        if let Some(e) = &self.encap {
            f.encap = Some(match e {
                Some(p) => port(p, "--encap")?,
                None => VXLAN_PORT,
            });
        }
        if !f.has_condition() {
            return Err(Error::invalid(
                "Error: a filter needs at least one condition (-m, -v, -d, -t, -i, -p or -b). See pktmon filter add help.",
            ));
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> FilterArgs {
        FilterArgs::default()
    }

    #[test]
    fn keywords_numbers_and_macs() {
        let f = FilterArgs {
            name: Some("MySmbSyn".into()),
            transport: vec!["tcp".into(), "syn".into(), "Ack".into()],
            ip: vec!["10.10.10.10".into()],
            port: vec!["0x1bd".into()],
            mac: vec!["aa:bb:cc:dd:ee:ff".into(), "00-1D-D8-B7-01-7D".into()],
            data_link: Some("IPv4".into()),
            encap: Some(None),
            ..args()
        }
        .to_filter()
        .unwrap();
        assert_eq!(f.protocol, Some(6));
        assert_eq!(f.tcp_flags, 0x12);
        assert_eq!(f.ports, vec![445]);
        assert_eq!(f.macs[1], [0x00, 0x1D, 0xD8, 0xB7, 0x01, 0x7D]);
        assert_eq!(f.ethertype, Some(0x0800));
        assert_eq!(f.encap, Some(4789));
        let f = FilterArgs {
            data_link: Some("0x88cc".into()),
            transport: vec!["ICMPv6".into()],
            ..args()
        }
        .to_filter()
        .unwrap();
        assert_eq!((f.ethertype, f.protocol), (Some(0x88CC), Some(58)));
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let cases: Vec<(FilterArgs, &str)> = vec![
            (
                FilterArgs {
                    mac: vec!["aa:bb:cc:dd:ee".into()],
                    ..args()
                },
                "--mac-address",
            ),
            (
                FilterArgs {
                    ip: vec!["10.0.0.300".into()],
                    ..args()
                },
                "--ip-address",
            ),
            (
                FilterArgs {
                    ip: vec!["10.0.0.0/33".into()],
                    ..args()
                },
                "--ip-address",
            ),
            (
                FilterArgs {
                    port: vec!["65536".into()],
                    ..args()
                },
                "--port",
            ),
            (
                FilterArgs {
                    vlan: Some("4096".into()),
                    ..args()
                },
                "--vlan",
            ),
            (
                FilterArgs {
                    transport: vec!["tcp".into(), "syx".into()],
                    ..args()
                },
                "--transport-protocol",
            ),
            (
                FilterArgs {
                    transport: vec!["sctpx".into()],
                    ..args()
                },
                "--transport-protocol",
            ),
            (
                FilterArgs {
                    data_link: Some("ipx".into()),
                    ..args()
                },
                "--data-link",
            ),
        ];
        for (a, param) in cases {
            let e = a.to_filter().unwrap_err();
            assert_eq!(e.exit_code(), 87);
            assert!(e.to_string().contains(param), "{e}");
        }
        let e = FilterArgs {
            ip: vec!["10.0.0.1".into(), "::1".into()],
            ..args()
        }
        .to_filter()
        .unwrap_err();
        assert!(
            e.to_string().contains("must both be IPv4 or both IPv6"),
            "{e}"
        );
        let e = FilterArgs {
            ip: vec!["::1".into()],
            data_link: Some("ipv4".into()),
            ..args()
        }
        .to_filter()
        .unwrap_err();
        assert_eq!(e.exit_code(), 87);
        assert!(
            FilterArgs {
                transport: vec!["udp".into(), "syn".into()],
                ..args()
            }
            .to_filter()
            .is_err()
        );
        assert!(
            FilterArgs {
                name: Some("only a name".into()),
                ..args()
            }
            .to_filter()
            .is_err()
        );
    }
}
