//! PIM version 1 (carried as IGMP type 0x14): tcpdump's default text after
//! `igmp pimv1`, e.g. ` Register-Stop for 10.0.0.1 > 224.1.1.1`.

use super::decode::be32;
use super::text::TextOut;

fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0 => "Query",
        1 => "Register",
        2 => "Register-Stop",
        3 => "Join/Prune",
        4 => "RP-reachable",
        5 => "Assert",
        6 => "Graft",
        7 => "Graft-ACK",
        _ => return None,
    })
}

/// Appends the text for the captured message `m` (from the IGMP type byte);
/// ` [|pimv1]` where the captured bytes end before a field tcpdump reads.
pub fn print(out: &mut Vec<u8>, m: &[u8]) {
    if fields(out, m).is_none() {
        out.s(" [|pimv1]");
    }
}

fn addr(m: &[u8], at: usize) -> Option<[u8; 4]> {
    m.get(at..at + 4)?.try_into().ok()
}

/// ` for <a> > <b>`.
fn pair(out: &mut Vec<u8>, a: [u8; 4], b: [u8; 4]) {
    out.s(" for ");
    out.ipv4(a);
    out.s(" > ");
    out.ipv4(b);
}

fn fields(out: &mut Vec<u8>, m: &[u8]) -> Option<()> {
    let t = *m.get(1)?;
    out.s(" ");
    match type_name(t) {
        Some(name) => out.s(name),
        None => {
            out.s("[type ");
            out.num(t);
            out.s("]");
        }
    }
    match t {
        0 => {
            if let Some(&b) = m.get(8) {
                match b >> 4 {
                    0 => out.s(" Dense-mode"),
                    1 => out.s(" Sparse-mode"),
                    2 => out.s(" Sparse-Dense-mode"),
                    mode => {
                        out.s(" mode-");
                        out.num(mode);
                    }
                }
            }
        }
        1 => {
            // The register carries an IP header; tcpdump wants it captured whole.
            m.get(8..28)?;
            pair(out, addr(m, 20)?, addr(m, 24)?);
        }
        2 => pair(out, addr(m, 8)?, addr(m, 12)?),
        5 => {
            pair(out, addr(m, 16)?, addr(m, 8)?);
            let mask = be32(m, 12)?;
            if mask != 0xffff_ffff {
                out.s("/");
                out.ipv4(mask.to_be_bytes());
            }
            let pref = be32(m, 20)?;
            let metric = be32(m, 24)?;
            out.s(if pref & 0x8000_0000 != 0 {
                " RP-tree"
            } else {
                " SPT"
            });
            out.s(" pref ");
            out.num(pref & 0x7fff_ffff);
            out.s(" metric ");
            out.num(metric);
        }
        _ => {}
    }
    let version = *m.get(4)? >> 4;
    if version != 1 {
        out.s(" [v");
        out.num(version);
        out.s("]");
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, m);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn types_and_cut_short() {
        let mut m = [0x14, 4, 0, 0, 0x10, 0, 0, 0, 224, 0, 1, 40, 10, 0, 0, 1];
        assert_eq!(text(&m), " RP-reachable");
        m[1] = 2;
        m[4] = 0x20;
        assert_eq!(text(&m), " Register-Stop for 224.0.1.40 > 10.0.0.1 [v2]");
        m[1] = 0;
        assert_eq!(text(&m), " Query mode-14 [v2]");
        m[8] = 0x20;
        assert_eq!(text(&m), " Query Sparse-Dense-mode [v2]");
        m[1] = 48;
        assert_eq!(text(&m[..3]), " [type 48] [|pimv1]");
    }
}
