//! OpenFlow (TCP 6653, 6633): tcpdump's default print, `OpenFlow` and a continuation line
//! per message header: `version 1.0, type HELLO, length 8, xid 0x00000001`.

use super::text::TextOut;

pub const PORTS: [u16; 2] = [6653, 6633];
const HEADER_LEN: usize = 8;

/// Message type names of OpenFlow 1.0 (wire version 1).
const TYPES_1_0: &[&str] = &[
    "HELLO",
    "ERROR",
    "ECHO_REQUEST",
    "ECHO_REPLY",
    "VENDOR",
    "FEATURES_REQUEST",
    "FEATURES_REPLY",
    "GET_CONFIG_REQUEST",
    "GET_CONFIG_REPLY",
    "SET_CONFIG",
    "PACKET_IN",
    "FLOW_REMOVED",
    "PORT_STATUS",
    "PACKET_OUT",
    "FLOW_MOD",
    "PORT_MOD",
    "STATS_REQUEST",
    "STATS_REPLY",
    "BARRIER_REQUEST",
    "BARRIER_REPLY",
    "QUEUE_GET_CONFIG_REQUEST",
    "QUEUE_GET_CONFIG_REPLY",
];

/// Message type names of OpenFlow 1.3 and later (wire versions 4..).
const TYPES_1_3: &[&str] = &[
    "HELLO",
    "ERROR",
    "ECHO_REQUEST",
    "ECHO_REPLY",
    "EXPERIMENTER",
    "FEATURES_REQUEST",
    "FEATURES_REPLY",
    "GET_CONFIG_REQUEST",
    "GET_CONFIG_REPLY",
    "SET_CONFIG",
    "PACKET_IN",
    "FLOW_REMOVED",
    "PORT_STATUS",
    "PACKET_OUT",
    "FLOW_MOD",
    "GROUP_MOD",
    "PORT_MOD",
    "TABLE_MOD",
    "MULTIPART_REQUEST",
    "MULTIPART_REPLY",
    "BARRIER_REQUEST",
    "BARRIER_REPLY",
    "QUEUE_GET_CONFIG_REQUEST",
    "QUEUE_GET_CONFIG_REPLY",
    "ROLE_REQUEST",
    "ROLE_REPLY",
    "GET_ASYNC_REQUEST",
    "GET_ASYNC_REPLY",
    "SET_ASYNC",
    "METER_MOD",
];

/// Appends `OpenFlow` and one line per message header in the captured `payload`.
pub fn print(out: &mut Vec<u8>, payload: &[u8], line_start: &[u8]) {
    out.s("OpenFlow");
    let mut rest = payload;
    while let Some(h) = rest.get(..HEADER_LEN) {
        let (version, kind) = (h[0], h[1]);
        let length = u16::from_be_bytes([h[2], h[3]]);
        let xid = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
        out.push(b'\n');
        out.extend_from_slice(line_start);
        out.s("version ");
        let types = match version {
            1 => {
                out.s("1.0");
                Some(TYPES_1_0)
            }
            4 => {
                out.s("1.3");
                Some(TYPES_1_3)
            }
            _ => {
                out.s("unknown (0x");
                out.hex(u64::from(version), 2);
                out.s(")");
                None
            }
        };
        if let Some(name) = types.and_then(|t| t.get(usize::from(kind))) {
            out.s(", type ");
            out.s(name);
        } else {
            out.s(", type unknown (0x");
            out.hex(u64::from(kind), 2);
            out.s(")");
        }
        out.s(", length ");
        out.num(length);
        out.s(", xid 0x");
        out.hex(u64::from(xid), 8);
        if usize::from(length) < HEADER_LEN || types.is_none() {
            return;
        }
        let Some(next) = rest.get(usize::from(length)..) else {
            return;
        };
        rest = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_message() {
        let mut out = Vec::new();
        let msgs = [
            &[1u8, 4, 0, 8, 0, 0, 0, 0x18][..],
            &[1, 18, 0, 8, 0, 0, 0, 0x19],
        ]
        .concat();
        print(&mut out, &msgs, b"\t");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "OpenFlow\n\tversion 1.0, type VENDOR, length 8, xid 0x00000018\
             \n\tversion 1.0, type BARRIER_REQUEST, length 8, xid 0x00000019"
        );
        let mut out = Vec::new();
        print(&mut out, &[4, 99, 0, 4, 0, 0, 0, 1, 4], b"\t");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "OpenFlow\n\tversion 1.3, type unknown (0x63), length 4, xid 0x00000001"
        );
    }
}
