//! Precision Time Protocol (IEEE 1588; EtherType 0x88f7, UDP 319/320): tcpdump's line,
//! `PTPv2, v1 compat : no, msg type : sync msg, length : 44, ...` with the fields of the
//! common header and of the message's body, field by field as tcpdump reads them.

use super::cursor::Bytes;
use super::text::TextOut;

/// Event messages.
pub const EVENT_PORT: u16 = 319;
/// General messages.
pub const GENERAL_PORT: u16 = 320;

const HEADER_LEN: u32 = 34;

/// tcpdump's table also names the mask 0x18c0 `unknown`, but matches one bit at a time,
/// so never prints it.
const FLAGS: [(u16, &str); 12] = [
    (0x0001, "l1 61"),
    (0x0002, "l1 59"),
    (0x0004, "utc reasonable"),
    (0x0008, "timescale"),
    (0x0010, "time tracable"),
    (0x0020, "frequency tracable"),
    (0x0100, "alternate master"),
    (0x0200, "two step"),
    (0x0400, "unicast"),
    (0x1000, "profile specific 1"),
    (0x2000, "profile specific 2"),
    (0x4000, "security mask"),
];

fn message_type(t: u8) -> &'static str {
    match t {
        0x0 => "sync msg",
        0x1 => "delay req msg",
        0x2 => "peer delay req msg",
        0x3 => "peer delay resp msg",
        0x8 => "follow up msg",
        0x9 => "delay resp msg",
        0xa => "pdelay resp fup msg",
        0xb => "announce msg",
        0xc => "signalling msg",
        0xd => "management msg",
        _ => "Reserved",
    }
}

fn control(c: u8) -> &'static str {
    match c {
        0 => "Sync",
        1 => "Delay_Req",
        2 => "Follow_Up",
        3 => "Delay_Resp",
        4 => "Management",
        5 => "Other",
        _ => "Reserved",
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < HEADER_LEN {
        out.s(" (invalid)");
        return;
    }
    if message(out, Bytes(data)).is_none() {
        out.s(" [|ptp]");
    }
}

/// `None` where the captured bytes end.
fn message(out: &mut Vec<u8>, b: Bytes<'_>) -> Option<()> {
    // tcpdump reads the version as the whole second byte (minor version included).
    let version = b.be16(0)? & 0xff;
    out.s("PTPv");
    out.num(version);
    match version {
        1 => out.s(" (not implemented)"),
        2 => v2(out, b)?,
        _ => {}
    }
    Some(())
}

fn field(out: &mut Vec<u8>, name: &str, value: Option<u64>) -> Option<()> {
    let v = value?;
    out.s(name);
    out.num(v);
    Some(())
}

fn hex_field(out: &mut Vec<u8>, name: &str, value: Option<u64>) -> Option<()> {
    let v = value?;
    out.s(name);
    out.hex(v, 0);
    Some(())
}

fn v2(out: &mut Vec<u8>, b: Bytes<'_>) -> Option<()> {
    let first = b.u8(0)?;
    out.s(if first & 0x10 != 0 {
        ", v1 compat : yes"
    } else {
        ", v1 compat : no"
    });
    let kind = first & 0x0f;
    out.s(", msg type : ");
    out.s(message_type(kind));
    field(out, ", length : ", b.be(2, 2))?;
    b.be16(4)?;
    field(out, ", domain : ", b.be(4, 1))?;
    field(out, ", reserved1 : ", b.be(5, 1))?;
    let flags = b.be16(6)?;
    out.s(", Flags [");
    out.bit_names(flags, &FLAGS);
    out.s("]");
    field(out, ", NS correction : ", b.be(8, 6))?;
    field(out, ", sub NS correction : ", b.be(14, 2))?;
    field(out, ", reserved2 : ", b.be(16, 4))?;
    hex_field(out, ", clock identity : 0x", b.be(20, 8))?;
    field(out, ", port id : ", b.be(28, 2))?;
    field(out, ", seq id : ", b.be(30, 2))?;
    let c = b.u8(32)?;
    out.s(", control : ");
    out.num(c);
    out.s(" (");
    out.s(control(c));
    out.s(")");
    b.be16(32)?;
    field(out, ", log message interval : ", b.be(33, 1))?;
    let body = Bytes(b.from(HEADER_LEN as usize));
    match kind {
        0x0 | 0x1 => timestamp(out, body, "originTimeStamp"),
        0x8 => timestamp(out, body, "preciseOriginTimeStamp"),
        0x2 | 0xa => timestamp_and_port(out, body, "preciseOriginTimeStamp"),
        0x3 | 0x9 => timestamp_and_port(out, body, "receiveTimeStamp"),
        0xb => announce(out, body),
        0xc => port_identity(out, body),
        0xd => management(out, body),
        _ => Some(()),
    }
}

/// `, name : S seconds, N nanoseconds`.
fn timestamp(out: &mut Vec<u8>, b: Bytes<'_>, name: &str) -> Option<()> {
    out.s(", ");
    out.s(name);
    out.s(" :");
    field(out, " ", b.be(0, 6))?;
    out.s(" seconds,");
    field(out, " ", b.be(6, 4))?;
    out.s(" nanoseconds");
    Some(())
}

fn timestamp_and_port(out: &mut Vec<u8>, b: Bytes<'_>, name: &str) -> Option<()> {
    timestamp(out, b, name)?;
    port_identity(out, Bytes(b.from(10)))
}

fn port_identity(out: &mut Vec<u8>, b: Bytes<'_>) -> Option<()> {
    hex_field(out, ", port identity : 0x", b.be(0, 8))?;
    field(out, ", port id : ", b.be(8, 2))
}

fn announce(out: &mut Vec<u8>, b: Bytes<'_>) -> Option<()> {
    out.s(", originTimeStamp :");
    field(out, " ", b.be(0, 6))?;
    out.s(" seconds");
    field(out, " ", b.be(6, 4))?;
    out.s(" nanoseconds");
    field(out, ", origin cur utc :", b.be(10, 2))?;
    field(out, ", rsvd : ", b.be(12, 1))?;
    field(out, ", gm priority_1 : ", b.be(13, 1))?;
    field(out, ", gm clock class : ", b.be(14, 1))?;
    field(out, ", gm clock accuracy : ", b.be(15, 1))?;
    field(out, ", gm clock variance : ", b.be(16, 2))?;
    field(out, ", gm priority_2 : ", b.be(18, 1))?;
    hex_field(out, ", gm clock id : 0x", b.be(19, 8))?;
    field(out, ", steps removed : ", b.be(27, 2))?;
    hex_field(out, ", time source : 0x", b.be(29, 1))
}

/// tcpdump reads every field after the requesting port's identity from the body's
/// first byte, and doubles the separator.
fn management(out: &mut Vec<u8>, b: Bytes<'_>) -> Option<()> {
    port_identity(out, b)?;
    let first = b.be(0, 1);
    field(out, ", , start boundary hops  ", first)?;
    field(out, ", , boundary hops  ", first)?;
    hex_field(out, ", , flags  0x", first)?;
    hex_field(out, ", , reserved  0x", first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    /// A v2 header of message type `kind` followed by `body`.
    fn message(kind: u8, flags: u16, body: &[u8]) -> Vec<u8> {
        let mut m = vec![kind, 0x02, 0, 44, 0, 0];
        m.extend_from_slice(&flags.to_be_bytes());
        m.extend_from_slice(&[0; 12]);
        m.extend_from_slice(&[0x74, 0x83, 0xef, 0xff, 0xff, 0x01, 0xac, 0x16]);
        m.extend_from_slice(&[0x01, 0x12, 0x00, 0x07, kind, 0x7f]);
        m.extend_from_slice(body);
        m
    }

    const HEADER: &str = ", length : 44, domain : 0, reserved1 : 0";
    const IDENTITY: &str = ", NS correction : 0, sub NS correction : 0, reserved2 : 0, \
                            clock identity : 0x7483efffff01ac16, port id : 274, seq id : 7";

    #[test]
    fn sync_and_truncation() {
        let body = [0, 0, 0x5e, 0x50, 0x09, 0x8a, 0x33, 0xae, 0x53, 0x5f];
        let m = message(0x00, 0x0200, &body);
        let want = format!(
            "PTPv2, v1 compat : no, msg type : sync msg{HEADER}, Flags [two step]{IDENTITY}, \
             control : 0 (Sync), log message interval : 127, originTimeStamp : 1582303626 \
             seconds, 867062623 nanoseconds"
        );
        assert_eq!(text(&m, 44), want);
        let cut = &m[..m.len() - 1];
        assert_eq!(
            text(cut, 44),
            format!(
                "{} [|ptp]",
                want.strip_suffix(" 867062623 nanoseconds").unwrap()
            )
        );
        assert_eq!(text(&m[..1], 44), " [|ptp]");
        assert_eq!(text(&m, 33), " (invalid)");
    }

    #[test]
    fn versions() {
        assert_eq!(text(&[0x00, 0x12, 0, 0], 44), "PTPv18");
        assert_eq!(text(&[0x00, 0x01, 0, 0], 44), "PTPv1 (not implemented)");
    }

    #[test]
    fn delay_resp_announce_management() {
        let mut body = vec![0, 0, 0, 0, 0, 1, 0, 0, 0, 2];
        body.extend_from_slice(&[0x7c, 0xfe, 0x90, 0xff, 0xfe, 0xf9, 0x50, 0xb4, 0, 1]);
        let m = message(0x19, 0, &body);
        assert!(text(&m, 54).contains("v1 compat : yes, msg type : delay resp msg,"));
        assert!(text(&m, 54).ends_with(
            "control : 25 (Reserved), log message interval : 127, receiveTimeStamp : 1 \
             seconds, 2 nanoseconds, port identity : 0x7cfe90fffef950b4, port id : 1"
        ));

        let mut body = vec![0; 10];
        body.extend_from_slice(&[0, 36, 0, 128, 248, 254, 0xff, 0xff, 128]);
        body.extend_from_slice(&[0, 2, 0, 0xff, 0xfe, 0, 0, 1, 0, 0, 0xa0]);
        let m = message(0x0b, 0x08c0, &body);
        let t = text(&m, 64);
        assert!(t.contains("Flags [none]"));
        assert!(t.ends_with(
            "originTimeStamp : 0 seconds 0 nanoseconds, origin cur utc :36, rsvd : 0, \
             gm priority_1 : 128, gm clock class : 248, gm clock accuracy : 254, \
             gm clock variance : 65535, gm priority_2 : 128, gm clock id : 0x200fffe000001, \
             steps removed : 0, time source : 0xa0"
        ));

        let body = [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 1, 0, 0,
        ];
        let t = text(&message(0x0d, 0, &body), 72);
        assert!(t.ends_with(
            "port identity : 0xffffffffffffffff, port id : 65535, , start boundary hops  255, \
             , boundary hops  255, , flags  0xff, , reserved  0xff"
        ));
    }
}
