//! The capture backend on kernel tracepoints (Linux): every packet in and out of every
//! device of the selected network namespaces, with its kernel buffer as identity, from
//! the packet-path tracer (`capture::path`). Components are resolved per sighting through
//! the `ComponentRegistry`, so interfaces and namespaces that appear after start (a
//! container starting, a veth created, renamed or moved) join the capture when they fit
//! the `--comp` selection.

use super::bpf::classic;
use super::path::{PathOptions, PathTracer, PathTracerError, Sighting};
use super::{ArmedComponent, CaptureBackend, CaptureError, CaptureOptions, CaptureStats, Captured};
use crate::components::registry::ComponentRegistry;
use crate::components::{Component, ComponentKind, SelectionScope};
use crate::filter::FilterSet;
use crate::path::Identity;
use crate::record::{LinkType, PacketRecord};
use rustc_hash::FxHashMap as HashMap;
use std::time::Duration;

/// Bytes copied per packet at least, whatever `--pkt-size` says: the fingerprint that
/// tells packets sharing a buffer apart needs the headers and a little payload. The
/// session cuts what it logs to `--pkt-size`.
const IDENTITY_BYTES: u32 = 128;

pub struct TracepointBackend {
    tracer: PathTracer,
    resolver: Resolver,
    /// The namespaces traced (empty = every namespace).
    netns_inodes: Vec<u64>,
    /// Where the session's filters run (set by `set_filters`).
    filter_note: Option<String>,
}

/// Which component a sighting belongs to, and which components joined.
struct Resolver {
    registry: ComponentRegistry,
    scope: SelectionScope,
    /// Components reported so far, by id, with the name they were reported under.
    armed: HashMap<u32, String>,
    received: HashMap<u32, u64>,
    /// (namespace, ifindex) → (interface name, component reported or None).
    decided: HashMap<(u64, u32), (String, Option<u32>)>,
}

impl TracepointBackend {
    /// Attaches the tracer to the namespaces the selection can reach (all of them for
    /// `all`/`nics`, which may grow).
    pub fn open(
        scope: SelectionScope,
        components: &[Component],
        pkt_size: u32,
    ) -> Result<TracepointBackend, PathTracerError> {
        let netns_inodes = match &scope {
            SelectionScope::All | SelectionScope::Nics => Vec::new(),
            SelectionScope::Listed { namespaces, .. } => {
                let mut v: Vec<u64> = namespaces.iter().map(|n| n.inode).collect();
                v.extend(components.iter().filter_map(|c| c.netns_inode()));
                v.sort_unstable();
                v.dedup();
                v
            }
        };
        let snaplen = if pkt_size == 0 {
            0
        } else {
            pkt_size.max(IDENTITY_BYTES)
        };
        let tracer = PathTracer::open(&PathOptions {
            snaplen,
            netns_inodes: netns_inodes.clone(),
        })?;
        let registry = ComponentRegistry::open()
            .map_err(|e| PathTracerError::Unsupported(format!("components: {e}")))?;
        Ok(TracepointBackend {
            tracer,
            netns_inodes,
            filter_note: None,
            resolver: Resolver {
                registry,
                scope,
                armed: HashMap::default(),
                received: HashMap::default(),
                decided: HashMap::default(),
            },
        })
    }
}

impl TracepointBackend {
    /// The namespaces traced (empty = every namespace).
    pub fn netns_inodes(&self) -> &[u64] {
        &self.netns_inodes
    }
}

impl Resolver {
    /// The component of a sighting if the session reports it; announces components that
    /// join (new, or renamed: same id, new name).
    fn component_of(
        &mut self,
        s: &Sighting<'_>,
        sink: &mut dyn FnMut(Captured<'_, '_>),
    ) -> Option<u32> {
        // The per-packet case: this interface, under this name, was decided before.
        if let Some((name, decision)) = self.decided.get(&(s.netns_inode, s.ifindex))
            && name == s.ifname
        {
            return *decision;
        }
        let c = self.registry.resolve(s.netns_inode, s.ifindex, s.ifname);
        let id = c.id;
        let decision = match self.armed.get(&id) {
            Some(name) if *name == c.display_name() => Some(id),
            None if !self.scope.admits(c) => None,
            // New, or renamed (same id, new name): announce it.
            _ => {
                self.armed.insert(id, c.display_name());
                sink(Captured::Joined(c));
                Some(id)
            }
        };
        // A component the registry has not read yet (kind unknown) is decided again
        // once it has: `nics` admits it by its kind.
        if decision.is_some() || !matches!(&c.kind, ComponentKind::Other(k) if k == "unknown") {
            self.decided
                .insert((s.netns_inode, s.ifindex), (s.ifname.to_string(), decision));
        }
        decision
    }
}

fn link_type_of(c: &Component) -> LinkType {
    match c.kind {
        // tun devices carry IP packets without a link layer.
        ComponentKind::Tun => LinkType::RAW,
        _ => LinkType::ETHERNET,
    }
}

impl CaptureBackend for TracepointBackend {
    fn arm(
        &mut self,
        component: &Component,
        opts: &CaptureOptions,
    ) -> Result<ArmedComponent, CaptureError> {
        // The tracer already sees every device: arming is remembering the component.
        self.resolver
            .armed
            .insert(component.id, component.display_name());
        Ok(ArmedComponent {
            component: component.id,
            link_type: link_type_of(component),
            snaplen: opts.snaplen(),
        })
    }

    fn set_filters(&mut self, filters: &FilterSet) -> Result<(), CaptureError> {
        // Filters are matched in user space, once per packet at its first sighting (a
        // packet stays followed after NAT). The kernel drops first what libpcap's program
        // for the filters rejects, except sightings of buffers it accepted before; if that
        // cannot be set up, the tracer hands over every sighting and says so.
        let Some(expression) = crate::filter::bpf::prefilter(filters) else {
            return Ok(());
        };
        let installed = classic::compile(&expression)
            .map_err(|e| e.to_string())
            .and_then(|program| self.tracer.set_filter(&program).map_err(|e| e.to_string()));
        self.filter_note = Some(match installed {
            Ok(()) => "filters first applied in the kernel".to_string(),
            Err(why) => format!("filters applied in user space only ({why})"),
        });
        Ok(())
    }

    fn filter_note(&self) -> Option<String> {
        self.filter_note.clone()
    }

    fn poll(
        &mut self,
        timeout: Duration,
        sink: &mut dyn FnMut(Captured<'_, '_>),
    ) -> Result<usize, CaptureError> {
        let resolver = &mut self.resolver;
        let res = self.tracer.poll(timeout, &mut |s| {
            let Some(component) = resolver.component_of(s, sink) else {
                return;
            };
            *resolver.received.entry(component).or_default() += 1;
            let mut rec = PacketRecord::flow(component, s.link_type, s.timestamp_ns, s.data);
            rec.direction = s.direction;
            rec.original_len = s.original_len;
            sink(Captured::Packet(&rec, Identity::Buffer(s.skb_head)));
        });
        res.map_err(|e| CaptureError::Failed(format!("packet-path tracer: {e}")))
    }

    fn stats(&mut self) -> Vec<CaptureStats> {
        let lost = self.tracer.lost();
        let r = &self.resolver;
        let mut out: Vec<CaptureStats> = r
            .armed
            .keys()
            .map(|&id| CaptureStats {
                component: id,
                received: r.received.get(&id).copied().unwrap_or(0),
                dropped: 0,
            })
            .collect();
        out.sort_by_key(|s| s.component);
        // The ring is shared by every component: its losses are the session's.
        out.push(CaptureStats {
            component: 0,
            received: 0,
            dropped: lost,
        });
        out
    }

    fn take_failures(&mut self) -> Vec<(u32, String)> {
        Vec::new()
    }

    fn component_at(&mut self, netns_inode: u64, ifindex: u32) -> Option<u32> {
        self.resolver
            .registry
            .known(netns_inode, ifindex)
            .map(|c| c.id)
    }

    fn kernel_identity(&self) -> bool {
        true
    }
}
