//! BPF plumbing shared by the kernel tracers (`capture::drops`, `capture::path`): programs
//! are assembled at run time in Rust with struct offsets read from the kernel's BTF, loaded
//! with raw `bpf(2)` calls (no clang, libbpf or aya), attached to raw tracepoints, and emit
//! records through a ring buffer that user space polls.
//!
//! One job per module:
//! - [`asm`]: the instruction encoder with labels;
//! - [`classic`]: the session's filter (libpcap's classic BPF) translated for the programs;
//! - [`btf`]: the reader of `/sys/kernel/btf/vmlinux`;
//! - [`kernel`]: field offsets, tracepoint arguments and helper availability from BTF;
//! - [`helpers`]: helper ids and flags of the BPF UAPI;
//! - [`sys`]: `bpf(2)`/`perf_event_open(2)` wrappers, mmaps, CPU lists;
//! - [`ringbuf`]: the consumer side of a `BPF_MAP_TYPE_RINGBUF`;
//! - [`load`]: ring, loss counter, program load and attach, with user-facing errors;
//! - [`clock`]: the kernel's monotonic time stamps to Unix time;
//! - [`kallsyms`]: kernel addresses to `symbol+0xoff`;
//! - [`bytes`]: native-endian reads from records.

pub mod asm;
pub mod btf;
pub mod bytes;
pub mod classic;
pub mod clock;
pub mod error;
pub mod helpers;
pub mod kallsyms;
pub mod kernel;
pub mod load;
pub mod ringbuf;
pub mod sys;

pub use clock::RealtimeClock;
pub use error::{SetupError, os_error};
