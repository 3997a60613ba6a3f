//! PPTP control messages (TCP 1723, RFC 2637): tcpdump's default text,
//! `: pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) FRAME_CAP(A) ...`.

use super::decode::{be16, be32};
use super::text::{TextOut, printn};

pub const PORT: u16 = 1723;

const MAGIC_COOKIE: u32 = 0x1a2b_3c4d;
/// The control message header: length, message type, magic cookie, control type,
/// reserved.
const HEADER_LEN: usize = 12;

const MESSAGE_TYPES: [&str; 16] = [
    "NOT_DEFINED",
    "SCCRQ",
    "SCCRP",
    "StopCCRQ",
    "StopCCRP",
    "ECHORQ",
    "ECHORP",
    "OCRQ",
    "OCRP",
    "ICRQ",
    "ICRP",
    "ICCN",
    "CCRQ",
    "CDN",
    "WEN",
    "SLI",
];

/// Appends the text for a payload whose captured bytes are `data` (tcpdump reads PPTP
/// by the captured bytes only).
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    out.s(": pptp");
    if message(&mut Fields { out, m: data }).is_none() {
        out.s(" [|pptp]");
    }
}

/// A message's fields, read at offsets from its start, each printed as tcpdump's
/// `NAME(value)`; `None` once the captured bytes end.
struct Fields<'o, 'm> {
    out: &'o mut Vec<u8>,
    m: &'m [u8],
}

impl Fields<'_, '_> {
    fn u8(&self, at: usize) -> Option<u8> {
        self.m.get(at).copied()
    }

    fn num(&mut self, name: &str, value: u32) {
        self.out.s(" ");
        self.out.s(name);
        self.out.s("(");
        self.out.num(value);
        self.out.s(")");
    }

    fn num8(&mut self, name: &str, at: usize) -> Option<()> {
        let v = self.u8(at)?;
        self.num(name, u32::from(v));
        Some(())
    }

    fn num16(&mut self, name: &str, at: usize) -> Option<()> {
        let v = be16(self.m, at)?;
        self.num(name, u32::from(v));
        Some(())
    }

    fn num32(&mut self, name: &str, at: usize) -> Option<()> {
        let v = be32(self.m, at)?;
        self.num(name, v);
        Some(())
    }

    fn hex32(&mut self, name: &str, at: usize) -> Option<()> {
        let v = be32(self.m, at)?;
        self.out.s(" ");
        self.out.s(name);
        self.out.s("(0x");
        self.out.hex(u64::from(v), 8);
        self.out.s(")");
        Some(())
    }

    fn reserved16(&mut self, at: usize) -> Option<()> {
        let v = be16(self.m, at)?;
        self.reserved(u32::from(v));
        Some(())
    }

    fn reserved(&mut self, v: u32) {
        if v != 0 {
            self.out.s(" [ERROR: reserved=");
            self.out.num(v);
            self.out.s(" must be zero]");
        }
    }

    /// Text of at most `max` bytes, ending at a NUL.
    fn text(&mut self, name: &str, at: usize, max: usize) -> Option<()> {
        self.out.s(" ");
        self.out.s(name);
        self.out.s("(");
        for i in 0..max {
            let c = self.u8(at + i)?;
            if c == 0 {
                break;
            }
            printn(self.out, &[c]);
        }
        self.out.s(")");
        Some(())
    }

    fn proto_version(&mut self, at: usize) -> Option<()> {
        let v = be16(self.m, at)?;
        self.out.s(" PROTO_VER(");
        self.out.num(v >> 8);
        self.out.s(".");
        self.out.num(v & 0xff);
        self.out.s(")");
        Some(())
    }

    /// Capability bits as letters: `FRAME_CAP(AS)`, `BEARER_CAP(DA)`.
    fn caps(&mut self, name: &str, at: usize, letters: [(u32, &str); 2]) -> Option<()> {
        let v = be32(self.m, at)?;
        self.out.s(" ");
        self.out.s(name);
        self.out.s("(");
        for (bit, letter) in letters {
            if v & bit != 0 {
                self.out.s(letter);
            }
        }
        self.out.s(")");
        Some(())
    }

    /// A type from a short table (`BEARER_TYPE(Any)`), `?` when unknown.
    fn kind(&mut self, name: &str, at: usize, names: [&str; 3]) -> Option<()> {
        let v = be32(self.m, at)?;
        self.out.s(" ");
        self.out.s(name);
        self.out.s("(");
        let i = usize::try_from(v).unwrap_or(0);
        self.out
            .s(names.get(i.wrapping_sub(1)).copied().unwrap_or("?"));
        self.out.s(")");
        Some(())
    }

    fn framing_caps(&mut self, at: usize) -> Option<()> {
        self.caps("FRAME_CAP", at, [(1, "A"), (2, "S")])
    }

    fn bearer_caps(&mut self, at: usize) -> Option<()> {
        self.caps("BEARER_CAP", at, [(2, "D"), (1, "A")])
    }

    fn bearer_type(&mut self, at: usize) -> Option<()> {
        self.kind("BEARER_TYPE", at, ["A", "D", "Any"])
    }

    fn framing_type(&mut self, at: usize) -> Option<()> {
        self.kind("FRAME_TYPE", at, ["A", "S", "E"])
    }

    /// A phone number or similar: at most 64 bytes, and no more than its length field.
    fn counted_text(&mut self, name: &str, len_at: usize, at: usize) -> Option<()> {
        let n = usize::from(be16(self.m, len_at)?).min(64);
        self.text(name, at, n)
    }
}

fn message(f: &mut Fields<'_, '_>) -> Option<()> {
    let cookie = be32(f.m, 4)?;
    if cookie != MAGIC_COOKIE {
        f.out.s(" UNEXPECTED Magic-Cookie!!(");
        f.out.hex(u64::from(cookie), 8);
        f.out.s(") Magic-Cookie=");
        f.out.hex(u64::from(cookie), 8);
    }
    let kind = be16(f.m, 8)?;
    match MESSAGE_TYPES.get(usize::from(kind)) {
        Some(name) => {
            f.out.s(" CTRL_MSGTYPE=");
            f.out.s(name);
        }
        None => {
            f.out.s(" UNKNOWN_CTRL_MSGTYPE(");
            f.out.num(kind);
            f.out.s(")");
        }
    }
    f.reserved16(10)?;
    let b = HEADER_LEN;
    match kind {
        1 => {
            f.proto_version(b)?;
            f.reserved16(b + 2)?;
            f.framing_caps(b + 4)?;
            f.bearer_caps(b + 8)?;
            f.num16("MAX_CHAN", b + 12)?;
            f.num16("FIRM_REV", b + 14)?;
            f.text("HOSTNAME", b + 16, 64)?;
            f.text("VENDOR", b + 80, 64)?;
        }
        2 => {
            f.proto_version(b)?;
            f.num8("RESULT_CODE", b + 2)?;
            f.num8("ERR_CODE", b + 3)?;
            f.framing_caps(b + 4)?;
            f.bearer_caps(b + 8)?;
            f.num16("MAX_CHAN", b + 12)?;
            f.num16("FIRM_REV", b + 14)?;
            f.text("HOSTNAME", b + 16, 64)?;
            f.text("VENDOR", b + 80, 64)?;
        }
        3 => {
            f.num8("REASON", b)?;
            let r = f.u8(b + 1)?;
            f.reserved(u32::from(r));
            f.reserved16(b + 2)?;
        }
        4 => {
            f.num8("RESULT_CODE", b)?;
            f.num8("ERR_CODE", b + 1)?;
            f.reserved16(b + 2)?;
        }
        5 => f.num32("ID", b)?,
        6 => {
            f.num32("ID", b)?;
            f.num8("RESULT_CODE", b + 4)?;
            f.num8("ERR_CODE", b + 5)?;
            f.reserved16(b + 6)?;
        }
        7 => {
            f.num16("CALL_ID", b)?;
            f.num16("CALL_SER_NUM", b + 2)?;
            f.num32("MIN_BPS", b + 4)?;
            f.num32("MAX_BPS", b + 8)?;
            f.bearer_type(b + 12)?;
            f.framing_type(b + 16)?;
            f.num16("RECV_WIN", b + 20)?;
            f.num16("PROC_DELAY", b + 22)?;
            f.num16("PHONE_NO_LEN", b + 24)?;
            f.reserved16(b + 26)?;
            f.counted_text("PHONE_NO", b + 24, b + 28)?;
            f.text("SUB_ADDR", b + 92, 64)?;
        }
        8 => {
            f.num16("CALL_ID", b)?;
            f.num16("PEER_CALL_ID", b + 2)?;
            f.num8("RESULT_CODE", b + 4)?;
            f.num8("ERR_CODE", b + 5)?;
            f.num16("CAUSE_CODE", b + 6)?;
            f.num32("CONN_SPEED", b + 8)?;
            f.num16("RECV_WIN", b + 12)?;
            f.num16("PROC_DELAY", b + 14)?;
            f.num32("PHY_CHAN_ID", b + 16)?;
        }
        9 => {
            f.num16("CALL_ID", b)?;
            f.num16("CALL_SER_NUM", b + 2)?;
            f.bearer_type(b + 4)?;
            f.num32("PHY_CHAN_ID", b + 8)?;
            f.num16("DIALED_NO_LEN", b + 12)?;
            f.num16("DIALING_NO_LEN", b + 14)?;
            f.counted_text("DIALED_NO", b + 12, b + 16)?;
            f.counted_text("DIALING_NO", b + 14, b + 80)?;
            f.text("SUB_ADDR", b + 144, 64)?;
        }
        10 => {
            f.num16("CALL_ID", b)?;
            f.num16("PEER_CALL_ID", b + 2)?;
            f.num8("RESULT_CODE", b + 4)?;
            f.num8("ERR_CODE", b + 5)?;
            f.num16("RECV_WIN", b + 6)?;
            f.num16("PROC_DELAY", b + 8)?;
            f.reserved16(b + 10)?;
        }
        11 => {
            f.num16("PEER_CALL_ID", b)?;
            f.reserved16(b + 2)?;
            f.num32("CONN_SPEED", b + 4)?;
            f.num16("RECV_WIN", b + 8)?;
            f.num16("PROC_DELAY", b + 10)?;
            f.framing_type(b + 12)?;
        }
        12 => {
            f.num16("CALL_ID", b)?;
            f.reserved16(b + 2)?;
        }
        13 => {
            f.num16("CALL_ID", b)?;
            f.num8("RESULT_CODE", b + 2)?;
            f.num8("ERR_CODE", b + 3)?;
            f.num16("CAUSE_CODE", b + 4)?;
            f.reserved16(b + 6)?;
            f.text("CALL_STATS", b + 8, 128)?;
        }
        14 => {
            f.num16("PEER_CALL_ID", b)?;
            f.reserved16(b + 2)?;
            for (i, name) in [
                "CRC_ERR",
                "FRAMING_ERR",
                "HARDWARE_OVERRUN",
                "BUFFER_OVERRUN",
                "TIMEOUT_ERR",
                "ALIGN_ERR",
            ]
            .into_iter()
            .enumerate()
            {
                f.num32(name, b + 4 + 4 * i)?;
            }
        }
        15 => {
            f.num16("PEER_CALL_ID", b)?;
            f.reserved16(b + 2)?;
            f.hex32("SEND_ACCM", b + 4)?;
            f.hex32("RECV_ACCM", b + 8)?;
        }
        _ => {}
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, m, m.len() as u32);
        String::from_utf8(out).unwrap()
    }

    fn header(kind: u8) -> Vec<u8> {
        vec![0, 24, 0, 1, 0x1a, 0x2b, 0x3c, 0x4d, 0, kind, 0, 0]
    }

    #[test]
    fn messages_and_cut_short() {
        let mut sli = header(15);
        sli.extend_from_slice(&[0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1]);
        assert_eq!(
            text(&sli),
            ": pptp CTRL_MSGTYPE=SLI PEER_CALL_ID(0) SEND_ACCM(0xffffffff) RECV_ACCM(0x00000001)"
        );
        let mut ccrq = header(12);
        ccrq.extend_from_slice(&[0, 7, 0, 2]);
        assert_eq!(
            text(&ccrq),
            ": pptp CTRL_MSGTYPE=CCRQ CALL_ID(7) [ERROR: reserved=2 must be zero]"
        );
        let mut sccrq = header(1);
        sccrq.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 8, 0x70]);
        sccrq.extend_from_slice(&[0; 64]);
        sccrq.extend_from_slice(b"MS\0");
        assert_eq!(
            text(&sccrq),
            ": pptp CTRL_MSGTYPE=SCCRQ PROTO_VER(1.0) FRAME_CAP(A) BEARER_CAP(A) MAX_CHAN(0) \
             FIRM_REV(2160) HOSTNAME() VENDOR(MS)"
        );
        assert_eq!(
            text(&sli[..14]),
            ": pptp CTRL_MSGTYPE=SLI PEER_CALL_ID(0) [|pptp]"
        );
        assert_eq!(
            text(&[0, 24, 0, 1, 0, 0, 0, 0, 0, 99, 0, 0]),
            ": pptp UNEXPECTED Magic-Cookie!!(00000000) Magic-Cookie=00000000 UNKNOWN_CTRL_MSGTYPE(99)"
        );
    }
}
