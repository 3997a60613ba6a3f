//! Event schemas: TRACE_EVENT_INFO (an event's template) and EVENT_MAP_INFO (value maps),
//! as the relogger embeds them in the file, and the per-file [`Schema`] that collects them.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::bytes::{Guid, guid_at, u8_at, u16_at, u32_at, u64_at, utf16z_at};
use super::raw::Descriptor;

/// The classic-event GUID of the embedded schema events ("EventMetadata").
pub const EVENT_METADATA_GUID: Guid = Guid::from_fields(
    0xbbccf6c1,
    0x6cd1,
    0x48c4,
    [0x80, 0xff, 0x83, 0x94, 0x82, 0xe3, 0x76, 0x71],
);
/// Class.Type of an embedded TRACE_EVENT_INFO.
pub const METADATA_EVENT_INFO: u8 = 32;
/// Class.Type of an embedded provider GUID + EVENT_MAP_INFO.
pub const METADATA_MAP_INFO: u8 = 33;

/// EVENT_PROPERTY_INFO flags.
pub mod prop_flag {
    pub const STRUCT: u32 = 0x1;
    pub const PARAM_LENGTH: u32 = 0x2;
    pub const PARAM_COUNT: u32 = 0x4;
    pub const PARAM_FIXED_LENGTH: u32 = 0x10;
    pub const PARAM_FIXED_COUNT: u32 = 0x20;
}

/// TDH in-types (the stored form of a field).
pub mod in_type {
    pub const UNICODE_STRING: u16 = 1;
    pub const ANSI_STRING: u16 = 2;
    pub const INT8: u16 = 3;
    pub const UINT8: u16 = 4;
    pub const INT16: u16 = 5;
    pub const UINT16: u16 = 6;
    pub const INT32: u16 = 7;
    pub const UINT32: u16 = 8;
    pub const INT64: u16 = 9;
    pub const UINT64: u16 = 10;
    pub const FLOAT: u16 = 11;
    pub const DOUBLE: u16 = 12;
    pub const BOOLEAN: u16 = 13;
    pub const BINARY: u16 = 14;
    pub const GUID: u16 = 15;
    pub const POINTER: u16 = 16;
    pub const FILETIME: u16 = 17;
    pub const SYSTEMTIME: u16 = 18;
    pub const SID: u16 = 19;
    pub const HEXINT32: u16 = 20;
    pub const HEXINT64: u16 = 21;
    pub const COUNTED_STRING: u16 = 22;
    pub const COUNTED_ANSI_STRING: u16 = 23;
}

/// TDH out-types that change how a value is printed.
pub mod out_type {
    pub const HEXINT8: u16 = 16;
    pub const HEXINT16: u16 = 17;
    pub const HEXINT32: u16 = 18;
    pub const HEXINT64: u16 = 19;
    pub const GUID: u16 = 14;
    pub const HEXBINARY: u16 = 15;
    pub const PORT: u16 = 22;
    pub const IPV4: u16 = 23;
    pub const IPV6: u16 = 24;
    pub const SOCKETADDRESS: u16 = 25;
    pub const ERRORCODE: u16 = 29;
    pub const WIN32ERROR: u16 = 30;
    pub const NTSTATUS: u16 = 31;
    pub const HRESULT: u16 = 32;
}

/// One field of an event template (EVENT_PROPERTY_INFO).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PropertyInfo {
    pub name: String,
    pub flags: u32,
    pub in_type: u16,
    pub out_type: u16,
    pub map_name: Option<String>,
    /// For structs: the first member's index and the member count.
    pub struct_start: u16,
    pub struct_members: u16,
    /// Element count, or (PARAM_COUNT) the index of the property holding it.
    pub count: u16,
    /// Byte length, or (PARAM_LENGTH) the index of the property holding it.
    pub length: u16,
}

impl PropertyInfo {
    pub fn is_struct(&self) -> bool {
        self.flags & prop_flag::STRUCT != 0
    }
}

/// An event's template (TRACE_EVENT_INFO).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventTemplate {
    pub provider: Guid,
    pub descriptor: Descriptor,
    pub provider_name: Option<String>,
    pub level_name: Option<String>,
    pub channel_name: Option<String>,
    pub keywords_name: Option<String>,
    pub task_name: Option<String>,
    pub opcode_name: Option<String>,
    /// Message with `%1`..`%n` inserts (may be localised in the capture machine's language).
    pub message: Option<String>,
    pub event_name: Option<String>,
    pub properties: Vec<PropertyInfo>,
    pub top_level_count: usize,
}

impl EventTemplate {
    /// Parses a TRACE_EVENT_INFO; `None` if it does not fit in `b`.
    pub fn parse(b: &[u8]) -> Option<EventTemplate> {
        let s = |field: usize| -> Option<Option<String>> {
            let off = u32_at(b, field)? as usize;
            if off == 0 {
                return Some(None);
            }
            Some(utf16z_at(b, off).map(|(text, _)| text))
        };
        let descriptor = Descriptor {
            id: u16_at(b, 0x20)?,
            version: u16::from(u8_at(b, 0x22)?),
            channel: u8_at(b, 0x23)?,
            level: u8_at(b, 0x24)?,
            opcode: u8_at(b, 0x25)?,
            task: u16_at(b, 0x26)?,
            keyword: u64_at(b, 0x28)?,
        };
        let count = u32_at(b, 0x64)? as usize;
        let top = u32_at(b, 0x68)? as usize;
        // The count is bounded by the bytes present before anything is allocated.
        if count > b.len().saturating_sub(0x70) / 24 || top > count {
            return None;
        }
        let mut properties = Vec::with_capacity(count);
        for i in 0..count {
            let p = 0x70 + 24 * i;
            let flags = u32_at(b, p)?;
            let name_off = u32_at(b, p + 4)? as usize;
            let name = utf16z_at(b, name_off).map(|(t, _)| t).unwrap_or_default();
            let a = u16_at(b, p + 8)?;
            let c = u16_at(b, p + 10)?;
            let map_off = u32_at(b, p + 12)? as usize;
            let is_struct = flags & prop_flag::STRUCT != 0;
            properties.push(PropertyInfo {
                name,
                flags,
                in_type: if is_struct { 0 } else { a },
                out_type: if is_struct { 0 } else { c },
                map_name: if is_struct || map_off == 0 {
                    None
                } else {
                    utf16z_at(b, map_off).map(|(t, _)| t)
                },
                struct_start: if is_struct { a } else { 0 },
                struct_members: if is_struct { c } else { 0 },
                count: u16_at(b, p + 16)?,
                length: u16_at(b, p + 18)?,
            });
        }
        Some(EventTemplate {
            provider: guid_at(b, 0)?,
            descriptor,
            provider_name: s(0x34)?,
            level_name: s(0x38)?,
            channel_name: s(0x3C)?,
            keywords_name: s(0x40)?,
            task_name: s(0x44)?,
            opcode_name: s(0x48)?,
            message: s(0x4C)?,
            event_name: s(0x5C)?,
            properties,
            top_level_count: top,
        })
    }
}

/// The name of an EVENT_MAP_INFO, without parsing its entries.
fn map_name(b: &[u8]) -> Option<String> {
    utf16z_at(b, u32_at(b, 0)? as usize).map(|(name, _)| name)
}

/// A value map or bitmap (EVENT_MAP_INFO). Names keep Windows' trailing space ("Rx ").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueMap {
    pub name: String,
    pub bitmap: bool,
    /// (value, name), sorted by value.
    pub entries: Vec<(u32, String)>,
}

/// EVENT_MAP_INFO flags.
const MAP_VALUEMAP: u32 = 0x1;
const MAP_BITMAP: u32 = 0x2;
const MAP_WBEM_VALUEMAP: u32 = 0x8;
const MAP_WBEM_BITMAP: u32 = 0x10;

impl ValueMap {
    /// Parses an EVENT_MAP_INFO; `None` if it does not fit or is of a kind with string inputs.
    pub fn parse(b: &[u8]) -> Option<ValueMap> {
        let name = utf16z_at(b, u32_at(b, 0)? as usize)?.0;
        let flag = u32_at(b, 4)?;
        let count = u32_at(b, 8)? as usize;
        if flag & (MAP_VALUEMAP | MAP_BITMAP | MAP_WBEM_VALUEMAP | MAP_WBEM_BITMAP) == 0 {
            return None;
        }
        if count > b.len().saturating_sub(16) / 8 {
            return None;
        }
        let mut entries = Vec::with_capacity(count);
        for i in 0..count {
            let e = 16 + 8 * i;
            let text = utf16z_at(b, u32_at(b, e)? as usize)?.0;
            entries.push((u32_at(b, e + 4)?, text));
        }
        entries.sort_by_key(|(v, _)| *v);
        Some(ValueMap {
            name,
            bitmap: flag & (MAP_BITMAP | MAP_WBEM_BITMAP) != 0,
            entries,
        })
    }

    /// Builds a map from static entries (the built-in fallbacks).
    pub fn from_entries(name: &str, bitmap: bool, entries: &[(u32, &str)]) -> ValueMap {
        let mut entries: Vec<(u32, String)> = entries
            .iter()
            .map(|(v, s)| (*v, (*s).to_string()))
            .collect();
        entries.sort_by_key(|(v, _)| *v);
        ValueMap {
            name: name.to_string(),
            bitmap,
            entries,
        }
    }

    pub fn get(&self, value: u32) -> Option<&str> {
        self.entries
            .binary_search_by_key(&value, |(v, _)| *v)
            .ok()
            .map(|i| self.entries[i].1.as_str())
    }
}

/// A multiply-rotate hasher for the schema's small keys: looked up for every decoded event,
/// where SipHash's cost showed in profiles. Keys come from the file, but a collision only
/// costs time, and the tables hold a few dozen entries.
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut a = [0u8; 8];
            a[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(a));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u16(&mut self, v: u16) {
        self.write_u64(u64::from(v));
    }

    fn write_u8(&mut self, v: u8) {
        self.write_u64(u64::from(v));
    }

    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Templates and maps known for one file: the embedded ones, looked up before the built-ins.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    templates: FastMap<(Guid, u16, u16), Arc<EventTemplate>>,
    maps: FastMap<Guid, FastMap<String, Arc<ValueMap>>>,
}

impl Schema {
    pub fn add_template(&mut self, t: EventTemplate) {
        let key = (t.provider, t.descriptor.id, t.descriptor.version);
        self.templates.insert(key, Arc::new(t));
    }

    pub fn add_map(&mut self, provider: Guid, m: ValueMap) {
        self.maps
            .entry(provider)
            .or_default()
            .insert(m.name.clone(), Arc::new(m));
    }

    pub fn template(&self, provider: Guid, id: u16, version: u16) -> Option<&Arc<EventTemplate>> {
        self.templates.get(&(provider, id, version))
    }

    pub fn map(&self, provider: Guid, name: &str) -> Option<&Arc<ValueMap>> {
        self.maps.get(&provider)?.get(name)
    }

    /// Every template of the schema.
    pub fn templates(&self) -> impl Iterator<Item = &Arc<EventTemplate>> {
        self.templates.values()
    }

    /// The (id, version) pairs of `provider`'s templates among `ids`.
    pub fn versions_of(&self, provider: Guid, ids: &[u16]) -> Vec<(u16, u16)> {
        self.templates
            .keys()
            .filter(|(p, id, _)| *p == provider && ids.contains(id))
            .map(|(_, id, v)| (*id, *v))
            .collect()
    }

    pub fn template_count(&self) -> usize {
        self.templates.len()
    }

    pub fn map_count(&self) -> usize {
        self.maps.values().map(|m| m.len()).sum()
    }

    /// Reads one embedded metadata event (classic event of [`EVENT_METADATA_GUID`]).
    /// Returns false if its data is not a schema this reader understands.
    pub fn add_metadata_event(&mut self, class_type: u8, data: &[u8]) -> bool {
        // A file repeats its schema (per relogged buffer set); the first copy wins, and the
        // repeats are recognised by their key without being parsed again.
        match class_type {
            METADATA_EVENT_INFO
                if matches!(
                    (guid_at(data, 0), u16_at(data, 0x20), u8_at(data, 0x22)),
                    (Some(p), Some(id), Some(v)) if self.templates.contains_key(&(p, id, u16::from(v)))
                ) =>
            {
                true
            }
            METADATA_EVENT_INFO => match EventTemplate::parse(data) {
                Some(t) => {
                    self.add_template(t);
                    true
                }
                None => false,
            },
            METADATA_MAP_INFO => {
                let known = guid_at(data, 0).zip(map_name(data.get(16..).unwrap_or(&[])));
                if let Some((provider, name)) = known
                    && self.map(provider, &name).is_some()
                {
                    return true;
                }
                let (Some(provider), Some(map)) =
                    (guid_at(data, 0), data.get(16..).and_then(ValueMap::parse))
                else {
                    return false;
                };
                self.add_map(provider, map);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16z(s: &str) -> Vec<u8> {
        s.encode_utf16()
            .chain([0])
            .flat_map(|u| u.to_le_bytes())
            .collect()
    }

    #[test]
    fn parses_a_value_map() {
        let mut b = Vec::new();
        b.extend_from_slice(&32u32.to_le_bytes()); // name at 32
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&2u32.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        let name = utf16z("Dir");
        let tx = utf16z("Tx ");
        let rx = utf16z("Rx ");
        b.extend_from_slice(&((32 + name.len()) as u32).to_le_bytes());
        b.extend_from_slice(&4u32.to_le_bytes());
        b.extend_from_slice(&((32 + name.len() + tx.len()) as u32).to_le_bytes());
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&name);
        b.extend_from_slice(&tx);
        b.extend_from_slice(&rx);
        let m = ValueMap::parse(&b).unwrap();
        assert_eq!(m.name, "Dir");
        assert!(!m.bitmap);
        assert_eq!(m.get(3), Some("Rx "));
        assert_eq!(m.get(4), Some("Tx "));
        assert_eq!(m.get(5), None);
        // An entry count larger than the bytes allow is refused, not allocated.
        b[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(ValueMap::parse(&b), None);
    }

    #[test]
    fn refuses_property_count_beyond_the_data() {
        let mut b = vec![0u8; 0x70];
        b[0x64..0x68].copy_from_slice(&1_000_000u32.to_le_bytes());
        assert_eq!(EventTemplate::parse(&b), None);
        b[0x64..0x68].copy_from_slice(&0u32.to_le_bytes());
        let t = EventTemplate::parse(&b).unwrap();
        assert!(t.properties.is_empty());
    }
}
