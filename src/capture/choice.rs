//! Which capture backend a session uses, and what it is told about it (`Packet Path:` in
//! `start` and `status`, as `Drop Detection:` says which drop source is active).
//!
//! Linux: kernel tracepoints in every network namespace with the kernel's packet identity;
//! when BPF is refused or unavailable, libpcap on each component (its handle opened in the
//! component's namespace; `all` keeps to pktmon's own) with sightings linked by content
//! (marked inferred). `PKTMON_PATH_SOURCE=bpf|pcap` forces one. macOS
//! and BSD: libpcap. Windows: the PktMon driver, which follows packets itself.

use super::CaptureBackend;
use crate::components::{Component, SelectionScope};
use std::fmt;

/// The environment variable that forces a path source.
pub const PATH_SOURCE_ENV: &str = "PKTMON_PATH_SOURCE";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathSourceChoice {
    /// Tracepoints, else libpcap.
    Auto,
    Tracepoints,
    Pcap,
}

impl PathSourceChoice {
    /// Parses a `PKTMON_PATH_SOURCE` value (unset or empty = Auto).
    pub fn parse(value: Option<&str>) -> Result<PathSourceChoice, BackendError> {
        match value.map(str::trim) {
            None | Some("") | Some("auto") => Ok(PathSourceChoice::Auto),
            Some("bpf") => Ok(PathSourceChoice::Tracepoints),
            Some("pcap") => Ok(PathSourceChoice::Pcap),
            Some(other) => Err(BackendError::BadChoice(other.to_string())),
        }
    }

    pub fn from_env() -> Result<PathSourceChoice, BackendError> {
        PathSourceChoice::parse(std::env::var(PATH_SOURCE_ENV).ok().as_deref())
    }
}

/// Why no capture backend could be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackendError {
    /// `PKTMON_PATH_SOURCE` has a value other than bpf, pcap.
    BadChoice(String),
    /// More privilege would help.
    PermissionDenied(String),
    Failed(String),
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackendError::BadChoice(v) => write!(
                f,
                "{PATH_SOURCE_ENV}={v} is not one of bpf, pcap (or unset for automatic)"
            ),
            BackendError::PermissionDenied(m) | BackendError::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for BackendError {}

/// Where the kernel drop tracer should look to match the backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DropReach {
    /// These namespaces (empty = every namespace).
    Namespaces(Vec<u64>),
    /// The namespace pktmon runs in.
    Own,
}

pub struct OpenedBackend {
    pub backend: Box<dyn CaptureBackend>,
    /// What `start`/`status` say under `Packet Path:`.
    pub description: String,
    pub drop_reach: DropReach,
    /// The backend reaches components in other namespaces.
    pub every_namespace: bool,
}

/// The platform's capture backend for a session named `name` selecting `scope`.
#[allow(unused_variables)]
pub fn open_backend(
    name: &str,
    scope: &SelectionScope,
    components: &[Component],
    pkt_size: u32,
) -> Result<OpenedBackend, BackendError> {
    #[cfg(target_os = "linux")]
    {
        let choice = PathSourceChoice::from_env()?;
        let why_not = match choice {
            PathSourceChoice::Pcap => format!("{PATH_SOURCE_ENV}=pcap"),
            _ => match super::tracepoints::TracepointBackend::open(
                scope.clone(),
                components,
                pkt_size,
            ) {
                Ok(b) => {
                    let reach = b.netns_inodes().to_vec();
                    let place = if reach.is_empty() {
                        "every network namespace".to_string()
                    } else {
                        format!("{} network namespace(s)", reach.len())
                    };
                    return Ok(OpenedBackend {
                        backend: Box::new(b),
                        description: format!(
                            "kernel tracepoints (netif_receive_skb, net_dev_start_xmit) in \
                             {place}; each packet followed across components by its kernel buffer"
                        ),
                        drop_reach: DropReach::Namespaces(reach),
                        every_namespace: true,
                    });
                }
                Err(e) if choice == PathSourceChoice::Tracepoints => {
                    return Err(if e.is_permission_denied() {
                        BackendError::PermissionDenied(e.to_string())
                    } else {
                        BackendError::Failed(e.to_string())
                    });
                }
                Err(e) => e.to_string(),
            },
        };
        Ok(OpenedBackend {
            backend: Box::new(super::pcap::PcapBackend::new()),
            description: format!(
                "libpcap on each component (all/nics: pktmon's own network namespace; \
                 components and namespaces named with --comp: in theirs); sightings of one \
                 packet linked by content (PktGroupInferred) (fallback: {why_not})"
            ),
            drop_reach: DropReach::Own,
            // A handle per interface of every namespace would be costly on a host with
            // many containers: `all` keeps to pktmon's own namespace here.
            every_namespace: false,
        })
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        Ok(OpenedBackend {
            backend: Box::new(super::pcap::PcapBackend::new()),
            description: "libpcap; sightings of one packet linked by content (PktGroupInferred)"
                .to_string(),
            drop_reach: DropReach::Own,
            every_namespace: false,
        })
    }
    #[cfg(windows)]
    {
        // One PktMon API session per pktmon session: sessions are independent there too.
        let backend = super::pktmonapi::PktmonBackend::open(&format!("pktmon {name}")).map_err(
            |e| match e {
                crate::error::Error::AccessDenied(m) => BackendError::PermissionDenied(m),
                other => BackendError::Failed(other.to_string()),
            },
        )?;
        Ok(OpenedBackend {
            backend: Box::new(backend),
            description: "PktMon driver (it follows packets across components itself)".to_string(),
            drop_reach: DropReach::Own,
            every_namespace: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_source_choice_from_env_values() {
        assert_eq!(PathSourceChoice::parse(None), Ok(PathSourceChoice::Auto));
        assert_eq!(
            PathSourceChoice::parse(Some("bpf")),
            Ok(PathSourceChoice::Tracepoints)
        );
        assert_eq!(
            PathSourceChoice::parse(Some(" pcap")),
            Ok(PathSourceChoice::Pcap)
        );
        let e = PathSourceChoice::parse(Some("ebpf")).unwrap_err();
        assert!(e.to_string().contains("PKTMON_PATH_SOURCE=ebpf"), "{e}");
    }
}
