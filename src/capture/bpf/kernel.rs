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

/// The `sk_buff`, `net_device` and `net` fields both tracers read (offsets from BTF,
/// checked against the sizes the programs assume), and the probe-read helper to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkbFields {
    pub skb_dev: u32,
    pub skb_len: u32,
    pub skb_protocol: u32,
    pub skb_network_header: u32,
    pub skb_mac_header: u32,
    pub skb_tail: u32,
    pub skb_head: u32,
    pub skb_data: u32,
    pub dev_ifindex: u32,
    pub dev_type: u32,
    pub dev_net: u32,
    /// `net.ns.inum`.
    pub net_inum: u32,
    /// `bpf_probe_read_kernel`, or `bpf_probe_read` on kernels before 5.5.
    pub probe_read: i32,
}

impl SkbFields {
    pub fn from_btf(f: &Fields) -> Result<SkbFields, String> {
        let skb = f.strukt("sk_buff")?;
        let dev = f.strukt("net_device")?;
        let net = f.strukt("net")?;
        Ok(SkbFields {
            skb_dev: f.offset(skb, "dev", &[8])?,
            skb_len: f.offset(skb, "len", &[4])?,
            skb_protocol: f.offset(skb, "protocol", &[2])?,
            skb_network_header: f.offset(skb, "network_header", &[2])?,
            skb_mac_header: f.offset(skb, "mac_header", &[2])?,
            // A u32 offset on 64-bit kernels (a pointer on 32-bit ones, refused by Fields).
            skb_tail: f.offset(skb, "tail", &[4])?,
            skb_head: f.offset(skb, "head", &[8])?,
            skb_data: f.offset(skb, "data", &[8])?,
            dev_ifindex: f.offset(dev, "ifindex", &[4])?,
            dev_type: f.offset(dev, "type", &[2])?,
            dev_net: f.offset(dev, "nd_net.net", &[8])?,
            net_inum: f.offset(net, "ns.inum", &[4])?,
            probe_read: probe_read_helper(f.btf()),
        })
    }

    /// The `sk_buff` fields among them, as (offset, size).
    pub fn skb_spans(&self) -> [(u32, u32); 8] {
        [
            (self.skb_dev, 8),
            (self.skb_len, 4),
            (self.skb_protocol, 2),
            (self.skb_network_header, 2),
            (self.skb_mac_header, 2),
            (self.skb_tail, 4),
            (self.skb_head, 8),
            (self.skb_data, 8),
        ]
    }
}

/// The span holding every (offset, size) field: (first byte, length), its start rounded
/// down to 8 so that every field keeps its natural alignment when the span is copied to
/// the stack (the verifier insists on aligned stack loads).
pub fn window(fields: &[(u32, u32)]) -> (u32, u32) {
    let lo = fields.iter().map(|f| f.0).min().unwrap_or(0) & !7;
    let hi = fields.iter().map(|f| f.0 + f.1).max().unwrap_or(0);
    (lo, hi - lo)
}

/// The fields as measured on 6.18 (`docs/spec/packet-path.md`), for building the
/// programs in tests without a kernel.
#[cfg(test)]
pub(crate) fn skb_fields_6_18() -> SkbFields {
    SkbFields {
        skb_dev: 16,
        skb_len: 112,
        skb_protocol: 176,
        skb_network_header: 180,
        skb_mac_header: 182,
        skb_tail: 184,
        skb_head: 192,
        skb_data: 200,
        dev_ifindex: 224,
        dev_type: 240,
        dev_net: 264,
        net_inum: 176,
        probe_read: super::helpers::PROBE_READ_KERNEL,
    }
}
