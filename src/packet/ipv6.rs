//! IPv6 and its extension headers: the view, the decode and tcpdump's printer.

use super::decode::{Addressing, Decoder, Inner, MAX_EXTS, MAX_LEVELS, Transport, be16};
use super::names;
use super::numbers::ip_proto;
use super::print::{Addrs, Printer};
use super::text::TextOut;
use arrayvec::ArrayVec;
use etherparse::Ipv6HeaderSlice;

#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Ipv6<'a> {
    Truncated,
    ShortWire(u32),
    WrongVersion(u8),
    Datagram(Ipv6Datagram<'a>),
}

#[derive(Debug)]
pub struct Ipv6Datagram<'a> {
    pub header: Ipv6HeaderSlice<'a>,
    pub missing: u32,
    /// Extension headers in the order they appear.
    pub exts: ArrayVec<Ipv6Ext<'a>, MAX_EXTS>,
    pub transport: Transport<'a>,
}

/// An IPv6 extension header as tcpdump prints it.
#[derive(Debug)]
pub enum Ipv6Ext<'a> {
    HopByHop,
    DestinationOptions,
    /// `offset` in bytes; `length` of the fragment's payload, in tcpdump's unsigned
    /// arithmetic (a payload length shorter than the headers wraps around).
    Fragment {
        offset: u16,
        length: u64,
    },
    /// The captured bytes of a Routing header, from its start.
    Routing(&'a [u8]),
    /// The captured bytes of an Authentication Header (up to its length).
    Authentication(&'a [u8]),
    /// A Mobility Header (tcpdump's last word on the datagram): its captured bytes.
    Mobility(&'a [u8]),
    /// Hop-by-Hop options tcpdump stops in (`HBH <why> [|hbhopt]`).
    BadOptions(super::hbh::OptionError),
    /// A zero payload length without a valid Jumbo Payload option.
    NoJumbo,
    /// A jumbogram longer than the wire: the bytes missing.
    JumboMissing(u64),
    /// The header was cut short; tcpdump's marker.
    Truncated(&'static str),
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn ipv6(&mut self, data: &'a [u8], wire_len: u32) -> Ipv6<'a> {
        if data.len() < 40 {
            return Ipv6::Truncated;
        }
        if wire_len < 40 {
            return Ipv6::ShortWire(wire_len);
        }
        let version = data[0] >> 4;
        if version != 6 {
            return Ipv6::WrongVersion(version);
        }
        let Ok(header) = Ipv6HeaderSlice::from_slice(data) else {
            return Ipv6::Truncated;
        };
        // A zero payload length (a jumbogram's) leaves the length to the wire, until a
        // Jumbo Payload option gives it (tcpdump's reading).
        let zero_length = header.payload_length() == 0;
        let total = if zero_length {
            wire_len.saturating_add(40)
        } else {
            u32::from(header.payload_length()) + 40
        };
        let mut jumbo = None;
        let missing = if zero_length {
            0
        } else {
            total.saturating_sub(wire_len)
        };
        let end = (total as usize).min(data.len());
        let mut captured = &data[40..end];
        // Offset of `captured` from the start of the IPv6 header.
        let mut pos = 40usize;
        let mut len = total - 40;
        let mut nh = header.next_header().0;
        let mut exts = ArrayVec::new();
        let mut addressing = Addressing::WithAddresses;
        let mut fragmented = false;
        let transport = loop {
            match nh {
                0 => {
                    let ext_len = captured.get(1).map(|l| (usize::from(*l) + 1) * 8);
                    let Some(ext_len) = ext_len.filter(|&l| captured.len() >= l) else {
                        exts.push(Ipv6Ext::Truncated(" [|hbhopt]"));
                        break Transport::Stopped;
                    };
                    match super::hbh::check(&captured[2..ext_len], zero_length) {
                        Ok(j) => jumbo = j,
                        Err(e) => {
                            exts.push(Ipv6Ext::BadOptions(e));
                            break Transport::Stopped;
                        }
                    }
                    exts.push(Ipv6Ext::HopByHop);
                    if zero_length && jumbo.is_none() {
                        exts.push(Ipv6Ext::NoJumbo);
                        break Transport::Stopped;
                    }
                    if (len as usize) < ext_len {
                        exts.push(Ipv6Ext::Truncated(" [|ip6]"));
                        break Transport::Stopped;
                    }
                    if captured.len() == ext_len {
                        // tcpdump stops where the captured bytes end.
                        break Transport::Stopped;
                    }
                    nh = captured[0];
                    captured = &captured[ext_len..];
                    pos += ext_len;
                    len -= ext_len as u32;
                }
                60 => {
                    let Some(ext_len) = captured.get(1).map(|l| (usize::from(*l) + 1) * 8) else {
                        exts.push(Ipv6Ext::Truncated(if nh == 0 {
                            "[|HBH]"
                        } else {
                            "[|DSTOPT]"
                        }));
                        break Transport::Stopped;
                    };
                    if captured.len() < ext_len || (len as usize) < ext_len {
                        exts.push(Ipv6Ext::Truncated(if nh == 0 {
                            "[|HBH]"
                        } else {
                            "[|DSTOPT]"
                        }));
                        break Transport::Stopped;
                    }
                    exts.push(if nh == 0 {
                        Ipv6Ext::HopByHop
                    } else {
                        Ipv6Ext::DestinationOptions
                    });
                    nh = captured[0];
                    captured = &captured[ext_len..];
                    pos += ext_len;
                    len -= ext_len as u32;
                }
                44 => {
                    // tcpdump (without -v, which adds the identification) reads the offset only.
                    let Some(offset) = be16(captured, 2).filter(|_| captured.len() >= 4) else {
                        exts.push(Ipv6Ext::Truncated(" [|frag6]"));
                        break Transport::Stopped;
                    };
                    let offset = offset & 0xFFF8;
                    let length =
                        (u64::from(header.payload_length()) + 40).wrapping_sub(pos as u64 + 8);
                    exts.push(Ipv6Ext::Fragment { offset, length });
                    if offset != 0 || captured.len() <= 8 || len < 8 {
                        break Transport::Stopped;
                    }
                    fragmented = true;
                    nh = captured[0];
                    captured = &captured[8..];
                    pos += 8;
                    len -= 8;
                }
                43 => {
                    if captured.is_empty() {
                        exts.push(Ipv6Ext::Truncated("[|ip6]"));
                        break Transport::Stopped;
                    }
                    exts.push(Ipv6Ext::Routing(captured));
                    let Some(ext_len) = super::rt6::length(captured) else {
                        break Transport::Stopped;
                    };
                    if (len as usize) < ext_len {
                        exts.push(Ipv6Ext::Truncated(" [|ip6]"));
                        break Transport::Stopped;
                    }
                    if captured.len() <= ext_len {
                        // tcpdump stops where the captured bytes end.
                        break Transport::Stopped;
                    }
                    nh = captured[0];
                    captured = &captured[ext_len..];
                    pos += ext_len;
                    len -= ext_len as u32;
                }
                ip_proto::AH => {
                    let ext_len = super::ah::header_len(captured).unwrap_or(usize::MAX);
                    exts.push(Ipv6Ext::Authentication(
                        captured.get(..ext_len).unwrap_or(captured),
                    ));
                    if captured.len() < ext_len || (len as usize) < ext_len {
                        break Transport::Stopped;
                    }
                    nh = captured[0];
                    captured = &captured[ext_len..];
                    pos += ext_len;
                    len -= ext_len as u32;
                }
                ip_proto::MOBILITY | ip_proto::MOBILITY_OLD => {
                    exts.push(Ipv6Ext::Mobility(captured));
                    break Transport::Stopped;
                }
                _ => {
                    if let Some(j) = jumbo {
                        // The Jumbo Payload length replaces the wire's.
                        let jumbo_total = u64::from(j) + 40;
                        if jumbo_total < pos as u64 {
                            exts.push(Ipv6Ext::Truncated(" [|ip6]"));
                            break Transport::Stopped;
                        }
                        if u64::from(wire_len) < jumbo_total {
                            exts.push(Ipv6Ext::JumboMissing(jumbo_total - u64::from(wire_len)));
                        }
                        let payload = jumbo_total - pos as u64;
                        len = u32::try_from(payload).unwrap_or(u32::MAX);
                        captured = &captured[..captured.len().min(payload as usize)];
                    } else if zero_length {
                        // No payload: a header before it is cut short; without one the
                        // transport has nothing.
                        if !exts.is_empty() {
                            exts.push(Ipv6Ext::Truncated(" [|ip6]"));
                            break Transport::Stopped;
                        }
                        len = 0;
                        captured = &[];
                    }
                    if let Some(inner) = carried(nh, captured, len, !exts.is_empty())
                        && self.depth + 1 < MAX_LEVELS
                    {
                        self.inner = Some(inner);
                        // tcpdump prints it after the headers' space, on their line.
                        self.inner_continues = !exts.is_empty();
                        break Transport::Carried;
                    }
                    break self.transport(nh, captured, len, addressing, fragmented);
                }
            }
            if exts.is_full() {
                break Transport::Stopped;
            }
            addressing = Addressing::PortsOnly;
        };
        Ipv6::Datagram(Ipv6Datagram {
            header,
            missing,
            exts,
            transport,
        })
    }
}

/// The packet tcpdump prints whole after IPv6 headers: Ethernet, or after extension
/// headers an IP packet (directly after the IPv6 header, pktmon's `ip-proto-41 N` line
/// ends before it).
fn carried(nh: u8, data: &[u8], len: u32, after_exts: bool) -> Option<Inner<'_>> {
    match nh {
        ip_proto::ETHERNET => Some(Inner::Ethernet(data, len)),
        ip_proto::IPV6 if after_exts => Some(Inner::Ipv6(data, len)),
        ip_proto::IPIP if after_exts => Some(Inner::Ipv4(data, len)),
        _ => None,
    }
}

impl Printer<'_> {
    pub(super) fn ipv6(&mut self, ip: &Ipv6<'_>) {
        match ip {
            Ipv6::Truncated => {
                self.out.s("[|ip6]");
                return;
            }
            Ipv6::ShortWire(n) => {
                self.out.s("truncated-ip6 ");
                self.out.num(*n);
                return;
            }
            _ => {}
        }
        if !self.eflag() {
            self.out.s("IP6 ");
        }
        match ip {
            Ipv6::WrongVersion(v) => {
                self.out.s("version error: ");
                self.out.num(*v);
                self.out.s(" != 6");
            }
            Ipv6::Datagram(d) => self.ipv6_datagram(d),
            Ipv6::Truncated | Ipv6::ShortWire(_) => {}
        }
    }

    pub(super) fn ipv6_datagram(&mut self, d: &Ipv6Datagram<'_>) {
        let h = &d.header;
        if d.missing > 0 {
            self.out.s("truncated-ip6 - ");
            self.out.num(d.missing);
            self.out.s(" bytes missing!");
        }
        if self.opts.verbose > 0 {
            let b = h.slice();
            let flow = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
            self.out.s("(");
            if flow & 0x0FF0_0000 != 0 {
                self.out.s("class 0x");
                self.out.hex(u64::from((flow & 0x0FF0_0000) >> 20), 2);
                self.out.s(", ");
            }
            if flow & 0x000F_FFFF != 0 {
                self.out.s("flowlabel 0x");
                self.out.hex(u64::from(flow & 0x000F_FFFF), 5);
                self.out.s(", ");
            }
            self.out.s("hlim ");
            self.out.num(h.hop_limit());
            self.out.s(", next-header ");
            self.out.s(names::ip_proto(h.next_header().0));
            self.out.s(" (");
            self.out.num(h.next_header().0);
            self.out.s(") payload length: ");
            self.out.num(h.payload_length());
            self.out.s(") ");
        }
        let addrs = Addrs::V6(h.source(), h.destination());
        let first = h.next_header().0;
        if !matches!(first, 6 | 17 | 33 | 132) {
            addrs.pair(self.out, None);
            self.out.s(": ");
        }
        for ext in &d.exts {
            match ext {
                Ipv6Ext::HopByHop => self.out.s("HBH "),
                Ipv6Ext::DestinationOptions => self.out.s("DSTOPT "),
                Ipv6Ext::Fragment { offset, length } => {
                    self.out.s("frag (");
                    self.out.num(*offset);
                    self.out.s("|");
                    self.out.num(*length);
                    self.out.s(")");
                    if *offset == 0 && !matches!(d.transport, Transport::Stopped) {
                        self.out.s(" ");
                    }
                }
                Ipv6Ext::Routing(rt) => super::rt6::print(self.out, rt),
                Ipv6Ext::Authentication(ah) => super::ah::print(self.out, ah),
                Ipv6Ext::Mobility(mh) => super::mobility::print(self.out, mh),
                Ipv6Ext::BadOptions(e) => {
                    self.out.s("HBH ");
                    e.print(self.out);
                    self.out.s(" [|hbhopt]");
                }
                Ipv6Ext::NoJumbo => self
                    .out
                    .s("[No valid Jumbo Payload Hop-by-Hop option found] (invalid)"),
                Ipv6Ext::JumboMissing(n) => {
                    self.out.s("truncated-ip6 - ");
                    self.out.num(*n);
                    self.out.s(" bytes missing!");
                }
                Ipv6Ext::Truncated(t) => self.out.s(t),
            }
        }
        // tcpdump 4.99 prints ` ip-proto-N`; after the header lines' `: ` the space
        // doubles (as pktmon's IPv6 lines leave out), after a jumbogram's note it shows.
        if matches!(d.exts.last(), Some(Ipv6Ext::JumboMissing(_)))
            && matches!(d.transport, Transport::Other { .. })
        {
            self.out.s(" ");
        }
        self.transport(&d.transport, addrs, false, d.header.hop_limit());
    }
}

#[cfg(test)]
mod tests {
    /// The line for a raw IPv6 packet from ::1 to ::2 with next header `nh` and `payload`
    /// (all captured), its payload length `plen` or the payload's.
    fn line(nh: u8, payload: &[u8], plen: Option<u16>) -> String {
        let plen = plen.unwrap_or(payload.len() as u16);
        let mut frame = vec![0x60, 0, 0, 0];
        frame.extend_from_slice(&plen.to_be_bytes());
        frame.extend_from_slice(&[nh, 64]);
        for last in [1, 2] {
            frame.extend_from_slice(&[0; 15]);
            frame.push(last);
        }
        frame.extend_from_slice(payload);
        crate::packet::text::frame_text(crate::record::LinkType::RAW, &frame, frame.len() as u32)
    }

    /// A segment routing header (one segment, ::3) before next header `nh`.
    fn srh(nh: u8) -> Vec<u8> {
        let mut h = vec![nh, 2, 4, 0, 0, 0, 0, 0];
        h.extend_from_slice(&[0; 15]);
        h.push(3);
        h
    }

    const ECHO: [u8; 8] = [128, 0, 0, 0, 0, 1, 0, 2];
    const RT6: &str = "RT6 (len=2, type=4, segleft=0, last-entry=0, tag=0, [0]::3)";

    fn echo_packet() -> Vec<u8> {
        let mut inner = vec![0x60, 0, 0, 0, 0, 8, 58, 64];
        inner.extend_from_slice(&[&[0u8; 15][..], &[1], &[0; 15], &[2]].concat());
        inner.extend_from_slice(&ECHO);
        inner
    }

    #[test]
    fn packets_carried_after_a_routing_header_go_on_its_line() {
        let mut ipv6_in_ipv6 = srh(41);
        ipv6_in_ipv6.extend_from_slice(&echo_packet());
        assert_eq!(
            line(43, &ipv6_in_ipv6, None),
            format!("ip: ::1 > ::2: {RT6} ::1 > ::2: ICMP6, echo request, id 1, seq 2, length 8\n")
        );
        let mut ethernet = srh(143);
        ethernet.extend_from_slice(&[2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x86, 0xdd]);
        ethernet.extend_from_slice(&echo_packet());
        assert_eq!(
            line(43, &ethernet, None),
            format!(
                "ip: ::1 > ::2: {RT6} 02-00-00-00-00-02 > 02-00-00-00-00-01, ethertype IPv6 \
                 (0x86dd), length 62: ::1 > ::2: ICMP6, echo request, id 1, seq 2, length 8\n"
            )
        );
    }

    #[test]
    fn jumbogram_lengths() {
        // A Hop-by-Hop Jumbo Payload option of 70000 bytes, far more than captured.
        let hbh = |nh: u8| vec![nh, 0, 0xc2, 4, 0, 1, 0x11, 0x70];
        let mut udp = hbh(17);
        udp.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 0]);
        assert_eq!(
            line(0, &udp, Some(0)),
            "ip: ::1 > ::2: HBH truncated-ip6 - 69984 bytes missing!1 > 2: UDP, length 69984\n"
        );
        let mut other = hbh(12);
        other.extend_from_slice(&[0; 4]);
        assert_eq!(
            line(0, &other, Some(0)),
            "ip: ::1 > ::2: HBH truncated-ip6 - 69988 bytes missing! ip-proto-12 69992\n"
        );
    }

    #[test]
    fn fragment_header_needs_its_offset_only_and_lengths_wrap() {
        assert_eq!(
            line(44, &[17, 0, 0, 0], None),
            "ip: ::1 > ::2: frag (0|18446744073709551612)\n"
        );
        assert_eq!(line(44, &[17, 0, 0], None), "ip: ::1 > ::2:  [|frag6]\n");
    }
}
