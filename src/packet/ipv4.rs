//! IPv4: the datagram view, its decode (fragments, bad lengths, cut-short headers) and
//! tcpdump's printer (`-v` header details, checksums).

use super::decode::{Addressing, Decoder, Transport};
use super::names;
use super::numbers::ip_proto;
use super::print::{Addrs, Printer, checksum};
use super::text::TextOut;
use etherparse::Ipv4HeaderSlice;

#[derive(Debug)]
pub enum Ipv4<'a> {
    /// Fewer than 20 bytes were captured.
    Truncated,
    /// The fixed header was captured, its options were cut short: tcpdump names the
    /// protocol of a later fragment, or says how much it has of the header.
    OptionsCut {
        source: [u8; 4],
        destination: [u8; 4],
        missing: u32,
        protocol: u8,
        later_fragment: bool,
        captured: usize,
        header_length: u32,
    },
    /// Wire length below a minimal header (`truncated-ip N`).
    ShortWire(u32),
    /// The version nibble is not 4 (an IPv6 packet behind ethertype IPv4, say).
    WrongVersion(u8),
    /// Header length field below 20 (`bad-hlen N`).
    BadHeaderLength(u32),
    /// Total length below the header length (`bad-len N`).
    BadTotalLength {
        total: u16,
        missing: u32,
    },
    Datagram(Ipv4Datagram<'a>),
}

#[derive(Debug)]
pub struct Ipv4Datagram<'a> {
    pub header: Ipv4HeaderSlice<'a>,
    /// Bytes the header's total length claims beyond the wire length (tcpdump's
    /// `truncated-ip - N bytes missing!`), 0 normally.
    pub missing: u32,
    /// The captured bytes of an Authentication Header before the transport, if any.
    pub authentication: Option<&'a [u8]>,
    pub transport: Transport<'a>,
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ipv4(&mut self, data: &'a [u8], wire_len: u32) -> Ipv4<'a> {
        let Some(first) = data.first() else {
            return Ipv4::Truncated;
        };
        let version = first >> 4;
        if version != 4 {
            return Ipv4::WrongVersion(version);
        }
        if data.len() < 20 {
            return Ipv4::Truncated;
        }
        if wire_len < 20 {
            return Ipv4::ShortWire(wire_len);
        }
        let hlen = u32::from(data[0] & 0x0F) * 4;
        if hlen < 20 {
            return Ipv4::BadHeaderLength(hlen);
        }
        let total_len = u16::from_be_bytes([data[2], data[3]]);
        let total = u32::from(total_len);
        let missing = total.saturating_sub(wire_len);
        if total < hlen {
            return Ipv4::BadTotalLength {
                total: total_len,
                missing,
            };
        }
        let Ok(header) = Ipv4HeaderSlice::from_slice(data) else {
            let fragment_offset = u16::from_be_bytes([data[6], data[7]]) & 0x1FFF;
            return Ipv4::OptionsCut {
                source: [data[12], data[13], data[14], data[15]],
                destination: [data[16], data[17], data[18], data[19]],
                missing,
                protocol: data[9],
                later_fragment: fragment_offset != 0,
                captured: data.len(),
                header_length: hlen,
            };
        };
        // tcpdump cuts the captured bytes at the end of the datagram (Ethernet padding).
        let end = (total as usize).min(data.len());
        let payload = &data[hlen as usize..end];
        let payload_len = total - hlen;
        let fragment_offset = u16::from(header.fragments_offset());
        let protocol = header.protocol().0;
        let mut authentication = None;
        let transport = if fragment_offset != 0 {
            Transport::Fragment { protocol }
        } else if protocol == ip_proto::AH {
            // tcpdump's demultiplexer goes on after the AH with its next header.
            let ah_len = super::ah::header_len(payload).unwrap_or(usize::MAX);
            authentication = Some(payload.get(..ah_len).unwrap_or(payload));
            match payload.get(ah_len..) {
                Some(rest) => self.transport(
                    payload[0],
                    rest,
                    payload_len.wrapping_sub(ah_len as u32),
                    Addressing::PortsOnly,
                    header.more_fragments(),
                ),
                None => Transport::Stopped,
            }
        } else {
            self.transport(
                protocol,
                payload,
                payload_len,
                Addressing::WithAddresses,
                header.more_fragments(),
            )
        };
        Ipv4::Datagram(Ipv4Datagram {
            header,
            missing,
            authentication,
            transport,
        })
    }
}

impl Printer<'_> {
    pub(super) fn ipv4(&mut self, ip: &Ipv4<'_>) {
        if let Ipv4::WrongVersion(v) = ip {
            if *v == 6 {
                self.out.s("IP6, wrong link-layer encapsulation");
            } else {
                self.out.s("IP");
                self.out.num(*v);
            }
            self.out.s(" (invalid)");
            return;
        }
        if !self.eflag() {
            self.out.s("IP ");
        }
        match ip {
            Ipv4::WrongVersion(_) => {}
            Ipv4::Truncated => self.out.s("[|ip]"),
            Ipv4::OptionsCut {
                source,
                destination,
                missing,
                protocol,
                later_fragment,
                captured,
                header_length,
            } => {
                self.missing_v4(*missing);
                let addrs = Addrs::V4(*source, *destination);
                if *later_fragment {
                    addrs.pair(self.out, None);
                    self.out.s(": ip-proto-");
                    self.out.num(*protocol);
                    return;
                }
                if !matches!(
                    *protocol,
                    ip_proto::TCP | ip_proto::UDP | ip_proto::SCTP | ip_proto::DCCP
                ) {
                    addrs.pair(self.out, None);
                    self.out.s(": ");
                }
                self.out.s(" [remaining caplen(");
                self.out.num(*captured);
                self.out.s(") < header length(");
                self.out.num(*header_length);
                self.out.s(")] [|ip]");
            }
            Ipv4::ShortWire(n) => {
                self.out.s("truncated-ip ");
                self.out.num(*n);
            }
            Ipv4::BadHeaderLength(n) => {
                self.out.s("bad-hlen ");
                self.out.num(*n);
            }
            Ipv4::BadTotalLength { total, missing } => {
                self.missing_v4(*missing);
                self.out.s("bad-len ");
                self.out.num(*total);
            }
            Ipv4::Datagram(d) => self.ipv4_datagram(d),
        }
    }

    pub(super) fn missing_v4(&mut self, missing: u32) {
        if missing > 0 {
            self.out.s("truncated-ip - ");
            self.out.num(missing);
            self.out.s(" bytes missing! ");
        }
    }

    pub(super) fn ipv4_datagram(&mut self, d: &Ipv4Datagram<'_>) {
        let h = &d.header;
        self.missing_v4(d.missing);
        if self.opts.verbose > 0 {
            let tos = h.slice()[1];
            self.out.s("(tos 0x");
            self.out.hex(u64::from(tos), 0);
            match tos & 3 {
                1 => self.out.s(",ECT(1)"),
                2 => self.out.s(",ECT(0)"),
                3 => self.out.s(",CE"),
                _ => {}
            }
            if h.ttl() >= 1 {
                self.out.s(", ttl ");
                self.out.num(h.ttl());
            }
            self.out.s(", id ");
            self.out.num(h.identification());
            self.out.s(", offset ");
            self.out.num(u32::from(u16::from(h.fragments_offset())) * 8);
            self.out.s(", flags [");
            let flags = u16::from_be_bytes([h.slice()[6], h.slice()[7]]);
            self.bit_names(flags, &[(0x8000, "rsvd"), (0x4000, "DF"), (0x2000, "+")]);
            self.out.s("], proto ");
            self.out.s(names::ip_proto(h.protocol().0));
            self.out.s(" (");
            self.out.num(h.protocol().0);
            self.out.s("), length ");
            self.out.num(h.total_len());
            let sum = checksum(0, h.slice());
            if sum != 0 {
                self.cksum_should_be(", bad cksum ", h.header_checksum(), sum);
            }
            // tcpdump continues on a new indented line; pktmon's lines are one per layer.
            self.out.s(") ");
        }
        let addrs = Addrs::V4(h.source(), h.destination());
        if let Transport::Fragment { protocol } = d.transport {
            addrs.pair(self.out, None);
            self.out.s(": ip-proto-");
            self.out.num(protocol);
            return;
        }
        if let Some(ah) = d.authentication {
            addrs.pair(self.out, None);
            self.out.s(": ");
            super::ah::print(self.out, ah);
        } else if !matches!(
            d.transport,
            Transport::Tcp(_) | Transport::Udp(_) | Transport::Addressed(_)
        ) {
            addrs.pair(self.out, None);
            self.out.s(": ");
        }
        self.transport(&d.transport, addrs, true, d.header.ttl());
    }
}

#[cfg(test)]
mod tests {
    /// The line for a raw IPv4 datagram given in hex, `wire` bytes long on the wire.
    fn line(hex: &str, wire: u32) -> String {
        let frame: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        crate::packet::text::frame_text(crate::record::LinkType::RAW, &frame, wire)
    }

    #[test]
    fn authentication_header_then_its_next_header() {
        let ah_udp = "450000280000000040330000010203040506070811010000000000010000000200010002\
                      00080000";
        assert_eq!(
            line(ah_udp, 40),
            "ip: 1.2.3.4 > 5.6.7.8: AH(spi=0x00000001,seq=0x2,icv=0x): 1 > 2: UDP, length 0\n"
        );
        let ah_cut = "4500002800000000403300000102030405060708110300000000000100000002aabb";
        assert_eq!(
            line(ah_cut, 40),
            "ip: 1.2.3.4 > 5.6.7.8: AH(spi=0x00000001,seq=0x2,icv=0xaabb [|ah]\n"
        );
    }

    #[test]
    fn options_cut_short() {
        // Header length 60, 24 bytes captured: a later fragment still names its protocol.
        let later = "4f00003c0000000140110000010203040506070801010101";
        assert_eq!(line(later, 60), "ip: 1.2.3.4 > 5.6.7.8: ip-proto-17\n");
        let first = "4f00003c0000000040110000010203040506070801010101";
        assert_eq!(
            line(first, 60),
            "ip:  [remaining caplen(24) < header length(60)] [|ip]\n"
        );
    }
}
