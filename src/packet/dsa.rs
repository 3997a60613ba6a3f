//! Marvell switch tags (LINKTYPE_DSA_TAG_DSA 284: 4 bytes; LINKTYPE_DSA_TAG_EDSA 285: an
//! EtherType and 2 reserved bytes first) between the MAC addresses and the type:
//! `Marvell DSA mode Forward, dev 0, port 1, untagged, VID 0, FPri 0, ` with `-e`,
//! `DSA Forward port 0.1, VLAN 0u, ` without.

use super::names;
use super::text::TextOut;

pub const DSA_LEN: usize = 4;
pub const EDSA_LEN: usize = 8;

const MODE_TO_CPU: u8 = 0;
const MODE_FROM_CPU: u8 = 1;
const MODE_TO_SNIFFER: u8 = 2;
const MODE_FORWARD: u8 = 3;

/// The fields of a DSA tag (the last 4 bytes of an EDSA tag).
struct Fields {
    mode: u8,
    tagged: bool,
    dev: u8,
    port: u8,
    /// The trunk bit of Forward, the ingress bit of To Sniffer.
    bit2: bool,
    cfi: bool,
    priority: u8,
    vid: u16,
    code: u8,
}

fn fields(t: &[u8; DSA_LEN]) -> Fields {
    Fields {
        mode: t[0] >> 6,
        tagged: t[0] & 0x20 != 0,
        dev: t[0] & 0x1f,
        port: t[1] >> 3,
        bit2: t[1] & 0x04 != 0,
        cfi: t[1] & 0x01 != 0,
        priority: t[2] >> 5,
        vid: (u16::from(t[2] & 0x0f) << 8) | u16::from(t[3]),
        code: (((t[1] & 0x06) >> 1) << 1) | ((t[2] & 0x10) >> 4),
    }
}

fn code_name(code: u8) -> &'static str {
    match code {
        0 => "BPDU (MGMT) Trap",
        1 => "Frame2Reg",
        2 => "IGMP/MLD Trap",
        3 => "Policy Trap",
        4 => "ARP Mirror",
        5 => "Policy Mirror",
        _ => "reserved",
    }
}

fn dev_port(out: &mut Vec<u8>, f: &Fields) {
    out.num(f.dev);
    out.s(".");
    out.num(f.port);
}

fn common(out: &mut Vec<u8>, t: &[u8; DSA_LEN], eflag: bool) {
    let f = fields(t);
    let source = |out: &mut Vec<u8>, label: &str| {
        out.s(label);
        out.num(f.dev);
        out.s(", port ");
        out.num(f.port);
        out.s(", ");
    };
    if eflag {
        out.s("mode ");
        out.s(["To CPU", "From CPU", "To Sniffer", "Forward"][usize::from(f.mode)]);
        out.s(", ");
        match f.mode {
            MODE_FORWARD => {
                out.s("dev ");
                out.num(f.dev);
                out.s(if f.bit2 { ", trunk " } else { ", port " });
                out.num(f.port);
                out.s(", ");
            }
            MODE_FROM_CPU => source(out, "target dev "),
            MODE_TO_CPU => {
                source(out, "source dev ");
                out.s("code ");
                out.s(code_name(f.code));
                out.s(", ");
            }
            _ => {
                source(out, "source dev ");
                out.s(if f.bit2 { "ingress" } else { "egress" });
                out.s(" sniff, ");
            }
        }
        out.s(if f.tagged { "tagged, " } else { "untagged, " });
        if f.cfi {
            out.s("CFI, ");
        }
        out.s("VID ");
        out.num(f.vid);
        out.s(", FPri ");
        out.num(f.priority);
        out.s(", ");
    } else {
        match f.mode {
            MODE_FORWARD => {
                out.s(if f.bit2 {
                    "Forward trunk "
                } else {
                    "Forward port "
                });
                dev_port(out, &f);
                out.s(", ");
            }
            MODE_FROM_CPU => {
                out.s("CPU > port ");
                dev_port(out, &f);
                out.s(", ");
            }
            MODE_TO_CPU => {
                out.s("port ");
                dev_port(out, &f);
                out.s(" > CPU, ");
            }
            MODE_TO_SNIFFER => {
                out.s("port ");
                dev_port(out, &f);
                out.s(if f.bit2 {
                    " > Rx Sniffer, "
                } else {
                    " > Tx Sniffer, "
                });
            }
            _ => {}
        }
        out.s("VLAN ");
        out.num(f.vid);
        out.s(if f.tagged { "t, " } else { "u, " });
    }
}

/// A DSA tag, ending with `, `.
pub fn print_dsa(out: &mut Vec<u8>, t: &[u8; DSA_LEN], eflag: bool) {
    out.s(if eflag { "Marvell DSA " } else { "DSA " });
    common(out, t, eflag);
}

/// An EDSA tag, ending with `, `.
pub fn print_edsa(out: &mut Vec<u8>, t: &[u8; EDSA_LEN], eflag: bool) {
    let ether_type = u16::from_be_bytes([t[0], t[1]]);
    if eflag {
        out.s("Marvell EDSA ethertype 0x");
        out.hex(u64::from(ether_type), 4);
        out.s(" (");
        out.s(names::ether_type(ether_type).unwrap_or("Unknown"));
        out.s("), rsvd ");
        out.num(t[2]);
        out.s(" ");
        out.num(t[3]);
        out.s(", ");
    } else {
        out.s("EDSA 0x");
        out.hex(u64::from(ether_type), 4);
        out.s(", ");
    }
    common(out, &[t[4], t[5], t[6], t[7]], eflag);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dsa(t: [u8; 4], eflag: bool) -> String {
        let mut out = Vec::new();
        print_dsa(&mut out, &t, eflag);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn modes() {
        assert_eq!(
            dsa([0xc0, 0x08, 0x00, 0x00], true),
            "Marvell DSA mode Forward, dev 0, port 1, untagged, VID 0, FPri 0, "
        );
        assert_eq!(
            dsa([0xc0, 0x08, 0x00, 0x00], false),
            "DSA Forward port 0.1, VLAN 0u, "
        );
        assert_eq!(
            dsa([0x40, 0x10, 0xa5, 0x39], true),
            "Marvell DSA mode From CPU, target dev 0, port 2, untagged, VID 1337, FPri 5, "
        );
        assert_eq!(
            dsa([0x21, 0x1d, 0x10, 0x01], true),
            "Marvell DSA mode To CPU, source dev 1, port 3, code Policy Mirror, tagged, CFI, VID 1, FPri 0, "
        );
        assert_eq!(
            dsa([0x21, 0x1d, 0x10, 0x01], false),
            "DSA port 1.3 > CPU, VLAN 1t, "
        );
        assert_eq!(
            dsa([0x80, 0x14, 0x00, 0x02], true),
            "Marvell DSA mode To Sniffer, source dev 0, port 2, ingress sniff, untagged, VID 2, FPri 0, "
        );
        assert_eq!(
            dsa([0x80, 0x14, 0x00, 0x02], false),
            "DSA port 0.2 > Rx Sniffer, VLAN 2u, "
        );
        let mut out = Vec::new();
        print_edsa(&mut out, &[0xda, 0xda, 0, 0, 0xc0, 0, 0, 0], true);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Marvell EDSA ethertype 0xdada (Unknown), rsvd 0 0, mode Forward, dev 0, port 0, untagged, VID 0, FPri 0, "
        );
    }
}
