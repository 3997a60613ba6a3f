//! Cisco IGRP (IP protocol 9): tcpdump's line, the header's route counts and each
//! route, `igrp: update V1 edit=3 AS=100 (1/0/0) *.10.1.0 d=1000 b=10000 ... in 0 hops`.

use super::text::TextOut;

const HEADER_LEN: u32 = 12;
const ROUTE_LEN: u32 = 14;

/// The message ended (in the captured bytes) before a field tcpdump reads.
struct Truncated;

fn bytes<const N: usize>(m: &[u8], at: usize) -> Result<[u8; N], Truncated> {
    m.get(at..at + N)
        .and_then(|b| b.try_into().ok())
        .ok_or(Truncated)
}

fn be16(m: &[u8], at: usize) -> Result<u16, Truncated> {
    bytes(m, at).map(u16::from_be_bytes)
}

fn be24(m: &[u8], at: usize) -> Result<u32, Truncated> {
    bytes::<3>(m, at).map(|[a, b, c]| u32::from_be_bytes([0, a, b, c]))
}

/// Appends the text after `src > dst: ` for a message of wire length `len` whose
/// captured bytes are `payload`.
pub fn print(out: &mut Vec<u8>, payload: &[u8], len: u32) {
    out.s("igrp:");
    if print_message(out, payload, len).is_err() {
        out.s(" [|igrp]");
    }
}

fn print_message(out: &mut Vec<u8>, m: &[u8], len: u32) -> Result<(), Truncated> {
    let mut counts = [be16(m, 4)?, be16(m, 6)?, be16(m, 8)?];
    let version_op = *m.first().ok_or(Truncated)?;
    let edition = *m.get(1).ok_or(Truncated)?;
    let autonomous_system = be16(m, 2)?;
    out.s(" ");
    match version_op & 0x0f {
        1 => out.s("update"),
        2 => out.s("request"),
        op => {
            out.s("op-#");
            out.num(op);
        }
    }
    out.s(" V");
    out.num(version_op >> 4);
    out.s(" edit=");
    out.num(edition);
    out.s(" AS=");
    out.num(autonomous_system);
    out.s(" (");
    out.num(counts[0]);
    out.s("/");
    out.num(counts[1]);
    out.s("/");
    out.num(counts[2]);
    out.s(")");
    be16(m, 10)?; // checksum, shown only with -v
    // tcpdump's unsigned arithmetic: a length below the header's wraps around, and the
    // routes then run to the capture's end.
    let mut left = len.wrapping_sub(HEADER_LEN);
    let mut at = HEADER_LEN as usize;
    while left >= ROUTE_LEN {
        let net: [u8; 3] = bytes(m, at)?;
        // Interior routes (subnets), then system routes, then exterior ones.
        let Some(kind) = counts.iter().position(|&n| n > 0) else {
            out.s(" [extra bytes ");
            out.num(left);
            out.s("]");
            break;
        };
        counts[kind] -= 1;
        out.s([" *.", " ", " X"][kind]);
        out.num(net[0]);
        out.s(".");
        out.num(net[1]);
        out.s(".");
        out.num(net[2]);
        if kind > 0 {
            out.s(".0");
        }
        route(out, m, at)?;
        at += ROUTE_LEN as usize;
        left -= ROUTE_LEN;
    }
    if counts.iter().any(|&n| n > 0) || left > 0 {
        out.s(" (invalid)");
    }
    Ok(())
}

/// A route's metrics after its network (delay in 10 µs units, bandwidth as 10^7 /
/// kb/s, reliability, load, composite metric, MTU, hops).
fn route(out: &mut Vec<u8>, m: &[u8], at: usize) -> Result<(), Truncated> {
    let delay = be24(m, at + 3)?;
    let bandwidth = be24(m, at + 6)?;
    let mtu = be16(m, at + 9)?;
    let [reliability, load, hops] = bytes(m, at + 11)?;
    out.s(" d=");
    out.num(10 * delay);
    out.s(" b=");
    out.num(10_000_000u32.checked_div(bandwidth).unwrap_or(0));
    out.s(" r=");
    out.num(reliability);
    out.s(" l=");
    out.num(load);
    out.s(" M=");
    out.num((bandwidth + delay).min(0xff_ffff));
    out.s(" mtu=");
    out.num(mtu);
    out.s(" in ");
    out.num(hops);
    out.s(" hops");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(bytes: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, bytes, len);
        String::from_utf8(out).unwrap()
    }

    const ROUTE: [u8; 14] = [10, 1, 2, 0, 0, 100, 0, 0x03, 0xe8, 0x05, 0xdc, 255, 1, 2];

    #[test]
    fn update_with_interior_and_exterior_routes() {
        let mut m = vec![0x11, 3, 0, 100, 0, 1, 0, 0, 0, 1, 0xab, 0xcd];
        m.extend_from_slice(&ROUTE);
        m.extend_from_slice(&ROUTE);
        assert_eq!(
            line(&m, m.len() as u32),
            "igrp: update V1 edit=3 AS=100 (1/0/1) \
             *.10.1.2 d=1000 b=10000 r=255 l=1 M=1100 mtu=1500 in 2 hops \
             X10.1.2.0 d=1000 b=10000 r=255 l=1 M=1100 mtu=1500 in 2 hops"
        );
    }

    #[test]
    fn extra_bytes_and_missing_routes_are_invalid() {
        let mut m = vec![0x12, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0];
        assert_eq!(
            line(&m, m.len() as u32),
            "igrp: request V1 edit=0 AS=1 (0/1/0) (invalid)"
        );
        m[7] = 0;
        m.extend_from_slice(&ROUTE);
        assert_eq!(
            line(&m, m.len() as u32),
            "igrp: request V1 edit=0 AS=1 (0/0/0) [extra bytes 14] (invalid)"
        );
    }

    #[test]
    fn cut_short() {
        let mut m = vec![0x12, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0];
        m.extend_from_slice(&ROUTE[..10]);
        assert_eq!(
            line(&m, 40),
            "igrp: request V1 edit=0 AS=1 (1/0/0) *.10.1.2 [|igrp]"
        );
        assert_eq!(line(&m[..5], 40), "igrp: [|igrp]");
    }
}
