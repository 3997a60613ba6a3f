//! L2TP (UDP 1701, RFC 2661): tcpdump's default line. A control message prints its flags,
//! tunnel/session IDs and AVPs, ` l2tp:[TLS](1/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ) ...`; a data
//! message prints the PPP frame it carries between braces.

use super::text::{TextOut, printn};

const FLAG_TYPE: u16 = 0x8000;
const FLAG_LENGTH: u16 = 0x4000;
const FLAG_SEQUENCE: u16 = 0x0800;
const FLAG_OFFSET: u16 = 0x0200;
const FLAG_PRIORITY: u16 = 0x0100;
const VERSION_MASK: u16 = 0x000f;
const VERSION_L2F: u16 = 1;
const VERSION_L2TP: u16 = 2;

const AVP_MANDATORY: u16 = 0x8000;
const AVP_HIDDEN: u16 = 0x4000;
const AVP_LEN_MASK: u16 = 0x03ff;
/// Flags/length, vendor ID and attribute type.
const AVP_HEADER_LEN: usize = 6;

/// Why a message stops printing early.
#[derive(Debug, PartialEq)]
enum Stop {
    /// The capture ends inside it: ` [|l2tp]`.
    Truncated,
    /// A length contradicts the packet: ` (invalid)` after the reason.
    Invalid,
}

fn be16(d: &[u8], at: usize) -> Result<u16, Stop> {
    d.get(at..at + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or(Stop::Truncated)
}

fn be32(d: &[u8]) -> u32 {
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

fn message_type(t: u16) -> Option<&'static str> {
    Some(match t {
        1 => "SCCRQ",
        2 => "SCCRP",
        3 => "SCCCN",
        4 => "StopCCN",
        6 => "HELLO",
        7 => "OCRQ",
        8 => "OCRP",
        9 => "OCCN",
        10 => "ICRQ",
        11 => "ICRP",
        12 => "ICCN",
        14 => "CDN",
        15 => "WEN",
        16 => "SLI",
        _ => return None,
    })
}

const AVP_NAMES: &[&str] = &[
    "MSGTYPE",
    "RESULT_CODE",
    "PROTO_VER",
    "FRAMING_CAP",
    "BEARER_CAP",
    "TIE_BREAKER",
    "FIRM_VER",
    "HOST_NAME",
    "VENDOR_NAME",
    "ASSND_TUN_ID",
    "RECV_WIN_SIZE",
    "CHALLENGE",
    "Q931_CC",
    "CHALLENGE_RESP",
    "ASSND_SESS_ID",
    "CALL_SER_NUM",
    "MINIMUM_BPS",
    "MAXIMUM_BPS",
    "BEARER_TYPE",
    "FRAMING_TYPE",
    "PACKET_PROC_DELAY",
    "CALLED_NUMBER",
    "CALLING_NUMBER",
    "SUB_ADDRESS",
    "TX_CONN_SPEED",
    "PHY_CHANNEL_ID",
    "INI_RECV_LCP",
    "LAST_SENT_LCP",
    "LAST_RECV_LCP",
    "PROXY_AUTH_TYPE",
    "PROXY_AUTH_NAME",
    "PROXY_AUTH_CHAL",
    "PROXY_AUTH_ID",
    "PROXY_AUTH_RESP",
    "CALL_ERRORS",
    "ACCM",
    "RANDOM_VECTOR",
    "PRIVATE_GRP_ID",
    "RX_CONN_SPEED",
    "SEQ_REQUIRED",
];
const AVP_PPP_DISCON_CC: u16 = 46;

fn avp_name(t: u16) -> Option<&'static str> {
    match t {
        AVP_PPP_DISCON_CC => Some("PPP_DISCON_CC"),
        t => AVP_NAMES.get(usize::from(t)).copied(),
    }
}

fn auth_type(t: u16) -> Option<&'static str> {
    Some(match t {
        0 => "Reserved",
        1 => "Textual",
        2 => "CHAP",
        3 => "PAP",
        4 => "No Auth",
        5 => "MS-CHAPv1",
        _ => return None,
    })
}

fn cc_direction(d: u8) -> Option<&'static str> {
    Some(match d {
        0 => "global error",
        1 => "at peer",
        2 => "at local",
        _ => return None,
    })
}

fn octets(out: &mut Vec<u8>, bytes: &[u8]) {
    for &b in bytes {
        out.hex(u64::from(b), 2);
    }
}

const TOO_SHORT: &str = "AVP too short";

/// Two one-bit capabilities of a 32-bit value: `bit2` named first, as tcpdump does.
fn two_bits(out: &mut Vec<u8>, v: &[u8], bit2: &str, bit1: &str) {
    let Some(v) = v.get(..4) else {
        out.s(TOO_SHORT);
        return;
    };
    let v = be32(v);
    if v & 2 != 0 {
        out.s(bit2);
    }
    if v & 1 != 0 {
        out.s(bit1);
    }
}

/// A 16- or 32-bit number at least `width` bytes long.
fn number(out: &mut Vec<u8>, v: &[u8], width: usize) {
    match v.get(..width) {
        Some(b) if width == 2 => out.num(u16::from_be_bytes([b[0], b[1]])),
        Some(b) => out.num(be32(b)),
        None => out.s(TOO_SHORT),
    }
}

fn result_code(out: &mut Vec<u8>, v: &[u8]) {
    let Some(r) = v.get(..2) else {
        out.s(TOO_SHORT);
        return;
    };
    out.num(u16::from_be_bytes([r[0], r[1]]));
    match v.len() {
        2 => {}
        3 => out.s(" AVP too short"),
        _ => {
            out.s("/");
            out.num(u16::from_be_bytes([v[2], v[3]]));
            if v.len() > 4 {
                out.s(" ");
                printn(out, &v[4..]);
            }
        }
    }
}

fn q931_cause(out: &mut Vec<u8>, v: &[u8]) {
    if v.len() < 3 {
        out.s(TOO_SHORT);
        return;
    }
    out.num(u16::from_be_bytes([v[0], v[1]]));
    out.s(", ");
    out.hex(u64::from(v[2]), 2);
    if v.len() > 3 {
        out.s(" ");
        printn(out, &v[3..]);
    }
}

/// 32-bit values after 2 reserved bytes, each `name=value ` until the AVP ends.
fn counters(out: &mut Vec<u8>, v: &[u8], names: &[&str], hex: bool) {
    let Some(mut rest) = v.get(2..) else {
        out.s(TOO_SHORT);
        return;
    };
    for name in names {
        let Some(b) = rest.get(..4) else {
            out.s(TOO_SHORT);
            return;
        };
        out.s(name);
        out.s("=");
        if hex {
            out.hex(u64::from(be32(b)), 8);
        } else {
            out.num(be32(b));
        }
        out.s(" ");
        rest = &rest[4..];
    }
}

fn ppp_disconnect_cause(out: &mut Vec<u8>, v: &[u8]) {
    if v.len() < 5 {
        out.s(TOO_SHORT);
        return;
    }
    out.hex(u64::from(u16::from_be_bytes([v[0], v[1]])), 4);
    out.s(", ");
    out.hex(u64::from(u16::from_be_bytes([v[2], v[3]])), 4);
    out.s(" ");
    match cc_direction(v[4]) {
        Some(name) => out.s(name),
        None => {
            out.s("Direction-#");
            out.num(v[4]);
        }
    }
    if v.len() > 5 {
        out.s(" ");
        printn(out, &v[5..]);
    }
}

/// The value of IETF attribute `t`.
fn ietf_value(out: &mut Vec<u8>, t: u16, v: &[u8]) {
    match t {
        0 => match v.get(..2) {
            Some(b) => {
                let m = u16::from_be_bytes([b[0], b[1]]);
                match message_type(m) {
                    Some(name) => out.s(name),
                    None => {
                        out.s("MSGTYPE-#");
                        out.num(m);
                    }
                }
            }
            None => out.s(TOO_SHORT),
        },
        1 => result_code(out, v),
        2 => match v.get(..2) {
            Some(b) => {
                out.num(b[0]);
                out.s(".");
                out.num(b[1]);
            }
            None => out.s(TOO_SHORT),
        },
        3 | 19 => two_bits(out, v, "A", "S"),
        4 | 18 => two_bits(out, v, "A", "D"),
        5 => match v.get(..8) {
            Some(b) => octets(out, b),
            None => out.s(TOO_SHORT),
        },
        6 | 9 | 10 | 14 => number(out, v, 2),
        7 | 8 | 21 | 22 | 23 | 30 | 37 => printn(out, v),
        11 | 26 | 27 | 28 | 31 | 33 | 36 => octets(out, v),
        12 => q931_cause(out, v),
        13 => match v.get(..16) {
            Some(b) => octets(out, b),
            None => out.s(TOO_SHORT),
        },
        15 | 16 | 17 | 24 | 25 | 38 => number(out, v, 4),
        20 => out.s("obsolete"),
        29 => match v.get(..2) {
            Some(b) => {
                let a = u16::from_be_bytes([b[0], b[1]]);
                match auth_type(a) {
                    Some(name) => out.s(name),
                    None => {
                        out.s("AuthType-#");
                        out.num(a);
                    }
                }
            }
            None => out.s(TOO_SHORT),
        },
        32 => match v.get(..2) {
            Some(b) => out.num(b[1]),
            None => out.s(TOO_SHORT),
        },
        34 => counters(
            out,
            v,
            &[
                "CRCErr", "FrameErr", "HardOver", "BufOver", "Timeout", "AlignErr",
            ],
            false,
        ),
        35 => counters(out, v, &["send", "recv"], true),
        AVP_PPP_DISCON_CC => ppp_disconnect_cause(out, v),
        _ => {}
    }
}

/// One AVP of at most `room` bytes (what the message has left); its length.
fn avp(out: &mut Vec<u8>, d: &[u8], room: usize) -> Result<usize, Stop> {
    out.s(" ");
    let flags = be16(d, 0)?;
    let len = usize::from(flags & AVP_LEN_MASK);
    if len < AVP_HEADER_LEN {
        out.s(" [AVP length ");
        out.num(len);
        out.s(" < 6]");
        return Err(Stop::Invalid);
    }
    if len > room {
        out.s(" (len > ");
        out.num(room);
        out.s(")");
        return Err(Stop::Invalid);
    }
    let a = d.get(..len).ok_or(Stop::Truncated)?;
    if flags & AVP_MANDATORY != 0 {
        out.s("*");
    }
    let hidden = flags & AVP_HIDDEN != 0;
    if hidden {
        out.s("?");
    }
    let vendor = u16::from_be_bytes([a[2], a[3]]);
    let t = u16::from_be_bytes([a[4], a[5]]);
    let value = &a[AVP_HEADER_LEN..];
    if vendor != 0 {
        out.s("VENDOR");
        out.hex(u64::from(vendor), 4);
        out.s(":ATTR");
        out.hex(u64::from(t), 4);
        out.s("(");
        octets(out, value);
        out.s(")");
        return Ok(len);
    }
    match avp_name(t) {
        Some(name) => out.s(name),
        None => {
            out.s("AVP-#");
            out.num(t);
        }
    }
    out.s("(");
    if hidden {
        out.s("???");
    } else {
        ietf_value(out, t, value);
    }
    out.s(")");
    Ok(len)
}

/// The PPP frame of a data message: `IP (0x0021), length 40: ` and, for the protocols
/// printed whole, their text.
fn ppp(out: &mut Vec<u8>, d: &[u8], len: u32) {
    match super::ppp::decode(d, len) {
        Some((h, rest)) => {
            super::ppp::print(out, &h);
            if let Some(print) = super::ppp::payload_printer(h.protocol) {
                let header_len = d.len() - rest.len();
                print(out, rest, len.saturating_sub(header_len as u32));
            }
        }
        None => out.s(" [|ppp]"),
    }
}

fn message(out: &mut Vec<u8>, d: &[u8], wire_len: u32) -> Result<(), Stop> {
    let word = be16(d, 0)?;
    match word & VERSION_MASK {
        VERSION_L2TP => out.s(" l2tp:"),
        VERSION_L2F => {
            out.s(" l2f:");
            return Ok(());
        }
        _ => {
            out.s(" Unknown Version, neither L2F(1) nor L2TP(2)");
            return Ok(());
        }
    }
    out.s("[");
    for (flag, letter) in [
        (FLAG_TYPE, "T"),
        (FLAG_LENGTH, "L"),
        (FLAG_SEQUENCE, "S"),
        (FLAG_OFFSET, "O"),
        (FLAG_PRIORITY, "P"),
    ] {
        if word & flag != 0 {
            out.s(letter);
        }
    }
    out.s("]");
    let mut at = 2;
    let l2tp_len = if word & FLAG_LENGTH != 0 {
        at += 2;
        Some(be16(d, 2)?)
    } else {
        None
    };
    out.s("(");
    out.num(be16(d, at)?);
    out.s("/");
    out.num(be16(d, at + 2)?);
    out.s(")");
    at += 4;
    if word & FLAG_SEQUENCE != 0 {
        out.s("Ns=");
        out.num(be16(d, at)?);
        out.s(",Nr=");
        out.num(be16(d, at + 2)?);
        at += 4;
    }
    if word & FLAG_OFFSET != 0 {
        let pad = usize::from(be16(d, at)?);
        at += 2 + pad;
        if d.len() < at {
            return Err(Stop::Truncated);
        }
    }
    let mut length = wire_len as usize;
    if let Some(l) = l2tp_len {
        if length < usize::from(l) {
            out.s(" Length ");
            out.num(l);
            out.s(" larger than packet");
            return Err(Stop::Invalid);
        }
        length = usize::from(l);
    }
    if length < at {
        out.s(" Length ");
        out.num(length);
        out.s(" smaller than header length");
        return Err(Stop::Invalid);
    }
    if word & FLAG_TYPE == 0 {
        out.s(" {");
        ppp(out, d.get(at..).unwrap_or_default(), (length - at) as u32);
        out.s("}");
        return Ok(());
    }
    if l2tp_len.is_none() {
        out.s(" No length");
        return Err(Stop::Invalid);
    }
    if length == at {
        out.s(" ZLB");
    }
    while at < length {
        at += avp(out, d.get(at..).unwrap_or_default(), length - at)?;
    }
    Ok(())
}

/// Appends the line for a datagram of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    match message(out, data, len) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|l2tp]"),
        Err(Stop::Invalid) => out.s(" (invalid)"),
    }
}

#[cfg(test)]
mod tests {
    use super::print;

    fn line(data: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn control_message_prints_its_avps() {
        let msg = [
            0xc8, 0x02, 0x00, 0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // header
            0x80, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, // *MSGTYPE(SCCRQ)
            0x80, 0x08, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, // *PROTO_VER(1.0)
            0x00, 0x0a, 0x00, 0x00, 0x00, 0x07, b'l', b'a', b'c', b'1', // HOST_NAME
        ];
        assert_eq!(
            line(&msg, 38),
            " l2tp:[TLS](0/0)Ns=0,Nr=0 *MSGTYPE(SCCRQ) *PROTO_VER(1.0) HOST_NAME(lac1)"
        );
    }

    #[test]
    fn zero_length_body_and_hidden_and_vendor_avps() {
        let zlb = [
            0xc8, 0x02, 0x00, 0x0c, 0x00, 0x05, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02,
        ];
        assert_eq!(line(&zlb, 12), " l2tp:[TLS](5/0)Ns=1,Nr=2 ZLB");
        let msg = [
            0xc0, 0x02, 0x00, 0x16, 0x00, 0x01, 0x00, 0x02, // header
            0x40, 0x07, 0x00, 0x00, 0x00, 0x07, 0xaa, // ?HOST_NAME(???)
            0x00, 0x07, 0x00, 0x09, 0x00, 0x01, 0x5b, // vendor 9
        ];
        assert_eq!(
            line(&msg, 22),
            " l2tp:[TL](1/2) ?HOST_NAME(???) VENDOR0009:ATTR0001(5b)"
        );
    }

    #[test]
    fn short_avps_and_cut_captures_print_tcpdumps_marks() {
        // ACCM with only its reserved bytes, then the capture ends in the next AVP header.
        let msg = [
            0xc0, 0x02, 0x00, 0x20, 0x02, 0x30, 0x08, 0x08, // header, length 32
            0x00, 0x08, 0x00, 0x00, 0x00, 0x23, 0x00, 0x00, // ACCM, 2 value bytes
            0x00,
        ];
        assert_eq!(
            line(&msg, 6624),
            " l2tp:[TL](560/2056) ACCM(AVP too short)  [|l2tp]"
        );
        let bad = [0xc0, 0x02, 0x00, 0x0c, 0, 1, 0, 2, 0x00, 0x04, 0, 0];
        assert_eq!(
            line(&bad, 12),
            " l2tp:[TL](1/2)  [AVP length 4 < 6] (invalid)"
        );
        assert_eq!(line(&[0xc0], 1), " [|l2tp]");
    }

    #[test]
    fn data_message_prints_the_ppp_frame_in_braces() {
        let msg = [
            0x00, 0x02, 0x00, 0x01, 0x00, 0x02, 0xff, 0x03, 0xc0, 0x21, // header, PPP LCP
            0x09, 0x01, 0x00, 0x08, 0x01, 0x02, 0x03, 0x04, // Echo-Request
        ];
        assert_eq!(
            line(&msg, 18),
            " l2tp:[](1/2) {LCP (0xc021), length 12: LCP, Echo-Request (0x09), id 1, length 10}"
        );
    }

    #[test]
    fn structured_avps_stop_where_their_values_end() {
        let msg = [
            0xc0, 0x02, 0x00, 0x34, 0x00, 0x01, 0x00, 0x02, // header
            0x00, 0x14, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, // CALL_ERRORS, reserved
            0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x0b,
            0x00, 0x00, 0x00, 0x2e, 0x00, 0x01, 0xc0, 0x21, 0x05, // PPP_DISCON_CC
            0x00, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x02, b'h', b'i', 0x81,
        ];
        assert_eq!(
            line(&msg, 52),
            " l2tp:[TL](1/2) CALL_ERRORS(CRCErr=1 FrameErr=2 HardOver=3 AVP too short) \
             PPP_DISCON_CC(0001, c021 Direction-#5) RESULT_CODE(1/2 hiM-^A)"
        );
    }
}
