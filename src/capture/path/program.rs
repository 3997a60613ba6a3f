//! The BPF programs on the `netif_receive_skb` (Rx) and `net_dev_start_xmit` (Tx) raw
//! tracepoints, assembled at run time with struct offsets from the kernel's BTF, and the
//! layout of the record they emit.
//!
//! Per packet: take the device (Rx: `skb->dev`, from one `probe_read` of the span of the
//! skb's fields; Tx: the tracepoint's `dev` argument) and its namespace inode; keep only
//! the scope's namespaces (u32 compares with JMP32: a 64-bit compare sign-extends the
//! immediate, so inodes above i32::MAX would never match); Tx then reads the skb's
//! fields; reserve a
//! fixed-size record in the ring (so the packet copy is not bounded by the 512-byte
//! stack), fill it, copy `min(cap, tail - start)` packet bytes straight into it, and submit
//! it without waking user space (it polls). A full ring is counted per CPU.
//!
//! Where the copy starts: on Rx the tracepoint fires after `eth_type_trans` pulled the
//! link-layer header, so `data` points at L3 and the header is at `head + mac_header`
//! (when set, and at most [`MAX_L2`] bytes before `data`); on Tx `data` points at the
//! link-layer header the device will send. Only the linear part of the skb
//! (`head`..`head + tail`) is reachable; bytes in page fragments are not copied.

use crate::capture::bpf::asm::{Asm, Cond, FP, Insn, R0, R1, R2, R3, R4, R6, R7, R8, R9};
use crate::capture::bpf::btf::Btf;
use crate::capture::bpf::classic::{self, BlockSpec, ClassicInsn};
use crate::capture::bpf::helpers;
use crate::capture::bpf::kernel::{self, Fields, SkbFields};
use crate::capture::bpf::kernel::{ARPHRD_ETHER, ARPHRD_LOOPBACK, ETH_HLEN, i16_of, i32_of};

/// Record header size; the packet bytes follow.
pub const HDR: usize = 88;
/// Most packet bytes a record carries (a 1500-byte-MTU Ethernet frame fits).
pub const MAX_CAP: u32 = 1536;
/// Packet bytes when the session gives no snap length (pktmon's default pkt-size).
pub const DEFAULT_CAP: u32 = 128;
/// Longest link-layer header taken in front of `data` on receive.
pub const MAX_L2: i32 = 64;

/// Offsets in the record header (native-endian).
pub mod rec {
    /// `bpf_ktime_get_ns` (CLOCK_MONOTONIC).
    pub const TS: usize = 0;
    pub const SKBADDR: usize = 8;
    pub const SKB_HEAD: usize = 16;
    /// `dev->nd_net.net->ns.inum`; 0 when the device has no namespace pointer.
    pub const NETNS: usize = 24;
    pub const IFINDEX: usize = 28;
    /// `dev->name`, 16 bytes, NUL-padded, read at event time.
    pub const IFNAME: usize = 32;
    pub const SKB_LEN: usize = 48;
    /// Bytes in page fragments (not copied).
    pub const DATA_LEN: usize = 52;
    /// `skb->data - skb->head`.
    pub const DATA_OFF: usize = 56;
    /// Offset from `skb->head` where the copied bytes start.
    pub const COPY_START: usize = 60;
    pub const CAPLEN: usize = 64;
    pub const MAC_HEADER: usize = 68;
    pub const NETWORK_HEADER: usize = 70;
    /// `net_device.type` (ARPHRD_*).
    pub const DEV_TYPE: usize = 72;
    /// `skb->protocol`, network byte order.
    pub const PROTOCOL: usize = 74;
    /// [`super::DIR_RX`] or [`super::DIR_TX`].
    pub const DIRECTION: usize = 76;
    /// `net.net_cookie`: unlike the inode, never reused (0 on kernels before 5.14).
    pub const NETNS_COOKIE: usize = 80;
}

pub const DIR_RX: u8 = 1;
pub const DIR_TX: u8 = 2;

pub use crate::capture::bpf::kernel::MAC_UNSET;

/// Largest skb field span read in one go.
const MAX_WINDOW: u32 = 256;

// Stack frame: scratch (8) | namespace inode (8) | namespace cookie (8) | skb window.
const SCRATCH: i16 = -8;
const NETNS_SLOT: i16 = -16;
const COOKIE_SLOT: i16 = -24;

/// The packet bytes a record carries for a session snap length (0 = as much as possible).
pub fn cap_for_snaplen(snaplen: u32) -> u32 {
    match snaplen {
        0 => MAX_CAP,
        n => n.min(MAX_CAP),
    }
}

/// Size of every record with `cap` packet bytes (the ring reserve needs a constant).
pub fn record_size(cap: u32) -> u32 {
    (HDR as u32 + cap + 7) & !7
}

/// Which tracepoint a program is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hook {
    /// `netif_receive_skb(skb)`.
    Receive,
    /// `net_dev_start_xmit(skb, dev)`.
    Transmit,
}

impl Hook {
    pub fn tracepoint(self) -> &'static str {
        match self {
            Hook::Receive => "netif_receive_skb",
            Hook::Transmit => "net_dev_start_xmit",
        }
    }

    fn direction(self) -> u8 {
        match self {
            Hook::Receive => DIR_RX,
            Hook::Transmit => DIR_TX,
        }
    }

    /// The program's name (as `bpftool prog` shows it).
    pub fn program_name(self) -> &'static str {
        match self {
            Hook::Receive => "pktmon_path_rx",
            Hook::Transmit => "pktmon_path_tx",
        }
    }
}

/// Positions of a raw tracepoint's arguments (the `u64` slots of its context).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HookArgs {
    pub skb: u32,
    /// The device argument, when the tracepoint has one (else `skb->dev` is used).
    pub dev: Option<u32>,
}

/// Byte offsets of the kernel fields the programs read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathLayout {
    /// What the drop tracer reads too.
    pub skb: SkbFields,
    pub skb_data_len: u32,
    pub dev_name: u32,
    /// `net.net_cookie`, when the kernel has it (5.14+).
    pub net_cookie: Option<u32>,
    pub rx: HookArgs,
    pub tx: HookArgs,
}

impl PathLayout {
    /// Reads the layout from BTF, checking each field has the size the programs assume.
    pub fn from_btf(btf: &Btf) -> Result<PathLayout, String> {
        let f = Fields::new(btf)?;
        let skb = f.strukt("sk_buff")?;
        let dev = f.strukt("net_device")?;
        let net = f.strukt("net")?;
        Ok(PathLayout {
            skb: SkbFields::from_btf(&f)?,
            skb_data_len: f.offset(skb, "data_len", &[4])?,
            dev_name: f.offset(dev, "name", &[16])?,
            net_cookie: f.offset(net, "net_cookie", &[8]).ok(),
            rx: hook_args(btf, Hook::Receive)?,
            tx: hook_args(btf, Hook::Transmit)?,
        })
    }

    /// The span of `sk_buff` holding every field read: (first byte, length).
    fn skb_window(&self) -> (u32, u32) {
        let mut fields = self.skb.skb_spans().to_vec();
        fields.push((self.skb_data_len, 4));
        kernel::window(&fields)
    }
}

/// Argument positions of `hook`'s tracepoint, found by type (BTF has no parameter names).
pub fn hook_args(btf: &Btf, hook: Hook) -> Result<HookArgs, String> {
    let name = hook.tracepoint();
    let spelled = kernel::tracepoint_args(btf, name)?;
    let skb = kernel::arg_position(&spelled, "struct sk_buff *")
        .ok_or_else(|| format!("{name} arguments {spelled:?} have no struct sk_buff *"))?;
    let dev = kernel::arg_position(&spelled, "struct net_device *");
    if hook == Hook::Transmit && dev.is_none() {
        return Err(format!(
            "{name} arguments {spelled:?} have no struct net_device *"
        ));
    }
    Ok(HookArgs { skb, dev })
}

/// What a program is built for.
#[derive(Clone, Debug)]
pub struct ProgramSpec<'a> {
    pub layout: &'a PathLayout,
    pub hook: Hook,
    /// Packet bytes per record, at most [`MAX_CAP`].
    pub cap: u32,
    /// Network namespace inodes to keep; empty keeps all.
    pub netns_inodes: &'a [u32],
    pub ringbuf_fd: i32,
    pub lost_fd: i32,
    /// The session's filter, run over each Ethernet record before it is submitted.
    pub filter: Option<KernelFilter<'a>>,
}

/// The session's filter in the programs: libpcap's classic program for Ethernet frames,
/// and the map of packets followed (`skb->head` of every record it accepted). A record it
/// rejects is still submitted when its buffer is followed — the packet matched where it
/// was first seen and stays followed after NAT rewrote what the filter looks at; a new
/// packet reusing a followed buffer may pass too, which only costs user space a match.
/// Records without an Ethernet header at their start (tunnels, IP devices) are not
/// filtered here.
#[derive(Clone, Copy, Debug)]
pub struct KernelFilter<'a> {
    pub program: &'a [ClassicInsn],
    /// `BPF_MAP_TYPE_LRU_HASH`, u64 key (`skb->head`), u64 value.
    pub followed_fd: i32,
}

/// Assembles one program.
pub fn build(spec: &ProgramSpec) -> Result<Vec<Insn>, String> {
    let l = spec.layout;
    if spec.cap == 0 || spec.cap > MAX_CAP {
        return Err(format!(
            "BPF program: capture length {} outside 1..={MAX_CAP}",
            spec.cap
        ));
    }
    let cap = spec.cap as i32;
    let (win_lo, win_len) = l.skb_window();
    if win_len > MAX_WINDOW {
        return Err(format!(
            "sk_buff fields span {win_len} bytes, more than the {MAX_WINDOW} the program reads"
        ));
    }
    let win = COOKIE_SLOT as i64 - ((win_len as i64 + 7) & !7);
    // Stack slot of an sk_buff field inside the window.
    let w = |off: u32| i16_of(win + off as i64 - win_lo as i64);
    let args = match spec.hook {
        Hook::Receive => l.rx,
        Hook::Transmit => l.tx,
    };
    let read = l.skb.probe_read;
    // probe_read(dst_base + dst_off, size, src_base + src_off)
    let rd = |a: &mut Asm, dst_base: u8, dst_off: i16, size: i32, src_base: u8, src_off: u32| {
        a.mov(R1, dst_base);
        a.addi(R1, dst_off as i32);
        a.movi(R2, size);
        a.mov(R3, src_base);
        a.addi(R3, i32_of(src_off)?);
        a.call(read);
        Ok::<(), String>(())
    };

    let mut a = Asm::new();
    a.mov(R6, R1);
    a.ldx(8, R7, R6, 8 * args.skb as i16);
    if let Some(dev) = args.dev {
        a.ldx(8, R8, R6, 8 * dev as i16);
    }
    // Tx has its device in hand: the namespace is checked before the sk_buff window is
    // read, so a packet outside the scope (the other end of a veth pair, the host's
    // traffic) costs the reads of its namespace only (measured: 250-290 -> 180-200 ns
    // per run). Rx finds the device in the window: reading `skb->dev` on its own first
    // cost the packets kept more than it saved the others.
    if args.dev.is_none() {
        rd(&mut a, FP, i16_of(win)?, win_len as i32, R7, win_lo)?;
        a.ldx(8, R8, FP, w(l.skb.skb_dev)?);
    }
    // No device, nothing to attribute the sighting to.
    a.jmp_imm(Cond::Eq, R8, 0, "out");

    // Namespace inode (0 when the device has no namespace pointer).
    a.st(8, FP, NETNS_SLOT, 0);
    a.st(8, FP, COOKIE_SLOT, 0);
    rd(&mut a, FP, SCRATCH, 8, R8, l.skb.dev_net)?;
    a.ldx(8, R9, FP, SCRATCH);
    a.jmp_imm(Cond::Eq, R9, 0, "have_ns");
    rd(&mut a, FP, NETNS_SLOT, 4, R9, l.skb.net_inum)?;
    a.label("have_ns");
    if !spec.netns_inodes.is_empty() {
        a.ldx(4, R1, FP, NETNS_SLOT);
        for &ino in spec.netns_inodes {
            a.jmp32_imm(Cond::Eq, R1, ino, "in_scope");
        }
        a.ja("out");
        a.label("in_scope");
    }
    if let Some(cookie) = l.net_cookie {
        a.jmp_imm(Cond::Eq, R9, 0, "have_cookie");
        rd(&mut a, FP, COOKIE_SLOT, 8, R9, cookie)?;
        a.label("have_cookie");
    }
    if args.dev.is_some() {
        rd(&mut a, FP, i16_of(win)?, win_len as i32, R7, win_lo)?;
    }

    // A record of constant size (the reserve helper needs one); CAPLEN says how much of
    // the packet area is real.
    a.ld_map_fd(R1, spec.ringbuf_fd);
    a.movi(R2, record_size(spec.cap) as i32);
    a.movi(R3, 0);
    a.call(helpers::RINGBUF_RESERVE);
    a.jmp_imm(Cond::Eq, R0, 0, "full");
    a.mov(R9, R0);

    a.call(helpers::KTIME_GET_NS);
    a.stx(8, R9, rec::TS as i16, R0);
    a.stx(8, R9, rec::SKBADDR as i16, R7);
    a.ldx(4, R1, FP, NETNS_SLOT);
    a.stx(4, R9, rec::NETNS as i16, R1);
    a.ldx(8, R1, FP, COOKIE_SLOT);
    a.stx(8, R9, rec::NETNS_COOKIE as i16, R1);
    for (off, size, at) in [
        (l.skb.skb_head, 8, rec::SKB_HEAD),
        (l.skb.skb_len, 4, rec::SKB_LEN),
        (l.skb_data_len, 4, rec::DATA_LEN),
        (l.skb.skb_mac_header, 2, rec::MAC_HEADER),
        (l.skb.skb_network_header, 2, rec::NETWORK_HEADER),
        (l.skb.skb_protocol, 2, rec::PROTOCOL),
    ] {
        a.ldx(size, R1, FP, w(off)?);
        a.stx(size, R9, at as i16, R1);
    }
    // The reserved memory is not zeroed: write every byte of the header (padding too).
    a.st(4, R9, rec::DIRECTION as i16, spec.hook.direction() as i32);
    a.st(4, R9, rec::IFINDEX as i16, 0);
    a.st(2, R9, rec::DEV_TYPE as i16, 0);
    rd(&mut a, R9, rec::IFINDEX as i16, 4, R8, l.skb.dev_ifindex)?;
    rd(&mut a, R9, rec::DEV_TYPE as i16, 2, R8, l.skb.dev_type)?;
    // probe_read zero-fills its destination when the read fails.
    rd(&mut a, R9, rec::IFNAME as i16, 16, R8, l.dev_name)?;

    // data - head, and where the copy starts (offsets from head).
    a.ldx(8, R3, FP, w(l.skb.skb_data)?);
    a.ldx(8, R1, FP, w(l.skb.skb_head)?);
    a.sub(R3, R1);
    a.stx(4, R9, rec::DATA_OFF as i16, R3);
    if spec.hook == Hook::Receive {
        // The link-layer header, when mac_header is set and sits a little before data.
        a.ldx(2, R2, FP, w(l.skb.skb_mac_header)?);
        a.jmp_imm(Cond::Eq, R2, MAC_UNSET as i32, "have_start");
        a.jmp_reg(Cond::Ge, R2, R3, "have_start");
        a.mov(R4, R3);
        a.sub(R4, R2);
        a.jmp_imm(Cond::Gt, R4, MAX_L2, "have_start");
        a.mov(R3, R2);
        a.label("have_start");
    }
    a.stx(4, R9, rec::COPY_START as i16, R3);
    // caplen = min(cap, tail - start), nothing when tail <= start.
    a.mov(R8, R3);
    a.ldx(4, R2, FP, w(l.skb.skb_tail)?);
    a.sub(R2, R3);
    a.jmp_imm(Cond::Sle, R2, 0, "no_copy");
    a.jmp_imm(Cond::Le, R2, cap, "sized");
    a.movi(R2, cap);
    a.label("sized");
    a.mov(R7, R2);
    a.ldx(8, R3, FP, w(l.skb.skb_head)?);
    a.add(R3, R8);
    a.mov(R1, R9);
    a.addi(R1, HDR as i32);
    a.call(read);
    a.jmp_imm(Cond::Eq, R0, 0, "submit");
    a.label("no_copy");
    a.movi(R7, 0);
    a.label("submit");
    a.stx(4, R9, rec::CAPLEN as i16, R7);
    if let Some(filter) = spec.filter {
        kernel_filter(&mut a, spec, filter, i16_of(win - 64)?)?;
    }
    a.mov(R1, R9);
    a.movi(R2, helpers::BPF_RB_NO_WAKEUP);
    a.call(helpers::RINGBUF_SUBMIT);
    a.ja("out");

    // The ring was full: count the loss in this CPU's slot.
    a.label("full");
    a.st(4, FP, SCRATCH, 0);
    a.ld_map_fd(R1, spec.lost_fd);
    a.mov(R2, FP);
    a.addi(R2, SCRATCH as i32);
    a.call(helpers::MAP_LOOKUP_ELEM);
    a.jmp_imm(Cond::Eq, R0, 0, "out");
    a.ldx(8, R1, R0, 0);
    a.addi(R1, 1);
    a.stx(8, R0, 0, R1);
    a.label("out");
    a.movi(R0, 0);
    a.exit();
    a.finish()
}

/// Runs the session's filter over the record in R9 (R7 bytes present): an Ethernet record
/// it rejects is discarded unless its buffer is followed; one it accepts makes its buffer
/// followed. Falls through to the submit with R9 intact.
fn kernel_filter(
    a: &mut Asm,
    spec: &ProgramSpec,
    filter: KernelFilter,
    scratch_offset: i16,
) -> Result<(), String> {
    let block = classic::translate(
        filter.program,
        &BlockSpec {
            packet_offset: HDR as i16,
            cap: spec.cap,
            scratch_offset,
        },
    )
    .map_err(|e| e.to_string())?;
    // Only records that start with an Ethernet header (what sighting.rs calls Ethernet).
    a.ldx(2, R1, R9, rec::DEV_TYPE as i16);
    a.jmp_imm(Cond::Eq, R1, i32::from(ARPHRD_ETHER), "ether");
    a.jmp_imm(Cond::Ne, R1, i32::from(ARPHRD_LOOPBACK), "keep");
    a.label("ether");
    // The frame's length: skb->len plus the header bytes copied in front of data.
    a.ldx(4, R6, R9, rec::SKB_LEN as i16);
    a.ldx(4, R1, R9, rec::DATA_OFF as i16);
    a.ldx(4, R2, R9, rec::COPY_START as i16);
    a.sub(R1, R2);
    if spec.hook == Hook::Receive {
        a.jmp_imm(Cond::Ne, R1, ETH_HLEN as i32, "keep");
    }
    a.add(R6, R1);
    a.block(&block);
    // The buffer's address as map key, on the stack.
    a.ldx(8, R1, R9, rec::SKB_HEAD as i16);
    a.stx(8, FP, SCRATCH, R1);
    a.jmp_imm(Cond::Ne, R0, 0, "follow");
    a.ld_map_fd(R1, filter.followed_fd);
    a.mov(R2, FP);
    a.addi(R2, SCRATCH as i32);
    a.call(helpers::MAP_LOOKUP_ELEM);
    a.jmp_imm(Cond::Ne, R0, 0, "keep");
    a.mov(R1, R9);
    a.movi(R2, 0);
    a.call(helpers::RINGBUF_DISCARD);
    a.ja("out");
    a.label("follow");
    a.ld_map_fd(R1, filter.followed_fd);
    a.mov(R2, FP);
    a.addi(R2, SCRATCH as i32);
    a.mov(R3, R2);
    a.movi(R4, helpers::BPF_ANY);
    a.call(helpers::MAP_UPDATE_ELEM);
    a.label("keep");
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::capture::bpf::asm::{LD_IMM64, check_well_formed};

    /// The layout measured on 6.18 (spec), for building without a kernel.
    pub(crate) fn layout_6_18() -> PathLayout {
        PathLayout {
            skb: kernel::skb_fields_6_18(),
            skb_data_len: 116,
            dev_name: 280,
            net_cookie: Some(4160),
            rx: HookArgs { skb: 0, dev: None },
            tx: HookArgs {
                skb: 0,
                dev: Some(1),
            },
        }
    }

    fn spec<'a>(l: &'a PathLayout, hook: Hook, inodes: &'a [u32]) -> ProgramSpec<'a> {
        ProgramSpec {
            layout: l,
            hook,
            cap: DEFAULT_CAP,
            netns_inodes: inodes,
            ringbuf_fd: 5,
            lost_fd: 6,
            filter: None,
        }
    }

    fn calls(p: &[Insn], helper: i32) -> usize {
        p.iter()
            .filter(|i| i.code == 0x85 && i.imm == helper)
            .count()
    }

    #[test]
    fn record_layout_constants() {
        // Fields in order, naturally aligned, not overlapping, all inside the header.
        let fields = [
            (rec::TS, 8),
            (rec::SKBADDR, 8),
            (rec::SKB_HEAD, 8),
            (rec::NETNS, 4),
            (rec::IFINDEX, 4),
            (rec::IFNAME, 16),
            (rec::SKB_LEN, 4),
            (rec::DATA_LEN, 4),
            (rec::DATA_OFF, 4),
            (rec::COPY_START, 4),
            (rec::CAPLEN, 4),
            (rec::MAC_HEADER, 2),
            (rec::NETWORK_HEADER, 2),
            (rec::DEV_TYPE, 2),
            (rec::PROTOCOL, 2),
            (rec::DIRECTION, 4),
            (rec::NETNS_COOKIE, 8),
        ];
        let mut end = 0;
        for (at, size) in fields {
            assert_eq!(at, end, "field at {at} leaves a gap or overlaps");
            assert_eq!(at % size.min(8), 0, "field at {at} misaligned");
            end = at + size;
        }
        assert_eq!(end, HDR);
        assert_eq!(HDR % 8, 0);
        assert_eq!(record_size(128), 216);
        assert_eq!(record_size(1), 96);
        assert_eq!(cap_for_snaplen(0), MAX_CAP);
        assert_eq!(cap_for_snaplen(128), 128);
        assert_eq!(cap_for_snaplen(65535), MAX_CAP);
    }

    #[test]
    fn both_programs_are_well_formed() {
        let l = layout_6_18();
        for hook in [Hook::Receive, Hook::Transmit] {
            let p = build(&spec(&l, hook, &[])).unwrap();
            check_well_formed(&p);
            assert!(p.len() > 60 && p.len() < 200, "{hook:?}: {}", p.len());
            // The ring (reserve), then the loss counter.
            let fds: Vec<i32> = p
                .iter()
                .filter(|i| i.code == LD_IMM64)
                .map(|i| i.imm)
                .collect();
            assert_eq!(fds, vec![5, 6]);
            assert_eq!(calls(&p, helpers::RINGBUF_RESERVE), 1);
            assert_eq!(calls(&p, helpers::RINGBUF_SUBMIT), 1);
            assert_eq!(calls(&p, helpers::RINGBUF_OUTPUT), 0);
            // The reserve asks for a constant: mov r2, record_size just before it.
            let at = p
                .iter()
                .position(|i| i.code == 0x85 && i.imm == helpers::RINGBUF_RESERVE)
                .unwrap();
            assert_eq!(p[at - 2].code, 0xb7);
            assert_eq!(p[at - 2].imm, record_size(DEFAULT_CAP) as i32);
            // The submit does not wake user space.
            let at = p
                .iter()
                .position(|i| i.code == 0x85 && i.imm == helpers::RINGBUF_SUBMIT)
                .unwrap();
            assert_eq!(p[at - 1].imm, helpers::BPF_RB_NO_WAKEUP);
            // No inode compares without a scope.
            assert!(!p.iter().any(|i| i.code == 0x16));
        }
        // Tx takes the device from its argument, Rx from the skb: Rx has the mac_header
        // logic instead.
        let rx = build(&spec(&l, Hook::Receive, &[])).unwrap();
        let tx = build(&spec(&l, Hook::Transmit, &[])).unwrap();
        assert_eq!(tx[2].code, 0x79, "ldx dw r8 = ctx[dev]");
        assert_eq!(tx[2].off, 8);
        assert!(rx.len() > tx.len());
    }

    #[test]
    fn netns_filter_uses_jmp32_for_large_inodes() {
        let l = layout_6_18();
        let inodes = [4026532317u32, 4026531840, 7];
        for hook in [Hook::Receive, Hook::Transmit] {
            let p = build(&spec(&l, hook, &inodes)).unwrap();
            check_well_formed(&p);
            let compares: Vec<u32> = p
                .iter()
                .filter(|i| i.code == 0x16)
                .map(|i| i.imm as u32)
                .collect();
            assert_eq!(compares, inodes);
            let unfiltered = build(&spec(&l, hook, &[])).unwrap();
            // Load + one compare per inode + the jump out.
            assert_eq!(p.len(), unfiltered.len() + 1 + inodes.len() + 1);
            // Tx checks the namespace before it reads the sk_buff window; Rx finds the
            // device in the window.
            let (_, win_len) = l.skb_window();
            let window_read = p
                .iter()
                .position(|i| i.code == 0xb7 && i.dst() == R2 && i.imm == win_len as i32)
                .unwrap();
            let first_compare = p.iter().position(|i| i.code == 0x16).unwrap();
            assert_eq!(first_compare < window_read, hook == Hook::Transmit);
        }
    }

    #[test]
    fn capture_length_is_bounded_and_used() {
        let l = layout_6_18();
        let mut s = spec(&l, Hook::Receive, &[]);
        s.cap = 0;
        assert!(build(&s).is_err());
        s.cap = MAX_CAP + 1;
        assert!(build(&s).is_err());
        s.cap = MAX_CAP;
        let p = build(&s).unwrap();
        check_well_formed(&p);
        // The copy length is clamped to the cap with a compare against it.
        assert!(p.iter().any(|i| i.code == 0xb5 && i.imm == MAX_CAP as i32));
        assert!(
            p.iter()
                .any(|i| i.code == 0xb7 && i.imm == record_size(MAX_CAP) as i32)
        );
    }

    #[test]
    fn a_kernel_filter_discards_or_follows_before_the_submit() {
        let l = layout_6_18();
        let program = crate::capture::bpf::classic::compile("udp port 53").unwrap();
        for hook in [Hook::Receive, Hook::Transmit] {
            let mut s = spec(&l, hook, &[]);
            s.filter = Some(KernelFilter {
                program: &program,
                followed_fd: 9,
            });
            let p = build(&s).unwrap();
            check_well_formed(&p);
            assert_eq!(calls(&p, helpers::RINGBUF_DISCARD), 1);
            assert_eq!(calls(&p, helpers::MAP_UPDATE_ELEM), 1);
            // The ring's reservation, the followed map twice, the loss counter.
            let fds: Vec<i32> = p
                .iter()
                .filter(|i| i.code == LD_IMM64)
                .map(|i| i.imm)
                .collect();
            assert_eq!(fds, vec![5, 9, 9, 6]);
            let unfiltered = build(&spec(&l, hook, &[])).unwrap();
            assert!(p.len() > unfiltered.len() + 20);
        }
    }

    #[test]
    fn too_wide_a_window_is_refused() {
        let mut l = layout_6_18();
        l.skb.skb_data = 900;
        let e = build(&spec(&l, Hook::Transmit, &[])).unwrap_err();
        assert!(e.contains("span"), "{e}");
    }

    #[test]
    fn layout_from_the_running_kernel_when_present() {
        let Ok(btf) = Btf::from_sys() else {
            eprintln!("SKIPPED layout_from_the_running_kernel_when_present: no kernel BTF");
            return;
        };
        let l = PathLayout::from_btf(&btf).expect("layout");
        assert_eq!(l.rx, HookArgs { skb: 0, dev: None });
        assert_eq!(
            l.tx,
            HookArgs {
                skb: 0,
                dev: Some(1)
            }
        );
        for hook in [Hook::Receive, Hook::Transmit] {
            let p = build(&spec(&l, hook, &[4026531840])).unwrap();
            check_well_formed(&p);
        }
    }
}
