//! `pktmon etl2pcap <file>` (Gen 2: `pktmon pcapng`): a capture file as our pcapng.
//! As on Windows, dropped packets are left out unless `--drop-only` (then only they are
//! written), and `--component-id` keeps one component (or `nics`, the network adapters).

use super::convert::{self, Counts, Progress};
use super::etl2txt::damaged;
use crate::error::{Error, Result, exit};
use crate::pcapng::{InterfaceDescription, PcapngWriter};
use crate::source::RecordSource;
use crate::source::pcapng::ComponentInfo;
use clap::ArgMatches;
use std::collections::{HashMap, HashSet};
use std::io;

/// Which components to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentFilter {
    All,
    /// Network adapters: what `pktmon list` shows by default (not loopback, bridges or
    /// other virtual interfaces). Files from other tools have no such information and
    /// count every interface as an adapter.
    Nics,
    One(u32),
}

impl ComponentFilter {
    pub fn parse(value: Option<&str>) -> Result<Self> {
        match value {
            None => Ok(ComponentFilter::All),
            Some(v) if v.eq_ignore_ascii_case("nics") => Ok(ComponentFilter::Nics),
            Some(v) => v.parse::<u32>().map(ComponentFilter::One).map_err(|_| {
                Error::invalid(format!(
                    "Error: '{v}' is not a valid argument to parameter '--component-id'. \
                     Use a component id or nics. See pktmon etl2pcap help."
                ))
            }),
        }
    }
}

/// Whether the component the file describes is a network adapter (our IDB descriptions
/// read `Component <id>, <kind>...`; see `components::Component::is_nic`).
pub fn is_nic(info: Option<&ComponentInfo>) -> bool {
    let Some(info) = info else { return true };
    let Some(rest) = info
        .description
        .strip_prefix(&format!("Component {}, ", info.component))
    else {
        return true;
    };
    let kind = rest.split([',', ' ']).next().unwrap_or("");
    matches!(kind, "ethernet" | "wireless" | "veth" | "tap" | "tun")
}

pub fn run(m: &ArgMatches) -> Result<i32> {
    let input = m.get_one::<String>("file").ok_or_else(|| {
        Error::invalid("Error: missing the log file to convert. See pktmon etl2pcap help.")
    })?;
    let drop_only = m.get_flag("drop-only");
    let filter = ComponentFilter::parse(m.get_one::<String>("component-id").map(String::as_str))?;
    if super::etl_input::is_etl(input) {
        return super::etl_input::etl2pcap(
            input,
            m.get_one::<String>("out").map(String::as_str),
            drop_only,
            filter,
        );
    }
    let mut source = convert::open_source(input)?;
    let path = convert::output_path(
        input,
        m.get_one::<String>("out").map(String::as_str),
        "pcapng",
    )?;
    let file = convert::create_output(&path)?;
    let user_appl = concat!("pktmon ", env!("CARGO_PKG_VERSION"));
    // The writer buffers whole blocks itself and is flushed every MiB.
    let mut writer = PcapngWriter::new(file, user_appl, None);
    let mut declared: HashSet<u32> = HashSet::new();
    let mut nic: HashMap<u32, bool> = HashMap::new();
    let mut progress = Progress::new(convert::file_size(input));
    let mut counts = Counts::default();
    let mut failure = None;
    let write_err =
        |e: io::Error| Error::failure(format!("Failed to write '{}': {e}", path.display()));
    loop {
        let rec = match source.next_record() {
            Ok(Some(rec)) => rec,
            Ok(None) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        counts.total += 1;
        counts.drops += u64::from(rec.is_drop());
        let wanted_kind = rec.is_drop() == drop_only;
        let component = rec.component;
        let link_type = rec.link_type;
        let wanted_component = match filter {
            ComponentFilter::All => true,
            ComponentFilter::One(id) => component == id,
            ComponentFilter::Nics => true,
        };
        if !(wanted_kind && wanted_component) {
            drop(rec);
            progress.record(source.bytes_read());
            continue;
        }
        if filter == ComponentFilter::Nics && nic.get(&component) == Some(&false) {
            drop(rec);
            progress.record(source.bytes_read());
            continue;
        }
        if declared.contains(&component) {
            writer.write_record(&rec);
        } else {
            // The record borrows the source: keep a copy while asking it about the
            // component (once per component).
            let owned = rec.into_owned();
            let info = source.component_info(component);
            if filter == ComponentFilter::Nics {
                let is = is_nic(info.as_ref());
                nic.insert(component, is);
                if !is {
                    progress.record(source.bytes_read());
                    continue;
                }
            }
            let info = info.unwrap_or_else(|| ComponentInfo {
                component,
                name: format!("component{component}"),
                description: format!("Component {component}"),
                mac: None,
                snaplen: 0,
            });
            writer.add_interface(&InterfaceDescription {
                component,
                name: info.name,
                description: info.description,
                link_type,
                snaplen: info.snaplen,
                mac: info.mac,
            });
            declared.insert(component);
            writer.write_record(&owned);
        }
        counts.formatted += 1;
        if writer.buffered_bytes() >= 1 << 20 {
            writer.flush().map_err(write_err)?;
        }
        progress.record(source.bytes_read());
    }
    progress.finish();
    writer.flush().map_err(write_err)?;
    convert::write_summary(&mut io::stdout(), &counts, Some(&path));
    match failure {
        None => Ok(exit::SUCCESS),
        Some(e) => Err(damaged(input, &e, counts.total)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(component: u32, description: &str) -> ComponentInfo {
        ComponentInfo {
            component,
            description: description.to_string(),
            ..ComponentInfo::default()
        }
    }

    #[test]
    fn nics_are_the_adapters_our_descriptions_name() {
        assert!(is_nic(Some(&info(4, "Component 4, ethernet"))));
        assert!(is_nic(Some(&info(
            7,
            "Component 7, veth, peer ifindex 6 in another namespace"
        ))));
        assert!(!is_nic(Some(&info(1, "Component 1, loopback"))));
        assert!(!is_nic(Some(&info(
            3,
            "Component 3, bridge, ports eth0 (2)"
        ))));
        // Other tools' interfaces and pcap files: every interface counts.
        assert!(is_nic(Some(&info(1, "Intel(R) Ethernet"))));
        assert!(is_nic(None));
        assert_eq!(
            ComponentFilter::parse(Some("NICS")).unwrap(),
            ComponentFilter::Nics
        );
        assert_eq!(
            ComponentFilter::parse(Some("12")).unwrap(),
            ComponentFilter::One(12)
        );
        assert_eq!(
            ComponentFilter::parse(Some("x")).unwrap_err().exit_code(),
            87
        );
    }
}
