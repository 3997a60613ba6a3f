//! BSD timed's time synchronisation protocol, TSP (UDP 525): tcpdump's default line,
//! `TSP_LOOP vers 1 seq 15498 hopcnt 10 name OTTO.testlab`.

use super::decode::{be16, be32};
use super::text::{TextOut, printn};

const ADJTIME: u8 = 1;
const SETTIME: u8 = 5;
const SETDATE: u8 = 22;
const SETDATEREQ: u8 = 23;
const LOOP: u8 = 24;
/// Type, version, sequence number, then the time or hop count (8 bytes), then the name.
const NAME_AT: usize = 12;
/// The name field's size.
const NAME_LEN: usize = 256;

const TYPES: [&str; 25] = [
    "TSP_ANY",
    "TSP_ADJTIME",
    "TSP_ACK",
    "TSP_MASTERREQ",
    "TSP_MASTERACK",
    "TSP_SETTIME",
    "TSP_MASTERUP",
    "TSP_SLAVEUP",
    "TSP_ELECTION",
    "TSP_ACCEPT",
    "TSP_REFUSE",
    "TSP_CONFLICT",
    "TSP_RESOLVE",
    "TSP_QUIT",
    "TSP_DATE",
    "TSP_DATEREQ",
    "TSP_DATEACK",
    "TSP_TRACEON",
    "TSP_TRACEOFF",
    "TSP_MSITE",
    "TSP_MSITEREQ",
    "TSP_TEST",
    "TSP_SETDATE",
    "TSP_SETDATEREQ",
    "TSP_LOOP",
];

/// The message ran past the capture (tcpdump's `[|timed]`).
struct Truncated;

/// Appends the line for a message whose captured bytes are `data` (tcpdump reads it to
/// the end of the capture).
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    if walk(out, data).is_err() {
        out.s(" [|timed]");
    }
}

fn walk(out: &mut Vec<u8>, data: &[u8]) -> Result<(), Truncated> {
    let kind = *data.first().ok_or(Truncated)?;
    match TYPES.get(usize::from(kind)) {
        Some(name) => out.s(name),
        None => {
            out.s("(tsp_type 0x");
            out.hex(u64::from(kind), 0);
            out.s(")");
        }
    }
    // Each field is read before its label prints, as tcpdump does.
    let version = *data.get(1).ok_or(Truncated)?;
    out.s(" vers ");
    out.num(version);
    let seq = be16(data, 2).ok_or(Truncated)?;
    out.s(" seq ");
    out.num(seq);
    match kind {
        LOOP => {
            let hops = *data.get(4).ok_or(Truncated)?;
            out.s(" hopcnt ");
            out.num(hops);
        }
        ADJTIME | SETTIME | SETDATE | SETDATEREQ => {
            let mut sec = be32(data, 4).ok_or(Truncated)? as i32;
            let mut usec = be32(data, 8).ok_or(Truncated)? as i32;
            if usec < 0 {
                // tcpdump skips the rest of an invalid time.
                return Ok(());
            }
            out.s(" time ");
            if sec < 0 && usec != 0 {
                sec += 1;
                if sec == 0 {
                    out.s("-");
                }
                usec = 1_000_000 - usec;
            }
            out.num(sec);
            out.s(".");
            let digits = out.len();
            out.num(usec);
            // Zero-padded to 6 digits.
            let width = out.len() - digits;
            for _ in width..6 {
                out.insert(digits, b'0');
            }
        }
        _ => {}
    }
    out.s(" name ");
    let field = data.get(NAME_AT..).unwrap_or(&[]);
    let field = &field[..field.len().min(NAME_LEN)];
    match field.iter().position(|&b| b == 0) {
        Some(end) => printn(out, &field[..end]),
        None => {
            printn(out, field);
            if field.len() < NAME_LEN {
                return Err(Truncated);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, data, data.len() as u32);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn messages() {
        let mut m = vec![24, 1, 0x3c, 0x8a, 10, 0, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(b"OTTO\0");
        assert_eq!(line(&m), "TSP_LOOP vers 1 seq 15498 hopcnt 10 name OTTO");
        let mut m = vec![5, 1, 0, 1, 0, 0, 0, 7, 0, 0, 0, 42];
        m.extend_from_slice(b"a\0");
        assert_eq!(line(&m), "TSP_SETTIME vers 1 seq 1 time 7.000042 name a");
        let mut m = vec![1, 1, 0, 1, 0xff, 0xff, 0xff, 0xff, 0, 0x07, 0xa1, 0x20];
        m.extend_from_slice(b"\0");
        assert_eq!(line(&m), "TSP_ADJTIME vers 1 seq 1 time -0.500000 name ");
    }

    #[test]
    fn cut_short() {
        let m = [
            0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30,
        ];
        assert_eq!(line(&m), "(tsp_type 0x30) vers 48 seq 12336 name  [|timed]");
        assert_eq!(line(&[2, 1]), "TSP_ACK vers 1 [|timed]");
    }
}
