//! The packet's path across components: which sightings are the same packet (one
//! PktGroupId, Appearance 1..n), and how long it took from one component to the next.
//! Platform-independent: the sources that know a packet's kernel identity live in
//! `capture/`.

pub mod correlator;
pub mod fingerprint;
pub mod latency;

pub use correlator::{Correlator, DropPlacement, Identity, Placement};
pub use latency::{HopLatencies, HopReplay, HopSummary};
