//! PktMonApi.dll's structures, enums and function types, laid out as
//! `docs/spec/pktmon-cli.md` §5.5/§5.6 says (x64 offsets asserted at compile time).
//! Plain data: compiled on every platform so the layout tests run everywhere.

use std::ffi::c_void;

pub const API_VERSION_1_0: u32 = 0x0001_0000;
/// WCHARs in a data source's name.
pub const MAX_NAME_LENGTH: usize = 64;
/// WCHARs in a data source's description.
pub const MAX_STRING_LENGTH: usize = 128;

pub type Hresult = i32;
pub const S_OK: Hresult = 0;
/// HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED): the process is not elevated.
pub const E_ACCESSDENIED: Hresult = 0x8007_0005_u32 as i32;
/// HRESULT_FROM_WIN32(ERROR_REVISION_MISMATCH): an API version other than 1.0.
pub const E_REVISION_MISMATCH: Hresult = 0x8007_051A_u32 as i32;

pub type Handle = *mut c_void;
pub type Session = *mut c_void;
pub type RealtimeStream = *mut c_void;

/// `PACKETMONITOR_DATA_SOURCE_KIND`.
pub const DATA_SOURCE_KIND_ALL: u32 = 0;
pub const DATA_SOURCE_KIND_NETWORK_INTERFACE: u32 = 1;

/// `IsPresentValue` bits of a data source specification.
pub const PRESENT_GUID: u32 = 1 << 0;
pub const PRESENT_IPV6: u32 = 1 << 1;
pub const PRESENT_IPV4: u32 = 1 << 2;
pub const PRESENT_MAC: u32 = 1 << 3;

/// `PACKETMONITOR_DATA_SOURCE_SPECIFICATION` (x64: 424 bytes).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct DataSourceSpecification {
    pub kind: u32,
    pub name: [u16; MAX_NAME_LENGTH],
    pub description: [u16; MAX_STRING_LENGTH],
    pub id: u32,
    pub secondary_id: u32,
    pub parent_id: u32,
    pub is_present: u32,
    /// GUID, IP address (network order) or MAC, per `is_present`; 8-byte aligned.
    pub detail: [u64; 2],
}

/// The header of `PACKETMONITOR_DATA_SOURCE_LIST`; a pointer array follows at offset 8.
#[repr(C)]
pub struct DataSourceList {
    pub num_data_sources: u32,
    pub data_sources: [*const DataSourceSpecification; 0],
}

/// `PACKETMONITOR_IP_ADDRESS`: 16 bytes, network order; 8-byte aligned (a ULONGLONG[2] arm).
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IpAddress {
    pub bytes: [u8; 16],
}

/// `PACKETMONITOR_PROTOCOL_CONSTRAINT`; `is_present` bits in declaration order of §5.5.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolConstraint {
    pub name: [u16; MAX_NAME_LENGTH],
    pub is_present: u32,
    pub mac1: [u8; 6],
    pub mac2: [u8; 6],
    pub vlan_id: u16,
    pub ether_type: u16,
    pub dscp: u16,
    pub transport_protocol: u8,
    pub ip1: IpAddress,
    pub ip2: IpAddress,
    pub prefix_length1: u8,
    pub prefix_length2: u8,
    pub port1: u16,
    pub port2: u16,
    pub tcp_flags: u8,
    pub encap_type: u32,
    pub vxlan_port: u16,
    pub packets: u64,
    pub bytes: u64,
}

impl ProtocolConstraint {
    /// All zero: no name, no `is_present` bit (a constraint that matches everything).
    pub const fn empty() -> ProtocolConstraint {
        ProtocolConstraint {
            name: [0; MAX_NAME_LENGTH],
            is_present: 0,
            mac1: [0; 6],
            mac2: [0; 6],
            vlan_id: 0,
            ether_type: 0,
            dscp: 0,
            transport_protocol: 0,
            ip1: IpAddress { bytes: [0; 16] },
            ip2: IpAddress { bytes: [0; 16] },
            prefix_length1: 0,
            prefix_length2: 0,
            port1: 0,
            port2: 0,
            tcp_flags: 0,
            encap_type: 0,
            vxlan_port: 0,
            packets: 0,
            bytes: 0,
        }
    }
}

/// `IsPresent` bits of a protocol constraint: LSB first, in the §5.5 declaration order.
pub mod constraint_present {
    pub const MAC1: u32 = 1 << 0;
    pub const MAC2: u32 = 1 << 1;
    pub const VLAN_ID: u32 = 1 << 2;
    pub const ETHER_TYPE: u32 = 1 << 3;
    pub const DSCP: u32 = 1 << 4;
    pub const TRANSPORT_PROTOCOL: u32 = 1 << 5;
    pub const IP1: u32 = 1 << 6;
    pub const IP2: u32 = 1 << 7;
    /// Not a field: the address family of `ip1`/`ip2` (set = IPv6).
    pub const IPV6: u32 = 1 << 8;
    pub const PREFIX_LENGTH1: u32 = 1 << 9;
    pub const PREFIX_LENGTH2: u32 = 1 << 10;
    pub const PORT1: u32 = 1 << 11;
    pub const PORT2: u32 = 1 << 12;
    pub const TCP_FLAGS: u32 = 1 << 13;
    pub const ENCAP_TYPE: u32 = 1 << 14;
    pub const VXLAN_PORT: u32 = 1 << 15;
    /// Not a field: failover-cluster heartbeats (UDP 3343).
    pub const CLUSTER_HEARTBEAT: u32 = 1 << 16;
}

/// `EncapType` values of a protocol constraint.
pub mod encap_type {
    pub const NONE: u32 = 0;
    pub const VXLAN: u32 = 0x01;
    pub const GRE: u32 = 0x02;
    pub const IP_IN_IP: u32 = 0x04;
    /// What pktmon.exe sets for `-e`.
    pub const ALL: u32 = 0xFF;
}

pub type StreamEventCallback =
    unsafe extern "system" fn(context: *mut c_void, info: *const StreamEventInfo, kind: u32);
pub type StreamDataCallback =
    unsafe extern "system" fn(context: *mut c_void, data: *const StreamDataDescriptor);

/// `PACKETMONITOR_REALTIME_STREAM_CONFIGURATION`.
#[repr(C)]
pub struct RealtimeStreamConfiguration {
    pub user_context: *mut c_void,
    pub event_callback: Option<StreamEventCallback>,
    pub data_callback: Option<StreamDataCallback>,
    /// Ring = 256 KiB × this, 1..=10.
    pub buffer_size_multiplier: u16,
    /// Bytes kept per packet, at most 9000.
    pub truncation_size: u16,
}

pub const MAX_TRUNCATION_SIZE: u16 = 9000;

/// `PACKETMONITOR_STREAM_DATA_DESCRIPTOR`.
#[repr(C)]
pub struct StreamDataDescriptor {
    pub data: *const c_void,
    pub data_size: u32,
    pub metadata_offset: u32,
    pub packet_offset: u32,
    pub packet_length: u32,
    pub missed_packet_write_count: u32,
    pub missed_packet_read_count: u32,
}

/// `PACKETMONITOR_STREAM_EVENT_KIND`.
pub const STREAM_EVENT_STARTED: u32 = 0;
pub const STREAM_EVENT_STOPPED: u32 = 1;
pub const STREAM_EVENT_FATAL_ERROR: u32 = 2;
pub const STREAM_EVENT_PROCESS_INFO: u32 = 3;

/// `PACKETMONITOR_STREAM_EVENT_INFO`: the union of the start, stop and process-info records;
/// all begin with a 4-byte field, then a DWORD (stop, process info) at offset 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct StreamEventInfo {
    /// Start: PacketBufferSizeInBytes. Stop/process info: IsFatalError/IsWarning (a BOOLEAN).
    pub first: u32,
    /// Start: TruncationSize (u16). Stop/process info: Reason.
    pub reason: u32,
    /// Process info: PacketLength.
    pub packet_length: u64,
}

/// `PACKETMONITOR_STREAM_METADATA`: packed, 40 bytes.
#[repr(C, packed)]
#[derive(Clone, Copy, Default)]
pub struct StreamMetadata {
    pub pkt_group_id: u64,
    pub pkt_count: u16,
    pub appearance_count: u16,
    pub direction_name: u16,
    pub packet_type: u16,
    pub component_id: u16,
    pub edge_id: u16,
    pub filter_id: u16,
    pub drop_reason: u32,
    pub drop_location: u32,
    pub processor: u16,
    /// FILETIME: 100 ns since 1601-01-01 UTC.
    pub timestamp: i64,
}

/// `PKTMON_DIRECTION_TAG` and `PKTMON_PACKET_TYPE`: shared with the ETL reader.
pub use crate::pktmon_meta::{direction, packet_type};

// The 11 exports (WINAPI = "system").
pub type FnInitialize = unsafe extern "system" fn(
    api_version: u32,
    reserved: *mut c_void,
    handle: *mut Handle,
) -> Hresult;
pub type FnUninitialize = unsafe extern "system" fn(handle: Handle);
pub type FnEnumDataSources = unsafe extern "system" fn(
    handle: Handle,
    kind: u32,
    show_hidden: u8,
    capacity: usize,
    bytes_needed: *mut usize,
    list: *mut DataSourceList,
) -> Hresult;
pub type FnCreateLiveSession =
    unsafe extern "system" fn(handle: Handle, name: *const u16, session: *mut Session) -> Hresult;
pub type FnCloseSessionHandle = unsafe extern "system" fn(session: Session);
pub type FnAddSingleDataSourceToSession =
    unsafe extern "system" fn(session: Session, source: *const DataSourceSpecification) -> Hresult;
pub type FnAddCaptureConstraint =
    unsafe extern "system" fn(session: Session, constraint: *const ProtocolConstraint) -> Hresult;
pub type FnSetSessionActive = unsafe extern "system" fn(session: Session, active: u8) -> Hresult;
pub type FnCreateRealtimeStream = unsafe extern "system" fn(
    handle: Handle,
    config: *const RealtimeStreamConfiguration,
    stream: *mut RealtimeStream,
) -> Hresult;
pub type FnAttachOutputToSession =
    unsafe extern "system" fn(session: Session, output: *mut c_void) -> Hresult;
pub type FnCloseRealtimeStream = unsafe extern "system" fn(stream: RealtimeStream);

#[cfg(target_pointer_width = "64")]
const _: () = {
    use std::mem::{offset_of, size_of};
    assert!(size_of::<DataSourceSpecification>() == 424);
    assert!(offset_of!(DataSourceSpecification, kind) == 0);
    assert!(offset_of!(DataSourceSpecification, name) == 4);
    assert!(offset_of!(DataSourceSpecification, description) == 132);
    assert!(offset_of!(DataSourceSpecification, id) == 388);
    assert!(offset_of!(DataSourceSpecification, secondary_id) == 392);
    assert!(offset_of!(DataSourceSpecification, parent_id) == 396);
    assert!(offset_of!(DataSourceSpecification, is_present) == 400);
    assert!(offset_of!(DataSourceSpecification, detail) == 408);
    assert!(size_of::<DataSourceList>() == 8);
    assert!(size_of::<IpAddress>() == 16);
    assert!(size_of::<StreamMetadata>() == 40);
    assert!(offset_of!(StreamMetadata, pkt_count) == 8);
    assert!(offset_of!(StreamMetadata, appearance_count) == 10);
    assert!(offset_of!(StreamMetadata, direction_name) == 12);
    assert!(offset_of!(StreamMetadata, packet_type) == 14);
    assert!(offset_of!(StreamMetadata, component_id) == 16);
    assert!(offset_of!(StreamMetadata, edge_id) == 18);
    assert!(offset_of!(StreamMetadata, filter_id) == 20);
    assert!(offset_of!(StreamMetadata, drop_reason) == 22);
    assert!(offset_of!(StreamMetadata, drop_location) == 26);
    assert!(offset_of!(StreamMetadata, processor) == 30);
    assert!(offset_of!(StreamMetadata, timestamp) == 32);
    assert!(size_of::<StreamDataDescriptor>() == 32);
    assert!(offset_of!(StreamDataDescriptor, data_size) == 8);
    assert!(offset_of!(StreamDataDescriptor, missed_packet_read_count) == 28);
    assert!(size_of::<RealtimeStreamConfiguration>() == 32);
    assert!(offset_of!(RealtimeStreamConfiguration, buffer_size_multiplier) == 24);
    assert!(offset_of!(RealtimeStreamConfiguration, truncation_size) == 26);
    assert!(size_of::<ProtocolConstraint>() == 216);
    assert!(offset_of!(ProtocolConstraint, is_present) == 128);
    assert!(offset_of!(ProtocolConstraint, mac1) == 132);
    assert!(offset_of!(ProtocolConstraint, mac2) == 138);
    assert!(offset_of!(ProtocolConstraint, vlan_id) == 144);
    assert!(offset_of!(ProtocolConstraint, ether_type) == 146);
    assert!(offset_of!(ProtocolConstraint, dscp) == 148);
    assert!(offset_of!(ProtocolConstraint, transport_protocol) == 150);
    assert!(offset_of!(ProtocolConstraint, ip1) == 152);
    assert!(offset_of!(ProtocolConstraint, ip2) == 168);
    assert!(offset_of!(ProtocolConstraint, prefix_length1) == 184);
    assert!(offset_of!(ProtocolConstraint, prefix_length2) == 185);
    assert!(offset_of!(ProtocolConstraint, port1) == 186);
    assert!(offset_of!(ProtocolConstraint, port2) == 188);
    assert!(offset_of!(ProtocolConstraint, tcp_flags) == 190);
    assert!(offset_of!(ProtocolConstraint, encap_type) == 192);
    assert!(offset_of!(ProtocolConstraint, vxlan_port) == 196);
    assert!(offset_of!(ProtocolConstraint, packets) == 200);
    assert!(offset_of!(ProtocolConstraint, bytes) == 208);
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn enum_values_match_the_spec() {
        assert_eq!(API_VERSION_1_0, 0x10000);
        assert_eq!(
            [
                direction::UNSPECIFIED,
                direction::IN,
                direction::OUT,
                direction::RX
            ],
            [0, 1, 2, 3]
        );
        assert_eq!(
            [direction::TX, direction::INGRESS, direction::EGRESS],
            [4, 5, 6]
        );
        assert_eq!(
            [packet_type::ETHERNET, packet_type::WIFI, packet_type::IP],
            [1, 2, 3]
        );
        assert_eq!([packet_type::ARP, packet_type::L4_PAYLOAD], [7, 11]);
        assert_eq!(
            [
                STREAM_EVENT_STARTED,
                STREAM_EVENT_STOPPED,
                STREAM_EVENT_FATAL_ERROR,
                STREAM_EVENT_PROCESS_INFO
            ],
            [0, 1, 2, 3]
        );
        assert_eq!(E_ACCESSDENIED as u32, 0x80070005);
        assert_eq!(E_REVISION_MISMATCH as u32, 0x8007051A);
    }

    #[test]
    fn constraint_fields_follow_declaration_order() {
        // Natural C alignment of the §5.5 declaration.
        assert_eq!(offset_of!(ProtocolConstraint, is_present), 128);
        assert_eq!(offset_of!(ProtocolConstraint, mac1), 132);
        assert_eq!(offset_of!(ProtocolConstraint, vlan_id), 144);
        assert_eq!(offset_of!(ProtocolConstraint, transport_protocol), 150);
        assert_eq!(offset_of!(ProtocolConstraint, ip1), 152);
        assert_eq!(offset_of!(ProtocolConstraint, port1), 186);
        assert_eq!(offset_of!(ProtocolConstraint, encap_type), 192);
        assert_eq!(offset_of!(ProtocolConstraint, packets), 200);
        assert_eq!(size_of::<ProtocolConstraint>(), 216);
    }
}
