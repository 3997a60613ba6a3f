//! The BPF program on the `kfree_skb` raw tracepoint, assembled at run time with struct
//! offsets read from the kernel's BTF, and the layout of the record it emits.
//!
//! Per freed skb: skip `SKB_CONSUMED`; read the skb's fields in one `probe_read` of the
//! span that holds them; find the device (skb->dev, else the route's device, else none)
//! and the network namespace (the device's, else the socket's); keep only the scope's
//! namespaces (u32 compares with JMP32: a 64-bit compare sign-extends the immediate, so
//! inodes above i32::MAX would never match); copy up to [`DATA_CAP`] bytes from the MAC
//! header when it directly precedes the network header, else from the network header;
//! emit through the ring buffer without waking user space (it polls); count records the
//! ring had no room for in a per-CPU `lost` slot.

use crate::capture::bpf::asm::{Asm, Cond, FP, Insn, R0, R1, R2, R3, R4, R6, R7, R8, R9};
use crate::capture::bpf::btf::Btf;
use crate::capture::bpf::helpers;
use crate::capture::bpf::kernel::{self, Fields, SkbFields};
use crate::capture::bpf::kernel::{i16_of, i32_of};

/// Record header size; the packet bytes follow.
pub const HDR: usize = 88;
/// Longest link-layer header copied in front of the network header.
pub const MAX_L2: i32 = 32;
/// Packet bytes copied at most: a link-layer header plus 128 bytes from the network header.
pub const DATA_CAP: i32 = MAX_L2 + 128;
/// Size of the largest record.
pub const RECORD_MAX: usize = HDR + DATA_CAP as usize;

/// Offsets in the record header (all native-endian).
pub mod rec {
    pub const TS: usize = 0;
    pub const LOCATION: usize = 8;
    pub const REASON: usize = 16;
    pub const IFINDEX: usize = 20;
    pub const NETNS: usize = 24;
    pub const SKB_LEN: usize = 28;
    /// skb->protocol, network byte order.
    pub const PROTOCOL: usize = 32;
    pub const MAC_HEADER: usize = 34;
    pub const NETWORK_HEADER: usize = 36;
    pub const TRANSPORT_HEADER: usize = 38;
    pub const SKB_IIF: usize = 40;
    pub const TAIL: usize = 44;
    pub const CAPLEN: usize = 48;
    /// Offset from skb->head where the copied bytes start.
    pub const COPY_START: usize = 52;
    pub const VIA: usize = 56;
    /// net_device.type (ARPHRD_*).
    pub const DEV_TYPE: usize = 60;
    pub const SKBADDR: usize = 64;
    /// skb->head: the packet buffer, shared by clones.
    pub const SKB_HEAD: usize = 72;
    /// `skb_shinfo(skb)->dataref` at the free: its low 16 bits count the skbs that
    /// reference the data, this one included.
    pub const DATAREF: usize = 80;
}

/// Where the namespace and interface came from.
pub const VIA_DEVICE: u32 = 0;
pub const VIA_ROUTE: u32 = 1;
pub const VIA_SOCKET: u32 = 2;
pub const VIA_NONE: u32 = 3;

pub use crate::capture::bpf::kernel::MAC_UNSET;
/// Reason stored when the tracepoint has no reason argument (kernels before 5.17).
pub const REASON_UNKNOWN: u32 = u32::MAX;

/// Largest skb field span read in one go (stack budget: 512 bytes in all).
const MAX_WINDOW: u32 = 256;

// Stack frame: scratch (8) | record (RECORD_MAX) | skb window.
const SCRATCH: i16 = -8;
const REC: i16 = SCRATCH - RECORD_MAX as i16;

// Helper ids (UAPI, stable).
pub const HELPER_MAP_LOOKUP_ELEM: i32 = helpers::MAP_LOOKUP_ELEM;
pub const HELPER_PROBE_READ: i32 = helpers::PROBE_READ;
pub const HELPER_KTIME_GET_NS: i32 = helpers::KTIME_GET_NS;
pub const HELPER_PROBE_READ_KERNEL: i32 = helpers::PROBE_READ_KERNEL;
pub const HELPER_RINGBUF_OUTPUT: i32 = helpers::RINGBUF_OUTPUT;
const BPF_RB_NO_WAKEUP: i32 = helpers::BPF_RB_NO_WAKEUP;

/// Positions of the raw tracepoint's arguments (the `u64` slots of its context).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TracepointArgs {
    pub skb: u32,
    pub location: u32,
    /// None on kernels before 5.17 (no reason argument).
    pub reason: Option<u32>,
    pub count: u32,
}

/// Byte offsets of the kernel fields the program reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelLayout {
    /// What the path tracer reads too.
    pub skb: SkbFields,
    pub skb_sk: u32,
    pub skb_refdst: u32,
    pub skb_iif: u32,
    pub skb_transport_header: u32,
    /// `skb->end`: where `skb_shared_info` starts, from head.
    pub skb_end: u32,
    /// `skb_shared_info.dataref`.
    pub shinfo_dataref: u32,
    pub dst_dev: u32,
    pub sk_net: u32,
    pub args: TracepointArgs,
}

impl KernelLayout {
    /// Reads the layout from BTF, checking each field has the size the program assumes.
    pub fn from_btf(btf: &Btf) -> Result<KernelLayout, String> {
        let f = Fields::new(btf)?;
        let skb = f.strukt("sk_buff")?;
        let dst = f.strukt("dst_entry")?;
        let sock = f.strukt("sock")?;
        let shinfo = f.strukt("skb_shared_info")?;
        Ok(KernelLayout {
            skb: SkbFields::from_btf(&f)?,
            skb_sk: f.offset(skb, "sk", &[8])?,
            skb_refdst: f.offset(skb, "_skb_refdst", &[8])?,
            skb_iif: f.offset(skb, "skb_iif", &[4])?,
            skb_transport_header: f.offset(skb, "transport_header", &[2])?,
            skb_end: f.offset(skb, "end", &[4])?,
            shinfo_dataref: f.offset(shinfo, "dataref", &[4])?,
            dst_dev: f.offset(dst, "dev", &[8])?,
            sk_net: f.offset(sock, "__sk_common.skc_net.net", &[8])?,
            args: tracepoint_args(btf)?,
        })
    }

    /// The span of `sk_buff` holding every field read: (first byte, length).
    fn skb_window(&self) -> (u32, u32) {
        let mut fields = self.skb.skb_spans().to_vec();
        fields.extend([
            (self.skb_sk, 8),
            (self.skb_refdst, 8),
            (self.skb_iif, 4),
            (self.skb_transport_header, 2),
            (self.skb_end, 4),
        ]);
        kernel::window(&fields)
    }
}

/// The raw tracepoint's arguments, from `typedef btf_trace_kfree_skb` (a pointer to a
/// prototype whose first parameter is the tracepoint's private data, not an argument).
/// Parameters carry no names in BTF, so the reason is found by its type.
pub fn tracepoint_args(btf: &Btf) -> Result<TracepointArgs, String> {
    let spelled = kernel::tracepoint_args(btf, "kfree_skb")?;
    let skb = spelled
        .iter()
        .position(|s| s == "struct sk_buff *")
        .ok_or_else(|| format!("kfree_skb arguments {spelled:?} have no struct sk_buff *"))?;
    let location = skb + 1;
    if spelled.get(location).map(String::as_str) != Some("void *") {
        return Err(format!(
            "kfree_skb arguments {spelled:?}: no location (void *) after the skb"
        ));
    }
    let reason = spelled.iter().position(|s| s == "enum skb_drop_reason");
    Ok(TracepointArgs {
        skb: skb as u32,
        location: location as u32,
        reason: reason.map(|r| r as u32),
        count: spelled.len() as u32,
    })
}

/// What the program is built for.
#[derive(Clone, Debug)]
pub struct ProgramSpec<'a> {
    pub layout: &'a KernelLayout,
    /// `SKB_CONSUMED`'s value, skipped in the kernel.
    pub consumed: Option<u32>,
    /// Network namespace inodes to keep; empty keeps all.
    pub netns_inodes: &'a [u32],
    pub ringbuf_fd: i32,
    pub lost_fd: i32,
}

/// Assembles the program.
pub fn build(spec: &ProgramSpec) -> Result<Vec<Insn>, String> {
    let l = spec.layout;
    let (win_lo, win_len) = l.skb_window();
    if win_len > MAX_WINDOW {
        return Err(format!(
            "sk_buff fields span {win_len} bytes, more than the {MAX_WINDOW} the program reads"
        ));
    }
    let win = REC as i64 - ((win_len as i64 + 7) & !7);
    // Stack slot of an sk_buff field inside the window.
    let w = |off: u32| i16_of(win + off as i64 - win_lo as i64);
    let r = |off: usize| REC + off as i16;
    let read = l.skb.probe_read;
    // *(fp + dst) = probe_read(size, base + off)
    let rd = |a: &mut Asm, dst: i16, size: i32, base: u8, off: u32| -> Result<(), String> {
        a.mov(R1, FP);
        a.addi(R1, dst as i32);
        a.movi(R2, size);
        a.mov(R3, base);
        a.addi(R3, i32_of(off)?);
        a.call(read);
        Ok(())
    };

    let mut a = Asm::new();
    a.mov(R6, R1);
    a.ldx(8, R7, R6, 8 * l.args.skb as i16);
    match l.args.reason {
        Some(i) => a.ldx(8, R8, R6, 8 * i as i16),
        None => a.movi(R8, REASON_UNKNOWN as i32),
    }
    if let (Some(c), Some(_)) = (spec.consumed, l.args.reason) {
        a.jmp32_imm(Cond::Eq, R8, c, "out");
    }
    // Everything handed to ringbuf_output must be initialised.
    for i in 0..RECORD_MAX / 8 {
        a.st(8, FP, REC + 8 * i as i16, 0);
    }
    a.ldx(8, R1, R6, 8 * l.args.location as i16);
    a.stx(8, FP, r(rec::LOCATION), R1);
    a.stx(4, FP, r(rec::REASON), R8);
    a.stx(8, FP, r(rec::SKBADDR), R7);

    // One read for all sk_buff fields, then copy the scalars into the record.
    rd(&mut a, i16_of(win)?, win_len as i32, R7, win_lo)?;
    for (off, size, at) in [
        (l.skb.skb_len, 4, rec::SKB_LEN),
        (l.skb.skb_protocol, 2, rec::PROTOCOL),
        (l.skb.skb_mac_header, 2, rec::MAC_HEADER),
        (l.skb.skb_network_header, 2, rec::NETWORK_HEADER),
        (l.skb_transport_header, 2, rec::TRANSPORT_HEADER),
        (l.skb_iif, 4, rec::SKB_IIF),
        (l.skb.skb_tail, 4, rec::TAIL),
        (l.skb.skb_head, 8, rec::SKB_HEAD),
    ] {
        a.ldx(size, R1, FP, w(off)?);
        a.stx(size, FP, r(at), R1);
    }
    // Whether another skb (a clone queued on a socket, say) still holds the data:
    // skb_shinfo(skb) = head + end, read before this free drops its reference.
    a.ldx(8, R3, FP, w(l.skb.skb_head)?);
    a.jmp_imm(Cond::Eq, R3, 0, "no_shinfo");
    a.ldx(4, R1, FP, w(l.skb_end)?);
    a.add(R3, R1);
    a.addi(R3, i32_of(l.shinfo_dataref)?);
    a.mov(R1, FP);
    a.addi(R1, r(rec::DATAREF) as i32);
    a.movi(R2, 4);
    a.call(read);
    a.label("no_shinfo");

    // Device: skb->dev, else the route's device; namespace: the device's, else the socket's.
    a.ldx(8, R9, FP, w(l.skb.skb_dev)?);
    a.jmp_imm(Cond::Ne, R9, 0, "have_dev");
    a.ldx(8, R9, FP, w(l.skb_refdst)?);
    a.andi(R9, -2); // the low bit flags a non-refcounted dst
    a.jmp_imm(Cond::Eq, R9, 0, "try_sock");
    rd(&mut a, SCRATCH, 8, R9, l.dst_dev)?;
    a.ldx(8, R9, FP, SCRATCH);
    a.jmp_imm(Cond::Eq, R9, 0, "try_sock");
    a.st(4, FP, r(rec::VIA), VIA_ROUTE as i32);
    a.label("have_dev");
    rd(&mut a, r(rec::IFINDEX), 4, R9, l.skb.dev_ifindex)?;
    rd(&mut a, r(rec::DEV_TYPE), 2, R9, l.skb.dev_type)?;
    rd(&mut a, SCRATCH, 8, R9, l.skb.dev_net)?;
    a.ldx(8, R9, FP, SCRATCH);
    a.jmp_imm(Cond::Eq, R9, 0, "resolved");
    rd(&mut a, r(rec::NETNS), 4, R9, l.skb.net_inum)?;
    a.ja("resolved");
    a.label("try_sock");
    a.st(4, FP, r(rec::VIA), VIA_NONE as i32);
    a.ldx(8, R9, FP, w(l.skb_sk)?);
    a.jmp_imm(Cond::Eq, R9, 0, "resolved");
    rd(&mut a, SCRATCH, 8, R9, l.sk_net)?;
    a.ldx(8, R9, FP, SCRATCH);
    a.jmp_imm(Cond::Eq, R9, 0, "resolved");
    a.st(4, FP, r(rec::VIA), VIA_SOCKET as i32);
    rd(&mut a, r(rec::NETNS), 4, R9, l.skb.net_inum)?;
    a.label("resolved");

    if !spec.netns_inodes.is_empty() {
        a.ldx(4, R1, FP, r(rec::NETNS));
        for &ino in spec.netns_inodes {
            a.jmp32_imm(Cond::Eq, R1, ino, "in_scope");
        }
        a.ja("out");
        a.label("in_scope");
    }

    a.call(HELPER_KTIME_GET_NS);
    a.stx(8, FP, r(rec::TS), R0);

    // Where the copy starts (offset from head): the MAC header when it sits right before
    // the network header, else the network header, else skb->data.
    a.ldx(2, R3, FP, w(l.skb.skb_network_header)?);
    a.jmp_imm(Cond::Ne, R3, 0, "have_nh");
    a.ldx(8, R3, FP, w(l.skb.skb_data)?);
    a.ldx(8, R1, FP, w(l.skb.skb_head)?);
    a.sub(R3, R1);
    a.ja("have_start");
    a.label("have_nh");
    a.ldx(2, R2, FP, w(l.skb.skb_mac_header)?);
    a.jmp_imm(Cond::Eq, R2, MAC_UNSET as i32, "have_start");
    a.jmp_reg(Cond::Ge, R2, R3, "have_start");
    a.mov(R4, R3);
    a.sub(R4, R2);
    a.jmp_imm(Cond::Gt, R4, MAX_L2, "have_start");
    a.mov(R3, R2);
    a.label("have_start");
    a.stx(4, FP, r(rec::COPY_START), R3);
    a.mov(R9, R3);
    // caplen = min(DATA_CAP, tail - start), nothing when tail <= start.
    a.ldx(4, R2, FP, w(l.skb.skb_tail)?);
    a.sub(R2, R3);
    a.jmp_imm(Cond::Sle, R2, 0, "no_copy");
    a.jmp_imm(Cond::Le, R2, DATA_CAP, "sized");
    a.movi(R2, DATA_CAP);
    a.label("sized");
    a.mov(R8, R2);
    a.ldx(8, R3, FP, w(l.skb.skb_head)?);
    a.add(R3, R9);
    a.mov(R1, FP);
    a.addi(R1, r(HDR) as i32);
    a.call(read);
    a.jmp_imm(Cond::Eq, R0, 0, "emit");
    a.label("no_copy");
    a.movi(R8, 0);
    a.label("emit");
    a.stx(4, FP, r(rec::CAPLEN), R8);
    a.ld_map_fd(R1, spec.ringbuf_fd);
    a.mov(R2, FP);
    a.addi(R2, REC as i32);
    a.mov(R3, R8);
    a.addi(R3, HDR as i32);
    a.movi(R4, BPF_RB_NO_WAKEUP);
    a.call(HELPER_RINGBUF_OUTPUT);
    a.jmp_imm(Cond::Eq, R0, 0, "out");
    // The ring was full: count the loss in this CPU's slot.
    a.st(4, FP, SCRATCH, 0);
    a.ld_map_fd(R1, spec.lost_fd);
    a.mov(R2, FP);
    a.addi(R2, SCRATCH as i32);
    a.call(HELPER_MAP_LOOKUP_ELEM);
    a.jmp_imm(Cond::Eq, R0, 0, "out");
    a.ldx(8, R1, R0, 0);
    a.addi(R1, 1);
    a.stx(8, R0, 0, R1);
    a.label("out");
    a.movi(R0, 0);
    a.exit();
    a.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::bpf::asm::{LD_IMM64, check_well_formed};
    use crate::capture::bpf::btf::Kind;

    /// The layout measured on 6.18 (spec), for building without a kernel.
    pub(crate) fn layout_6_18() -> KernelLayout {
        KernelLayout {
            skb: kernel::skb_fields_6_18(),
            skb_sk: 24,
            skb_refdst: 88,
            skb_iif: 144,
            skb_transport_header: 178,
            skb_end: 188,
            shinfo_dataref: 32,
            dst_dev: 0,
            sk_net: 48,
            args: TracepointArgs {
                skb: 0,
                location: 1,
                reason: Some(2),
                count: 4,
            },
        }
    }

    #[test]
    fn program_is_well_formed_without_a_filter() {
        let l = layout_6_18();
        let p = build(&ProgramSpec {
            layout: &l,
            consumed: Some(1),
            netns_inodes: &[],
            ringbuf_fd: 5,
            lost_fd: 6,
        })
        .unwrap();
        check_well_formed(&p);
        assert!(p.len() > 100 && p.len() < 400, "{} instructions", p.len());
        // Exactly two map references, to the ring and to the lost counter.
        let fds: Vec<i32> = p
            .iter()
            .filter(|i| i.code == LD_IMM64)
            .map(|i| i.imm)
            .collect();
        assert_eq!(fds, vec![5, 6]);
        // The consumed skip is a 32-bit compare of the reason.
        assert_eq!(p[3].code, 0x16);
        assert_eq!(p[3].imm, 1);
        // No inode compares.
        assert!(!p.iter().skip(4).any(|i| i.code == 0x16));
    }

    #[test]
    fn netns_filter_uses_jmp32_for_large_inodes() {
        let l = layout_6_18();
        let inodes = [4026532317u32, 4026531840, 7];
        let p = build(&ProgramSpec {
            layout: &l,
            consumed: Some(1),
            netns_inodes: &inodes,
            ringbuf_fd: 3,
            lost_fd: 4,
        })
        .unwrap();
        check_well_formed(&p);
        let compares: Vec<u32> = p
            .iter()
            .skip(4)
            .filter(|i| i.code == 0x16)
            .map(|i| i.imm as u32)
            .collect();
        assert_eq!(compares, inodes);
        let unfiltered = build(&ProgramSpec {
            layout: &l,
            consumed: Some(1),
            netns_inodes: &[],
            ringbuf_fd: 3,
            lost_fd: 4,
        })
        .unwrap();
        // Load + one compare per inode + the jump out.
        assert_eq!(p.len(), unfiltered.len() + 1 + inodes.len() + 1);
    }

    #[test]
    fn old_kernel_without_reason_argument() {
        let mut l = layout_6_18();
        l.args.reason = None;
        l.skb.probe_read = HELPER_PROBE_READ;
        let p = build(&ProgramSpec {
            layout: &l,
            consumed: Some(1),
            netns_inodes: &[1],
            ringbuf_fd: 3,
            lost_fd: 4,
        })
        .unwrap();
        check_well_formed(&p);
        // The reason register is set to "unknown", and nothing is skipped as consumed.
        assert_eq!(p[2].code, 0xb7);
        assert_eq!(p[2].imm, REASON_UNKNOWN as i32);
        assert!(
            p.iter()
                .any(|i| i.code == 0x85 && i.imm == HELPER_PROBE_READ)
        );
        assert!(
            !p.iter()
                .any(|i| i.code == 0x85 && i.imm == HELPER_PROBE_READ_KERNEL)
        );
    }

    #[test]
    fn too_wide_a_window_is_refused() {
        let mut l = layout_6_18();
        l.skb.skb_data = 900;
        let e = build(&ProgramSpec {
            layout: &l,
            consumed: None,
            netns_inodes: &[],
            ringbuf_fd: 3,
            lost_fd: 4,
        })
        .unwrap_err();
        assert!(e.contains("span"), "{e}");
    }

    #[test]
    fn layout_from_the_running_kernel_when_present() {
        let Ok(btf) = Btf::from_sys() else {
            eprintln!("SKIPPED layout_from_the_running_kernel_when_present: no kernel BTF");
            return;
        };
        let l = KernelLayout::from_btf(&btf).expect("layout");
        let skb_size = btf
            .size_of(btf.find(Kind::Struct, "sk_buff").unwrap())
            .unwrap();
        for (name, off) in [
            ("dev", l.skb.skb_dev),
            ("len", l.skb.skb_len),
            ("data", l.skb.skb_data),
            ("tail", l.skb.skb_tail),
        ] {
            assert!(off < skb_size, "sk_buff.{name} at {off} outside {skb_size}");
        }
        // kfree_skb(skb, location, reason[, rx_sk]) since 5.17.
        assert_eq!(l.args.skb, 0);
        assert_eq!(l.args.location, 1);
        assert_eq!(l.args.reason, Some(2));
        let p = build(&ProgramSpec {
            layout: &l,
            consumed: Some(1),
            netns_inodes: &[4026531840],
            ringbuf_fd: 3,
            lost_fd: 4,
        })
        .unwrap();
        check_well_formed(&p);
    }
}
