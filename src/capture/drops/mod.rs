//! Packets dropped by the Linux kernel's network stack, with the kernel's reason.
//!
//! Two sources, tried in order (`docs/spec/linux-drops.md` §B3, §A, §E):
//! 1. **BPF** on the `kfree_skb` raw tracepoint: a program assembled at run time with
//!    struct offsets from the kernel's BTF (no clang, no libbpf), filtering by network
//!    namespace in the kernel, giving reason, location, namespace, interface and the
//!    first bytes of the packet. Needs root or CAP_BPF+CAP_PERFMON, BTF, Linux 5.8+.
//! 2. **perf** on the `skb:kfree_skb` tracepoint: reason, location and protocol only,
//!    every namespace (no filter possible). Needs root or CAP_PERFMON and tracefs.
//!
//! `PKTMON_DROP_SOURCE=bpf|perf|none` forces one (tests, troubleshooting).

mod bpf_source;
mod event;
mod perf_source;
pub mod program;
mod reasons;

/// The BTF reader, now shared with other tracers (kept here for existing users).
pub use super::bpf::btf;
pub(crate) use super::bpf::{SetupError as SourceError, os_error};

pub use event::{DropEvent, DropVerdict, is_input_location, l3_length};

use bpf_source::BpfSource;
use perf_source::PerfSource;
use std::fmt;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::Duration;

/// The environment variable that forces a drop source.
pub const SOURCE_ENV: &str = "PKTMON_DROP_SOURCE";

/// Which drops to report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DropScope {
    /// Network namespace inodes (as `stat -L /run/netns/NAME` shows); empty = all.
    pub netns_inodes: Vec<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropSourceKind {
    Bpf,
    PerfTracepoint,
}

impl DropSourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DropSourceKind::Bpf => "bpf",
            DropSourceKind::PerfTracepoint => "perf",
        }
    }

    /// What a user is told is active.
    pub fn describe(self) -> &'static str {
        match self {
            DropSourceKind::Bpf => "BPF program on the kfree_skb tracepoint",
            DropSourceKind::PerfTracepoint => {
                "perf skb:kfree_skb tracepoint (no interface, namespace or packet bytes)"
            }
        }
    }
}

/// Which sources `open_with` may try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropSourceChoice {
    /// BPF, then perf.
    Auto,
    Bpf,
    Perf,
    /// Drop tracing disabled.
    None,
}

impl DropSourceChoice {
    /// Parses a `PKTMON_DROP_SOURCE` value (unset or empty = Auto).
    pub fn parse(value: Option<&str>) -> Result<DropSourceChoice, DropTracerError> {
        match value.map(str::trim) {
            None | Some("") | Some("auto") => Ok(DropSourceChoice::Auto),
            Some("bpf") => Ok(DropSourceChoice::Bpf),
            Some("perf") => Ok(DropSourceChoice::Perf),
            Some("none") => Ok(DropSourceChoice::None),
            Some(other) => Err(DropTracerError::BadChoice(other.to_string())),
        }
    }

    pub fn from_env() -> Result<DropSourceChoice, DropTracerError> {
        DropSourceChoice::parse(std::env::var(SOURCE_ENV).ok().as_deref())
    }
}

/// Why no drop source could be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DropTracerError {
    /// `PKTMON_DROP_SOURCE=none`.
    Disabled,
    /// `PKTMON_DROP_SOURCE` has a value other than bpf, perf, none.
    BadChoice(String),
    /// A namespace inode does not fit the kernel's 32 bits.
    BadScope(u64),
    /// Every source tried was refused: (source, why), in the order tried.
    Unavailable {
        attempts: Vec<(DropSourceKind, String)>,
        permission_denied: bool,
    },
}

impl DropTracerError {
    /// True when more privilege would have helped (exit code 5 material).
    pub fn is_permission_denied(&self) -> bool {
        matches!(
            self,
            DropTracerError::Unavailable {
                permission_denied: true,
                ..
            }
        )
    }
}

impl fmt::Display for DropTracerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DropTracerError::Disabled => {
                write!(f, "drop tracing is disabled ({SOURCE_ENV}=none)")
            }
            DropTracerError::BadChoice(v) => write!(
                f,
                "{SOURCE_ENV}={v} is not one of bpf, perf, none (or unset for automatic)"
            ),
            DropTracerError::BadScope(ino) => {
                write!(f, "network namespace inode {ino} is out of range")
            }
            DropTracerError::Unavailable {
                attempts,
                permission_denied,
            } => {
                if *permission_denied {
                    f.write_str("drop tracing needs root or CAP_BPF+CAP_PERFMON")?;
                } else {
                    f.write_str("drop tracing is not available")?;
                }
                for (kind, why) in attempts {
                    write!(f, "; {}: {why}", kind.as_str())?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for DropTracerError {}

enum Source {
    Bpf(BpfSource),
    Perf(PerfSource),
}

/// An open drop source. Poll it regularly: the kernel side buffers about a second of
/// drops at 100k/s (BPF) and counts what it could not keep in [`DropTracer::lost`].
pub struct DropTracer {
    source: Source,
    why_fallback: Option<String>,
    event: DropEvent,
}

// The session may poll the tracer from a thread of its own.
const _: fn() = || {
    fn send<T: Send>() {}
    send::<DropTracer>();
};

impl fmt::Debug for DropTracer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DropTracer")
            .field("kind", &self.kind())
            .field("why_fallback", &self.why_fallback)
            .finish()
    }
}

impl DropTracer {
    /// Opens the best source available, or the one `PKTMON_DROP_SOURCE` names.
    pub fn open(scope: &DropScope) -> Result<DropTracer, DropTracerError> {
        DropTracer::open_with(scope, DropSourceChoice::from_env()?)
    }

    /// Opens a source as `choice` allows, recording why BPF was passed over.
    pub fn open_with(
        scope: &DropScope,
        choice: DropSourceChoice,
    ) -> Result<DropTracer, DropTracerError> {
        let inodes = scope
            .netns_inodes
            .iter()
            .map(|&i| u32::try_from(i).map_err(|_| DropTracerError::BadScope(i)))
            .collect::<Result<Vec<u32>, _>>()?;
        let mut attempts: Vec<(DropSourceKind, SourceError)> = Vec::new();
        if matches!(choice, DropSourceChoice::Auto | DropSourceChoice::Bpf) {
            match BpfSource::open(&inodes) {
                Ok(s) => return Ok(DropTracer::new(Source::Bpf(s), None)),
                Err(e) => attempts.push((DropSourceKind::Bpf, e)),
            }
        }
        if matches!(choice, DropSourceChoice::Auto | DropSourceChoice::Perf) {
            match PerfSource::open() {
                Ok(s) => {
                    let why = match attempts.first() {
                        Some((_, e)) => format!("BPF refused: {}", e.message),
                        None => format!("{SOURCE_ENV}=perf"),
                    };
                    return Ok(DropTracer::new(Source::Perf(s), Some(why)));
                }
                Err(e) => attempts.push((DropSourceKind::PerfTracepoint, e)),
            }
        }
        if choice == DropSourceChoice::None {
            return Err(DropTracerError::Disabled);
        }
        Err(DropTracerError::Unavailable {
            permission_denied: attempts.iter().any(|(_, e)| e.permission),
            attempts: attempts.into_iter().map(|(k, e)| (k, e.message)).collect(),
        })
    }

    fn new(source: Source, why_fallback: Option<String>) -> DropTracer {
        DropTracer {
            source,
            why_fallback,
            event: DropEvent::default(),
        }
    }

    pub fn kind(&self) -> DropSourceKind {
        match self.source {
            Source::Bpf(_) => DropSourceKind::Bpf,
            Source::Perf(_) => DropSourceKind::PerfTracepoint,
        }
    }

    /// Why this is not the BPF source (None when it is).
    pub fn why_fallback(&self) -> Option<String> {
        self.why_fallback.clone()
    }

    /// Whether the scope's namespaces are filtered in the kernel. False for the perf
    /// source, whose events carry no namespace: every namespace's drops arrive.
    pub fn filters_namespaces(&self) -> bool {
        matches!(self.source, Source::Bpf(_))
    }

    /// Waits up to `timeout` for drops, then hands every one available to `f`. Returns
    /// how many were delivered. `Duration::ZERO` only collects what is there.
    pub fn poll(&mut self, timeout: Duration, f: &mut dyn FnMut(&DropEvent)) -> io::Result<usize> {
        match &mut self.source {
            Source::Bpf(s) => s.poll(timeout, &mut self.event, f),
            Source::Perf(s) => s.poll(timeout, &mut self.event, f),
        }
    }

    /// Drops the kernel saw but could not hand over (buffer full), so far.
    pub fn lost(&self) -> u64 {
        match &self.source {
            Source::Bpf(s) => s.lost(),
            Source::Perf(s) => s.lost(),
        }
    }
}

/// The network namespace inode of the calling thread.
pub fn current_netns_inode() -> io::Result<u64> {
    // thread-self, not self: a thread may have setns()'d away from the process.
    netns_inode_of(Path::new("/proc/thread-self/ns/net"))
}

/// The inode of a namespace file such as `/run/netns/NAME` (following the link).
pub fn netns_inode_of(path: &Path) -> io::Result<u64> {
    std::fs::metadata(path).map(|m| m.ino())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_choice_from_env_values() {
        assert_eq!(DropSourceChoice::parse(None), Ok(DropSourceChoice::Auto));
        assert_eq!(
            DropSourceChoice::parse(Some("")),
            Ok(DropSourceChoice::Auto)
        );
        assert_eq!(
            DropSourceChoice::parse(Some("bpf")),
            Ok(DropSourceChoice::Bpf)
        );
        assert_eq!(
            DropSourceChoice::parse(Some("perf ")),
            Ok(DropSourceChoice::Perf)
        );
        assert_eq!(
            DropSourceChoice::parse(Some("none")),
            Ok(DropSourceChoice::None)
        );
        let e = DropSourceChoice::parse(Some("ebpf")).unwrap_err();
        assert!(e.to_string().contains("PKTMON_DROP_SOURCE=ebpf"), "{e}");
    }

    #[test]
    fn none_is_disabled_and_bad_scopes_are_refused() {
        let e = DropTracer::open_with(&DropScope::default(), DropSourceChoice::None).unwrap_err();
        assert_eq!(e, DropTracerError::Disabled);
        let scope = DropScope {
            netns_inodes: vec![1 << 40],
        };
        let e = DropTracer::open_with(&scope, DropSourceChoice::Auto).unwrap_err();
        assert_eq!(e, DropTracerError::BadScope(1 << 40));
    }

    #[test]
    fn refusal_message_names_privilege_and_each_source() {
        let e = DropTracerError::Unavailable {
            attempts: vec![
                (
                    DropSourceKind::Bpf,
                    "bpf(BPF_MAP_CREATE): Operation not permitted".into(),
                ),
                (
                    DropSourceKind::PerfTracepoint,
                    "tracefs (/sys/kernel/tracing) is not readable".into(),
                ),
            ],
            permission_denied: true,
        };
        let s = e.to_string();
        assert!(
            s.starts_with("drop tracing needs root or CAP_BPF+CAP_PERFMON; bpf: "),
            "{s}"
        );
        assert!(s.contains("; perf: tracefs"), "{s}");
        assert!(e.is_permission_denied());
    }

    #[test]
    fn own_namespace_inode() {
        let a = current_netns_inode().expect("thread netns");
        let b = netns_inode_of(Path::new("/proc/self/ns/net")).expect("process netns");
        assert_eq!(a, b);
        assert!(a > 0);
    }
}
