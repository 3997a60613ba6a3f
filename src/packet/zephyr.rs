//! Zephyr notices (UDP 2103 and 2104): tcpdump's default line, such as
//! ` zephyr unacked jdoe to <MESSAGE,personal,bob@REALM> op PERSONAL`.
//!
//! A notice opens with NUL-terminated text fields; tcpdump prints a few of them.

use super::text::{TextOut, printn};

const CUT: &str = " [|zephyr]";
const SERVACK: i32 = 5;
/// tcpdump builds its `<class,inst,recipient>` and lower-cased texts in a 256-byte
/// buffer, so they stop after 255 bytes.
const BUF: usize = 255;

/// Why a field could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lack {
    /// The datagram ends before the field's NUL: the notice is invalid.
    Lost,
    /// The capture ends first.
    Cut,
}

/// The notice's fields, read one after another.
struct Fields<'a> {
    data: &'a [u8],
    at: usize,
    left: usize,
}

impl<'a> Fields<'a> {
    fn next(&mut self) -> Result<&'a [u8], Lack> {
        let start = self.at;
        loop {
            if self.left == 0 {
                return Err(Lack::Lost);
            }
            let b = *self.data.get(self.at).ok_or(Lack::Cut)?;
            self.at += 1;
            self.left -= 1;
            if b == 0 {
                return Ok(&self.data[start..self.at - 1]);
            }
        }
    }
}

/// C's `strtol(s, 0, 16)` kept to an int, as tcpdump reads the notice kind.
fn hex_number(s: &[u8]) -> i32 {
    let mut i = s
        .iter()
        .take_while(|b| b" \t\n\x0b\x0c\r".contains(b))
        .count();
    let negative = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    if matches!(s.get(i..i + 2), Some(b"0x" | b"0X"))
        && s.get(i + 2).is_some_and(|b| b.is_ascii_hexdigit())
    {
        i += 2;
    }
    let mut v: i64 = 0;
    for &b in s[i.min(s.len())..].iter() {
        let Some(d) = (b as char).to_digit(16) else {
            break;
        };
        v = v.saturating_mul(16).saturating_add(i64::from(d));
    }
    (if negative { v.saturating_neg() } else { v }) as i32
}

fn kind_name(kind: i32) -> Option<&'static str> {
    Some(match kind {
        0 => "unsafe",
        1 => "unacked",
        2 => "acked",
        3 => "hm-ack",
        4 => "hm-ctl",
        5 => "serv-ack",
        6 => "serv-nak",
        7 => "client-ack",
        8 => "stat",
        _ => return None,
    })
}

/// A text of at most [`BUF`] bytes, built without allocating.
struct Buf {
    bytes: [u8; BUF],
    len: usize,
}

impl Buf {
    fn new() -> Self {
        Buf {
            bytes: [0; BUF],
            len: 0,
        }
    }

    fn push(&mut self, s: &[u8]) -> &mut Self {
        let n = s.len().min(BUF - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&s[..n]);
        self.len += n;
        self
    }

    fn text(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

fn print_text(out: &mut Vec<u8>, label: &str, text: &[u8]) {
    out.s(label);
    printn(out, text);
}

fn print_lower(out: &mut Vec<u8>, label: &str, text: &[u8]) {
    let mut b = Buf::new();
    b.push(text);
    b.bytes[..b.len].make_ascii_lowercase();
    print_text(out, label, b.text());
}

fn print_triple(out: &mut Vec<u8>, label: &str, class: &[u8], inst: &[u8], recipient: &[u8]) {
    let recipient: &[u8] = if recipient.is_empty() {
        b"*"
    } else {
        recipient
    };
    let mut b = Buf::new();
    b.push(b"<")
        .push(class)
        .push(b",")
        .push(inst)
        .push(b",")
        .push(recipient)
        .push(b">");
    print_text(out, label, b.text());
}

/// The notice header's fields tcpdump prints.
struct Notice<'a> {
    kind: i32,
    class: &'a [u8],
    inst: &'a [u8],
    opcode: &'a [u8],
    sender: &'a [u8],
    recipient: &'a [u8],
}

fn read_notice<'a>(f: &mut Fields<'a>) -> Result<Notice<'a>, Lack> {
    // Version already read; then: field count, kind, uid, port, auth, auth length,
    // auth data, class, instance, opcode, sender, recipient, format, checksum, multi,
    // multi uid.
    f.next()?;
    let kind = hex_number(f.next()?);
    for _ in 0..5 {
        f.next()?;
    }
    let (class, inst, opcode, sender, recipient) =
        (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
    for _ in 0..4 {
        f.next()?;
    }
    Ok(Notice {
        kind,
        class,
        inst,
        opcode,
        sender,
        recipient,
    })
}

/// Appends the line for a notice of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let mut f = Fields {
        data,
        at: 0,
        left: len as usize,
    };
    let version = match f.next() {
        Ok(v) => v,
        Err(Lack::Lost) => return out.s(" (invalid)"),
        Err(Lack::Cut) => return out.s(CUT),
    };
    if !version.starts_with(b"ZEPH") {
        return;
    }
    let z = match read_notice(&mut f) {
        Ok(z) => z,
        Err(Lack::Lost) => return out.s(" (invalid)"),
        Err(Lack::Cut) => return out.s(CUT),
    };
    out.s(" zephyr");
    if !version[4..].starts_with(b"0.2") {
        return print_text(out, " v", &version[4..]);
    }
    out.s(" ");
    match kind_name(z.kind) {
        Some(name) => out.s(name),
        None => {
            out.s("type ");
            out.num(i64::from(z.kind));
        }
    }
    if z.kind == SERVACK {
        match f.next() {
            Ok(ack) if ack != b"SENT" => print_lower(out, "/", ack),
            Ok(_) | Err(Lack::Lost) => {}
            Err(Lack::Cut) => return out.s(CUT),
        }
    }
    if !z.sender.is_empty() {
        print_text(out, " ", z.sender);
    }
    if print_class(out, &z, &mut f) {
        return;
    }
    print_triple(out, " to ", z.class, z.inst, z.recipient);
    if !z.opcode.is_empty() {
        print_text(out, " op ", z.opcode);
    }
}

/// The text of the classes tcpdump knows; false for the others.
fn print_class(out: &mut Vec<u8>, z: &Notice, f: &mut Fields) -> bool {
    let op = z.opcode;
    match z.class {
        b"USER_LOCATE" => match op {
            b"USER_HIDE" => out.s(" hide"),
            b"USER_UNHIDE" => out.s(" unhide"),
            _ => print_text(out, " locate ", z.inst),
        },
        b"ZEPHYR_ADMIN" => print_lower(out, " zephyr-admin ", op),
        b"ZEPHYR_CTL" if z.inst == b"CLIENT" => match op {
            b"SUBSCRIBE" | b"SUBSCRIBE_NODEFS" | b"UNSUBSCRIBE" => {
                out.s(" ");
                if op != b"SUBSCRIBE" {
                    out.s("un");
                }
                out.s("sub");
                if op == b"SUBSCRIBE_NODEFS" {
                    out.s("-nodefs");
                }
                if z.kind != SERVACK {
                    match (f.next(), f.next(), f.next()) {
                        (Ok(c), Ok(i), Ok(r)) => print_triple(out, " ", c, i, r),
                        (Err(Lack::Cut), ..) | (_, Err(Lack::Cut), _) | (.., Err(Lack::Cut)) => {
                            out.s(CUT)
                        }
                        _ => {}
                    }
                }
            }
            b"GIMME" => out.s(" ret"),
            b"GIMMEDEFS" => out.s(" gimme-defs"),
            b"CLEARSUB" => out.s(" clear-subs"),
            _ => print_lower(out, " ", op),
        },
        b"ZEPHYR_CTL" if z.inst == b"HM" => print_lower(out, " ", op),
        b"ZEPHYR_CTL" if z.inst == b"REALM" => match op {
            b"ADD_SUBSCRIBE" => out.s(" realm add-subs"),
            b"REQ_SUBSCRIBE" => out.s(" realm req-subs"),
            b"RLM_SUBSCRIBE" => out.s(" realm rlm-sub"),
            b"RLM_UNSUBSCRIBE" => out.s(" realm rlm-unsub"),
            _ => {}
        },
        b"HM_CTL" => {
            print_lower(out, " hm_ctl ", z.inst);
            print_lower(out, " ", op);
        }
        b"HM_STAT" if z.inst == b"HMST_CLIENT" && op == b"GIMMESTATS" => out.s(" get-client-stats"),
        b"WG_CTL" => {
            print_lower(out, " wg_ctl ", z.inst);
            print_lower(out, " ", op);
        }
        b"LOGIN" if op == b"USER_FLUSH" => out.s(" flush_locs"),
        b"LOGIN"
            if matches!(
                op,
                b"NONE"
                    | b"OPSTAFF"
                    | b"REALM-VISIBLE"
                    | b"REALM-ANNOUNCED"
                    | b"NET-VISIBLE"
                    | b"NET-ANNOUNCED"
            ) =>
        {
            print_lower(out, " set-exposure ", op)
        }
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packet::text::printed;

    fn notice(fields: &[&str]) -> Vec<u8> {
        let mut m = Vec::new();
        for f in fields {
            m.extend_from_slice(f.as_bytes());
            m.push(0);
        }
        m
    }

    fn header<'a>(kind: &'a str, class: &'a str, inst: &'a str, op: &'a str) -> Vec<&'a str> {
        vec![
            "ZEPH0.2", "11", kind, "uid", "0", "0", "0", "", class, inst, op, "jdoe", "bob", "",
            "0", "0", "",
        ]
    }

    #[test]
    fn messages_and_classes() {
        let m = notice(&header("1", "MESSAGE", "personal", "PERSONAL"));
        let len = m.len() as u32;
        assert_eq!(
            printed(print, &m, len),
            " zephyr unacked jdoe to <MESSAGE,personal,bob> op PERSONAL"
        );
        let m = notice(&header("0x2", "HM_CTL", "SERVER", "BOOT"));
        assert_eq!(
            printed(print, &m, m.len() as u32),
            " zephyr acked jdoe hm_ctl server boot"
        );
        let mut fields = header("5", "ZEPHYR_CTL", "CLIENT", "GIMME");
        fields.push("LOST");
        let m = notice(&fields);
        assert_eq!(
            printed(print, &m, m.len() as u32),
            " zephyr serv-ack/lost jdoe ret"
        );
        let m = notice(&header("9", "USER_LOCATE", "bob", "LOCATE"));
        assert_eq!(
            printed(print, &m, m.len() as u32),
            " zephyr type 9 jdoe locate bob"
        );
    }

    #[test]
    fn odd_notices() {
        let m = notice(&["ZEPH0.1", "1"]);
        assert_eq!(printed(print, &m, 100), " [|zephyr]");
        assert_eq!(printed(print, &m, m.len() as u32), " (invalid)");
        assert_eq!(printed(print, b"0808", 20), " [|zephyr]");
        assert_eq!(printed(print, b"08\0", 3), "");
        let mut fields = header("1", "MESSAGE", "personal", "");
        fields[0] = "ZEPH0.1";
        let m = notice(&fields);
        assert_eq!(printed(print, &m, m.len() as u32), " zephyr v0.1");
        assert_eq!(hex_number(b" 0x1f"), 31);
        assert_eq!(hex_number(b"-a"), -10);
        assert_eq!(hex_number(b"zz"), 0);
    }
}
