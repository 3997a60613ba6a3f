//! TCP: the segment view, its decode (ports → application) and tcpdump's printer
//! (flags, absolute sequence numbers, options).

use super::decode::{Addressing, App, Decoder, be16};
use super::dns;
use super::memory::Flow;
use super::names;
use super::print::{Addrs, Printer, checksum, should_be};
use super::text::TextOut;
use etherparse::TcpHeaderSlice;

#[derive(Debug)]
pub struct Tcp<'a> {
    pub addressing: Addressing,
    /// Captured bytes from the TCP header on.
    pub raw: &'a [u8],
    /// `(source, destination)` when at least 4 bytes were captured.
    pub ports: Option<(u16, u16)>,
    /// The whole header with options, when captured and well formed.
    pub header: Option<TcpHeaderSlice<'a>>,
    /// The data offset field times 4 (may be below 20 in a broken header).
    pub header_len: u32,
    /// Segment length on the wire (header + payload).
    pub length: u32,
    /// Captured payload bytes.
    pub payload: &'a [u8],
    pub app: App<'a>,
}

impl<'a> Decoder<'_, 'a> {
    pub(super) fn tcp(&mut self, data: &'a [u8], len: u32, addressing: Addressing) -> Tcp<'a> {
        let ports = be16(data, 0).zip(be16(data, 2));
        let header_len = data.get(12).map_or(0, |b| u32::from(b >> 4) * 4);
        let header = if header_len >= 20 {
            TcpHeaderSlice::from_slice(data).ok()
        } else {
            None
        };
        let payload = match &header {
            Some(h) => &data[h.slice().len()..],
            None => &[],
        };
        let mut tcp = Tcp {
            addressing,
            raw: data,
            ports,
            header,
            header_len,
            length: len,
            payload,
            app: App::None,
        };
        if let (Some((sport, dport)), Some(_)) = (tcp.ports, &tcp.header)
            && len > header_len
        {
            let seg_len = len - header_len;
            tcp.app = super::dispatch::tcp_app((sport, dport), payload, seg_len);
        }
        tcp
    }
}

impl Printer<'_> {
    pub(super) fn tcp(&mut self, tcp: &Tcp<'_>, addrs: Addrs, v4: bool) {
        let Some(ports) = tcp.ports else {
            addrs.pair(self.out, None);
            self.out.s(": [|tcp]");
            return;
        };
        self.ports_prefix(tcp.addressing, addrs, ports);
        let raw = tcp.raw;
        if raw.len() < 20 {
            self.out.s("[|tcp]");
            return;
        }
        let hlen = tcp.header_len;
        let length = tcp.length;
        if hlen < 20 {
            self.out.s(" tcp ");
            self.out.num(i64::from(length) - i64::from(hlen));
            self.out.s(" [bad hdr length ");
            self.out.num(hlen);
            self.out.s(" - too short, < 20]");
            return;
        }
        let be32 = |at: usize| u32::from_be_bytes([raw[at], raw[at + 1], raw[at + 2], raw[at + 3]]);
        let seq = be32(4);
        let ack = be32(8);
        let flags = raw[13];
        let win = u16::from_be_bytes([raw[14], raw[15]]);
        let urp = u16::from_be_bytes([raw[18], raw[19]]);
        if self.opts.brief {
            self.out.s("tcp ");
            self.out.num(i64::from(length) - i64::from(hlen));
            if hlen > length {
                self.too_long(hlen, length);
            }
            return;
        }
        self.out.s("Flags [");
        self.out.bit_letters(
            flags,
            &[
                (0x01, "F"),
                (0x02, "S"),
                (0x04, "R"),
                (0x08, "P"),
                (0x10, "."),
                (0x20, "U"),
                (0x40, "E"),
                (0x80, "W"),
            ],
        );
        self.out.s("]");
        if hlen > length {
            self.too_long(hlen, length);
            return;
        }
        if self.opts.verbose > 0 && (raw.len() as u32) >= length {
            let field = u16::from_be_bytes([raw[16], raw[17]]);
            let sum = checksum(addrs.pseudo_sum(6, length), &raw[..length as usize]);
            let v6_ok = !matches!(addrs, Addrs::V6(..)) || length > 0;
            if v6_ok {
                self.out.s(", cksum 0x");
                self.out.hex(u64::from(field), 4);
                if sum != 0 {
                    self.out.s(" (incorrect -> 0x");
                    self.out.hex(u64::from(should_be(field, sum)), 4);
                    self.out.s(")");
                } else {
                    self.out.s(" (correct)");
                }
            }
        }
        let _ = v4;
        let payload_len = length - hlen;
        if self.opts.verbose > 1 || payload_len > 0 || flags & 0x07 != 0 {
            self.out.s(", seq ");
            self.out.num(seq);
            if payload_len > 0 {
                self.out.s(":");
                self.out.num(seq.wrapping_add(payload_len));
            }
        }
        if flags & 0x10 != 0 {
            self.out.s(", ack ");
            self.out.num(ack);
        }
        self.out.s(", win ");
        self.out.num(win);
        if flags & 0x20 != 0 {
            self.out.s(", urg ");
            self.out.num(urp);
        }
        // tcpdump (built with libcrypto) checks an MD5 signature over the whole segment.
        let whole_segment = raw.len() as u64 >= u64::from(length);
        if hlen > 20 && !self.tcp_options(raw, hlen as usize, whole_segment) {
            return;
        }
        self.length(payload_len);
        if payload_len == 0 {
            return;
        }
        if raw.len() < hlen as usize {
            // The options ended the capture (an end-of-list option stopped their reading).
            self.out.s(" [remaining caplen(");
            self.out.num(raw.len());
            self.out.s(") < header length(");
            self.out.num(hlen);
            self.out.s(")] ");
            self.tcp_trunc();
            return;
        }
        match &tcp.app {
            App::Http(payload) => {
                self.out.s(": ");
                self.http(payload, payload_len);
            }
            App::Bgp => self.out.s(": BGP"),
            // A TCP application prints its own separator (some print nothing at all).
            App::Printed(p) => p.print(self.out, self.line_start),
            App::Remembered(r) => {
                let flow = Flow::new(addrs, ports);
                r.print(self.out, self.line_start, &flow, self.memory);
            }
            App::Dns { message, multicast } => {
                self.out.s(" ");
                dns::print(
                    self.out,
                    *message,
                    *multicast,
                    self.opts.verbose,
                    self.opts.windows_dns_truncation,
                );
            }
            _ => {}
        }
    }

    pub(super) fn too_long(&mut self, hlen: u32, length: u32) {
        self.out.s(" [bad hdr length ");
        self.out.num(hlen);
        self.out.s(" - too long, > ");
        self.out.num(length);
        self.out.s("]");
    }

    /// `, options [mss 1460,nop,...]`; false when tcpdump stops the line inside them.
    pub(super) fn tcp_options(&mut self, raw: &[u8], hlen: usize, whole_segment: bool) -> bool {
        self.out.s(", options [");
        let end = hlen.min(raw.len());
        let mut cp = 20usize;
        let mut left = hlen - 20;
        let mut first = true;
        while left > 0 {
            if !first {
                self.out.s(",");
            }
            // tcpdump closes the bracket after `[bad opt]` only past the first option.
            let opening = first;
            first = false;
            let Some(&opt) = raw.get(cp).filter(|_| cp < end) else {
                return self.tcp_trunc();
            };
            cp += 1;
            let len = if opt <= 1 {
                1
            } else {
                let Some(&l) = raw.get(cp).filter(|_| cp < end) else {
                    return self.tcp_trunc();
                };
                cp += 1;
                let l = usize::from(l);
                if l < 2 || l > left {
                    return self.bad_option(opening);
                }
                left -= 1;
                l
            };
            left -= 1;
            self.name_or_number(names::tcp_option(opt), "unknown-", opt, "");
            // Bytes of option data tcpdump reads, and whether they are there.
            let data_len = match opt {
                2 => 2,
                3 => 1,
                6 | 7 | 11..=13 => 4,
                8 => 8,
                19 => 16,
                20 | 28 => 2,
                0 | 1 | 4 => 0,
                _ => len - 2,
            };
            if data_len > left {
                return self.bad_option(opening);
            }
            let captured = raw.get(cp..end.max(cp)).unwrap_or(&[]);
            let d = if opt == TCP_AO || is_dumped(opt) {
                // tcpdump prints TCP-AO's fields and an unknown option's bytes as far as
                // they were captured.
                &captured[..captured.len().min(data_len)]
            } else {
                let Some(d) = raw.get(cp..cp + data_len).filter(|_| cp + data_len <= end) else {
                    return self.tcp_trunc();
                };
                d
            };
            let be16 = |at: usize| u16::from_be_bytes([d[at], d[at + 1]]);
            let be32 = |at: usize| u32::from_be_bytes([d[at], d[at + 1], d[at + 2], d[at + 3]]);
            match opt {
                2 => {
                    self.out.s(" ");
                    self.out.num(be16(0));
                }
                3 => {
                    self.out.s(" ");
                    self.out.num(d[0]);
                }
                5 => {
                    if data_len % 8 != 0 {
                        self.out.s(" invalid sack");
                    } else {
                        self.out.s(" ");
                        self.out.num(data_len / 8);
                        self.out.s(" ");
                        for block in d.chunks_exact(8) {
                            self.out.s("{");
                            self.out
                                .num(u32::from_be_bytes([block[0], block[1], block[2], block[3]]));
                            self.out.s(":");
                            self.out
                                .num(u32::from_be_bytes([block[4], block[5], block[6], block[7]]));
                            self.out.s("}");
                        }
                    }
                }
                6 | 7 | 11..=13 => {
                    self.out.s(" ");
                    self.out.num(be32(0));
                }
                8 => {
                    self.out.s(" val ");
                    self.out.num(be32(0));
                    self.out.s(" ecr ");
                    self.out.num(be32(4));
                }
                19 => {
                    self.out.s(" ");
                    // Without the shared secret tcpdump cannot check the signature and
                    // says why; Windows pktmon's printer (no crypto) only shows it.
                    if !self.opts.windows_printers {
                        self.out.s(if whole_segment {
                            "shared secret not supplied with -M, can't check - "
                        } else {
                            "snaplen too short, can't check - "
                        });
                    }
                    for b in d {
                        self.out.hex(u64::from(*b), 2);
                    }
                }
                20 => {
                    self.out.s(" cap ");
                    self.out.hex(u64::from(d[0]), 2);
                    self.out.s(" id ");
                    self.out.num(d[1]);
                }
                28 => {
                    // User timeout: 15 bits of minutes or seconds (in u32: minutes * 60
                    // overflows u16).
                    let v = u32::from(be16(0));
                    self.out.s(" 0x");
                    self.out.hex(u64::from(v), 0);
                    self.out.s(" ");
                    self.out
                        .num(if v & 1 != 0 { (v >> 1) * 60 } else { v >> 1 });
                }
                0 | 1 | 4 => {}
                TCP_AO => {
                    if data_len < 2 {
                        self.out.s(" (invalid)");
                    } else {
                        for (i, &b) in d.iter().enumerate() {
                            match i {
                                0 => self.out.s(" keyid "),
                                1 => self.out.s(" rnextkeyid "),
                                2 => self.out.s(" mac 0x"),
                                _ => {}
                            }
                            if i < 2 {
                                self.out.num(b);
                            } else {
                                self.out.hex(u64::from(b), 2);
                            }
                        }
                        if d.len() < data_len {
                            self.out.s(" ");
                            return self.tcp_trunc();
                        }
                    }
                }
                30 => {
                    if !super::mptcp::print_option(self.out, len, d, raw[13]) {
                        return self.bad_option(opening);
                    }
                }
                34 => {
                    self.out.s(" ");
                    fast_open(self.out, d, false);
                }
                254 => {
                    let Some(magic) = d.get(..2).map(|_| be16(0)) else {
                        return self.bad_option(opening);
                    };
                    self.out.s("-");
                    if magic == FAST_OPEN_MAGIC {
                        fast_open(self.out, &d[2..], true);
                    } else {
                        self.out.hex(u64::from(magic), 4);
                    }
                }
                _ => {
                    if data_len > 0 {
                        self.out.s(" 0x");
                        for b in d {
                            self.out.hex(u64::from(*b), 2);
                        }
                    }
                    if d.len() < data_len {
                        self.out.s(" ");
                        return self.tcp_trunc();
                    }
                }
            }
            cp += data_len;
            left -= data_len;
            let expected = data_len + 1 + usize::from(opt > 1);
            if expected != len {
                self.out.s("[len ");
                self.out.num(len);
                self.out.s("]");
            }
            if opt == 0 {
                break;
            }
        }
        self.out.s("]");
        true
    }

    /// `[bad opt]` ends the line; past the first option tcpdump closes the list.
    fn bad_option(&mut self, opening: bool) -> bool {
        self.out.s("[bad opt]");
        if !opening {
            self.out.s("]");
        }
        false
    }

    pub(super) fn tcp_trunc(&mut self) -> bool {
        self.out.s("[|tcp]");
        false
    }
}

/// Options tcpdump has no printer for: their bytes in hex.
fn is_dumped(opt: u8) -> bool {
    !matches!(opt, 0..=8 | 11..=13 | 19 | 20 | 28..=30 | 34 | 254)
}

/// The experimental-option magic number of TCP Fast Open (RFC 6994, RFC 7413).
const FAST_OPEN_MAGIC: u16 = 0xf989;

/// A Fast Open option's data: a cookie request (empty) or the cookie in hex.
fn fast_open(out: &mut Vec<u8>, cookie: &[u8], experimental: bool) {
    if experimental {
        out.s("tfo");
    }
    if cookie.is_empty() {
        out.s(" cookiereq");
    } else if !cookie.len().is_multiple_of(2) || cookie.len() < 4 || cookie.len() > 16 {
        out.s(" (invalid)");
    } else {
        out.s(" cookie ");
        for &b in cookie {
            out.hex(u64::from(b), 2);
        }
    }
}

/// TCP Authentication Option (RFC 5925).
const TCP_AO: u8 = 29;

#[cfg(test)]
mod tests {
    #[test]
    fn header_cut_after_an_end_of_options() {
        // Header length 28, 24 bytes captured: the end-of-list option stops the options.
        let mut frame = vec![
            0x45, 0, 0, 58, 0, 0, 0, 0, 0x40, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
        ];
        frame.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0x70, 0x10, 0, 5]);
        frame.extend_from_slice(&[0; 8]);
        assert_eq!(
            crate::packet::text::frame_text(crate::record::LinkType::RAW, &frame, 58),
            "ip: 1.2.3.4.1 > 5.6.7.8.2: Flags [.], seq 3:13, ack 4, win 5, options [eol], \
             length 10 [remaining caplen(24) < header length(28)] [|tcp]\n"
        );
    }

    #[test]
    fn unknown_option_cut_short_prints_what_was_captured() {
        // Header length 32: an option 48 of length 10 with only 2 of its 8 data bytes.
        let mut frame = vec![
            0x45, 0, 0, 0x40, 0, 0, 0, 0, 0x40, 6, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8,
        ];
        frame.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0x80, 0x10, 0, 5]);
        frame.extend_from_slice(&[0, 0, 0, 0, 48, 10, 0xab, 0xcd]);
        assert_eq!(
            crate::packet::text::frame_text(crate::record::LinkType::RAW, &frame, 64),
            "ip: 1.2.3.4.1 > 5.6.7.8.2: Flags [.], seq 3:15, ack 4, win 5, \
             options [unknown-48 0xabcd [|tcp]\n"
        );
    }
}
