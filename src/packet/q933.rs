//! Q.933 (Frame Relay NLPID 0x08): call control and the LMI status messages (ANSI
//! T1.617 Annex D, ITU-T Q.933 Annex A), as tcpdump `-e` prints them:
//! `ANSI, codeset 5, Status Enquiry, Link verify, TX Seq:   1, RX Seq:   0, length 14`.

use super::text::TextOut;

const CUT: &str = " [|q.933]";

fn message_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0x00 => "ESC to National",
        0x01 => "Alert",
        0x02 => "Call proceeding",
        0x07 => "Connect",
        0x0f => "Connect ACK",
        0x03 => "Progress",
        0x05 => "Setup",
        0x45 => "Disconnect",
        0x4d => "Release",
        0x5a => "Release Complete",
        0x46 => "Restart",
        0x4e => "Restart ACK",
        0x7d => "Status Reply",
        0x75 => "Status Enquiry",
        _ => return None,
    })
}

fn is_shift(ie: u8) -> bool {
    ie & 0xf0 == 0x90
}

fn shift_is_locking(ie: u8) -> bool {
    ie & 0x08 == 0
}

/// `, TX Seq: ...` and the like for the LMI elements of codesets 0 and 5 (tcpdump's
/// default verbosity prints only link verify and PVC status).
fn print_lmi_element(out: &mut Vec<u8>, code: u8, value: &[u8]) {
    match code {
        // ANSI/CCITT link verify (and ANSI's 0x19).
        0x03 | 0x53 | 0x19 => {
            out.s(", ");
            match value {
                [tx, rx, ..] => {
                    out.s("TX Seq: ");
                    pad3(out, *tx);
                    out.s(", RX Seq: ");
                    pad3(out, *rx);
                }
                _ => out.s("Invalid LINK VERIFY IE"),
            }
        }
        // ANSI/CCITT PVC status.
        0x07 | 0x57 => {
            out.s(", ");
            match pvc_dlci(value) {
                Some((dlci, status)) => {
                    out.s("DLCI ");
                    out.num(dlci);
                    out.s(": status ");
                    if status & 0x08 != 0 {
                        out.s("New, ");
                    }
                    out.s(if status & 0x02 != 0 {
                        "Active"
                    } else {
                        "Inactive"
                    });
                }
                None => out.s("Invalid DLCI in PVC STATUS IE"),
            }
        }
        _ => {}
    }
}

/// `%3d` of a byte.
fn pad3(out: &mut Vec<u8>, v: u8) {
    if v < 100 {
        out.s(" ");
    }
    if v < 10 {
        out.s(" ");
    }
    out.num(v);
}

/// The DLCI of a PVC status element (3 to 5 bytes, the last with its extension bit)
/// and its status byte.
fn pvc_dlci(v: &[u8]) -> Option<(u32, u8)> {
    let ext = |i: usize| v[i] & 0x80 != 0;
    let valid = match v.len() {
        3 => !ext(0) && ext(1),
        4 => !ext(0) && !ext(1) && ext(2),
        5 => !ext(0) && !ext(1) && !ext(2) && ext(3),
        _ => false,
    };
    let last = *v.last()?;
    if !valid || last & 0x80 == 0 {
        return None;
    }
    let mut dlci = (u32::from(v[0] & 0x3f) << 4) | u32::from((v[1] & 0x78) >> 3);
    if v.len() == 4 {
        dlci = (dlci << 6) | u32::from((v[2] & 0x7e) >> 1);
    } else if v.len() == 5 {
        dlci = (dlci << 13) | u32::from(v[2] & 0x7f) | u32::from((v[3] & 0x7e) >> 1);
    }
    Some((dlci, last))
}

/// Appends the message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let cut_with_length = |out: &mut Vec<u8>, n: u32| {
        out.s("length ");
        out.num(n);
        out.s(CUT);
    };
    let captured = data.len().min(len as usize);
    let d = &data[..captured];
    let Some(&first) = d.first() else {
        return cut_with_length(out, len);
    };
    let call_ref_len = usize::from(first & 0x0f);
    let Some(call_ref) = d.get(1..1 + call_ref_len) else {
        return cut_with_length(out, len);
    };
    let mut at = 1 + call_ref_len;
    let Some(&message) = d.get(at) else {
        return cut_with_length(out, len);
    };
    at += 1;
    let mut codeset = 0u8;
    let mut ansi = false;
    // 0: none; 1: the next element is in the shifted codeset; 2: then back.
    let mut non_locking = 0u8;
    let mut unshift = codeset;
    if at < len as usize {
        let Some(&ie) = d.get(at) else {
            return cut_with_length(out, len);
        };
        if is_shift(ie) {
            at += 1;
            codeset = ie & 0x07;
            if shift_is_locking(ie) {
                ansi = codeset == 5;
            } else {
                non_locking = 1;
                unshift = 0;
            }
        }
    }
    out.s(if ansi { "ANSI" } else { "CCITT" });
    out.s(", codeset ");
    out.num(codeset);
    if call_ref_len != 0 {
        // tcpdump tests the byte after the message type here, not the call reference.
        let Some(&next) = d.get(at) else {
            out.s(CUT);
            return;
        };
        if call_ref_len > 1 || next != 0 {
            out.s(", Call Ref: 0x");
            for b in call_ref {
                out.hex(u64::from(*b), 2);
            }
        }
    }
    out.s(", ");
    match message_name(message) {
        Some(name) => out.s(name),
        None => {
            out.s("unknown message 0x");
            out.hex(u64::from(message), 2);
        }
    }
    let end_with_length = |out: &mut Vec<u8>| {
        out.s(", length ");
        out.num(len);
    };
    while at < len as usize {
        if non_locking == 1 {
            non_locking = 2;
        } else if non_locking == 2 {
            codeset = unshift;
            non_locking = 0;
        }
        let Some(&ie) = d.get(at) else {
            end_with_length(out);
            out.s(CUT);
            return;
        };
        at += 1;
        if ie & 0x80 != 0 {
            // A single-octet element; only shifts matter.
            if is_shift(ie) {
                if shift_is_locking(ie) {
                    non_locking = 0;
                } else {
                    non_locking = 1;
                    unshift = codeset;
                }
                codeset = ie & 0x07;
            }
            continue;
        }
        let Some(&ie_len) = d.get(at).filter(|_| at < len as usize) else {
            end_with_length(out);
            out.s(CUT);
            return;
        };
        at += 1;
        if ie == 0 || ie_len == 0 {
            return;
        }
        let ie_len = usize::from(ie_len);
        let Some(value) = d.get(at..at + ie_len) else {
            end_with_length(out);
            out.s(CUT);
            return;
        };
        if codeset == 0 || codeset == 5 {
            print_lmi_element(out, ie, value);
        }
        at += ie_len;
    }
    end_with_length(out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn lmi_messages() {
        // ANSI status enquiry: call ref 0, locking shift to codeset 5, report type
        // "link verify", link verify TX 1 RX 0.
        let m = [0x00, 0x75, 0x95, 0x01, 0x01, 0x01, 0x03, 0x02, 0x01, 0x00];
        assert_eq!(
            text(&m, 10),
            "ANSI, codeset 5, Status Enquiry, TX Seq:   1, RX Seq:   0, length 10"
        );
        // CCITT status reply with a PVC status: DLCI 16, new and active.
        let m = [0x00, 0x7d, 0x57, 0x03, 0x01, 0x80, 0x8a];
        assert_eq!(
            text(&m, 7),
            "CCITT, codeset 0, Status Reply, DLCI 16: status New, Active, length 7"
        );
        let m = [0x00, 0x7d, 0x57, 0x03, 0x01, 0x00, 0x0a];
        assert_eq!(
            text(&m, 7),
            "CCITT, codeset 0, Status Reply, Invalid DLCI in PVC STATUS IE, length 7"
        );
    }

    #[test]
    fn call_reference_and_cuts() {
        assert_eq!(
            text(&[0x01, 0x2a, 0x05, 0xa1], 4),
            "CCITT, codeset 0, Call Ref: 0x2a, Setup, length 4"
        );
        assert_eq!(text(&[], 0), "length 0 [|q.933]");
        assert_eq!(text(&[0x02, 0x2a], 9), "length 9 [|q.933]");
        assert_eq!(
            text(&[0x00, 0x33, 0x57, 0x03, 0x01], 7),
            "CCITT, codeset 0, unknown message 0x33, length 7 [|q.933]"
        );
    }
}
