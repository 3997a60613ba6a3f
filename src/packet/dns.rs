//! DNS and mDNS: a view over a message and tcpdump's one-line summary of it
//! (`4694+ A? google.com. (28)`, `23614 1/13/0 A 172.217.17.174 (255)`).
//!
//! Hand-written rather than with a DNS crate: the summary must follow tcpdump's exact
//! rules for cut-short messages (print what was captured, then `[|domain]`), which a
//! validating parser does not expose.

use super::names;
use super::text::{TextOut, printn, relative_seconds};

/// The EDNS OPT pseudo-record's type.
const OPT_TYPE: u16 = 41;
/// The URI record's type (RFC 7553).
const URI_TYPE: u16 = 256;

/// A DNS message: the captured bytes and its length on the wire.
#[derive(Clone, Copy, Debug)]
pub struct DnsMessage<'a> {
    /// Captured bytes, never more than `length`.
    pub data: &'a [u8],
    pub length: u32,
}

impl<'a> DnsMessage<'a> {
    pub fn new(data: &'a [u8], length: u32) -> Self {
        let n = data.len().min(length as usize);
        DnsMessage {
            data: &data[..n],
            length,
        }
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        Some(u16::from_be_bytes([
            *self.data.get(at)?,
            *self.data.get(at + 1)?,
        ]))
    }

    pub fn id(&self) -> Option<u16> {
        self.u16_at(0)
    }
    pub fn flags(&self) -> Option<u16> {
        self.u16_at(2)
    }
    pub fn is_response(&self) -> bool {
        self.flags().is_some_and(|f| f & 0x8000 != 0)
    }
}

/// The mDNS "unicast response wanted" / "cache flush" bit in the class field.
const CLASS_TOP_BIT: u16 = 0x8000;

struct Printer<'p, 'a> {
    msg: DnsMessage<'a>,
    out: &'p mut Vec<u8>,
    multicast: bool,
    verbose: u8,
}

/// Appends tcpdump's summary of `msg` (starting with the id) to `out`; a cut-short
/// message ends in ` [|domain]`, or with `windows_mark`, as Windows pktmon spaces it,
/// in `[|domain]` after a space already printed.
pub fn print(
    out: &mut Vec<u8>,
    msg: DnsMessage<'_>,
    multicast: bool,
    verbose: u8,
    windows_mark: bool,
) {
    if msg.length < 12 {
        out.s("domain [length ");
        out.num(msg.length);
        out.s(" < 12] (invalid)");
        return;
    }
    let mut p = Printer {
        msg,
        out,
        multicast,
        verbose,
    };
    if p.message().is_none() {
        // tcpdump 4.99 always opens the mark with a space; Windows pktmon adds one
        // only after other text.
        if !windows_mark || p.out.last() != Some(&b' ') {
            p.out.s(" ");
        }
        p.out.s("[|domain]");
    }
}

impl Printer<'_, '_> {
    fn end(&self) -> usize {
        self.msg.data.len()
    }

    fn message(&mut self) -> Option<()> {
        let m = self.msg;
        let id = m.id()?;
        let flags = m.flags()?;
        let qd = m.u16_at(4)?;
        let an = m.u16_at(6)?;
        let ns = m.u16_at(8)?;
        let ar = m.u16_at(10)?;
        let opcode = usize::from((flags >> 11) & 0xF);
        let mut cp = 12usize;
        if flags & 0x8000 != 0 {
            self.out.num(id);
            self.out.s(names::DNS_OPCODES[opcode]);
            let rcode = self.extended_rcode(flags, [qd, an, ns, ar]);
            match names::dns_rcode(rcode) {
                Some(name) => self.out.s(name),
                None => {
                    self.out.s(" Resp");
                    self.out.num(rcode & 0xFFF);
                }
            }
            if flags & 0x0400 != 0 {
                self.out.s("*");
            }
            if flags & 0x0080 == 0 {
                self.out.s("-");
            }
            if flags & 0x0200 != 0 {
                self.out.s("|");
            }
            if flags & 0x0020 != 0 {
                self.out.s("$");
            }
            if qd != 1 {
                self.out.s(" [");
                self.out.num(qd);
                self.out.s("q]");
            }
            for i in 0..qd {
                if i > 0 {
                    self.out.s(",");
                }
                if self.verbose > 1 {
                    self.out.s(" q:");
                    cp = self.question(cp)?;
                } else {
                    cp = self.skip_name(cp)? + 4;
                }
            }
            self.out.s(" ");
            self.out.num(an);
            self.out.s("/");
            self.out.num(ns);
            self.out.s("/");
            self.out.num(ar);
            cp = self.records(cp, an, "")?;
            if self.verbose > 1 {
                cp = self.records(cp, ns, " ns:")?;
                self.records(cp, ar, " ar:")?;
            }
        } else {
            self.out.num(id);
            self.out.s(names::DNS_OPCODES[opcode]);
            if flags & 0x0100 != 0 {
                self.out.s("+");
            }
            if flags & 0x0010 != 0 {
                self.out.s("%");
            }
            if flags & 0x6cf != 0 {
                self.out.s(" [b2&3=0x");
                self.out.hex(u64::from(flags), 0);
                self.out.s("]");
            }
            let count = |out: &mut Vec<u8>, n: u16, tag: &str| {
                out.s(" [");
                out.num(n);
                out.s(tag);
                out.s("]");
            };
            if opcode == 1 {
                if qd != 0 {
                    count(self.out, qd, "q");
                }
                if an != 1 {
                    count(self.out, an, "a");
                }
            } else {
                if an != 0 {
                    count(self.out, an, "a");
                }
                if qd != 1 {
                    count(self.out, qd, "q");
                }
            }
            if ns != 0 {
                count(self.out, ns, "n");
            }
            if ar != 0 {
                count(self.out, ar, "au");
            }
            let mut left = qd;
            while left > 0 {
                if left < qd && cp >= self.end() {
                    return None;
                }
                cp = self.question(cp)?;
                left -= 1;
            }
            if self.verbose > 1 {
                cp = self.records(cp, an, "")?;
                cp = self.records(cp, ns, " ns:")?;
                self.records(cp, ar, " ar:")?;
            }
        }
        self.out.s(" (");
        self.out.num(self.msg.length);
        self.out.s(")");
        Some(())
    }

    /// Prints up to `count` records separated by commas while captured bytes remain;
    /// `None` (→ `[|domain]`) when some could not be printed.
    fn records(&mut self, mut cp: usize, count: u16, tag: &str) -> Option<usize> {
        if count == 0 {
            return Some(cp);
        }
        if !tag.is_empty() {
            if cp >= self.end() {
                return None;
            }
            self.out.s(tag);
        }
        cp = self.record(cp)?;
        for _ in 1..count {
            if cp >= self.end() {
                return None;
            }
            self.out.s(",");
            cp = self.record(cp)?;
        }
        Some(cp)
    }

    /// The response code with the high bits an OPT record in the additional section
    /// carries (RFC 6891), found by skipping the sections as tcpdump does; the header's
    /// 4 bits when the walk runs out of captured bytes first.
    fn extended_rcode(&self, flags: u16, [qd, an, ns, ar]: [u16; 4]) -> u16 {
        let rcode = flags & 0xF;
        let end = self.end();
        let d = self.msg.data;
        let mut cp = 12usize;
        for _ in 0..qd {
            let Some(after) = self.skip_name(cp) else {
                return rcode;
            };
            cp = after + 4;
            if cp >= end {
                return rcode;
            }
        }
        for _ in 0..u32::from(an) + u32::from(ns) {
            let Some(after) = self.skip_name(cp) else {
                return rcode;
            };
            cp = after + 8;
            let Some(rdlen) = self.msg.u16_at(cp) else {
                return rcode;
            };
            cp += 2 + usize::from(rdlen);
            if cp >= end {
                return rcode;
            }
        }
        for _ in 0..ar {
            let Some(after) = self.skip_name(cp) else {
                return rcode;
            };
            let Some(kind) = self.msg.u16_at(after) else {
                return rcode;
            };
            cp = after + 4;
            let Some(&high) = d.get(cp) else {
                return rcode;
            };
            if kind == OPT_TYPE {
                return rcode | (u16::from(high) << 4);
            }
            cp += 4;
            let Some(rdlen) = self.msg.u16_at(cp) else {
                return rcode;
            };
            cp += 2 + usize::from(rdlen);
            if cp >= end {
                return rcode;
            }
        }
        rcode
    }

    fn skip_name(&self, mut cp: usize) -> Option<usize> {
        let d = self.msg.data;
        loop {
            let len = *d.get(cp)?;
            cp += 1;
            match len & 0xC0 {
                0 if len == 0 => return Some(cp),
                0xC0 => return Some(cp + 1),
                // Reserved label type: tcpdump gives up.
                0x80 => return None,
                0x40 => {
                    if len & 0x3F != 1 {
                        return None;
                    }
                    let bits = *d.get(cp)?;
                    let bits = if bits == 0 { 256 } else { usize::from(bits) };
                    cp += 1 + bits.div_ceil(8);
                }
                _ => cp += usize::from(len),
            }
        }
    }

    /// Prints a name as `a.b.c.`; returns the position after it in place.
    fn name(&mut self, start: usize) -> Option<usize> {
        let d = self.msg.data;
        let mut cp = start;
        let mut after: Option<usize> = None;
        let mut max_offset = start;
        let mut len = *d.get(cp)?;
        if len == 0 {
            self.out.s(".");
            return Some(cp + 1);
        }
        while len != 0 && cp < self.end() {
            match len & 0xC0 {
                0xC0 => {
                    let lo = *d.get(cp + 1)?;
                    after.get_or_insert(cp + 2);
                    let offset = (usize::from(len & 0x3F) << 8) | usize::from(lo);
                    if offset >= max_offset {
                        self.out.s("<BAD PTR>");
                        return None;
                    }
                    max_offset = offset;
                    cp = offset;
                }
                0x40 => {
                    self.out.s("<ELT ");
                    self.out.num(len & 0x3F);
                    self.out.s(">");
                    return None;
                }
                _ => {
                    let l = usize::from(len);
                    let label = d.get(cp + 1..)?;
                    let take = l.min(label.len());
                    printn(self.out, &label[..take]);
                    if take < l {
                        return None;
                    }
                    cp += 1 + l;
                    self.out.s(".");
                }
            }
            len = *d.get(cp)?;
        }
        Some(after.unwrap_or(cp + 1))
    }

    fn type_name(&mut self, t: u16) {
        match names::dns_type(t) {
            Some(n) => self.out.s(n),
            None => {
                self.out.s("Type");
                self.out.num(t);
            }
        }
    }

    fn class_name(&mut self, c: u16) {
        match names::dns_class(c) {
            Some(n) => self.out.s(n),
            None => {
                self.out.s("(Class ");
                self.out.num(c);
                self.out.s(")");
            }
        }
    }

    fn question(&mut self, start: usize) -> Option<usize> {
        let cp = self.skip_name(start)?;
        let qtype = self.msg.u16_at(cp)?;
        let qclass = self.msg.u16_at(cp + 2)?;
        self.out.s(" ");
        self.type_name(qtype);
        let class = if self.multicast {
            qclass & !CLASS_TOP_BIT
        } else {
            qclass
        };
        if class != 1 {
            self.out.s(" ");
            self.class_name(class);
        }
        if self.multicast {
            self.out.s(if qclass & CLASS_TOP_BIT != 0 {
                " (QU)"
            } else {
                " (QM)"
            });
        }
        self.out.s("? ");
        self.name(start)?;
        Some(cp + 4)
    }

    fn record(&mut self, start: usize) -> Option<usize> {
        let cp = if self.verbose > 0 {
            self.out.s(" ");
            self.name(start)?
        } else {
            match self.skip_name(start) {
                Some(cp) => cp,
                None => return Some(self.end()),
            }
        };
        if self.msg.data.len() < cp + 10 {
            return Some(self.end());
        }
        let rtype = self.msg.u16_at(cp)?;
        let rclass = self.msg.u16_at(cp + 2)?;
        let class = if self.multicast {
            rclass & !CLASS_TOP_BIT
        } else {
            rclass
        };
        if class != 1 && rtype != 41 {
            self.out.s(" ");
            self.class_name(class);
        }
        if self.multicast && rclass & CLASS_TOP_BIT != 0 {
            self.out.s(" (Cache flush)");
        }
        let ttl_or_flags = u32::from_be_bytes(self.msg.data.get(cp + 4..cp + 8)?.try_into().ok()?);
        if rtype != 41 && self.verbose > 2 {
            self.out.s(" [");
            relative_seconds(self.out, ttl_or_flags);
            self.out.s("]");
        }
        let rdlen = usize::from(self.msg.u16_at(cp + 8)?);
        let rd = cp + 10;
        let rp = rd + rdlen;
        self.out.s(" ");
        self.type_name(rtype);
        if rp > self.end() {
            return None;
        }
        let d = self.msg.data;
        match rtype {
            1 => {
                let a = d.get(rd..rd + 4)?;
                self.out.s(" ");
                self.out.ipv4([a[0], a[1], a[2], a[3]]);
            }
            2 | 5 | 12 | 39 => {
                self.out.s(" ");
                self.name(rd)?;
            }
            6 if self.verbose > 0 => {
                self.out.s(" ");
                let cp = self.name(rd)?;
                self.out.s(" ");
                let cp = self.name(cp)?;
                for i in 0..5 {
                    let v = u32::from_be_bytes(d.get(cp + 4 * i..cp + 4 * i + 4)?.try_into().ok()?);
                    self.out.s(" ");
                    self.out.num(v);
                }
            }
            15 => {
                self.out.s(" ");
                let pref = self.msg.u16_at(rd)?;
                self.name(rd + 2)?;
                self.out.s(" ");
                self.out.num(pref);
            }
            16 => {
                let mut p = rd;
                while p < rp {
                    self.out.s(" \"");
                    let n = usize::from(*d.get(p)?);
                    let s = d.get(p + 1..)?;
                    printn(self.out, &s[..n.min(s.len())]);
                    if n > s.len() {
                        return None;
                    }
                    self.out.s("\"");
                    p += 1 + n;
                }
            }
            33 => {
                self.out.s(" ");
                let (prio, weight, port) = (
                    self.msg.u16_at(rd)?,
                    self.msg.u16_at(rd + 2)?,
                    self.msg.u16_at(rd + 4)?,
                );
                self.name(rd + 6)?;
                self.out.s(":");
                self.out.num(port);
                self.out.s(" ");
                self.out.num(prio);
                self.out.s(" ");
                self.out.num(weight);
            }
            28 => {
                let a: [u8; 16] = d.get(rd..rd + 16)?.try_into().ok()?;
                self.out.s(" ");
                self.out.ipv6(a);
            }
            41 => {
                self.out.s(" UDPsize=");
                self.out.num(class);
                if ttl_or_flags & 0x8000 != 0 {
                    self.out.s(" DO");
                }
            }
            104 => printn(self.out, d.get(rd..rp)?),
            URI_TYPE => {
                let (priority, weight) = (self.msg.u16_at(rd)?, self.msg.u16_at(rd + 2)?);
                self.out.s(" ");
                self.out.num(priority);
                self.out.s(" ");
                self.out.num(weight);
                self.out.s(" ");
                // tcpdump's length wraps below 4 bytes: it prints to the capture's end.
                let target = d.get(rd + 4..).unwrap_or(&[]);
                if rdlen < 4 {
                    printn(self.out, target);
                    return None;
                }
                printn(self.out, &target[..rdlen - 4]);
            }
            _ => {}
        }
        Some(rp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(msg: &[u8], multicast: bool) -> String {
        let mut out = Vec::new();
        print(
            &mut out,
            DnsMessage::new(msg, msg.len() as u32),
            multicast,
            0,
            false,
        );
        String::from_utf8(out).unwrap()
    }

    fn query(id: u16, flags: u16, name: &[&str], qtype: u16, qclass: u16) -> Vec<u8> {
        let mut m = Vec::new();
        m.extend_from_slice(&id.to_be_bytes());
        m.extend_from_slice(&flags.to_be_bytes());
        m.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
        for l in name {
            m.push(l.len() as u8);
            m.extend_from_slice(l.as_bytes());
        }
        m.push(0);
        m.extend_from_slice(&qtype.to_be_bytes());
        m.extend_from_slice(&qclass.to_be_bytes());
        m
    }

    #[test]
    fn queries_as_in_the_windows_sample() {
        let q = query(4694, 0x0100, &["google", "com"], 1, 1);
        assert_eq!(render(&q, false), "4694+ A? google.com. (28)");
        let q = query(0, 0, &["_googlecast", "_tcp", "local"], 12, 1);
        assert_eq!(render(&q, true), "0 PTR (QM)? _googlecast._tcp.local. (40)");
        let q = query(7, 0, &["x", "local"], 1, 0x8001);
        assert_eq!(render(&q, true), "7 A (QU)? x.local. (25)");
    }

    #[test]
    fn response_with_compressed_answer() {
        let mut m = query(24990, 0x8180, &["google", "com"], 1, 1);
        m[6..8].copy_from_slice(&1u16.to_be_bytes());
        m.extend_from_slice(&[
            0xC0, 12, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 142, 250, 192, 110,
        ]);
        assert_eq!(render(&m, false), "24990 1/0/0 A 142.250.192.110 (44)");
        // Cut inside the answer: what was captured, then the marker.
        let cut = DnsMessage::new(&m[..m.len() - 2], m.len() as u32);
        let mut out = Vec::new();
        print(&mut out, cut, false, 0, false);
        assert_eq!(String::from_utf8(out).unwrap(), "24990 1/0/0 A [|domain]");
        // Windows pktmon's form for its own logs.
        let mut out = Vec::new();
        print(&mut out, cut, false, 0, true);
        assert_eq!(String::from_utf8(out).unwrap(), "24990 1/0/0 A [|domain]");
    }

    #[test]
    fn pointer_loops_and_garbage_do_not_hang() {
        let mut m = query(1, 0, &["a"], 1, 1);
        m[12] = 0xC0;
        m[13] = 12; // points at itself
        let s = render(&m, false);
        assert!(s.contains("<BAD PTR>") || s.ends_with("[|domain]"), "{s}");
        assert_eq!(
            render(&[1, 2, 3], false),
            "domain [length 3 < 12] (invalid)"
        );
    }

    #[test]
    fn extended_rcode_from_the_opt_record() {
        // A response with no question and one OPT record whose high rcode bits are 1.
        let mut m = vec![0x8e, 0x8b, 0x81, 0x87, 0, 0, 0, 0, 0, 0, 0, 1];
        m.extend_from_slice(&[0, 0, 41, 0x10, 0, 1, 0, 0, 0, 0, 0]);
        assert_eq!(render(&m, false), "36491 BadCookie [0q] 0/0/1 (23)");
        m[17] = 0x07;
        assert_eq!(render(&m, false), "36491 Resp119 [0q] 0/0/1 (23)");
    }

    #[test]
    fn uri_record() {
        let mut m = vec![0, 1, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0];
        m.extend_from_slice(&[0, 1, 0, 0, 1, 0, 0, 0, 60, 0, 7, 0, 10, 0, 5]);
        m.extend_from_slice(b"a:b");
        assert_eq!(render(&m, false), "1*- [0q] 1/0/0 URI 10 5 a:b (30)");
    }
}
