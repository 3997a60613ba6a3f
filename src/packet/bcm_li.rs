//! Broadcom lawful-intercept shim (UDP, source port 49152): tcpdump's default line,
//! `BCM-LI-SHIM: direction ingress, pkt-type undecided, pkt-subtype double VLAN tag,
//! li-id 66666`.

use super::text::TextOut;

pub const PORT: u16 = 49152;
const SHIM_LEN: u32 = 4;

fn direction(d: u32) -> &'static str {
    match d {
        1 => "unused",
        2 => "egress",
        3 => "ingress",
        _ => "unknown",
    }
}

fn packet_type(t: u32) -> &'static str {
    match t {
        4 => "undecided",
        5 => "ipv4",
        6 => "ipv6",
        7 => "ethernet",
        _ => "unknown",
    }
}

fn packet_subtype(t: u32) -> &'static str {
    match t {
        1 => "single VLAN tag",
        2 => "double VLAN tag",
        3 => "untagged",
        _ => "unknown",
    }
}

/// Appends the line for a datagram payload of length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < SHIM_LEN {
        out.s(" (length ");
        out.num(len);
        out.s(" < 4) (invalid)");
        return;
    }
    let Some(shim) = super::decode::be32(data, 0) else {
        out.s(" [|bcm_li]");
        return;
    };
    out.s("BCM-LI-SHIM: direction ");
    out.s(direction(shim >> 29 & 0x7));
    out.s(", pkt-type ");
    out.s(packet_type(shim >> 25 & 0xf));
    out.s(", pkt-subtype ");
    out.s(packet_subtype(shim >> 22 & 0x7));
    out.s(", li-id ");
    out.num(shim & 0x3f_ffff);
    // tcpdump checks that the intercepted packet is all there, without printing it.
    if data.len() < len as usize {
        out.s(" [|bcm_li]");
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
    fn shim() {
        let shim = (3u32 << 29 | 4 << 25 | 2 << 22 | 66666).to_be_bytes();
        let want = "BCM-LI-SHIM: direction ingress, pkt-type undecided, \
                    pkt-subtype double VLAN tag, li-id 66666";
        assert_eq!(text(&shim, 4), want);
        assert_eq!(text(&shim, 6), format!("{want} [|bcm_li]"));
        let odd = (0xffff_ffffu32).to_be_bytes();
        assert_eq!(
            text(&odd, 4),
            "BCM-LI-SHIM: direction unknown, pkt-type unknown, pkt-subtype unknown, li-id 4194303"
        );
        assert_eq!(text(&shim[..3], 4), " [|bcm_li]");
        assert_eq!(text(&shim, 3), " (length 3 < 4) (invalid)");
    }
}
