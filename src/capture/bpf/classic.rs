//! The session's filters in the kernel for the tracepoint source: libpcap compiles the
//! prefilter expression (`filter::bpf`) to classic BPF, as it does for a capture handle,
//! and this module translates that program into an eBPF block the path programs run over
//! the bytes they just copied into their ring record (peers do the same: pwru and retis
//! translate libpcap's output to eBPF).
//!
//! The block keeps classic BPF's meaning exactly — a load past the bytes present rejects,
//! a division by zero rejects, ALU and compares are 32-bit — so the kernel part accepts a
//! frame exactly when libpcap's program does (the property test in
//! `tests/filter_prefilter.rs` runs both over the same frames), and libpcap's program
//! never rejects what the user-space matcher accepts.
//!
//! Registers: the block reads the record from [`RECORD`] (packet bytes at `packet_offset`),
//! the bytes present from [`CAPLEN`] and the frame's length from [`WIRE_LEN`]; it leaves
//! the program's return value (0 = reject) in R0 and clobbers R1–R5. Classic BPF's
//! scratch memory lives in 16 stack words from `scratch_offset`.

use super::asm::{FP, Insn, R0, R2, R3, R4, R6, R7, R9};
use std::fmt;

/// The record pointer (a ring buffer reservation).
pub const RECORD: u8 = R9;
/// Packet bytes present in the record (at most the block's `cap`).
pub const CAPLEN: u8 = R7;
/// The frame's length on the wire (classic BPF's `len`).
pub const WIRE_LEN: u8 = R6;
const A: u8 = R2;
const X: u8 = R3;
const T: u8 = R4;
const U: u8 = 5;

/// One classic BPF instruction (`struct sock_filter` / libpcap's `struct bpf_insn`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassicInsn {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// Why a classic program cannot run in the kernel block (the session then filters in
/// user space only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClassicError {
    /// libpcap refused the expression.
    Compile(String),
    /// An instruction the translation does not handle (Linux ancillary loads, an
    /// unknown opcode).
    Unsupported { at: usize, code: u16, k: u32 },
    /// A jump beyond the program's end.
    BadJump { at: usize },
    /// The translated block is too long for 16-bit jump offsets.
    TooLong,
}

impl fmt::Display for ClassicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassicError::Compile(why) => write!(f, "libpcap cannot compile the filter: {why}"),
            ClassicError::Unsupported { at, code, k } => write!(
                f,
                "classic BPF instruction {at} (code {code:#06x}, k {k:#x}) has no translation"
            ),
            ClassicError::BadJump { at } => {
                write!(f, "classic BPF jump at {at} leaves the program")
            }
            ClassicError::TooLong => write!(f, "the translated filter is too long"),
        }
    }
}

impl std::error::Error for ClassicError {}

/// The prefilter expression compiled by libpcap for Ethernet frames.
pub fn compile(expression: &str) -> Result<Vec<ClassicInsn>, ClassicError> {
    let dead = pcap::Capture::dead(pcap::Linktype::ETHERNET)
        .map_err(|e| ClassicError::Compile(e.to_string()))?;
    // As the libpcap backend attaches it.
    let program =
        crate::capture::pcap::optimized_or_plain(|optimize| dead.compile(expression, optimize))
            .map_err(|e| ClassicError::Compile(e.to_string()))?;
    Ok(program
        .get_instructions()
        .iter()
        // SAFETY: `BpfInstruction` is `#[repr(transparent)]` over libpcap's `struct
        // bpf_insn` { u16 code; u8 jt; u8 jf; u32 k }, which `ClassicInsn` mirrors.
        .map(|i| unsafe { *(i as *const pcap::BpfInstruction as *const ClassicInsn) })
        .collect())
}

/// Where the block finds what it needs.
#[derive(Clone, Copy, Debug)]
pub struct BlockSpec {
    /// Offset of the packet bytes in the record.
    pub packet_offset: i16,
    /// Packet bytes the record can hold: loads beyond are rejected without reading.
    pub cap: u32,
    /// Stack offset (from the frame pointer) of 16 words of scratch memory.
    pub scratch_offset: i16,
}

// Classic BPF opcode fields.
const CLASS_LD: u16 = 0x00;
const CLASS_LDX: u16 = 0x01;
const CLASS_ST: u16 = 0x02;
const CLASS_STX: u16 = 0x03;
const CLASS_ALU: u16 = 0x04;
const CLASS_JMP: u16 = 0x05;
const CLASS_RET: u16 = 0x06;
const CLASS_MISC: u16 = 0x07;
const MODE_IMM: u16 = 0x00;
const MODE_ABS: u16 = 0x20;
const MODE_IND: u16 = 0x40;
const MODE_MEM: u16 = 0x60;
const MODE_LEN: u16 = 0x80;
const MODE_MSH: u16 = 0xa0;
const SRC_X: u16 = 0x08;
const OP_DIV: u16 = 0x30;
const OP_MOD: u16 = 0x90;
const OP_NEG: u16 = 0x80;

// eBPF opcodes the block uses.
const ALU32: u8 = 0x04;
const MOV32_IMM: u8 = 0xb4;
const MOV32_REG: u8 = 0xbc;
const MOV64_REG: u8 = 0xbf;
const ADD64_IMM: u8 = 0x07;
const ADD64_REG: u8 = 0x0f;
const AND32_IMM: u8 = 0x54;
const LSH32_IMM: u8 = 0x64;
const TO_BE: u8 = 0xdc;
const LDX_MEM: u8 = 0x61;
const STX_MEM_W: u8 = 0x63;
const ST_MEM_W: u8 = 0x62;
const JA: u8 = 0x05;
const JMP32: u8 = 0x06;
const JGT_IMM: u8 = 0x25;
const JGT_REG: u8 = 0x2d;

/// Where a jump of the block goes.
#[derive(Clone, Copy)]
enum Target {
    /// The translation of a classic instruction.
    Classic(usize),
    /// Out of the block with R0 = 0.
    Reject,
    /// Out of the block (R0 set).
    End,
}

struct Block {
    insns: Vec<Insn>,
    fixups: Vec<(usize, Target)>,
}

impl Block {
    fn op(&mut self, code: u8, dst: u8, src: u8, off: i16, imm: i32) {
        self.insns.push(Insn::new(code, dst, src, off, imm));
    }
    fn jump(&mut self, code: u8, dst: u8, src: u8, imm: i32, to: Target) {
        self.fixups.push((self.insns.len(), to));
        self.op(code, dst, src, 0, imm);
    }
}

fn size_of_load(code: u16) -> Option<(u8, i32)> {
    // (eBPF size bits, bytes)
    match code & 0x18 {
        0x00 => Some((0x00, 4)),
        0x08 => Some((0x08, 2)),
        0x10 => Some((0x10, 1)),
        _ => None,
    }
}

/// Translates a classic program into a self-contained eBPF block (jumps stay inside it;
/// control leaves at its end with the result in R0).
pub fn translate(prog: &[ClassicInsn], spec: &BlockSpec) -> Result<Vec<Insn>, ClassicError> {
    let mut b = Block {
        insns: Vec::new(),
        fixups: Vec::new(),
    };
    let scratch = |k: u32| spec.scratch_offset + 4 * k as i16;
    // Classic BPF starts with A = X = 0; scratch words are zeroed so that the verifier
    // never sees an uninitialised stack read.
    b.op(MOV32_IMM, A, 0, 0, 0);
    b.op(MOV32_IMM, X, 0, 0, 0);
    for k in 0..16 {
        b.op(ST_MEM_W, FP, 0, scratch(k), 0);
    }
    let mut starts = Vec::with_capacity(prog.len());
    for (at, i) in prog.iter().enumerate() {
        starts.push(b.insns.len());
        let unsupported = || ClassicError::Unsupported {
            at,
            code: i.code,
            k: i.k,
        };
        let k = i.k as i32;
        let class = i.code & 0x07;
        match class {
            CLASS_LD | CLASS_LDX => {
                let dst = if class == CLASS_LD { A } else { X };
                match (class, i.code & 0xe0) {
                    (_, MODE_IMM) => b.op(MOV32_IMM, dst, 0, 0, k),
                    (_, MODE_MEM) if i.k < 16 => b.op(LDX_MEM, dst, FP, scratch(i.k), 0),
                    (_, MODE_LEN) => b.op(MOV32_REG, dst, WIRE_LEN, 0, 0),
                    (CLASS_LD, MODE_ABS) => {
                        let (bits, n) = size_of_load(i.code).ok_or_else(unsupported)?;
                        // Linux ancillary data (k >= SKF_AD_OFF) is not packet bytes.
                        let end = u64::from(i.k) + n as u64;
                        if end > u64::from(spec.cap) {
                            b.jump(JA, 0, 0, 0, Target::Reject);
                            continue;
                        }
                        // Fewer bytes present than the load needs: reject.
                        b.jump(JMP32 | 0xa0, CAPLEN, 0, end as i32, Target::Reject);
                        load(&mut b, bits, n, A, RECORD, spec.packet_offset + i.k as i16);
                    }
                    (CLASS_LD, MODE_IND) => {
                        let (bits, n) = size_of_load(i.code).ok_or_else(unsupported)?;
                        if i.k > i32::MAX as u32 || spec.cap < n as u32 {
                            return Err(unsupported());
                        }
                        // T = X + k, bounded by the record for the verifier, then by the
                        // bytes present.
                        b.op(MOV32_REG, T, X, 0, 0);
                        b.op(ADD64_IMM, T, 0, 0, k);
                        b.jump(JGT_IMM, T, 0, spec.cap as i32 - n, Target::Reject);
                        b.op(MOV64_REG, U, T, 0, 0);
                        b.op(ADD64_IMM, U, 0, 0, n);
                        b.jump(JGT_REG, U, CAPLEN, 0, Target::Reject);
                        b.op(MOV64_REG, U, RECORD, 0, 0);
                        b.op(ADD64_REG, U, T, 0, 0);
                        load(&mut b, bits, n, A, U, spec.packet_offset);
                    }
                    (CLASS_LDX, MODE_MSH) if i.code & 0x18 == 0x10 => {
                        let end = u64::from(i.k) + 1;
                        if end > u64::from(spec.cap) {
                            b.jump(JA, 0, 0, 0, Target::Reject);
                            continue;
                        }
                        b.jump(JMP32 | 0xa0, CAPLEN, 0, end as i32, Target::Reject);
                        load(&mut b, 0x10, 1, X, RECORD, spec.packet_offset + i.k as i16);
                        b.op(AND32_IMM, X, 0, 0, 0x0f);
                        b.op(LSH32_IMM, X, 0, 0, 2);
                    }
                    _ => return Err(unsupported()),
                }
            }
            CLASS_ST | CLASS_STX if i.k < 16 => {
                let src = if class == CLASS_ST { A } else { X };
                b.op(STX_MEM_W, FP, src, scratch(i.k), 0);
            }
            CLASS_ALU => {
                let op = (i.code & 0xf0) as u8;
                if op > 0xa0 {
                    return Err(unsupported());
                }
                if i.code & 0xf0 == OP_NEG {
                    b.op(ALU32 | op, A, 0, 0, 0);
                } else if i.code & SRC_X != 0 {
                    if matches!(i.code & 0xf0, OP_DIV | OP_MOD) {
                        b.jump(JMP32 | 0x10, X, 0, 0, Target::Reject);
                    }
                    b.op(ALU32 | op | 0x08, A, X, 0, 0);
                } else {
                    if matches!(i.code & 0xf0, OP_DIV | OP_MOD) && i.k == 0 {
                        b.jump(JA, 0, 0, 0, Target::Reject);
                        continue;
                    }
                    b.op(ALU32 | op, A, 0, 0, k);
                }
            }
            CLASS_JMP => {
                let next = at + 1;
                let target = |off: u32| {
                    let t = next + off as usize;
                    if t >= prog.len() {
                        Err(ClassicError::BadJump { at })
                    } else {
                        Ok(Target::Classic(t))
                    }
                };
                let op = (i.code & 0xf0) as u8;
                if op == 0x00 {
                    b.jump(JA, 0, 0, 0, target(i.k)?);
                    continue;
                }
                if !matches!(op, 0x10 | 0x20 | 0x30 | 0x40) {
                    return Err(unsupported());
                }
                let (src, imm, x) = if i.code & SRC_X != 0 {
                    (X, 0, 0x08)
                } else {
                    (0, k, 0x00)
                };
                b.jump(JMP32 | op | x, A, src, imm, target(u32::from(i.jt))?);
                if i.jf != 0 {
                    b.jump(JA, 0, 0, 0, target(u32::from(i.jf))?);
                }
            }
            CLASS_RET => {
                match i.code & 0x18 {
                    0x00 => b.op(MOV32_IMM, R0, 0, 0, k),
                    0x08 => b.op(MOV32_REG, R0, X, 0, 0),
                    0x10 => b.op(MOV32_REG, R0, A, 0, 0),
                    _ => return Err(unsupported()),
                }
                b.jump(JA, 0, 0, 0, Target::End);
            }
            CLASS_MISC => match i.code & 0xf8 {
                0x00 => b.op(MOV32_REG, X, A, 0, 0),
                0x80 => b.op(MOV32_REG, A, X, 0, 0),
                _ => return Err(unsupported()),
            },
            _ => return Err(unsupported()),
        }
    }
    // Falling off the end (libpcap never does) rejects.
    let reject = b.insns.len();
    b.op(MOV32_IMM, R0, 0, 0, 0);
    let end = b.insns.len();
    for &(at, to) in &b.fixups {
        let target = match to {
            Target::Classic(i) => starts[i],
            Target::Reject => reject,
            Target::End => end,
        };
        let rel =
            i16::try_from(target as i64 - at as i64 - 1).map_err(|_| ClassicError::TooLong)?;
        b.insns[at].off = rel;
    }
    Ok(b.insns)
}

/// A big-endian load of `n` bytes at `base + off` into `dst` (zero-extended).
fn load(b: &mut Block, bits: u8, n: i32, dst: u8, base: u8, off: i16) {
    b.op(LDX_MEM | bits, dst, base, off, 0);
    if n > 1 {
        b.op(TO_BE, dst, 0, 0, n * 8);
    }
}

/// Runs a translated block over a record, as the kernel would (for tests: the block is
/// checked against libpcap's own interpreter on the same frames). `record` holds the
/// packet bytes at the spec's offset; returns R0.
pub fn run_block(block: &[Insn], record: &[u8], caplen: u32, wire_len: u32) -> u32 {
    const STACK: u64 = 1 << 40;
    let mut stack = [0u8; 512];
    let mut r = [0u64; 11];
    r[RECORD as usize] = 0;
    r[CAPLEN as usize] = u64::from(caplen);
    r[WIRE_LEN as usize] = u64::from(wire_len);
    r[FP as usize] = STACK + 512;
    let mut pc = 0usize;
    while pc < block.len() {
        let i = block[pc];
        pc += 1;
        let (d, s) = (i.dst() as usize, i.src() as usize);
        let imm = i.imm as i64 as u64;
        let class = i.code & 0x07;
        match class {
            0x04 | 0x07 => {
                let src = if i.code & 0x08 != 0 { r[s] } else { imm };
                let op = i.code & 0xf0;
                if op == 0xd0 {
                    r[d] = match i.imm {
                        16 => u64::from((r[d] as u16).swap_bytes()),
                        32 => u64::from((r[d] as u32).swap_bytes()),
                        _ => r[d].swap_bytes(),
                    };
                    continue;
                }
                let (a, bv) = if class == 0x04 {
                    (r[d] & 0xffff_ffff, src & 0xffff_ffff)
                } else {
                    (r[d], src)
                };
                let v = match op {
                    0x00 => a.wrapping_add(bv),
                    0x10 => a.wrapping_sub(bv),
                    0x20 => a.wrapping_mul(bv),
                    0x30 => a.checked_div(bv).unwrap_or(0),
                    0x40 => a | bv,
                    0x50 => a & bv,
                    0x60 => a.wrapping_shl(bv as u32),
                    0x70 => a.wrapping_shr(bv as u32),
                    0x80 => a.wrapping_neg(),
                    0x90 => a.checked_rem(bv).unwrap_or(a),
                    0xa0 => a ^ bv,
                    0xb0 => bv,
                    _ => panic!("ALU op {op:#x} not modelled"),
                };
                r[d] = if class == 0x04 { v & 0xffff_ffff } else { v };
            }
            0x01..=0x03 => {
                let n = match i.code & 0x18 {
                    0x00 => 4,
                    0x08 => 2,
                    0x10 => 1,
                    _ => 8,
                };
                let base = if class == 0x01 { r[s] } else { r[d] };
                let addr = base.wrapping_add(i.off as i64 as u64);
                let mem: &mut [u8] = if addr >= STACK {
                    &mut stack[(addr - STACK) as usize..]
                } else {
                    // The block only reads the record.
                    assert_eq!(class, 0x01, "store into the record");
                    let a = addr as usize;
                    assert!(a + n <= record.len(), "read past the record at {a}");
                    let mut v = [0u8; 8];
                    v[..n].copy_from_slice(&record[a..a + n]);
                    r[d] = u64::from_le_bytes(v);
                    continue;
                };
                if class == 0x01 {
                    let mut v = [0u8; 8];
                    v[..n].copy_from_slice(&mem[..n]);
                    r[d] = u64::from_le_bytes(v);
                } else {
                    let v = if class == 0x02 { imm } else { r[s] };
                    mem[..n].copy_from_slice(&v.to_le_bytes()[..n]);
                }
            }
            0x05 | 0x06 => {
                let op = i.code & 0xf0;
                let src = if i.code & 0x08 != 0 { r[s] } else { imm };
                let (a, bv) = if class == 0x06 {
                    (r[d] & 0xffff_ffff, src & 0xffff_ffff)
                } else {
                    (r[d], src)
                };
                let taken = match op {
                    0x00 => true,
                    0x10 => a == bv,
                    0x20 => a > bv,
                    0x30 => a >= bv,
                    0x40 => a & bv != 0,
                    0x50 => a != bv,
                    0xa0 => a < bv,
                    0xb0 => a <= bv,
                    _ => panic!("jump op {op:#x} not modelled"),
                };
                if taken {
                    pc = (pc as i64 + i64::from(i.off)) as usize;
                }
            }
            _ => panic!("class {class:#x} not modelled"),
        }
    }
    r[0] as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: BlockSpec = BlockSpec {
        packet_offset: 88,
        cap: 128,
        scratch_offset: -400,
    };

    fn record(frame: &[u8]) -> Vec<u8> {
        let mut r = vec![0u8; 88 + SPEC.cap as usize];
        let n = frame.len().min(SPEC.cap as usize);
        r[88..88 + n].copy_from_slice(&frame[..n]);
        r
    }

    fn udp(dport: u16, len: usize) -> Vec<u8> {
        let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        f.extend_from_slice(&[
            0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
        ]);
        f.extend_from_slice(&[0x30, 0x39]);
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&[0, 8, 0, 0]);
        f.truncate(len);
        f
    }

    fn accepts(expr: &str, frame: &[u8]) -> bool {
        let prog = compile(expr).unwrap();
        let block = translate(&prog, &SPEC).unwrap();
        let caplen = frame.len().min(SPEC.cap as usize) as u32;
        run_block(&block, &record(frame), caplen, frame.len() as u32) != 0
    }

    #[test]
    fn ports_addresses_and_headers_of_any_length() {
        let f = udp(53, 64);
        assert!(accepts("udp port 53", &f));
        assert!(!accepts("udp port 54", &f));
        assert!(accepts("ip host 10.0.0.2 and udp dst port 53", &f));
        assert!(!accepts("tcp", &f));
        // A port behind IP options: the load indexed by the header length (MSH, IND).
        let mut opt = f.clone();
        opt[14] = 0x48;
        opt.splice(34..34, [1; 12]);
        assert!(accepts("udp dst port 53", &opt));
        assert!(!accepts("udp dst port 54", &opt));
    }

    #[test]
    fn a_frame_cut_before_what_the_filter_reads_is_rejected() {
        // The ports are at 34..38: 35 bytes hold half of one.
        let f = udp(53, 35);
        assert!(!accepts("udp dst port 53", &f));
        assert!(accepts("ip", &f));
        assert!(accepts("greater 30", &f));
        assert!(!accepts("greater 40", &f));
        assert!(accepts("less 35", &f));
        assert!(!accepts("less 34", &f));
    }

    #[test]
    fn loads_beyond_the_record_reject_and_unknown_codes_are_refused() {
        let p = [ClassicInsn {
            code: 0x20,
            jt: 0,
            jf: 0,
            k: 0xffff_f000,
        }];
        // Beyond the record: rejected statically (libpcap would read past the frame).
        let b = translate(&p, &SPEC).unwrap();
        assert_eq!(run_block(&b, &record(&udp(1, 60)), 60, 60), 0);
        let bad = [ClassicInsn {
            code: 0xe0,
            jt: 0,
            jf: 0,
            k: 0,
        }];
        assert!(matches!(
            translate(&bad, &SPEC),
            Err(ClassicError::Unsupported { at: 0, .. })
        ));
        let jump = [ClassicInsn {
            code: 0x05,
            jt: 0,
            jf: 0,
            k: 5,
        }];
        assert_eq!(
            translate(&jump, &SPEC),
            Err(ClassicError::BadJump { at: 0 })
        );
    }
}
