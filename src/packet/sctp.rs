//! SCTP (IP protocol 132, RFC 9260): tcpdump's default line, the address and port pair,
//! then one `(n) [CHUNK] ...` item per chunk; DATA chunks of ForCES (by port or payload
//! protocol) go on to the ForCES line.

use super::decode::be16;
use super::decode::be32;
use super::print::Addrs;
use super::text::TextOut;

const HEADER_LEN: u32 = 12;
const CHUNK_HEADER_LEN: u32 = 4;

/// The ForCES channels (RFC 5811): the port's name after `sctp`.
fn forces_channel(port: u16) -> Option<&'static str> {
    Some(match port {
        6704 => "ForCES HP",
        6705 => "ForCES MP",
        6706 => "ForCES LP",
        _ => return None,
    })
}

/// Payload protocol identifiers 21..=23 are ForCES's.
fn is_forces_ppid(ppid: u32) -> bool {
    (21..=23).contains(&ppid)
}

fn chunk_name(id: u8) -> Option<&'static str> {
    Some(match id {
        0 => "DATA",
        1 => "INIT",
        2 => "INIT ACK",
        3 => "SACK",
        4 => "HB REQ",
        5 => "HB ACK",
        6 => "ABORT",
        7 => "SHUTDOWN",
        8 => "SHUTDOWN ACK",
        9 => "OP ERR",
        10 => "COOKIE ECHO",
        11 => "COOKIE ACK",
        12 => "ECN ECHO",
        13 => "ECN CWR",
        14 => "SHUTDOWN COMPLETE",
        192 => "FOR CUM TSN",
        193 => "REL CTRL",
        194 => "REL CTRL ACK",
        _ => return None,
    })
}

fn ppid_name(ppid: u32) -> Option<&'static str> {
    Some(match ppid {
        1 => "ISDN Q.921",
        2 => "M2UA",
        3 => "M3UA",
        4 => "SUA",
        5 => "M2PA",
        6 => "V5.2",
        7 => "H.248",
        8 => "BICC",
        9 => "TALI",
        10 => "DUA",
        11 => "ASAP",
        12 => "ENRP",
        13 => "H.323",
        14 => "Q.IPC",
        15 => "SIMCO",
        16 => "DDPSC",
        17 => "DDPSSC",
        18 => "S1AP",
        19 => "RUA",
        20 => "HNBAP",
        21 => "ForCES HP",
        22 => "ForCES MP",
        23 => "ForCES LP",
        24 => "SBc-AP",
        25 => "NBAP",
        27 => "X2AP",
        _ => return None,
    })
}

/// Why the chunk walk stopped early.
enum Stop {
    /// The captured bytes end first: tcpdump's ` [|sctp]`.
    Cut,
    /// A chunk too short for its fixed fields: `bogus chunk length N]`.
    Bogus(u16),
}

/// Appends the line for an SCTP packet of wire length `len` (captured bytes `data`)
/// carried between `addrs`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, addrs: Addrs) {
    if len < HEADER_LEN {
        out.s("truncated-sctp - ");
        out.num(HEADER_LEN - len);
        out.s(" bytes missing!");
        return;
    }
    let (Some(sport), Some(dport), Some(_)) = (be16(data, 0), be16(data, 2), data.get(11)) else {
        out.s(" [|sctp]");
        return;
    };
    addrs.pair(out, Some((sport, dport)));
    out.s(": sctp");
    let mut forces = false;
    for port in [sport, dport] {
        if let Some(name) = forces_channel(port) {
            out.s("[");
            out.s(name);
            out.s("]");
            forces = true;
        }
    }
    match chunks(out, data, len - HEADER_LEN, forces) {
        Ok(()) => {}
        Err(Stop::Cut) => out.s(" [|sctp]"),
        Err(Stop::Bogus(n)) => {
            out.s("bogus chunk length ");
            out.num(n);
            out.s("]");
        }
    }
}

/// The chunks after the common header; `rest` is the wire length left. Lengths wrap as
/// tcpdump's unsigned counters do (a chunk longer than the packet runs into the end of
/// the captured bytes).
fn chunks(out: &mut Vec<u8>, data: &[u8], mut rest: u32, mut forces: bool) -> Result<(), Stop> {
    let mut at = HEADER_LEN as usize;
    let mut sep = " (";
    let mut count = 0u32;
    while rest != 0 {
        count += 1;
        if rest < CHUNK_HEADER_LEN {
            item(out, sep, count);
            out.s("[chunk descriptor cut off at end of packet]");
            return Ok(());
        }
        let (Some(&id), Some(&flags), Some(clen)) =
            (data.get(at), data.get(at + 1), be16(data, at + 2))
        else {
            return Err(Stop::Cut);
        };
        if u32::from(clen) < CHUNK_HEADER_LEN {
            item(out, sep, count);
            out.s("[Bad chunk length ");
            out.num(clen);
            out.s(", < size of chunk descriptor]");
            return Ok(());
        }
        let align = (4 - u32::from(clen) % 4) % 4;
        if rest < align {
            item(out, sep, count);
            out.s("[Bad chunk length ");
            out.num(clen);
            out.s(", > remaining data in packet]");
            return Ok(());
        }
        let chunk = data.get(at..at + usize::from(clen)).ok_or(Stop::Cut)?;
        let body = &chunk[CHUNK_HEADER_LEN as usize..];
        item(out, sep, count);
        out.s("[");
        match chunk_name(id) {
            Some(name) => out.s(name),
            None => {
                out.s("Unknown chunk type: 0x");
                out.hex(u64::from(id), 0);
            }
        }
        out.s("] ");
        match id {
            0 => data_chunk(out, body, flags, clen, &mut forces)?,
            1 | 2 => init(out, body, clen)?,
            3 => sack(out, body, clen)?,
            _ => {}
        }
        at += chunk.len();
        rest = rest.wrapping_sub(u32::from(clen));
        sep = ", (";
        if align != 0 {
            data.get(at..at + align as usize).ok_or(Stop::Cut)?;
            at += align as usize;
            rest = rest.wrapping_sub(align);
        }
    }
    Ok(())
}

fn item(out: &mut Vec<u8>, sep: &str, count: u32) {
    out.s(sep);
    out.num(count);
    out.s(") ");
}

/// Reads a field of a chunk body already known to be captured whole.
fn field32(body: &[u8], at: usize) -> u32 {
    be32(body, at).unwrap_or(0)
}

fn field16(body: &[u8], at: usize) -> u16 {
    be16(body, at).unwrap_or(0)
}

fn data_chunk(
    out: &mut Vec<u8>,
    body: &[u8],
    flags: u8,
    clen: u16,
    forces: &mut bool,
) -> Result<(), Stop> {
    const FIXED: usize = 12;
    for (bit, mark) in [(4, "(U)"), (2, "(B)"), (1, "(E)")] {
        if flags & bit != 0 {
            out.s(mark);
        }
    }
    if flags & 7 != 0 {
        out.s(" ");
    }
    if body.len() < FIXED {
        return Err(Stop::Bogus(clen));
    }
    let ppid = field32(body, 8);
    out.s("[TSN: ");
    out.num(field32(body, 0));
    out.s("] [SID: ");
    out.num(field16(body, 4));
    out.s("] [SSEQ ");
    out.num(field16(body, 6));
    out.s("] [PPID ");
    match ppid_name(ppid) {
        Some(name) => out.s(name),
        None => {
            out.s("0x");
            out.hex(u64::from(ppid), 0);
        }
    }
    out.s("] ");
    *forces |= is_forces_ppid(ppid);
    let payload = &body[FIXED..];
    if payload.is_empty() {
        return Err(Stop::Bogus(clen));
    }
    if *forces {
        super::forces::print(out, payload, payload.len() as u32);
    }
    Ok(())
}

/// INIT and INIT ACK: their fixed fields (parameters are not printed).
fn init(out: &mut Vec<u8>, body: &[u8], clen: u16) -> Result<(), Stop> {
    if body.len() < 16 {
        return Err(Stop::Bogus(clen));
    }
    out.s("[init tag: ");
    out.num(field32(body, 0));
    out.s("] [rwnd: ");
    out.num(field32(body, 4));
    out.s("] [OS: ");
    out.num(field16(body, 8));
    out.s("] [MIS: ");
    out.num(field16(body, 10));
    out.s("] [init TSN: ");
    out.num(field32(body, 12));
    out.s("] ");
    Ok(())
}

fn sack(out: &mut Vec<u8>, body: &[u8], clen: u16) -> Result<(), Stop> {
    if body.len() < 12 {
        return Err(Stop::Bogus(clen));
    }
    let cum_ack = field32(body, 0);
    let gaps = field16(body, 8);
    let dups = field16(body, 10);
    out.s("[cum ack ");
    out.num(cum_ack);
    out.s("] [a_rwnd ");
    out.num(field32(body, 4));
    out.s("] [#gap acks ");
    out.num(gaps);
    out.s("] [#dup tsns ");
    out.num(dups);
    out.s("] ");
    let mut rest = &body[12..];
    for n in 1..=gaps {
        if rest.is_empty() {
            break;
        }
        let Some(gap) = rest.get(..4) else {
            return Err(Stop::Bogus(clen));
        };
        out.s("\n\t\t[gap ack block #");
        out.num(n);
        out.s(": start = ");
        out.num(cum_ack.wrapping_add(u32::from(field16(gap, 0))));
        out.s(", end = ");
        out.num(cum_ack.wrapping_add(u32::from(field16(gap, 2))));
        out.s("] ");
        rest = &rest[4..];
    }
    for n in 1..=dups {
        if rest.is_empty() {
            break;
        }
        let Some(tsn) = rest.get(..4) else {
            return Err(Stop::Bogus(clen));
        };
        out.s("\n\t\t[dup TSN #");
        out.num(n);
        out.s(": ");
        out.num(field32(tsn, 0));
        out.s("] ");
        rest = &rest[4..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADDRS: Addrs = Addrs::V4([10, 0, 0, 1], [10, 0, 0, 2]);

    fn text(data: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len, ADDRS);
        String::from_utf8(out).unwrap()
    }

    fn packet(ports: (u16, u16), chunks: &[&[u8]]) -> Vec<u8> {
        let mut p = Vec::new();
        p.extend_from_slice(&ports.0.to_be_bytes());
        p.extend_from_slice(&ports.1.to_be_bytes());
        p.extend_from_slice(&[0; 8]);
        for c in chunks {
            p.extend_from_slice(c);
        }
        p
    }

    #[test]
    fn sack_and_heartbeat_chunks() {
        let sack = [
            3, 0, 0, 20, 0, 0, 0, 100, 0, 0, 0xe0, 0, 0, 1, 0, 0, 0, 2, 0, 3,
        ];
        let hb = [4, 0, 0, 6, 1, 2, 0, 0];
        let p = packet((6706, 48316), &[&sack, &hb]);
        assert_eq!(
            text(&p, p.len() as u32),
            "10.0.0.1.6706 > 10.0.0.2.48316: sctp[ForCES LP] (1) [SACK] [cum ack 100] \
             [a_rwnd 57344] [#gap acks 1] [#dup tsns 0] \n\t\t[gap ack block #1: start = 102, \
             end = 103] , (2) [HB REQ] "
        );
    }

    #[test]
    fn data_with_payload_protocol_and_cut_short() {
        let data = [
            0, 3, 0, 17, 0, 0, 0x10, 0xd3, 0, 0, 2, 0x83, 0, 0, 0, 3, 0xaa, 0, 0, 0,
        ];
        let p = packet((2905, 2905), &[&data]);
        assert_eq!(
            text(&p, p.len() as u32),
            "10.0.0.1.2905 > 10.0.0.2.2905: sctp (1) [DATA] (B)(E) [TSN: 4307] [SID: 0] \
             [SSEQ 643] [PPID M3UA] "
        );
        assert_eq!(
            text(&p[..20], p.len() as u32),
            "10.0.0.1.2905 > 10.0.0.2.2905: sctp [|sctp]"
        );
        assert_eq!(text(&p, 10), "truncated-sctp - 2 bytes missing!");
    }

    #[test]
    fn bad_chunk_length() {
        let p = packet((1, 2), &[&[1, 0, 0, 8, 0, 0, 0, 0]]);
        assert_eq!(
            text(&p, p.len() as u32),
            "10.0.0.1.1 > 10.0.0.2.2: sctp (1) [INIT] bogus chunk length 8]"
        );
        let p = packet((1, 2), &[&[11, 0, 0, 2]]);
        assert_eq!(
            text(&p, p.len() as u32),
            "10.0.0.1.1 > 10.0.0.2.2: sctp (1) [Bad chunk length 2, < size of chunk descriptor]"
        );
    }
}
