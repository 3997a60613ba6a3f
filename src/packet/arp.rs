//! ARP and RARP: tcpdump's `Request who-has .. tell ..` lines.

use super::print::Printer;
use super::text::TextOut;
use etherparse::ArpPacketSlice;

#[derive(Debug)]
pub struct Arp<'a> {
    /// `None` when the captured bytes end before the target protocol address.
    pub packet: Option<ArpPacketSlice<'a>>,
    /// Wire length from the ARP header on.
    pub length: u32,
}

impl Printer<'_> {
    pub(super) fn arp(&mut self, arp: &Arp<'_>) {
        let Some(p) = &arp.packet else {
            self.out.s("[|ARP]");
            return;
        };
        if !self.eflag() {
            self.out.s("ARP, ");
        }
        let hrd = p.hw_addr_type().0;
        let pro = p.proto_addr_type().0;
        let op = p.operation().0;
        let ipv4 = (pro == 0x0800 || pro == 0x1000) && p.proto_addr_size() == 4;
        let verbose = self.opts.verbose > 0;
        if !ipv4 || p.hw_addr_size() == 0 || verbose {
            match hrd {
                1 => self.out.s("Ethernet"),
                6 => self.out.s("TokenRing"),
                15 => self.out.s("FrameRelay"),
                19 => self.out.s("ATM"),
                24 => self.out.s("IEEE1394"),
                _ => {
                    self.out.s("Unknown Hardware (");
                    self.out.num(hrd);
                    self.out.s(")");
                }
            }
            self.out.s(" (len ");
            self.out.num(p.hw_addr_size());
            self.out.s("), ");
            self.ether_type_or_hex(pro, "Unknown Protocol (0x", ")");
            self.out.s(" (len ");
            self.out.num(p.proto_addr_size());
            self.out.s(")");
            if !verbose {
                self.length(arp.length);
                return;
            }
            self.out.s(", ");
        }
        let op_name = match op {
            1 => "Request",
            2 => "Reply",
            3 => "Reverse Request",
            4 => "Reverse Reply",
            8 => "Inverse Request",
            9 => "Inverse Reply",
            10 => "NACK Reply",
            _ => "",
        };
        if op_name.is_empty() {
            self.out.s("Unknown (");
            self.out.num(op);
            self.out.s(") ");
        } else {
            self.out.s(op_name);
            self.out.s(" ");
        }
        let proto_addr = |out: &mut Vec<u8>, a: &[u8]| {
            if !ipv4 {
                out.s("<wrong proto type>");
            } else {
                out.ipv4([a[0], a[1], a[2], a[3]]);
            }
        };
        match op {
            1 => {
                self.out.s("who-has ");
                proto_addr(self.out, p.target_protocol_addr());
                if p.target_hw_addr().iter().any(|b| *b != 0) {
                    self.out.s(" (");
                    self.out.mac(p.target_hw_addr());
                    self.out.s(")");
                }
                self.out.s(" tell ");
                proto_addr(self.out, p.sender_protocol_addr());
            }
            2 => {
                proto_addr(self.out, p.sender_protocol_addr());
                self.out.s(" is-at ");
                self.out.mac(p.sender_hw_addr());
            }
            3 | 8 => {
                self.out.s("who-is ");
                self.out.mac(p.target_hw_addr());
                self.out.s(" tell ");
                self.out.mac(p.sender_hw_addr());
            }
            4 => {
                self.out.mac(p.target_hw_addr());
                self.out.s(" at ");
                proto_addr(self.out, p.target_protocol_addr());
            }
            9 => {
                self.out.mac(p.sender_hw_addr());
                self.out.s(" at ");
                proto_addr(self.out, p.sender_protocol_addr());
            }
            // tcpdump dumps the bytes of other operations; the length alone says enough.
            _ => return,
        }
        self.length(arp.length);
    }
}
