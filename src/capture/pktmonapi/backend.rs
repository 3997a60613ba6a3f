//! A live PktMon session with a real-time stream, as a `CaptureBackend`. The DLL calls our
//! callbacks on its own reader thread: they only copy the record into an inbox and count
//! losses; `poll` drains the inbox on the caller's thread.

use super::api::{Driver, PktMonApi, check};
use super::constraints::capture_constraints;
use super::ffi::*;
use super::guard::guarded;
use super::ids::component_ids;
use super::loss::StreamLoss;
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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

/// Why the stream ended before we stopped it.
#[derive(Clone, Copy, Debug)]
enum StreamEnd {
    /// A FatalError event, or Stopped with IsFatalError (a Win32 error code).
    Fatal(u32),
    /// Stopped while the session was active, not fatal (its Reason).
    Stopped(u32),
}

#[derive(Default)]
struct Inbox {
    records: VecDeque<PacketRecord<'static>>,
    /// Packets per (mapped) component.
    received: HashMap<u32, u64>,
    /// Packets the stream missed.
    loss: StreamLoss,
    ended: Option<StreamEnd>,
}

/// The DLL's reader thread as we found it: a duplicated handle and its priority.
struct ReaderThread {
    handle: usize,
    priority: i32,
}

/// What the callbacks see, boxed so its address stays fixed while the stream lives.
struct Shared {
    inbox: Mutex<Inbox>,
    ready: Condvar,
    /// Every id a data source entry carries → the component shown.
    ids: HashMap<u32, u32>,
    /// A callback body panicked (caught): the capture stops.
    panicked: AtomicBool,
    /// We are deactivating the session: its Stopped event is ours.
    deactivating: AtomicBool,
    /// The reader thread whose priority we raised on its first callback.
    reader: Mutex<Option<ReaderThread>>,
    reader_seen: AtomicBool,
}

pub struct PktmonBackend {
    // Field order is drop order: `Drop` closes stream and session before the driver goes.
    shared: Box<Shared>,
    visible: DataSources,
    session: Session,
    stream: RealtimeStream,
    active: bool,
    /// timeBeginPeriod(1) is in force (ended in Drop).
    fine_timer: bool,
    truncation: u16,
    armed: Vec<u32>,
    driver: Driver,
}

impl PktmonBackend {
    /// Loads the DLL, opens the driver, enumerates data sources and creates an inactive
    /// live session named `name`.
    pub fn open(name: &str) -> Result<PktmonBackend> {
        let driver = PktMonApi::load()?.open()?;
        let visible = DataSources::enumerate(&driver, false)?;
        let hidden = DataSources::enumerate(&driver, true)?;
        let pairs = |d: &DataSources| -> Result<Vec<(u32, u32)>> {
            Ok(d.specs()?.iter().map(|s| (s.id, s.secondary_id)).collect())
        };
        let ids = component_ids(&pairs(&visible)?, &pairs(&hidden)?);
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
                panicked: AtomicBool::new(false),
                deactivating: AtomicBool::new(false),
                reader: Mutex::new(None),
                reader_seen: AtomicBool::new(false),
            }),
            visible,
            session,
            stream: std::ptr::null_mut(),
            active: false,
            fine_timer: false,
            truncation: 128,
            armed: Vec::new(),
            driver,
        })
    }

    /// Creates the stream, attaches it and activates the session. The DLL's reader polls
    /// its buffer with Sleep(1): at the default 15.6 ms timer it falls behind under load
    /// and the driver misses writes, so the timer runs at 1 ms while the session does.
    fn activate(&mut self) -> Result<()> {
        // SAFETY: plain winmm call; undone in Drop.
        self.fine_timer = unsafe { windows_sys::Win32::Media::timeBeginPeriod(1) } == 0;
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

    fn panicked(&self) -> bool {
        self.shared.panicked.load(Ordering::SeqCst)
    }
}

fn to_capture_error(e: Error) -> CaptureError {
    match e {
        Error::AccessDenied(m) => CaptureError::PermissionDenied(m),
        other => CaptureError::Failed(other.to_string()),
    }
}

/// On the reader thread's first data callback: raise its priority so that it keeps up with
/// the driver (what it does for us per packet is a copy into the inbox). Its old priority
/// is put back in Drop: the thread is the DLL's. Not on events: Started may well be
/// called on the thread that activates the session, which is ours.
fn raise_reader_priority(shared: &Shared) {
    use windows_sys::Win32::Foundation::{DUPLICATE_SAME_ACCESS, DuplicateHandle};
    use windows_sys::Win32::System::Threading::{
        GetCurrentProcess, GetCurrentThread, GetThreadPriority, SetThreadPriority,
        THREAD_PRIORITY_HIGHEST,
    };
    /// What GetThreadPriority answers on failure (MAXLONG; not in windows-sys).
    const THREAD_PRIORITY_ERROR_RETURN: i32 = i32::MAX;
    if shared.reader_seen.swap(true, Ordering::SeqCst) {
        return;
    }
    // SAFETY: pseudo handles of the calling thread and process; the duplicate is closed
    // in Drop.
    unsafe {
        let me = GetCurrentThread();
        let priority = GetThreadPriority(me);
        if priority == THREAD_PRIORITY_ERROR_RETURN {
            return;
        }
        let process = GetCurrentProcess();
        let mut dup = std::ptr::null_mut();
        if DuplicateHandle(process, me, process, &mut dup, 0, 0, DUPLICATE_SAME_ACCESS) == 0 {
            return;
        }
        SetThreadPriority(me, THREAD_PRIORITY_HIGHEST);
        if let Ok(mut r) = shared.reader.lock() {
            *r = Some(ReaderThread {
                handle: dup as usize,
                priority,
            });
        }
    }
}

unsafe extern "system" fn on_event(context: *mut c_void, info: *const StreamEventInfo, kind: u32) {
    if context.is_null() {
        return;
    }
    // SAFETY: `context` is the `Shared` the stream was created with; the DLL passes a
    // valid event record (or null) for the call's duration.
    let (shared, info) = unsafe { (&*(context as *const Shared), info.as_ref().copied()) };
    guarded(&shared.panicked, || event(shared, info, kind));
    shared.ready.notify_all();
}

fn event(shared: &Shared, info: Option<StreamEventInfo>, kind: u32) {
    let reason = info.map_or(0, |i| i.reason);
    // IsFatalError: a BOOLEAN, the first byte.
    let fatal = info.is_some_and(|i| i.first & 0xff != 0);
    let end = match kind {
        STREAM_EVENT_FATAL_ERROR => StreamEnd::Fatal(reason),
        STREAM_EVENT_STOPPED if shared.deactivating.load(Ordering::SeqCst) => return,
        STREAM_EVENT_STOPPED if fatal => StreamEnd::Fatal(reason),
        STREAM_EVENT_STOPPED => StreamEnd::Stopped(reason),
        STREAM_EVENT_PROCESS_INFO => {
            if let Ok(mut inbox) = shared.inbox.lock() {
                inbox.loss.process_info();
            }
            return;
        }
        _ => return,
    };
    if let Ok(mut inbox) = shared.inbox.lock() {
        inbox.ended.get_or_insert(end);
    }
}

unsafe extern "system" fn on_data(context: *mut c_void, desc: *const StreamDataDescriptor) {
    if context.is_null() || desc.is_null() {
        return;
    }
    // SAFETY: `context` is our `Shared`; `desc` and the bytes it points at are valid for
    // the duration of the call (documented).
    let (shared, d) = unsafe { (&*(context as *const Shared), &*desc) };
    guarded(&shared.panicked, || data(shared, d));
    shared.ready.notify_one();
}

fn data(shared: &Shared, d: &StreamDataDescriptor) {
    raise_reader_priority(shared);
    let size = d.data_size as usize;
    let meta_end = d.metadata_offset as usize + size_of::<StreamMetadata>();
    let pkt_end = d.packet_offset as usize + d.packet_length as usize;
    let Ok(mut inbox) = shared.inbox.lock() else {
        return;
    };
    inbox
        .loss
        .descriptor(d.missed_packet_write_count, d.missed_packet_read_count);
    if d.data.is_null() || meta_end > size || pkt_end > size {
        inbox.loss.unreadable(); // a descriptor that does not fit its buffer: not read
        return;
    }
    // SAFETY: both ranges were checked to lie inside the `data_size` bytes at `data`,
    // which the DLL keeps valid during the callback.
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
        let poisoned = || CaptureError::Failed("the PktMon stream's inbox is unusable".into());
        let mut inbox = self.shared.inbox.lock().map_err(|_| poisoned())?;
        while inbox.records.is_empty() && inbox.ended.is_none() && !self.panicked() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            inbox = self
                .shared
                .ready
                .wait_timeout(inbox, left)
                .map_err(|_| poisoned())?
                .0;
        }
        let records: Vec<_> = inbox.records.drain(..).collect();
        let ended = inbox.ended;
        drop(inbox);
        // The driver follows packets across components itself: its group ids stand.
        for r in &records {
            sink(Captured::Packet(r, Identity::Assigned));
        }
        if self.panicked() {
            return Err(CaptureError::Failed(
                "internal error: a PktMon stream callback panicked (caught); the capture stopped"
                    .into(),
            ));
        }
        match ended {
            Some(StreamEnd::Fatal(code)) => Err(CaptureError::Failed(format!(
                "the PktMon stream stopped on a fatal error (Win32 error {code})"
            ))),
            Some(StreamEnd::Stopped(reason)) => Err(CaptureError::Ended(format!(
                "the PktMon driver stopped the stream while the session was active \
                 (reason {reason}); no more packets arrive"
            ))),
            None => Ok(records.len()),
        }
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
            dropped: inbox.loss.lost(),
        });
        out
    }

    /// The stream ends as a whole (`poll` reports it), never one component alone.
    fn take_failures(&mut self) -> Vec<(u32, String)> {
        Vec::new()
    }
}

impl Drop for PktmonBackend {
    fn drop(&mut self) {
        use windows_sys::Win32::Foundation::CloseHandle;
        use windows_sys::Win32::System::Threading::SetThreadPriority;
        let api = &self.driver.api;
        self.shared.deactivating.store(true, Ordering::SeqCst);
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
        // The DLL's thread gets its priority back (it may serve others after us).
        if let Some(r) = self.shared.reader.lock().ok().and_then(|mut r| r.take()) {
            // SAFETY: our duplicate of the reader thread's handle, closed once.
            unsafe {
                SetThreadPriority(r.handle as _, r.priority);
                CloseHandle(r.handle as _);
            }
        }
        if self.fine_timer {
            // SAFETY: ends the timeBeginPeriod(1) of `activate`.
            unsafe { windows_sys::Win32::Media::timeEndPeriod(1) };
        }
    }
}
