//! `pktmon etl2pcap <file>` (Gen 2: `pktmon pcapng`): a capture file as our pcapng.
//! As on Windows, dropped packets are left out unless `--drop-only` (then only they are
//! written), and `--component-id` keeps one component (or `nics`, the network adapters).
//! Arguments → options → `convert::to_pcapng` (any input format).

use super::convert::{self, PcapngOptions};
use crate::error::{Error, Result};
use clap::ArgMatches;
use std::io;

pub use super::convert::{ComponentFilter, is_nic};

pub fn run(m: &ArgMatches) -> Result<i32> {
    let input = m.get_one::<String>("file").ok_or_else(|| {
        Error::invalid("Error: missing the log file to convert. See pktmon etl2pcap help.")
    })?;
    let opts = PcapngOptions {
        drop_only: m.get_flag("drop-only"),
        components: ComponentFilter::parse(
            m.get_one::<String>("component-id").map(String::as_str),
        )?,
    };
    let mut source = convert::open_source(input)?;
    let path = convert::output_path(
        input,
        m.get_one::<String>("out").map(String::as_str),
        "pcapng",
    )?;
    let json = m.get_flag("json");
    let file = if json {
        convert::create_output_quietly(&path)?
    } else {
        convert::create_output(&path)?
    };
    let (counts, failure) = convert::to_pcapng(input, &mut source, file, &path, opts)?;
    if json {
        // docs/schema/etl2pcap.schema.json
        crate::json::print(serde_json::json!({
            "LogFile": input,
            "OutputFile": path.display().to_string(),
            "PacketsTotal": counts.total,
            "PacketDropCount": counts.drops,
            "PacketsWritten": counts.formatted,
        }))?;
    } else {
        convert::write_summary(&mut io::stdout(), &counts, Some(&path));
    }
    convert::outcome(input, &counts, failure)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::pcapng::{ComponentInfo, ComponentRole};

    fn info(component: u32, description: &str) -> ComponentInfo {
        ComponentInfo {
            component,
            description: description.to_string(),
            ..ComponentInfo::default()
        }
    }

    #[test]
    fn nics_are_the_adapters_the_file_names() {
        // The role, when the file states it (Windows ETL rundown: Miniport).
        let mut miniport = info(9, "Component 9, Miniport Intel(R) Ethernet");
        miniport.role = Some(ComponentRole::Adapter);
        assert!(is_nic(Some(&miniport)));
        let mut filter = info(10, "Component 10, ethernet");
        filter.role = Some(ComponentRole::Other);
        assert!(!is_nic(Some(&filter)), "the role wins over the description");
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
