//! `pktmon extcap ...`: Wireshark's extcap interface, so that Wireshark and tshark capture
//! live through pktmon (`tshark -i pktmon`). Wireshark runs the program in its extcap
//! folder in four steps: `--extcap-interfaces` (what we offer), `--extcap-dlts` (the link
//! type), `--extcap-config` (the options of the capture dialog), `--capture --fifo F`
//! (capture into F until SIGTERM).
//!
//! Installation is a symlink named `pktmon-extcap` (or a copy, `pktmon-extcap.exe` on
//! Windows) in the extcap folder: Wireshark calls it by that path with the extcap options
//! only, and a pktmon started under a name beginning with `pktmon-extcap` acts as
//! `pktmon extcap` (see [`invoked_as_extcap`]). A symlink rather than a wrapper script: no
//! interpreter, works where scripts in the extcap folder do not (Windows), and always runs
//! the pktmon it points to.
//!
//! The capture is a real-time session (`start -m real-time`, session `extcap-<pid>`) whose
//! records are written as our pcapng — an interface per component, pktmon's comments and
//! drops with their reasons — and flushed to the fifo record by record.

use super::start::{self, ExtcapTarget};
use crate::error::{Error, Result, exit};
use crate::filter::FilterSet;
use crate::filter::parse::FilterArgs;
use crate::pcapng::meta::ComponentRole;
use crate::pcapng::{InterfaceDescription, PcapngWriter};
use crate::record::PacketRecord;
use crate::session::SessionInfo;
use clap::ArgMatches;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// The one interface we offer.
pub const INTERFACE: &str = "pktmon";

/// Whether the program was started under the extcap name (`pktmon-extcap`, a symlink or
/// copy in Wireshark's extcap folder).
pub fn invoked_as_extcap(program: &OsStr) -> bool {
    Path::new(program)
        .file_name()
        .and_then(OsStr::to_str)
        .is_some_and(|n| n.starts_with("pktmon-extcap"))
}

pub fn run(m: &ArgMatches, session: &str) -> Result<i32> {
    if m.get_flag("extcap-interfaces") {
        crate::out!("{}", interfaces())?;
        return Ok(exit::SUCCESS);
    }
    let asked = m.get_one::<String>("extcap-interface").map(String::as_str);
    if m.get_flag("extcap-dlts") || m.get_flag("extcap-config") || m.get_flag("capture") {
        match asked {
            Some(INTERFACE) => {}
            Some(other) => {
                return Err(Error::invalid(format!(
                    "Error: unknown extcap interface '{other}'; pktmon offers '{INTERFACE}'."
                )));
            }
            None => {
                return Err(Error::invalid(
                    "Error: missing --extcap-interface. See pktmon extcap help.",
                ));
            }
        }
    }
    if m.get_flag("extcap-dlts") {
        crate::out!("{}", dlts())?;
        return Ok(exit::SUCCESS);
    }
    if m.get_flag("extcap-config") {
        crate::out!("{}", config())?;
        return Ok(exit::SUCCESS);
    }
    if m.get_flag("capture") {
        return capture(m, session);
    }
    Err(Error::invalid(
        "Error: 'pktmon extcap' needs --extcap-interfaces, --extcap-dlts, --extcap-config or \
         --capture. See pktmon extcap help.",
    ))
}

/// `--extcap-interfaces`.
fn interfaces() -> String {
    format!(
        "extcap {{version={}}}{{display=pktmon, Packet Monitor}}\n\
         interface {{value={INTERFACE}}}{{display=Packet Monitor: every component, with drops}}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// `--extcap-dlts`: the link type of most components; the pcapng stream names each
/// component's own in its interface block.
fn dlts() -> String {
    "dlt {number=1}{name=EN10MB}{display=Ethernet}\n".to_string()
}

/// `--extcap-config`: the capture dialog. The defaults are `start`'s.
fn config() -> String {
    let pkt_size = crate::commands::DEFAULT_PKT_SIZE;
    format!(
        "arg {{number=0}}{{call=--comp}}{{display=Components}}{{type=string}}{{default=all}}\
         {{tooltip=all, nics, or component ids from 'pktmon list', separated by commas}}\n\
         arg {{number=1}}{{call=--pkt-size}}{{display=Bytes logged per packet (0: all)}}\
         {{type=unsigned}}{{default={pkt_size}}}\n\
         arg {{number=2}}{{call=--type}}{{display=Packets}}{{type=radio}}\n\
         value {{arg=2}}{{value=all}}{{display=Flows and drops}}{{default=true}}\n\
         value {{arg=2}}{{value=flow}}{{display=Flows only (drops off)}}{{default=false}}\n\
         value {{arg=2}}{{value=drop}}{{display=Drops only}}{{default=false}}\n\
         arg {{number=3}}{{call=--ip}}{{display=Filter: IP address or subnet (two: both)}}\
         {{type=string}}{{group=Filter}}\n\
         arg {{number=4}}{{call=--port}}{{display=Filter: TCP/UDP port (two: both)}}\
         {{type=string}}{{group=Filter}}\n\
         arg {{number=5}}{{call=--transport}}{{display=Filter: transport (TCP [flags], UDP, ICMP, ICMPv6, number)}}\
         {{type=string}}{{group=Filter}}\n\
         arg {{number=6}}{{call=--data-link}}{{display=Filter: data link (IPv4, IPv6, ARP, number)}}\
         {{type=string}}{{group=Filter}}\n\
         arg {{number=7}}{{call=--mac}}{{display=Filter: MAC address (two: both)}}\
         {{type=string}}{{group=Filter}}\n\
         arg {{number=8}}{{call=--vlan}}{{display=Filter: VLAN id}}{{type=string}}{{group=Filter}}\n"
    )
}

/// A dialog field as words (Wireshark passes "10.0.0.1 10.0.0.2" as one argument).
fn words(m: &ArgMatches, id: &str) -> Vec<String> {
    m.get_one::<String>(id)
        .map(|v| {
            v.split([' ', ','])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The dialog's filter, when it sets any condition.
fn dialog_filter(m: &ArgMatches) -> Result<Option<FilterSet>> {
    let args = FilterArgs {
        name: Some("wireshark".to_string()),
        mac: words(m, "mac"),
        vlan: words(m, "vlan").into_iter().next(),
        data_link: words(m, "data-link").into_iter().next(),
        transport: words(m, "transport"),
        ip: words(m, "ip"),
        port: words(m, "port"),
        heartbeat: false,
        encap: None,
    };
    let given = !(args.mac.is_empty()
        && args.vlan.is_none()
        && args.data_link.is_none()
        && args.transport.is_empty()
        && args.ip.is_empty()
        && args.port.is_empty());
    Ok(given
        .then(|| args.to_filter())
        .transpose()?
        .map(|f| FilterSet::numbered(vec![f])))
}

fn capture(m: &ArgMatches, session: &str) -> Result<i32> {
    if let Some(f) = m.get_one::<String>("extcap-capture-filter")
        && !f.trim().is_empty()
    {
        return Err(Error::invalid(format!(
            "Error: capture filters (BPF '{f}') are not supported; use the Filter options of \
             the pktmon interface (IP, port, transport...), or a display filter."
        )));
    }
    let fifo = m
        .get_one::<String>("fifo")
        .ok_or_else(|| Error::invalid("Error: --capture needs --fifo. See pktmon extcap help."))?;
    let filters = dialog_filter(m)?;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(fifo)
        .map_err(|e| Error::failure(format!("cannot open the fifo {fifo}: {e}")))?;
    // One session per capture: Wireshark may run several, and `pktmon stop` of the
    // default session must not end them.
    let name = if session == "default" {
        format!("extcap-{}", std::process::id())
    } else {
        session.to_string()
    };
    start::run_with(
        m,
        &name,
        Some(ExtcapTarget {
            sink: FifoSink::new(file),
            filters,
        }),
    )
}

/// Our pcapng, flushed record by record into Wireshark's fifo.
pub struct FifoSink {
    writer: PcapngWriter<File>,
    components: Vec<crate::components::Component>,
}

impl FifoSink {
    pub fn new(fifo: File) -> FifoSink {
        FifoSink {
            writer: PcapngWriter::new(fifo, concat!("pktmon ", env!("CARGO_PKG_VERSION")), None),
            components: Vec::new(),
        }
    }

    /// The session is armed: an interface per monitored component, sent at once so that
    /// Wireshark shows the capture as started.
    pub fn armed(&mut self, info: &SessionInfo) -> io::Result<()> {
        self.components = info.config.components.clone();
        for m in &info.monitored {
            let desc = self.description(m.id, crate::record::LinkType(m.link_type));
            let role = self.role(m.id);
            self.writer.add_interface_with_role(&desc, role);
        }
        self.writer.flush()
    }

    pub fn record(&mut self, rec: &PacketRecord<'_>) -> io::Result<()> {
        if !self.writer.has_interface(rec.component, rec.link_type) {
            // A component that joined, or a drop outside the monitored ones.
            let desc = self.description(rec.component, rec.link_type);
            let role = self.role(rec.component);
            self.writer.add_interface_with_role(&desc, role);
        }
        self.writer.write_record(rec);
        self.writer.flush()?;
        self.writer.get_mut().flush()
    }

    fn description(&self, id: u32, link_type: crate::record::LinkType) -> InterfaceDescription {
        match self.components.iter().find(|c| c.id == id) {
            Some(c) => InterfaceDescription {
                component: id,
                name: c.display_name(),
                description: format!("Component {id}, {}", c.describe(&self.components)),
                link_type,
                snaplen: 0,
                mac: c.mac,
            },
            None => InterfaceDescription {
                component: id,
                name: format!("component{id}"),
                description: format!("Component {id}"),
                link_type,
                snaplen: 0,
                mac: None,
            },
        }
    }

    fn role(&self, id: u32) -> Option<ComponentRole> {
        self.components.iter().find(|c| c.id == id).map(|c| {
            if c.is_nic() {
                ComponentRole::Adapter
            } else {
                ComponentRole::Other
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extcap_name_is_recognised_by_file_name() {
        assert!(invoked_as_extcap(OsStr::new(
            "/usr/lib/x86_64-linux-gnu/wireshark/extcap/pktmon-extcap"
        )));
        assert!(
            invoked_as_extcap(OsStr::new("C:\\Wireshark\\extcap\\pktmon-extcap.exe"))
                == cfg!(windows)
        );
        assert!(!invoked_as_extcap(OsStr::new("/usr/bin/pktmon")));
    }

    #[test]
    fn every_sentence_is_well_formed() {
        for text in [interfaces(), dlts(), config()] {
            for line in text.lines() {
                let (word, rest) = line.split_once(' ').expect("a sentence word");
                assert!(
                    ["extcap", "interface", "dlt", "arg", "value"].contains(&word),
                    "{line}"
                );
                assert!(rest.starts_with('{') && rest.ends_with('}'), "{line}");
                assert_eq!(
                    rest.matches('{').count(),
                    rest.matches('}').count(),
                    "{line}"
                );
            }
        }
    }
}
