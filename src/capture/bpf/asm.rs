//! A tiny eBPF assembler: the instructions the tracers' programs need, with named labels
//! for jumps (patched in `finish`).

/// `struct bpf_insn`: opcode, dst/src registers (4 bits each), offset, immediate.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Insn {
    pub code: u8,
    pub regs: u8,
    pub off: i16,
    pub imm: i32,
}

impl Insn {
    pub fn new(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> Insn {
        Insn {
            code,
            regs: (src << 4) | (dst & 0x0f),
            off,
            imm,
        }
    }
    pub fn dst(self) -> u8 {
        self.regs & 0x0f
    }
    pub fn src(self) -> u8 {
        self.regs >> 4
    }
    pub fn class(self) -> u8 {
        self.code & 0x07
    }
    /// A jump with a target (not call/exit).
    pub fn is_jump(self) -> bool {
        matches!(self.class(), CLASS_JMP | CLASS_JMP32)
            && !matches!(self.code & 0xf0, OP_CALL | OP_EXIT)
    }
    /// First half of a 16-byte `ld_imm64`.
    pub fn is_ld_imm64(self) -> bool {
        self.code == LD_IMM64
    }
}

pub const CLASS_JMP: u8 = 0x05;
pub const CLASS_JMP32: u8 = 0x06;
pub const OP_CALL: u8 = 0x80;
pub const OP_EXIT: u8 = 0x90;
pub const LD_IMM64: u8 = 0x18;
pub const EXIT: u8 = 0x95;

// ALU64 (class 0x07): op | source (K = 0, X = 0x08) | class.
const MOV64_IMM: u8 = 0xb7;
const MOV64_REG: u8 = 0xbf;
const ADD64_IMM: u8 = 0x07;
const ADD64_REG: u8 = 0x0f;
const SUB64_REG: u8 = 0x1f;
const AND64_IMM: u8 = 0x57;
// Memory: mode MEM (0x60) | size (W 0x00, H 0x08, B 0x10, DW 0x18) | class.
const LDX: u8 = 0x61;
const STX: u8 = 0x63;
const ST: u8 = 0x62;
// Jumps (class JMP 0x05, JMP32 0x06).
const JA: u8 = 0x05;
const CALL: u8 = 0x85;

/// Register numbers.
pub const R0: u8 = 0;
pub const R1: u8 = 1;
pub const R2: u8 = 2;
pub const R3: u8 = 3;
pub const R4: u8 = 4;
pub const R6: u8 = 6;
pub const R7: u8 = 7;
pub const R8: u8 = 8;
pub const R9: u8 = 9;
/// The read-only frame pointer.
pub const FP: u8 = 10;

/// Conditions for conditional jumps.
#[derive(Clone, Copy, Debug)]
pub enum Cond {
    Eq = 0x10,
    Gt = 0x20,
    Ge = 0x30,
    Ne = 0x50,
    Le = 0xb0,
    Sle = 0xd0,
}

/// Access sizes in bytes.
fn size_bits(bytes: u8) -> u8 {
    match bytes {
        1 => 0x10,
        2 => 0x08,
        4 => 0x00,
        _ => 0x18,
    }
}

#[derive(Default)]
pub struct Asm {
    insns: Vec<Insn>,
    labels: Vec<(&'static str, usize)>,
    fixups: Vec<(usize, &'static str)>,
}

impl Asm {
    pub fn new() -> Asm {
        Asm::default()
    }
    fn emit(&mut self, i: Insn) {
        self.insns.push(i);
    }
    /// Appends a self-contained block (its jumps stay inside it; control leaves at its
    /// end), such as a translated filter.
    pub fn block(&mut self, insns: &[Insn]) {
        self.insns.extend_from_slice(insns);
    }
    pub fn label(&mut self, name: &'static str) {
        self.labels.push((name, self.insns.len()));
    }
    pub fn mov(&mut self, dst: u8, src: u8) {
        self.emit(Insn::new(MOV64_REG, dst, src, 0, 0));
    }
    pub fn movi(&mut self, dst: u8, imm: i32) {
        self.emit(Insn::new(MOV64_IMM, dst, 0, 0, imm));
    }
    pub fn add(&mut self, dst: u8, src: u8) {
        self.emit(Insn::new(ADD64_REG, dst, src, 0, 0));
    }
    pub fn addi(&mut self, dst: u8, imm: i32) {
        self.emit(Insn::new(ADD64_IMM, dst, 0, 0, imm));
    }
    pub fn sub(&mut self, dst: u8, src: u8) {
        self.emit(Insn::new(SUB64_REG, dst, src, 0, 0));
    }
    pub fn andi(&mut self, dst: u8, imm: i32) {
        self.emit(Insn::new(AND64_IMM, dst, 0, 0, imm));
    }
    /// dst = *(size *)(src + off)
    pub fn ldx(&mut self, size: u8, dst: u8, src: u8, off: i16) {
        self.emit(Insn::new(LDX | size_bits(size), dst, src, off, 0));
    }
    /// *(size *)(dst + off) = src
    pub fn stx(&mut self, size: u8, dst: u8, off: i16, src: u8) {
        self.emit(Insn::new(STX | size_bits(size), dst, src, off, 0));
    }
    /// *(size *)(dst + off) = imm
    pub fn st(&mut self, size: u8, dst: u8, off: i16, imm: i32) {
        self.emit(Insn::new(ST | size_bits(size), dst, 0, off, imm));
    }
    /// 64-bit compare with a (sign-extended) immediate.
    pub fn jmp_imm(&mut self, c: Cond, dst: u8, imm: i32, to: &'static str) {
        self.fixups.push((self.insns.len(), to));
        self.emit(Insn::new(c as u8 | CLASS_JMP, dst, 0, 0, imm));
    }
    /// 64-bit compare of two registers.
    pub fn jmp_reg(&mut self, c: Cond, dst: u8, src: u8, to: &'static str) {
        self.fixups.push((self.insns.len(), to));
        self.emit(Insn::new(c as u8 | 0x08 | CLASS_JMP, dst, src, 0, 0));
    }
    /// 32-bit compare (low halves), so a u32 immediate above i32::MAX still matches.
    pub fn jmp32_imm(&mut self, c: Cond, dst: u8, imm: u32, to: &'static str) {
        self.fixups.push((self.insns.len(), to));
        self.emit(Insn::new(c as u8 | CLASS_JMP32, dst, 0, 0, imm as i32));
    }
    pub fn ja(&mut self, to: &'static str) {
        self.fixups.push((self.insns.len(), to));
        self.emit(Insn::new(JA, 0, 0, 0, 0));
    }
    pub fn call(&mut self, helper: i32) {
        self.emit(Insn::new(CALL, 0, 0, 0, helper));
    }
    pub fn exit(&mut self) {
        self.emit(Insn::new(EXIT, 0, 0, 0, 0));
    }
    /// dst = map fd, turned into a map pointer by the kernel (`BPF_PSEUDO_MAP_FD`).
    pub fn ld_map_fd(&mut self, dst: u8, fd: i32) {
        self.emit(Insn::new(LD_IMM64, dst, 1, 0, fd));
        self.emit(Insn::new(0, 0, 0, 0, 0));
    }

    /// Resolves the labels. An unknown label or a jump out of `i16` range is a bug in the
    /// program builder, reported as an error.
    pub fn finish(mut self) -> Result<Vec<Insn>, String> {
        for (i, (name, _)) in self.labels.iter().enumerate() {
            if self.labels[..i].iter().any(|(n, _)| n == name) {
                return Err(format!("BPF program: label {name} defined twice"));
            }
        }
        for &(at, name) in &self.fixups {
            let Some(&(_, target)) = self.labels.iter().find(|(n, _)| *n == name) else {
                return Err(format!("BPF program: jump to unknown label {name}"));
            };
            let rel = target as i64 - (at as i64 + 1);
            let Ok(off) = i16::try_from(rel) else {
                return Err(format!("BPF program: jump to {name} out of range"));
            };
            self.insns[at].off = off;
        }
        Ok(self.insns)
    }
}

/// Checks what the verifier would refuse outright, for the builders' unit tests: the last
/// instruction exits, jumps go forward, inside the program and not into the second half
/// of an `ld_imm64`, stack accesses stay in the 512-byte frame, registers exist.
#[cfg(test)]
pub(crate) fn check_well_formed(p: &[Insn]) {
    assert!(!p.is_empty());
    assert_eq!(p.last().unwrap().code, EXIT, "last instruction is exit");
    // Second halves of ld_imm64 are not instructions of their own.
    let mut second_half = vec![false; p.len()];
    for (i, ins) in p.iter().enumerate() {
        if ins.code == LD_IMM64 {
            assert!(i + 1 < p.len(), "ld_imm64 cut short");
            second_half[i + 1] = true;
        }
    }
    for (i, ins) in p.iter().enumerate() {
        if second_half[i] {
            assert_eq!(ins.code, 0);
            continue;
        }
        if ins.is_jump() {
            let target = i as i64 + 1 + ins.off as i64;
            assert!(
                target > i as i64 && (target as usize) < p.len(),
                "jump at {i} to {target} leaves the program or goes backwards"
            );
            assert!(
                !second_half[target as usize],
                "jump at {i} into an ld_imm64"
            );
        }
        // Every stack access is inside the 512-byte frame.
        let touches_stack = ins.src() == FP || (ins.dst() == FP && ins.class() & 0x06 == 0x02);
        if touches_stack && ins.class() != 0x07 {
            assert!(
                (-512..0).contains(&(ins.off as i32)),
                "stack access at {i} off {}",
                ins.off
            );
        }
        assert!(
            ins.dst() <= 10 && ins.src() <= 10,
            "register out of range at {i}"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_resolve_forward_and_errors_are_reported() {
        let mut a = Asm::new();
        a.jmp_imm(Cond::Eq, R1, 0, "end");
        a.movi(R0, 1);
        a.label("end");
        a.exit();
        let p = a.finish().unwrap();
        assert_eq!(p[0].off, 1);
        check_well_formed(&p);
        let mut a = Asm::new();
        a.ja("nowhere");
        assert!(a.finish().unwrap_err().contains("unknown label nowhere"));
        let mut a = Asm::new();
        a.label("x");
        a.label("x");
        assert!(a.finish().unwrap_err().contains("defined twice"));
    }
}
