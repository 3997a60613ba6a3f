//! Microsoft Network Load Balancing heartbeats (EtherType 0x886f): tcpdump's
//! `MS NLB heartbeat, host priority: 2, cluster IP: 10.0.0.80, host IP: 10.0.0.82`.
//! The protocol is undocumented; tcpdump reads these three fields only.

use super::text::TextOut;

/// Offsets of the fields tcpdump reads (after two unknown 4-byte words).
const PRIORITY_AT: usize = 8;
const CLUSTER_IP_AT: usize = 12;
const HOST_IP_AT: usize = 16;

fn ipv4(data: &[u8], at: usize) -> Option<[u8; 4]> {
    data.get(at..at + 4)?.try_into().ok()
}

/// Appends the line for the captured heartbeat `data` (the wire length is unused).
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    out.s("MS NLB heartbeat");
    if fields(out, data).is_none() {
        out.s(" [|msnlb]");
    }
}

fn fields(out: &mut Vec<u8>, data: &[u8]) -> Option<()> {
    // Each field is read before its label is printed, as tcpdump does.
    let priority = data.get(PRIORITY_AT..PRIORITY_AT + 4)?;
    out.s(", host priority: ");
    out.num(u32::from_le_bytes(priority.try_into().ok()?));
    let cluster = ipv4(data, CLUSTER_IP_AT)?;
    out.s(", cluster IP: ");
    out.ipv4(cluster);
    let host = ipv4(data, HOST_IP_AT)?;
    out.s(", host IP: ");
    out.ipv4(host);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8]) -> String {
        crate::packet::text::printed(print, data, data.len() as u32)
    }

    #[test]
    fn heartbeat_and_cut_short() {
        let hb = [
            0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 192, 168, 100, 80, 192, 168, 100, 82,
        ];
        assert_eq!(
            text(&hb),
            "MS NLB heartbeat, host priority: 2, cluster IP: 192.168.100.80, host IP: 192.168.100.82"
        );
        assert_eq!(
            text(&hb[..18]),
            "MS NLB heartbeat, host priority: 2, cluster IP: 192.168.100.80 [|msnlb]"
        );
    }
}
