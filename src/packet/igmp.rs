//! IGMP v1–v3 (IP protocol 2): tcpdump's default lines, `igmp v2 report 225.1.1.4`,
//! `igmp query v2 [max resp time 10] [gaddr 225.1.1.3]`, and the other protocols IGMP
//! carries: PIMv1 (`igmp pimv1 ...`), DVMRP (`igmp dvmrp ...`, see dvmrp.rs) and
//! multicast traceroute (`mtrace 7: ...`).

use super::text::TextOut;

const QUERY: u8 = 0x11;
const V1_REPORT: u8 = 0x12;
const V2_REPORT: u8 = 0x16;
const LEAVE: u8 = 0x17;
const V3_REPORT: u8 = 0x22;
const DVMRP: u8 = 0x13;
const PIMV1: u8 = 0x14;
const MTRACE_RESPONSE: u8 = 0x1e;
const MTRACE: u8 = 0x1f;
/// Multicast traceroute: the IGMP header, then source, destination, response address,
/// response TTL and query ID.
const MTRACE_QUERY_LEN: u32 = 8 + 16;
/// The default maximum response time (10 s, in tenths), which tcpdump leaves out.
const DEFAULT_MRC: u8 = 100;

fn group(out: &mut Vec<u8>, m: &[u8]) -> Option<()> {
    let g = m.get(4..8)?;
    out.ipv4([g[0], g[1], g[2], g[3]]);
    Some(())
}

/// Appends the line for a message of wire length `len`, captured `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if line(out, data, len).is_none() {
        out.s(" [|igmp]");
    }
}

fn line(out: &mut Vec<u8>, m: &[u8], len: u32) -> Option<()> {
    let t = *m.first()?;
    match t {
        MTRACE_RESPONSE => return mtrace(out, "mresp", m, len),
        MTRACE => return mtrace(out, "mtrace", m, len),
        V1_REPORT | V2_REPORT | LEAVE | V3_REPORT | QUERY | PIMV1 | DVMRP => out.s("igmp "),
        _ => {
            out.s("igmp-");
            out.num(t);
            return Some(());
        }
    }
    match t {
        DVMRP => {
            out.s("dvmrp");
            if len < 8 {
                out.s(" [len ");
                out.num(len);
                out.s("]");
            } else {
                super::dvmrp::print(out, m, len);
            }
            Some(())
        }
        PIMV1 => {
            out.s("pimv1");
            super::pimv1::print(out, m);
            Some(())
        }
        V1_REPORT => {
            out.s("v1 report ");
            group(out, m)?;
            odd_length(out, len);
            Some(())
        }
        V2_REPORT => {
            out.s("v2 report ");
            group(out, m)
        }
        LEAVE => {
            out.s("leave ");
            group(out, m)
        }
        V3_REPORT => {
            let n = m.get(6..8)?;
            out.s("v3 report, ");
            out.num(u16::from_be_bytes([n[0], n[1]]));
            out.s(" group record(s)");
            Some(())
        }
        _ => query(out, m, len),
    }
}

fn query(out: &mut Vec<u8>, m: &[u8], len: u32) -> Option<()> {
    let mrc = *m.get(1)?;
    let g = m.get(4..8)?;
    out.s("query ");
    if len >= 12 {
        out.s("v3");
        if mrc != DEFAULT_MRC {
            out.s(" [max resp time ");
            // RFC 3376 §4.1.1: from 128 on, a floating-point code.
            let tenths = if mrc < 128 {
                u32::from(mrc)
            } else {
                u32::from((mrc & 0x0f) | 0x10) << ((mrc >> 4 & 0x07) + 3)
            };
            if tenths < 600 {
                out.num(tenths / 10);
                out.s(".");
                out.num(tenths % 10);
                out.s("s");
            } else {
                relative_time(out, tenths / 10);
            }
            out.s("]");
        }
    } else if mrc == 0 {
        out.s("v1");
    } else {
        out.s("v2");
        if mrc != DEFAULT_MRC {
            out.s(" [max resp time ");
            out.num(mrc);
            out.s("]");
        }
    }
    if g != [0, 0, 0, 0] {
        out.s(" [gaddr ");
        out.ipv4([g[0], g[1], g[2], g[3]]);
        out.s("]");
    }
    if len < 12 {
        odd_length(out, len);
    }
    Some(())
}

/// ` [len 9]` after a version 1 or 2 message longer than its 8 bytes.
fn odd_length(out: &mut Vec<u8>, len: u32) {
    if len != 8 {
        out.s(" [len ");
        out.num(len);
        out.s("]");
    }
}

/// `mtrace 7: <source> to <destination> reply-to <address>` (or `mresp`), with the
/// response TTL when replies go to a multicast group.
fn mtrace(out: &mut Vec<u8>, name: &str, m: &[u8], len: u32) -> Option<()> {
    if len < MTRACE_QUERY_LEN {
        out.s(" [invalid len ");
        out.num(len);
        out.s("]");
        return Some(());
    }
    let q = m.get(8..24)?;
    out.s(name);
    out.s(" ");
    out.num(u32::from_be_bytes([0, q[13], q[14], q[15]]));
    out.s(": ");
    out.ipv4([q[0], q[1], q[2], q[3]]);
    out.s(" to ");
    out.ipv4([q[4], q[5], q[6], q[7]]);
    out.s(" reply-to ");
    out.ipv4([q[8], q[9], q[10], q[11]]);
    if (224..240).contains(&q[8]) {
        out.s(" with-ttl ");
        out.num(q[12]);
    }
    Some(())
}

/// tcpdump's relative time: `51m12s`.
fn relative_time(out: &mut Vec<u8>, mut secs: u32) {
    for (unit, name) in [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")] {
        if secs >= unit {
            out.num(secs / unit);
            out.s(name);
            secs %= unit;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, m, m.len() as u32);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn reports_queries_leaves() {
        assert_eq!(
            text(&[0x16, 0, 0, 0, 225, 1, 1, 4]),
            "igmp v2 report 225.1.1.4"
        );
        assert_eq!(
            text(&[0x12, 0, 0, 0, 224, 0, 0, 9]),
            "igmp v1 report 224.0.0.9"
        );
        assert_eq!(text(&[0x17, 0, 0, 0, 225, 1, 1, 3]), "igmp leave 225.1.1.3");
        assert_eq!(text(&[0x11, 0, 0, 0, 0, 0, 0, 0]), "igmp query v1");
        assert_eq!(text(&[0x11, 100, 0, 0, 0, 0, 0, 0]), "igmp query v2");
        assert_eq!(
            text(&[0x11, 10, 0, 0, 225, 1, 1, 3]),
            "igmp query v2 [max resp time 10] [gaddr 225.1.1.3]"
        );
        assert_eq!(
            text(&[0x11, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            "igmp query v3 [max resp time 1.0s]"
        );
        assert_eq!(
            text(&[0x22, 0, 0, 0, 0, 0, 0, 1]),
            "igmp v3 report, 1 group record(s)"
        );
        assert_eq!(text(&[0x16, 0]), "igmp v2 report  [|igmp]");
        assert_eq!(text(&[0x13, 5, 0, 0]), "igmp dvmrp [len 4]");
        assert_eq!(
            text(&[0x12, 0, 0, 0, 224, 0, 0, 9, 0]),
            "igmp v1 report 224.0.0.9 [len 9]"
        );
        assert_eq!(
            text(&[0x11, 100, 0, 0, 0, 0, 0, 0, 0, 0]),
            "igmp query v2 [len 10]"
        );
        assert_eq!(
            text(&[0x13, 5, 0, 0, 0, 0, 4, 12]),
            "igmp dvmrp Ask-neighbors2"
        );
    }

    #[test]
    fn pimv1_mtrace_and_unknown_types() {
        assert_eq!(
            text(&[0x14, 4, 0, 0, 0x10, 0, 0, 0]),
            "igmp pimv1 RP-reachable"
        );
        let mut q = vec![0x1f, 0, 0, 0, 0, 0, 0, 0];
        q.extend_from_slice(&[172, 16, 40, 1, 172, 16, 20, 1, 224, 0, 0, 9, 5, 0, 0, 7]);
        assert_eq!(
            text(&q),
            "mtrace 7: 172.16.40.1 to 172.16.20.1 reply-to 224.0.0.9 with-ttl 5"
        );
        q[0] = 0x1e;
        assert_eq!(text(&q[..20]), " [invalid len 20]");
        assert_eq!(text(&[0x30, 0, 0, 0]), "igmp-48");
    }
}
