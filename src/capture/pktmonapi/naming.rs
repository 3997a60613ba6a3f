//! What a data source is called and what it is. Real Windows fills `Name` with the driver
//! file (`e1dn.sys`) and `Description` with the adapter's display name
//! (docs/spec/pktmonapi-fidelity.md §2), which is the name pktmon shows.

use crate::components::ComponentKind;

use super::ffi::DATA_SOURCE_KIND_NETWORK_INTERFACE;

/// A data source's shown name, driver file and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Naming {
    pub name: String,
    pub driver: Option<String>,
    pub kind: ComponentKind,
}

/// From a data source's `Kind`, `Name` and `Description`.
pub fn naming(kind: u32, name: &str, description: &str) -> Naming {
    let is_driver_file = name.to_ascii_lowercase().ends_with(".sys");
    let shown = if !description.is_empty() {
        description
    } else {
        name
    };
    let says_loopback = |s: &str| s.to_ascii_lowercase().contains("loopback");
    let kind = if says_loopback(description) || (!is_driver_file && says_loopback(name)) {
        ComponentKind::Loopback
    } else if kind == DATA_SOURCE_KIND_NETWORK_INTERFACE {
        ComponentKind::Ethernet
    } else {
        ComponentKind::Other(source_kind_name(kind).to_string())
    };
    Naming {
        name: shown.to_string(),
        driver: is_driver_file.then(|| name.to_string()),
        kind,
    }
}

/// `PACKETMONITOR_DATA_SOURCE_KIND` names (pktmon-cli.md §5.5: 2..6 from a later header).
fn source_kind_name(kind: u32) -> &'static str {
    match kind {
        2 => "filter",
        3 => "protocol",
        4 => "application protocol",
        5 => "vmswitch",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_name_from_description_driver_kept() {
        let n = naming(1, "e1dn.sys", "Intel(R) Ethernet Connection (7) I219-LM");
        assert_eq!(n.name, "Intel(R) Ethernet Connection (7) I219-LM");
        assert_eq!(n.driver.as_deref(), Some("e1dn.sys"));
        assert_eq!(n.kind, ComponentKind::Ethernet);
    }

    #[test]
    fn loopback_found_by_description_not_by_driver_name() {
        let lo = naming(1, "tcpip.sys", "Software Loopback Interface 1");
        assert_eq!(lo.kind, ComponentKind::Loopback);
        // A driver file that happens to say loopback does not make an adapter one.
        let nic = naming(
            1,
            "loopbackfilter.sys",
            "Realtek PCIe GbE Family Controller",
        );
        assert_eq!(nic.kind, ComponentKind::Ethernet);
        // The older shape (an alias in Name) still works.
        let old = naming(1, "Loopback Pseudo-Interface 1", "");
        assert_eq!(
            (old.name.as_str(), old.kind, old.driver),
            ("Loopback Pseudo-Interface 1", ComponentKind::Loopback, None)
        );
    }

    #[test]
    fn other_kinds_are_named() {
        let f = naming(2, "wfplwfs.sys", "WFP Native MAC Layer LightWeight Filter");
        assert_eq!(f.kind, ComponentKind::Other("filter".into()));
        assert_eq!(
            naming(9, "x", "").kind,
            ComponentKind::Other("unknown".into())
        );
    }
}
