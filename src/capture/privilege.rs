//! Checking, before anything else, that this process may capture packets.

#[cfg(target_os = "linux")]
use crate::error::Error;
use crate::error::Result;

/// Linux capability number of CAP_NET_RAW.
#[cfg(target_os = "linux")]
const CAP_NET_RAW: u32 = 13;

/// Ok when the process may open packet sockets (root, or CAP_NET_RAW in effect).
pub fn check_capture_privilege() -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        if nix::unistd::geteuid().is_root() {
            return Ok(());
        }
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let eff = status
            .lines()
            .find_map(|l| l.strip_prefix("CapEff:"))
            .and_then(|v| u64::from_str_radix(v.trim(), 16).ok())
            .unwrap_or(0);
        if eff & (1 << CAP_NET_RAW) != 0 {
            return Ok(());
        }
        Err(Error::capture_needs_privilege(
            " (this process has neither)",
        ))
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Elsewhere libpcap itself reports a permission error when the device is opened.
        Ok(())
    }
}
