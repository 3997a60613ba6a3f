//! BPF helper ids and flags (UAPI `enum bpf_func_id`, stable numbers).

pub const MAP_LOOKUP_ELEM: i32 = 1;
pub const MAP_UPDATE_ELEM: i32 = 2;
/// `bpf_probe_read`, for kernels before 5.5.
pub const PROBE_READ: i32 = 4;
pub const KTIME_GET_NS: i32 = 5;
pub const PROBE_READ_KERNEL: i32 = 113;
pub const RINGBUF_OUTPUT: i32 = 130;
pub const RINGBUF_RESERVE: i32 = 131;
pub const RINGBUF_SUBMIT: i32 = 132;
pub const RINGBUF_DISCARD: i32 = 133;

/// Ring buffer flag: do not wake a waiting reader (ours polls; a wakeup per record costs
/// about 3x the throughput).
pub const BPF_RB_NO_WAKEUP: i32 = 1;

/// Map update flag: create or replace.
pub const BPF_ANY: i32 = 0;
