//! A live PktMon session with a real-time stream, as a `CaptureBackend`. The DLL calls our
//! data callback on its own thread: the callback only copies the record into an inbox;
//! `poll` drains the inbox on the caller's thread.

use super::api::{Driver, PktMonApi, check};
use super::constraints::capture_constraints;
use super::ffi::*;
use super::record::to_record;
use super::sources::DataSources;
use crate::capture::{
    ArmedComponent, CaptureBackend, CaptureError, CaptureOptions, CaptureStats, Captured,
};
use crate::components::Component;
use crate::error::{Error, Result};
use crate::filter::FilterSet;
use crate::path::Identity;
use crate::record::{LinkType, PacketRecord};
use std::collections::{HashMap, VecDeque};
use std::ffi::c_void;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Inbox {
    records: VecDeque<PacketRecord<'static>>,
    /// Packets per (mapped) component.
    received: HashMap<u32, u64>,
    /// Packets the stream missed (ring full or read errors).
    lost: u64,
    /// Set when the stream stopped on a fatal error.
    fatal: Option<String>,
}

/// What the callbacks see, boxed so its address stays fixed while the stream lives.
struct Shared {
    inbox: Mutex<Inbox>,
    ready: Condvar,
    /// Stream ComponentIds (which may be hidden or secondary ids) → the visible id.
    ids: HashMap<u32, u32>,
}

pub struct PktmonBackend {
    // Field order is drop order: `Drop` closes stream and session before the driver goes.
    shared: Box<Shared>,
    visible: DataSources,
    session: Session,
    stream: RealtimeStream,
    active: bool,
    truncation: u16,
    armed: Vec<u32>,
    driver: Driver,
}

/// The stream ComponentId → visible id map: every visible id is itself; a hidden entry maps
/// to the visible id it names as its SecondaryId, else to itself.
fn id_map(
    visible: &[&DataSourceSpecification],
    hidden: &[&DataSourceSpecification],
) -> HashMap<u32, u32> {
    let mut ids: HashMap<u32, u32> = visible.iter().map(|s| (s.id, s.id)).collect();
    for s in hidden {
        if ids.contains_key(&s.id) {
            continue;
        }
        let target = if ids.contains_key(&s.secondary_id) {
            s.secondary_id
        } else {
            s.id
        };
        ids.insert(s.id, target);
    }
    ids
}

impl PktmonBackend {
    /// Loads the DLL, opens the driver, enumerates data sources and creates an inactive
    /// live session named `name`.
    pub fn open(name: &str) -> Result<PktmonBackend> {
        let driver = PktMonApi::load()?.open()?;
        let visible = DataSources::enumerate(&driver, false)?;
        let hidden = DataSources::enumerate(&driver, true)?;
        let ids = id_map(&visible.specs()?, &hidden.specs()?);
        let wide: Vec<u16> = name.encode_utf16().chain(std::iter::once(0)).collect();
        let mut session: Session = std::ptr::null_mut();
        // SAFETY: documented call with a NUL-terminated name; `session` written on success.
        check(
            unsafe { (driver.api.create_live_session)(driver.handle, wide.as_ptr(), &mut session) },
            "PacketMonitorCreateLiveSession",
        )?;
        Ok(PktmonBackend {
            shared: Box::new(Shared {
                inbox: Mutex::new(Inbox::default()),
                ready: Condvar::new(),
                ids,
            }),
            visible,
            session,
            stream: std::ptr::null_mut(),
            active: false,
            truncation: 128,
            armed: Vec::new(),
            driver,
        })
    }

    /// Creates the stream, attaches it and activates the session.
    fn activate(&mut self) -> Result<()> {
        let cfg = RealtimeStreamConfiguration {
            user_context: (&*self.shared as *const Shared).cast_mut().cast(),
            event_callback: Some(on_event),
            data_callback: Some(on_data),
            buffer_size_multiplier: 10,
            truncation_size: self.truncation,
        };
        let api = &self.driver.api;
        // SAFETY: `cfg` is read during the call; the context it carries is `self.shared`,
        // boxed and alive until the stream is closed in Drop.
        check(
            unsafe { (api.create_realtime_stream)(self.driver.handle, &cfg, &mut self.stream) },
            "PacketMonitorCreateRealtimeStream",
        )?;
        // SAFETY: session and stream handles came from the DLL.
        check(
            unsafe { (api.attach_output_to_session)(self.session, self.stream) },
            "PacketMonitorAttachOutputToSession",
        )?;
        // SAFETY: as above.
        check(
            unsafe { (api.set_session_active)(self.session, 1) },
            "PacketMonitorSetSessionActive",
        )?;
        self.active = true;
        Ok(())
    }
}

fn to_capture_error(e: Error) -> CaptureError {
    match e {
        Error::AccessDenied(m) => CaptureError::PermissionDenied(m),
        other => CaptureError::Failed(other.to_string()),
    }
}

unsafe extern "system" fn on_event(context: *mut c_void, info: *const StreamEventInfo, kind: u32) {
    if kind != STREAM_EVENT_FATAL_ERROR
        && !(kind == STREAM_EVENT_STOPPED && !info.is_null() && {
            // SAFETY: the DLL passes a valid event record for the call's duration.
            let i = unsafe { &*info };
            i.first & 0xff != 0
        })
    {
        return;
    }
    // SAFETY: `context` is the `Shared` the stream was created with.
    let shared = unsafe { &*(context as *const Shared) };
    // SAFETY: as above; null checked.
    let reason = if info.is_null() {
        0
    } else {
        unsafe { (*info).reason }
    };
    if let Ok(mut inbox) = shared.inbox.lock() {
        inbox.fatal = Some(format!(
            "the PktMon stream stopped on a fatal error (Win32 error {reason})"
        ));
    }
    shared.ready.notify_all();
}

unsafe extern "system" fn on_data(context: *mut c_void, desc: *const StreamDataDescriptor) {
    if context.is_null() || desc.is_null() {
        return;
    }
    // SAFETY: `context` is our `Shared`; `desc` and the bytes it points at are valid for
    // the duration of the call (documented).
    let (shared, d) = unsafe { (&*(context as *const Shared), &*desc) };
    let size = d.data_size as usize;
    let meta_end = d.metadata_offset as usize + size_of::<StreamMetadata>();
    let pkt_end = d.packet_offset as usize + d.packet_length as usize;
    let mut inbox = match shared.inbox.lock() {
        Ok(i) => i,
        Err(_) => return,
    };
    inbox.lost += u64::from(d.missed_packet_write_count) + u64::from(d.missed_packet_read_count);
    if d.data.is_null() || meta_end > size || pkt_end > size {
        inbox.lost += 1; // a descriptor that does not fit its buffer: count it, do not read it
        return;
    }
    // SAFETY: both ranges were checked to lie inside the `data_size` bytes at `data`.
    let (meta, packet) = unsafe {
        let base = d.data.cast::<u8>();
        (
            std::ptr::read_unaligned(
                base.add(d.metadata_offset as usize)
                    .cast::<StreamMetadata>(),
            ),
            std::slice::from_raw_parts(
                base.add(d.packet_offset as usize),
                d.packet_length as usize,
            ),
        )
    };
    let mut rec = to_record(&meta, packet).into_owned();
    rec.component = shared
        .ids
        .get(&rec.component)
        .copied()
        .unwrap_or(rec.component);
    *inbox.received.entry(rec.component).or_default() += 1;
    inbox.records.push_back(rec);
    drop(inbox);
    shared.ready.notify_one();
}

impl CaptureBackend for PktmonBackend {
    fn arm(
        &mut self,
        component: &Component,
        opts: &CaptureOptions,
    ) -> std::result::Result<ArmedComponent, CaptureError> {
        let specs = self.visible.specs().map_err(to_capture_error)?;
        let spec = specs.iter().find(|s| s.id == component.id).ok_or_else(|| {
            CaptureError::Failed(format!(
                "component {} is not a PktMon data source",
                component.id
            ))
        })?;
        // SAFETY: `spec` points into the enumeration buffer, as the API asks.
        check(
            unsafe { (self.driver.api.add_single_data_source_to_session)(self.session, *spec) },
            "PacketMonitorAddSingleDataSourceToSession",
        )
        .map_err(to_capture_error)?;
        let snaplen = opts.snaplen().min(u32::from(MAX_TRUNCATION_SIZE));
        self.truncation = self.truncation.max(snaplen as u16);
        self.armed.push(component.id);
        Ok(ArmedComponent {
            component: component.id,
            link_type: LinkType::ETHERNET,
            snaplen,
        })
    }

    /// One capture constraint per pktmon filter (the API ORs constraints and ANDs the
    /// fields of one, as pktmon combines filters); refused when a filter does not fit.
    fn set_filters(&mut self, filters: &FilterSet) -> std::result::Result<(), CaptureError> {
        let constraints = capture_constraints(filters).map_err(CaptureError::Failed)?;
        for c in &constraints {
            // SAFETY: `c` is a complete #[repr(C)] constraint, read during the call.
            check(
                unsafe { (self.driver.api.add_capture_constraint)(self.session, c) },
                "PacketMonitorAddCaptureConstraint",
            )
            .map_err(to_capture_error)?;
        }
        Ok(())
    }

    fn poll(
        &mut self,
        timeout: Duration,
        sink: &mut dyn FnMut(Captured<'_, '_>),
    ) -> std::result::Result<usize, CaptureError> {
        if !self.active {
            self.activate().map_err(to_capture_error)?;
        }
        let deadline = Instant::now() + timeout;
        let mut inbox = self
            .shared
            .inbox
            .lock()
            .map_err(|_| CaptureError::Failed("stream inbox poisoned".into()))?;
        while inbox.records.is_empty() && inbox.fatal.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            inbox = self
                .shared
                .ready
                .wait_timeout(inbox, left)
                .map_err(|_| CaptureError::Failed("stream inbox poisoned".into()))?
                .0;
        }
        let records: Vec<_> = inbox.records.drain(..).collect();
        drop(inbox);
        // The driver follows packets across components itself: its group ids stand.
        for r in &records {
            sink(Captured::Packet(r, Identity::Assigned));
        }
        Ok(records.len())
    }

    /// Per component, packets received; the stream's missed packets are stream-wide and
    /// reported on pseudo-component 0.
    fn stats(&mut self) -> Vec<CaptureStats> {
        let Ok(inbox) = self.shared.inbox.lock() else {
            return Vec::new();
        };
        let mut out: Vec<CaptureStats> = self
            .armed
            .iter()
            .map(|&c| CaptureStats {
                component: c,
                received: inbox.received.get(&c).copied().unwrap_or(0),
                dropped: 0,
            })
            .collect();
        out.push(CaptureStats {
            component: 0,
            received: 0,
            dropped: inbox.lost,
        });
        out
    }

    fn take_failures(&mut self) -> Vec<(u32, String)> {
        let Ok(mut inbox) = self.shared.inbox.lock() else {
            return Vec::new();
        };
        match inbox.fatal.take() {
            Some(why) => self.armed.iter().map(|&c| (c, why.clone())).collect(),
            None => Vec::new(),
        }
    }
}

impl Drop for PktmonBackend {
    fn drop(&mut self) {
        let api = &self.driver.api;
        // SAFETY: handles came from the DLL and are closed once, stream before session;
        // deactivation completes before it returns, so no callback runs after the close.
        unsafe {
            if self.active {
                (api.set_session_active)(self.session, 0);
            }
            if !self.stream.is_null() {
                (api.close_realtime_stream)(self.stream);
            }
            (api.close_session_handle)(self.session);
        }
    }
}
