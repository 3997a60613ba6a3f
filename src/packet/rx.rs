//! Rx, AFS's remote procedure call transport (UDP 7000-7009): tcpdump's default line,
//! ` rx data (28)` or ` rx ack first 2 serial 347 reason delay (65)`.
//!
//! tcpdump also decodes the first data packet of a call to an AFS service (`fs call
//! fetch-status fid ...`) and, remembering calls across packets, the reply; neither is
//! decoded here, so those packets print the bare header line.

use super::decode::be32;
use super::text::TextOut;

/// Epoch, connection id, call number, sequence, serial, type, flags, user status,
/// security index, spare and service id.
const HEADER: usize = 28;
const TYPE_AT: usize = 20;
const ACK: u8 = 2;
/// Buffer space, max skew, first packet, previous packet, serial, reason, ack count.
const ACK_HEADER: usize = 18;

fn type_name(kind: u8) -> Option<&'static str> {
    Some(match kind {
        1 => "data",
        2 => "ack",
        3 => "busy",
        4 => "abort",
        5 => "ackall",
        6 => "challenge",
        7 => "response",
        8 => "debug",
        9 => "params",
        13 => "version",
        _ => return None,
    })
}

fn ack_reason(reason: u8) -> Option<&'static str> {
    Some(match reason {
        1 => "ack requested",
        2 => "duplicate packet",
        3 => "out of sequence",
        4 => "exceeds window",
        5 => "no buffer space",
        6 => "ping",
        7 => "ping response",
        8 => "delay",
        9 => "idle",
        _ => return None,
    })
}

/// Appends the line for a packet of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let Some(header) = data.get(..HEADER) else {
        out.s(" [|rx] (");
        out.num(len);
        out.s(")");
        return;
    };
    let kind = header[TYPE_AT];
    out.s(" rx ");
    match type_name(kind) {
        Some(name) => out.s(name),
        None => {
            out.s("type ");
            out.num(kind);
        }
    }
    if kind == ACK && len >= HEADER as u32 {
        print_ack(out, &data[HEADER..]);
    }
    out.s(" (");
    out.num(len);
    out.s(")");
}

/// The acknowledgement's first packet, serial and reason, then the ranges of packets
/// acknowledged and not.
fn print_ack(out: &mut Vec<u8>, ack: &[u8]) {
    let Some(h) = ack.get(..ACK_HEADER) else {
        out.s(" [|ack]");
        return;
    };
    let first = be32(h, 4).unwrap_or(0);
    out.s(" first ");
    out.num(first);
    out.s(" serial ");
    out.num(be32(h, 12).unwrap_or(0));
    out.s(" reason ");
    match ack_reason(h[16]) {
        Some(name) => out.s(name),
        None => {
            out.s("#");
            out.num(h[16]);
        }
    }
    let count = usize::from(h[17]);
    if count == 0 {
        return;
    }
    let Some(acks) = ack.get(ACK_HEADER..ACK_HEADER + count) else {
        out.s(" [|ack]");
        return;
    };
    ranges(out, acks, first, 1, " acked ");
    ranges(out, acks, first, 0, " nacked ");
}

/// `label` then the runs of packets whose ack byte is `want`: `3`, `5-7`, `,`-joined.
fn ranges(out: &mut Vec<u8>, acks: &[u8], first: u32, want: u8, label: &str) {
    let mut any = false;
    let mut i = 0;
    while i < acks.len() {
        if acks[i] != want {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < acks.len() && acks[i + 1] == want {
            i += 1;
        }
        out.s(if any { "," } else { label });
        any = true;
        out.num(first.wrapping_add(start as u32));
        if i > start {
            out.s("-");
            out.num(first.wrapping_add(i as u32));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len);
        String::from_utf8(out).unwrap()
    }

    fn header(kind: u8) -> Vec<u8> {
        let mut h = vec![0u8; HEADER];
        h[TYPE_AT] = kind;
        h
    }

    #[test]
    fn types() {
        assert_eq!(line(&header(1), 28), " rx data (28)");
        assert_eq!(line(&header(6), 44), " rx challenge (44)");
        assert_eq!(line(&header(12), 28), " rx type 12 (28)");
        assert_eq!(line(&header(1)[..27], 28), " [|rx] (28)");
    }

    #[test]
    fn acks() {
        let mut p = header(ACK);
        let mut a = vec![0u8; ACK_HEADER];
        a[7] = 2; // first packet
        a[15] = 91; // serial
        a[16] = 8; // delay
        p.extend_from_slice(&a);
        assert_eq!(line(&p, 65), " rx ack first 2 serial 91 reason delay (65)");
        let n = p.len() - 1;
        p[n] = 6;
        p.extend_from_slice(&[1, 1, 0, 1, 0, 0]);
        assert_eq!(
            line(&p, 70),
            " rx ack first 2 serial 91 reason delay acked 2-3,5 nacked 4,6-7 (70)"
        );
        p.truncate(p.len() - 1);
        assert_eq!(
            line(&p, 70),
            " rx ack first 2 serial 91 reason delay [|ack] (70)"
        );
    }
}
