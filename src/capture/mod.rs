//! Live packet sources. A `CaptureBackend` arms capture on components and then yields
//! `PacketRecord`s to a sink.

// BPF plumbing shared by the kernel tracers (internal; public for examples and tests).
#[cfg(target_os = "linux")]
pub mod bpf;
pub mod choice;
#[cfg(target_os = "linux")]
pub mod drops;
#[cfg(target_os = "linux")]
pub mod path;
#[cfg(not(windows))]
pub mod pcap;
pub mod pktmonapi;
pub mod privilege;
#[cfg(target_os = "linux")]
pub mod tracepoints;

use crate::components::Component;
use crate::filter::FilterSet;
use crate::path::Identity;
use crate::record::{LinkType, PacketRecord};
use std::time::Duration;

/// How packets are captured on each component.
#[derive(Clone, Copy, Debug)]
pub struct CaptureOptions {
    /// Bytes logged per packet; 0 = the whole packet.
    pub pkt_size: u32,
    /// Kernel ring per component, in bytes.
    pub buffer_bytes: u32,
    /// Longest time a captured packet may wait in the kernel before we see it.
    pub latency_ms: u32,
}

impl CaptureOptions {
    /// The snapshot length handed to the kernel.
    pub fn snaplen(&self) -> u32 {
        if self.pkt_size == 0 {
            MAX_SNAPLEN
        } else {
            self.pkt_size.min(MAX_SNAPLEN)
        }
    }
}

/// libpcap's largest snapshot length.
pub const MAX_SNAPLEN: u32 = 262_144;

/// A component on which capture is armed.
#[derive(Clone, Debug)]
pub struct ArmedComponent {
    pub component: u32,
    pub link_type: LinkType,
    pub snaplen: u32,
}

/// Capture-loss statistics of one component.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaptureStats {
    pub component: u32,
    /// Packets the kernel handed to the capture.
    pub received: u64,
    /// Packets the kernel dropped because the capture buffer was full.
    pub dropped: u64,
}

#[derive(Debug)]
pub enum CaptureError {
    PermissionDenied(String),
    Failed(String),
    /// The capture ended on its own, without an error (the PktMon driver stopped the
    /// stream): nothing more will arrive.
    Ended(String),
}

impl std::fmt::Display for CaptureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaptureError::PermissionDenied(m)
            | CaptureError::Failed(m)
            | CaptureError::Ended(m) => f.write_str(m),
        }
    }
}

/// What a backend hands the session while capturing.
pub enum Captured<'r, 'a> {
    /// A sighting of a packet at a component.
    Packet(&'r PacketRecord<'a>, Identity),
    /// A component joined the capture after it was armed (an interface or namespace that
    /// appeared, or was renamed, and fits the selection); comes before its first packet.
    Joined(&'r Component),
}

pub trait CaptureBackend {
    /// Arms capture on one component. When this returns Ok, every packet that reaches the
    /// component from now on is buffered by the kernel for us.
    fn arm(
        &mut self,
        component: &Component,
        opts: &CaptureOptions,
    ) -> Result<ArmedComponent, CaptureError>;

    /// Hands the session's pktmon filters to the kernel side of the capture (a BPF program,
    /// capture constraints), so that what no filter admits is not copied to us. The session
    /// still matches every record in user space (for `Filter n`), so a backend may admit
    /// more than the filters do, never less.
    fn set_filters(&mut self, filters: &FilterSet) -> Result<(), CaptureError>;

    /// Where the filters run when that is worth saying (`Packet Path:` adds it), such as
    /// a kernel filter that could not be installed.
    fn filter_note(&self) -> Option<String> {
        None
    }

    /// Waits at most `timeout` for packets, then hands everything available to `sink` in
    /// order: each packet with what the backend knows of its identity (the session links
    /// sightings of one packet into one group by it), and each component that joins
    /// before its first packet. Returns the number of records delivered.
    fn poll(
        &mut self,
        timeout: Duration,
        sink: &mut dyn FnMut(Captured<'_, '_>),
    ) -> Result<usize, CaptureError>;

    /// Hands over whatever the backend still holds (at the end of the capture).
    fn finish(&mut self, sink: &mut dyn FnMut(Captured<'_, '_>)) {
        let _ = sink;
    }

    /// Capture-loss statistics so far, per armed component.
    fn stats(&mut self) -> Vec<CaptureStats>;

    /// The component of an interface a kernel drop source names by (network namespace
    /// inode, ifindex), if the backend knows it.
    fn component_at(&mut self, netns_inode: u64, ifindex: u32) -> Option<u32> {
        let _ = (netns_inode, ifindex);
        None
    }

    /// True when the backend's records carry the kernel's packet identity, so that drop
    /// records (which carry it too) are linked to their packet by it.
    fn kernel_identity(&self) -> bool {
        false
    }

    /// Components whose capture ended on its own (e.g. the interface went away), with why.
    /// Each is reported once.
    fn take_failures(&mut self) -> Vec<(u32, String)>;
}
