//! MPLS label stacks (RFC 3032) after EtherType 0x8847/0x8848 or PPP 0x0281/0x0283:
//! tcpdump's `MPLS (label 16006, tc 0, [S], ttl 255) ` then the packet under the bottom
//! label, guessed from the label (explicit/implicit NULL) or from its first byte (IPv4,
//! IPv6, OSI), else dumped.

use super::decode::{App, Decoder, Inner, Ipv4, Ipv6, MAX_LEVELS, Net, Printed};
use super::print::Printer;
use super::text::TextOut;

const ENTRY_LEN: usize = 4;

/// A label stack and what it carries.
#[derive(Debug)]
pub struct Mpls<'a> {
    /// The label stack entries read (4 bytes each), down to the bottom one or to where
    /// the bytes ended.
    pub labels: &'a [u8],
    pub payload: Payload<'a>,
}

/// What follows the label stack.
#[derive(Debug)]
pub enum Payload<'a> {
    /// An entry cut short: ` [|mpls]`.
    Cut,
    /// Less than an entry left on the wire: ` (invalid)`.
    Invalid,
    /// Nothing after the bottom label.
    Empty,
    Ipv4(Ipv4<'a>),
    Ipv6(Ipv6<'a>),
    Osi(Printed<'a>),
    /// Not guessed: the bytes, dumped.
    Unknown(&'a [u8]),
}

fn label(entry: u32) -> u32 {
    entry >> 12
}

fn bottom(entry: u32) -> bool {
    entry & 0x100 != 0
}

/// MPLS over UDP (port 6635): the label stack and its packet are the next level.
pub(super) fn decode_udp<'a>(decoder: &mut Decoder<'_, 'a>, data: &'a [u8], len: u32) -> App<'a> {
    if decoder.depth + 1 < MAX_LEVELS {
        decoder.inner = Some(Inner::Mpls(data, len));
    }
    App::Carried
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn mpls(&mut self, data: &'a [u8], len: u32) -> Net<'a> {
        let (mut rest, mut len) = (data, len);
        let payload = loop {
            if (len as usize) < ENTRY_LEN {
                break Payload::Invalid;
            }
            let Some(b) = rest.get(..ENTRY_LEN) else {
                break Payload::Cut;
            };
            let entry = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            rest = &rest[ENTRY_LEN..];
            len -= ENTRY_LEN as u32;
            if bottom(entry) {
                break self.mpls_payload(label(entry), rest, len);
            }
        };
        let labels = &data[..data.len() - rest.len()];
        Net::Mpls(Mpls { labels, payload })
    }

    fn mpls_payload(&mut self, bottom_label: u32, rest: &'a [u8], len: u32) -> Payload<'a> {
        let guess = match bottom_label {
            // IPv4 explicit and implicit NULL; IPv6 explicit NULL.
            0 | 3 => 4,
            2 => 6,
            _ => match rest.first() {
                None if len == 0 => return Payload::Empty,
                None => return Payload::Cut,
                Some(0x45..=0x4f) => 4,
                Some(0x60..=0x6f) => 6,
                Some(0x81..=0x83) => 0x80,
                Some(_) => 0,
            },
        };
        match guess {
            4 => Payload::Ipv4(self.ipv4(rest, len)),
            6 => Payload::Ipv6(self.ipv6(rest, len)),
            0x80 => Payload::Osi(Printed {
                print: super::osi::print,
                data: rest,
                length: len,
            }),
            _ => Payload::Unknown(rest),
        }
    }
}

/// `MPLS (label 1024, tc 0, [S], ttl 64)` for each label; the payload is the caller's.
pub fn print_labels(out: &mut Vec<u8>, labels: &[u8]) {
    out.s("MPLS");
    for b in labels.chunks_exact(ENTRY_LEN) {
        let entry = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        out.s(" (label ");
        out.num(label(entry));
        out.s(", tc ");
        out.num((entry >> 9) & 7);
        if bottom(entry) {
            out.s(", [S]");
        }
        out.s(", ttl ");
        out.num(entry & 0xff);
        out.s(")");
    }
}

impl Printer<'_> {
    pub(super) fn mpls(&mut self, m: &Mpls<'_>) {
        print_labels(self.out, m.labels);
        match &m.payload {
            Payload::Cut => self.out.s(" [|mpls]"),
            Payload::Invalid => self.out.s(" (invalid)"),
            Payload::Empty => {}
            Payload::Ipv4(ip) => {
                self.out.s(" ");
                self.ipv4(ip);
            }
            Payload::Ipv6(ip) => {
                self.out.s(" ");
                self.ipv6(ip);
            }
            Payload::Osi(p) => {
                self.out.s(" ");
                p.print(self.out, self.line_start);
            }
            Payload::Unknown(bytes) => {
                super::hexdump::hex_and_ascii(self.out, bytes, self.line_start)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::record::LinkType;

    fn text(frame: &[u8]) -> String {
        crate::packet::text::frame_text(LinkType::ETHERNET, frame, frame.len() as u32)
    }

    fn frame(ether_type: u16, rest: &[u8]) -> Vec<u8> {
        let mut f = vec![2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1];
        f.extend_from_slice(&ether_type.to_be_bytes());
        f.extend_from_slice(rest);
        f
    }

    #[test]
    fn over_udp_the_stack_is_the_next_level() {
        // 10.0.0.1.4096 > 10.0.0.2.6635 carrying label 21 over the datagram of the test
        // below (tcpdump prints both on one line: the conformance suite's
        // mpls-over-udp.pcap).
        let inner = [
            0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x10, 0x00, 0x00,
            0x35, 0, 8, 0, 0,
        ];
        let mut outer = vec![
            0x45, 0, 0, 60, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x10, 0x00, 0x19,
            0xeb, 0, 40, 0, 0, 0x00, 0x01, 0x51, 0x3f,
        ];
        outer.extend_from_slice(&inner);
        assert_eq!(
            text(&frame(0x0800, &outer)),
            "01-01-01-01-01-01 > 02-02-02-02-02-02, ethertype IPv4 (0x0800), length 74: \
             10.0.0.1.4096 > 10.0.0.2.6635: \n\
             MPLS (label 21, tc 0, [S], ttl 63) 10.0.0.1.4096 > 10.0.0.2.53: domain [length 0 < 12] (invalid)\n"
        );
    }

    /// Each checked against tcpdump 4.99 `-nn -e` on the same frames.
    #[test]
    fn labels_then_the_guessed_payload() {
        let ip = [
            0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x10, 0x00, 0x00,
            0x35, 0, 8, 0, 0,
        ];
        let head = "01-01-01-01-01-01 > 02-02-02-02-02-02, ethertype MPLS";
        let udp = "10.0.0.1.4096 > 10.0.0.2.53: domain [length 0 < 12] (invalid)";
        // Two labels, IPv4 guessed from its first byte under the bottom one.
        let mut two = vec![0x00, 0x40, 0x00, 0x40, 0x00, 0x40, 0x01, 0x3f];
        two.extend_from_slice(&ip);
        assert_eq!(
            text(&frame(0x8847, &two)),
            format!(
                "{head} unicast (0x8847), length 50: MPLS (label 1024, tc 0, ttl 64) \
                 (label 1024, tc 0, [S], ttl 63) {udp}\n"
            )
        );
        // Label 16 with IPv4 under it.
        let mut one = vec![0x00, 0x01, 0x01, 0x40];
        one.extend_from_slice(&ip);
        assert_eq!(
            text(&frame(0x8847, &one)),
            format!(
                "{head} unicast (0x8847), length 46: MPLS (label 16, tc 0, [S], ttl 64) {udp}\n"
            )
        );
        // Less than an entry on the wire.
        assert_eq!(
            text(&frame(0x8848, &[0x00, 0x40, 0x00])),
            format!("{head} multicast (0x8848), length 17: MPLS (invalid)\n")
        );
        // A payload not guessed: dumped.
        assert_eq!(
            text(&frame(0x8847, &[0x00, 0x41, 0x01, 0x40, 0x12, 0x34])),
            format!(
                "{head} unicast (0x8847), length 20: MPLS (label 1040, tc 0, [S], ttl 64)\n\
                 0x0000:  1234                                     .4\n"
            )
        );
    }
}
