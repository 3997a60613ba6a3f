//! Cisco SLARP (Cisco HDLC protocol 0x8035): address requests and replies and the
//! keepalives, `SLARP (length: 20), keepalive: mineseen=0x00000005, yourseen=0x00000002,
//! reliability=0xffff, link uptime=0d2h12m5s`.

use super::text::TextOut;

const MIN_LEN: u32 = 14;
/// With the optional uptime stamp.
const MAX_LEN: u32 = 18;
const CUT: &str = " [|chdlc_slarp]";

fn hex32(out: &mut Vec<u8>, v: u32) {
    out.s("0x");
    out.hex(u64::from(v), 8);
}

/// Appends the message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("SLARP (length: ");
    out.num(len);
    out.s("), ");
    let Some(m) = data.get(..MIN_LEN as usize).filter(|_| len >= MIN_LEN) else {
        out.s(CUT);
        return;
    };
    let be32 = |at: usize| u32::from_be_bytes([m[at], m[at + 1], m[at + 2], m[at + 3]]);
    let addr = |at: usize| [m[at], m[at + 1], m[at + 2], m[at + 3]];
    match be32(0) {
        0 => out.s("request"),
        1 => {
            out.s("reply ");
            out.ipv4(addr(4));
            out.s("/");
            out.ipv4(addr(8));
        }
        2 => {
            out.s("keepalive: mineseen=");
            hex32(out, be32(4));
            out.s(", yourseen=");
            hex32(out, be32(8));
            out.s(", reliability=0x");
            out.hex(u64::from(u16::from_be_bytes([m[12], m[13]])), 4);
            if len >= MAX_LEN {
                let Some(u) = data.get(14..18) else {
                    out.s(CUT);
                    return;
                };
                let mut secs = u32::from_be_bytes([u[0], u[1], u[2], u[3]]) / 1000;
                let mut mins = secs / 60;
                secs -= mins * 60;
                let mut hours = mins / 60;
                mins -= hours * 60;
                let days = hours / 24;
                hours -= days * 24;
                out.s(", link uptime=");
                for (v, unit) in [(days, "d"), (hours, "h"), (mins, "m"), (secs, "s")] {
                    out.num(v);
                    out.s(unit);
                }
            }
        }
        code => {
            // tcpdump then dumps the rest in hex, which a one-line printer leaves out.
            out.s("0x");
            out.hex(u64::from(code), 2);
            out.s(" unknown");
        }
    }
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
    fn messages() {
        let mut k = vec![0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 2, 0xff, 0xff];
        assert_eq!(
            text(&k, 14),
            "SLARP (length: 14), keepalive: mineseen=0x00000005, yourseen=0x00000002, reliability=0xffff"
        );
        k.extend_from_slice(&7_925_000u32.to_be_bytes());
        assert_eq!(
            text(&k, 20),
            "SLARP (length: 20), keepalive: mineseen=0x00000005, yourseen=0x00000002, reliability=0xffff, link uptime=0d2h12m5s"
        );
        assert_eq!(
            text(&k[..16], 20),
            "SLARP (length: 20), keepalive: mineseen=0x00000005, yourseen=0x00000002, reliability=0xffff [|chdlc_slarp]"
        );
        let r = [0, 0, 0, 1, 15, 0, 0, 1, 255, 255, 255, 252, 0, 0];
        assert_eq!(
            text(&r, 20),
            "SLARP (length: 20), reply 15.0.0.1/255.255.255.252"
        );
        assert_eq!(text(&[0; 14], 20), "SLARP (length: 20), request");
        assert_eq!(text(&[0; 10], 20), "SLARP (length: 20),  [|chdlc_slarp]");
        assert_eq!(text(&[0; 14], 12), "SLARP (length: 12),  [|chdlc_slarp]");
    }
}
