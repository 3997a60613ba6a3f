//! Rx, AFS's remote procedure call transport (UDP 7000-7009): tcpdump's default line,
//! ` rx data (28)` or ` rx ack first 2 serial 347 reason delay (65)`.
//!
//! tcpdump also decodes the first data packet of a call to an AFS service (`pt call
//! name-to-id "nneul"`) and, remembering calls across packets, the reply. Calls to the
//! protection service are decoded here (not its Ubik calls); calls to the other
//! services and all replies print the bare header line.

use super::decode::be32;
use super::text::{TextOut, printn};

/// Epoch, connection id, call number, sequence, serial, type, flags, user status,
/// security index, spare and service id.
const HEADER: usize = 28;
const SEQ_AT: usize = 12;
const TYPE_AT: usize = 20;
const FLAGS_AT: usize = 21;
const DATA: u8 = 1;
const ACK: u8 = 2;
/// The flag set on packets the client sends.
const CLIENT_INITIATED: u8 = 1;
/// The longest name the protection service takes.
const PR_NAME_MAX: u32 = 64;
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

/// The AFS services whose calls are decoded, by the destination port they listen on.
#[derive(Clone, Copy, PartialEq)]
enum Service {
    /// The protection server (7002).
    Protection,
}

/// Why a service call stopped printing early.
enum Stop {
    /// A field past the capture: the line ends with `[|rx]`, without the length.
    Capture,
    /// What tcpdump's service printer checks itself: `[|pt]`, then the length.
    Service,
}

/// Appends the line for a packet of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_with(out, data, len, None);
}

/// As [`print`], for a packet to the protection service's port (7002).
pub fn print_to_protection(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_with(out, data, len, Some(Service::Protection));
}

fn print_with(out: &mut Vec<u8>, data: &[u8], len: u32, service: Option<Service>) {
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
    let first_of_call =
        kind == DATA && be32(header, SEQ_AT) == Some(1) && header[FLAGS_AT] & CLIENT_INITIATED != 0;
    if let (true, Some(Service::Protection)) = (first_of_call, service) {
        if len > HEADER as u32 {
            match protection_call(out, &data[HEADER..]) {
                Ok(()) => {}
                Err(Stop::Capture) => {
                    out.s(" [|rx]");
                    return;
                }
                Err(Stop::Service) => out.s(" [|pt]"),
            }
        }
    } else if kind == ACK && len >= HEADER as u32 {
        print_ack(out, &data[HEADER..]);
    }
    out.s(" (");
    out.num(len);
    out.s(")");
}

fn protection_op(op: u32) -> Option<&'static str> {
    Some(match op {
        500 => "new-user",
        501 => "where-is-it",
        502 => "dump-entry",
        503 => "add-to-group",
        504 => "name-to-id",
        505 => "id-to-name",
        506 => "delete",
        507 => "remove-from-group",
        508 => "get-cps",
        509 => "new-entry",
        510 => "list-max",
        511 => "set-max",
        512 => "list-entry",
        513 => "change-entry",
        514 => "list-elements",
        515 => "same-mbr-of",
        516 => "set-fld-sentry",
        517 => "list-owned",
        518 => "get-cps2",
        519 => "get-host-cps",
        520 => "update-entry",
        521 => "list-entries",
        530 => "list-super-groups",
        _ => return None,
    })
}

/// Ubik (the replicated database's) opcodes, which every AFS database service takes.
fn is_ubik(op: u32) -> bool {
    (10_000..=10_007).contains(&op) || (20_000..=20_013).contains(&op)
}

/// Reads a call's arguments, printing them as tcpdump's `INTOUT`, `STROUT` and
/// `VECOUT` do.
struct Args<'p> {
    data: &'p [u8],
    at: usize,
}

impl Args<'_> {
    fn u32(&mut self) -> Result<u32, Stop> {
        let v = be32(self.data, self.at).ok_or(Stop::Capture)?;
        self.at += 4;
        Ok(v)
    }

    /// ` label N`, the value signed.
    fn int(&mut self, out: &mut Vec<u8>, label: &str) -> Result<(), Stop> {
        out.s(label);
        let v = self.u32()? as i32;
        out.s(" ");
        out.num(v);
        Ok(())
    }

    /// A counted string padded to 4 bytes: ` "name"`.
    fn string(&mut self, out: &mut Vec<u8>, max: u32) -> Result<(), Stop> {
        let n = self.u32()?;
        if n > max {
            return Err(Stop::Service);
        }
        out.s(" \"");
        let text = self.data.get(self.at..).unwrap_or(&[]);
        let shown = &text[..text.len().min(n as usize)];
        printn(out, shown);
        if shown.len() < n as usize {
            return Err(Stop::Service);
        }
        out.s("\"");
        self.at += (n as usize).div_ceil(4) * 4;
        Ok(())
    }

    /// A name sent as `max` 32-bit words, one character each: ` "name"`.
    fn vector(&mut self, out: &mut Vec<u8>, max: u32) -> Result<(), Stop> {
        let words = self
            .data
            .get(self.at..self.at + max as usize * 4)
            .ok_or(Stop::Service)?;
        self.at += words.len();
        out.s(" \"");
        for word in words.chunks_exact(4) {
            if word[3] == 0 {
                break;
            }
            printn(out, &word[3..]);
        }
        out.s("\"");
        Ok(())
    }
}

/// ` pt call <op>` and the arguments tcpdump shows; `body` follows the Rx header.
fn protection_call(out: &mut Vec<u8>, body: &[u8]) -> Result<(), Stop> {
    let mut args = Args { data: body, at: 0 };
    let op = args.u32()?;
    out.s(" pt");
    if is_ubik(op) {
        return Ok(());
    }
    out.s(" call ");
    match protection_op(op) {
        Some(name) => out.s(name),
        None => {
            out.s("op#");
            out.num(op);
        }
    }
    match op {
        500 => {
            args.string(out, PR_NAME_MAX)?;
            args.int(out, " id")?;
            args.int(out, " oldid")?;
        }
        501 | 506 | 508 | 512 | 514 | 517 | 518 | 519 | 530 => args.int(out, " id")?,
        502 => args.int(out, " pos")?,
        503 | 507 | 515 => {
            args.int(out, " uid")?;
            args.int(out, " gid")?;
        }
        504 => {
            let names = args.u32()?;
            for _ in 0..names {
                args.vector(out, PR_NAME_MAX)?;
            }
            if names == 0 {
                out.s(" <none!>");
            }
        }
        505 => {
            out.s(" ids:");
            let ids = args.u32()?;
            for _ in 0..ids {
                args.int(out, "")?;
            }
            if ids == 0 {
                out.s(" <none!>");
            }
        }
        509 => {
            args.string(out, PR_NAME_MAX)?;
            args.int(out, " flag")?;
            args.int(out, " oid")?;
        }
        511 => {
            args.int(out, " id")?;
            args.int(out, " gflag")?;
        }
        513 => {
            args.int(out, " id")?;
            args.string(out, PR_NAME_MAX)?;
            args.int(out, " oldid")?;
            args.int(out, " newid")?;
        }
        520 => {
            args.int(out, " id")?;
            args.string(out, PR_NAME_MAX)?;
        }
        _ => {}
    }
    Ok(())
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

    /// A first data packet of a call from the client, with `body` after the header.
    fn call(body: &[u8]) -> Vec<u8> {
        let mut p = header(DATA);
        p[SEQ_AT + 3] = 1;
        p[FLAGS_AT] = CLIENT_INITIATED;
        p.extend_from_slice(body);
        p
    }

    fn to_protection(data: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print_to_protection(&mut out, data, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn protection_calls() {
        let mut name = vec![0, 0, 1, 248, 0, 0, 0, 1];
        for c in b"ab" {
            name.extend_from_slice(&[0, 0, 0, *c]);
        }
        name.resize(8 + 64 * 4, 0);
        let p = call(&name);
        assert_eq!(
            to_protection(&p, p.len() as u32),
            " rx data pt call name-to-id \"ab\" (292)"
        );
        let p = call(&[
            0, 0, 1, 249, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0x38, 0, 0, 0x13, 0xf9,
        ]);
        assert_eq!(
            to_protection(&p, 44),
            " rx data pt call id-to-name ids: -200 5113 (44)"
        );
        // tcpdump prints a field's label before reading it.
        let p = call(&[0, 0, 1, 0xf7, 0, 0, 0, 1]);
        assert_eq!(
            to_protection(&p, 36),
            " rx data pt call add-to-group uid 1 gid [|rx]"
        );
        let p = call(&[0, 0, 1, 244, 0, 0, 0, 65]);
        assert_eq!(
            to_protection(&p, 40),
            " rx data pt call new-user [|pt] (40)"
        );
        // Not the first packet of a call: the header alone.
        let mut p = call(&[0, 0, 1, 244]);
        p[SEQ_AT + 3] = 2;
        assert_eq!(to_protection(&p, 32), " rx data (32)");
    }
}
