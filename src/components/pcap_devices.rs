//! macOS/BSD: interfaces as libpcap lists them (no kinds beyond loopback/wireless), with
//! their MACs from getifaddrs.

use super::{Component, ComponentKind};
use crate::error::{Error, Result};
use std::collections::HashMap;

/// The link-layer (MAC) address of each interface that has one, by name. libpcap's device
/// list carries only IP addresses; getifaddrs also reports each interface's link address
/// (AF_LINK `sockaddr_dl` on macOS/BSD, AF_PACKET `sockaddr_ll` on Linux). No MACs when the
/// call fails: they are shown, not needed to capture.
fn link_addresses() -> HashMap<String, [u8; 6]> {
    let Ok(addrs) = nix::ifaddrs::getifaddrs() else {
        return HashMap::new();
    };
    addrs
        .filter_map(|a| {
            let mac = a.address?.as_link_addr()?.addr()?;
            Some((a.interface_name, mac))
        })
        .collect()
}

pub fn list() -> Result<Vec<Component>> {
    let devices = pcap::Device::list()
        .map_err(|e| Error::failure(format!("cannot list network interfaces: {e}")))?;
    let macs = link_addresses();
    let mut out = Vec::new();
    for d in devices {
        let Ok(cname) = std::ffi::CString::new(d.name.clone()) else {
            continue;
        };
        // SAFETY: if_nametoindex only reads the NUL-terminated name.
        let id = unsafe { libc::if_nametoindex(cname.as_ptr()) };
        if id == 0 {
            continue; // pseudo-devices (pktap, any) have no index
        }
        let kind = if d.flags.is_loopback() {
            ComponentKind::Loopback
        } else if d.flags.is_wireless() {
            ComponentKind::Wireless
        } else {
            ComponentKind::Ethernet
        };
        out.push(Component {
            id,
            name: d.name.clone(),
            mac: macs.get(&d.name).copied(),
            kind,
            up: d.flags.is_up(),
            master: None,
            link: None,
            link_netnsid: None,
            members: Vec::new(),
            ifindex: id,
            netns: None,
            peer: None,
            driver: None,
        });
    }
    Ok(out)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The MAC the kernel shows for `name` (None: no 6-byte link address).
    fn sysfs_mac(name: &str) -> Option<[u8; 6]> {
        let text = std::fs::read_to_string(format!("/sys/class/net/{name}/address")).ok()?;
        let bytes: Vec<u8> = text
            .trim()
            .split(':')
            .map(|h| u8::from_str_radix(h, 16))
            .collect::<Result<_, _>>()
            .ok()?;
        bytes.try_into().ok()
    }

    /// The macOS/BSD listing run on Linux: every interface libpcap lists gets the MAC the
    /// kernel has for it (getifaddrs' AF_PACKET entry here, AF_LINK there).
    #[test]
    fn listed_interfaces_carry_the_kernels_macs() {
        let comps = super::list().expect("libpcap lists interfaces");
        let mut compared = 0;
        for c in &comps {
            if let Some(want) = sysfs_mac(&c.name) {
                assert_eq!(c.mac, Some(want), "{}", c.name);
                compared += 1;
            }
        }
        assert!(compared > 0, "no interface with a MAC among {comps:?}");
    }
}
