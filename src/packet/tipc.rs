//! TIPC (EtherType 0x88ca): tcpdump's default line, `TIPC v2.0 1.1.2:3511725154 >
//! 1.1.2:424133152, headerlength 40 bytes, MessageSize 40 bytes, Low Importance Data
//! payload, messageType NAMED_MSG`.

use super::decode::be32;
use super::text::TextOut;

/// Users (the protocol carried) by the header they come with.
const LINK_CONFIG: u32 = 13;
const PAYLOAD_USERS: [u32; 6] = [0, 1, 2, 3, 8, 11];
const INTERNAL_USERS: [u32; 5] = [5, 6, 7, 10, 12];

fn user_name(user: u32) -> &'static str {
    match user {
        0 => "Low Importance Data payload",
        1 => "Medium Importance Data payload",
        2 => "High Importance Data payload",
        3 => "Critical Importance Data payload",
        5 => "Broadcast Link Protocol internal",
        6 => "Message Bundler Protocol internal",
        7 => "Link State Protocol internal",
        8 => "Connection Manager internal",
        10 => "Link Changeover Protocol internal",
        11 => "Name Table Update Protocol internal",
        12 => "Message Fragmentation Protocol internal",
        13 => "Neighbor Detection Protocol internal",
        _ => "unknown",
    }
}

/// Message type names; tcpdump swaps the names of types 1 and 3.
fn message_type_name(t: u32) -> &'static str {
    ["CONN_MSG", "MCAST_MSG", "NAMED_MSG", "DIRECT_MSG"]
        .get(t as usize)
        .copied()
        .unwrap_or("Unknown")
}

/// Appends the line for a TIPC message; a message cut short inside the words its line
/// needs is `[|tipc]`.
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    if message(out, data).is_none() {
        out.s(" [|tipc]");
    }
}

/// A node address, `zone.cluster.node`.
fn node(out: &mut Vec<u8>, a: u32) {
    out.num(a >> 24);
    out.s(".");
    out.num((a >> 12) & 0xfff);
    out.s(".");
    out.num(a & 0xfff);
}

fn message(out: &mut Vec<u8>, d: &[u8]) -> Option<()> {
    let w0 = be32(d, 0)?;
    let user = (w0 >> 25) & 0x0f;
    let header_words = (w0 >> 21) & 0x0f;
    let size = w0 & 0x1ffff;
    let head = |out: &mut Vec<u8>| {
        out.s("TIPC v");
        out.num(w0 >> 29);
        out.s(".0 ");
    };
    let tail = |out: &mut Vec<u8>, type_name: &str| {
        out.s(", headerlength ");
        out.num(header_words * 4);
        out.s(" bytes, MessageSize ");
        out.num(size);
        out.s(" bytes, ");
        out.s(user_name(user));
        out.s(", messageType ");
        out.s(type_name);
    };
    if PAYLOAD_USERS.contains(&user) {
        let w1 = be32(d, 4)?;
        let previous = be32(d, 12)?;
        let origin_port = be32(d, 16)?;
        let destination_port = be32(d, 20)?;
        // A short header names no nodes but the previous hop.
        let nodes = if header_words <= 6 {
            None
        } else {
            Some((be32(d, 24)?, be32(d, 28)?))
        };
        head(out);
        node(out, nodes.map_or(previous, |n| n.0));
        out.s(":");
        out.num(origin_port);
        out.s(" > ");
        if let Some((_, destination)) = nodes {
            node(out, destination);
            out.s(":");
        }
        out.num(destination_port);
        tail(out, message_type_name(w1 >> 29));
    } else if INTERNAL_USERS.contains(&user) {
        let w1 = be32(d, 4)?;
        let origin = be32(d, 24)?;
        let destination = be32(d, 28)?;
        head(out);
        node(out, origin);
        out.s(" > ");
        node(out, destination);
        tail(out, message_type_name(w1 >> 29));
        out.s(" (0x");
        out.hex(u64::from(w1), 8);
        out.s(")");
    } else if user == LINK_CONFIG {
        let w1 = be32(d, 4)?;
        let domain = be32(d, 8)?;
        let previous = be32(d, 12)?;
        head(out);
        node(out, previous);
        out.s(" > ");
        node(out, domain);
        tail(
            out,
            match w1 >> 29 {
                0 => "Link request",
                1 => "Link response",
                _ => "Unknown",
            },
        );
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, d, d.len() as u32);
        String::from_utf8(out).unwrap()
    }

    fn words(w: &[u32]) -> Vec<u8> {
        w.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    const NODE_112: u32 = 0x0100_1002;

    #[test]
    fn payload_headers() {
        let long = words(&[
            0x4000_0000 | 10 << 21 | 40,
            2 << 29,
            0,
            NODE_112,
            3511725154,
            424133152,
            NODE_112,
            NODE_112,
        ]);
        assert_eq!(
            text(&long),
            "TIPC v2.0 1.1.2:3511725154 > 1.1.2:424133152, headerlength 40 bytes, \
             MessageSize 40 bytes, Low Importance Data payload, messageType NAMED_MSG"
        );
        let short = words(&[
            0x4000_0000 | 3 << 25 | 6 << 21 | 66000,
            0,
            0,
            NODE_112,
            1,
            2,
        ]);
        assert_eq!(
            text(&short),
            "TIPC v2.0 1.1.2:1 > 2, headerlength 24 bytes, MessageSize 66000 bytes, \
             Critical Importance Data payload, messageType CONN_MSG"
        );
        assert_eq!(text(&short[..20]), " [|tipc]");
    }

    #[test]
    fn internal_and_link_config() {
        let d = words(&[
            0x4000_0000 | 7 << 25 | 10 << 21 | 40,
            1 << 29,
            0,
            0,
            0,
            0,
            NODE_112,
            0,
        ]);
        assert_eq!(
            text(&d),
            "TIPC v2.0 1.1.2 > 0.0.0, headerlength 40 bytes, MessageSize 40 bytes, \
             Link State Protocol internal, messageType MCAST_MSG (0x20000000)"
        );
        let d = words(&[0x4000_0000 | 13 << 25 | 6 << 21 | 24, 1 << 29, NODE_112, 0]);
        assert_eq!(
            text(&d),
            "TIPC v2.0 0.0.0 > 1.1.2, headerlength 24 bytes, MessageSize 24 bytes, \
             Neighbor Detection Protocol internal, messageType Link response"
        );
        assert_eq!(text(&words(&[0x4000_0000 | 4 << 25])), "");
    }
}
