//! `pktmon list` / `pktmon comp list`.

use crate::components::{Component, ComponentGroup, ComponentKind, NetnsInfo, component_set};
use crate::error::{Result, exit};
use clap::ArgMatches;
use serde_json::{Value, json};
use std::fmt::Write;

pub fn run(m: &ArgMatches) -> Result<i32> {
    let json_out = m.get_flag("json");
    let all = m.get_flag("all") || json_out;
    let hidden = m.get_flag("include-hidden") || json_out;
    let set = component_set()?;
    for note in &set.notes {
        eprintln!("Note: {note}.");
    }
    let comps = &set.components;
    let shown: Vec<&Component> = comps
        .iter()
        .filter(|c| all || c.group() == ComponentGroup::NetworkAdapters || c.hidden())
        .filter(|c| hidden || !c.hidden())
        .collect();
    // Sections: pktmon's own namespace first, exactly as a machine with one namespace shows
    // it; then each other namespace with something to show, under its name.
    let mut sections: Vec<(Option<&NetnsInfo>, Vec<&Component>)> = Vec::new();
    if set.namespaces.is_empty() {
        sections.push((None, shown.clone()));
    }
    for ns in &set.namespaces {
        let rows: Vec<&Component> = shown
            .iter()
            .copied()
            .filter(|c| c.netns_inode() == Some(ns.inode))
            .collect();
        if ns.own || !rows.is_empty() {
            sections.push((Some(ns), rows));
        }
    }
    if json_out {
        let mut doc: Vec<Value> = Vec::new();
        for (ns, rows) in &sections {
            for g in groups_of(rows) {
                let mut group = json!({ "Group": g.title() });
                if let Some(ns) = ns {
                    group["Namespace"] = json!(ns.name);
                    group["NamespaceInode"] = json!(ns.inode);
                }
                group["Components"] = rows
                    .iter()
                    .filter(|c| c.group() == g)
                    .map(|c| component_json(c, comps))
                    .collect();
                doc.push(group);
            }
        }
        crate::json::print(Value::Array(doc))?;
        return Ok(exit::SUCCESS);
    }
    let mut out = String::new();
    for (ns, rows) in &sections {
        let mut groups = groups_of(rows);
        match ns {
            Some(ns) if !ns.own => {
                let _ = writeln!(out, "\nNetwork namespace {} (net:[{}]):", ns.name, ns.inode);
            }
            _ => {
                if groups.is_empty() {
                    groups.push(ComponentGroup::NetworkAdapters);
                }
            }
        }
        for g in groups {
            let rows: Vec<&Component> = rows.iter().copied().filter(|c| c.group() == g).collect();
            render_group(&mut out, g.title(), &rows, comps);
        }
    }
    crate::out!("{out}")?;
    Ok(exit::SUCCESS)
}

/// The groups these components fall in, in listing order.
fn groups_of(rows: &[&Component]) -> Vec<ComponentGroup> {
    let mut groups: Vec<ComponentGroup> = rows.iter().map(|c| c.group()).collect();
    groups.sort();
    groups.dedup();
    groups
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
    let mut props = vec![json!({"Name": "ifIndex", "Value": c.index()})];
    if let Some(ns) = &c.netns {
        props.push(json!({"Name": "Namespace", "Value": ns.name}));
    }
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
        if let Some(p) = c.peer {
            props.push(json!({"Name": "Peer Component Id", "Value": p}));
        }
    }
    if let Some(mst) = c.master {
        props.push(json!({"Name": "Master ifIndex", "Value": mst}));
    }
    for p in &c.members {
        props.push(json!({"Name": "Member ifIndex", "Value": p}));
    }
    if let Some(d) = &c.driver {
        props.push(json!({"Name": "Driver", "Value": d}));
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
