//! DECnet Phase IV routing and NSP (EtherType 0x6003): tcpdump's default line,
//! `1.1 > 1.2 34 conn-initiate 8195>0 ver 4.1 segsize 16403 ` for data messages (with
//! tcpdump's trailing space) and `endnode-hello endnode vers 2 ...` for control ones.

use super::text::TextOut;

/// Why a message's line stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// A length field contradicts the message: ` (invalid)`.
    Invalid,
    /// The capture ended inside a field: ` [|decnet]`.
    Truncated,
}

type Step = Result<(), Stop>;

/// The short route header: flags, destination, source, visits.
const SHORT_HEADER_LEN: u32 = 6;
const LONG_HEADER_LEN: u32 = 21;
const NSP_HEADER_LEN: u32 = 5;

/// Route flags.
const PAD: u8 = 0x80;
const FUTURE_VERSION: u8 = 0x40;
const CONTROL: u8 = 0x01;

/// Sequence number fields: an acknowledgement, a negative one, the other channel's.
const ACK: u16 = 0x8000;
const NAK: u16 = 0x9000;
const OTHER_ACK: u16 = 0xa000;
const OTHER_NAK: u16 = 0xb000;
const SEQ_MASK: u16 = 0x0fff;

fn byte(d: &[u8], at: usize) -> Result<u8, Stop> {
    d.get(at).copied().ok_or(Stop::Truncated)
}

fn le16(d: &[u8], at: usize) -> Result<u16, Stop> {
    match d.get(at..at + 2) {
        Some(b) => Ok(u16::from_le_bytes([b[0], b[1]])),
        None => Err(Stop::Truncated),
    }
}

/// The capture holds `n` bytes at `at`.
fn captured(d: &[u8], at: usize, n: usize) -> Step {
    if d.len() >= at.saturating_add(n) {
        Ok(())
    } else {
        Err(Stop::Truncated)
    }
}

/// Appends the line for a DECnet message of wire length `len`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    match message(out, data, len) {
        Ok(()) => {}
        Err(Stop::Invalid) => out.s(" (invalid)"),
        Err(Stop::Truncated) => out.s(" [|decnet]"),
    }
}

/// A node address, `area.node`.
fn address(out: &mut Vec<u8>, a: u16) {
    out.num(a >> 10);
    out.s(".");
    out.num(a & 0x3ff);
}

/// ` (what N < M)` for a length field shorter than its minimum.
fn too_short(out: &mut Vec<u8>, what: &str, n: u32, min: u32) -> Step {
    out.s(" (");
    out.s(what);
    out.s(" ");
    out.num(n);
    out.s(" < ");
    out.num(min);
    out.s(")");
    Err(Stop::Invalid)
}

/// tcpdump's default print of `want` bytes: as many as were captured, then `[|decnet]`
/// when that was fewer.
fn dump(out: &mut Vec<u8>, bytes: &[u8], want: u32) -> Step {
    let n = bytes.len().min(want as usize);
    super::hexdump::hex_and_ascii(out, &bytes[..n], b"\t");
    if n < want as usize {
        Err(Stop::Truncated)
    } else {
        Ok(())
    }
}

fn message(out: &mut Vec<u8>, d: &[u8], len: u32) -> Step {
    if len < SHORT_HEADER_LEN {
        return too_short(out, "length", len, SHORT_HEADER_LEN);
    }
    // The message's own length field leads, then the route header.
    let packet_len = u32::from(le16(d, 0)?);
    if packet_len < SHORT_HEADER_LEN {
        return too_short(out, "pktlen", packet_len, SHORT_HEADER_LEN);
    }
    if packet_len > len {
        out.s(" (pktlen ");
        out.num(packet_len);
        out.s(" > ");
        out.num(len);
        out.s(")");
        return Err(Stop::Invalid);
    }
    let mut length = packet_len;
    let mut d = d;
    let mut flags = byte(d, 2)?;
    if flags & PAD != 0 {
        let pad = flags & !PAD;
        if length < u32::from(pad) + 2 {
            return too_short(out, "length", length, u32::from(pad) + 2);
        }
        captured(d, 2, usize::from(pad))?;
        d = &d[usize::from(pad)..];
        length -= u32::from(pad);
        flags = byte(d, 2)?;
    }
    if flags & FUTURE_VERSION != 0 {
        out.s("future-version-decnet");
        return dump(out, d, length);
    }
    let route = &d[2..];
    if flags & CONTROL != 0 {
        return control(out, route, length);
    }
    let (destination, source, nsp, nsp_len) = match flags & 7 {
        6 => {
            if length < LONG_HEADER_LEN {
                return too_short(out, "length", length, LONG_HEADER_LEN);
            }
            captured(route, 0, LONG_HEADER_LEN as usize)?;
            (
                le16(route, 7)?,
                le16(route, 15)?,
                21,
                length - LONG_HEADER_LEN,
            )
        }
        2 => {
            let addresses = (le16(route, 1)?, le16(route, 3)?);
            byte(route, 5)?;
            // A padded message may be shorter than its header; tcpdump's unsigned
            // subtraction then wraps.
            (
                addresses.0,
                addresses.1,
                6,
                length.wrapping_sub(SHORT_HEADER_LEN),
            )
        }
        _ => {
            out.s("unknown message flags under mask");
            return dump(out, d, length);
        }
    };
    address(out, source);
    out.s(" > ");
    address(out, destination);
    out.s(" ");
    out.num(packet_len);
    out.s(" ");
    nsp_message(out, route.get(nsp..).unwrap_or(&[]), nsp_len)
}

/// A routing control message from its flags byte; `length` counts from the message's
/// length field, as tcpdump compares it.
fn control(out: &mut Vec<u8>, r: &[u8], length: u32) -> Step {
    let kind = byte(r, 0)? & 0x0f;
    let (name, min) = match kind {
        1 => ("init ", 12),
        3 => ("verification ", 4),
        5 => ("test ", 4),
        7 => ("lev-1-routing ", 4),
        9 => ("lev-2-routing ", 4),
        11 => ("router-hello ", 18),
        13 => ("endnode-hello ", 32),
        _ => {
            out.s("unknown control message");
            return dump(out, r, length);
        }
    };
    out.s(name);
    if length < min {
        return Err(Stop::Invalid);
    }
    match kind {
        1 => {
            captured(r, 0, 12)?;
            let src = le16(r, 1)?;
            let block = le16(r, 4)?;
            let hello = le16(r, 9)?;
            node_type(out, r[3], false);
            out.s("src ");
            address(out, src);
            // tcpdump writes no space here.
            out.s("blksize ");
            out.num(block);
            out.s(" vers ");
            out.num(r[6]);
            out.s(" eco ");
            out.num(r[7]);
            out.s(" ueco ");
            out.num(r[8]);
            out.s(" hello ");
            out.num(hello);
        }
        3 | 5 => {
            let src = le16(r, 1)?;
            let other = byte(r, 3)?;
            out.s("src ");
            address(out, src);
            out.s(if kind == 3 { " fcnval " } else { " data " });
            octal(out, other);
        }
        7 | 9 => {
            captured(r, 0, 4)?;
            out.s("src ");
            address(out, le16(r, 1)?);
            out.s(" ");
            routes(
                out,
                &r[4..],
                length - 4,
                if kind == 7 { "ids" } else { "areas" },
            )?;
        }
        11 => {
            captured(r, 0, 18)?;
            node_type(out, r[10], true);
            hello_versions(out, r);
            address(out, le16(r, 8)?);
            out.s(" blksize ");
            out.num(le16(r, 11)?);
            out.s(" pri ");
            out.num(r[13]);
            out.s(" hello ");
            out.num(le16(r, 15)?);
        }
        _ => {
            captured(r, 0, 32)?;
            node_type(out, r[10], true);
            hello_versions(out, r);
            address(out, le16(r, 8)?);
            out.s(" blksize ");
            out.num(le16(r, 11)?);
            out.s(" rtr ");
            address(out, le16(r, 26)?);
            out.s(" hello ");
            out.num(le16(r, 28)?);
            out.s(" data ");
            octal(out, r[31]);
        }
    }
    Ok(())
}

/// `vers N eco N ueco N src ` of a hello (its first bytes captured).
fn hello_versions(out: &mut Vec<u8>, r: &[u8]) {
    out.s("vers ");
    out.num(r[1]);
    out.s(" eco ");
    out.num(r[2]);
    out.s(" ueco ");
    out.num(r[3]);
    out.s(" src ");
}

fn octal(out: &mut Vec<u8>, n: u8) {
    if n >= 0o100 {
        out.num(n >> 6);
    }
    if n >= 0o10 {
        out.num((n >> 3) & 7);
    }
    out.num(n & 7);
}

/// The node type and flags of a routing message; hellos (`hello`) name one more flag.
fn node_type(out: &mut Vec<u8>, info: u8, hello: bool) {
    out.s(match info & 3 {
        0 => "reserved-ntype? ",
        1 => "l2rout ",
        2 => "l1rout ",
        _ => "endnode ",
    });
    if info & 0x04 != 0 {
        out.s("verif ");
    }
    if hello && info & 0x20 != 0 {
        out.s("nomcast ");
    }
    if info & if hello { 0x40 } else { 0x08 } != 0 {
        out.s("blo ");
    }
}

/// Routing entries of 3 words each, the last word (a checksum) left out.
fn routes(out: &mut Vec<u8>, r: &[u8], mut len: u32, what: &str) -> Step {
    let mut at = 0;
    while len > 6 {
        captured(r, at, 6)?;
        let count = le16(r, at)?;
        if count > 1024 {
            // Bogus from here on.
            return Ok(());
        }
        let first = le16(r, at + 2)?;
        let info = le16(r, at + 4)?;
        at += 6;
        len -= 6;
        out.s("{");
        out.s(what);
        out.s(" ");
        out.num(first);
        out.s("-");
        out.num(u32::from(first) + u32::from(count));
        out.s(" cost ");
        out.num(info & 0x1ff);
        out.s(" hops ");
        out.num((info >> 10) & 0x1f);
        out.s("} ");
    }
    Ok(())
}

/// An NSP message of `len` bytes (by the routing header's count).
fn nsp_message(out: &mut Vec<u8>, n: &[u8], len: u32) -> Step {
    if len < NSP_HEADER_LEN {
        return too_short(out, "nsplen", len, NSP_HEADER_LEN);
    }
    let flags = byte(n, 0)?;
    let dst = le16(n, 1)?;
    let src = le16(n, 3)?;
    let links = |out: &mut Vec<u8>| {
        out.num(src);
        out.s(">");
        out.num(dst);
        out.s(" ");
    };
    let reserved = |out: &mut Vec<u8>, what: &str| {
        out.s(what);
        out.hex(u64::from(flags), 0);
        out.s(" ");
        out.num(src);
        out.s(" > ");
        out.num(dst);
    };
    match (flags & 0x0c, flags & 0x70) {
        (0, 0x00 | 0x20 | 0x40 | 0x60) => {
            out.s("data ");
            links(out);
            segment(out, n, len, ("onak ", "oack "))?;
        }
        (0, 0x30) => {
            out.s("intr ");
            segment(out, n, len, ("nakdat ", "ackdat "))?;
        }
        (0, 0x10) => {
            out.s("link-service ");
            links(out);
            if len < 13 {
                return Err(Stop::Invalid);
            }
            let mut ack = le16(n, 5)?;
            if ack & ACK != 0 {
                acknowledgement(out, ack, NAK, ("nak ", "ack "));
                ack = le16(n, 7)?;
                if ack & OTHER_ACK != 0 {
                    acknowledgement(out, ack, OTHER_NAK, ("nakdat ", "ackdat "));
                    ack = le16(n, 9)?;
                }
            }
            out.s("seg ");
            out.num(ack & SEQ_MASK);
            out.s(" ");
            let ls_flags = byte(n, 11)?;
            let fc_value = byte(n, 12)?;
            match ls_flags & 0x0c {
                0 => {
                    out.s("dat seg count ");
                    out.num(fc_value);
                    out.s(" ");
                    match ls_flags & 3 {
                        0 => {}
                        1 => out.s("donotsend-data "),
                        2 => out.s("send-data "),
                        _ => {
                            out.s("reserved-fcmod? ");
                            out.hex(u64::from(ls_flags), 0);
                        }
                    }
                }
                4 => {
                    out.s("intr req count ");
                    out.num(fc_value);
                    out.s(" ");
                }
                _ => {
                    out.s("reserved-fcval-int? ");
                    out.hex(u64::from(ls_flags), 0);
                }
            }
        }
        (0, _) => reserved(out, "reserved-subtype? "),
        (4, sub @ (0x00 | 0x10)) => {
            let names = if sub == 0 {
                out.s("data-ack ");
                ("onak ", "oack ")
            } else {
                out.s("ils-ack ");
                ("nakdat ", "ackdat ")
            };
            links(out);
            if len < 9 {
                return Err(Stop::Invalid);
            }
            captured(n, 0, 9)?;
            let ack = le16(n, 5)?;
            if ack & ACK != 0 {
                acknowledgement(out, ack, NAK, ("nak ", "ack "));
                let other = le16(n, 7)?;
                if other & OTHER_ACK != 0 {
                    acknowledgement(out, other, OTHER_NAK, names);
                }
            }
        }
        (4, 0x20) => {
            out.s("conn-ack ");
            out.num(dst);
        }
        (4, _) => reserved(out, "reserved-acktype? "),
        (8, sub @ (0x10 | 0x60 | 0x20)) => {
            out.s(match sub {
                0x10 => "conn-initiate ",
                0x60 => "retrans-conn-initiate ",
                _ => "conn-confirm ",
            });
            links(out);
            let min = if sub == 0x20 { 10 } else { 9 };
            if len < min {
                return Err(Stop::Invalid);
            }
            let services = byte(n, 5)?;
            let info = byte(n, 6)?;
            let segment_size = le16(n, 7)?;
            let options_len = if sub == 0x20 { byte(n, 9)? } else { 0 };
            out.s(match services & 0x0c {
                4 => "seg ",
                8 => "msg ",
                _ => "",
            });
            out.s(match info & 3 {
                0 => "ver 3.2 ",
                1 => "ver 3.1 ",
                2 => "ver 4.0 ",
                _ => "ver 4.1 ",
            });
            out.s("segsize ");
            out.num(segment_size);
            out.s(" ");
            options_length(out, options_len);
        }
        (8, 0x30) => {
            out.s("disconn-initiate ");
            links(out);
            if len < 8 {
                return Err(Stop::Invalid);
            }
            let reason = le16(n, 5)?;
            let options_len = byte(n, 7)?;
            disconnect_reason(out, reason);
            options_length(out, options_len);
        }
        (8, 0x40) => {
            out.s("disconn-confirm ");
            links(out);
            disconnect_reason(out, le16(n, 5)?);
        }
        (8, _) => reserved(out, "reserved-ctltype? "),
        _ => reserved(out, "reserved-type? "),
    }
    Ok(())
}

/// The sequence words of a data or interrupt segment, then `seg N `.
fn segment(out: &mut Vec<u8>, n: &[u8], len: u32, other: (&str, &str)) -> Step {
    if len < 7 {
        return Err(Stop::Invalid);
    }
    let mut ack = le16(n, 5)?;
    if ack & ACK != 0 {
        acknowledgement(out, ack, NAK, ("nak ", "ack "));
        if len < 9 {
            return Err(Stop::Invalid);
        }
        ack = le16(n, 7)?;
        if ack & OTHER_ACK != 0 {
            acknowledgement(out, ack, OTHER_NAK, other);
            if len < 11 {
                return Err(Stop::Invalid);
            }
            ack = le16(n, 9)?;
        }
    }
    out.s("seg ");
    out.num(ack & SEQ_MASK);
    out.s(" ");
    Ok(())
}

/// `nak N ` when all of `negative`'s bits are set, else `ack N ` (by `names`).
fn acknowledgement(out: &mut Vec<u8>, ack: u16, negative: u16, names: (&str, &str)) {
    out.s(if ack & negative == negative {
        names.0
    } else {
        names.1
    });
    out.num(ack & SEQ_MASK);
    out.s(" ");
}

fn options_length(out: &mut Vec<u8>, n: u8) {
    if n != 0 {
        out.s("optlen ");
        out.num(n);
        out.s(" ");
    }
}

fn disconnect_reason(out: &mut Vec<u8>, reason: u16) {
    let name = match reason {
        0 => "object rejected connect",
        1 => "insufficient resources",
        2 => "unrecognized node name",
        3 => "node is shutting down",
        4 => "unrecognized object",
        5 => "invalid object name format",
        6 => "object too busy",
        7 => "protocol error discovered",
        8 => "third party abort",
        9 => "user abort",
        10 => "invalid node name format",
        11 => "local node shutting down",
        32 => "insufficient local resources",
        33 => "insufficient remote user resources",
        34 => "invalid access control information",
        36 => "bad ACCOUNT information",
        38 => "no response from object",
        39 => "node unreachable",
        41 => "no link terminate",
        42 => "disconnect complete",
        43 => "bad image data in connect",
        54 => "cryptographic service mismatch",
        _ => {
            out.s("reason-");
            out.num(reason);
            out.s(" ");
            return;
        }
    };
    out.s(name);
    out.s(" ");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    /// A short-header data message: length field, route header 1.1 → 1.2, then `nsp`.
    fn short(nsp: &[u8]) -> Vec<u8> {
        let len = (6 + nsp.len()) as u16;
        let mut d = len.to_le_bytes().to_vec();
        d.extend([0x02, 0x02, 0x04, 0x01, 0x04, 0x00]);
        d.extend(nsp);
        d
    }

    #[test]
    fn endnode_hello() {
        let mut d = vec![
            34, 0, 0x0d, 2, 0, 0, 0xaa, 0, 4, 0, 0x01, 0x04, 3, 0x32, 0x40, 0,
        ];
        d.extend([0; 8]);
        d.extend([0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
        assert_eq!(
            text(&d, 36),
            "endnode-hello endnode vers 2 eco 0 ueco 0 src 1.1 blksize 16434 rtr 0.0 \
             hello 10 data 2"
        );
        assert_eq!(text(&d[..20], 36), "endnode-hello  [|decnet]");
        let mut short = d[..20].to_vec();
        short[0] = 20;
        assert_eq!(text(&short, 20), "endnode-hello  (invalid)");
    }

    #[test]
    fn connect_and_data() {
        let ci = short(&[0x18, 0, 0, 0x03, 0x20, 0x01, 0x03, 0x13, 0x40]);
        assert_eq!(
            text(&ci, 40),
            "1.1 > 1.2 15 conn-initiate 8195>0 ver 4.1 segsize 16403 "
        );
        let data = short(&[
            0x60, 0x04, 0x20, 0x03, 0x20, 0x00, 0x80, 0x00, 0xa0, 0x01, 0x00,
        ]);
        assert_eq!(
            text(&data, 40),
            "1.1 > 1.2 17 data 8195>8196 ack 0 oack 0 seg 1 "
        );
        let ack = short(&[0x04, 0x04, 0x20, 0x03, 0x20, 0x01, 0x80, 0x01, 0xa0]);
        assert_eq!(
            text(&ack, 40),
            "1.1 > 1.2 15 data-ack 8195>8196 ack 1 oack 1 "
        );
        let ls = short(&[
            0x10, 0x04, 0x20, 0x03, 0x20, 0x00, 0x80, 0x00, 0xa0, 0x01, 0x00, 0x00, 0x00,
        ]);
        assert_eq!(
            text(&ls, 40),
            "1.1 > 1.2 19 link-service 8195>8196 ack 0 ackdat 0 seg 1 dat seg count 0 "
        );
        let di = short(&[0x38, 0x04, 0x20, 0x03, 0x20, 42, 0, 0]);
        assert_eq!(
            text(&di, 40),
            "1.1 > 1.2 14 disconn-initiate 8195>8196 disconnect complete "
        );
    }

    #[test]
    fn bad_lengths() {
        assert_eq!(
            text(&short(&[0x04, 0x04, 0x20]), 40),
            "1.1 > 1.2 9  (nsplen 3 < 5) (invalid)"
        );
        assert_eq!(text(&[0x30, 0x30], 4), " (length 4 < 6) (invalid)");
        assert_eq!(text(&[0x05, 0x00], 40), " (pktlen 5 < 6) (invalid)");
        assert_eq!(text(&[0x30, 0x30], 40), " (pktlen 12336 > 40) (invalid)");
        assert_eq!(text(&[0x30], 40), " [|decnet]");
    }

    #[test]
    fn routing_and_unknown() {
        let mut d = vec![16, 0, 0x07, 0x01, 0x04, 0];
        d.extend([2, 0, 1, 0, 0x03, 0x08, 0, 0, 0, 0]);
        assert_eq!(
            text(&d, 16),
            "lev-1-routing src 1.1 {ids 1-3 cost 3 hops 2} "
        );
        let d = [8, 0, 0x0f, 0x41, 0x42, 0x43];
        assert_eq!(
            text(&d, 8),
            "unknown control message\n\t0x0000:  0f41 4243                                .ABC [|decnet]"
        );
    }
}
