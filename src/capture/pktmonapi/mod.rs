//! The Windows backend on PktMonApi.dll (Windows Server 2022 with the 6B update, and newer
//! client builds). The DLL has no import library: it is loaded at run time. Layout and
//! record conversion are plain data and compile everywhere; loading and calling is Windows.

pub mod constraints;
pub mod ffi;
pub mod record;

#[cfg(windows)]
mod api;
#[cfg(windows)]
mod backend;
#[cfg(windows)]
mod sources;

#[cfg(windows)]
pub use api::PktMonApi;
#[cfg(windows)]
pub use backend::PktmonBackend;
#[cfg(windows)]
pub use sources::list_components;

/// The file loaded; `PKTMON_PKTMONAPI_DLL` names another (tests load a stand-in).
pub const DLL_NAME: &str = "PktMonApi.dll";
pub const DLL_ENV: &str = "PKTMON_PKTMONAPI_DLL";

/// pktmon's wording when the driver refuses a non-elevated process.
pub const ACCESS_DENIED: &str = "Failed to communicate with the PktMon driver. Access is denied.";
