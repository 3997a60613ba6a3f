//! pktmon: a cross-platform, command-compatible clone of Windows Packet Monitor.
//!
//! Data flows one way: sources (live `capture` backends, file readers) yield
//! [`record::PacketRecord`]s; sinks (`pcapng`, text, counters) consume them. The `cmd`
//! layer is the front door, one file per command.

pub mod capture;
pub mod cli;
pub mod cmd;
pub mod commands;
pub mod components;
pub mod counters;
pub mod error;
pub mod etl;
pub mod filter;
#[doc(hidden)]
pub mod fuzzing;
pub mod help;
pub mod json;
pub mod output;
pub mod packet;
pub mod path;
pub mod pcapng;
pub mod pktmon_meta;
pub mod record;
pub mod session;
pub mod source;
#[doc(hidden)]
pub mod testdata;
