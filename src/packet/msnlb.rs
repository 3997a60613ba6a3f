//! Microsoft Network Load Balancing heartbeats (EtherType 0x886f, undocumented):
//! tcpdump's line, `MS NLB heartbeat, host priority: 2, cluster IP: 192.168.100.80,
//! host IP: 192.168.100.82`.

use super::text::TextOut;

/// Where the fields tcpdump shows lie (after two unknown words).
const PRIORITY_AT: usize = 8;
const CLUSTER_IP_AT: usize = 12;
const HOST_IP_AT: usize = 16;

/// Appends the text for a message of wire length `_len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    out.s("MS NLB heartbeat");
    if fields(out, data).is_none() {
        out.s(" [|msnlb]");
    }
}

fn fields(out: &mut Vec<u8>, data: &[u8]) -> Option<()> {
    let priority = data.get(PRIORITY_AT..PRIORITY_AT + 4)?;
    out.s(", host priority: ");
    // The one little-endian field.
    out.num(u32::from_le_bytes(priority.try_into().ok()?));
    for (label, at) in [
        (", cluster IP: ", CLUSTER_IP_AT),
        (", host IP: ", HOST_IP_AT),
    ] {
        let ip = data.get(at..at + 4)?;
        out.s(label);
        out.ipv4(ip.try_into().ok()?);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::printed;

    #[test]
    fn heartbeat() {
        let mut m = vec![0u8; 8];
        m.extend_from_slice(&[2, 0, 0, 0, 192, 168, 100, 80, 192, 168, 100, 82]);
        assert_eq!(
            printed(print, &m, 1496),
            "MS NLB heartbeat, host priority: 2, cluster IP: 192.168.100.80, \
             host IP: 192.168.100.82"
        );
        assert_eq!(
            printed(print, &m[..18], 1496),
            "MS NLB heartbeat, host priority: 2, cluster IP: 192.168.100.80 [|msnlb]"
        );
        assert_eq!(printed(print, &m[..4], 1496), "MS NLB heartbeat [|msnlb]");
    }
}
