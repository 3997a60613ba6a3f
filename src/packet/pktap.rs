//! Apple's PKTAP (LINKTYPE_PKTAP 258, and LINKTYPE_USER2 as Darwin writes it): a
//! little-endian header naming the packet's own link type, printed with `-e` as
//! `DLT EN10MB (1) len 108, length 182: `; the packet is the next level.

use super::decode::{Decoder, Level, Link, MAX_LEVELS, Net, Printed};
use super::text::TextOut;
use crate::record::LinkType;

/// The header as Darwin defines it (its own length field may say more).
const HEADER_LEN: u32 = 108;
const CUT: &str = " [|pktap]";
const REC_NONE: u32 = 0;
const REC_PACKET: u32 = 1;

fn le32(d: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]])
}

/// libpcap's name of a DLT value.
fn dlt_name(dlt: u32) -> Option<&'static str> {
    Some(match dlt {
        0 => "NULL",
        1 => "EN10MB",
        6 => "IEEE802",
        8 => "SLIP",
        9 => "PPP",
        10 => "FDDI",
        12 => "RAW",
        50 => "PPP_SERIAL",
        51 => "PPP_ETHER",
        104 => "C_HDLC",
        105 => "IEEE802_11",
        107 => "FRELAY",
        108 => "LOOP",
        113 => "LINUX_SLL",
        127 => "IEEE802_11_RADIO",
        149 => "USER2",
        228 => "IPV4",
        229 => "IPV6",
        258 => "PKTAP",
        _ => return None,
    })
}

/// The header of the frame of wire length `len` whose captured bytes are `data`.
pub fn print_header(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let dlt = le32(data, 8);
    out.s("DLT ");
    out.s(dlt_name(dlt).unwrap_or("UNKNOWN"));
    out.s(" (");
    out.num(dlt);
    out.s(") len ");
    out.num(le32(data, 0));
    out.s(", length ");
    out.num(len);
    out.s(": ");
}

/// Why tcpdump refuses a PKTAP header: `(pkt_len too small, 0 < 108) (invalid)`.
fn print_invalid(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len < HEADER_LEN {
        out.s(" (packet too short, ");
        out.num(len);
        out.s(" < 108)");
    } else {
        let hdrlen = le32(data, 0);
        if hdrlen < HEADER_LEN {
            out.s(" (pkt_len too small, ");
            out.num(hdrlen);
            out.s(" < 108)");
        } else {
            out.s(" (pkt_len too big, ");
            out.num(hdrlen);
            out.s(" > ");
            out.num(len);
            out.s(")");
        }
    }
    out.s(" (invalid)");
}

fn print_no_data(out: &mut Vec<u8>, _data: &[u8], _len: u32) {
    out.s("no data");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn pktap(&mut self, data: &'a [u8], wire_len: u32) -> Level<'a> {
        let alone = |net| Level {
            link: Link::None,
            net,
        };
        let invalid = Net::Printed(Printed {
            print: print_invalid,
            data,
            length: wire_len,
        });
        if wire_len < HEADER_LEN {
            return alone(invalid);
        }
        if data.len() < 12 {
            return alone(Net::Truncated(CUT));
        }
        let hdrlen = le32(data, 0);
        if hdrlen < HEADER_LEN || hdrlen > wire_len {
            return alone(invalid);
        }
        let Some(rest) = data.get(hdrlen as usize..) else {
            return alone(Net::Truncated(CUT));
        };
        let len = wire_len - hdrlen;
        let header = |always| Link::Printed {
            header: Printed {
                print: print_header,
                data,
                length: wire_len,
            },
            always,
        };
        let dlt = le32(data, 8);
        let net = match le32(data, 4) {
            REC_NONE => Net::Printed(Printed {
                print: print_no_data,
                data,
                length: wire_len,
            }),
            REC_PACKET => {
                let inner = u16::try_from(dlt)
                    .ok()
                    .and_then(|t| super::dispatch::link_input(LinkType(t), rest, len));
                match inner {
                    Some(inner) => {
                        if self.depth + 1 < MAX_LEVELS {
                            self.inner = Some(inner);
                        }
                        Net::None
                    }
                    None => {
                        return Level {
                            link: header(true),
                            net: Net::dump(rest, CUT),
                        };
                    }
                }
            }
            _ => Net::None,
        };
        Level {
            link: header(false),
            net,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::numbers::link_type;

    fn text(frame: &[u8], wire: u32) -> String {
        crate::packet::text::frame_text(link_type::PKTAP, frame, wire)
    }

    fn header(dlt: u32, rectype: u32) -> Vec<u8> {
        let mut h = vec![0u8; 108];
        h[0] = 108;
        h[4..8].copy_from_slice(&rectype.to_le_bytes());
        h[8..12].copy_from_slice(&dlt.to_le_bytes());
        h
    }

    #[test]
    fn header_then_packet() {
        // A raw IPv4 packet cut after its first byte.
        let mut f = header(228, 1);
        f.push(0x45);
        assert_eq!(
            text(&f, 130),
            "DLT IPV4 (228) len 108, length 130: \nip: [|ip]\n"
        );
        assert_eq!(
            text(&header(1, 0), 108),
            "DLT EN10MB (1) len 108, length 108: no data\n"
        );
        let mut f = header(999, 1);
        f.push(0x41);
        assert_eq!(
            text(&f, 109),
            "DLT UNKNOWN (999) len 108, length 109: \n0x0000:  41                                       A\n"
        );
        let mut f = header(1, 1);
        f[0] = 0;
        assert_eq!(text(&f, 108), " (pkt_len too small, 0 < 108) (invalid)\n");
        assert_eq!(text(&f[..10], 108), " [|pktap]\n");
    }
}
