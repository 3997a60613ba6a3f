//! A reader for the kernel's BTF blob (`/sys/kernel/btf/vmlinux`): just enough to find
//! struct member offsets (through anonymous structs/unions and typedefs), function
//! prototypes and enum values.
//!
//! Hand-written rather than taken from a crate: `btf-rs` is LGPL-2.1, and `btfparse`
//! follows typedef chains without a hop limit and recurses into anonymous members without
//! a depth bound, so a cyclic (malformed) blob hangs or overflows the stack. This reader
//! borrows the blob, indexes type offsets once (tens of ms for 120k types), bounds every
//! walk, and never panics on bad input: every read is checked.

use std::fmt;

/// Why a BTF blob could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BtfError(pub String);

impl fmt::Display for BtfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BtfError {}

fn err<T>(msg: impl Into<String>) -> Result<T, BtfError> {
    Err(BtfError(msg.into()))
}

pub const MAGIC: u16 = 0xeb9f;
const TYPE_HEADER: usize = 12;
/// Longest typedef/const/volatile chain followed before giving up (real ones are < 5).
const MAX_HOPS: usize = 32;
/// Deepest nesting of anonymous members searched (real ones are < 5).
const MAX_ANON_DEPTH: usize = 16;

/// BTF type kinds (`BTF_KIND_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    Int = 1,
    Ptr = 2,
    Array = 3,
    Struct = 4,
    Union = 5,
    Enum = 6,
    Fwd = 7,
    Typedef = 8,
    Volatile = 9,
    Const = 10,
    Restrict = 11,
    Func = 12,
    FuncProto = 13,
    Var = 14,
    Datasec = 15,
    Float = 16,
    DeclTag = 17,
    TypeTag = 18,
    Enum64 = 19,
}

impl Kind {
    fn from_u32(k: u32) -> Option<Kind> {
        use Kind::*;
        Some(match k {
            1 => Int,
            2 => Ptr,
            3 => Array,
            4 => Struct,
            5 => Union,
            6 => Enum,
            7 => Fwd,
            8 => Typedef,
            9 => Volatile,
            10 => Const,
            11 => Restrict,
            12 => Func,
            13 => FuncProto,
            14 => Var,
            15 => Datasec,
            16 => Float,
            17 => DeclTag,
            18 => TypeTag,
            19 => Enum64,
            _ => return None,
        })
    }

    /// Bytes that follow the 12-byte header of a type of this kind with `vlen` entries.
    fn trailer(self, vlen: usize) -> usize {
        use Kind::*;
        match self {
            Int | Var | DeclTag => 4,
            Array => 12,
            Struct | Union | Datasec | Enum64 => 12 * vlen,
            Enum | FuncProto => 8 * vlen,
            Ptr | Fwd | Typedef | Volatile | Const | Restrict | Func | Float | TypeTag => 0,
        }
    }
}

/// A type id (0 is `void`).
pub type TypeId = u32;

/// One parsed type header.
#[derive(Clone, Copy, Debug)]
pub struct TypeHeader {
    pub name_off: u32,
    pub kind: Kind,
    pub vlen: usize,
    pub kflag: bool,
    /// `size` for sized kinds, `type` for reference kinds.
    pub size_or_type: u32,
    /// Offset of the trailer in the type section.
    trailer: usize,
}

/// A struct member found by [`Btf::member`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// Byte offset from the start of the outermost struct.
    pub offset: u32,
    pub type_id: TypeId,
}

/// A parsed BTF blob.
pub struct Btf {
    blob: Vec<u8>,
    types: std::ops::Range<usize>,
    strings: std::ops::Range<usize>,
    /// Offset (in the type section) of each type id; index 0 is unused (void).
    index: Vec<u32>,
}

impl fmt::Debug for Btf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Btf({} types)", self.type_count())
    }
}

pub const VMLINUX: &str = "/sys/kernel/btf/vmlinux";

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

impl Btf {
    /// Reads and parses the running kernel's BTF.
    pub fn from_sys() -> Result<Btf, BtfError> {
        match std::fs::read(VMLINUX) {
            Ok(blob) => Btf::parse(blob),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => err(format!(
                "kernel BTF ({VMLINUX}) not found (the kernel needs CONFIG_DEBUG_INFO_BTF)"
            )),
            Err(e) => err(format!("cannot read kernel BTF ({VMLINUX}): {e}")),
        }
    }

    /// Parses a blob: checks the header and sections and indexes every type.
    pub fn parse(blob: Vec<u8>) -> Result<Btf, BtfError> {
        if blob.len() < 24 {
            return err(format!("BTF blob too short ({} bytes)", blob.len()));
        }
        let magic = u16::from_ne_bytes([blob[0], blob[1]]);
        if magic != MAGIC {
            if magic == MAGIC.swap_bytes() {
                return err("BTF blob has the other byte order");
            }
            return err(format!("not a BTF blob (magic {magic:#06x})"));
        }
        let word = |at| u32_at(&blob, at).map(|v| v as usize);
        let (Some(hdr_len), Some(type_off), Some(type_len), Some(str_off), Some(str_len)) =
            (word(4), word(8), word(12), word(16), word(20))
        else {
            return err("BTF header truncated");
        };
        if hdr_len < 24 {
            return err(format!("BTF header length {hdr_len} too small"));
        }
        let section = |off: usize, len: usize, what: &str| {
            let start = hdr_len.checked_add(off);
            let end = start.and_then(|s| s.checked_add(len));
            match (start, end) {
                (Some(s), Some(e)) if e <= blob.len() => Ok(s..e),
                _ => err(format!(
                    "BTF {what} section ({off}+{len}) runs past the end of the blob ({} bytes)",
                    blob.len()
                )),
            }
        };
        let types = section(type_off, type_len, "type")?;
        let strings = section(str_off, str_len, "string")?;
        let mut btf = Btf {
            blob,
            types,
            strings,
            index: vec![0],
        };
        btf.build_index()?;
        Ok(btf)
    }

    fn build_index(&mut self) -> Result<(), BtfError> {
        let len = self.types.len();
        let mut at = 0usize;
        while at < len {
            let h = self.header_at(at)?;
            let next = h
                .trailer
                .checked_add(h.kind.trailer(h.vlen))
                .filter(|&n| n <= len)
                .ok_or_else(|| {
                    BtfError(format!(
                        "BTF type {} ({:?}) runs past the end of the type section",
                        self.index.len(),
                        h.kind
                    ))
                })?;
            let Ok(at32) = u32::try_from(at) else {
                return err("BTF type section larger than 4 GiB");
            };
            self.index.push(at32);
            at = next;
        }
        Ok(())
    }

    fn type_bytes(&self) -> &[u8] {
        &self.blob[self.types.clone()]
    }

    fn header_at(&self, at: usize) -> Result<TypeHeader, BtfError> {
        let t = self.type_bytes();
        let (Some(name_off), Some(info), Some(size_or_type)) =
            (u32_at(t, at), u32_at(t, at + 4), u32_at(t, at + 8))
        else {
            return err(format!("BTF type header at {at} truncated"));
        };
        let raw_kind = (info >> 24) & 0x1f;
        let Some(kind) = Kind::from_u32(raw_kind) else {
            return err(format!("BTF type at {at} has unknown kind {raw_kind}"));
        };
        Ok(TypeHeader {
            name_off,
            kind,
            vlen: (info & 0xffff) as usize,
            kflag: info >> 31 == 1,
            size_or_type,
            trailer: at + TYPE_HEADER,
        })
    }

    /// Number of types, not counting `void`.
    pub fn type_count(&self) -> usize {
        self.index.len() - 1
    }

    /// The header of type `id` (an error for `void` and ids out of range).
    pub fn header(&self, id: TypeId) -> Result<TypeHeader, BtfError> {
        match self.index.get(id as usize) {
            Some(&at) if id != 0 => self.header_at(at as usize),
            _ => err(format!("BTF type id {id} out of range")),
        }
    }

    /// The string at `off` in the string section ("" when out of range or not UTF-8).
    pub fn string(&self, off: u32) -> &str {
        let s = &self.blob[self.strings.clone()];
        let Some(tail) = s.get(off as usize..) else {
            return "";
        };
        let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
        std::str::from_utf8(&tail[..end]).unwrap_or("")
    }

    pub fn name(&self, id: TypeId) -> &str {
        self.header(id)
            .map(|h| self.string(h.name_off))
            .unwrap_or("")
    }

    /// The first type of `kind` named `name`.
    pub fn find(&self, kind: Kind, name: &str) -> Option<TypeId> {
        (1..self.index.len() as u32).find(|&id| {
            matches!(self.header(id), Ok(h) if h.kind == kind && self.string(h.name_off) == name)
        })
    }

    /// Follows typedefs and qualifiers to the underlying type.
    pub fn resolve(&self, mut id: TypeId) -> Result<TypeId, BtfError> {
        for _ in 0..MAX_HOPS {
            if id == 0 {
                return Ok(0);
            }
            let h = self.header(id)?;
            match h.kind {
                Kind::Typedef | Kind::Volatile | Kind::Const | Kind::Restrict | Kind::TypeTag => {
                    id = h.size_or_type
                }
                _ => return Ok(id),
            }
        }
        err(format!(
            "BTF type chain from id {id} is too long (a cycle?)"
        ))
    }

    /// Size in bytes of a type (pointers are the size of this process's pointers).
    pub fn size_of(&self, id: TypeId) -> Result<u32, BtfError> {
        let id = self.resolve(id)?;
        if id == 0 {
            return err("void has no size");
        }
        let h = self.header(id)?;
        match h.kind {
            Kind::Int | Kind::Struct | Kind::Union | Kind::Enum | Kind::Enum64 | Kind::Float => {
                Ok(h.size_or_type)
            }
            Kind::Ptr => Ok(std::mem::size_of::<usize>() as u32),
            Kind::Array => {
                let t = self.type_bytes();
                let (Some(elem), Some(n)) = (u32_at(t, h.trailer), u32_at(t, h.trailer + 8)) else {
                    return err("BTF array truncated");
                };
                // One level only: arrays of arrays are not needed here and this keeps
                // the walk bounded.
                let elem_size = match self.header(self.resolve(elem)?) {
                    Ok(e) if e.kind == Kind::Ptr => std::mem::size_of::<usize>() as u32,
                    Ok(e) if matches!(e.kind, Kind::Int | Kind::Struct | Kind::Union) => {
                        e.size_or_type
                    }
                    _ => return err("BTF array of an unsupported element type"),
                };
                elem_size
                    .checked_mul(n)
                    .ok_or_else(|| BtfError("BTF array size overflows".into()))
            }
            k => err(format!("BTF type {id} ({k:?}) has no size")),
        }
    }

    /// The members of a struct or union: (name offset, type, bit offset).
    fn members(&self, id: TypeId) -> Result<Vec<(u32, TypeId, u32)>, BtfError> {
        let h = self.header(id)?;
        if !matches!(h.kind, Kind::Struct | Kind::Union) {
            return err(format!(
                "BTF type {id} ({}) is not a struct or union",
                self.name(id)
            ));
        }
        let t = self.type_bytes();
        let mut out = Vec::with_capacity(h.vlen);
        for i in 0..h.vlen {
            let at = h.trailer + 12 * i;
            let (Some(name), Some(ty), Some(off)) =
                (u32_at(t, at), u32_at(t, at + 4), u32_at(t, at + 8))
            else {
                return err("BTF member list truncated");
            };
            // With kflag, the top 8 bits hold a bitfield size; byte-aligned fields have 0.
            let (bits, bitfield) = if h.kflag {
                (off & 0x00ff_ffff, off >> 24)
            } else {
                (off, 0)
            };
            if bitfield != 0 {
                // A bitfield cannot be read with a byte-sized load: mark it unusable.
                out.push((name, ty, u32::MAX));
            } else {
                out.push((name, ty, bits));
            }
        }
        Ok(out)
    }

    /// Finds member `name` directly in struct/union `id` or inside its anonymous members.
    fn find_member(
        &self,
        id: TypeId,
        name: &str,
        depth: usize,
    ) -> Result<Option<Member>, BtfError> {
        if depth > MAX_ANON_DEPTH {
            return err("BTF anonymous members nested too deep (a cycle?)");
        }
        let id = self.resolve(id)?;
        let members = self.members(id)?;
        for &(name_off, ty, bits) in &members {
            if self.string(name_off) == name {
                if bits == u32::MAX || bits % 8 != 0 {
                    return err(format!("member {name} is a bitfield"));
                }
                return Ok(Some(Member {
                    offset: bits / 8,
                    type_id: ty,
                }));
            }
        }
        for &(name_off, ty, bits) in &members {
            if name_off != 0 && !self.string(name_off).is_empty() {
                continue;
            }
            let inner = self.resolve(ty)?;
            if !matches!(
                self.header(inner).map(|h| h.kind),
                Ok(Kind::Struct | Kind::Union)
            ) {
                continue;
            }
            if let Some(m) = self.find_member(inner, name, depth + 1)? {
                if bits == u32::MAX || bits % 8 != 0 {
                    return err(format!("member {name} is inside a bitfield"));
                }
                let offset = m
                    .offset
                    .checked_add(bits / 8)
                    .ok_or_else(|| BtfError("member offset overflows".into()))?;
                return Ok(Some(Member { offset, ..m }));
            }
        }
        Ok(None)
    }

    /// The byte offset and type of `path` ("a.b.c") inside struct/union `id`.
    pub fn member(&self, id: TypeId, path: &str) -> Result<Member, BtfError> {
        let mut cur = Member {
            offset: 0,
            type_id: id,
        };
        for part in path.split('.') {
            let Some(m) = self.find_member(cur.type_id, part, 0)? else {
                return err(format!(
                    "no member {part} in {} (looking for {}.{path})",
                    self.name(self.resolve(cur.type_id).unwrap_or(0)),
                    self.name(id)
                ));
            };
            cur = Member {
                offset: cur
                    .offset
                    .checked_add(m.offset)
                    .ok_or_else(|| BtfError("member offset overflows".into()))?,
                type_id: m.type_id,
            };
        }
        Ok(cur)
    }

    /// The parameter types of a FUNC_PROTO, reached through typedefs and one pointer.
    pub fn func_proto_params(&self, id: TypeId) -> Result<Vec<TypeId>, BtfError> {
        let mut id = self.resolve(id)?;
        if self.header(id)?.kind == Kind::Ptr {
            id = self.resolve(self.header(id)?.size_or_type)?;
        }
        let h = self.header(id)?;
        if h.kind != Kind::FuncProto {
            return err(format!("BTF type {id} is not a function prototype"));
        }
        let t = self.type_bytes();
        (0..h.vlen)
            .map(|i| {
                u32_at(t, h.trailer + 8 * i + 4)
                    .ok_or_else(|| BtfError("BTF parameter list truncated".into()))
            })
            .collect()
    }

    /// The (name, value) pairs of an ENUM or ENUM64.
    pub fn enum_values(&self, id: TypeId) -> Result<Vec<(&str, i64)>, BtfError> {
        let id = self.resolve(id)?;
        let h = self.header(id)?;
        let t = self.type_bytes();
        let signed = h.kflag;
        match h.kind {
            Kind::Enum => (0..h.vlen)
                .map(|i| {
                    let at = h.trailer + 8 * i;
                    match (u32_at(t, at), u32_at(t, at + 4)) {
                        (Some(n), Some(v)) => Ok((
                            self.string(n),
                            if signed { v as i32 as i64 } else { v as i64 },
                        )),
                        _ => err("BTF enum truncated"),
                    }
                })
                .collect(),
            Kind::Enum64 => (0..h.vlen)
                .map(|i| {
                    let at = h.trailer + 12 * i;
                    match (u32_at(t, at), u32_at(t, at + 4), u32_at(t, at + 8)) {
                        (Some(n), Some(lo), Some(hi)) => {
                            Ok((self.string(n), ((hi as u64) << 32 | lo as u64) as i64))
                        }
                        _ => err("BTF enum64 truncated"),
                    }
                })
                .collect(),
            k => err(format!("BTF type {id} ({k:?}) is not an enum")),
        }
    }

    /// A short C-like spelling of a type, for messages ("struct sk_buff *").
    pub fn describe(&self, id: TypeId) -> String {
        let mut out = String::new();
        let mut id = id;
        let mut stars = 0;
        for _ in 0..MAX_HOPS {
            if id == 0 {
                out.push_str("void");
                break;
            }
            let Ok(h) = self.header(id) else {
                out.push('?');
                break;
            };
            let name = self.string(h.name_off);
            match h.kind {
                Kind::Ptr => {
                    stars += 1;
                    id = h.size_or_type;
                }
                Kind::Const | Kind::Volatile | Kind::Restrict | Kind::TypeTag => {
                    id = h.size_or_type
                }
                Kind::Struct => {
                    out = format!("struct {name}");
                    break;
                }
                Kind::Union => {
                    out = format!("union {name}");
                    break;
                }
                Kind::Enum | Kind::Enum64 => {
                    out = format!("enum {name}");
                    break;
                }
                Kind::FuncProto => {
                    out.push_str("fn(..)");
                    break;
                }
                _ => {
                    out.push_str(if name.is_empty() { "?" } else { name });
                    break;
                }
            }
        }
        if stars > 0 {
            out.push(' ');
            out.extend(std::iter::repeat_n('*', stars));
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Builds BTF blobs for tests.
    #[derive(Default)]
    pub(crate) struct Builder {
        types: Vec<u8>,
        strings: Vec<u8>,
        next_id: u32,
    }

    impl Builder {
        pub fn new() -> Builder {
            Builder {
                types: Vec::new(),
                strings: vec![0],
                next_id: 1,
            }
        }
        pub fn str(&mut self, s: &str) -> u32 {
            if s.is_empty() {
                return 0;
            }
            let off = self.strings.len() as u32;
            self.strings.extend_from_slice(s.as_bytes());
            self.strings.push(0);
            off
        }
        fn push(&mut self, name: &str, kind: Kind, vlen: usize, kflag: bool, sot: u32) -> u32 {
            let n = self.str(name);
            let info = (vlen as u32) | ((kind as u32) << 24) | ((kflag as u32) << 31);
            for w in [n, info, sot] {
                self.types.extend_from_slice(&w.to_ne_bytes());
            }
            let id = self.next_id;
            self.next_id += 1;
            id
        }
        fn words(&mut self, ws: &[u32]) {
            for w in ws {
                self.types.extend_from_slice(&w.to_ne_bytes());
            }
        }
        pub fn int(&mut self, name: &str, size: u32) -> u32 {
            let id = self.push(name, Kind::Int, 0, false, size);
            self.words(&[size * 8]);
            id
        }
        pub fn ptr(&mut self, to: u32) -> u32 {
            self.push("", Kind::Ptr, 0, false, to)
        }
        pub fn typedef(&mut self, name: &str, to: u32) -> u32 {
            self.push(name, Kind::Typedef, 0, false, to)
        }
        /// Reserves an id whose target is set later (for cycles).
        pub fn typedef_placeholder(&mut self, name: &str) -> (u32, usize) {
            let at = self.types.len();
            (self.typedef(name, 0), at + 8)
        }
        pub fn patch(&mut self, at: usize, v: u32) {
            self.types[at..at + 4].copy_from_slice(&v.to_ne_bytes());
        }
        /// members: (name, type, byte offset)
        pub fn strukt(&mut self, name: &str, size: u32, members: &[(&str, u32, u32)]) -> u32 {
            self.compound(Kind::Struct, name, size, members)
        }
        pub fn union(&mut self, name: &str, size: u32, members: &[(&str, u32, u32)]) -> u32 {
            self.compound(Kind::Union, name, size, members)
        }
        fn compound(&mut self, k: Kind, name: &str, size: u32, m: &[(&str, u32, u32)]) -> u32 {
            let id = self.push(name, k, m.len(), false, size);
            for &(n, ty, off) in m {
                let n = self.str(n);
                self.words(&[n, ty, off * 8]);
            }
            id
        }
        pub fn enm(&mut self, name: &str, values: &[(&str, u32)]) -> u32 {
            let id = self.push(name, Kind::Enum, values.len(), false, 4);
            for &(n, v) in values {
                let n = self.str(n);
                self.words(&[n, v]);
            }
            id
        }
        pub fn func_proto(&mut self, ret: u32, params: &[u32]) -> u32 {
            let id = self.push("", Kind::FuncProto, params.len(), false, ret);
            for &p in params {
                self.words(&[0, p]);
            }
            id
        }
        pub fn finish(&self) -> Vec<u8> {
            let mut b = Vec::new();
            b.extend_from_slice(&MAGIC.to_ne_bytes());
            b.extend_from_slice(&[1, 0]);
            let tl = self.types.len() as u32;
            for w in [24u32, 0, tl, tl, self.strings.len() as u32] {
                b.extend_from_slice(&w.to_ne_bytes());
            }
            b.extend_from_slice(&self.types);
            b.extend_from_slice(&self.strings);
            b
        }
    }

    /// A miniature kernel: sk_buff with its fields behind anonymous unions/structs.
    fn sample() -> Vec<u8> {
        let mut b = Builder::new();
        let u32t = b.int("unsigned int", 4);
        let u16t = b.int("unsigned short", 2);
        let long = b.int("long unsigned int", 8);
        let dev = b.strukt("net_device", 64, &[("ifindex", u32t, 8)]);
        let devp = b.ptr(dev);
        let inner = b.strukt("", 16, &[("dev", devp, 0), ("_skb_refdst", long, 8)]);
        let un = b.union("", 16, &[("", inner, 0), ("rbnode", long, 0)]);
        let td = b.typedef("__u16", u16t);
        let skb = b.strukt(
            "sk_buff",
            200,
            &[("next", long, 0), ("", un, 8), ("protocol", td, 40)],
        );
        let skbp = b.ptr(skb);
        let reason = b.enm(
            "skb_drop_reason",
            &[("SKB_NOT_DROPPED_YET", 0), ("SKB_DROP_REASON_NO_SOCKET", 3)],
        );
        let voidp = b.ptr(0);
        let proto = b.func_proto(0, &[voidp, skbp, voidp, reason]);
        let proto_ptr = b.ptr(proto);
        b.typedef("btf_trace_kfree_skb", proto_ptr);
        b.finish()
    }

    #[test]
    fn members_through_anonymous_unions_and_typedefs() {
        let btf = Btf::parse(sample()).expect("parse");
        let skb = btf.find(Kind::Struct, "sk_buff").expect("sk_buff");
        assert_eq!(btf.member(skb, "protocol").unwrap().offset, 40);
        assert_eq!(
            btf.size_of(btf.member(skb, "protocol").unwrap().type_id),
            Ok(2)
        );
        assert_eq!(btf.member(skb, "_skb_refdst").unwrap().offset, 16);
        let dev = btf.member(skb, "dev").unwrap();
        assert_eq!(dev.offset, 8);
        assert_eq!(btf.describe(dev.type_id), "struct net_device *");
        let devs = btf.find(Kind::Struct, "net_device").unwrap();
        assert_eq!(btf.member(devs, "ifindex").unwrap().offset, 8);
        assert!(btf.member(skb, "nope").is_err());
        assert!(btf.member(skb, "protocol.x").is_err());
    }

    #[test]
    fn enums_and_prototypes() {
        let btf = Btf::parse(sample()).expect("parse");
        let e = btf.find(Kind::Enum, "skb_drop_reason").unwrap();
        let v = btf.enum_values(e).unwrap();
        assert_eq!(
            v,
            vec![("SKB_NOT_DROPPED_YET", 0), ("SKB_DROP_REASON_NO_SOCKET", 3)]
        );
        let tp = btf.find(Kind::Typedef, "btf_trace_kfree_skb").unwrap();
        let params = btf.func_proto_params(tp).unwrap();
        assert_eq!(params.len(), 4);
        assert_eq!(btf.describe(params[0]), "void *");
        assert_eq!(btf.describe(params[1]), "struct sk_buff *");
        assert_eq!(btf.describe(params[3]), "enum skb_drop_reason");
    }

    #[test]
    fn cycles_are_errors_not_hangs() {
        let mut b = Builder::new();
        let (a, at) = b.typedef_placeholder("a");
        let t = b.typedef("b", a);
        b.patch(at, t);
        // A struct whose anonymous member is itself.
        let s = b.strukt("loop", 8, &[("", 0, 0)]);
        let fix = b.types.len() - 8; // type of the only member
        b.patch(fix, s);
        let btf = Btf::parse(b.finish()).expect("parse");
        assert!(btf.resolve(a).is_err());
        assert!(btf.size_of(t).is_err());
        assert!(btf.member(s, "x").is_err());
        assert!(btf.func_proto_params(a).is_err());
        let _ = btf.describe(a);
    }

    #[test]
    fn truncated_and_corrupted_blobs_never_panic() {
        let blob = sample();
        for cut in 0..blob.len() {
            if let Ok(btf) = Btf::parse(blob[..cut].to_vec()) {
                exercise(&btf);
            }
        }
        // Flip every byte in turn: parse must not panic, and whatever parses must answer
        // every query without panicking.
        for i in 0..blob.len() {
            for x in [0xff, 0x80, 0x01] {
                let mut b = blob.clone();
                b[i] ^= x;
                if let Ok(btf) = Btf::parse(b) {
                    exercise(&btf);
                }
            }
        }
        assert!(Btf::parse(Vec::new()).is_err());
        assert!(Btf::parse(vec![0u8; 64]).is_err());
    }

    fn exercise(btf: &Btf) {
        for id in 0..=btf.type_count() as u32 + 1 {
            let _ = btf.size_of(id);
            let _ = btf.member(id, "dev");
            let _ = btf.member(id, "protocol");
            let _ = btf.enum_values(id);
            let _ = btf.func_proto_params(id);
            let _ = btf.describe(id);
            let _ = btf.name(id);
        }
    }

    #[test]
    fn real_kernel_btf_when_present() {
        let Ok(blob) = std::fs::read(VMLINUX) else {
            eprintln!("SKIPPED real_kernel_btf_when_present: {VMLINUX} not readable");
            return;
        };
        let btf = Btf::parse(blob.clone()).expect("kernel BTF parses");
        assert!(btf.type_count() > 10_000);
        let skb = btf.find(Kind::Struct, "sk_buff").expect("sk_buff");
        let size = btf.size_of(skb).unwrap();
        for f in [
            "dev",
            "sk",
            "_skb_refdst",
            "len",
            "protocol",
            "network_header",
            "head",
        ] {
            let m = btf.member(skb, f).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert!(
                m.offset < size,
                "{f} at {} outside sk_buff ({size})",
                m.offset
            );
        }
        // Truncations of the real blob: errors, never panics.
        for cut in [0, 10, 23, 24, 100, blob.len() / 3, blob.len() - 1] {
            assert!(Btf::parse(blob[..cut].to_vec()).is_err(), "cut at {cut}");
        }
    }
}
