//! Novell IPX: tcpdump's line, `a8f87967.00:00:00:00:00:01.0455 >
//! 00000000.ff:ff:ff:ff:ff:ff.0455: ipx-netbios 50`, with SAP and RIP decoded. IPX
//! comes in three framings, each named by tcpdump (`-e`): Ethernet II (`(NOV-ETHII) `),
//! 802.2 LLC SAP 0xe0 (`IPX 802.2: `) and raw 802.3 (`IPX 802.3: `).

use super::text::{TextOut, printn};

const HEADER_LEN: u16 = 30;

/// Destination sockets with a printer or a name.
const SOCKET_NCP: u16 = 0x0451;
const SOCKET_SAP: u16 = 0x0452;
const SOCKET_RIP: u16 = 0x0453;
const SOCKET_NETBIOS: u16 = 0x0455;
const SOCKET_DIAGNOSTICS: u16 = 0x0456;
const SOCKET_NWLINK_DATAGRAM: u16 = 0x0553;

/// SAP responses list at most this many servers, RIP responses this many routes.
const MAX_SERVERS: usize = 8;
const MAX_ROUTES: usize = 50;
const SERVER_NAME_LEN: usize = 48;

/// Why a line stopped early.
enum Stop {
    /// ` (invalid)`.
    Invalid,
    /// ` [|ipx]`.
    Truncated,
}

/// IPX in an Ethernet II frame (EtherType 0x8137).
pub fn print_ethernet(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("(NOV-ETHII) ");
    print(out, data, len);
}

/// IPX after an 802.2 LLC header with SAP 0xe0.
pub fn print_llc(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("IPX 802.2: ");
    print(out, data, len);
}

/// IPX right after an 802.3 header, no LLC (its checksum field 0xffff where the SAPs
/// would be).
pub fn print_raw(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("IPX 802.3: ");
    print(out, data, len);
}

fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    match datagram(out, data) {
        Ok(()) => {}
        Err(Stop::Invalid) => out.s(" (invalid)"),
        Err(Stop::Truncated) => out.s(" [|ipx]"),
    }
}

fn be16(d: &[u8], at: usize) -> Result<u16, Stop> {
    super::decode::be16(d, at).ok_or(Stop::Truncated)
}

fn be32(d: &[u8], at: usize) -> Result<u32, Stop> {
    super::decode::be32(d, at).ok_or(Stop::Truncated)
}

/// `net.node` (hex network, colon-separated node).
fn address(out: &mut Vec<u8>, d: &[u8], at: usize) -> Result<(), Stop> {
    let network = be32(d, at)?;
    let node = d.get(at + 4..at + 10).ok_or(Stop::Truncated)?;
    out.hex(u64::from(network), 8);
    out.s(".");
    for (i, &b) in node.iter().enumerate() {
        if i > 0 {
            out.s(":");
        }
        out.hex(u64::from(b), 2);
    }
    Ok(())
}

fn datagram(out: &mut Vec<u8>, d: &[u8]) -> Result<(), Stop> {
    address(out, d, 18)?;
    out.s(".");
    out.hex(u64::from(be16(d, 28)?), 4);
    out.s(" > ");
    address(out, d, 6)?;
    let socket = be16(d, 16)?;
    out.s(".");
    out.hex(u64::from(socket), 4);
    out.s(": ");
    // The length in the header counts, not the frame's.
    let length = be16(d, 2)?;
    if length < HEADER_LEN {
        out.s("[length ");
        out.num(length);
        out.s(" < 30]");
        return Err(Stop::Invalid);
    }
    let body = d.get(usize::from(HEADER_LEN)..).unwrap_or(&[]);
    let length = u32::from(length - HEADER_LEN);
    let named = |out: &mut Vec<u8>, name: &str| {
        out.s(name);
        out.num(length);
    };
    match socket {
        SOCKET_NCP => named(out, "ipx-ncp "),
        SOCKET_SAP => return sap(out, body, length),
        SOCKET_RIP => return rip(out, body, length),
        SOCKET_NETBIOS => named(out, "ipx-netbios "),
        SOCKET_DIAGNOSTICS => named(out, "ipx-diags "),
        SOCKET_NWLINK_DATAGRAM => named(out, "ipx-nwlink-dgm "),
        _ => {
            out.s("ipx-#");
            out.hex(u64::from(socket), 0);
            out.s(" ");
            out.num(length);
        }
    }
    Ok(())
}

/// The operation word of SAP and RIP; ` [length N < 2]` before it when too short.
fn operation(out: &mut Vec<u8>, d: &[u8], length: u32) -> Result<u16, Stop> {
    let op = be16(d, 0)?;
    if length < 2 {
        out.s(" [length ");
        out.num(length);
        out.s(" < 2]");
        return Err(Stop::Invalid);
    }
    Ok(op)
}

fn sap(out: &mut Vec<u8>, d: &[u8], length: u32) -> Result<(), Stop> {
    let op = operation(out, d, length)?;
    let mut left = length - 2;
    let mut at = 2;
    match op {
        1 | 3 => {
            out.s(if op == 1 {
                "ipx-sap-req "
            } else {
                "ipx-sap-nearest-req "
            });
            out.hex(u64::from(be16(d, at)?), 4);
        }
        2 | 4 => {
            out.s(if op == 2 {
                "ipx-sap-resp"
            } else {
                "ipx-sap-nearest-resp"
            });
            for _ in 0..MAX_SERVERS {
                if left == 0 {
                    break;
                }
                let service = be16(d, at)?;
                if left < 2 {
                    return Err(Stop::Invalid);
                }
                out.s(" ");
                out.hex(u64::from(service), 4);
                out.s(" '");
                at += 2;
                left -= 2;
                if left < SERVER_NAME_LEN as u32 {
                    out.s("'");
                    return Err(Stop::Invalid);
                }
                server_name(out, d.get(at..).unwrap_or(&[]))?;
                out.s("'");
                at += SERVER_NAME_LEN;
                left -= SERVER_NAME_LEN as u32;
                // The server's address (10 bytes), its socket and hop count (4).
                d.get(at..at + 10).ok_or(Stop::Truncated)?;
                if left < 10 {
                    return Err(Stop::Invalid);
                }
                out.s(" addr ");
                address(out, d, at)?;
                at += 10;
                left -= 10;
                d.get(at..at + 4).ok_or(Stop::Truncated)?;
                if left < 4 {
                    return Err(Stop::Invalid);
                }
                at += 4;
                left -= 4;
            }
        }
        _ => {
            out.s("ipx-sap-?");
            out.hex(u64::from(op), 0);
        }
    }
    Ok(())
}

/// A server name: up to 48 bytes, ending at a NUL.
fn server_name(out: &mut Vec<u8>, d: &[u8]) -> Result<(), Stop> {
    let field = &d[..d.len().min(SERVER_NAME_LEN)];
    match field.iter().position(|&c| c == 0) {
        Some(end) => printn(out, &field[..end]),
        None => {
            printn(out, field);
            if field.len() < SERVER_NAME_LEN {
                return Err(Stop::Truncated);
            }
        }
    }
    Ok(())
}

fn rip(out: &mut Vec<u8>, d: &[u8], length: u32) -> Result<(), Stop> {
    let op = operation(out, d, length)?;
    let mut left = length - 2;
    let mut at = 2;
    let route = |out: &mut Vec<u8>, at: usize| -> Result<(), Stop> {
        let network = be32(d, at)?;
        let hops = be16(d, at + 4)?;
        let ticks = be16(d, at + 6)?;
        out.s(" ");
        out.hex(u64::from(network), 8);
        out.s("/");
        out.num(hops);
        out.s(".");
        out.num(ticks);
        Ok(())
    };
    match op {
        1 => {
            out.s("ipx-rip-req");
            if left != 0 {
                if left < 8 {
                    return Err(Stop::Invalid);
                }
                route(out, at)?;
            }
        }
        2 => {
            out.s("ipx-rip-resp");
            for _ in 0..MAX_ROUTES {
                if left == 0 {
                    break;
                }
                if left < 8 {
                    return Err(Stop::Invalid);
                }
                route(out, at)?;
                at += 8;
                left -= 8;
            }
        }
        _ => {
            out.s("ipx-rip-?");
            out.hex(u64::from(op), 0);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: fn(&mut Vec<u8>, &[u8], u32), d: &[u8]) -> String {
        let mut out = Vec::new();
        f(&mut out, d, d.len() as u32);
        String::from_utf8(out).unwrap()
    }

    /// A header of `length` from a8f87967.00:..:01 socket 0x4008 to the broadcast
    /// node on `socket`.
    fn header(length: u16, socket: u16) -> Vec<u8> {
        let mut d = vec![0xff, 0xff];
        d.extend(length.to_be_bytes());
        d.extend([0, 4, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        d.extend(socket.to_be_bytes());
        d.extend([0xa8, 0xf8, 0x79, 0x67, 0, 0, 0, 0, 0, 1, 0x40, 0x08]);
        d
    }

    const ROUTE: &str = "a8f87967.00:00:00:00:00:01.4008 > 00000000.ff:ff:ff:ff:ff:ff";

    #[test]
    fn named_sockets() {
        let d = header(80, SOCKET_NETBIOS);
        assert_eq!(
            text(print_llc, &d),
            format!("IPX 802.2: {ROUTE}.0455: ipx-netbios 50")
        );
        let d = header(40, 0x402b);
        assert_eq!(
            text(print_ethernet, &d),
            format!("(NOV-ETHII) {ROUTE}.402b: ipx-#402b 10")
        );
        let d = header(29, 0x402b);
        assert_eq!(
            text(print_raw, &d),
            format!("IPX 802.3: {ROUTE}.402b: [length 29 < 30] (invalid)")
        );
        assert_eq!(text(print_raw, &d[..20]), "IPX 802.3:  [|ipx]");
    }

    #[test]
    fn sap_and_rip() {
        let mut d = header(30 + 2 + 64, SOCKET_SAP);
        d.extend([0, 2, 0x03, 0x0c]);
        let mut name = *b"NPIBF5755\x01";
        name[9] = 1;
        d.extend(name);
        d.extend([0; 38]);
        d.extend([
            0, 0, 0, 0, 0, 0x30, 0xc1, 0xbf, 0x57, 0x55, 0x04, 0x51, 0, 1,
        ]);
        assert_eq!(
            text(print_llc, &d),
            format!(
                "IPX 802.2: {ROUTE}.0452: ipx-sap-resp 030c 'NPIBF5755^A' \
                 addr 00000000.00:30:c1:bf:57:55"
            )
        );
        assert_eq!(
            text(print_llc, &d[..40]),
            format!("IPX 802.2: {ROUTE}.0452: ipx-sap-resp 030c 'NPIBF5 [|ipx]")
        );
        let mut d = header(30 + 2 + 8, SOCKET_RIP);
        d.extend([0, 2, 0xa8, 0xf8, 0x79, 0x67, 0, 1, 0, 2]);
        assert_eq!(
            text(print_llc, &d),
            format!("IPX 802.2: {ROUTE}.0453: ipx-rip-resp a8f87967/1.2")
        );
        let mut d = header(30 + 2 + 5, SOCKET_RIP);
        d.extend([0, 2, 0xa8, 0xf8, 0x79, 0x67, 0]);
        assert_eq!(
            text(print_llc, &d),
            format!("IPX 802.2: {ROUTE}.0453: ipx-rip-resp (invalid)")
        );
        let mut d = header(31, SOCKET_RIP);
        d.extend([0, 2]);
        assert_eq!(
            text(print_llc, &d),
            format!("IPX 802.2: {ROUTE}.0453:  [length 1 < 2] (invalid)")
        );
    }
}
