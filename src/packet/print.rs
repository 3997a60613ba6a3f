//! Printing a [`Decoded`] frame as pktmon's TAB-indented decode lines: one line per
//! encapsulation level, in the words of tcpdump 4.9's printers (which pktmon embeds: its
//! lines match them, down to the double space before `ip-proto-N`), with pktmon's link
//! layer form (`54-8C-A0-98-0E-25 > 3C-84-6A-01-EA-8B, ethertype IPv4 (0x0800), length 54: `).
//!
//! pktmon prints the link header (tcpdump's `-e`) and absolute sequence numbers
//! (tcpdump's `-S`); `-e/--no-ethernet` drops the link header as tcpdump without `-e`.

use super::decode::{Addressing, Decoded};
use super::memory::CaptureMemory;
use super::names;
use super::text::TextOut;

/// How much to print.
#[derive(Clone, Copy, Debug, Default)]
pub struct PrintOptions {
    /// Leave out the link-layer header (pktmon `-e/--no-ethernet`).
    pub no_link_header: bool,
    /// Abbreviated lines (pktmon `-b/--brief`, tcpdump's `-q`).
    pub brief: bool,
    /// 0..=3 (pktmon `-v`, tcpdump's `-v`..`-vvv`).
    pub verbose: u8,
    /// Print 802.11 addresses as Windows pktmon does (its third address is a copy of
    /// the first, its fourth of the second), to reproduce `pktmon format` on Windows
    /// logs; otherwise the real addresses, as tcpdump prints them.
    pub windows_wifi_addresses: bool,
    /// Print DNS cut short inside a record as Windows pktmon does (`A [|domain]`, a space
    /// before the mark) for its logs; otherwise tcpdump's `A[|domain]`.
    pub windows_dns_truncation: bool,
    /// Only the printers Windows pktmon has, for its logs: it prints IGMP as `ip-proto-2`.
    pub windows_printers: bool,
}

/// Appends one line per level of `d` to `out`, each starting with `line_start` (e.g. a
/// TAB) and ending with `\n`.
pub fn print_lines(
    out: &mut Vec<u8>,
    d: &Decoded<'_>,
    opts: &PrintOptions,
    line_start: &[u8],
    memory: &mut CaptureMemory,
) {
    for (i, level) in d.levels.iter().enumerate() {
        if d.continues_line(i) {
            // Reopen the line before: the level's printer ended it with a space.
            out.pop();
        } else {
            out.extend_from_slice(line_start);
        }
        Printer {
            out,
            opts,
            line_start,
            memory,
        }
        .level(level);
        out.push(b'\n');
    }
}

/// `HTTP` and the first line of an HTTP request or response (`hex2pkt --type HTTP`).
pub fn print_http(out: &mut Vec<u8>, payload: &[u8]) {
    let opts = PrintOptions::default();
    Printer {
        out,
        opts: &opts,
        line_start: b"",
        memory: &mut CaptureMemory::default(),
    }
    .http(payload, payload.len() as u32);
}

/// Source and destination of the enclosing IP datagram.
#[derive(Clone, Copy)]
pub enum Addrs {
    V4([u8; 4], [u8; 4]),
    V6([u8; 16], [u8; 16]),
}

impl Addrs {
    pub(super) fn src(self, out: &mut Vec<u8>) {
        match self {
            Addrs::V4(s, _) => out.ipv4(s),
            Addrs::V6(s, _) => out.ipv6(s),
        }
    }
    pub(super) fn dst(self, out: &mut Vec<u8>) {
        match self {
            Addrs::V4(_, d) => out.ipv4(d),
            Addrs::V6(_, d) => out.ipv6(d),
        }
    }
    /// `src > dst` with a separator after each address's port, if any.
    pub fn pair(self, out: &mut Vec<u8>, ports: Option<(u16, u16)>) {
        self.src(out);
        if let Some((s, _)) = ports {
            out.s(".");
            out.num(s);
        }
        out.s(" > ");
        self.dst(out);
        if let Some((_, d)) = ports {
            out.s(".");
            out.num(d);
        }
    }
    /// The pseudo-header sum for transport checksums.
    pub(super) fn pseudo_sum(self, protocol: u8, len: u32) -> u32 {
        let mut sum = u32::from(protocol) + (len >> 16) + (len & 0xFFFF);
        let mut add = |b: &[u8]| {
            for c in b.chunks(2) {
                sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
            }
        };
        let (s, d): (&[u8], &[u8]) = match &self {
            Addrs::V4(s, d) => (s, d),
            Addrs::V6(s, d) => (s, d),
        };
        add(s);
        add(d);
        sum
    }
}

/// One's complement sum of `data` folded to 16 bits, started from `sum`.
pub(super) fn checksum(mut sum: u32, data: &[u8]) -> u16 {
    let mut chunks = data.chunks_exact(2);
    for c in &mut chunks {
        sum += u32::from(u16::from_be_bytes([c[0], c[1]]));
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    if let [last] = chunks.remainder() {
        sum += u32::from(*last) << 8;
    }
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

/// The value a checksum field should have had (tcpdump's `in_cksum_shouldbe`).
pub(super) fn should_be(field: u16, sum: u16) -> u16 {
    let mut s = u32::from(!field) + u32::from(!sum);
    s = (s & 0xFFFF) + (s >> 16);
    s = (s & 0xFFFF) + (s >> 16);
    !(s as u16)
}

pub(super) struct Printer<'p> {
    pub(super) out: &'p mut Vec<u8>,
    pub(super) opts: &'p PrintOptions,
    /// What starts each line (continuation lines of a hex dump too).
    pub(super) line_start: &'p [u8],
    /// What printers remember from earlier packets of the capture.
    pub(super) memory: &'p mut CaptureMemory,
}

impl Printer<'_> {
    pub(super) fn eflag(&self) -> bool {
        !self.opts.no_link_header
    }

    /// `IPv4 (0x0800)`: an ether type's name (`unknown` when it has none) and number.
    pub(super) fn ether_type_and_number(&mut self, t: u16, unknown: &str) {
        self.out.s(names::ether_type(t).unwrap_or(unknown));
        self.out.s(" (0x");
        self.out.hex(u64::from(t), 4);
        self.out.s(")");
    }

    /// An ether type's name, or its number in hex between `before` and `after`.
    pub(super) fn ether_type_or_hex(&mut self, t: u16, before: &str, after: &str) {
        match names::ether_type(t) {
            Some(n) => self.out.s(n),
            None => {
                self.out.s(before);
                self.out.hex(u64::from(t), 4);
                self.out.s(after);
            }
        }
    }

    /// A value's name, or its number between `before` and `after`.
    pub(super) fn name_or_number(
        &mut self,
        name: Option<&str>,
        before: &str,
        n: impl itoa::Integer,
        after: &str,
    ) {
        match name {
            Some(name) => self.out.s(name),
            None => {
                self.out.s(before);
                self.out.num(n);
                self.out.s(after);
            }
        }
    }

    /// The names of the bits set in `bits` (see [`TextOut::bit_names`]).
    pub(super) fn bit_names(&mut self, bits: u16, names: &[(u16, &str)]) {
        self.out.bit_names(bits, names);
    }

    /// `, length N`, how tcpdump ends most lines.
    pub(super) fn length(&mut self, n: impl itoa::Integer) {
        self.out.s(", length ");
        self.out.num(n);
    }

    /// `<label>1a2b (->3c4d)!`: a checksum field in error and the value it should have
    /// had (tcpdump's IPv4 and ICMP form).
    pub(super) fn cksum_should_be(&mut self, label: &str, field: u16, sum: u16) {
        self.out.s(label);
        self.out.hex(u64::from(field), 0);
        self.out.s(" (->");
        self.out.hex(u64::from(should_be(field, sum)), 0);
        self.out.s(")!");
    }

    /// `[bad udp cksum 0x1a2b -> 0x3c4d!] ` or `[udp sum ok] ` (tcpdump's UDP and ICMPv6
    /// form); `sum` is the folded sum, 0 when the checksum is right.
    pub(super) fn cksum_verdict(&mut self, proto: &str, field: u16, sum: u16) {
        self.out.s("[");
        if sum != 0 {
            self.out.s("bad ");
            self.out.s(proto);
            self.out.s(" cksum 0x");
            self.out.hex(u64::from(field), 4);
            self.out.s(" -> 0x");
            self.out.hex(u64::from(should_be(field, sum)), 4);
            self.out.s("!] ");
        } else {
            self.out.s(proto);
            self.out.s(" sum ok] ");
        }
    }

    /// `ESP(spi=0x00000001,seq=0x2)` (tcpdump's AH and ESP form).
    pub(super) fn spi_seq(&mut self, name: &str, spi: u32, seq: u32) {
        self.out.s(name);
        self.out.s("(spi=0x");
        self.out.hex(u64::from(spi), 8);
        self.out.s(",seq=0x");
        self.out.hex(u64::from(seq), 0);
        self.out.s(")");
    }

    pub(super) fn ports_prefix(&mut self, addressing: Addressing, addrs: Addrs, ports: (u16, u16)) {
        match addressing {
            Addressing::WithAddresses => addrs.pair(self.out, Some(ports)),
            Addressing::PortsOnly => {
                self.out.num(ports.0);
                self.out.s(" > ");
                self.out.num(ports.1);
            }
        }
        self.out.s(": ");
    }
}
