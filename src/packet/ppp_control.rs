//! PPP's own protocols at tcpdump's default verbosity: the control protocols (LCP, IPCP,
//! IP6CP, CCP, ... `IPCP, Conf-Request (0x01), id 1, length 12`), PAP and CHAP
//! (`PAP, Auth-Req (0x01), id 1, Peer user, Name pass`) and multilink fragments
//! (`seq 0x001, Flags [begin], length 40`).

use super::text::{TextOut, printn};

/// Where tcpdump stops when the capture ends inside these messages.
const PPP_CUT: &str = " [|ppp]";

fn code_name(code: u8) -> &'static str {
    match code {
        0 => "Vendor-Extension",
        1 => "Conf-Request",
        2 => "Conf-Ack",
        3 => "Conf-Nack",
        4 => "Conf-Reject",
        5 => "Term-Request",
        6 => "Term-Ack",
        7 => "Code-Reject",
        8 => "Prot-Reject",
        9 => "Echo-Request",
        10 => "Echo-Reply",
        11 => "Disc-Req",
        12 => "Ident",
        13 => "Time-Rem",
        14 => "Reset-Req",
        15 => "Reset-Ack",
        _ => "Unknown Opcode",
    }
}

/// A control protocol message (the protocol's name comes first); `name` is tcpdump's
/// name for the protocol.
pub fn print_control(out: &mut Vec<u8>, name: &str, data: &[u8], len: u32) {
    out.s(name);
    out.s(", ");
    let (Some(&code), Some(&id)) = (data.first(), data.get(1)) else {
        return cut_named(out, name);
    };
    if len < 4 {
        return cut_named(out, name);
    }
    out.s(code_name(code));
    out.s(" (0x");
    out.hex(u64::from(code), 2);
    out.s("), id ");
    out.num(id);
    out.s(", length ");
    out.num(len + 2);
}

fn cut_named(out: &mut Vec<u8>, name: &str) {
    out.s("[|");
    out.s(name);
    out.s("]");
}

/// Multilink PPP (protocol 0x003d), as tcpdump `-e` prints it.
pub fn print_mlppp(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let Some(h) = data.get(..2).filter(|_| len >= 2) else {
        out.s("[|mlppp]");
        return;
    };
    out.s("seq 0x");
    out.hex(u64::from(u16::from_be_bytes([h[0], h[1]]) & 0x0fff), 3);
    out.s(", Flags [");
    out.bit_names(u16::from(h[0] & 0xc0), &[(0x80, "begin"), (0x40, "end")]);
    out.s("], length ");
    out.num(len);
}

/// The code, id and length shared by PAP and CHAP; `None` when cut short (after
/// printing tcpdump's marks).
fn auth_header(
    out: &mut Vec<u8>,
    proto: &str,
    names: &[&str],
    data: &[u8],
    len: u32,
) -> Option<(u8, u16)> {
    let Some(&code) = data.first().filter(|_| len >= 1) else {
        cut_named(out, &proto.to_ascii_lowercase());
        return None;
    };
    if len < 4 {
        out.s("[|");
        out.s(&proto.to_ascii_lowercase());
        out.s(" 0x");
        out.hex(u64::from(code), 2);
        out.s("]");
        return None;
    }
    out.s(proto);
    out.s(", ");
    out.s(names.get(usize::from(code)).copied().unwrap_or("unknown"));
    out.s(" (0x");
    out.hex(u64::from(code), 2);
    out.s(")");
    let Some(&id) = data.get(1) else {
        out.s(PPP_CUT);
        return None;
    };
    out.s(", id ");
    out.num(id);
    let Some(l) = data.get(2..4) else {
        out.s(PPP_CUT);
        return None;
    };
    Some((code, u16::from_be_bytes([l[0], l[1]])))
}

/// `label` and the `n` bytes at `at` as characters; false when the capture ends first.
fn chars(out: &mut Vec<u8>, label: &str, data: &[u8], at: usize, n: usize) -> bool {
    out.s(label);
    match data.get(at..at + n) {
        Some(s) => {
            printn(out, s);
            true
        }
        None => {
            printn(out, data.get(at..).unwrap_or(&[]));
            out.s(PPP_CUT);
            false
        }
    }
}

/// PAP (protocol 0xc023).
pub fn print_pap(out: &mut Vec<u8>, data: &[u8], len: u32) {
    const NAMES: [&str; 4] = ["unknown", "Auth-Req", "Auth-ACK", "Auth-NACK"];
    let Some((code, plen)) = auth_header(out, "PAP", &NAMES, data, len) else {
        return;
    };
    let plen = u32::from(plen);
    if plen > len {
        out.s(", length ");
        out.num(plen);
        out.s(" > packet size");
        return;
    }
    if plen < 4 {
        out.s(", length ");
        out.num(plen);
        out.s(" < PAP header length");
        return;
    }
    let length = plen as usize;
    let byte = |out: &mut Vec<u8>, at: usize| {
        let b = data.get(at).copied();
        if b.is_none() {
            out.s(PPP_CUT);
        }
        b
    };
    match code {
        1 => {
            if plen < 6 {
                out.s("[|pap]");
                return;
            }
            let Some(peer) = byte(out, 4).map(usize::from) else {
                return;
            };
            if length - 5 < peer || !chars(out, ", Peer ", data, 5, peer) {
                return;
            }
            let at = 5 + peer;
            if length - at < 1 {
                return;
            }
            let Some(pass) = byte(out, at).map(usize::from) else {
                return;
            };
            if length - at - 1 < pass {
                return;
            }
            chars(out, ", Name ", data, at + 1, pass);
        }
        2 | 3 => {
            if plen < 5 {
                out.s("[|pap]");
                return;
            }
            let Some(msg) = byte(out, 4).map(usize::from) else {
                return;
            };
            if length - 5 < msg {
                return;
            }
            chars(out, ", Msg ", data, 5, msg);
        }
        _ => {}
    }
}

/// CHAP (protocol 0xc223).
pub fn print_chap(out: &mut Vec<u8>, data: &[u8], len: u32) {
    const NAMES: [&str; 5] = ["unknown", "Challenge", "Response", "Success", "Failure"];
    let Some((code, clen)) = auth_header(out, "CHAP", &NAMES, data, len) else {
        return;
    };
    let length = len as usize;
    let clen = usize::from(clen);
    match code {
        1 | 2 => {
            if length < 5 {
                return;
            }
            let Some(&size) = data.get(4) else {
                out.s(PPP_CUT);
                return;
            };
            let size = usize::from(size);
            if length - 5 < size {
                return;
            }
            out.s(", Value ");
            for i in 0..size {
                let Some(b) = data.get(5 + i) else {
                    out.s(PPP_CUT);
                    return;
                };
                out.hex(u64::from(*b), 2);
            }
            let at = 5 + size;
            match clen.checked_sub(at) {
                Some(n) => {
                    chars(out, ", Name ", data, at, n);
                }
                // tcpdump's unsigned count wraps and reads past the capture.
                None => {
                    out.s(", Name ");
                    printn(out, data.get(at..).unwrap_or(&[]));
                    out.s(PPP_CUT);
                }
            }
        }
        3 | 4 => match clen.checked_sub(4) {
            Some(n) => {
                chars(out, ", Msg ", data, 4, n);
            }
            None => {
                out.s(", Msg ");
                printn(out, data.get(4..).unwrap_or(&[]));
                out.s(PPP_CUT);
            }
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: fn(&mut Vec<u8>, &[u8], u32), d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        f(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    fn ipcp(out: &mut Vec<u8>, d: &[u8], len: u32) {
        print_control(out, "IPCP", d, len);
    }

    #[test]
    fn control_and_multilink() {
        assert_eq!(
            text(ipcp, &[3, 128, 0, 10], 58452),
            "IPCP, Conf-Nack (0x03), id 128, length 58454"
        );
        assert_eq!(text(ipcp, &[3], 10), "IPCP, [|IPCP]");
        assert_eq!(text(ipcp, &[3, 1, 0, 2], 2), "IPCP, [|IPCP]");
        assert_eq!(
            text(print_mlppp, &[0x80, 0x01], 40),
            "seq 0x001, Flags [begin], length 40"
        );
        assert_eq!(text(print_mlppp, &[0x80], 40), "[|mlppp]");
    }

    #[test]
    fn authentication() {
        let req = [
            1, 1, 0, 14, 4, b'u', b's', b'e', b'r', 4, b'p', b'a', b's', b's',
        ];
        assert_eq!(
            text(print_pap, &req, 14),
            "PAP, Auth-Req (0x01), id 1, Peer user, Name pass"
        );
        assert_eq!(
            text(print_pap, &[2, 1, 0, 5], 10),
            "PAP, Auth-ACK (0x02), id 1 [|ppp]"
        );
        assert_eq!(
            text(print_pap, &[2, 1, 0, 4], 10),
            "PAP, Auth-ACK (0x02), id 1[|pap]"
        );
        assert_eq!(text(print_pap, &[2, 1], 2), "[|pap 0x02]");
        let chal = [1, 7, 0, 10, 2, 0xab, 0xcd, b'r', b't', b'r'];
        assert_eq!(
            text(print_chap, &chal, 10),
            "CHAP, Challenge (0x01), id 7, Value abcd, Name rtr"
        );
        assert_eq!(
            text(print_chap, &[3, 7, 0, 6, b'o', b'k'], 6),
            "CHAP, Success (0x03), id 7, Msg ok"
        );
    }
}
