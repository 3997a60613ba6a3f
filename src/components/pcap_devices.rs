//! macOS/BSD: interfaces as libpcap lists them (no kinds beyond loopback/wireless).

use super::{Component, ComponentKind};
use crate::error::{Error, Result};

pub fn list() -> Result<Vec<Component>> {
    let devices = pcap::Device::list()
        .map_err(|e| Error::failure(format!("cannot list network interfaces: {e}")))?;
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
            mac: None,
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
