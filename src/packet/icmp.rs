//! ICMP and ICMPv6: the message view and tcpdump's printers.

use super::names;
use super::print::{Addrs, Printer, checksum};
use super::text::TextOut;

#[derive(Debug)]
pub struct Icmp<'a> {
    /// Captured ICMP bytes.
    pub data: &'a [u8],
    /// ICMP length on the wire.
    pub length: u32,
    /// Part of a fragmented datagram (no checksum check).
    pub fragmented: bool,
}

impl Icmp<'_> {
    pub fn kind(&self) -> Option<u8> {
        self.data.first().copied()
    }
    pub fn code(&self) -> Option<u8> {
        self.data.get(1).copied()
    }
    pub fn u16_at(&self, at: usize) -> Option<u16> {
        Some(u16::from_be_bytes([
            *self.data.get(at)?,
            *self.data.get(at + 1)?,
        ]))
    }
    pub fn u32_at(&self, at: usize) -> Option<u32> {
        let b = self.data.get(at..at + 4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn bytes_at(&self, at: usize, n: usize) -> Option<&[u8]> {
        self.data.get(at..at + n)
    }
}

impl Printer<'_> {
    pub(super) fn icmp(&mut self, icmp: &Icmp<'_>) {
        match self.icmp_text(icmp) {
            Some(()) => {
                self.length(icmp.length);
                let len = icmp.length as usize;
                if self.opts.verbose > 0 && !icmp.fragmented && icmp.data.len() >= len {
                    let sum = checksum(0, &icmp.data[..len]);
                    if sum != 0 {
                        let field = icmp.u16_at(2).unwrap_or(0);
                        self.cksum_should_be(" (wrong icmp cksum ", field, sum);
                        self.out.s(")");
                    }
                }
            }
            None => self.out.s("[|icmp]"),
        }
    }

    /// `ICMP <what>`; `None` when the bytes it needs were not captured.
    pub(super) fn icmp_text(&mut self, icmp: &Icmp<'_>) -> Option<()> {
        let kind = icmp.kind()?;
        let code = icmp.code()?;
        // Checks what a message type needs before printing anything (tcpdump formats
        // into a buffer first, so a cut-short message prints only the marker).
        let inner_dst = || -> Option<[u8; 4]> {
            let b = icmp.bytes_at(24, 4)?;
            Some([b[0], b[1], b[2], b[3]])
        };
        let mut line: Vec<u8> = Vec::with_capacity(64);
        let l = &mut line;
        match kind {
            0 | 8 => {
                let id = icmp.u16_at(4)?;
                let seq = icmp.u16_at(6)?;
                l.s(if kind == 8 {
                    "echo request, id "
                } else {
                    "echo reply, id "
                });
                l.num(id);
                l.s(", seq ");
                l.num(seq);
            }
            3 => {
                let dst = inner_dst()?;
                match code {
                    2 => {
                        let proto = *icmp.data.get(17)?;
                        l.ipv4(dst);
                        l.s(" protocol ");
                        l.num(proto);
                        l.s(" unreachable");
                    }
                    3 => {
                        let proto = *icmp.data.get(17)?;
                        let hlen = usize::from(icmp.data.get(8)? & 0x0F) * 4;
                        let dport = icmp.u16_at(8 + hlen + 2)?;
                        l.ipv4(dst);
                        match proto {
                            6 => l.s(" tcp port "),
                            17 => l.s(" udp port "),
                            _ => {
                                l.s(" protocol ");
                                l.num(proto);
                                l.s(" port ");
                            }
                        }
                        l.num(dport);
                        l.s(" unreachable");
                    }
                    4 => {
                        let mtu = icmp.u16_at(6).unwrap_or(0);
                        l.ipv4(dst);
                        l.s(" unreachable - need to frag");
                        if mtu != 0 {
                            l.s(" (mtu ");
                            l.num(mtu);
                            l.s(")");
                        }
                    }
                    _ => {
                        let (before, after) = match code {
                            0 => ("net ", " unreachable"),
                            1 => ("host ", " unreachable"),
                            5 => ("", " unreachable - source route failed"),
                            6 => ("net ", " unreachable - unknown"),
                            7 => ("host ", " unreachable - unknown"),
                            8 => ("", " unreachable - source host isolated"),
                            9 => ("net ", " unreachable - admin prohibited"),
                            10 => ("host ", " unreachable - admin prohibited"),
                            11 => ("net ", " unreachable - tos prohibited"),
                            12 => ("host ", " unreachable - tos prohibited"),
                            13 => ("host ", " unreachable - admin prohibited filter"),
                            14 => ("host ", " unreachable - host precedence violation"),
                            15 => ("host ", " unreachable - precedence cutoff"),
                            _ => ("", ""),
                        };
                        if after.is_empty() {
                            l.s("#");
                            l.num(code);
                            l.s(" ");
                            l.ipv4(dst);
                            l.s(" unreachable");
                        } else {
                            l.s(before);
                            l.ipv4(dst);
                            l.s(after);
                        }
                    }
                }
            }
            5 => {
                let dst = inner_dst()?;
                let gw = icmp.bytes_at(4, 4)?;
                let (word, to) = match code {
                    0 => ("redirect ", " to net "),
                    1 => ("redirect ", " to host "),
                    2 => ("redirect-tos ", " to net "),
                    3 => ("redirect-tos ", " to host "),
                    _ => ("", " to net "),
                };
                if word.is_empty() {
                    l.s("redirect-#");
                    l.num(code);
                    l.s(" ");
                } else {
                    l.s(word);
                }
                l.ipv4(dst);
                l.s(to);
                l.ipv4([gw[0], gw[1], gw[2], gw[3]]);
            }
            9 => {
                let num = *icmp.data.get(4)?;
                let size = *icmp.data.get(5)?;
                let lifetime = icmp.u16_at(6)?;
                l.s("router advertisement lifetime ");
                if lifetime < 60 {
                    l.num(lifetime);
                } else if lifetime < 3600 {
                    l.num(lifetime / 60);
                    l.s(":");
                    two_digits(l, lifetime % 60);
                } else {
                    l.num(lifetime / 3600);
                    l.s(":");
                    two_digits(l, (lifetime % 3600) / 60);
                    l.s(":");
                    two_digits(l, lifetime % 60);
                }
                l.s(" ");
                l.num(num);
                l.s(":");
                if size != 2 {
                    l.s(" [size ");
                    l.num(size);
                    l.s("]");
                } else {
                    for i in 0..usize::from(num) {
                        let a = icmp.bytes_at(8 + 8 * i, 4)?;
                        let pref = icmp.u32_at(12 + 8 * i)?;
                        l.s(" {");
                        l.ipv4([a[0], a[1], a[2], a[3]]);
                        l.s(" ");
                        l.num(pref);
                        l.s("}");
                    }
                }
            }
            11 => {
                inner_dst()?;
                match code {
                    0 => l.s("time exceeded in-transit"),
                    1 => l.s("ip reassembly time exceeded"),
                    _ => {
                        l.s("time exceeded-#");
                        l.num(code);
                    }
                }
            }
            12 => {
                if code != 0 {
                    l.s("parameter problem - code ");
                    l.num(code);
                } else {
                    let ptr = *icmp.data.get(4)?;
                    l.s("parameter problem - octet ");
                    l.num(ptr);
                }
            }
            13 => {
                let (id, seq) = (icmp.u16_at(4)?, icmp.u16_at(6)?);
                l.s("time stamp query id ");
                l.num(id);
                l.s(" seq ");
                l.num(seq);
            }
            14 => {
                let (id, seq) = (icmp.u16_at(4)?, icmp.u16_at(6)?);
                let (org, recv, xmit) = (icmp.u32_at(8)?, icmp.u32_at(12)?, icmp.u32_at(16)?);
                l.s("time stamp reply id ");
                l.num(id);
                l.s(" seq ");
                l.num(seq);
                for (label, t) in [(": org ", org), (", recv ", recv), (", xmit ", xmit)] {
                    l.s(label);
                    ms_of_day(l, t);
                }
            }
            18 => {
                let mask = icmp.u32_at(8)?;
                l.s("address mask is 0x");
                l.hex(u64::from(mask), 8);
            }
            _ => match kind {
                4 => l.s("source quench"),
                10 => l.s("router solicitation"),
                15 => l.s("information request"),
                16 => l.s("information reply"),
                17 => l.s("address mask request"),
                _ => {
                    l.s("type-#");
                    l.num(kind);
                }
            },
        }
        self.out.s("ICMP ");
        self.out.extend_from_slice(&line);
        Some(())
    }

    pub(super) fn icmp6(&mut self, icmp: &Icmp<'_>, addrs: Addrs) {
        if icmp.length == 0 {
            self.out.s("ICMP6, length 0 (invalid)");
            return;
        }
        if icmp.data.is_empty() {
            self.out.s("[|icmp6]");
            return;
        }
        if icmp.data.len() < 2 {
            self.out.s("ICMP6, ");
            let kind = icmp.data[0];
            self.name_or_number(names::icmp6_type(kind), "unknown icmp6 type (", kind, ")");
            self.out.s(" [|icmp6]");
            return;
        }
        let kind = icmp.data[0];
        let code = icmp.data[1];
        let verbose = self.opts.verbose;
        let len = icmp.length as usize;
        if verbose > 0 && !icmp.fragmented && icmp.data.len() >= len {
            let field = icmp.u16_at(2).unwrap_or(0);
            let sum = checksum(addrs.pseudo_sum(58, icmp.length), &icmp.data[..len]);
            self.cksum_verdict("icmp6", field, sum);
        }
        self.out.s("ICMP6, ");
        self.name_or_number(names::icmp6_type(kind), "unknown icmp6 type (", kind, ")");
        if verbose > 0 && matches!(kind, 133..=137 | 145 | 147) {
            self.length(icmp.length);
        }
        let addr_at = |at: usize| -> Option<[u8; 16]> { icmp.bytes_at(at, 16)?.try_into().ok() };
        let done = (|| -> Option<bool> {
            match kind {
                1 => {
                    let dst = addr_at(32)?;
                    self.out.s(", ");
                    self.out.s(match code {
                        0 => "unreachable route",
                        1 => " unreachable prohibited",
                        2 => "beyond scope",
                        3 => "unreachable address",
                        4 => "unreachable port",
                        _ => "",
                    });
                    match code {
                        0 | 1 | 3 => {
                            self.out.s(" ");
                            self.out.ipv6(dst);
                        }
                        2 => {
                            let src = addr_at(16)?;
                            self.out.s(" ");
                            self.out.ipv6(dst);
                            self.out.s(", source address ");
                            self.out.ipv6(src);
                        }
                        4 => {
                            let nh = *icmp.data.get(14)?;
                            let dport = icmp.u16_at(48 + 2)?;
                            self.out.s(", ");
                            self.out.ipv6(dst);
                            match nh {
                                6 => self.out.s(" tcp port "),
                                17 => self.out.s(" udp port "),
                                _ => {
                                    self.out.s(" protocol ");
                                    self.out.num(nh);
                                    self.out.s(" port ");
                                }
                            }
                            self.out.num(dport);
                            if !matches!(nh, 6 | 17) {
                                self.out.s(" unreachable");
                            }
                        }
                        _ => {
                            self.out.s("unknown unreach code (");
                            self.out.num(code);
                            self.out.s(")");
                            // tcpdump dumps the rest in hex and stops.
                            return Some(true);
                        }
                    }
                }
                2 => {
                    let mtu = icmp.u32_at(4)?;
                    self.out.s(", mtu ");
                    self.out.num(mtu);
                }
                3 => {
                    let dst = addr_at(32)?;
                    match code {
                        0 => {
                            self.out.s(" for ");
                            self.out.ipv6(dst);
                        }
                        1 => self.out.s(" (reassembly)"),
                        _ => {
                            self.out.s(", unknown code (");
                            self.out.num(code);
                            self.out.s(")");
                        }
                    }
                }
                4 => {
                    addr_at(32)?;
                    let ptr = icmp.u32_at(4)?;
                    match code {
                        0 => self.out.s(", erroneous - octet "),
                        1 => self.out.s(", next header - octet "),
                        2 => self.out.s(", option - octet "),
                        3 => self.out.s(", incomplete header chain - octet "),
                        _ => {
                            self.out.s(", code-#");
                            self.out.num(code);
                            return Some(false);
                        }
                    }
                    self.out.num(ptr);
                }
                128 | 129 => {
                    // tcpdump 4.99 prints the identifier; Windows pktmon's printer (an
                    // older tcpdump's) only the sequence number.
                    if !self.opts.windows_printers {
                        let id = icmp.u16_at(4)?;
                        self.out.s(", id ");
                        self.out.num(id);
                    }
                    let seq = icmp.u16_at(6)?;
                    self.out.s(", seq ");
                    self.out.num(seq);
                }
                130..=132 => {
                    if kind == 130 && icmp.length != 24 {
                        if icmp.length >= 28 {
                            self.out.s(" v2");
                            self.mldv2_query(icmp)?;
                        } else {
                            self.out.s(" unknown-version (len ");
                            self.out.num(icmp.length);
                            self.out.s(") ");
                        }
                    } else {
                        let delay = icmp.u16_at(4)?;
                        let addr = addr_at(8)?;
                        self.out.s("max resp delay: ");
                        self.out.num(delay);
                        self.out.s(" addr: ");
                        self.out.ipv6(addr);
                    }
                }
                135 => {
                    let target = addr_at(8)?;
                    self.out.s(", who has ");
                    self.out.ipv6(target);
                }
                136 => {
                    let target = addr_at(8)?;
                    self.out.s(", tgt is ");
                    self.out.ipv6(target);
                }
                137 => {
                    let dst = addr_at(24)?;
                    self.out.s(", ");
                    self.out.ipv6(dst);
                    let target = addr_at(8)?;
                    self.out.s(" to ");
                    self.out.ipv6(target);
                }
                143 => {
                    let groups = icmp.u16_at(6)?;
                    self.out.s(", ");
                    self.out.num(groups);
                    self.out.s(" group record(s)");
                }
                144 | 146 => {
                    let id = icmp.u16_at(4)?;
                    self.out.s(", id 0x");
                    self.out.hex(u64::from(id), 4);
                }
                138 => super::icmp6_rrenum::print(self.out, icmp.data)?,
                139 | 140 => super::icmp6_nodeinfo::print(
                    self.out,
                    &icmp.data[..icmp.data.len().min(len)],
                    icmp.length,
                ),
                155 => super::icmp6_rpl::print(self.out, code),
                133 | 134 | 141 | 142 | 145 | 147 => {}
                _ => {
                    self.length(icmp.length);
                    if verbose <= 1 {
                        // A type tcpdump has no printer for: its bytes in hex.
                        let shown = icmp.data.len().min(len);
                        super::hexdump::hex_only(self.out, &icmp.data[..shown], b"\t");
                    }
                    return Some(true);
                }
            }
            Some(false)
        })();
        match done {
            None => self.out.s("[|icmp6]"),
            Some(true) => {}
            Some(false) => {
                if verbose == 0 {
                    self.length(icmp.length);
                }
            }
        }
    }
}

impl Printer<'_> {
    /// An MLDv2 query's ` [gaddr G, N source(s)]` (and, with -v, its timers).
    fn mldv2_query(&mut self, icmp: &Icmp<'_>) -> Option<()> {
        let mrc = u32::from(icmp.u16_at(4)?);
        if self.opts.verbose > 0 {
            // RFC 3810 §5.1.3: from 32768 on, a floating-point code.
            let mrt = if mrc < 32768 {
                mrc
            } else {
                ((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)
            };
            self.out.s(" [max resp delay=");
            self.out.num(mrt);
            self.out.s("]");
        }
        let group: [u8; 16] = icmp.bytes_at(8, 16)?.try_into().ok()?;
        self.out.s(" [gaddr ");
        self.out.ipv6(group);
        if self.opts.verbose > 0 {
            let (s_qrv, qqic) = (*icmp.data.get(24)?, *icmp.data.get(25)?);
            if s_qrv & 0x08 != 0 {
                self.out.s(" sflag");
            }
            if s_qrv & 0x07 != 0 {
                self.out.s(" robustness=");
                self.out.num(s_qrv & 0x07);
            }
            let qqi = if qqic < 128 {
                u32::from(qqic)
            } else {
                u32::from((qqic & 0x0f) | 0x10) << (((qqic & 0x70) >> 4) + 3)
            };
            self.out.s(" qqi=");
            self.out.num(qqi);
        }
        let sources = u32::from(icmp.u16_at(26)?);
        if sources > 0 {
            if icmp.length < 28 + sources * 16 {
                self.out.s(" [invalid number of sources]");
            } else if self.opts.verbose > 1 {
                self.out.s(" {");
                for i in 0..sources as usize {
                    let a: [u8; 16] = icmp.bytes_at(28 + 16 * i, 16)?.try_into().ok()?;
                    self.out.s(" ");
                    self.out.ipv6(a);
                }
                self.out.s(" }");
            } else {
                self.out.s(", ");
                self.out.num(sources);
                self.out.s(" source(s)");
            }
        }
        self.out.s("]");
        Some(())
    }
}

pub(super) fn two_digits(out: &mut Vec<u8>, n: u16) {
    if n < 10 {
        out.s("0");
    }
    out.num(n);
}

/// Milliseconds since midnight UTC as `hh:mm:ss.mmm` (tcpdump's ICMP timestamps).
pub(super) fn ms_of_day(out: &mut Vec<u8>, t: u32) {
    if t & 0x8000_0000 != 0 {
        out.s("[not standard]");
        return;
    }
    let (h, m, s, ms) = (t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
    for (i, v) in [h, m, s].into_iter().enumerate() {
        if i > 0 {
            out.s(":");
        }
        if v < 10 {
            out.s("0");
        }
        out.num(v);
    }
    out.s(".");
    if ms < 100 {
        out.s("0");
    }
    if ms < 10 {
        out.s("0");
    }
    out.num(ms);
}
