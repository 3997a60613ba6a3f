//! The libpcap backend (Linux, macOS, BSD): one non-blocking handle per component, all
//! polled from one thread.
//!
//! libpcap gives no per-packet direction on an ordinary interface handle, so Ethernet
//! frames are labelled by their source MAC: the component's own MAC means it sent the frame
//! (Tx), anything else means it received it (Rx). On loopback libpcap drops the outgoing
//! copy, so what remains is the receive side (Rx). Frames forwarded out of a bridge port
//! carry a foreign source MAC and are therefore labelled Rx; see the README.

use super::{ArmedComponent, CaptureBackend, CaptureError, CaptureOptions, CaptureStats, Captured};
use crate::components::{Component, ComponentKind};
use crate::filter::FilterSet;
use crate::path::Identity;
use crate::record::{Direction, LinkType, PacketRecord};
use pcap::{Active, Capture, Precision};
use std::collections::BTreeMap;
use std::os::fd::{AsFd, AsRawFd};
use std::time::Duration;

struct Handle {
    component: u32,
    capture: Capture<Active>,
    link_type: LinkType,
    mac: Option<[u8; 6]>,
    loopback: bool,
    failed: bool,
    stats: CaptureStats,
}

/// libpcap capture of live interfaces.
pub struct PcapBackend {
    handles: Vec<Handle>,
    /// Records of several handles, merged into time order.
    queue: MergeQueue,
    /// How long a record waits in the queue: one block timeout, plus a margin.
    hold_ns: u64,
    failures: Vec<(u32, String)>,
    /// The network namespace the handles are in (Linux).
    own_netns: Option<u64>,
    /// Armed components of other namespaces: (namespace inode, ifindex) → id.
    foreign: std::collections::HashMap<(u64, u32), u32>,
    /// The namespaces found when the first component of another one was armed (one
    /// look through /proc for all of them).
    #[cfg(target_os = "linux")]
    namespaces: Option<Vec<crate::components::netns::NamespaceDesc>>,
}

impl Default for PcapBackend {
    fn default() -> Self {
        PcapBackend::new()
    }
}

impl PcapBackend {
    pub fn new() -> Self {
        #[cfg(target_os = "linux")]
        let own_netns = crate::capture::drops::current_netns_inode().ok();
        #[cfg(not(target_os = "linux"))]
        let own_netns = None;
        PcapBackend {
            handles: Vec::new(),
            queue: MergeQueue::default(),
            hold_ns: 0,
            failures: Vec::new(),
            own_netns,
            foreign: Default::default(),
            #[cfg(target_os = "linux")]
            namespaces: None,
        }
    }
}

/// Records in time order (ties in arrival order).
#[derive(Default)]
struct MergeQueue {
    records: BTreeMap<(u64, u64), PacketRecord<'static>>,
    seq: u64,
}

impl MergeQueue {
    fn push(&mut self, rec: PacketRecord<'static>) {
        self.seq += 1;
        self.records.insert((rec.timestamp_ns, self.seq), rec);
    }

    /// Hands over, in time order, every record stamped before `until`.
    fn release(&mut self, until: u64, sink: &mut dyn FnMut(Captured<'_, '_>)) {
        while let Some(entry) = self.records.first_entry() {
            if entry.key().0 >= until {
                break;
            }
            sink(Captured::Packet(&entry.remove(), Identity::Content));
        }
    }
}

fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

fn open_error(name: &str, e: pcap::Error) -> CaptureError {
    let msg = e.to_string();
    let lower = msg.to_ascii_lowercase();
    if lower.contains("permission") || lower.contains("not permitted") {
        CaptureError::PermissionDenied(format!("cannot capture on {name}: {msg}"))
    } else {
        CaptureError::Failed(format!("cannot capture on {name}: {msg}"))
    }
}

/// Runs a libpcap compile with its optimizer, or without it when the optimizer refuses a
/// filter no packet can satisfy (say, ARP with ports): unoptimized, the same program
/// simply rejects everything. libpcap says so only in its message.
pub fn optimized_or_plain<T>(
    mut compile: impl FnMut(bool) -> Result<T, pcap::Error>,
) -> Result<T, pcap::Error> {
    match compile(true) {
        Err(e) if e.to_string().contains("rejects all packets") => compile(false),
        other => other,
    }
}

#[cfg(target_os = "linux")]
impl PcapBackend {
    /// Opens a handle in the network namespace `inode`.
    fn open_in(
        &mut self,
        inode: u64,
        settings: HandleSettings,
    ) -> Result<Result<Capture<pcap::Active>, pcap::Error>, crate::components::netns::NetnsError>
    {
        use crate::components::netns::{self, NetnsError};
        if self.namespaces.is_none() {
            self.namespaces = Some(netns::discover()?.namespaces);
        }
        let ns = self
            .namespaces
            .iter()
            .flatten()
            .find(|n| n.inode == inode)
            .ok_or_else(|| NetnsError::Gone {
                name: format!("netns {inode}"),
            })?;
        netns::run_in(ns, move || settings.open())
    }
}

/// How to open one component's handle (sent to the thread that opens it in the
/// component's namespace).
struct HandleSettings {
    device: String,
    snaplen: i32,
    buffer_bytes: i32,
    timeout_ms: i32,
}

impl HandleSettings {
    fn open(self) -> Result<Capture<pcap::Active>, pcap::Error> {
        // Not promiscuous: pktmon shows what the host's stack sees, and capture must not
        // change what the interface accepts.
        Capture::from_device(self.device.as_str())?
            .promisc(false)
            .snaplen(self.snaplen)
            .buffer_size(self.buffer_bytes)
            .timeout(self.timeout_ms)
            .precision(if cfg!(target_os = "linux") {
                Precision::Nano
            } else {
                Precision::Micro
            })
            .open()
    }
}

impl CaptureBackend for PcapBackend {
    fn arm(
        &mut self,
        component: &Component,
        opts: &CaptureOptions,
    ) -> Result<ArmedComponent, CaptureError> {
        let settings = HandleSettings {
            device: component.name.clone(),
            snaplen: opts.snaplen() as i32,
            buffer_bytes: opts.buffer_bytes as i32,
            timeout_ms: opts.latency_ms as i32,
        };
        let capture = match component.netns.as_ref().filter(|n| !n.own) {
            None => settings.open(),
            // A handle's socket belongs to the namespace it was opened in.
            #[cfg(target_os = "linux")]
            Some(ns) => self.open_in(ns.inode, settings).map_err(|e| {
                CaptureError::Failed(format!(
                    "cannot capture on {}: {e}",
                    component.display_name()
                ))
            })?,
            #[cfg(not(target_os = "linux"))]
            Some(_) => settings.open(),
        }
        .map_err(|e| open_error(&component.display_name(), e))?;
        let capture = capture
            .setnonblock()
            .map_err(|e| open_error(&component.display_name(), e))?;
        if let Some(ns) = component.netns.as_ref().filter(|n| !n.own) {
            self.foreign
                .insert((ns.inode, component.ifindex), component.id);
        }
        self.hold_ns = (u64::from(opts.latency_ms) + 10) * 1_000_000;
        let link_type = LinkType(capture.get_datalink().0 as u16);
        self.handles.push(Handle {
            component: component.id,
            capture,
            link_type,
            mac: component.mac,
            loopback: component.kind == ComponentKind::Loopback,
            failed: false,
            stats: CaptureStats {
                component: component.id,
                ..Default::default()
            },
        });
        Ok(ArmedComponent {
            component: component.id,
            link_type,
            snaplen: opts.snaplen(),
        })
    }

    fn set_filters(&mut self, filters: &FilterSet) -> Result<(), CaptureError> {
        let Some(expr) = crate::filter::bpf::prefilter(filters) else {
            return Ok(());
        };
        let expression = expr.as_str();
        for h in &mut self.handles {
            let attached = optimized_or_plain(|optimize| h.capture.filter(expression, optimize));
            attached.map_err(|e| {
                CaptureError::Failed(format!(
                    "cannot attach the kernel filter to component {}: {e} (filter: {expression})",
                    h.component
                ))
            })?;
        }
        Ok(())
    }

    fn poll(
        &mut self,
        timeout: Duration,
        sink: &mut dyn FnMut(Captured<'_, '_>),
    ) -> Result<usize, CaptureError> {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        let live: Vec<usize> = (0..self.handles.len())
            .filter(|&i| !self.handles[i].failed)
            .collect();
        if live.is_empty() {
            std::thread::sleep(timeout);
            return Ok(0);
        }
        {
            let mut fds: Vec<PollFd<'_>> = live
                .iter()
                .map(|&i| PollFd::new(self.handles[i].capture.as_fd(), PollFlags::POLLIN))
                .collect();
            let ms = PollTimeout::try_from(timeout.as_millis().min(60_000) as u32)
                .unwrap_or(PollTimeout::MAX);
            match poll(&mut fds, ms) {
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(e) => return Err(CaptureError::Failed(format!("poll failed: {e}"))),
            }
        }
        // The session links sightings of one packet at several interfaces in the order it
        // gets them, and each handle hands over a kernel block when it retires (up to the
        // block timeout late): with more than one handle, records wait in a time-ordered
        // queue until no handle can still deliver an older one.
        let merging = self.handles.len() > 1;
        let precision_nano = cfg!(target_os = "linux");
        let mut delivered = 0usize;
        for &i in &live {
            let h = &mut self.handles[i];
            loop {
                let (component, link_type, mac, loopback) =
                    (h.component, h.link_type, h.mac, h.loopback);
                let res = h.capture.dispatch(None, |pkt| {
                    let ts = pkt.header.ts;
                    let frac = ts.tv_usec as u64;
                    let ns = ts.tv_sec as u64 * 1_000_000_000
                        + if precision_nano { frac } else { frac * 1000 };
                    let mut rec = PacketRecord::flow(component, link_type, ns, pkt.data);
                    rec.original_len = pkt.header.len;
                    rec.direction = direction_of(link_type, mac, loopback, pkt.data);
                    // libpcap knows nothing of the kernel's packet: link by content.
                    if merging {
                        self.queue.push(rec.into_owned());
                    } else {
                        sink(Captured::Packet(&rec, Identity::Content));
                    }
                });
                match res {
                    Ok(0) => break,
                    Ok(n) => delivered += n,
                    Err(pcap::Error::TimeoutExpired) => break,
                    Err(e) => {
                        h.failed = true;
                        self.failures
                            .push((h.component, format!("capture ended: {e}")));
                        break;
                    }
                }
            }
        }
        self.queue
            .release(now_ns().saturating_sub(self.hold_ns), sink);
        Ok(delivered)
    }

    fn finish(&mut self, sink: &mut dyn FnMut(Captured<'_, '_>)) {
        self.queue.release(u64::MAX, sink);
    }

    fn stats(&mut self) -> Vec<CaptureStats> {
        for h in &mut self.handles {
            if h.failed {
                continue;
            }
            if let Ok(s) = h.capture.stats() {
                // libpcap's counters are 32-bit and wrap; keep 64-bit totals.
                h.stats.received = widen(h.stats.received, s.received);
                h.stats.dropped = widen(h.stats.dropped, s.dropped);
            }
        }
        self.handles.iter().map(|h| h.stats).collect()
    }

    fn component_at(&mut self, netns_inode: u64, ifindex: u32) -> Option<u32> {
        // Components of the own namespace have their ifindex as id; those of others were
        // noted when armed.
        if Some(netns_inode) == self.own_netns {
            return Some(ifindex);
        }
        self.foreign.get(&(netns_inode, ifindex)).copied()
    }

    fn take_failures(&mut self) -> Vec<(u32, String)> {
        std::mem::take(&mut self.failures)
    }
}

/// Extends a wrapping 32-bit counter into a 64-bit total.
fn widen(previous: u64, now32: u32) -> u64 {
    let prev32 = previous as u32;
    let delta = now32.wrapping_sub(prev32) as u64;
    previous + delta
}

fn direction_of(link: LinkType, mac: Option<[u8; 6]>, loopback: bool, data: &[u8]) -> Direction {
    if loopback {
        return Direction::Rx;
    }
    match (link, mac) {
        (LinkType::ETHERNET, Some(own)) if data.len() >= 12 => {
            if data[6..12] == own {
                Direction::Tx
            } else {
                Direction::Rx
            }
        }
        _ => Direction::Unknown,
    }
}

impl std::fmt::Debug for PcapBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PcapBackend")
            .field(
                "fds",
                &self
                    .handles
                    .iter()
                    .map(|h| h.capture.as_raw_fd())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widen_handles_wrap() {
        assert_eq!(widen(0, 5), 5);
        assert_eq!(widen(u32::MAX as u64, 1), u32::MAX as u64 + 2);
        assert_eq!(widen(10, 10), 10);
    }

    #[test]
    fn direction_from_source_mac() {
        let own = [2, 0, 0, 0, 0, 1];
        let mut frame = [0u8; 14];
        frame[6..12].copy_from_slice(&own);
        assert_eq!(
            direction_of(LinkType::ETHERNET, Some(own), false, &frame),
            Direction::Tx
        );
        frame[11] = 9;
        assert_eq!(
            direction_of(LinkType::ETHERNET, Some(own), false, &frame),
            Direction::Rx
        );
        assert_eq!(
            direction_of(LinkType::ETHERNET, Some(own), true, &frame),
            Direction::Rx
        );
        assert_eq!(
            direction_of(LinkType::RAW, None, false, &frame),
            Direction::Unknown
        );
    }
}
