//! What a program builder needs to know about the running kernel, read from BTF: field
//! offsets (checked against the sizes the program assumes), the arguments of a raw
//! tracepoint, and which helpers exist.

use super::btf::{Btf, Kind, TypeId};
use super::helpers;

/// `sk_buff.mac_header` when unset.
pub const MAC_UNSET: u16 = 0xffff;
/// Device types (`net_device.type`, ARPHRD_*) that carry an Ethernet header; Linux
/// loopback has a 14-byte one of zeros.
pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_LOOPBACK: u16 = 772;
pub const ETH_HLEN: usize = 14;

/// A field offset as an instruction's 16-bit offset.
pub fn i16_of(v: i64) -> Result<i16, String> {
    i16::try_from(v).map_err(|_| format!("BPF program: offset {v} out of range"))
}

/// A field offset as an instruction's 32-bit immediate.
pub fn i32_of(v: u32) -> Result<i32, String> {
    i32::try_from(v).map_err(|_| format!("BPF program: offset {v} out of range"))
}

/// Field offsets of kernel structs, each checked for the size the program reads.
pub struct Fields<'a> {
    btf: &'a Btf,
}

impl<'a> Fields<'a> {
    /// Refuses 32-bit kernels: the programs read pointers and `tail`/`end` as 64-bit
    /// kernels lay them out (u32 offsets, not pointers).
    pub fn new(btf: &'a Btf) -> Result<Fields<'a>, String> {
        if std::mem::size_of::<usize>() != 8 {
            return Err("kernel tracing supports 64-bit kernels only".into());
        }
        Ok(Fields { btf })
    }

    pub fn btf(&self) -> &'a Btf {
        self.btf
    }

    /// The id of `struct name`.
    pub fn strukt(&self, name: &str) -> Result<TypeId, String> {
        self.btf
            .find(Kind::Struct, name)
            .ok_or_else(|| format!("kernel BTF has no struct {name}"))
    }

    /// Byte offset of `path` (e.g. "nd_net.net") in struct `sid`, whose size must be one
    /// of `sizes`.
    pub fn offset(&self, sid: TypeId, path: &str, sizes: &[u32]) -> Result<u32, String> {
        let btf = self.btf;
        let m = btf
            .member(sid, path)
            .map_err(|e| format!("kernel BTF: {e}"))?;
        let size = btf
            .size_of(m.type_id)
            .map_err(|e| format!("kernel BTF: {}.{path}: {e}", btf.name(sid)))?;
        if !sizes.contains(&size) {
            return Err(format!(
                "kernel BTF: {}.{path} is {size} bytes, expected {sizes:?}",
                btf.name(sid)
            ));
        }
        Ok(m.offset)
    }
}

/// Whether `enum bpf_func_id` has `name` (e.g. "BPF_FUNC_ringbuf_output").
pub fn has_helper(btf: &Btf, name: &str) -> bool {
    btf.find(Kind::Enum, "bpf_func_id")
        .and_then(|id| btf.enum_values(id).ok())
        .is_some_and(|v| v.iter().any(|(n, _)| *n == name))
}

/// Whether the kernel has the BPF ring buffer (Linux 5.8+). Without `bpf_func_id` in BTF
/// we cannot tell, and let the map creation decide.
pub fn kernel_has_ringbuf(btf: &Btf) -> bool {
    btf.find(Kind::Enum, "bpf_func_id").is_none() || has_helper(btf, "BPF_FUNC_ringbuf_output")
}

/// `bpf_probe_read_kernel`, or `bpf_probe_read` on kernels before 5.5.
pub fn probe_read_helper(btf: &Btf) -> i32 {
    if btf.find(Kind::Func, "bpf_probe_read_kernel").is_some()
        || has_helper(btf, "BPF_FUNC_probe_read_kernel")
    {
        helpers::PROBE_READ_KERNEL
    } else {
        helpers::PROBE_READ
    }
}

/// The argument types of raw tracepoint `name`, spelled as `Btf::describe` does
/// ("struct sk_buff *", qualifiers dropped), from `typedef btf_trace_<name>`: a pointer to
/// a prototype whose first parameter is the tracepoint's private data, not an argument.
/// BTF keeps no parameter names, so callers find arguments by type.
pub fn tracepoint_args(btf: &Btf, name: &str) -> Result<Vec<String>, String> {
    let typedef = format!("btf_trace_{name}");
    let td = btf
        .find(Kind::Typedef, &typedef)
        .ok_or_else(|| format!("kernel BTF has no {typedef} (no {name} tracepoint)"))?;
    let params = btf
        .func_proto_params(td)
        .map_err(|e| format!("kernel BTF: {typedef}: {e}"))?;
    Ok(params
        .get(1..)
        .unwrap_or(&[])
        .iter()
        .map(|&t| btf.describe(t))
        .collect())
}

/// Position of the first argument of type `ty` in `args`.
pub fn arg_position(args: &[String], ty: &str) -> Option<u32> {
    args.iter().position(|a| a == ty).map(|p| p as u32)
}
