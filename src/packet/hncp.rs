//! HNCP (UDP 8231, RFC 7788): tcpdump's default line, the message length then its
//! TLVs' kinds, a run of one kind counted: `hncp (72) Node endpoint, Network state,
//! Node state (x2)`.

use super::decode::be16;
use super::text::TextOut;

/// A TLV's kind as tcpdump groups them: a defined type, or the range an undefined one
/// falls in.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Defined(&'static str),
    Reserved,
    Unassigned,
    PrivateUse,
    FutureUse,
}

impl Kind {
    fn of(t: u16) -> Kind {
        let defined = match t {
            1 => "Request network state",
            2 => "Request node state",
            3 => "Node endpoint",
            4 => "Network state",
            5 => "Node state",
            8 => "Peer",
            9 => "Keep-alive interval",
            10 => "Trust-Verdict",
            32 => "HNCP-Version",
            33 => "External-Connection",
            34 => "Delegated-Prefix",
            43 => "Prefix-Policy",
            37 => "DHCPv4-Data",
            38 => "DHCPv6-Data",
            35 => "Assigned-Prefix",
            36 => "Node-Address",
            39 => "DNS-Delegated-Zone",
            40 => "Domain-Name",
            41 => "Node-Name",
            42 => "Managed-PSK",
            0 => return Kind::Reserved,
            44..=511 => return Kind::Unassigned,
            768..=1023 => return Kind::PrivateUse,
            _ => return Kind::FutureUse,
        };
        Kind::Defined(defined)
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Defined(name) => name,
            Kind::Reserved => "Reserved",
            Kind::Unassigned => "Unassigned",
            Kind::PrivateUse => "Private use",
            Kind::FutureUse => "Future use",
        }
    }
}

/// A run of TLVs of one kind, printed when the kind changes.
struct Run {
    kind: Kind,
    count: u32,
}

impl Run {
    fn print(&self, out: &mut Vec<u8>, first: &mut bool) {
        out.s(if *first { " " } else { ", " });
        *first = false;
        out.s(self.kind.name());
        if self.count > 1 {
            out.s(" (x");
            out.num(self.count);
            out.s(")");
        }
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("hncp (");
    out.num(len);
    out.s(")");
    let mut run: Option<Run> = None;
    let mut first = true;
    let mut i = 0u64;
    while i < u64::from(len) {
        let at = i as usize;
        // A run not yet printed is dropped when the walk stops early, as tcpdump does.
        let (Some(t), Some(body_len)) = (be16(data, at), be16(data, at + 2)) else {
            out.s(" [|hncp]");
            return;
        };
        if i + 4 > u64::from(len) {
            out.s(" (invalid)");
            return;
        }
        let body_len = u64::from(body_len);
        if (data.len() as u64) < i + 4 + body_len {
            out.s(" [|hncp]");
            return;
        }
        if i + 4 + body_len > u64::from(len) {
            out.s(" (invalid)");
            return;
        }
        let kind = Kind::of(t);
        match &mut run {
            Some(r) if r.kind == kind => r.count += 1,
            _ => {
                if let Some(r) = &run {
                    r.print(out, &mut first);
                }
                run = Some(Run { kind, count: 1 });
            }
        }
        // Bodies are padded to 4 bytes.
        i += 4 + body_len.next_multiple_of(4);
    }
    if let Some(r) = &run {
        r.print(out, &mut first);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn runs_of_kinds() {
        let mut m = vec![0, 3, 0, 2, 1, 2, 0, 0]; // node endpoint, padded body
        m.extend_from_slice(&[0, 4, 0, 0]); // network state
        m.extend_from_slice(&[0, 5, 0, 0, 0, 5, 0, 0]); // node state twice
        assert_eq!(
            line(&m, m.len() as u32),
            "hncp (20) Node endpoint, Network state, Node state (x2)"
        );
        assert_eq!(line(&[0, 1, 0, 0], 4), "hncp (4) Request network state");
        let m = [0, 0, 0, 0, 0x02, 0x10, 0, 0, 0x03, 0x10, 0, 0];
        assert_eq!(line(&m, 12), "hncp (12) Reserved, Future use, Private use");
    }

    #[test]
    fn problems() {
        // The pending run is not printed before the mark.
        assert_eq!(line(&[0, 1, 0, 0, 0, 2], 12), "hncp (12) [|hncp]");
        assert_eq!(line(&[0, 1, 0, 0, 0, 2, 0, 4], 12), "hncp (12) [|hncp]");
        assert_eq!(
            line(&[0, 1, 0, 0, 0, 2, 0, 4, 0, 0, 0, 0], 10),
            "hncp (10) (invalid)"
        );
        assert_eq!(
            line(&[0, 1, 0, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 9, 0, 0], 14),
            "hncp (14) Request network state (invalid)"
        );
    }
}
