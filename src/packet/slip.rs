//! SLIP (LINKTYPE_SLIP, 8): a 16-byte pseudo-header (direction, then the first bytes of
//! the VJ-compressed header) printed with `-e` as `I ip 84: `, `O utcp 57: ` or
//! `I ctcp 3 A+1 S+512 100 (6): `, then IPv4 or IPv6.
//!
//! tcpdump remembers each connection's last data length to print compressed headers of
//! the SPECIAL_I/SPECIAL_D kinds; a per-packet decoder has no such memory and prints
//! what tcpdump prints for a connection not seen before (0).

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::text::TextOut;

const HEADER_LEN: usize = 16;
const CUT: &str = " [|slip]";
const DIR_IN: u8 = 0;
const DIR_OUT: u8 = 1;

const TYPE_IP: u8 = 0x40;
const TYPE_UNCOMPRESSED_TCP: u8 = 0x70;
const TYPE_COMPRESSED_TCP: u8 = 0x80;

const NEW_C: u8 = 0x40;
const NEW_I: u8 = 0x20;
const NEW_S: u8 = 0x08;
const NEW_A: u8 = 0x04;
const NEW_W: u8 = 0x02;
const NEW_U: u8 = 0x01;
const SPECIAL_I: u8 = NEW_S | NEW_W | NEW_U;
const SPECIAL_D: u8 = NEW_S | NEW_A | NEW_W | NEW_U;
const SPECIALS_MASK: u8 = NEW_S | NEW_A | NEW_W | NEW_U;

/// Where the text goes: the line, or nowhere when the decoder only asks whether the
/// capture holds what the header's printer reads.
trait Sink {
    fn s(&mut self, s: &str);
    fn num(&mut self, n: i64);
}

impl Sink for Vec<u8> {
    fn s(&mut self, s: &str) {
        TextOut::s(self, s);
    }
    fn num(&mut self, n: i64) {
        TextOut::num(self, n);
    }
}

struct Discard;

impl Sink for Discard {
    fn s(&mut self, _: &str) {}
    fn num(&mut self, _: i64) {}
}

/// The 4-byte words of the IP header and the TCP header after it, when both were
/// captured (the IP header starts at `ip`).
fn tcpip_header_words(data: &[u8], ip: usize) -> Option<usize> {
    let ip_words = usize::from(data.get(ip..ip + 20)?[0] & 0x0f);
    let tcp = ip + ip_words * 4;
    let tcp_words = usize::from(data.get(tcp..tcp + 20)?[12] >> 4);
    Some(ip_words + tcp_words)
}

/// ` A+1`: a change coded in one byte, or in two after a zero byte.
fn change(out: &mut impl Sink, label: &str, d: &[u8], at: &mut usize) -> Option<()> {
    let mut v = u32::from(*d.get(*at)?);
    *at += 1;
    if v == 0 {
        v = u32::from(u16::from_be_bytes([*d.get(*at)?, *d.get(*at + 1)?]));
        *at += 2;
    }
    out.s(" ");
    out.s(label);
    out.num(i64::from(v));
    Some(())
}

/// A VJ-compressed TCP header (`ctcp ...`); `None` where the capture ends.
fn compressed(out: &mut impl Sink, data: &[u8], length: u32) -> Option<()> {
    let chdr = 1;
    let flags = data[chdr];
    let mut at = chdr + 1;
    if flags & NEW_C != 0 {
        out.s("ctcp ");
        out.num(i64::from(*data.get(at)?));
        at += 1;
    } else {
        out.s("ctcp *");
    }
    at += 2; // TCP checksum
    match flags & SPECIALS_MASK {
        SPECIAL_I => out.s(" *SA+0"),
        SPECIAL_D => out.s(" *S+0"),
        _ => {
            if flags & NEW_U != 0 {
                change(out, "U=", data, &mut at)?;
            }
            if flags & NEW_W != 0 {
                let mut v = i32::from(*data.get(at)?);
                at += 1;
                if v == 0 {
                    v = i32::from(i16::from_be_bytes([*data.get(at)?, *data.get(at + 1)?]));
                    at += 2;
                }
                out.s(if v >= 0 { " W+" } else { " W" });
                out.num(i64::from(v));
            }
            if flags & NEW_A != 0 {
                change(out, "A+", data, &mut at)?;
            }
            if flags & NEW_S != 0 {
                change(out, "S+", data, &mut at)?;
            }
        }
    }
    if flags & NEW_I != 0 {
        change(out, "I+", data, &mut at)?;
    }
    let words = tcpip_header_words(data, HEADER_LEN)?;
    out.s(" ");
    out.num(i64::from(length) - (words as i64) * 4);
    out.s(" (");
    out.num((at - chdr) as i64);
    out.s(")");
    Some(())
}

/// The `-e` text; `None` where the capture ends inside what it reads.
fn link_text(out: &mut impl Sink, data: &[u8], length: u32) -> Option<()> {
    let dir = data[0];
    let valid_dir = match dir {
        DIR_IN => {
            out.s("I ");
            true
        }
        DIR_OUT => {
            out.s("O ");
            true
        }
        _ => {
            out.s("Invalid direction ");
            out.num(i64::from(dir));
            out.s(" ");
            false
        }
    };
    let chdr = data[1];
    match chdr & 0xf0 {
        TYPE_IP => {
            out.s("ip ");
            out.num(i64::from(length) + HEADER_LEN as i64);
            out.s(": ");
        }
        TYPE_UNCOMPRESSED_TCP => {
            // The connection number is in the IP protocol field of the saved header.
            out.s("utcp ");
            out.num(i64::from(data[1 + 9]));
            out.s(": ");
            if valid_dir {
                tcpip_header_words(data, HEADER_LEN)?;
            }
        }
        _ if !valid_dir => {}
        _ if chdr & TYPE_COMPRESSED_TCP != 0 => {
            compressed(out, data, length)?;
            out.s(": ");
        }
        _ => {
            out.s("slip-");
            out.num(i64::from(chdr));
            out.s("!: ");
        }
    }
    Some(())
}

/// The `-e` header of the frame whose captured bytes are `data` (at least the 16-byte
/// header) and whose length after the header is `len`.
pub fn print_header(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if link_text(out, data, len).is_none() {
        TextOut::s(out, CUT);
    }
}

/// `ip v14`: neither IPv4 nor IPv6 after the header.
fn print_ip_version(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    TextOut::s(out, "ip v");
    TextOut::num(out, data[0] >> 4);
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn slip(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        if data.len() < HEADER_LEN {
            return Level {
                link: Link::None,
                net: Net::Truncated(CUT),
            };
        }
        let rest = &data[HEADER_LEN..];
        let len = wire_len.saturating_sub(HEADER_LEN as u32);
        let link = Link::Printed {
            header: Printed {
                print: print_header,
                data,
                length: len,
            },
            always: false,
        };
        // The header's printer ends the line where the capture ends inside it.
        let net = if link_text(&mut Discard, data, len).is_none() {
            Net::None
        } else {
            match rest.first().map(|b| b >> 4) {
                None => Net::Truncated(CUT),
                Some(4) => Net::Ipv4(self.ipv4(rest, len)),
                Some(6) => Net::Ipv6(self.ipv6(rest, len)),
                Some(_) => Net::Printed(Printed {
                    print: print_ip_version,
                    data: rest,
                    length: len,
                }),
            }
        };
        Level { link, net }
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::numbers::link_type;

    fn text(frame: &[u8], wire: u32) -> String {
        crate::packet::text::frame_text(link_type::SLIP, frame, wire)
    }

    fn header(dir: u8, chdr: &[u8]) -> Vec<u8> {
        let mut h = vec![dir];
        h.extend_from_slice(chdr);
        h.resize(16, 0);
        h
    }

    #[test]
    fn directions_and_types() {
        let mut f = header(231, &[0x40]);
        f.push(0xe0);
        assert_eq!(text(&f, 17), "Invalid direction 231 ip 17: ip v14\n");
        assert_eq!(
            text(&f[..16], 17),
            "Invalid direction 231 ip 17:  [|slip]\n"
        );
        let f = header(0, &[0x00]);
        assert_eq!(text(&f, 20), "I slip-0!:  [|slip]\n");
        // Uncompressed TCP: connection 57, the IP and TCP headers cut short.
        let mut chdr = [0u8; 10];
        chdr[0] = 0x70;
        chdr[9] = 57;
        let mut f = header(1, &chdr);
        f.extend_from_slice(&[0x45, 0, 0, 40]);
        assert_eq!(text(&f, 60), "O utcp 57:  [|slip]\n");
        // Compressed, no connection number, window change +48, then cut short.
        let f = header(0, &[0x82, 0, 0, 48]);
        assert_eq!(text(&f, 60), "I ctcp * W+48 [|slip]\n");
        assert_eq!(text(&f[..15], 60), " [|slip]\n");
    }
}
