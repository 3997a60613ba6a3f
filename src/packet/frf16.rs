//! Multilink Frame Relay, FRF.16 (LINKTYPE_MFR, 182): control frames
//! (`FRF.16 Control, Flags [Begin, End, Control], Hello, length 20`) and fragments; a
//! fragment that begins a frame goes on as a Q.922 frame
//! (`FRF.16 Frag, seq 693, Flags [Begin], Q.922, ...`).

use super::decode::{Decoder, Level, Link, Net, Printed};
use super::frame_relay::{FRAGMENT_FLAGS, Frf16Fragment};
use super::text::TextOut;

const CUT: &str = " [|mfr]";
const BEGIN: u8 = 0x80;
const END: u8 = 0x40;
const FLAG_BITS: u8 = 0xe0;
const CONTROL_FRAME: u8 = 0xe0;

fn control_message(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Add Link",
        2 => "Add Link ACK",
        3 => "Add Link Reject",
        4 => "Hello",
        5 => "Hello ACK",
        6 => "Remove Link",
        7 => "Remove Link ACK",
        _ => return None,
    })
}

fn fragment(p: &[u8]) -> Frf16Fragment {
    Frf16Fragment {
        sequence: (u16::from(p[0] & 0x1e) << 7) | u16::from(p[1]),
        flags: p[0] & FLAG_BITS,
    }
}

/// A control frame (tcpdump's default verbosity stops after its name).
fn print_control(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("FRF.16 Control, Flags [");
    out.bit_names(u16::from(data[0] & FLAG_BITS), &FRAGMENT_FLAGS);
    out.s("], ");
    match control_message(data[2]) {
        Some(name) => out.s(name),
        None => {
            out.s("Unknown Message (0x");
            out.hex(u64::from(data[2]), 2);
            out.s(")");
        }
    }
    out.s(", length ");
    out.num(len);
}

/// A fragment that does not begin a frame: its header; its bytes follow as a hex dump.
fn print_fragment(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    let f = fragment(data);
    out.s("FRF.16 Frag, seq ");
    out.num(f.sequence);
    out.s(", Flags [");
    out.bit_names(u16::from(f.flags), &FRAGMENT_FLAGS);
    out.s("]");
}

/// A frame too short for any FRF.16 header.
fn print_short(out: &mut Vec<u8>, _data: &[u8], len: u32) {
    out.s("[length ");
    out.num(len);
    out.s(" < 4] (invalid)");
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn mfr(&mut self, data: &'a [u8], length: u32) -> Level<'a> {
        let alone = |net| Level {
            link: Link::None,
            net,
        };
        let printed = |print| {
            Net::Printed(Printed {
                print,
                data,
                length,
            })
        };
        if data.len() < 2 {
            return alone(Net::Truncated(CUT));
        }
        if length < 4 {
            return alone(printed(print_short));
        }
        if data.len() < 4 {
            return alone(Net::Truncated(CUT));
        }
        if data[0] & FLAG_BITS == CONTROL_FRAME && data[1] == 0 {
            return alone(printed(print_control));
        }
        let f = fragment(data);
        if f.flags == BEGIN | END || f.flags == BEGIN {
            return self.q922_frame(&data[2..], length - 2, Some(f));
        }
        // The header, then every byte of the frame (header included) in hex.
        Level {
            link: Link::Printed {
                header: Printed {
                    print: print_fragment,
                    data,
                    length,
                },
                always: true,
            },
            net: Net::Dump {
                bytes: data,
                length,
                cut: CUT,
                ascii: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::packet::numbers::link_type;

    fn text(frame: &[u8], wire: u32) -> String {
        crate::packet::text::frame_text(link_type::MFR, frame, wire)
    }

    #[test]
    fn control_and_fragments() {
        assert_eq!(
            text(&[0xe1, 0x00, 0x04, 0x01], 20),
            "FRF.16 Control, Flags [Begin, End, Control], Hello, length 20\n"
        );
        assert_eq!(
            text(&[0xe0, 0x00, 0x00, 0x01], 262144),
            "FRF.16 Control, Flags [Begin, End, Control], Unknown Message (0x00), length 262144\n"
        );
        // Begin: a Q.922 frame follows (invalid address here).
        assert_eq!(
            text(&[0x84, 0xb5, 0x01, 0x00], 4),
            "FRF.16 Frag, seq 693, Flags [Begin], Q.922, invalid address\n"
        );
        assert_eq!(
            text(&[0x40, 0x01, 0xaa, 0xbb, 0xcc], 5),
            "FRF.16 Frag, seq 1, Flags [End]\n0x0000:  4001 aabb cc\n"
        );
        assert_eq!(text(&[0x40, 0x01, 0xaa], 3), "[length 3 < 4] (invalid)\n");
        assert_eq!(text(&[0x40, 0x01, 0xaa], 5), " [|mfr]\n");
        assert_eq!(text(&[0x40], 5), " [|mfr]\n");
    }
}
