//! Reader for Windows ETL files, above all the ones Windows Packet Monitor (`pktmon`) writes.
//!
//! ```text
//! file ─ buffers (buffer) ─ LZ77 (lz77) ─ raw events (raw) ─┬─ schema (tdh, builtin)
//!                                                            └─ time-ordered index (index)
//!        ─ EtlReader (reader): resolved templates, the rundown, the event iterator
//!        ─ Event (event): packets → PacketRecord (pktmon), others → fields (value)
//!        ─ text lines as `pktmon format` prints them (text)
//! ```
//!
//! Use: `let r = EtlFile::open(path)?; for ev in r.events() { ... }`; `r.rundown()` has the
//! component table; `r.problems()` what was damaged (everything readable is still yielded).

pub mod buffer;
pub mod builtin;
pub mod bytes;
pub mod error;
pub mod event;
#[doc(hidden)]
pub mod fuzzing;
mod index;
pub mod logfile;
pub mod lz77;
pub mod pktmon;
pub mod raw;
pub mod reader;
pub mod tdh;
pub mod text;
pub mod tracelogging;
pub mod value;

pub use bytes::Guid;
pub use error::EtlError;
pub use event::{Event, EventKind};
pub use index::{DECOMPRESSION_RATIO_LIMIT, MAX_BUFFER_BYTES, MIN_DECOMPRESSED_BUDGET, ReadStats};
pub use pktmon::{Component, PacketEvent, Rundown};
pub use reader::{EtlFile, EtlReader, looks_like_etl};
