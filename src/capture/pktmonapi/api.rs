//! Loading PktMonApi.dll and resolving its 11 exports.

use super::ffi::*;
use super::{ACCESS_DENIED, DLL_ENV, DLL_NAME};
use crate::error::{Error, Result};
use libloading::Library;

/// The loaded DLL and its functions. The function pointers stay valid while `_lib` lives.
pub struct PktMonApi {
    pub initialize: FnInitialize,
    pub uninitialize: FnUninitialize,
    pub enum_data_sources: FnEnumDataSources,
    pub create_live_session: FnCreateLiveSession,
    pub close_session_handle: FnCloseSessionHandle,
    pub add_single_data_source_to_session: FnAddSingleDataSourceToSession,
    pub add_capture_constraint: FnAddCaptureConstraint,
    pub set_session_active: FnSetSessionActive,
    pub create_realtime_stream: FnCreateRealtimeStream,
    pub attach_output_to_session: FnAttachOutputToSession,
    pub close_realtime_stream: FnCloseRealtimeStream,
    _lib: Library,
}

fn resolve<T: Copy>(lib: &Library, dll: &str, name: &str) -> Result<T> {
    let mut sym = name.as_bytes().to_vec();
    sym.push(0);
    // SAFETY: T is the export's documented signature (ffi.rs); the symbol outlives its use
    // because PktMonApi keeps the library loaded.
    unsafe { lib.get::<T>(&sym) }.map(|s| *s).map_err(|e| {
        Error::failure(format!(
            "{dll} has no export {name} ({e}). pktmon needs the Packet Monitor API of \
             Windows Server 2022 with the 6B update (June 2022), or a newer Windows build."
        ))
    })
}

impl PktMonApi {
    /// Loads PktMonApi.dll from System32 only (never from the current or the program's
    /// folder, where anyone could plant one into an elevated process), or the file
    /// `PKTMON_PKTMONAPI_DLL` names (the tests' stand-in), and resolves every export.
    pub fn load() -> Result<PktMonApi> {
        let from_env = std::env::var(DLL_ENV).ok();
        let dll = from_env.clone().unwrap_or_else(|| DLL_NAME.to_string());
        // SAFETY: loading runs the DLL's initialisation: the system's PktMonApi.dll, or the
        // file a test named.
        let loaded = unsafe {
            match &from_env {
                Some(path) => Library::new(path),
                None => libloading::os::windows::Library::load_with_flags(
                    DLL_NAME,
                    libloading::os::windows::LOAD_LIBRARY_SEARCH_SYSTEM32,
                )
                .map(Library::from),
            }
        };
        let lib = loaded.map_err(|e| {
            Error::failure(format!(
                "cannot load {dll} ({e}). Live capture on Windows needs the Packet Monitor \
                 API (PktMonApi.dll in System32): Windows Server 2022 with the 6B update \
                 (June 2022) or later, or a newer Windows client build."
            ))
        })?;
        Ok(PktMonApi {
            initialize: resolve(&lib, &dll, "PacketMonitorInitialize")?,
            uninitialize: resolve(&lib, &dll, "PacketMonitorUninitialize")?,
            enum_data_sources: resolve(&lib, &dll, "PacketMonitorEnumDataSources")?,
            create_live_session: resolve(&lib, &dll, "PacketMonitorCreateLiveSession")?,
            close_session_handle: resolve(&lib, &dll, "PacketMonitorCloseSessionHandle")?,
            add_single_data_source_to_session: resolve(
                &lib,
                &dll,
                "PacketMonitorAddSingleDataSourceToSession",
            )?,
            add_capture_constraint: resolve(&lib, &dll, "PacketMonitorAddCaptureConstraint")?,
            set_session_active: resolve(&lib, &dll, "PacketMonitorSetSessionActive")?,
            create_realtime_stream: resolve(&lib, &dll, "PacketMonitorCreateRealtimeStream")?,
            attach_output_to_session: resolve(&lib, &dll, "PacketMonitorAttachOutputToSession")?,
            close_realtime_stream: resolve(&lib, &dll, "PacketMonitorCloseRealtimeStream")?,
            _lib: lib,
        })
    }

    /// Opens the driver handle (closed by `Driver`'s Drop).
    pub fn open(self) -> Result<Driver> {
        let mut h: Handle = std::ptr::null_mut();
        // SAFETY: documented call; `h` is written on success.
        let hr = unsafe { (self.initialize)(API_VERSION_1_0, std::ptr::null_mut(), &mut h) };
        check(hr, "PacketMonitorInitialize")?;
        Ok(Driver {
            api: self,
            handle: h,
        })
    }
}

/// An initialised API handle.
pub struct Driver {
    pub api: PktMonApi,
    pub handle: Handle,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SAFETY: the handle came from PacketMonitorInitialize and is closed once.
        unsafe { (self.api.uninitialize)(self.handle) }
    }
}

/// An HRESULT as a pktmon error: access denied → exit 5 with pktmon's wording.
pub fn check(hr: Hresult, what: &str) -> Result<()> {
    match hr {
        S_OK => Ok(()),
        E_ACCESSDENIED => Err(Error::AccessDenied(ACCESS_DENIED.to_string())),
        _ => Err(Error::failure(format!(
            "{what} failed: HRESULT 0x{:08X}",
            hr as u32
        ))),
    }
}
