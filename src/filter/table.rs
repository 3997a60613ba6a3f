//! `pktmon filter list` (and the `Packet Filters:` section of `start`/`status`): only the
//! columns some filter uses, two-value fields on a continuation row.

use super::parse::TCP_FLAGS;
use super::{Filter, FilterSet};
use crate::components::format_mac;
use serde_json::{Value, json};

pub fn ethertype_name(et: u16) -> String {
    match et {
        0x0800 => "IPv4".into(),
        0x86DD => "IPv6".into(),
        0x0806 => "ARP".into(),
        0x8100 => "VLAN".into(),
        0x88CC => "LLDP".into(),
        0x88D9 => "LLTD".into(),
        n => format!("0x{n:X}"),
    }
}

fn flag_words(mask: u8) -> Vec<&'static str> {
    TCP_FLAGS
        .iter()
        .filter(|(_, b)| mask & b != 0)
        .map(|(n, _)| *n)
        .collect()
}

pub fn protocol_name(f: &Filter) -> Option<String> {
    let p = f.protocol?;
    let name = match p {
        6 => "TCP".to_string(),
        17 => "UDP".into(),
        1 => "ICMP".into(),
        58 => "ICMPv6".into(),
        n => format!("0x{n:X}"),
    };
    Some(if f.tcp_flags != 0 {
        format!("{name} ({})", flag_words(f.tcp_flags).join(" "))
    } else {
        name
    })
}

/// One column: header, right alignment, and per filter one or two cell values.
struct Column {
    header: &'static str,
    right: bool,
    cells: Vec<Vec<String>>,
}

/// The table's lines, without the `Packet Filters:` heading.
pub fn render(set: &FilterSet) -> String {
    if set.is_empty() {
        return "    None\n".to_string();
    }
    let fs: Vec<&Filter> = set.filters.iter().map(|n| &n.filter).collect();
    let col = |header, right, f: &dyn Fn(&Filter) -> Vec<String>| Column {
        header,
        right,
        cells: fs.iter().map(|x| f(x)).collect(),
    };
    let all = vec![
        col("#", true, &|_| vec![]),
        col("Name", false, &|f| {
            vec![if f.name.is_empty() {
                "<empty>".into()
            } else {
                f.name.clone()
            }]
        }),
        col("MAC Address", false, &|f| {
            f.macs.iter().map(format_mac).collect()
        }),
        col("Vlan ID", true, &|f| {
            f.vlan.map(|v| v.to_string()).into_iter().collect()
        }),
        col("EtherType", false, &|f| {
            f.ethertype.map(ethertype_name).into_iter().collect()
        }),
        col("Protocol", false, &|f| {
            protocol_name(f).into_iter().collect()
        }),
        col("IP Address", false, &|f| {
            f.ips.iter().map(|n| n.to_string()).collect()
        }),
        col("Port", true, &|f| {
            f.ports.iter().map(|p| p.to_string()).collect()
        }),
        col("Heartbeat", false, &|f| {
            if f.heartbeat {
                vec!["Yes".into()]
            } else {
                vec![]
            }
        }),
        col("Encapsulation", false, &|f| {
            if f.encap.is_some() {
                vec!["Yes".into()]
            } else {
                vec![]
            }
        }),
        col("VXLAN Port", true, &|f| {
            f.encap.map(|p| p.to_string()).into_iter().collect()
        }),
    ];
    let mut cols: Vec<Column> = all
        .into_iter()
        .filter(|c| matches!(c.header, "#" | "Name") || c.cells.iter().any(|v| !v.is_empty()))
        .collect();
    cols[0].cells = set
        .filters
        .iter()
        .map(|n| vec![n.number.to_string()])
        .collect();
    let widths: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let w = c
                .cells
                .iter()
                .flatten()
                .map(|s| s.chars().count())
                .chain([c.header.len()])
                .max()
                .unwrap_or(0);
            if i == 0 { w.max(6) } else { w }
        })
        .collect();
    let line = |cells: Vec<&str>| -> String {
        let mut s = String::new();
        for (i, (c, cell)) in cols.iter().zip(cells).enumerate() {
            if i > 0 {
                s.push(' ');
            }
            let w = widths[i];
            if c.right {
                s.push_str(&format!("{cell:>w$}"));
            } else {
                s.push_str(&format!("{cell:<w$}"));
            }
        }
        format!("{}\n", s.trim_end())
    };
    let mut out = line(cols.iter().map(|c| c.header).collect());
    let dashes: Vec<String> = cols.iter().map(|c| "-".repeat(c.header.len())).collect();
    out.push_str(&line(dashes.iter().map(String::as_str).collect()));
    for row in 0..set.len() {
        let rows = cols
            .iter()
            .map(|c| c.cells[row].len())
            .max()
            .unwrap_or(1)
            .max(1);
        for sub in 0..rows {
            out.push_str(&line(
                cols.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        if sub > 0 && i < 2 {
                            ""
                        } else {
                            c.cells[row].get(sub).map(String::as_str).unwrap_or("")
                        }
                    })
                    .collect(),
            ));
        }
    }
    out
}

pub fn to_json(set: &FilterSet) -> Value {
    Value::Array(
        set.filters
            .iter()
            .map(|n| {
                let f = &n.filter;
                json!({
                    "Id": n.number,
                    "Name": f.name,
                    "MacAddress": f.macs.iter().map(format_mac).collect::<Vec<_>>(),
                    "VlanId": f.vlan,
                    "EtherType": f.ethertype,
                    "Protocol": f.protocol,
                    "TcpFlags": flag_words(f.tcp_flags),
                    "IpAddress": f.ips.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
                    "Port": f.ports,
                    "Heartbeat": f.heartbeat,
                    "Encapsulation": f.encap.is_some(),
                    "VxlanPort": f.encap,
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::parse::FilterArgs;

    fn add(set: &mut FilterSet, a: FilterArgs) {
        set.add(a.to_filter().unwrap()).unwrap();
    }

    #[test]
    fn layout_as_pktmon() {
        let mut set = FilterSet::default();
        add(
            &mut set,
            FilterArgs {
                name: Some("IP-TCP-SYN-443".into()),
                data_link: Some("IPv4".into()),
                transport: vec!["TCP".into(), "SYN".into()],
                ip: vec!["172.217.2.115".into()],
                port: vec!["443".into()],
                ..Default::default()
            },
        );
        let t = render(&set);
        let expected = "     # Name           EtherType Protocol  IP Address    Port\n     \
                        - ----           --------- --------  ----------    ----\n     \
                        1 IP-TCP-SYN-443 IPv4      TCP (SYN) 172.217.2.115  443\n";
        assert_eq!(t, expected);
        add(
            &mut set,
            FilterArgs {
                ip: vec!["10.0.0.1".into(), "10.0.0.0/24".into()],
                ..Default::default()
            },
        );
        let t = render(&set);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 5, "{t}");
        assert!(lines[3].starts_with("     2 <empty>") && lines[3].contains("10.0.0.1"));
        assert!(
            lines[4].trim_start().starts_with("10.0.0.0/24"),
            "continuation row: {t}"
        );
        assert_eq!(render(&FilterSet::default()), "    None\n");
    }
}
