//! SNMP (UDP 161 and 162): tcpdump's default line, decoded from the message's BER
//! encoding, e.g. ` C="private" GetRequest(28) .1.3.6.1.2.1.1.1.0` (numeric OIDs, as
//! with `-nn`). A malformed element prints tcpdump's bracketed complaint and ends the
//! line.

use super::text::{TextOut, printn};

pub const PORT: u16 = 161;
pub const TRAP_PORT: u16 = 162;

/// The line ends here: a complaint or the truncation mark has been printed.
struct Stop;

type Step<T> = Result<T, Stop>;

/// Whether an element is of the sort a field needs.
type KindTest = fn(Kind) -> bool;

fn truncated<T>(out: &mut Vec<u8>) -> Step<T> {
    out.s(" [|snmp]");
    Err(Stop)
}

fn complain<T>(out: &mut Vec<u8>, text: &str) -> Step<T> {
    out.s(text);
    Err(Stop)
}

/// Tag names by class: universal, application, context, private.
const UNIVERSAL: [&str; 18] = [
    "U-0",
    "Boolean",
    "Integer",
    "Bitstring",
    "String",
    "Null",
    "ObjID",
    "ObjectDes",
    "U-8",
    "U-9",
    "U-10",
    "U-11",
    "U-12",
    "U-13",
    "U-14",
    "U-15",
    "Sequence",
    "Set",
];
const APPLICATION: [&str; 7] = [
    "IpAddress",
    "Counter",
    "Gauge",
    "TimeTicks",
    "Opaque",
    "C-5",
    "Counter64",
];
const CONTEXT: [&str; 9] = [
    "GetRequest",
    "GetNextRequest",
    "GetResponse",
    "SetRequest",
    "Trap",
    "GetBulk",
    "Inform",
    "V2Trap",
    "Report",
];
const PRIVATE: [&str; 1] = ["P-0"];
const EXCEPTIONS: [&str; 3] = ["noSuchObject", "noSuchInstance", "endOfMibView"];
const CLASSES: [&[&str]; 4] = [&UNIVERSAL, &APPLICATION, &CONTEXT, &PRIVATE];

const ERROR_STATUS: [&str; 19] = [
    "noError",
    "tooBig",
    "noSuchName",
    "badValue",
    "readOnly",
    "genErr",
    "noAccess",
    "wrongType",
    "wrongLength",
    "wrongEncoding",
    "wrongValue",
    "noCreation",
    "inconsistentValue",
    "resourceUnavailable",
    "commitFailed",
    "undoFailed",
    "authorizationError",
    "notWritable",
    "inconsistentName",
];
const GENERIC_TRAP: [&str; 7] = [
    "coldStart",
    "warmStart",
    "linkDown",
    "linkUp",
    "authenticationFailure",
    "egpNeighborLoss",
    "enterpriseSpecific",
];
const ENTERPRISE_SPECIFIC: i32 = 6;

/// PDU tags (context class).
const GET: u8 = 0;
const GET_NEXT: u8 = 1;
const SET: u8 = 3;
const TRAP: u8 = 4;
const GET_BULK: u8 = 5;
const INFORM: u8 = 6;
const V2_TRAP: u8 = 7;
const REPORT: u8 = 8;

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Str,
    Int(i32),
    Oid,
    Null,
    /// Any other primitive value, shown as hex bytes.
    Octets,
    Unsigned(u32),
    Unsigned64(u64),
    Sequence,
    InetAddr,
    Pdu,
    Exception,
    Unknown,
}

/// One BER element: its tag, where its contents start in the message, their length,
/// and the bytes it took in all.
#[derive(Clone, Copy)]
struct Element {
    id: u8,
    kind: Kind,
    at: usize,
    len: u32,
    count: u32,
}

/// The message's captured bytes; offsets are from its start.
struct Snmp<'a> {
    msg: &'a [u8],
}

impl Snmp<'_> {
    fn byte(&self, out: &mut Vec<u8>, at: usize) -> Step<u8> {
        match self.msg.get(at) {
            Some(&b) => Ok(b),
            None => truncated(out),
        }
    }

    fn contents(&self, e: &Element) -> &[u8] {
        let end = e.at.saturating_add(e.len as usize).min(self.msg.len());
        self.msg.get(e.at..end).unwrap_or(&[])
    }

    /// tcpdump's `asn1_parse`: the element at `at` within `len` bytes.
    fn parse(&self, out: &mut Vec<u8>, at: usize, len: u32) -> Step<Element> {
        if len < 1 {
            return complain(out, "[nothing to parse]");
        }
        let first = self.byte(out, at)?;
        let mut id = first & 0x1f;
        let form = (first & 0x20) >> 5;
        let class = first >> 6;
        let mut pos = at + 1;
        let mut len = len - 1;
        if id == 0x1f {
            // A multi-byte tag (kept to 8 bits, as tcpdump's is).
            id = 0;
            loop {
                let b = self.byte(out, pos)?;
                if b & 0x80 == 0 {
                    break;
                }
                if len < 1 {
                    return complain(out, "[Xtagfield?]");
                }
                id = ((u32::from(id) << 7) | u32::from(b & 0x7f)) as u8;
                len -= 1;
                pos += 1;
            }
            if len < 1 {
                return complain(out, "[Xtagfield?]");
            }
            id = ((u32::from(id) << 7) | u32::from(self.byte(out, pos)?)) as u8;
            len -= 1;
            pos += 1;
        }
        if len < 1 {
            return complain(out, "[no asnlen]");
        }
        let mut asnlen = u32::from(self.byte(out, pos)?);
        pos += 1;
        len -= 1;
        if asnlen & 0x80 != 0 {
            let octets = asnlen % 0x80;
            asnlen = 0;
            if len < octets {
                out.s("[asnlen? ");
                out.num(len as i32);
                out.s("<");
                out.num(octets);
                return complain(out, "]");
            }
            if self.msg.len() < pos + octets as usize {
                return truncated(out);
            }
            for _ in 0..octets {
                asnlen = asnlen.wrapping_shl(8) | u32::from(self.msg[pos]);
                pos += 1;
                len -= 1;
            }
        }
        if len < asnlen {
            out.s("[len");
            out.num(len as i32);
            out.s("<asnlen");
            out.num(asnlen);
            return complain(out, "]");
        }
        let names = CLASSES[usize::from(class)];
        let form_letter = if form == 0 { "P" } else { "C" };
        let Some(&name) = names.get(usize::from(id)) else {
            // tcpdump's class names are all the literal "x".
            out.s("[id?");
            out.s(form_letter);
            out.s("/x/");
            out.num(id);
            return complain(out, "]");
        };
        if (self.msg.len() as u64) < pos as u64 + u64::from(asnlen) {
            return truncated(out);
        }
        let body = &self.msg[pos..pos + asnlen as usize];
        let kind = match (form, class, id) {
            (0, 0, 4) => Kind::Str,
            (0, 0, 2) => {
                let Some(&lead) = body.first() else {
                    return complain(out, "[asnlen=0]");
                };
                let start = if lead & 0x80 != 0 { -1i32 } else { 0 };
                Kind::Int(
                    body.iter()
                        .fold(start, |v, &b| v.wrapping_shl(8) | i32::from(b)),
                )
            }
            (0, 0, 6) => Kind::Oid,
            (0, 0, 5) => Kind::Null,
            (0, 0, _) => {
                out.s("[P/U/");
                out.s(name);
                out.s("]");
                Kind::Octets
            }
            (0, 1, 0) => Kind::InetAddr,
            (0, 1, 1..=3) => Kind::Unsigned(
                body.iter()
                    .fold(0u32, |v, &b| v.wrapping_shl(8).wrapping_add(u32::from(b))),
            ),
            (0, 1, 6) => Kind::Unsigned64(
                body.iter()
                    .fold(0u64, |v, &b| v.wrapping_shl(8).wrapping_add(u64::from(b))),
            ),
            (0, 1, _) => {
                out.s("[P/A/");
                out.s(name);
                out.s("]");
                Kind::Octets
            }
            (0, 2, 0..=2) => Kind::Exception,
            (0, 2, _) => Kind::Unknown,
            (0, _, _) => {
                out.s("[P/x/");
                out.s(name);
                out.s("]");
                Kind::Octets
            }
            (_, 0, 16) => Kind::Sequence,
            (_, 0, _) => {
                out.s("C/U/");
                out.s(name);
                Kind::Octets
            }
            (_, 2, _) => Kind::Pdu,
            _ => {
                out.s("C/x/");
                out.s(name);
                Kind::Octets
            }
        };
        Ok(Element {
            id,
            kind,
            at: pos,
            len: asnlen,
            count: asnlen + (pos - at) as u32,
        })
    }

    /// tcpdump's `asn1_print`.
    fn print(&self, out: &mut Vec<u8>, e: &Element) -> Step<()> {
        let body = self.contents(e);
        match e.kind {
            Kind::Octets => {
                for &b in body {
                    out.s("_");
                    out.hex(u64::from(b), 2);
                }
            }
            Kind::Null => {}
            Kind::Oid => print_oid(out, body),
            Kind::Int(v) => out.num(v),
            Kind::Unsigned(v) => out.num(v),
            Kind::Unsigned64(v) => out.num(v),
            Kind::Str => print_string(out, body),
            Kind::Sequence => {
                out.s("Seq(");
                out.num(e.len);
                out.s(")");
            }
            Kind::InetAddr => {
                if e.len != 4 {
                    out.s("[inetaddr len!=4]");
                }
                for (i, b) in body.iter().enumerate() {
                    if i > 0 {
                        out.s(".");
                    }
                    out.num(*b);
                }
            }
            Kind::Exception => {
                out.s("[");
                out.s(EXCEPTIONS[usize::from(e.id)]);
                out.s("]");
            }
            Kind::Pdu => {
                out.s(CONTEXT[usize::from(e.id)]);
                out.s("(");
                out.num(e.len);
                out.s(")");
            }
            Kind::Unknown => out.s("[BE_ANY!?]"),
        }
        Ok(())
    }

    /// The element at `at`, which must be of `kind`'s sort; otherwise tcpdump's
    /// `[what!=TYPE]` and the element, and the line ends.
    fn expect(
        &self,
        out: &mut Vec<u8>,
        at: usize,
        len: u32,
        is: KindTest,
        complaint: &str,
    ) -> Step<Element> {
        let e = self.parse(out, at, len)?;
        if !is(e.kind) {
            out.s(complaint);
            let _ = self.print(out, &e);
            return Err(Stop);
        }
        Ok(e)
    }

    fn message(&self, out: &mut Vec<u8>, len: u32) -> Step<()> {
        let e = self.parse(out, 0, len)?;
        if e.kind != Kind::Sequence {
            out.s("[!init SEQ]");
            let _ = self.print(out, &e);
            return Err(Stop);
        }
        extra(out, e.count, len, " extra after iSEQ]");
        let (at, len) = (e.at, e.len);
        let v = self.expect(out, at, len, is_int, "[version!=INT]")?;
        let version = int(&v);
        if !matches!(version, 0 | 1 | 3) {
            out.s("SNMP [version = ");
            out.num(version);
            return complain(out, "]");
        }
        let (at, len) = (at + v.count as usize, len - v.count);
        if version == 3 {
            self.v3_message(out, at, len)
        } else {
            self.community(out, at, len, version)
        }
    }

    fn community(&self, out: &mut Vec<u8>, at: usize, len: u32, version: i32) -> Step<()> {
        let c = self.expect(out, at, len, is_str, "[comm!=STR]")?;
        if self.contents(&c) != b"public" {
            out.s("C=");
            print_string(out, self.contents(&c));
            out.s(" ");
        }
        self.pdu(out, at + c.count as usize, len - c.count, version)
    }

    fn pdu(&self, out: &mut Vec<u8>, at: usize, len: u32, version: i32) -> Step<()> {
        let pdu = self.parse(out, at, len)?;
        if pdu.kind != Kind::Pdu {
            return complain(out, "[no PDU]");
        }
        extra(out, pdu.count, len, " extra after PDU]");
        self.print(out, &pdu)?;
        out.s(" ");
        if version == 0 && matches!(pdu.id, GET_BULK | INFORM | V2_TRAP | REPORT) {
            return complain(out, "[v2 PDU in v1 message]");
        }
        if version == 1 && pdu.id == TRAP {
            return complain(out, "[v1 PDU in v2 message]");
        }
        match pdu.id {
            TRAP => self.trap(out, pdu.at, pdu.len),
            GET..=REPORT => self.request(out, pdu.id, pdu.at, pdu.len),
            _ => Ok(()),
        }
    }

    /// GetRequest, GetNextRequest, GetResponse, SetRequest, GetBulk, Inform, V2Trap and
    /// Report: request id (shown with -v), error status and index, variables.
    fn request(&self, out: &mut Vec<u8>, pdu: u8, at: usize, len: u32) -> Step<()> {
        let strict = matches!(pdu, GET | GET_NEXT | SET | INFORM | V2_TRAP | REPORT);
        let id = self.expect(out, at, len, is_int, "[reqId!=INT]")?;
        let (at, len) = (at + id.count as usize, len - id.count);
        let e = self.expect(out, at, len, is_int, "[errorStatus!=INT]")?;
        let status = int(&e);
        let mut error_status = 0;
        if strict && status != 0 {
            out.s("[errorStatus(");
            error_name(out, status);
            out.s(")!=0]");
        } else if pdu == GET_BULK {
            out.s(" N=");
            out.num(status);
        } else if status != 0 {
            out.s(" ");
            error_name(out, status);
            error_status = status;
        }
        let (at, len) = (at + e.count as usize, len - e.count);
        let e = self.expect(out, at, len, is_int, "[errorIndex!=INT]")?;
        let index = int(&e);
        if strict && index != 0 {
            out.s("[errorIndex(");
            out.num(index);
            out.s(")!=0]");
        } else if pdu == GET_BULK {
            out.s(" M=");
            out.num(index);
        } else if index != 0 {
            if error_status == 0 {
                out.s("[errorIndex(");
                out.num(index);
                out.s(") w/o errorStatus]");
            } else {
                out.s("@");
                out.num(index);
            }
        } else if error_status != 0 {
            out.s("[errorIndex==0]");
        }
        self.varbinds(out, pdu, at + e.count as usize, len - e.count)
    }

    /// SNMPv1 Trap: enterprise, agent address, generic and specific trap, time stamp,
    /// variables.
    fn trap(&self, out: &mut Vec<u8>, at: usize, len: u32) -> Step<()> {
        out.s(" ");
        let e = self.expect(out, at, len, is_oid, "[enterprise!=OID]")?;
        self.print(out, &e)?;
        let (at, len) = (at + e.count as usize, len - e.count);
        out.s(" ");
        let e = self.expect(out, at, len, is_inet, "[agent-addr!=INETADDR]")?;
        self.print(out, &e)?;
        let (at, len) = (at + e.count as usize, len - e.count);
        let e = self.expect(out, at, len, is_int, "[generic-trap!=INT]")?;
        let generic = int(&e);
        out.s(" ");
        match usize::try_from(generic)
            .ok()
            .and_then(|g| GENERIC_TRAP.get(g))
        {
            Some(name) => out.s(name),
            None => {
                out.s("gt=");
                out.num(generic);
            }
        }
        let (at, len) = (at + e.count as usize, len - e.count);
        let e = self.expect(out, at, len, is_int, "[specific-trap!=INT]")?;
        let specific = int(&e);
        if generic != ENTERPRISE_SPECIFIC {
            if specific != 0 {
                out.s("[specific-trap(");
                out.num(specific);
                out.s(")!=0]");
            }
        } else {
            out.s(" s=");
            out.num(specific);
        }
        let (at, len) = (at + e.count as usize, len - e.count);
        out.s(" ");
        let e = self.expect(out, at, len, is_unsigned, "[time-stamp!=TIMETICKS]")?;
        self.print(out, &e)?;
        self.varbinds(out, TRAP, at + e.count as usize, len - e.count)
    }

    /// The variable bindings: ` name=value` each (requests show names only).
    fn varbinds(&self, out: &mut Vec<u8>, pdu: u8, at: usize, len: u32) -> Step<()> {
        let list = self.parse(out, at, len)?;
        if list.kind != Kind::Sequence {
            out.s("[!SEQ of varbind]");
            let _ = self.print(out, &list);
            return Err(Stop);
        }
        extra(out, list.count, len, " extra after SEQ of varbind]");
        let request = matches!(pdu, GET | GET_NEXT | GET_BULK);
        let (mut at, mut len) = (list.at, list.len);
        while len > 0 {
            out.s(" ");
            let bind = self.parse(out, at, len)?;
            if bind.kind != Kind::Sequence {
                out.s("[!varbind]");
                let _ = self.print(out, &bind);
                return Err(Stop);
            }
            let name = self.expect(out, bind.at, bind.len, is_oid, "[objName!=OID]")?;
            self.print(out, &name)?;
            if !request {
                out.s("=");
            }
            let value = self.parse(out, bind.at + name.count as usize, bind.len - name.count)?;
            if value.kind != Kind::Null {
                if request {
                    out.s("[objVal!=NULL]");
                }
                self.print(out, &value)?;
            }
            at += bind.count as usize;
            len -= bind.count;
        }
        Ok(())
    }

    /// SNMPv3: global data (flags, security model), USM parameters (user name), scoped
    /// PDU (context engine and name).
    fn v3_message(&self, out: &mut Vec<u8>, at: usize, len: u32) -> Step<()> {
        let (start, whole) = (at, len);
        let g = self.expect(out, at, len, is_seq, "[!message]")?;
        let (at, len) = (g.at, g.len);
        let e = self.expect(out, at, len, is_int, "[msgID!=INT]")?;
        let (at, len) = (at + e.count as usize, len - e.count);
        let e = self.expect(out, at, len, is_int, "[msgMaxSize!=INT]")?;
        let (at, len) = (at + e.count as usize, len - e.count);
        let e = self.expect(out, at, len, is_str, "[msgFlags!=STR]")?;
        if e.len != 1 {
            out.s("[msgFlags size ");
            out.num(e.len);
            return complain(out, "]");
        }
        let flags = self.byte(out, e.at)?;
        if !matches!(flags, 0 | 1 | 3 | 4 | 5 | 7) {
            out.s("[msgFlags=0x");
            for nibble in [flags >> 4, flags & 0xf] {
                out.push(b"0123456789ABCDEF"[usize::from(nibble)]);
            }
            return complain(out, "]");
        }
        let (at, len) = (at + e.count as usize, len - e.count);
        out.s("F=");
        for (bit, letter) in [(1, "a"), (2, "p"), (4, "r")] {
            if flags & bit != 0 {
                out.s(letter);
            }
        }
        out.s(" ");
        let e = self.expect(out, at, len, is_int, "[msgSecurityModel!=INT]")?;
        let model = int(&e);
        let (at, len) = (at + e.count as usize, len - e.count);
        extra(out, e.count, len, " extra after message SEQ]");
        if model != 3 {
            out.s("[security model ");
            out.num(model);
            return complain(out, "]");
        }
        let len = whole.wrapping_sub((at - start) as u32);
        let p = self.expect(out, at, len, is_str, "[msgSecurityParameters!=STR]")?;
        let _ = self.usm(out, p.at, p.len);
        self.scoped_pdu(out, at + p.count as usize, len - p.count)
    }

    /// The user-based security model's parameters: only the user name is shown.
    fn usm(&self, out: &mut Vec<u8>, at: usize, len: u32) -> Step<()> {
        let s = self.expect(out, at, len, is_seq, "[!usm]")?;
        let (mut at, mut len) = (s.at, s.len);
        let fields: [(KindTest, &str); 6] = [
            (is_str, "[msgAuthoritativeEngineID!=STR]"),
            (is_int, "[msgAuthoritativeEngineBoots!=INT]"),
            (is_int, "[msgAuthoritativeEngineTime!=INT]"),
            (is_str, "[msgUserName!=STR]"),
            (is_str, "[msgAuthenticationParameters!=STR]"),
            (is_str, "[msgPrivacyParameters!=STR]"),
        ];
        for (i, (is, complaint)) in fields.into_iter().enumerate() {
            let e = self.expect(out, at, len, is, complaint)?;
            at += e.count as usize;
            len -= e.count;
            if i == 3 {
                out.s("U=");
                print_string(out, self.contents(&e));
                out.s(" ");
            }
            if i == 5 {
                extra(out, e.count, len, " extra after usm SEQ]");
            }
        }
        Ok(())
    }

    fn scoped_pdu(&self, out: &mut Vec<u8>, at: usize, len: u32) -> Step<()> {
        let s = self.expect(out, at, len, is_seq, "[!scoped PDU]")?;
        let (at, len) = (s.at, s.len);
        let e = self.expect(out, at, len, is_str, "[contextEngineID!=STR]")?;
        out.s("E=");
        for &b in self.contents(&e) {
            out.s("_");
            out.hex(u64::from(b), 2);
        }
        out.s(" ");
        let (at, len) = (at + e.count as usize, len - e.count);
        let e = self.expect(out, at, len, is_str, "[contextName!=STR]")?;
        out.s("C=");
        print_string(out, self.contents(&e));
        out.s(" ");
        self.pdu(out, at + e.count as usize, len - e.count, 3)
    }
}

fn is_int(k: Kind) -> bool {
    matches!(k, Kind::Int(_))
}
fn is_str(k: Kind) -> bool {
    k == Kind::Str
}
fn is_oid(k: Kind) -> bool {
    k == Kind::Oid
}
fn is_seq(k: Kind) -> bool {
    k == Kind::Sequence
}
fn is_inet(k: Kind) -> bool {
    k == Kind::InetAddr
}
fn is_unsigned(k: Kind) -> bool {
    matches!(k, Kind::Unsigned(_))
}

fn int(e: &Element) -> i32 {
    match e.kind {
        Kind::Int(v) => v,
        _ => 0,
    }
}

/// `[N extra after ...]` when an element took fewer than the `len` bytes it was in.
fn extra(out: &mut Vec<u8>, count: u32, len: u32, what: &str) {
    if count < len {
        out.s("[");
        out.num(len - count);
        out.s(what);
    }
}

fn error_name(out: &mut Vec<u8>, status: i32) {
    match usize::try_from(status)
        .ok()
        .and_then(|s| ERROR_STATUS.get(s))
    {
        Some(name) => out.s(name),
        None => {
            out.s("err=");
            out.num(status as u32);
        }
    }
}

/// A string quoted when all printable, else its bytes in hex joined by `_`.
fn print_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().all(|b| (0x20..0x7f).contains(b)) {
        out.s("\"");
        printn(out, s);
        out.s("\"");
    } else {
        for (i, &b) in s.iter().enumerate() {
            if i > 0 {
                out.s("_");
            }
            out.hex(u64::from(b), 2);
        }
    }
}

/// `.a.b.c...`: base-128 sub-identifiers, the first split into two (X.690 8.19).
fn print_oid(out: &mut Vec<u8>, oid: &[u8]) {
    let mut first = true;
    let mut o: i32 = 0;
    for &b in oid {
        o = o.wrapping_shl(7).wrapping_add(i32::from(b & 0x7f));
        if b & 0x80 != 0 {
            continue;
        }
        if first {
            first = false;
            let s = (o / 40).min(2);
            out.s(".");
            out.num(s as u32);
            o = o.wrapping_sub(s.wrapping_mul(40));
        }
        out.s(".");
        out.num(o as u32);
        o = 0;
    }
}

/// Appends the text after `src.port > dst.port: ` for a message of wire length `len`
/// whose captured bytes are `payload`.
pub fn print(out: &mut Vec<u8>, payload: &[u8], len: u32) {
    out.s(" ");
    let _ = Snmp { msg: payload }.message(out, len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(bytes: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, bytes, bytes.len() as u32);
        String::from_utf8(out).unwrap()
    }

    /// A v1 message: community, then a PDU with request id 1, the given error status
    /// and index, and one binding of .1.3.6.1.2.1.1.5.0 to `value`.
    fn message(community: &[u8], pdu: u8, status: u8, index: u8, value: &[u8]) -> Vec<u8> {
        let oid = [0x06, 0x08, 0x2b, 6, 1, 2, 1, 1, 5, 0];
        let mut bind = vec![0x30, (oid.len() + value.len()) as u8];
        bind.extend_from_slice(&oid);
        bind.extend_from_slice(value);
        let mut list = vec![0x30, bind.len() as u8];
        list.extend_from_slice(&bind);
        let mut body = vec![2, 1, 1, 2, 1, status, 2, 1, index];
        body.extend_from_slice(&list);
        let mut p = vec![0xa0 | pdu, body.len() as u8];
        p.extend_from_slice(&body);
        let mut inner = vec![2, 1, 0, 4, community.len() as u8];
        inner.extend_from_slice(community);
        inner.extend_from_slice(&p);
        let mut m = vec![0x30, inner.len() as u8];
        m.extend_from_slice(&inner);
        m
    }

    #[test]
    fn get_request_public() {
        assert_eq!(
            line(&message(b"public", 0, 0, 0, &[5, 0])),
            " GetRequest(25)  .1.3.6.1.2.1.1.5.0"
        );
    }

    #[test]
    fn response_with_value_error_and_community() {
        assert_eq!(
            line(&message(b"priv", 2, 2, 1, &[4, 2, b'h', b'i'])),
            " C=\"priv\" GetResponse(27)  noSuchName@1 .1.3.6.1.2.1.1.5.0=\"hi\""
        );
        assert_eq!(
            line(&message(b"p", 2, 0, 0, &[0x43, 2, 1, 0])),
            " C=\"p\" GetResponse(27)  .1.3.6.1.2.1.1.5.0=256"
        );
        assert_eq!(
            line(&message(b"p", 0, 3, 0, &[5, 0])),
            " C=\"p\" GetRequest(25) [errorStatus(badValue)!=0] .1.3.6.1.2.1.1.5.0"
        );
    }

    #[test]
    fn malformed() {
        // Not a sequence: the element is shown.
        assert_eq!(line(&[2, 1, 0xff]), " [!init SEQ]-1");
        assert_eq!(line(&[0x30, 5, 2]), " [len1<asnlen5]");
        assert_eq!(line(&[0x30, 0x30, 0x30]), " [len1<asnlen48]");
        assert_eq!(line(&[]), " [nothing to parse]");
        assert_eq!(line(&[0x30, 3, 2, 1, 9]), " SNMP [version = 9]");
        // The capture ends inside a declared element.
        let mut out = Vec::new();
        print(&mut out, &[0x30, 3, 2], 5);
        assert_eq!(String::from_utf8(out).unwrap(), "  [|snmp]");
    }

    #[test]
    fn oids_and_unsigned_wrap() {
        let mut out = Vec::new();
        print_oid(&mut out, &[0x2b, 6, 0x81, 0x00]);
        print_oid(&mut out, &[0x8f, 0xff, 0xff, 0xff, 0x7f]);
        assert_eq!(String::from_utf8(out).unwrap(), ".1.3.6.128.0.4294967295");
    }
}
