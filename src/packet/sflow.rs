//! sFlow (UDP 6343, sFlow v5): tcpdump's default line,
//! `sFlowv5, IPv4 agent 15.184.1.129, agent-id 2, length 1288`.

use super::decode::be32;
use super::text::TextOut;

/// The datagram header with an IPv4 agent address (version, address type, agent,
/// agent id, sequence number, uptime, sample count).
const V4_HEADER: u32 = 28;
/// The same with an IPv6 agent address.
const V6_HEADER: u32 = 40;
const AGENT_V4: u32 = 1;
const AGENT_V6: u32 = 2;

/// Appends the line for a datagram of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if print_header(out, data, len).is_none() {
        out.s(" [|sflow]");
    }
}

/// `None` when the capture ends within what the line needs.
fn print_header(out: &mut Vec<u8>, data: &[u8], len: u32) -> Option<()> {
    let agent_type = be32(data, 4)?;
    if (len < V4_HEADER && agent_type == AGENT_V4) || (len < V6_HEADER && agent_type == AGENT_V6) {
        out.s("sFlowv");
        out.num(be32(data, 0)?);
        out.s(" [length ");
        out.num(len);
        out.s(" < ");
        // tcpdump names the IPv4 header's size for both address types.
        out.num(V4_HEADER);
        out.s("] (invalid)");
        return Some(());
    }
    data.get(..V4_HEADER as usize)?;
    let version = be32(data, 0)?;
    if version != 5 {
        out.s("sFlow version ");
        out.num(version);
        out.s(" packet not supported");
        return Some(());
    }
    if agent_type == AGENT_V4 {
        let a = data.get(8..12)?;
        let id = be32(data, 12)?;
        out.s("sFlowv5, IPv4 agent ");
        out.ipv4([a[0], a[1], a[2], a[3]]);
        out.s(", agent-id ");
        out.num(id);
    } else {
        let a: [u8; 16] = data.get(8..24)?.try_into().ok()?;
        let id = be32(data, 24)?;
        out.s("sFlowv5, IPv6 agent ");
        out.ipv6(a);
        out.s(", agent-id ");
        out.num(id);
    }
    out.s(", length ");
    out.num(len);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    fn header(agent_type: u8, agent: &[u8]) -> Vec<u8> {
        let mut d = vec![0, 0, 0, 5, 0, 0, 0, agent_type];
        d.extend_from_slice(agent);
        d.extend_from_slice(&[0, 0, 0, 100]);
        d.resize(d.len() + 12, 0);
        d
    }

    #[test]
    fn agents() {
        let d = header(1, &[15, 184, 13, 52]);
        assert_eq!(
            line(&d, 424),
            "sFlowv5, IPv4 agent 15.184.13.52, agent-id 100, length 424"
        );
        let mut a6 = [0u8; 16];
        a6[1] = 0x30;
        a6[15] = 1;
        let d = header(2, &a6);
        assert_eq!(
            line(&d, 216),
            "sFlowv5, IPv6 agent 30::1, agent-id 100, length 216"
        );
    }

    #[test]
    fn problems() {
        let d = header(1, &[1, 2, 3, 4]);
        assert_eq!(line(&d, 8), "sFlowv5 [length 8 < 28] (invalid)");
        let mut v4 = d.clone();
        v4[3] = 4;
        assert_eq!(line(&v4, 28), "sFlow version 4 packet not supported");
        assert_eq!(line(&d[..20], 28), " [|sflow]");
    }
}
