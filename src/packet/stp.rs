//! Spanning Tree BPDUs (802.1D, 802.1w RSTP, 802.1s MSTP, 802.1aq SPB; LLC SAP 0x42 and
//! Cisco's PVST SNAP): tcpdump's default line,
//! `STP 802.1d, Config, Flags [none], bridge-id 8001.00:19:06:ea:b8:80.8005, length 35`.

use super::cursor::Bytes;
use super::text::TextOut;

/// The fixed BPDU up to and including the version 1 length byte.
const BPDU_LEN: u32 = 36;
const MSTP_MIN_LEN: u32 = 102;
const V3_LEN_AT: usize = 36;
const SPB_MIN_LEN: u32 = 87;

const FLAGS: [(u16, &str); 6] = [
    (0x01, "Topology change"),
    (0x02, "Proposal"),
    (0x10, "Learn"),
    (0x20, "Forward"),
    (0x40, "Agreement"),
    (0x80, "Topology change ACK"),
];

fn protocol(v: u8) -> Option<&'static str> {
    Some(match v {
        0 => "802.1d",
        2 => "802.1w",
        3 => "802.1s",
        4 => "802.1aq",
        _ => return None,
    })
}

/// Why tcpdump stops before the end of a BPDU.
enum Stop {
    /// Past the captured bytes: ` [|stp]`.
    Truncated,
    /// A length too short for the BPDU's kind: ` (invalid)`.
    Invalid,
}

/// Appends the line for a BPDU of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    match bpdu(out, Bytes(data), len) {
        Ok(()) => {}
        Err(Stop::Truncated) => out.s(" [|stp]"),
        Err(Stop::Invalid) => out.s(" (invalid)"),
    }
}

fn get<T>(v: Option<T>) -> Result<T, Stop> {
    v.ok_or(Stop::Truncated)
}

fn at_least(len: u32, min: u32) -> Result<(), Stop> {
    if len < min {
        Err(Stop::Invalid)
    } else {
        Ok(())
    }
}

fn bpdu(out: &mut Vec<u8>, b: Bytes<'_>, len: u32) -> Result<(), Stop> {
    at_least(len, 4)?;
    if get(b.be16(0))? != 0 {
        out.s("unknown STP version, length ");
        out.num(len);
        return Ok(());
    }
    let version = get(b.u8(2))?;
    out.s("STP ");
    let Some(name) = protocol(version) else {
        out.s("Unknown STP protocol (0x");
        out.hex(u64::from(version), 2);
        out.s(")");
        return Ok(());
    };
    out.s(name);
    let kind = get(b.u8(3))?;
    out.s(", ");
    match kind {
        0x00 => out.s("Config"),
        0x02 => out.s("Rapid STP"),
        0x80 => out.s("Topology Change"),
        _ => {
            out.s("Unknown BPDU Type (0x");
            out.hex(u64::from(kind), 2);
            out.s(")");
        }
    }
    match (kind, version) {
        (0x00, _) => {
            at_least(len, BPDU_LEN - 1)?;
            config(out, b, len)
        }
        (0x02, 2) => {
            at_least(len, BPDU_LEN)?;
            config(out, b, len)
        }
        (0x02, 3 | 4) => {
            at_least(len, MSTP_MIN_LEN)?;
            if get(b.u8(35))? != 0 {
                return Err(Stop::Invalid);
            }
            let mstp_len = u32::from(get(b.be16(V3_LEN_AT))?) + 2;
            at_least(len, BPDU_LEN + mstp_len)?;
            let flags = get(b.u8(4))?;
            out.s(", CIST Flags [");
            out.bit_names(u16::from(flags), &FLAGS);
            out.s("], length ");
            out.num(len);
            if version == 4 {
                // SPB adds nothing to the default line, but is checked all the same.
                let spb_len = u32::from(get(b.be16(V3_LEN_AT + mstp_len as usize))?) + 2;
                if len < BPDU_LEN + mstp_len + spb_len || spb_len < SPB_MIN_LEN {
                    return Err(Stop::Invalid);
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// `, Flags [..], bridge-id pppp.aa:bb:cc:dd:ee:ff.port, length N`.
fn config(out: &mut Vec<u8>, b: Bytes<'_>, len: u32) -> Result<(), Stop> {
    let flags = get(b.u8(4))?;
    out.s(", Flags [");
    out.bit_names(u16::from(flags), &FLAGS);
    out.s("]");
    let id = get(b.be(17, 8))?;
    let port = get(b.be16(25))?;
    out.s(", bridge-id ");
    out.hex(id >> 48, 4);
    for i in (0..6).rev() {
        out.s(if i == 5 { "." } else { ":" });
        out.hex(id >> (8 * i) & 0xff, 2);
    }
    out.s(".");
    out.hex(u64::from(port), 4);
    out.s(", length ");
    out.num(len);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    /// A configuration BPDU of protocol `version` and type `kind`.
    fn config_bpdu(version: u8, kind: u8, flags: u8) -> Vec<u8> {
        let mut b = vec![0, 0, version, kind, flags];
        b.extend_from_slice(&[0x80, 0x01, 0, 0x19, 0x06, 0xea, 0xb8, 0x80, 0, 0, 0, 0]);
        b.extend_from_slice(&[0x80, 0x01, 0x00, 0x19, 0x06, 0xea, 0xb8, 0x80, 0x80, 0x05]);
        b.extend_from_slice(&[0, 0, 0x14, 0, 0x02, 0, 0x0f, 0, 0]);
        b
    }

    #[test]
    fn config_and_rapid() {
        let b = config_bpdu(0, 0, 0);
        assert_eq!(
            text(&b[..35], 35),
            "STP 802.1d, Config, Flags [none], bridge-id 8001.00:19:06:ea:b8:80.8005, length 35"
        );
        assert_eq!(
            text(&b, 36).split(", bridge").next().unwrap(),
            "STP 802.1d, Config, Flags [none]"
        );
        assert_eq!(
            text(&config_bpdu(2, 2, 0x3c), 36),
            "STP 802.1w, Rapid STP, Flags [Learn, Forward], \
             bridge-id 8001.00:19:06:ea:b8:80.8005, length 36"
        );
        assert_eq!(
            text(&config_bpdu(2, 2, 0), 35),
            "STP 802.1w, Rapid STP (invalid)"
        );
        assert_eq!(
            text(&config_bpdu(0, 0, 1)[..20], 35),
            "STP 802.1d, Config, Flags [Topology change] [|stp]"
        );
        assert_eq!(text(&[0, 0, 0, 0x80], 4), "STP 802.1d, Topology Change");
        assert_eq!(text(&[0, 0, 0, 0x80], 3), " (invalid)");
        assert_eq!(text(&[0, 1, 0, 0x80], 4), "unknown STP version, length 4");
        assert_eq!(text(&[0, 0, 7, 0x80], 4), "STP Unknown STP protocol (0x07)");
        assert_eq!(
            text(&[0, 0, 0, 0x81], 4),
            "STP 802.1d, Unknown BPDU Type (0x81)"
        );
    }

    #[test]
    fn mstp_and_spb() {
        let mut b = config_bpdu(3, 2, 0x7c);
        b.extend_from_slice(&[0, 64]);
        b.resize(102, 0);
        assert_eq!(
            text(&b, 102),
            "STP 802.1s, Rapid STP, CIST Flags [Learn, Forward, Agreement], length 102"
        );
        b[35] = 1;
        assert_eq!(text(&b, 102), "STP 802.1s, Rapid STP (invalid)");
        b[35] = 0;
        b[2] = 4;
        b.extend_from_slice(&[0, 85]);
        b.resize(102 + 87, 0);
        assert_eq!(
            text(&b, 189),
            "STP 802.1aq, Rapid STP, CIST Flags [Learn, Forward, Agreement], length 189"
        );
        assert_eq!(
            text(&b, 188),
            "STP 802.1aq, Rapid STP, CIST Flags [Learn, Forward, Agreement], length 188 (invalid)"
        );
    }
}
