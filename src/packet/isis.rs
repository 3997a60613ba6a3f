//! IS-IS (ISO 10589, NLPID 0x83): tcpdump's default line, the PDU type and its header's
//! identifiers, `L2 Lan IIH, src-id 4444.4444.4444, lan-id 4444.4444.4444.01, prio 64,
//! length 1497` (the TLVs show only with `-v`).

use super::decode::{be16, be32};
use super::osi::Shown;
use super::text::TextOut;

/// The common header: NLPID, fixed length, version, ID length, PDU type, PDU version,
/// reserved, maximum area addresses.
const COMMON_LEN: usize = 8;
const VERSION: u8 = 1;
const SYSTEM_ID_LEN: usize = 6;
const NODE_ID_LEN: usize = 7;
const LSP_ID_LEN: usize = 8;

/// The PDU types and the length of the header each adds to the common one.
const L1_LAN_IIH: u8 = 15;
const L2_LAN_IIH: u8 = 16;
const PTP_IIH: u8 = 17;
const L1_LSP: u8 = 18;
const L2_LSP: u8 = 20;
const L1_CSNP: u8 = 24;
const L2_CSNP: u8 = 25;
const L1_PSNP: u8 = 26;
const L2_PSNP: u8 = 27;
const LAN_IIH_LEN: usize = 19;
const PTP_IIH_LEN: usize = 12;
const LSP_LEN: usize = 19;
const CSNP_LEN: usize = 25;
const PSNP_LEN: usize = 9;

fn pdu_name(t: u8) -> Option<&'static str> {
    Some(match t {
        L1_LAN_IIH => "L1 Lan IIH",
        L2_LAN_IIH => "L2 Lan IIH",
        PTP_IIH => "p2p IIH",
        L1_LSP => "L1 LSP",
        L2_LSP => "L2 LSP",
        L1_CSNP => "L1 CSNP",
        L2_CSNP => "L2 CSNP",
        L1_PSNP => "L1 PSNP",
        L2_PSNP => "L2 PSNP",
        _ => return None,
    })
}

/// A system, node or LSP ID: `xxxx.xxxx.xxxx`, then `.nn` (pseudonode), then `-ff`
/// (fragment).
fn id(out: &mut Vec<u8>, id: &[u8]) {
    for (i, &b) in id.iter().take(SYSTEM_ID_LEN).enumerate() {
        out.hex(u64::from(b), 2);
        if i == 1 || i == 3 {
            out.s(".");
        }
    }
    if let Some(&pseudonode) = id.get(SYSTEM_ID_LEN) {
        out.s(".");
        out.hex(u64::from(pseudonode), 2);
    }
    if let Some(&fragment) = id.get(NODE_ID_LEN).filter(|_| id.len() == LSP_ID_LEN) {
        out.s("-");
        out.hex(u64::from(fragment), 2);
    }
}

/// Appends the line for an IS-IS PDU of wire length `len` (from its NLPID); `None`
/// when the capture ends inside the header (the caller marks `[|isis]`).
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) -> Option<Shown> {
    let common = data.get(..COMMON_LEN)?;
    if (len as usize) < COMMON_LEN {
        return None;
    }
    let [
        _,
        fixed_len,
        version,
        id_len,
        pdu_type,
        pdu_version,
        _,
        max_area,
    ] = <[u8; COMMON_LEN]>::try_from(common).ok()?;
    if version != VERSION {
        return refuse(out, "version ", version, " packet not supported");
    }
    if usize::from(id_len) != SYSTEM_ID_LEN && id_len != 0 {
        return refuse(out, "system ID length of ", id_len, " is not supported");
    }
    if pdu_version != VERSION {
        return refuse(out, "version ", pdu_version, " packet not supported");
    }
    if len < u32::from(fixed_len) {
        out.s("fixed header length ");
        out.num(fixed_len);
        out.s(" > packet length ");
        out.num(len);
        return Some(Shown::Refused);
    }
    if usize::from(fixed_len) < COMMON_LEN {
        out.s("fixed header length ");
        out.num(fixed_len);
        out.s(" < minimum header size 8");
        return Some(Shown::Refused);
    }
    if max_area == 255 {
        out.s("bad packet -- 255 areas");
        return Some(Shown::Refused);
    }
    match pdu_name(pdu_type) {
        Some(name) => out.s(name),
        None => {
            out.s("unknown PDU-Type ");
            out.num(pdu_type);
        }
    }
    let header_len = match pdu_type {
        L1_LAN_IIH | L2_LAN_IIH => LAN_IIH_LEN,
        PTP_IIH => PTP_IIH_LEN,
        L1_LSP | L2_LSP => LSP_LEN,
        L1_CSNP | L2_CSNP => CSNP_LEN,
        L1_PSNP | L2_PSNP => PSNP_LEN,
        _ => {
            length(out, len);
            return Some(Shown::Whole);
        }
    };
    let whole = COMMON_LEN + header_len;
    if usize::from(fixed_len) != whole {
        // tcpdump's wording differs for PSNPs, and it names the LSP header alone.
        out.s(if header_len == PSNP_LEN {
            "- bogus fixed header length "
        } else {
            ", bogus fixed header length "
        });
        out.num(fixed_len);
        out.s(" should be ");
        out.num(if matches!(pdu_type, L1_LSP | L2_LSP) {
            LSP_LEN
        } else {
            whole
        });
        return Some(Shown::Refused);
    }
    let h = data.get(COMMON_LEN..whole)?;
    if (len as usize) < whole {
        return None;
    }
    match pdu_type {
        L1_LAN_IIH | L2_LAN_IIH => {
            out.s(", src-id ");
            id(out, &h[1..7]);
            out.s(", lan-id ");
            id(out, &h[12..19]);
            out.s(", prio ");
            out.num(h[11]);
        }
        PTP_IIH => {
            out.s(", src-id ");
            id(out, &h[1..7]);
        }
        L1_LSP | L2_LSP => {
            out.s(", lsp-id ");
            id(out, &h[4..12]);
            out.s(", seq 0x");
            out.hex(u64::from(be32(h, 12)?), 8);
            out.s(", lifetime ");
            let lifetime = be16(h, 2)?;
            // `%5u`
            for _ in digits(lifetime)..5 {
                out.s(" ");
            }
            out.num(lifetime);
            out.s("s");
        }
        _ => {
            out.s(", src-id ");
            id(out, &h[2..9]);
        }
    }
    length(out, len);
    Some(Shown::Whole)
}

fn refuse(out: &mut Vec<u8>, before: &str, n: u8, after: &str) -> Option<Shown> {
    out.s(before);
    out.num(n);
    out.s(after);
    Some(Shown::Refused)
}

fn length(out: &mut Vec<u8>, len: u32) {
    out.s(", length ");
    out.num(len);
}

fn digits(n: u16) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        super::super::osi::print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    fn common(fixed_len: u8, pdu_type: u8) -> Vec<u8> {
        vec![0x83, fixed_len, 1, 0, pdu_type, 1, 0, 0]
    }

    #[test]
    fn lan_hello() {
        let mut d = common(27, L2_LAN_IIH);
        d.extend([2, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0, 30, 5, 0xdc, 64]);
        d.extend([0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 1]);
        assert_eq!(
            text(&d, 1497),
            "OSI NLPID IS-IS (0x83): L2 Lan IIH, src-id 4444.4444.4444, \
             lan-id 4444.4444.4444.01, prio 64, length 1497"
        );
        // Cut inside the header.
        assert_eq!(
            text(&d[..20], 1497),
            "OSI NLPID IS-IS (0x83): L2 Lan IIH [|isis]"
        );
    }

    #[test]
    fn p2p_hello_and_lsp() {
        let mut d = common(20, PTP_IIH);
        d.extend([2, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0, 30, 5, 0xdc, 1]);
        assert_eq!(
            text(&d, 1497),
            "OSI NLPID IS-IS (0x83): p2p IIH, src-id 1111.1111.1111, length 1497"
        );
        let mut d = common(27, L1_LSP);
        d.extend([0, 100, 0x01, 0x00]);
        d.extend([1, 0, 0x14, 1, 0, 1, 0, 0x14]);
        d.extend([1, 0, 1, 0, 0, 0, 3]);
        assert_eq!(
            text(&d, 100),
            "OSI NLPID IS-IS (0x83): L1 LSP, lsp-id 0100.1401.0001.00-14, \
             seq 0x01000100, lifetime   256s, length 100"
        );
    }

    #[test]
    fn snps() {
        let mut d = common(33, L2_CSNP);
        d.extend([0, 83, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0]);
        d.extend([0; 16]);
        assert_eq!(
            text(&d, 83),
            "OSI NLPID IS-IS (0x83): L2 CSNP, src-id 2222.2222.2222.00, length 83"
        );
        let mut d = common(17, L1_PSNP);
        d.extend([0, 35, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0]);
        assert_eq!(
            text(&d, 35),
            "OSI NLPID IS-IS (0x83): L1 PSNP, src-id 1111.1111.1111.00, length 35"
        );
    }

    #[test]
    fn refused_headers_are_dumped() {
        let mut d = common(27, L1_PSNP);
        d.extend([0; 19]);
        assert!(text(&d, 27).starts_with(
            "OSI NLPID IS-IS (0x83): L1 PSNP- bogus fixed header length 27 should be 17\n\t0x0000:  831b"
        ));
        let mut d = common(8, L1_LSP);
        d[2] = 2;
        assert_eq!(
            text(&d, 8),
            "OSI NLPID IS-IS (0x83): version 2 packet not supported\
             \n\t0x0000:  8308 0200 1201 0000"
        );
        assert_eq!(
            text(&common(8, 9), 8),
            "OSI NLPID IS-IS (0x83): unknown PDU-Type 9, length 8"
        );
        assert_eq!(text(&[0x83, 8, 1], 8), "OSI NLPID IS-IS (0x83):  [|isis]");
    }
}
