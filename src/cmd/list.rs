//! `pktmon list` / `pktmon comp list`.

use crate::components::{Component, ComponentGroup, ComponentKind, list_components};
use crate::error::{Error, Result, exit};
use clap::ArgMatches;
use serde_json::{Value, json};
use std::fmt::Write;

pub fn run(m: &ArgMatches) -> Result<i32> {
    let json_out = m.get_flag("json");
    let all = m.get_flag("all") || json_out;
    let hidden = m.get_flag("include-hidden") || json_out;
    let comps = list_components()?;
    let shown: Vec<&Component> = comps
        .iter()
        .filter(|c| all || c.group() == ComponentGroup::NetworkAdapters || c.hidden())
        .filter(|c| hidden || !c.hidden())
        .collect();
    let mut groups: Vec<ComponentGroup> = shown.iter().map(|c| c.group()).collect();
    groups.sort();
    groups.dedup();
    if json_out {
        let doc: Vec<Value> = groups
            .iter()
            .map(|g| {
                json!({
                    "Group": g.title(),
                    "Components": shown.iter().filter(|c| c.group() == *g)
                        .map(|c| component_json(c, &comps)).collect::<Vec<_>>(),
                })
            })
            .collect();
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Error::failure(e.to_string()))?;
        crate::outln!("{text}")?;
        return Ok(exit::SUCCESS);
    }
    if groups.is_empty() {
        groups.push(ComponentGroup::NetworkAdapters);
    }
    let mut out = String::new();
    for g in groups {
        let rows: Vec<&Component> = shown.iter().copied().filter(|c| c.group() == g).collect();
        render_group(&mut out, g.title(), &rows, &comps);
    }
    crate::out!("{out}")?;
    Ok(exit::SUCCESS)
}

fn render_group(out: &mut String, title: &str, rows: &[&Component], all: &[Component]) {
    let _ = writeln!(out, "\n{title}:");
    if rows.is_empty() {
        out.push_str("    None\n");
        return;
    }
    let id_w = rows
        .iter()
        .map(|c| c.id.to_string().len())
        .max()
        .unwrap_or(2)
        .max(2)
        + 3;
    let name_w = rows.iter().map(|c| c.name.len()).max().unwrap_or(4).max(4);
    let _ = writeln!(
        out,
        "{:>id_w$} {:<17} {:<name_w$} Type",
        "Id", "MAC Address", "Name"
    );
    let _ = writeln!(
        out,
        "{:>id_w$} {:<17} {:<name_w$} ----",
        "--", "-----------", "----"
    );
    for c in rows {
        let _ = writeln!(
            out,
            "{:>id_w$} {:<17} {:<name_w$} {}",
            c.id,
            c.mac_string(),
            c.name,
            c.describe(all)
        );
    }
}

fn component_json(c: &Component, all: &[Component]) -> Value {
    let mut props = vec![json!({"Name": "ifIndex", "Value": c.id})];
    if let Some(_m) = c.mac {
        props.push(json!({"Name": "MAC Address", "Value": c.mac_string()}));
    }
    if let Some(l) = c.link {
        let name = match c.kind {
            ComponentKind::Veth => "Peer ifIndex",
            _ => "Lower ifIndex",
        };
        props.push(json!({"Name": name, "Value": l}));
        if let Some(ns) = c.link_netnsid {
            props.push(json!({"Name": "Peer Namespace Id", "Value": ns}));
        }
    }
    if let Some(mst) = c.master {
        props.push(json!({"Name": "Master ifIndex", "Value": mst}));
    }
    for p in &c.members {
        props.push(json!({"Name": "Member ifIndex", "Value": p}));
    }
    props.push(json!({"Name": "Up", "Value": c.up}));
    json!({
        "Id": c.id,
        "SecondaryId": 0,
        "Name": c.name,
        "Type": c.kind.name(),
        "Description": c.describe(all),
        "Properties": props,
    })
}
