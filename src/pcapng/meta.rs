//! The pktmon metadata of a record in pcapng.
//!
//! Standard options carry what they can: direction in `epb_flags`, PktGroupId in
//! `epb_packetid`, the component as the interface (whose IDB holds the component id in a
//! custom option). A record whose other fields differ from a single sighting's defaults
//! (a drop, a filter match, a later appearance, another edge) also gets them twice: as a
//! comment in pktmon's own words (for Wireshark users) and as a custom binary option (so
//! that we read it back exactly). A reader fills in the defaults when both are absent.
//!
//! EPB custom option layout (code 2989, little-endian), after the 4-byte Private Enterprise
//! Number: version u8 (=1), kind u8 (0 flow, 1 drop), direction u8 (0 unknown, 1 Rx, 2 Tx),
//! reserved u8, component u32, edge u32, group_id u64, packet_number u32, appearance u32,
//! filter_id u32; drops then add reason and location as u16 length + UTF-8 each. The
//! reserved byte holds flags: bit 0 = the group was inferred from content.

use crate::record::{Direction, PacketRecord, RecordKind};

/// IANA PEN 32473 is reserved for documentation and examples (RFC 5612); we use it until
/// the project has a registered number of its own.
pub const PKTMON_PEN: u32 = 32473;
pub const META_VERSION: u8 = 1;
const FIXED_LEN: usize = 4 + 4 + 4 + 8 + 4 + 4 + 4;

/// True when the record says more than the standard options and its interface do.
pub fn has_extra_metadata(rec: &PacketRecord<'_>) -> bool {
    rec.is_drop()
        || rec.filter_id != 0
        || rec.edge != 1
        || rec.packet_number != 1
        || rec.appearance != 1
        || rec.group_inferred
}

/// A component's place for `--component-id nics`, kept in our IDBs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComponentRole {
    /// A network adapter (`pktmon list`'s default group; Windows' Miniport components).
    Adapter,
    Other,
}

impl ComponentRole {
    fn code(role: Option<ComponentRole>) -> u8 {
        match role {
            None => 0,
            Some(ComponentRole::Adapter) => 1,
            Some(ComponentRole::Other) => 2,
        }
    }

    fn from_code(code: u8) -> Option<ComponentRole> {
        match code {
            1 => Some(ComponentRole::Adapter),
            2 => Some(ComponentRole::Other),
            _ => None,
        }
    }
}

/// IDB custom option: PEN, then `b'C'`, the component's role (0 not stated, 1 adapter,
/// 2 other) and the component id (u32).
pub fn write_interface_binary(component: u32, role: Option<ComponentRole>, out: &mut Vec<u8>) {
    out.extend_from_slice(&PKTMON_PEN.to_le_bytes());
    out.extend_from_slice(&[META_VERSION, b'C', ComponentRole::code(role), 0]);
    out.extend_from_slice(&component.to_le_bytes());
}

/// Decodes an IDB custom option written by `write_interface_binary`: the component id
/// and its role when stated (files written before the role was kept have 0 there).
pub fn read_interface_binary(value: &[u8]) -> Option<(u32, Option<ComponentRole>)> {
    if value.len() < 12
        || value[0..4] != PKTMON_PEN.to_le_bytes()
        || value[4] != META_VERSION
        || value[5] != b'C'
    {
        return None;
    }
    let component = u32::from_le_bytes(value[8..12].try_into().ok()?);
    Some((component, ComponentRole::from_code(value[6])))
}

/// Appends the comment text (`PktGroupId 12, PktNumber 1, ...`) to `out`.
pub fn write_comment(rec: &PacketRecord<'_>, out: &mut Vec<u8>) {
    let mut num = itoa::Buffer::new();
    out.extend_from_slice(b"PktGroupId ");
    out.extend_from_slice(num.format(rec.group_id).as_bytes());
    out.extend_from_slice(b", PktNumber ");
    out.extend_from_slice(num.format(rec.packet_number).as_bytes());
    out.extend_from_slice(b", Appearance ");
    out.extend_from_slice(num.format(rec.appearance).as_bytes());
    out.extend_from_slice(b", Direction ");
    out.extend_from_slice(rec.direction.as_str().as_bytes());
    out.extend_from_slice(b", Component ");
    out.extend_from_slice(num.format(rec.component).as_bytes());
    out.extend_from_slice(b", Edge ");
    out.extend_from_slice(num.format(rec.edge).as_bytes());
    out.extend_from_slice(b", Filter ");
    out.extend_from_slice(num.format(rec.filter_id).as_bytes());
    if rec.group_inferred {
        out.extend_from_slice(b", PktGroupInferred 1");
    }
    if let RecordKind::Drop { reason, location } = &rec.kind {
        out.extend_from_slice(b", DropReason ");
        out.extend_from_slice(reason.as_bytes());
        out.extend_from_slice(b", DropLocation ");
        out.extend_from_slice(location.as_bytes());
    }
}

/// Appends the custom option payload (PEN first) to `out`.
pub fn write_binary(rec: &PacketRecord<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(&PKTMON_PEN.to_le_bytes());
    let kind = u8::from(rec.is_drop());
    let dir = match rec.direction {
        Direction::Unknown => 0u8,
        Direction::Rx => 1,
        Direction::Tx => 2,
    };
    out.extend_from_slice(&[META_VERSION, kind, dir, u8::from(rec.group_inferred)]);
    out.extend_from_slice(&rec.component.to_le_bytes());
    out.extend_from_slice(&rec.edge.to_le_bytes());
    out.extend_from_slice(&rec.group_id.to_le_bytes());
    out.extend_from_slice(&rec.packet_number.to_le_bytes());
    out.extend_from_slice(&rec.appearance.to_le_bytes());
    out.extend_from_slice(&rec.filter_id.to_le_bytes());
    if let RecordKind::Drop { reason, location } = &rec.kind {
        for s in [reason.as_bytes(), location.as_bytes()] {
            let s = &s[..s.len().min(u16::MAX as usize)];
            out.extend_from_slice(&(s.len() as u16).to_le_bytes());
            out.extend_from_slice(s);
        }
    }
}

/// The metadata decoded from a custom option payload (after the PEN).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordMeta {
    pub is_drop: bool,
    pub direction: Direction,
    pub component: u32,
    pub edge: u32,
    pub group_id: u64,
    pub packet_number: u32,
    pub appearance: u32,
    pub group_inferred: bool,
    pub filter_id: u32,
    pub drop_reason: Option<String>,
    pub drop_location: Option<String>,
}

/// Decodes a custom option value (starting with the PEN). `None` when it is not ours or
/// malformed; readers then fall back to what the standard options say.
pub fn read_binary(value: &[u8]) -> Option<RecordMeta> {
    let pen = u32::from_le_bytes(value.get(0..4)?.try_into().ok()?);
    if pen != PKTMON_PEN {
        return None;
    }
    let v = value.get(4..)?;
    if v.len() < FIXED_LEN || v[0] != META_VERSION {
        return None;
    }
    let u32_at = |o: usize| u32::from_le_bytes(v[o..o + 4].try_into().unwrap_or([0; 4]));
    let direction = match v[2] {
        1 => Direction::Rx,
        2 => Direction::Tx,
        _ => Direction::Unknown,
    };
    let mut meta = RecordMeta {
        is_drop: v[1] == 1,
        direction,
        component: u32_at(4),
        edge: u32_at(8),
        group_id: u64::from_le_bytes(v[12..20].try_into().ok()?),
        packet_number: u32_at(20),
        appearance: u32_at(24),
        group_inferred: v[3] & 1 != 0,
        filter_id: u32_at(28),
        drop_reason: None,
        drop_location: None,
    };
    if meta.is_drop {
        let mut rest = &v[FIXED_LEN..];
        let mut take = || -> Option<String> {
            let n = u16::from_le_bytes(rest.get(0..2)?.try_into().ok()?) as usize;
            let s = String::from_utf8_lossy(rest.get(2..2 + n)?).into_owned();
            rest = &rest[2 + n..];
            Some(s)
        };
        meta.drop_reason = take();
        meta.drop_location = take();
    }
    Some(meta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::LinkType;
    use std::borrow::Cow;

    #[test]
    fn binary_round_trip_flow_and_drop() {
        let data = [1u8, 2, 3];
        let mut rec = PacketRecord::flow(7, LinkType::ETHERNET, 5, &data);
        rec.direction = Direction::Tx;
        rec.group_id = (3 << 48) | 99;
        rec.filter_id = 2;
        let mut buf = Vec::new();
        write_binary(&rec, &mut buf);
        let m = read_binary(&buf).expect("decodes");
        assert_eq!(m.component, 7);
        assert_eq!(m.direction, Direction::Tx);
        assert_eq!(m.group_id, (3 << 48) | 99);
        assert_eq!(m.filter_id, 2);
        assert!(!m.is_drop);
        assert!(!m.group_inferred);
        rec.group_inferred = true;
        buf.clear();
        write_binary(&rec, &mut buf);
        assert!(read_binary(&buf).expect("decodes").group_inferred);

        rec.kind = RecordKind::Drop {
            reason: Cow::Borrowed("NO_SOCKET"),
            location: Cow::Borrowed("__udp4_lib_rcv+0x7c"),
        };
        buf.clear();
        write_binary(&rec, &mut buf);
        let m = read_binary(&buf).expect("decodes");
        assert!(m.is_drop);
        assert_eq!(m.drop_reason.as_deref(), Some("NO_SOCKET"));
        assert_eq!(m.drop_location.as_deref(), Some("__udp4_lib_rcv+0x7c"));
        // Truncated or foreign payloads are refused, never a panic.
        for n in 0..buf.len() {
            let _ = read_binary(&buf[..n]);
        }
        assert!(read_binary(&[0, 0, 0, 0, 1]).is_none());
    }

    #[test]
    fn interface_option_round_trip_and_defaults_need_no_metadata() {
        for role in [
            None,
            Some(ComponentRole::Adapter),
            Some(ComponentRole::Other),
        ] {
            let mut buf = Vec::new();
            write_interface_binary(4242, role, &mut buf);
            assert_eq!(read_interface_binary(&buf), Some((4242, role)));
            assert_eq!(read_interface_binary(&buf[..11]), None);
        }
        // Written before the role was kept: byte 6 is 0, the role not stated.
        let mut old = PKTMON_PEN.to_le_bytes().to_vec();
        old.extend_from_slice(&[META_VERSION, b'C', 0, 0, 7, 0, 0, 0]);
        assert_eq!(read_interface_binary(&old), Some((7, None)));
        let data = [0u8; 4];
        let mut rec = PacketRecord::flow(4, LinkType::ETHERNET, 0, &data);
        rec.direction = Direction::Rx;
        rec.group_id = 77;
        assert!(!has_extra_metadata(&rec));
        rec.filter_id = 1;
        assert!(has_extra_metadata(&rec));
    }

    #[test]
    fn comment_uses_pktmon_words() {
        let data = [0u8; 4];
        let mut rec = PacketRecord::flow(4, LinkType::ETHERNET, 0, &data);
        rec.group_id = 12;
        rec.direction = Direction::Rx;
        let mut out = Vec::new();
        write_comment(&rec, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "PktGroupId 12, PktNumber 1, Appearance 1, Direction Rx, Component 4, Edge 1, Filter 0"
        );
    }
}
