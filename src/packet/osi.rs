//! OSI network layer PDUs (ISO 9577 NLPID first): tcpdump's `isoclns_print` with `-e`,
//! `OSI NLPID IS-IS (0x83): ` then the protocol's line ([`super::isis`],
//! [`super::esis`], [`super::clnp`]). Carried by LLC SAP 0xfe, EtherType 0xfefe, Cisco
//! HDLC and GRE.

use super::text::TextOut;

pub const NLPID_NULLNS: u8 = 0x00;
pub const NLPID_CLNP: u8 = 0x81;
pub const NLPID_ESIS: u8 = 0x82;
pub const NLPID_ISIS: u8 = 0x83;
const NLPID_Q933: u8 = 0x08;
const NLPID_IPV4: u8 = 0xcc;
const NLPID_IPV6: u8 = 0x8e;
const NLPID_PPP: u8 = 0xcf;

/// The longest NSAP address tcpdump prints.
const NSAP_MAX_LEN: usize = 20;

/// A network layer protocol identifier's name (tcpdump's `nlpid_values`).
pub fn nlpid_name(nlpid: u8) -> Option<&'static str> {
    Some(match nlpid {
        NLPID_NULLNS => "NULL",
        NLPID_Q933 => "Q.933",
        0x09 => "LMI",
        0x80 => "SNAP",
        NLPID_CLNP => "CLNP",
        NLPID_ESIS => "ES-IS",
        NLPID_ISIS => "IS-IS",
        0x84 => "CONS",
        0x85 => "IDRP",
        0xc1 => "ISIS_SPB",
        0xb1 => "FRF.15",
        NLPID_IPV4 => "IPv4",
        NLPID_PPP => "PPP",
        0x8a => "X25 ES-IS",
        NLPID_IPV6 => "IPv6",
        _ => return None,
    })
}

/// How a protocol's printer ended when the capture held what it needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Its line is complete.
    Whole,
    /// It refused the PDU after saying why; the caller dumps the bytes.
    Refused,
}

/// Appends the line for an OSI PDU of wire length `len` (NLPID first).
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let Some(&nlpid) = data.first() else {
        out.s(" [|isoclns]");
        return;
    };
    out.s("OSI NLPID ");
    out.s(nlpid_name(nlpid).unwrap_or("Unknown"));
    out.s(" (0x");
    out.hex(u64::from(nlpid), 2);
    out.s("): ");
    let (shown, name) = match nlpid {
        NLPID_CLNP => (super::clnp::print(out, data, len), "clnp"),
        NLPID_ESIS => {
            if super::esis::print(out, data, len).is_none() {
                out.s(" [|esis]");
            }
            return;
        }
        NLPID_ISIS => (super::isis::print(out, data, len), "isis"),
        NLPID_Q933 => return super::q933::print(out, &data[1..], len.saturating_sub(1)),
        NLPID_PPP => return super::ppp::print_line(out, &data[1..], len.saturating_sub(1)),
        // IPv4 and IPv6 need the decoder, which this printer does not reach: the line
        // stops after the NLPID.
        NLPID_IPV4 | NLPID_IPV6 => return,
        NLPID_NULLNS => {
            out.s("length: ");
            out.num(len);
            return;
        }
        _ => {
            out.s("length: ");
            out.num(len);
            if len > 1 {
                unknown_data(out, data, len);
            }
            return;
        }
    };
    match shown {
        Some(Shown::Whole) => {}
        Some(Shown::Refused) => unknown_data(out, data, len),
        None => {
            out.s(" [|");
            out.s(name);
            out.s("]");
        }
    }
}

/// EtherType 0xfefe: one byte (unexplained, tcpdump skips it) before the NLPID.
pub fn print_ether(out: &mut Vec<u8>, data: &[u8], len: u32) {
    match data.get(1..).filter(|_| len > 0) {
        Some(rest) => print(out, rest, len - 1),
        None => out.s(" [|isoclns]"),
    }
}

/// Cisco HDLC's OSI payload: some senders put one byte before the NLPID, which tcpdump
/// spots by the NLPID after it.
pub fn print_chdlc(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < 2 {
        out.s(" [|chdlc]");
        return;
    }
    match data.get(1) {
        Some(&(NLPID_CLNP | NLPID_ESIS | NLPID_ISIS)) => print(out, &data[1..], len - 1),
        Some(_) => print(out, data, len),
        None => out.s(" [|chdlc]"),
    }
}

/// tcpdump's `print_unknown_data`: the PDU's captured bytes, up to `len`, in hex.
fn unknown_data(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let n = data.len().min(len as usize);
    super::hexdump::hex_only(out, &data[..n], b"\t");
}

/// An NSAP address as tcpdump writes it: hex, a dot after the first byte and after
/// every two bytes that follow (`49.0001.1921.6800.1001.00`).
pub fn nsap(out: &mut Vec<u8>, address: &[u8]) {
    if address.is_empty() || address.len() > NSAP_MAX_LEN {
        out.s("isonsap_string: illegal length");
        return;
    }
    for (i, &b) in address.iter().enumerate() {
        out.hex(u64::from(b), 2);
        if i % 2 == 0 && i + 1 < address.len() {
            out.s(".");
        }
    }
}

/// A length-prefixed field at `at`: its bytes and where the next field starts; `None`
/// when the capture ends inside it.
pub fn counted(data: &[u8], at: usize) -> Option<(&[u8], usize)> {
    let n = usize::from(*data.get(at)?);
    let field = data.get(at + 1..at + 1 + n)?;
    Some((field, at + 1 + n))
}

/// `  length indicator N < min PDU size:` then every captured byte in upper-case hex
/// (CLNP and ES-IS both print a short header so).
pub fn short_header(out: &mut Vec<u8>, data: &[u8], li: u8) {
    out.s(" length indicator ");
    out.num(li);
    out.s(" < min PDU size:");
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in data {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 15)]);
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

    #[test]
    fn nsap_forms() {
        let mut out = Vec::new();
        nsap(&mut out, &[0x49, 0x00, 0x01, 0x19, 0x21]);
        out.s(" ");
        nsap(&mut out, &[0x00]);
        out.s(" ");
        nsap(&mut out, &[0xe8, 0x30, 0x30]);
        out.s(" ");
        nsap(&mut out, &[]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "49.0001.1921 00 e8.3030 isonsap_string: illegal length"
        );
    }

    #[test]
    fn q933_and_ppp_nlpids() {
        assert_eq!(
            text(print, &[0x08, 0x30, 0x30, 0x30], 9),
            "OSI NLPID Q.933 (0x08): CCITT, codeset 0, unknown message 0x30, length 8 [|q.933]"
        );
        assert_eq!(
            text(print, &[0xcf, 0xff, 0x03, 0x23], 20),
            "OSI NLPID PPP (0xcf): OSI (0x0023), length 19:  [|isoclns]"
        );
        assert_eq!(
            text(print, &[0xcf, 0x23], 1),
            "OSI NLPID PPP (0xcf):  [|ppp]"
        );
    }

    #[test]
    fn unknown_and_null_nlpids() {
        assert_eq!(
            text(print, &[0xfe, 0x7f, 0x4a], 262140),
            "OSI NLPID Unknown (0xfe): length: 262140\n\t0x0000:  fe7f 4a"
        );
        assert_eq!(
            text(print, &[0x00, 1], 2),
            "OSI NLPID NULL (0x00): length: 2"
        );
        assert_eq!(text(print, &[], 2), " [|isoclns]");
    }

    #[test]
    fn ether_type_skips_a_byte() {
        assert_eq!(
            text(print_ether, &[0xfe, 0xfe, 1, 2], 4),
            "OSI NLPID Unknown (0xfe): length: 3\n\t0x0000:  fe01 02"
        );
        assert_eq!(text(print_ether, &[0xfe], 262144), " [|isoclns]");
        assert_eq!(text(print_ether, &[], 0), " [|isoclns]");
    }

    #[test]
    fn chdlc_fudge_byte() {
        assert_eq!(
            text(print_chdlc, &[0xfe, 0x83, 8, 1], 4),
            "OSI NLPID IS-IS (0x83):  [|isis]"
        );
        assert_eq!(
            text(print_chdlc, &[0xfe, 0x7f], 2),
            "OSI NLPID Unknown (0xfe): length: 2\n\t0x0000:  fe7f"
        );
        assert_eq!(text(print_chdlc, &[0xfe], 1), " [|chdlc]");
    }
}
