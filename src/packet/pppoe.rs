//! PPP over Ethernet (EtherTypes 0x8863 discovery, 0x8864 session): `PPPoE PADI
//! [Service-Name] [Host-Uniq 0x16372C16]`, and for sessions `PPPoE  [ses 0x17] ` then the
//! PPP frame as tcpdump `-e` prints it (`LCP (0xc021), length 14: LCP, Echo-Request ...`).
//! IP inside a session is the next level.

use super::decode::{Decoder, Inner, MAX_LEVELS, Net, Printed};
use super::ppp;
use super::text::TextOut;

const HEADER_LEN: usize = 6;
const CODE_PADI: u8 = 0x09;
/// Longest tag value shown.
const MAX_TAG_TEXT: usize = 80;

fn code_name(code: u8) -> Option<&'static str> {
    Some(match code {
        0x09 => "PADI",
        0x07 => "PADO",
        0x19 => "PADR",
        0x65 => "PADS",
        0xa7 => "PADT",
        0x00 => "",
        _ => return None,
    })
}

fn tag_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0x0000 => "EOL",
        0x0101 => "Service-Name",
        0x0102 => "AC-Name",
        0x0103 => "Host-Uniq",
        0x0104 => "AC-Cookie",
        0x0105 => "Vendor-Specific",
        0x0110 => "Relay-Session-ID",
        0x0120 => "PPP-Max-Payload",
        0x0201 => "Service-Name-Error",
        0x0202 => "AC-System-Error",
        0x0203 => "Generic-Error",
        _ => return None,
    })
}

fn print_tag_name(out: &mut Vec<u8>, t: u16) {
    match tag_name(t) {
        Some(n) => out.s(n),
        None => {
            out.s("TAG-0x");
            out.hex(u64::from(t), 0);
        }
    }
}

/// The session payload's PPP header: protocol and the bytes after it.
fn session_ppp(payload: &[u8], len: u32) -> Option<(u16, &[u8], u32)> {
    let (h, rest) = ppp::decode(payload, len)?;
    let used = (payload.len() - rest.len()) as u32;
    Some((h.protocol, rest, len.saturating_sub(used)))
}

/// The header fields, the payload and its length (clipped to what the frame holds).
fn header(data: &[u8], len: u32) -> Option<(u8, u16, &[u8], u32)> {
    let h = data.get(..HEADER_LEN)?;
    let length = len.checked_sub(HEADER_LEN as u32)?;
    let declared = u32::from(u16::from_be_bytes([h[4], h[5]]));
    Some((
        h[1],
        u16::from_be_bytes([h[2], h[3]]),
        &data[HEADER_LEN..],
        declared.min(length),
    ))
}

/// Appends the line for a PPPoE message of wire length `len` whose captured bytes are
/// `data` (for a session carrying IP, up to the PPP header's length).
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if (len as usize) < HEADER_LEN {
        out.s(" (length ");
        out.num(len);
        out.s(" < 6) (invalid)");
        return;
    }
    let Some(h) = data.get(..HEADER_LEN) else {
        out.s(" [|pppoe]");
        return;
    };
    let (version, kind) = (h[0] >> 4, h[0] & 0x0f);
    if version != 1 {
        out.s(" [ver ");
        out.num(version);
        out.s("]");
    }
    if kind != 1 {
        out.s(" [type ");
        out.num(kind);
        out.s("]");
    }
    let code = h[1];
    out.s("PPPoE ");
    match code_name(code) {
        Some(n) => out.s(n),
        None => {
            out.s("PAD-");
            out.hex(u64::from(code), 0);
        }
    }
    let declared = u32::from(u16::from_be_bytes([h[4], h[5]]));
    let length = len - HEADER_LEN as u32;
    if code == CODE_PADI && declared > 1484 - HEADER_LEN as u32 {
        out.s(" [len ");
        out.num(declared);
        out.s("!]");
    }
    if declared > length {
        out.s(" [len ");
        out.num(declared);
        out.s(" > ");
        out.num(length);
        out.s("!]");
    }
    let session = u16::from_be_bytes([h[2], h[3]]);
    if session != 0 {
        out.s(" [ses 0x");
        out.hex(u64::from(session), 0);
        out.s("]");
    }
    let Some((_, _, payload, plen)) = header(data, len) else {
        return;
    };
    if code == 0 {
        out.s(" ");
        print_session(out, payload, plen);
    } else {
        print_tags(out, payload, plen as usize);
    }
}

fn print_session(out: &mut Vec<u8>, payload: &[u8], plen: u32) {
    let Some((protocol, rest, rlen)) = session_ppp(payload, plen) else {
        out.s(" [|ppp]");
        return;
    };
    let name = ppp::protocol_name(protocol);
    out.s(name.unwrap_or("unknown"));
    out.s(" (0x");
    out.hex(u64::from(protocol), 4);
    out.s("), length ");
    out.num(plen);
    if name.is_none() || ppp::carries_ip(protocol).is_some() {
        return;
    }
    out.s(": ");
    if let Some(p) = ppp::payload_printer(protocol) {
        p(out, rest, rlen);
    }
}

fn print_tags(out: &mut Vec<u8>, payload: &[u8], plen: usize) {
    let mut at = 0;
    let mut tag = 0xffffu16;
    while tag != 0 && at < plen {
        let Some(h) = payload.get(at..at + 4) else {
            out.s(" [|pppoe]");
            return;
        };
        tag = u16::from_be_bytes([h[0], h[1]]);
        let tlen = usize::from(u16::from_be_bytes([h[2], h[3]]));
        at += 4;
        out.s(" [");
        print_tag_name(out, tag);
        if tlen > 0 {
            let Some(v) = payload.get(at..at + tlen) else {
                out.s(" [|pppoe]");
                return;
            };
            let shown = &v[..v.len().min(MAX_TAG_TEXT - 1)];
            let printable = shown.iter().filter(|b| (0x20..0x7f).contains(*b)).count();
            if printable > shown.len() - printable {
                out.s(" \"");
                for &b in shown {
                    out.push(if (0x20..0x7f).contains(&b) { b } else { b'.' });
                }
                out.s("\"");
            } else {
                out.s(" 0x");
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                for &b in v {
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 15)]);
                }
            }
        }
        out.s("]");
        at += tlen;
    }
}

impl<'a> Decoder<'_, 'a> {
    /// A PPPoE message; IP in a session becomes the next level.
    pub(super) fn pppoe(&mut self, data: &'a [u8], len: u32) -> Net<'a> {
        if let Some((0, _, payload, plen)) = header(data, len)
            && let Some((protocol, rest, rlen)) = session_ppp(payload, plen)
            && let Some(v4) = ppp::carries_ip(protocol)
            && self.depth + 1 < MAX_LEVELS
        {
            self.inner = Some(if v4 {
                Inner::Ipv4(rest, rlen)
            } else {
                Inner::Ipv6(rest, rlen)
            });
        }
        Net::Printed(Printed {
            print,
            data,
            length: len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn discovery_and_sessions() {
        let padi = [
            0x11, 0x09, 0, 0, 0, 16, // header
            0x01, 0x01, 0, 0, // Service-Name, empty
            0x01, 0x20, 0, 2, 0x05, 0xdc, // PPP-Max-Payload
            0x01, 0x03, 0, 2, b'a', b'b', // Host-Uniq, text
        ];
        assert_eq!(
            text(&padi, 22),
            "PPPoE PADI [Service-Name] [PPP-Max-Payload 0x05DC] [Host-Uniq \"ab\"]"
        );
        let lcp = [
            0x11, 0x00, 0x00, 0x17, 0, 14, // session 0x17
            0xc0, 0x21, 0x09, 106, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        assert_eq!(
            text(&lcp, 20),
            "PPPoE  [ses 0x17] LCP (0xc021), length 14: LCP, Echo-Request (0x09), id 106, length 14"
        );
        let ip = [0x11, 0x00, 0x00, 0x01, 0, 3, 0x00, 0x21, 0x45];
        assert_eq!(text(&ip, 9), "PPPoE  [ses 0x1] IP (0x0021), length 3");
        assert_eq!(text(&ip[..4], 9), " [|pppoe]");
        assert_eq!(text(&ip[..4], 4), " (length 4 < 6) (invalid)");
    }
}
