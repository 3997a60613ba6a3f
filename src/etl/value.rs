//! Decoding an event's user data with its template into named fields, and printing a field
//! the way Windows' TDH formatting does (as `pktmon format` shows it).

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::bytes::{Guid, guid_at, u16_at, u32_at, u64_at, utf16z_at};
use super::tdh::{EventTemplate, PropertyInfo, ValueMap, in_type, out_type, prop_flag};

/// A decoded value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    Str(String),
    Guid(Guid),
    Binary(&'a [u8]),
    Pointer(u64),
    /// FILETIME (100 ns since 1601 UTC).
    FileTime(i64),
    /// SYSTEMTIME fields: year, month, day of week, day, hour, minute, second, ms.
    SystemTime([u16; 8]),
    Sid(&'a [u8]),
    Array(Vec<Value<'a>>),
    Struct(Vec<Field<'a>>),
}

impl Value<'_> {
    /// The value as an unsigned integer, if it is one (used for lengths and counts).
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::UInt(v) | Value::Pointer(v) => Some(v),
            Value::Int(v) => u64::try_from(v).ok(),
            Value::Bool(b) => Some(u64::from(b)),
            _ => None,
        }
    }
}

/// One named field of an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Field<'a> {
    pub name: &'a str,
    pub value: Value<'a>,
    pub in_type: u16,
    pub out_type: u16,
    /// The value map or bitmap the template names for this field, when one is known.
    pub map: Option<&'a ValueMap>,
}

/// Why the data does not fit its template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Offset in the user data.
    pub at: usize,
    pub what: String,
}

/// Decodes `data` with `template`. `maps` finds value maps by name. On error the fields
/// decoded so far are returned with it.
pub fn decode<'a>(
    template: &'a EventTemplate,
    data: &'a [u8],
    pointer64: bool,
    maps: &dyn Fn(&str) -> Option<&'a ValueMap>,
) -> (Vec<Field<'a>>, Option<DecodeError>) {
    let by_index = |i: usize| {
        template
            .properties
            .get(i)
            .and_then(|p| p.map_name.as_deref())
            .and_then(maps)
    };
    decode_indexed(template, data, pointer64, &by_index)
}

/// As [`decode`], with the maps already resolved per property index (the reader does this
/// once per template instead of per field).
pub fn decode_indexed<'a>(
    template: &'a EventTemplate,
    data: &'a [u8],
    pointer64: bool,
    maps: &dyn Fn(usize) -> Option<&'a ValueMap>,
) -> (Vec<Field<'a>>, Option<DecodeError>) {
    let mut d = Decoder {
        props: &template.properties,
        cur: Cursor::new(data),
        pointer64,
        maps,
        budget: data.len().saturating_mul(4).saturating_add(64),
    };
    let top = template.top_level_count.min(template.properties.len());
    let mut fields = Vec::with_capacity(top);
    let err = d.decode_range(0, top, &mut fields, 0).err();
    (fields, err)
}

/// A read position in an event's user data; errors say where decoding stopped. Shared by
/// the template (TDH) and TraceLogging decoders.
pub(crate) struct Cursor<'a> {
    pub data: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    pub fn fail<T>(&self, what: impl Into<String>) -> Result<T, DecodeError> {
        Err(DecodeError {
            at: self.pos,
            what: what.into(),
        })
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        match self.data.get(self.pos..self.pos.saturating_add(n)) {
            Some(s) => {
                self.pos += n;
                Ok(s)
            }
            None => self.fail(format!(
                "needs {n} bytes, {} left",
                self.data.len().saturating_sub(self.pos)
            )),
        }
    }

    /// What is left from the read position on.
    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16_at(self.take(2)?, 0).unwrap_or(0))
    }

    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32_at(self.take(4)?, 0).unwrap_or(0))
    }

    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64_at(self.take(8)?, 0).unwrap_or(0))
    }
}

struct Decoder<'a, 'm> {
    props: &'a [PropertyInfo],
    cur: Cursor<'a>,
    pointer64: bool,
    maps: &'m dyn Fn(usize) -> Option<&'a ValueMap>,
    /// Values still allowed: counts and nested structs come from the file's templates, and
    /// zero-size elements would otherwise let a tiny event expand without limit.
    budget: usize,
}

/// Structs nest at most this deep (templates are file data; this bounds recursion).
const MAX_DEPTH: usize = 8;

impl<'a> Decoder<'a, '_> {
    /// Decodes properties `start..end` into `out`; length/count references are indices
    /// into the property array, resolved against the fields of this level.
    fn decode_range(
        &mut self,
        start: usize,
        end: usize,
        out: &mut Vec<Field<'a>>,
        depth: usize,
    ) -> Result<(), DecodeError> {
        if depth > MAX_DEPTH {
            return self.cur.fail("structs nested too deep");
        }
        for i in start..end {
            let Some(p) = self.props.get(i) else {
                return self
                    .cur
                    .fail(format!("template names missing property {i}"));
            };
            let lookup = |idx: u16, out: &[Field<'a>]| -> Option<u64> {
                let idx = usize::from(idx);
                idx.checked_sub(start)
                    .and_then(|k| out.get(k))
                    .and_then(|f| f.value.as_u64())
            };
            let count = if p.flags & prop_flag::PARAM_COUNT != 0 {
                match lookup(p.count, out) {
                    Some(c) => Some(c as usize),
                    None => return self.cur.fail(format!("count of {} is unknown", p.name)),
                }
            } else if p.count > 1 || p.flags & prop_flag::PARAM_FIXED_COUNT != 0 {
                Some(usize::from(p.count))
            } else {
                None
            };
            let length = if p.flags & prop_flag::PARAM_LENGTH != 0 {
                match lookup(p.length, out) {
                    Some(l) => Some(l as usize),
                    None => return self.cur.fail(format!("length of {} is unknown", p.name)),
                }
            } else if p.length > 0 {
                Some(usize::from(p.length))
            } else {
                None
            };
            let value = match count {
                None => self.one(p, length, depth)?,
                Some(n) => {
                    if n > self.budget {
                        return self
                            .cur
                            .fail(format!("count {n} of {} exceeds the data", p.name));
                    }
                    let mut items = Vec::with_capacity(n.min(1024));
                    for _ in 0..n {
                        items.push(self.one(p, length, depth)?);
                    }
                    Value::Array(items)
                }
            };
            out.push(Field {
                name: &p.name,
                value,
                in_type: p.in_type,
                out_type: p.out_type,
                map: (self.maps)(i),
            });
        }
        Ok(())
    }

    fn one(
        &mut self,
        p: &'a PropertyInfo,
        length: Option<usize>,
        depth: usize,
    ) -> Result<Value<'a>, DecodeError> {
        if self.budget == 0 {
            return self.cur.fail("more values than the event's data can hold");
        }
        self.budget -= 1;
        if p.is_struct() {
            let s = usize::from(p.struct_start);
            let e = s + usize::from(p.struct_members);
            let mut members = Vec::new();
            self.decode_range(s, e, &mut members, depth + 1)?;
            return Ok(Value::Struct(members));
        }
        let ptr = if self.pointer64 { 8 } else { 4 };
        Ok(match p.in_type {
            in_type::UNICODE_STRING => match length {
                Some(chars) => {
                    let b = self.cur.take(chars.saturating_mul(2))?;
                    Value::Str(utf16_lossy(b))
                }
                None => {
                    let (s, used) = utf16z_at(self.cur.data, self.cur.pos).unwrap_or_default();
                    self.cur.pos += used;
                    Value::Str(s)
                }
            },
            in_type::ANSI_STRING => {
                let b = match length {
                    Some(n) => self.cur.take(n)?,
                    None => {
                        let rest = self.cur.rest();
                        let n = rest.iter().position(|&c| c == 0);
                        let s = self.cur.take(n.map_or(rest.len(), |n| n + 1))?;
                        &s[..n.unwrap_or(s.len())]
                    }
                };
                Value::Str(b.iter().map(|&c| char::from(c)).collect())
            }
            in_type::INT8 => Value::Int(i64::from(self.cur.take(1)?[0] as i8)),
            in_type::UINT8 => Value::UInt(u64::from(self.cur.take(1)?[0])),
            in_type::INT16 => Value::Int(i64::from(self.cur.u16()? as i16)),
            in_type::UINT16 => Value::UInt(u64::from(self.cur.u16()?)),
            in_type::INT32 => Value::Int(i64::from(self.cur.u32()? as i32)),
            in_type::UINT32 | in_type::HEXINT32 => Value::UInt(u64::from(self.cur.u32()?)),
            in_type::INT64 => Value::Int(self.cur.u64()? as i64),
            in_type::UINT64 | in_type::HEXINT64 => Value::UInt(self.cur.u64()?),
            in_type::FLOAT => Value::Float(f64::from(f32::from_bits(self.cur.u32()?))),
            in_type::DOUBLE => Value::Float(f64::from_bits(self.cur.u64()?)),
            in_type::BOOLEAN => Value::Bool(self.cur.u32()? != 0),
            in_type::BINARY => Value::Binary(self.cur.take(length.unwrap_or(0))?),
            in_type::GUID => {
                let b = self.cur.take(16)?;
                Value::Guid(guid_at(b, 0).unwrap_or_default())
            }
            in_type::POINTER | SIZET => Value::Pointer(if ptr == 8 {
                self.cur.u64()?
            } else {
                u64::from(self.cur.u32()?)
            }),
            in_type::FILETIME => Value::FileTime(self.cur.u64()? as i64),
            in_type::SYSTEMTIME => {
                let b = self.cur.take(16)?;
                let mut st = [0u16; 8];
                for (i, v) in st.iter_mut().enumerate() {
                    *v = u16_at(b, 2 * i).unwrap_or(0);
                }
                Value::SystemTime(st)
            }
            in_type::SID | WBEMSID => {
                if p.in_type == WBEMSID {
                    // A TOKEN_USER (two pointers) precedes the SID.
                    self.cur.take(2 * ptr)?;
                }
                let sub = self.cur.data.get(self.cur.pos + 1).copied().unwrap_or(0);
                Value::Sid(self.cur.take(8 + 4 * usize::from(sub))?)
            }
            in_type::COUNTED_STRING | COUNTEDSTRING => {
                let n = usize::from(self.cur.u16()?);
                Value::Str(utf16_lossy(self.cur.take(n)?))
            }
            REVERSEDCOUNTEDSTRING => {
                let n = usize::from(self.cur.u16()?.swap_bytes());
                Value::Str(utf16_lossy(self.cur.take(n)?))
            }
            in_type::COUNTED_ANSI_STRING | COUNTEDANSISTRING => {
                let n = usize::from(self.cur.u16()?);
                Value::Str(self.cur.take(n)?.iter().map(|&c| char::from(c)).collect())
            }
            REVERSEDCOUNTEDANSISTRING => {
                let n = usize::from(self.cur.u16()?.swap_bytes());
                Value::Str(self.cur.take(n)?.iter().map(|&c| char::from(c)).collect())
            }
            COUNTEDBINARY => {
                let n = usize::from(self.cur.u16()?);
                Value::Binary(self.cur.take(n)?)
            }
            NONNULLTERMINATEDSTRING => {
                let rest = self.cur.data.len().saturating_sub(self.cur.pos) & !1;
                Value::Str(utf16_lossy(self.cur.take(rest)?))
            }
            NONNULLTERMINATEDANSISTRING => {
                let rest = self.cur.data.len().saturating_sub(self.cur.pos);
                Value::Str(
                    self.cur
                        .take(rest)?
                        .iter()
                        .map(|&c| char::from(c))
                        .collect(),
                )
            }
            UNICODECHAR => Value::Str(utf16_lossy(self.cur.take(2)?)),
            ANSICHAR => Value::Str(char::from(self.cur.take(1)?[0]).to_string()),
            HEXDUMP => {
                let n = self.cur.u32()? as usize;
                Value::Binary(self.cur.take(n)?)
            }
            other => {
                return self
                    .cur
                    .fail(format!("unsupported field type {other} for {}", p.name));
            }
        })
    }
}

// In-types above 25 (TDH_INTYPE_*), used by TraceLogging and MOF schemas.
const COUNTEDBINARY: u16 = 25;
const COUNTEDSTRING: u16 = 300;
const COUNTEDANSISTRING: u16 = 301;
const REVERSEDCOUNTEDSTRING: u16 = 302;
const REVERSEDCOUNTEDANSISTRING: u16 = 303;
const NONNULLTERMINATEDSTRING: u16 = 304;
const NONNULLTERMINATEDANSISTRING: u16 = 305;
const UNICODECHAR: u16 = 306;
const ANSICHAR: u16 = 307;
const SIZET: u16 = 308;
const HEXDUMP: u16 = 309;
const WBEMSID: u16 = 310;

/// UTF-16LE up to the first NUL, unpaired surrogates replaced.
pub(crate) fn utf16_lossy(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .take_while(|&u| u != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

/// Appends a field's text as Windows prints it in an event message.
pub fn write_field(out: &mut String, f: &Field<'_>) {
    write_value(out, &f.value, f);
}

fn write_value(out: &mut String, v: &Value<'_>, f: &Field<'_>) {
    match v {
        Value::UInt(n) => write_uint(out, *n, f),
        Value::Int(n) => {
            if let Some(m) = f.map
                && let Ok(u) = u32::try_from(*n)
            {
                return write_mapped(out, u, m);
            }
            let _ = write!(out, "{n}");
        }
        Value::Float(x) => {
            let _ = write!(out, "{x}");
        }
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Str(s) => out.push_str(s),
        Value::Guid(g) => {
            let _ = write!(out, "{{{g}}}");
        }
        Value::Binary(b) => write_binary(out, b, f.out_type),
        Value::Pointer(p) => {
            let _ = write!(out, "0x{p:X}");
        }
        Value::FileTime(t) => {
            let _ = write!(out, "{t}");
        }
        Value::SystemTime(st) => {
            let _ = write!(
                out,
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
                st[0], st[1], st[3], st[4], st[5], st[6], st[7]
            );
        }
        Value::Sid(s) => write_sid(out, s),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item, f);
            }
        }
        Value::Struct(members) => {
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{}: ", m.name);
                write_field(out, m);
            }
        }
    }
}

fn write_uint(out: &mut String, n: u64, f: &Field<'_>) {
    if let Some(m) = f.map
        && let Ok(u) = u32::try_from(n)
    {
        return write_mapped(out, u, m);
    }
    match (f.in_type, f.out_type) {
        (in_type::UINT16, out_type::PORT) => {
            // Stored in network order.
            let mut buf = itoa::Buffer::new();
            out.push_str(buf.format((n as u16).swap_bytes()));
        }
        (in_type::UINT32, out_type::IPV4) => {
            // The u32's bytes in memory order are the address in network order.
            let b = (n as u32).to_le_bytes();
            let _ = write!(out, "{}", Ipv4Addr::new(b[0], b[1], b[2], b[3]));
        }
        (in_type::HEXINT32 | in_type::HEXINT64, _)
        | (
            _,
            out_type::HEXINT8
            | out_type::HEXINT16
            | out_type::HEXINT32
            | out_type::HEXINT64
            | out_type::WIN32ERROR
            | out_type::NTSTATUS
            | out_type::HRESULT,
        ) => {
            let _ = write!(out, "0x{n:X}");
        }
        _ => {
            let mut buf = itoa::Buffer::new();
            out.push_str(buf.format(n));
        }
    }
}

/// A mapped value: the map's name (with Windows' trailing space), or for a bitmap the names
/// of the set bits joined by " | "; the number when nothing matches.
fn write_mapped(out: &mut String, v: u32, m: &ValueMap) {
    if !m.bitmap {
        match m.get(v) {
            Some(name) => out.push_str(name),
            None => {
                let mut buf = itoa::Buffer::new();
                out.push_str(buf.format(v));
            }
        }
        return;
    }
    let mut rest = v;
    let mut first = true;
    for (bits, name) in &m.entries {
        if *bits != 0 && v & bits == *bits {
            if !first {
                out.push_str(" | ");
            }
            out.push_str(name);
            first = false;
            rest &= !bits;
        }
    }
    if rest != 0 || first {
        if !first {
            out.push_str(" | ");
        }
        let _ = write!(out, "0x{rest:X}");
    }
}

fn write_binary(out: &mut String, b: &[u8], out_ty: u16) {
    match (out_ty, b.len()) {
        (out_type::IPV6, 16) => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            let _ = write!(out, "{}", Ipv6Addr::from(a));
        }
        (out_type::IPV4, 4) => {
            let _ = write!(out, "{}", Ipv4Addr::new(b[0], b[1], b[2], b[3]));
        }
        _ => {
            out.push_str("0x");
            for byte in b {
                let _ = write!(out, "{byte:02X}");
            }
        }
    }
}

fn write_sid(out: &mut String, s: &[u8]) {
    // S-Revision-Authority-Sub1-Sub2...
    let (Some(&rev), Some(&n), Some(auth)) = (s.first(), s.get(1), s.get(2..8)) else {
        return;
    };
    let authority = auth.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
    let _ = write!(out, "S-{rev}-{authority}");
    for i in 0..usize::from(n) {
        if let Some(sub) = u32_at(s, 8 + 4 * i) {
            let _ = write!(out, "-{sub}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prop(name: &str, in_ty: u16, out_ty: u16) -> PropertyInfo {
        PropertyInfo {
            name: name.into(),
            flags: 0,
            in_type: in_ty,
            out_type: out_ty,
            map_name: None,
            struct_start: 0,
            struct_members: 0,
            count: 1,
            length: 0,
        }
    }

    fn render(f: &Field<'_>) -> String {
        let mut s = String::new();
        write_field(&mut s, f);
        s
    }

    #[test]
    fn decodes_lengths_from_other_properties_and_unterminated_strings() {
        let mut value = prop("Value", in_type::BINARY, out_type::HEXBINARY);
        value.flags = prop_flag::PARAM_LENGTH;
        value.length = 0; // index of Size
        let t = EventTemplate {
            properties: vec![
                prop("Size", in_type::UINT32, 0),
                value,
                prop("Name", in_type::UNICODE_STRING, 0),
            ],
            top_level_count: 3,
            ..Default::default()
        };
        let mut data = 6u32.to_le_bytes().to_vec();
        data.extend_from_slice(&[0x54, 0x8C, 0xA0, 0x98, 0x0E, 0x25]);
        data.extend_from_slice(&[b'W', 0, b'S', 0, b'L', 0]); // no terminator
        let (fields, err) = decode(&t, &data, true, &|_| None);
        assert_eq!(err, None);
        assert_eq!(render(&fields[1]), "0x548CA0980E25");
        assert_eq!(render(&fields[2]), "WSL");
    }

    #[test]
    fn nested_zero_size_arrays_are_bounded() {
        // A struct repeated 60000 times whose member is a 60000-element array of empty
        // binaries: without a budget, 3.6 billion values from a 4-byte event.
        let mut outer = prop("Outer", 0, 0);
        outer.flags = prop_flag::STRUCT | prop_flag::PARAM_FIXED_COUNT;
        outer.struct_start = 1;
        outer.struct_members = 1;
        outer.count = 60_000;
        let mut inner = prop("Inner", in_type::BINARY, 0);
        inner.flags = prop_flag::PARAM_FIXED_COUNT;
        inner.count = 60_000;
        let t = EventTemplate {
            properties: vec![outer, inner],
            top_level_count: 1,
            ..Default::default()
        };
        let (_, err) = decode(&t, &[0; 4], true, &|_| None);
        assert!(err.is_some());
    }

    #[test]
    fn short_data_keeps_what_was_decoded() {
        let t = EventTemplate {
            properties: vec![prop("A", in_type::UINT16, 0), prop("B", in_type::UINT64, 0)],
            top_level_count: 2,
            ..Default::default()
        };
        let (fields, err) = decode(&t, &[1, 0, 2, 3], true, &|_| None);
        assert_eq!(fields.len(), 1);
        assert_eq!(err.unwrap().at, 2);
    }

    #[test]
    fn renders_like_windows() {
        let m = ValueMap::from_entries("D", false, &[(3, "Rx "), (4, "Tx ")]);
        let bm = ValueMap::from_entries("F", true, &[(1, "FIN "), (2, "SYN "), (16, "ACK ")]);
        let f = |value, in_ty, out_ty, map| Field {
            name: "x",
            value,
            in_type: in_ty,
            out_type: out_ty,
            map,
        };
        assert_eq!(render(&f(Value::UInt(3), 6, 6, Some(&m))), "Rx ");
        assert_eq!(render(&f(Value::UInt(12), 6, 6, Some(&m))), "12");
        assert_eq!(render(&f(Value::UInt(18), 4, 4, Some(&bm))), "SYN  | ACK ");
        assert_eq!(render(&f(Value::UInt(0), 4, 4, Some(&bm))), "0x0");
        assert_eq!(
            render(&f(Value::UInt(0x0100_007F), 8, out_type::IPV4, None)),
            "127.0.0.1"
        );
        assert_eq!(
            render(&f(Value::UInt(0xE000_460A), 8, out_type::HEXINT32, None)),
            "0xE000460A"
        );
        let g = Guid::from_fields(
            0x6dfe78a5,
            0x563f,
            0x40b7,
            [0xb6, 0x1c, 0x71, 0xca, 0x6b, 0x68, 0xac, 0x39],
        );
        assert_eq!(
            render(&f(Value::Guid(g), 15, 14, None)),
            "{6dfe78a5-563f-40b7-b61c-71ca6b68ac39}"
        );
        let v6 = [
            0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x3d, 0xb3, 0xf7, 0x3d, 0x0e, 0xe6, 0x36, 0x87,
        ];
        assert_eq!(
            render(&f(Value::Binary(&v6), 14, out_type::IPV6, None)),
            "fe80::3db3:f73d:ee6:3687"
        );
    }
}
