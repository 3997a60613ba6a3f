//! The Windows backend on PktMonApi.dll (Windows Server 2022 with the 6B update, and newer
//! client builds). The DLL has no import library: it is loaded at run time. Layout and
//! record conversion are plain data and compile everywhere; loading and calling is Windows.

pub mod constraints;
pub mod ffi;
pub mod guard;
pub mod ids;
pub mod loss;
pub mod naming;
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
pub use sources::{data_sources_json, list_components};

/// The file loaded, from System32 only. `PKTMON_PKTMONAPI_DLL` names another file to load
/// instead: a test hook (the Wine tests load a stand-in), not a setting for users.
pub const DLL_NAME: &str = "PktMonApi.dll";
pub const DLL_ENV: &str = "PKTMON_PKTMONAPI_DLL";

/// pktmon's wording when the driver refuses a non-elevated process.
pub const ACCESS_DENIED: &str = "Failed to communicate with the PktMon driver. Access is denied.";
