//! UDP: the datagram view, its decode (ports → application) and tcpdump's printer.

use super::decode::{Addressing, App, Decoder, Printed, be16};
use super::dns;
use super::memory::Flow;
use super::print::{Addrs, Printer, checksum};
use super::text::TextOut;

#[derive(Debug)]
pub struct Udp<'a> {
    pub addressing: Addressing,
    /// Captured bytes from the UDP header on.
    pub raw: &'a [u8],
    /// Part of a fragmented datagram (no checksum check).
    pub fragmented: bool,
    pub ports: Option<(u16, u16)>,
    /// The UDP length field, when captured (a jumbogram's: the IP payload length).
    pub udp_length: Option<u32>,
    /// Wire length handed to UDP (from the IP header).
    pub length: u32,
    pub payload: &'a [u8],
    pub app: App<'a>,
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn udp(
        &mut self,
        data: &'a [u8],
        len: u32,
        addressing: Addressing,
        frag: bool,
    ) -> Udp<'a> {
        let ports = be16(data, 0).zip(be16(data, 2));
        // A zero length field in a datagram longer than it can say is an IPv6
        // jumbogram's (RFC 2675): the IP payload length stands in.
        let udp_length = be16(data, 4).map(|l| match l {
            0 if len > 65535 => len,
            l => u32::from(l),
        });
        let mut udp = Udp {
            addressing,
            raw: data,
            fragmented: frag,
            ports,
            udp_length,
            length: len,
            payload: data.get(8..).unwrap_or(&[]),
            app: App::None,
        };
        let (Some((sport, dport)), Some(ulen)) = (ports, udp_length) else {
            return udp;
        };
        if len < 8 || ulen < 8 || data.len() < 8 {
            return udp;
        }
        let payload_len = (ulen - 8).min(len - 8);
        udp.app = super::dispatch::udp_app(self, (sport, dport), udp.payload, payload_len);
        udp
    }
}

impl Printer<'_> {
    pub(super) fn udp(&mut self, udp: &Udp<'_>, addrs: Addrs, v4: bool) {
        let Some(ports) = udp.ports else {
            if udp.addressing == Addressing::WithAddresses {
                addrs.pair(self.out, None);
                self.out.s(": ");
            }
            self.out.s("[|udp]");
            return;
        };
        if udp.length < 8 {
            self.ports_prefix(udp.addressing, addrs, ports);
            self.out.s("truncated-udp ");
            self.out.num(udp.length);
            return;
        }
        let Some(ulen) = udp.udp_length else {
            self.ports_prefix(udp.addressing, addrs, ports);
            self.out.s("[|udp]");
            return;
        };
        if ulen < 8 {
            self.ports_prefix(udp.addressing, addrs, ports);
            self.out.s("truncated-udplength ");
            self.out.num(ulen);
            return;
        }
        let ulen = ulen - 8;
        let length = (udp.length - 8).min(ulen);
        self.ports_prefix(udp.addressing, addrs, ports);
        if udp.raw.len() < 8 {
            self.out.s("[|udp]");
            return;
        }
        if self.opts.brief {
            self.udp_length(ulen, length);
            return;
        }
        let flow = Flow::new(addrs, ports);
        if let App::Nfs(r) = &udp.app {
            r.print(self.out, self.line_start, &flow, self.memory);
            return;
        }
        let verbose = self.opts.verbose;
        let check = match addrs {
            Addrs::V4(..) => verbose > 1,
            Addrs::V6(..) => verbose > 0,
        };
        if check && !udp.fragmented {
            let field = u16::from_be_bytes([udp.raw[6], udp.raw[7]]);
            let total = length + 8;
            if v4 && field == 0 {
                self.out.s("[no cksum] ");
            } else if udp.raw.len() as u32 >= total {
                let sum = checksum(addrs.pseudo_sum(17, total), &udp.raw[..total as usize]);
                self.cksum_verdict("udp", field, sum);
            }
        }
        match &udp.app {
            App::Dns { message, multicast } => {
                dns::print(
                    self.out,
                    *message,
                    *multicast,
                    verbose,
                    self.opts.windows_dns_truncation,
                );
            }
            App::Dhcp6(payload) => super::dhcp6::print(self.out, payload, verbose),
            App::Vxlan { flags, vni } => {
                self.out.s("VXLAN, flags [");
                self.out.s(if flags & 0x08 != 0 { "I" } else { "." });
                self.out.s("] (0x");
                self.out.hex(u64::from(*flags), 2);
                self.out.s("), vni ");
                self.out.num(*vni);
            }
            App::VxlanTruncated => self.out.s("[|VXLAN]"),
            App::Geneve(data, len) => super::geneve::print(self.out, data, *len, self.eflag()),
            App::Otv(data, len) => super::otv::print(self.out, data, *len),
            App::Printed(p) => p.print(self.out, self.line_start),
            App::PrintedPerIp(p, v6) => {
                let print = if v4 { p.print } else { *v6 };
                Printed { print, ..*p }.print(self.out, self.line_start)
            }
            App::Bfd(port, payload, len) => super::bfd::print(self.out, *port, payload, *len),
            App::Remembered(r) => r.print(self.out, self.line_start, &flow, self.memory),
            App::Carried | App::Nfs(_) => {}
            App::None | App::Http(_) | App::Bgp => self.udp_length(ulen, length),
        }
    }

    pub(super) fn udp_length(&mut self, ulen: u32, length: u32) {
        if ulen > length {
            self.out.s("UDP, bad length ");
            self.out.num(ulen);
            self.out.s(" > ");
            self.out.num(length);
        } else {
            self.out.s("UDP, length ");
            self.out.num(ulen);
        }
    }
}
