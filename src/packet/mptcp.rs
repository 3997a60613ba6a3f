//! Multipath TCP options (TCP option 30, RFC 8684 and its v0, RFC 6824): tcpdump's form,
//! ` <len> <subtype> <fields>`, e.g. `mptcp 20 dss ack 1 seq 2 subseq 3 len 4 csum 0x5`.

use super::text::TextOut;

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;

const DSS_DATA_FIN: u8 = 0x10;
const DSS_SEQ_8: u8 = 0x08;
const DSS_SEQ: u8 = 0x04;
const DSS_ACK_8: u8 = 0x02;
const DSS_ACK: u8 = 0x01;

const SUBTYPES: [&str; 9] = [
    "capable",
    "join",
    "dss",
    "add-addr",
    "rem-addr",
    "prio",
    "fail",
    "fast-close",
    "unknown",
];

/// Appends ` <len> <subtype> ...` for an option of `len` bytes whose data (after kind and
/// length, captured whole) is `d`, in a segment with TCP flags `tcp_flags`. False where
/// tcpdump finds the option malformed (the caller prints `[bad opt]`); what was printed
/// stays, as in tcpdump.
pub fn print_option(out: &mut Vec<u8>, len: usize, d: &[u8], tcp_flags: u8) -> bool {
    let Some(&sub) = d.first().filter(|_| len >= 3) else {
        return false;
    };
    let subtype = usize::from(sub >> 4).min(SUBTYPES.len() - 1);
    out.s(" ");
    out.num(len);
    out.s(" ");
    out.s(SUBTYPES[subtype]);
    match subtype {
        0 => capable(out, len, d, tcp_flags),
        1 => join(out, len, d, tcp_flags),
        2 => dss(out, len, d, tcp_flags),
        3 => add_addr(out, len, d),
        4 => remove_addr(out, len, d),
        5 => prio(out, len, d),
        6 | 7 => {
            let Some(v) = u64_at(d, 2).filter(|_| len == 12) else {
                return false;
            };
            if subtype == 6 {
                out.s(" seq ");
                out.num(v);
            } else {
                out.s(" key 0x");
                out.hex(v, 0);
            }
            true
        }
        _ => true,
    }
}

fn u64_at(d: &[u8], at: usize) -> Option<u64> {
    let b = d.get(at..at + 8)?;
    Some(b.iter().fold(0, |v, &x| (v << 8) | u64::from(x)))
}

fn u32_at(d: &[u8], at: usize) -> Option<u32> {
    let b = d.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn u16_at(d: &[u8], at: usize) -> Option<u16> {
    let b = d.get(at..at + 2)?;
    Some(u16::from_be_bytes([b[0], b[1]]))
}

fn capable(out: &mut Vec<u8>, len: usize, d: &[u8], tcp_flags: u8) -> bool {
    let syn_form = matches!(len, 4 | 12) && tcp_flags & SYN != 0;
    let ack_form = matches!(len, 20 | 22) && tcp_flags & (SYN | ACK) == ACK;
    if !syn_form && !ack_form {
        return false;
    }
    let version = d[0] & 0xF;
    if version > 1 {
        out.s(" Unknown Version (");
        out.num(version);
        out.s(")");
        return true;
    }
    out.s(" v");
    out.num(version);
    if d.get(1).is_some_and(|f| f & 0x80 != 0) {
        out.s(" csum");
    }
    if len == 12 || len >= 20 {
        let (Some(sender), receiver) = (u64_at(d, 2), u64_at(d, 10)) else {
            return false;
        };
        out.s(" {0x");
        out.hex(sender, 0);
        if len >= 20 {
            let Some(receiver) = receiver else {
                return false;
            };
            out.s(",0x");
            out.hex(receiver, 0);
        }
        out.s("}");
    }
    true
}

fn join(out: &mut Vec<u8>, len: usize, d: &[u8], tcp_flags: u8) -> bool {
    let known = (len == 12 && tcp_flags & SYN != 0)
        || (len == 16 && tcp_flags & (SYN | ACK) == (SYN | ACK))
        || (len == 24 && tcp_flags & ACK != 0);
    if !known {
        return false;
    }
    if len != 24 {
        if d[0] & 0x01 != 0 {
            out.s(" backup");
        }
        out.s(" id ");
        out.num(d[1]);
    }
    match len {
        12 => {
            let (Some(token), Some(nonce)) = (u32_at(d, 2), u32_at(d, 6)) else {
                return false;
            };
            out.s(" token 0x");
            out.hex(u64::from(token), 0);
            out.s(" nonce 0x");
            out.hex(u64::from(nonce), 0);
        }
        16 => {
            let (Some(mac), Some(nonce)) = (u64_at(d, 2), u32_at(d, 10)) else {
                return false;
            };
            out.s(" hmac 0x");
            out.hex(mac, 0);
            out.s(" nonce 0x");
            out.hex(u64::from(nonce), 0);
        }
        _ => {
            out.s(" hmac 0x");
            for &b in d.get(2..22).unwrap_or(&[]) {
                out.hex(u64::from(b), 2);
            }
        }
    }
    true
}

fn dss(out: &mut Vec<u8>, len: usize, d: &[u8], tcp_flags: u8) -> bool {
    if len < 4 || tcp_flags & SYN != 0 {
        return false;
    }
    dss_fields(out, d).is_some()
}

fn dss_fields(out: &mut Vec<u8>, d: &[u8]) -> Option<()> {
    let flags = *d.get(1)?;
    let mut at = 2;
    let mut number = |out: &mut Vec<u8>, wide: bool| -> Option<()> {
        if wide {
            out.num(u64_at(d, at)?);
            at += 8;
        } else {
            out.num(u32_at(d, at)?);
            at += 4;
        }
        Some(())
    };
    if flags & DSS_DATA_FIN != 0 {
        out.s(" fin");
    }
    if flags & DSS_ACK != 0 {
        out.s(" ack ");
        number(out, flags & DSS_ACK_8 != 0)?;
    }
    if flags & DSS_SEQ != 0 {
        out.s(" seq ");
        number(out, flags & DSS_SEQ_8 != 0)?;
        let subseq = u32_at(d, at)?;
        out.s(" subseq ");
        out.num(subseq);
        let length = u16_at(d, at + 4)?;
        out.s(" len ");
        out.num(length);
        at += 6;
        if let Some(sum) = u16_at(d, at) {
            out.s(" csum 0x");
            out.hex(u64::from(sum), 0);
            at += 2;
        }
    }
    (at == d.len()).then_some(())
}

fn add_addr(out: &mut Vec<u8>, len: usize, d: &[u8]) -> bool {
    let v4 = matches!(len, 8 | 10 | 16 | 18);
    if !v4 && !matches!(len, 20 | 22 | 28 | 30) {
        return false;
    }
    out.s(" ");
    out.s(match d[0] & 0xF {
        6 => "v0-ip6",
        4 => "v0-ip4",
        1 => "v1-echo",
        0 => "v1",
        _ => "[bad version/echo]",
    });
    out.s(" id ");
    out.num(d[1]);
    // The address, then a port when the length has room for one, then an HMAC.
    let (addr_len, with_port, with_mac) = if v4 {
        (4, matches!(len, 10 | 18), matches!(len, 16 | 18))
    } else {
        (16, matches!(len, 22 | 30), matches!(len, 28 | 30))
    };
    out.s(" ");
    let addr = &d[2..2 + addr_len];
    if let Ok(a) = <[u8; 4]>::try_from(addr) {
        out.ipv4(a);
    } else if let Ok(a) = <[u8; 16]>::try_from(addr) {
        out.ipv6(a);
    }
    let mut at = 2 + addr_len;
    if with_port {
        out.s(":");
        out.num(u16_at(d, at).unwrap_or(0));
        at += 2;
    }
    if with_mac {
        out.s(" hmac 0x");
        out.hex(u64_at(d, at).unwrap_or(0), 0);
    }
    true
}

fn remove_addr(out: &mut Vec<u8>, len: usize, d: &[u8]) -> bool {
    if len < 4 {
        return false;
    }
    out.s(" id");
    for &id in d.get(1..len - 2).unwrap_or(&[]) {
        out.s(" ");
        out.num(id);
    }
    true
}

fn prio(out: &mut Vec<u8>, len: usize, d: &[u8]) -> bool {
    if len != 3 && len != 4 {
        return false;
    }
    out.s(if d[0] & 0x01 != 0 {
        " backup"
    } else {
        " non-backup"
    });
    if let Some(id) = d.get(1).filter(|_| len == 4) {
        out.s(" id ");
        out.num(*id);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], tcp_flags: u8) -> (bool, String) {
        let mut out = Vec::new();
        let ok = print_option(&mut out, d.len() + 2, d, tcp_flags);
        (ok, String::from_utf8(out).unwrap())
    }

    #[test]
    fn dss_forms() {
        assert_eq!(
            text(&[0x20, 0x01, 0, 0, 1, 2], ACK),
            (true, " 8 dss ack 258".into())
        );
        let full = [
            0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 7, 0, 0, 0, 1, 0, 1, 0x09, 0x1f,
        ];
        assert_eq!(
            text(&full, ACK).1,
            " 20 dss ack 9 seq 7 subseq 1 len 1 csum 0x91f"
        );
        let fin = [0x20, 0x14, 0, 0, 0, 7, 0, 0, 0, 0, 0, 1];
        assert_eq!(text(&fin, ACK).1, " 14 dss fin seq 7 subseq 0 len 1");
        assert_eq!(
            text(&[0x20, 0x01, 0, 0], ACK),
            (false, " 6 dss ack ".into())
        );
        assert_eq!(
            text(&[0x20, 0x01, 0, 0, 1, 2], SYN),
            (false, " 8 dss".into())
        );
    }

    #[test]
    fn handshake_and_address_forms() {
        let mut capable = vec![0x00, 0x81];
        capable.extend_from_slice(&[0x9c, 0x9e, 0xab, 0xd1, 0xe4, 0x6a, 0x33, 0xb2]);
        assert_eq!(
            text(&capable, SYN).1,
            " 12 capable v0 csum {0x9c9eabd1e46a33b2}"
        );
        let join = [0x10, 0x00, 0xe4, 0x7f, 0x01, 0x42, 0x1b, 0x66, 0x5a, 0x18];
        assert_eq!(
            text(&join, SYN).1,
            " 12 join id 0 token 0xe47f0142 nonce 0x1b665a18"
        );
        let add = [0x34, 0x01, 10, 1, 2, 2];
        assert_eq!(text(&add, ACK).1, " 8 add-addr v0-ip4 id 1 10.1.2.2");
        assert_eq!(text(&[0x40, 3, 4], ACK).1, " 5 rem-addr id 3 4");
        assert_eq!(text(&[0x51, 7], ACK).1, " 4 prio backup id 7");
        assert_eq!(text(&[0x90], ACK), (true, " 3 unknown".into()));
        assert_eq!(text(&capable, ACK), (false, " 12 capable".into()));
    }
}
