//! DVMRP (IGMP type 0x13, RFC 1075 and mrouted's extensions): tcpdump's default line
//! after `igmp dvmrp`, the message type and, for neighbor lists, prunes and grafts,
//! their addresses: ` Neighbors2 (v 12.4): [10.0.0.2 -> 10.0.0.1 (1/0/querier)]`.

use super::text::{TextOut, relative_seconds};

/// The IGMP header DVMRP messages start with.
const HEADER_LEN: usize = 8;

const PROBE: u8 = 1;
const REPORT: u8 = 2;
const ASK_NEIGHBORS: u8 = 3;
const NEIGHBORS: u8 = 4;
const ASK_NEIGHBORS2: u8 = 5;
const NEIGHBORS2: u8 = 6;
const PRUNE: u8 = 7;
const GRAFT: u8 = 8;
const GRAFT_ACK: u8 = 9;

/// Neighbors2 flags, in the order tcpdump names them.
const NEIGHBOR_FLAGS: [(u8, &str); 5] = [
    (0x01, "/tunnel"),
    (0x02, "/srcrt"),
    (0x40, "/querier"),
    (0x20, "/disabled"),
    (0x10, "/down"),
];

/// Why a message stopped printing.
enum Stop {
    /// Cut short by the capture: ` [|dvmrp]`.
    Truncated,
    /// A length or count that does not add up: ` (invalid)`, after tcpdump's note.
    Invalid,
}

/// Appends the text for an IGMP message (header included) of wire length `len`, captured
/// `m`; the caller has printed `igmp dvmrp` and checked `len` >= 8.
pub fn print(out: &mut Vec<u8>, m: &[u8], len: u32) {
    match message(out, m, len) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|dvmrp]"),
        Err(Stop::Invalid) => out.s(" (invalid)"),
    }
}

fn message(out: &mut Vec<u8>, m: &[u8], len: u32) -> Result<(), Stop> {
    let t = *m.get(1).ok_or(Stop::Truncated)?;
    let body = m.get(HEADER_LEN..).unwrap_or(&[]);
    let body_len = len.saturating_sub(HEADER_LEN as u32);
    out.s(" ");
    match name(t) {
        Some(n) => out.s(n),
        None => {
            out.s("[type ");
            out.num(t);
            out.s("]");
        }
    }
    match t {
        NEIGHBORS => neighbors(out, body, body_len),
        NEIGHBORS2 => {
            // mrouted puts its version in the group address field.
            let (minor, major) = (byte(m, 6)?, byte(m, 7)?);
            out.s(" (v ");
            out.num(major);
            out.s(".");
            out.num(minor);
            out.s("):");
            neighbors2(out, body, body_len)
        }
        PRUNE => {
            source_group(out, body)?;
            out.s(" timer ");
            relative_seconds(out, be32(body, 8)?);
            Ok(())
        }
        GRAFT | GRAFT_ACK => source_group(out, body),
        // Probes and reports show more only with -v.
        _ => Ok(()),
    }
}

fn name(t: u8) -> Option<&'static str> {
    Some(match t {
        PROBE => "Probe",
        REPORT => "Report",
        ASK_NEIGHBORS => "Ask-neighbors(old)",
        NEIGHBORS => "Neighbors(old)",
        ASK_NEIGHBORS2 => "Ask-neighbors2",
        NEIGHBORS2 => "Neighbors2",
        PRUNE => "Prune",
        GRAFT => "Graft",
        GRAFT_ACK => "Graft-ACK",
        _ => return None,
    })
}

fn byte(d: &[u8], at: usize) -> Result<u8, Stop> {
    d.get(at).copied().ok_or(Stop::Truncated)
}

fn be32(d: &[u8], at: usize) -> Result<u32, Stop> {
    super::decode::be32(d, at).ok_or(Stop::Truncated)
}

fn address(d: &[u8], at: usize) -> Result<[u8; 4], Stop> {
    be32(d, at).map(u32::to_be_bytes)
}

/// ` src 10.0.0.1 grp 224.1.1.1` (both read before either is printed, as tcpdump does).
fn source_group(out: &mut Vec<u8>, body: &[u8]) -> Result<(), Stop> {
    let (src, grp) = (address(body, 0)?, address(body, 4)?);
    out.s(" src ");
    out.ipv4(src);
    out.s(" grp ");
    out.ipv4(grp);
    Ok(())
}

fn too_short(out: &mut Vec<u8>, left: u32, need: u32) -> Stop {
    out.s(" [length ");
    out.num(left);
    out.s(" < ");
    out.num(need);
    out.s("]");
    Stop::Invalid
}

/// The old reply: per local address, its metric, threshold and neighbor addresses.
fn neighbors(out: &mut Vec<u8>, body: &[u8], mut left: u32) -> Result<(), Stop> {
    let mut at = 0;
    while left > 0 {
        if left < 7 {
            return Err(too_short(out, left, 7));
        }
        let local = address(body, at)?;
        let (metric, thresh, count) = (
            byte(body, at + 4)?,
            byte(body, at + 5)?,
            byte(body, at + 6)?,
        );
        at += 7;
        left -= 7;
        for _ in 0..count {
            if left < 4 {
                return Err(too_short(out, left, 4));
            }
            // tcpdump names the local address before it reads the neighbor's.
            out.s(" [");
            out.ipv4(local);
            out.s(" ->");
            let neighbor = address(body, at)?;
            out.s(" ");
            out.ipv4(neighbor);
            out.s(", (");
            out.num(metric);
            out.s("/");
            out.num(thresh);
            out.s(")]");
            at += 4;
            left -= 4;
        }
    }
    Ok(())
}

/// The new reply: per local address, its metric, threshold, flags and neighbors.
fn neighbors2(out: &mut Vec<u8>, body: &[u8], mut left: u32) -> Result<(), Stop> {
    let mut at = 0;
    while left > 0 {
        if left < 8 {
            return Err(too_short(out, left, 8));
        }
        let local = address(body, at)?;
        let (metric, thresh) = (byte(body, at + 4)?, byte(body, at + 5)?);
        let (flags, count) = (byte(body, at + 6)?, byte(body, at + 7)?);
        at += 8;
        left -= 8;
        let mut shown = 0;
        while shown < count && left > 0 {
            if left < 4 {
                return Err(too_short(out, left, 4));
            }
            out.s(" [");
            out.ipv4(local);
            out.s(" -> ");
            let neighbor = address(body, at)?;
            out.ipv4(neighbor);
            out.s(" (");
            out.num(metric);
            out.s("/");
            out.num(thresh);
            for (bit, name) in NEIGHBOR_FLAGS {
                if flags & bit != 0 {
                    out.s(name);
                }
            }
            out.s(")]");
            at += 4;
            left -= 4;
            shown += 1;
        }
        // The message ended before the neighbors it announced.
        if shown < count {
            out.s(" [invalid ncount]");
            return Err(Stop::Invalid);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, m, len)
    }

    #[test]
    fn asks_and_neighbor_lists() {
        let ask = [0x13, 5, 0, 0, 0, 0, 4, 12];
        assert_eq!(text(&ask, 8), " Ask-neighbors2");
        let mut reply = vec![0x13, 6, 0, 0, 0, 0, 4, 12];
        reply.extend_from_slice(&[10, 0, 0, 2, 1, 0, 0x40, 1, 10, 0, 0, 1]);
        reply.extend_from_slice(&[10, 0, 0, 9, 1, 0, 0x11, 1, 10, 0, 0, 10]);
        assert_eq!(
            text(&reply, 32),
            " Neighbors2 (v 12.4): [10.0.0.2 -> 10.0.0.1 (1/0/querier)] \
             [10.0.0.9 -> 10.0.0.10 (1/0/tunnel/down)]"
        );
        assert_eq!(
            text(&reply[..30], 32),
            " Neighbors2 (v 12.4): [10.0.0.2 -> 10.0.0.1 (1/0/querier)] [10.0.0.9 ->  [|dvmrp]"
        );
        assert_eq!(
            text(&reply[..22], 22),
            " Neighbors2 (v 12.4): [10.0.0.2 -> 10.0.0.1 (1/0/querier)] [length 2 < 8] (invalid)"
        );
        let mut old = vec![0x13, 4, 0, 0, 0, 0, 0, 0];
        old.extend_from_slice(&[10, 0, 0, 2, 1, 2, 1, 10, 0, 0, 1]);
        assert_eq!(
            text(&old, 19),
            " Neighbors(old) [10.0.0.2 -> 10.0.0.1, (1/2)]"
        );
    }

    #[test]
    fn prunes_grafts_and_unknown_types() {
        let mut prune = vec![0x13, 7, 0, 0, 0, 0, 0, 0];
        prune.extend_from_slice(&[48, 48, 48, 48, 224, 1, 1, 1, 0x80, 0, 0, 0]);
        assert_eq!(
            text(&prune, 20),
            " Prune src 48.48.48.48 grp 224.1.1.1 timer 68y5w3h14m8s"
        );
        assert_eq!(
            text(&prune[..18], 20),
            " Prune src 48.48.48.48 grp 224.1.1.1 timer  [|dvmrp]"
        );
        assert_eq!(text(&prune[..14], 20), " Prune [|dvmrp]");
        prune[1] = 9;
        assert_eq!(text(&prune, 20), " Graft-ACK src 48.48.48.48 grp 224.1.1.1");
        assert_eq!(text(&[0x13, 42, 0, 0, 0, 0, 0, 0], 8), " [type 42]");
    }
}
