//! TraceLogging events: they carry their own schema in extended data item 11 (and the
//! provider name in item 12) instead of embedded TDH metadata. This decodes their fields,
//! so events of other providers in a pktmon file (`pktmon start --trace`) print with data.
//!
//! Schema layout (TraceLoggingProvider.h): u16 size, tag bytes (bit 7 = another follows),
//! event name (UTF-8, NUL); then per field: name (UTF-8, NUL), in-type byte (bits 0–4 the
//! type, 0x20 constant count, 0x40 variable count, 0x60 custom, 0x80 an out-type byte
//! follows), [out-type byte (bit 7 = tag bytes follow), tags], [u16 constant count],
//! [u16 custom schema size + schema]. A struct's out-type byte is its member count.

use super::bytes::{Guid, guid_at, u16_at, u32_at, u64_at};
use super::raw::{ExtendedItems, RawEvent};
use super::tdh::{in_type, out_type};
use super::value::{Cursor, DecodeError, Field, Value, utf16_lossy};

/// ExtType of the TraceLogging event schema and of the provider traits.
pub const EXT_EVENT_SCHEMA: u16 = 11;
pub const EXT_PROVIDER_TRAITS: u16 = 12;

const TYPE_MASK: u8 = 0x1F;
const COUNT_MASK: u8 = 0x60;
const CCOUNT: u8 = 0x20;
const VCOUNT: u8 = 0x40;
const CUSTOM: u8 = 0x60;
const CHAIN: u8 = 0x80;
const STRUCT: u8 = 24;
const COUNTEDBINARY: u8 = 25;

/// TlgOut values that change printing.
const OUT_STRING: u8 = 2;
const OUT_HEX: u8 = 4;
const OUT_PORT: u8 = 7;
const OUT_IPV4: u8 = 8;
const OUT_IPV6: u8 = 9;
const OUT_WIN32ERROR: u8 = 13;
const OUT_NTSTATUS: u8 = 14;
const OUT_HRESULT: u8 = 15;
const OUT_UTF8: u8 = 35;

/// Fields nest at most this deep; a schema is at most 64 KiB, so counts stay small.
const MAX_DEPTH: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
struct TlField<'a> {
    name: &'a str,
    ty: u8,
    count: u8,
    out: u8,
    const_count: u16,
    /// For structs: the member fields.
    members: Vec<TlField<'a>>,
}

/// A TraceLogging event's schema: its name and fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema<'a> {
    pub event_name: &'a str,
    fields: Vec<TlField<'a>>,
}

/// The provider name from the provider-traits item, if the event has one.
pub fn provider_name<'a>(raw: &RawEvent<'a>) -> Option<&'a str> {
    let item = ExtendedItems::new(raw.extended).find(|i| i.ext_type == EXT_PROVIDER_TRAITS)?;
    cstr(item.data.get(2..)?).map(|(s, _)| s)
}

/// The event's schema, if it is a TraceLogging event.
pub fn schema<'a>(raw: &RawEvent<'a>) -> Option<Schema<'a>> {
    let item = ExtendedItems::new(raw.extended).find(|i| i.ext_type == EXT_EVENT_SCHEMA)?;
    parse_schema(item.data)
}

/// NUL-terminated UTF-8 at the start of `b`: the text and the bytes consumed.
fn cstr(b: &[u8]) -> Option<(&str, usize)> {
    let end = b.iter().position(|&c| c == 0)?;
    Some((std::str::from_utf8(&b[..end]).unwrap_or("?"), end + 1))
}

fn parse_schema(meta: &[u8]) -> Option<Schema<'_>> {
    let size = usize::from(u16_at(meta, 0)?).min(meta.len());
    let b = meta.get(2..size)?;
    let tags = b.iter().position(|t| t & 0x80 == 0)? + 1;
    let (event_name, used) = cstr(b.get(tags..)?)?;
    let mut at = tags + used;
    let mut flat = Vec::new();
    while at < b.len() {
        let (name, used) = cstr(&b[at..])?;
        at += used;
        let in_byte = *b.get(at)?;
        at += 1;
        let mut out = 0;
        if in_byte & CHAIN != 0 {
            let out_byte = *b.get(at)?;
            at += 1;
            out = out_byte & 0x7F;
            if out_byte & 0x80 != 0 {
                // Field tags: up to four bytes, chained by bit 7.
                let n = b.get(at..)?.iter().take(4).position(|t| t & 0x80 == 0)? + 1;
                at += n;
            }
        }
        let count = in_byte & COUNT_MASK;
        let mut const_count = 1;
        if count == CCOUNT {
            const_count = u16_at(b, at)?;
            at += 2;
        }
        if count == CUSTOM {
            let n = usize::from(u16_at(b, at)?);
            at += 2 + n;
        }
        flat.push(TlField {
            name,
            ty: in_byte & TYPE_MASK,
            count,
            out,
            const_count,
            members: Vec::new(),
        });
    }
    let mut it = flat.into_iter();
    let mut fields = Vec::new();
    loop {
        let next = it.next();
        match nest(&mut it, next, 0)? {
            Some(f) => fields.push(f),
            None => break,
        }
    }
    Some(Schema { event_name, fields })
}

/// Builds the tree: a struct takes the next `out` fields as members. `None` on a schema
/// nested too deep; `Some(None)` when the fields are used up.
fn nest<'a>(
    it: &mut impl Iterator<Item = TlField<'a>>,
    first: Option<TlField<'a>>,
    depth: usize,
) -> Option<Option<TlField<'a>>> {
    let Some(mut f) = first else {
        return Some(None);
    };
    if f.ty == STRUCT {
        if depth >= MAX_DEPTH {
            return None;
        }
        for _ in 0..f.out {
            let next = it.next();
            match nest(it, next, depth + 1)? {
                Some(m) => f.members.push(m),
                None => break,
            }
        }
    }
    Some(Some(f))
}

/// Decodes a TraceLogging event's user data. On error the fields before it are returned.
pub fn decode<'a>(schema: &Schema<'a>, data: &'a [u8]) -> (Vec<Field<'a>>, Option<DecodeError>) {
    let mut d = Decoder {
        cur: Cursor::new(data),
        budget: data.len().saturating_mul(4).saturating_add(64),
    };
    let mut out = Vec::with_capacity(schema.fields.len());
    for f in &schema.fields {
        match d.field(f, 0) {
            Ok(field) => out.push(field),
            Err(e) => return (out, Some(e)),
        }
    }
    (out, None)
}

struct Decoder<'a> {
    cur: Cursor<'a>,
    budget: usize,
}

impl<'a> Decoder<'a> {
    fn field(&mut self, f: &TlField<'a>, depth: usize) -> Result<Field<'a>, DecodeError> {
        let (in_ty, out_ty) = tdh_types(f);
        let count = match f.count {
            CCOUNT => Some(usize::from(f.const_count)),
            VCOUNT => Some(usize::from(self.cur.u16()?)),
            _ => None,
        };
        let value = match count {
            // Arrays of chars printed as strings are strings.
            Some(n) if f.ty == in_type::UINT8 as u8 && matches!(f.out, OUT_STRING | OUT_UTF8) => {
                let b = self.cur.take(n)?;
                Value::Str(
                    String::from_utf8_lossy(b)
                        .trim_end_matches('\0')
                        .to_string(),
                )
            }
            Some(n) if f.ty == in_type::UINT16 as u8 && f.out == OUT_STRING => {
                let b = self.cur.take(n.saturating_mul(2))?;
                let units: Vec<u16> = b
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                Value::Str(String::from_utf16_lossy(&units))
            }
            Some(n) => {
                if n > self.budget {
                    return self
                        .cur
                        .fail(format!("count {n} of {} exceeds the data", f.name));
                }
                let mut items = Vec::with_capacity(n.min(1024));
                for _ in 0..n {
                    items.push(self.one(f, depth)?);
                }
                Value::Array(items)
            }
            None => self.one(f, depth)?,
        };
        Ok(Field {
            name: f.name,
            value,
            in_type: in_ty,
            out_type: out_ty,
            map: None,
        })
    }

    fn one(&mut self, f: &TlField<'a>, depth: usize) -> Result<Value<'a>, DecodeError> {
        if self.budget == 0 || depth > MAX_DEPTH {
            return self.cur.fail("more values than the event's data can hold");
        }
        self.budget -= 1;
        if f.count == CUSTOM {
            let n = usize::from(self.cur.u16()?);
            return Ok(Value::Binary(self.cur.take(n)?));
        }
        Ok(match f.ty {
            1 => {
                let rest = self.cur.rest();
                let n = rest
                    .chunks_exact(2)
                    .position(|c| c == [0, 0])
                    .map_or(rest.len() & !1, |i| 2 * i + 2);
                Value::Str(utf16_lossy(self.cur.take(n)?))
            }
            2 => {
                let rest = self.cur.rest();
                let n = rest
                    .iter()
                    .position(|&c| c == 0)
                    .map_or(rest.len(), |i| i + 1);
                let b = self.cur.take(n)?;
                Value::Str(
                    String::from_utf8_lossy(b)
                        .trim_end_matches('\0')
                        .to_string(),
                )
            }
            3 => Value::Int(i64::from(self.cur.take(1)?[0] as i8)),
            4 => Value::UInt(u64::from(self.cur.take(1)?[0])),
            5 => Value::Int(i64::from(self.cur.u16()? as i16)),
            6 => Value::UInt(u64::from(self.cur.u16()?)),
            7 => Value::Int(i64::from(u32_at(self.cur.take(4)?, 0).unwrap_or(0) as i32)),
            8 | 20 => Value::UInt(u64::from(u32_at(self.cur.take(4)?, 0).unwrap_or(0))),
            9 => Value::Int(u64_at(self.cur.take(8)?, 0).unwrap_or(0) as i64),
            10 | 21 => Value::UInt(u64_at(self.cur.take(8)?, 0).unwrap_or(0)),
            11 => Value::Float(f64::from(f32::from_bits(
                u32_at(self.cur.take(4)?, 0).unwrap_or(0),
            ))),
            12 => Value::Float(f64::from_bits(u64_at(self.cur.take(8)?, 0).unwrap_or(0))),
            13 => Value::Bool(u32_at(self.cur.take(4)?, 0).unwrap_or(0) != 0),
            14 | COUNTEDBINARY => {
                let n = usize::from(self.cur.u16()?);
                Value::Binary(self.cur.take(n)?)
            }
            15 => Value::Guid(guid_at(self.cur.take(16)?, 0).unwrap_or(Guid::ZERO)),
            17 => Value::FileTime(u64_at(self.cur.take(8)?, 0).unwrap_or(0) as i64),
            18 => {
                let b = self.cur.take(16)?;
                let mut st = [0u16; 8];
                for (i, v) in st.iter_mut().enumerate() {
                    *v = u16_at(b, 2 * i).unwrap_or(0);
                }
                Value::SystemTime(st)
            }
            19 => {
                let sub = self.cur.data.get(self.cur.pos + 1).copied().unwrap_or(0);
                Value::Sid(self.cur.take(8 + 4 * usize::from(sub))?)
            }
            22 => {
                let n = usize::from(self.cur.u16()?);
                Value::Str(utf16_lossy(self.cur.take(n)?))
            }
            23 => {
                let n = usize::from(self.cur.u16()?);
                Value::Str(String::from_utf8_lossy(self.cur.take(n)?).into_owned())
            }
            STRUCT => {
                let mut members = Vec::with_capacity(f.members.len());
                for m in &f.members {
                    members.push(self.field(m, depth + 1)?);
                }
                Value::Struct(members)
            }
            other => {
                return self
                    .cur
                    .fail(format!("unsupported TraceLogging type {other}"));
            }
        })
    }
}

/// The TDH in/out types that print a TraceLogging field the same way.
fn tdh_types(f: &TlField<'_>) -> (u16, u16) {
    let ty = u16::from(f.ty);
    let in_ty = match f.ty {
        14 | COUNTEDBINARY => in_type::BINARY,
        20 => in_type::HEXINT32,
        21 => in_type::HEXINT64,
        _ => ty,
    };
    let out = match (f.out, f.ty) {
        (OUT_HEX, 4) => out_type::HEXINT8,
        (OUT_HEX, 6) => out_type::HEXINT16,
        (OUT_HEX, 8) => out_type::HEXINT32,
        (OUT_HEX, 10) => out_type::HEXINT64,
        (OUT_IPV4, _) => out_type::IPV4,
        (OUT_IPV6, _) => out_type::IPV6,
        (OUT_PORT, _) => out_type::PORT,
        (OUT_WIN32ERROR, _) => out_type::WIN32ERROR,
        (OUT_NTSTATUS, _) => out_type::NTSTATUS,
        (OUT_HRESULT, _) => out_type::HRESULT,
        (_, 14 | COUNTEDBINARY) => out_type::HEXBINARY,
        _ => 0,
    };
    (in_ty, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::etl::value::write_field;

    #[test]
    fn parses_and_decodes_a_schema_with_arrays_and_structs() {
        let mut meta = vec![0, 0, 0x00];
        meta.extend_from_slice(b"Ev\0");
        meta.extend_from_slice(b"Name\0\x01");
        meta.extend_from_slice(b"Raw\0\xC6\x02"); // vcount UINT16 printed as string
        meta.extend_from_slice(b"Pair\0\x98\x02"); // struct of two members
        meta.extend_from_slice(b"Port\0\x86\x07"); // UINT16, out PORT
        meta.extend_from_slice(b"Addr\0\x88\x08"); // UINT32, out IPV4
        meta.extend_from_slice(b"Flags\0\x28\x03\x00"); // UINT32[3] constant count
        let n = meta.len() as u16;
        meta[0..2].copy_from_slice(&n.to_le_bytes());
        let s = parse_schema(&meta).expect("schema");
        assert_eq!(s.event_name, "Ev");
        assert_eq!(s.fields.len(), 4);
        assert_eq!(s.fields[2].members.len(), 2);

        let mut data = Vec::new();
        data.extend_from_slice(&[b'h', 0, b'i', 0, 0, 0]);
        data.extend_from_slice(&[2, 0, b'o', 0, b'k', 0]);
        data.extend_from_slice(&[0x01, 0xBB]); // port 443 in network order
        data.extend_from_slice(&[10, 0, 0, 1]);
        for v in [1u32, 2, 3] {
            data.extend_from_slice(&v.to_le_bytes());
        }
        let (fields, err) = decode(&s, &data);
        assert_eq!(err, None);
        let text: Vec<String> = fields
            .iter()
            .map(|f| {
                let mut t = String::new();
                write_field(&mut t, f);
                t
            })
            .collect();
        assert_eq!(text, ["hi", "ok", "Port: 443, Addr: 10.0.0.1", "1, 2, 3"]);
    }

    #[test]
    fn hostile_schemas_are_bounded() {
        // A struct claiming 127 members nested in itself 100 levels deep.
        let mut meta = vec![0, 0, 0x00, b'E', 0];
        for _ in 0..100 {
            meta.extend_from_slice(b"S\0\x98\x7F");
        }
        let n = meta.len() as u16;
        meta[0..2].copy_from_slice(&n.to_le_bytes());
        assert!(parse_schema(&meta).is_none());
        // A constant count far beyond the data.
        let mut meta = vec![0, 0, 0x00, b'E', 0];
        meta.extend_from_slice(b"A\0\x20\xFF\xFF");
        let n = meta.len() as u16;
        meta[0..2].copy_from_slice(&n.to_le_bytes());
        let s = parse_schema(&meta).unwrap();
        let (_, err) = decode(&s, &[0; 8]);
        assert!(err.is_some());
    }
}
