//! AppleTalk ARP (EtherType 0x80f3): tcpdump's line, `aarp who-has 1.2 tell 1.3`.

use super::decode::be16;
use super::text::TextOut;

/// Hardware type, protocol type, their address lengths, operation, then sender and
/// target hardware (6 bytes) and AppleTalk (4 bytes) addresses.
const LEN: usize = 28;
const APPLETALK: u16 = 0x809b;

/// Appends the line for an AARP packet of wire length `len`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("aarp ");
    let Some(p) = data.get(..LEN) else {
        out.s(" [|aarp]");
        return;
    };
    if (len as usize) < LEN {
        out.s(" [|aarp ");
        out.num(len);
        out.s("]");
        return;
    }
    let op = u16::from_be_bytes([p[6], p[7]]);
    let (hardware, protocol) = (be16(p, 0).unwrap_or(0), be16(p, 2).unwrap_or(0));
    if hardware == 1 && protocol == APPLETALK && p[4] == 6 && p[5] == 4 {
        let (sender, target) = (&p[14..18], &p[24..28]);
        match op {
            1 | 3 => {
                out.s(if op == 1 { "who-has " } else { "probe " });
                address(out, target);
                out.s(" tell ");
                address(out, sender);
                return;
            }
            2 => {
                out.s("reply ");
                address(out, sender);
                out.s(" is-at ");
                out.mac(&p[8..14]);
                return;
            }
            _ => {}
        }
    }
    out.s("len ");
    out.num(len);
    out.s(" op ");
    out.num(op);
    out.s(" htype ");
    out.num(hardware);
    // C's `%#x`: no prefix for zero.
    out.s(if protocol == 0 {
        " ptype "
    } else {
        " ptype 0x"
    });
    out.hex(u64::from(protocol), 0);
    out.s(" halen ");
    out.num(p[4]);
    out.s(" palen ");
    out.num(p[5]);
}

/// An AppleTalk address field (a pad byte, the network, the node): `net.node`.
fn address(out: &mut Vec<u8>, a: &[u8]) {
    out.num(u16::from_be_bytes([a[1], a[2]]));
    out.s(".");
    out.num(a[3]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    fn packet(op: u8) -> Vec<u8> {
        let mut d = vec![0, 1, 0x80, 0x9b, 6, 4, 0, op];
        d.extend([8, 0, 7, 1, 2, 3, 0, 0, 1, 2]);
        d.extend([0, 0, 0, 0, 0, 0, 0, 0, 1, 3]);
        d
    }

    #[test]
    fn operations() {
        assert_eq!(text(&packet(1), 28), "aarp who-has 1.3 tell 1.2");
        assert_eq!(text(&packet(3), 28), "aarp probe 1.3 tell 1.2");
        assert_eq!(
            text(&packet(2), 28),
            "aarp reply 1.2 is-at 08-00-07-01-02-03"
        );
        assert_eq!(
            text(&packet(9), 28),
            "aarp len 28 op 9 htype 1 ptype 0x809b halen 6 palen 4"
        );
    }

    #[test]
    fn cut_short() {
        assert_eq!(text(&packet(1)[..27], 262144), "aarp  [|aarp]");
        assert_eq!(text(&packet(1), 27), "aarp  [|aarp 27]");
    }
}
