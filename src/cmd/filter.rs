//! `pktmon filter add|list|remove`.

use crate::error::{Error, Result, exit};
use crate::filter::parse::FilterArgs;
use crate::filter::{self, table};
use crate::session::state::registered_sessions;
use clap::ArgMatches;

pub fn run(m: &ArgMatches) -> Result<i32> {
    match m.subcommand() {
        Some(("add", a)) => add(a),
        Some(("list", l)) => list(l),
        Some(("remove", r)) => remove(r),
        _ => Err(Error::invalid(
            "Error: 'pktmon filter' needs a command: add, list or remove. See pktmon filter help.",
        )),
    }
}

fn values(m: &ArgMatches, id: &str) -> Vec<String> {
    m.get_many::<String>(id)
        .map(|v| v.cloned().collect())
        .unwrap_or_default()
}

fn add(m: &ArgMatches) -> Result<i32> {
    let args = FilterArgs {
        name: m.get_one::<String>("name").cloned(),
        mac: values(m, "mac"),
        vlan: m.get_one::<String>("vlan").cloned(),
        data_link: m.get_one::<String>("data-link").cloned(),
        transport: values(m, "transport"),
        ip: values(m, "ip"),
        port: values(m, "port"),
        heartbeat: m.get_flag("heartbeat"),
        encap: m
            .contains_id("encap")
            .then(|| m.get_one::<String>("encap").cloned()),
    };
    let f = args.to_filter()?;
    let mut set = filter::load()?;
    set.add(f)?;
    filter::save(&set)?;
    crate::outln!("Filter added.")?;
    note_running_sessions();
    Ok(exit::SUCCESS)
}

fn note_running_sessions() {
    if !registered_sessions().is_empty() {
        eprintln!(
            "Note: a running session keeps the filters it started with; the change applies from the next 'pktmon start'."
        );
    }
}

fn list(m: &ArgMatches) -> Result<i32> {
    let set = filter::load()?;
    if m.get_flag("json") {
        crate::outln!(
            "{}",
            serde_json::to_string_pretty(&crate::json::versioned(table::to_json(&set)))
                .unwrap_or_default()
        )?;
    } else {
        crate::out!("Packet Filters:\n{}", table::render(&set))?;
    }
    Ok(exit::SUCCESS)
}

fn remove(m: &ArgMatches) -> Result<i32> {
    let mut set = filter::load()?;
    match m.get_one::<String>("which") {
        None => {
            set.filters.clear();
            filter::save(&set)?;
            crate::outln!("All filters removed.")?;
        }
        Some(which) => {
            if set.remove(which) == 0 {
                return Err(Error::failure(format!(
                    "No filter has the number or name '{which}'. See 'pktmon filter list'."
                )));
            }
            filter::save(&set)?;
            crate::outln!("Filter '{which}' removed.")?;
        }
    }
    note_running_sessions();
    Ok(exit::SUCCESS)
}
