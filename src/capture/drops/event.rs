//! `DropEvent`, one packet the kernel dropped, and the decoding shared by the sources.

use super::program::{self, MAC_UNSET, rec};
use super::reasons::ReasonTable;
use crate::capture::bpf::RealtimeClock;
use crate::capture::bpf::bytes::{u16_at, u32_at, u64_at};
use crate::capture::bpf::kallsyms::Kallsyms;
use crate::record::{Direction, LinkType, PacketRecord, RecordKind};
use std::borrow::Cow;

use crate::capture::bpf::kernel::{ARPHRD_ETHER, ARPHRD_LOOPBACK, ETH_HLEN};
use crate::packet::numbers::ether_type::{IPV4 as ETHERTYPE_IPV4, IPV6 as ETHERTYPE_IPV6};

/// One packet dropped by the kernel's stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropEvent {
    /// Nanoseconds since the Unix epoch.
    pub timestamp_ns: u64,
    /// The kernel's reason name without its prefix, e.g. `NO_SOCKET`.
    pub reason: String,
    /// `symbol+0xoff`, or the raw address when symbols are hidden.
    pub location: String,
    /// Network namespace inode (None from the perf source, or when unknown).
    pub netns_inode: Option<u64>,
    /// Interface (in `netns_inode`) the packet was on, when known.
    pub ifindex: Option<u32>,
    /// Dropped on the way in (skb_iif == ifindex, or an input-path location).
    pub ingress: bool,
    /// Ethertype (host order), e.g. 0x0800.
    pub protocol: u16,
    /// Length of the packet: from the IPv4/IPv6 header when the bytes are there (plus
    /// the link-layer header in `data`), else what the skb says; 0 when unknown.
    pub original_len: u32,
    /// ETHERNET when `data` starts with an Ethernet header, else RAW (IP).
    pub link_type: LinkType,
    /// The first bytes of the packet (empty from the perf source).
    pub data: Vec<u8>,
    /// Address of the freed `sk_buff` (0 from the perf source).
    pub skb_addr: u64,
    /// Its data buffer (`skb->head`), shared by clones and kept across devices: links the
    /// drop to the packet's sightings (0 from the perf source).
    pub skb_head: u64,
    /// Another skb still referenced the packet data when this one was freed
    /// (`skb_shinfo(skb)->dataref` above 1), e.g. a clone delivered to a raw socket while
    /// the original is freed: the packet itself may not be lost. False from the perf
    /// source. Measured on 6.18: set for a root `ping`'s replies (NO_SOCKET at
    /// `ping_rcv`), not for MLD/NS/RS (NOT_SPECIFIED at `ip6_mc_input`), IGMP reports
    /// (NOT_SPECIFIED at `ip_rcv_finish_core`) or UDP to a closed port. Not proof of
    /// delivery by itself: an AF_PACKET socket without a mapped ring (a plain
    /// `socket(AF_PACKET, SOCK_RAW)` reader) holds a clone of every packet, so real drops
    /// show it too while one is open; libpcap's TPACKET_V3 ring copies and does not.
    pub data_shared: bool,
}

impl Default for DropEvent {
    fn default() -> Self {
        DropEvent {
            timestamp_ns: 0,
            reason: String::with_capacity(32),
            location: String::with_capacity(48),
            netns_inode: None,
            ifindex: None,
            ingress: false,
            protocol: 0,
            original_len: 0,
            link_type: LinkType::RAW,
            data: Vec::with_capacity(program::DATA_CAP as usize + ETH_HLEN),
            skb_addr: 0,
            skb_head: 0,
            data_shared: false,
        }
    }
}

/// Whether a free the tracepoint reports is a packet lost, as a pktmon user means it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropVerdict {
    /// The packet was lost here.
    Dropped,
    /// Another skb still holds the packet's data (a root `ping`'s reply goes to the raw
    /// socket as a clone while the original is freed with NO_SOCKET): a copy lives on.
    CopyLivesOn,
    /// Multicast to a group nobody here joined (MLD reports, router and neighbour
    /// solicitations, IGMP reports: NOT_SPECIFIED at `ip6_mc_input`/`ip_rcv_finish_core`),
    /// or arriving before the interface has its multicast route: passed by, as a NIC's
    /// multicast filter would, not lost.
    NotSubscribed,
}

/// Reasons under which the kernel passes by multicast that is not for this host: groups
/// nobody joined (NOT_SPECIFIED), or no multicast route yet while an interface comes up
/// (IP_INNOROUTES at `ip6_pkt_discard`).
const MULTICAST_PASSED_BY: [&str; 2] = ["NOT_SPECIFIED", "IP_INNOROUTES"];

impl DropEvent {
    pub fn verdict(&self) -> DropVerdict {
        if self.data_shared {
            return DropVerdict::CopyLivesOn;
        }
        if MULTICAST_PASSED_BY.contains(&self.reason.as_str())
            && is_multicast_destination(self.network_bytes())
        {
            return DropVerdict::NotSubscribed;
        }
        DropVerdict::Dropped
    }

    /// The bytes from the network header on.
    pub fn network_bytes(&self) -> &[u8] {
        if self.link_type == LinkType::ETHERNET {
            self.data.get(ETH_HLEN..).unwrap_or(&[])
        } else {
            &self.data
        }
    }

    pub fn direction(&self) -> Direction {
        if self.ingress {
            Direction::Rx
        } else {
            Direction::Tx
        }
    }

    /// This drop as a `PacketRecord` of kind `Drop` on `component`.
    pub fn record(&self, component: u32) -> PacketRecord<'_> {
        let mut r = PacketRecord::flow(component, self.link_type, self.timestamp_ns, &self.data);
        r.direction = self.direction();
        r.kind = RecordKind::Drop {
            reason: Cow::Borrowed(&self.reason),
            location: Cow::Borrowed(&self.location),
        };
        r.original_len = self.original_len.max(self.data.len() as u32);
        r
    }

    fn clear(&mut self) {
        self.reason.clear();
        self.location.clear();
        self.data.clear();
        self.netns_inode = None;
        self.ifindex = None;
        self.ingress = false;
        self.protocol = 0;
        self.original_len = 0;
        self.link_type = LinkType::RAW;
        self.skb_addr = 0;
        self.skb_head = 0;
        self.data_shared = false;
    }
}

/// An IPv4 or IPv6 packet to a multicast address.
fn is_multicast_destination(l3: &[u8]) -> bool {
    match l3.first().map(|b| b >> 4) {
        Some(4) => l3.get(16).is_some_and(|&b| (224..240).contains(&b)),
        Some(6) => l3.get(24) == Some(&0xff),
        _ => false,
    }
}

/// Whether a drop location is on a receive path (used when the interface is unknown).
pub fn is_input_location(location: &str) -> bool {
    let sym = location.split('+').next().unwrap_or("");
    ["rcv", "input", "receive", "deliver", "gro"]
        .iter()
        .any(|w| sym.contains(w))
}

/// Packet length from an IPv4 or IPv6 header at the start of `l3`.
pub fn l3_length(l3: &[u8]) -> Option<u32> {
    match l3.first()? >> 4 {
        4 if l3.len() >= 4 => Some(u16::from_be_bytes([l3[2], l3[3]]) as u32),
        6 if l3.len() >= 6 => Some(u16::from_be_bytes([l3[4], l3[5]]) as u32 + 40),
        _ => None,
    }
}

/// What decoding needs besides the record.
pub struct Decoder {
    pub reasons: ReasonTable,
    pub symbols: Kallsyms,
    pub clock: RealtimeClock,
}

impl Decoder {
    /// Fills `ev` from one BPF record; false when the record is too short to be ours.
    pub fn bpf_record(&mut self, raw: &[u8], ev: &mut DropEvent) -> bool {
        if raw.len() < program::HDR {
            return false;
        }
        ev.clear();
        ev.timestamp_ns = self.clock.to_realtime(u64_at(raw, rec::TS));
        self.reasons
            .write_name(u32_at(raw, rec::REASON), &mut ev.reason);
        self.symbols
            .write_location(u64_at(raw, rec::LOCATION), &mut ev.location);
        let netns = u32_at(raw, rec::NETNS);
        ev.netns_inode = (netns != 0).then_some(netns as u64);
        let ifindex = u32_at(raw, rec::IFINDEX);
        ev.ifindex = (ifindex != 0).then_some(ifindex);
        ev.protocol = u16::from_be(u16_at(raw, rec::PROTOCOL));
        ev.skb_addr = u64_at(raw, rec::SKBADDR);
        ev.skb_head = u64_at(raw, rec::SKB_HEAD);
        // The low 16 bits count every skb referencing the data (SKB_DATAREF_MASK).
        ev.data_shared = u32_at(raw, rec::DATAREF) & 0xffff > 1;
        let skb_iif = u32_at(raw, rec::SKB_IIF);
        ev.ingress = if ifindex != 0 {
            skb_iif == ifindex
        } else {
            is_input_location(&ev.location)
        };

        let payload = &raw[program::HDR..];
        let caplen = (u32_at(raw, rec::CAPLEN) as usize).min(payload.len());
        let bytes = &payload[..caplen];
        let mac = u16_at(raw, rec::MAC_HEADER);
        let nh = u16_at(raw, rec::NETWORK_HEADER);
        let start = u32_at(raw, rec::COPY_START);
        let dev_type = u16_at(raw, rec::DEV_TYPE);
        // Bytes before the network header, when the copy started at the MAC header.
        let l2_len = if mac != MAC_UNSET && nh > mac && start == mac as u32 {
            (nh - mac) as usize
        } else {
            0
        };
        let l3 = bytes.get(l2_len..).unwrap_or(&[]);
        let is_ip = matches!(
            (ev.protocol, l3.first().map(|b| b >> 4)),
            (ETHERTYPE_IPV4, Some(4)) | (ETHERTYPE_IPV6, Some(6))
        );
        let l3_ok = nh != 0 || is_ip; // without a network header, trust only an IP header
        if l2_len == ETH_HLEN && matches!(dev_type, ARPHRD_ETHER | ARPHRD_LOOPBACK) {
            ev.link_type = LinkType::ETHERNET;
            ev.data.extend_from_slice(bytes);
        } else if is_ip {
            ev.link_type = LinkType::RAW;
            ev.data.extend_from_slice(l3);
        } else if l3_ok && !l3.is_empty() && ev.protocol != 0 {
            // Not IP and no Ethernet header of its own: give it one so readers know the
            // protocol.
            ev.link_type = LinkType::ETHERNET;
            ev.data.extend_from_slice(&[0; 12]);
            ev.data.extend_from_slice(&ev.protocol.to_be_bytes());
            ev.data.extend_from_slice(l3);
        }
        let prefix = ev.data.len() - ev.network_bytes().len();
        ev.original_len = match l3_length(ev.network_bytes()) {
            Some(n) if is_ip => n + prefix as u32,
            _ => u32_at(raw, rec::SKB_LEN).max(ev.data.len() as u32),
        };
        true
    }

    /// Fills `ev` from a `skb:kfree_skb` trace entry (perf source).
    pub fn trace_entry(
        &mut self,
        fields: &TraceFields,
        monotonic_ns: u64,
        entry: &[u8],
        ev: &mut DropEvent,
    ) {
        ev.clear();
        ev.timestamp_ns = self.clock.to_realtime(monotonic_ns);
        let reason = match fields.reason {
            Some(off) => u32_at(entry, off),
            None => u32::MAX,
        };
        self.reasons.write_name(reason, &mut ev.reason);
        self.symbols
            .write_location(u64_at(entry, fields.location), &mut ev.location);
        ev.protocol = u16_at(entry, fields.protocol);
        ev.ingress = is_input_location(&ev.location);
    }
}

/// Offsets of the `skb:kfree_skb` trace entry fields used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TraceFields {
    pub location: usize,
    pub protocol: usize,
    pub reason: Option<usize>,
    /// Bytes an entry must have for these offsets.
    pub min_len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_copy_lives_on_and_unsubscribed_multicast() {
        let mut ev = DropEvent::default();
        ev.reason.push_str("NOT_SPECIFIED");
        // IPv6 to ff02::16 (an MLDv2 report).
        let mut v6 = vec![0x60, 0, 0, 0, 0, 8, 0, 1];
        v6.extend_from_slice(&[0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        v6.extend_from_slice(&[0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16]);
        ev.data = v6;
        assert_eq!(ev.verdict(), DropVerdict::NotSubscribed);
        // IPv4 to 224.0.0.22 (an IGMPv3 report).
        ev.data = vec![
            0x45, 0, 0, 40, 0, 0, 0, 0, 1, 2, 0, 0, 10, 0, 0, 1, 224, 0, 0, 22,
        ];
        assert_eq!(ev.verdict(), DropVerdict::NotSubscribed);
        // Unicast without a reason is a drop.
        ev.data[16] = 10;
        assert_eq!(ev.verdict(), DropVerdict::Dropped);
        ev.data_shared = true;
        assert_eq!(ev.verdict(), DropVerdict::CopyLivesOn);
        // Multicast with a real reason is a drop.
        ev.data_shared = false;
        ev.data[16] = 239;
        ev.reason.clear();
        ev.reason.push_str("NETFILTER_DROP");
        assert_eq!(ev.verdict(), DropVerdict::Dropped);
    }

    fn decoder() -> Decoder {
        Decoder {
            reasons: ReasonTable::from_pairs([(3, "SKB_DROP_REASON_NO_SOCKET")]),
            symbols: Kallsyms::parse("ffffffff82048c10 T __udp4_lib_rcv\n"),
            clock: RealtimeClock::new(),
        }
    }

    fn put(b: &mut [u8], at: usize, v: &[u8]) {
        b[at..at + v.len()].copy_from_slice(v);
    }

    /// A record as the program writes it: UDP 10.0.0.1:1000 -> 10.0.0.2:40123 received on
    /// ifindex 7 in netns 4026532317, copied from the MAC header.
    fn sample_record() -> Vec<u8> {
        let mut frame = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        let ip = [
            0x45, 0, 0, 33, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x03, 0xe8, 0x9c,
            0xbb, 0, 13, 0, 0, b'h', b'e', b'l', b'l', b'o',
        ];
        frame.extend_from_slice(&ip);
        let mut r = vec![0u8; program::HDR + frame.len()];
        put(&mut r, rec::TS, &5_000_000_000u64.to_ne_bytes());
        put(
            &mut r,
            rec::LOCATION,
            &(0xffffffff82048c10u64 + 0x4bc).to_ne_bytes(),
        );
        put(&mut r, rec::REASON, &3u32.to_ne_bytes());
        put(&mut r, rec::IFINDEX, &7u32.to_ne_bytes());
        put(&mut r, rec::NETNS, &4026532317u32.to_ne_bytes());
        put(&mut r, rec::SKB_LEN, &13u32.to_ne_bytes());
        put(&mut r, rec::PROTOCOL, &0x0800u16.to_be_bytes());
        put(&mut r, rec::MAC_HEADER, &64u16.to_ne_bytes());
        put(&mut r, rec::NETWORK_HEADER, &78u16.to_ne_bytes());
        put(&mut r, rec::SKB_IIF, &7u32.to_ne_bytes());
        put(&mut r, rec::CAPLEN, &(frame.len() as u32).to_ne_bytes());
        put(&mut r, rec::COPY_START, &64u32.to_ne_bytes());
        put(&mut r, rec::DEV_TYPE, &1u16.to_ne_bytes());
        put(
            &mut r,
            rec::SKBADDR,
            &0xffff_8880_0000_1000u64.to_ne_bytes(),
        );
        put(
            &mut r,
            rec::SKB_HEAD,
            &0xffff_8880_0000_2000u64.to_ne_bytes(),
        );
        // A clone holds the data too (payload references in the high half are ignored).
        put(&mut r, rec::DATAREF, &0x0001_0002u32.to_ne_bytes());
        put(&mut r, program::HDR, &frame);
        r
    }

    #[test]
    fn bpf_record_with_ethernet_header() {
        let mut d = decoder();
        let mut ev = DropEvent::default();
        assert!(d.bpf_record(&sample_record(), &mut ev));
        assert_eq!(ev.reason, "NO_SOCKET");
        assert_eq!(ev.location, "__udp4_lib_rcv+0x4bc");
        assert_eq!(ev.netns_inode, Some(4026532317));
        assert_eq!(ev.ifindex, Some(7));
        assert!(ev.ingress);
        assert_eq!(ev.protocol, 0x0800);
        assert_eq!(ev.link_type, LinkType::ETHERNET);
        assert_eq!(ev.data.len(), 14 + 33);
        // From the IP header (33) plus Ethernet, not skb->len (13).
        assert_eq!(ev.original_len, 47);
        assert_eq!(&ev.network_bytes()[22..24], &40123u16.to_be_bytes());
        assert_eq!(ev.skb_addr, 0xffff_8880_0000_1000);
        assert_eq!(ev.skb_head, 0xffff_8880_0000_2000);
        assert!(ev.data_shared);
        let rec = ev.record(9);
        assert!(rec.is_drop());
        assert_eq!(rec.direction, Direction::Rx);
        assert_eq!(rec.component, 9);
    }

    #[test]
    fn bpf_record_without_mac_header_is_raw_ip() {
        let mut r = sample_record();
        put(&mut r, rec::MAC_HEADER, &MAC_UNSET.to_ne_bytes());
        put(&mut r, rec::COPY_START, &78u32.to_ne_bytes());
        put(&mut r, rec::SKB_IIF, &0u32.to_ne_bytes());
        // The program copied from the network header: drop the Ethernet bytes.
        let mut raw = r[..program::HDR].to_vec();
        raw.extend_from_slice(&r[program::HDR + 14..]);
        put(&mut raw, rec::CAPLEN, &33u32.to_ne_bytes());
        let mut d = decoder();
        let mut ev = DropEvent::default();
        assert!(d.bpf_record(&raw, &mut ev));
        assert_eq!(ev.link_type, LinkType::RAW);
        assert_eq!(ev.data.len(), 33);
        assert_eq!(ev.original_len, 33);
        assert!(!ev.ingress, "skb_iif 0 on a known device: egress");
        put(&mut raw, rec::DATAREF, &0x0001_0001u32.to_ne_bytes());
        assert!(d.bpf_record(&raw, &mut ev));
        assert!(!ev.data_shared, "only this skb holds the data");
    }

    #[test]
    fn short_or_lying_records_do_not_panic() {
        let mut d = decoder();
        let mut ev = DropEvent::default();
        let r = sample_record();
        for cut in 0..r.len() {
            let _ = d.bpf_record(&r[..cut], &mut ev);
        }
        let mut r = sample_record();
        put(&mut r, rec::CAPLEN, &u32::MAX.to_ne_bytes());
        put(&mut r, rec::NETWORK_HEADER, &0xfffeu16.to_ne_bytes());
        assert!(d.bpf_record(&r, &mut ev));
        assert!(ev.data.len() <= r.len());
        assert!(!d.bpf_record(&r[..10], &mut ev));
    }

    #[test]
    fn lengths_and_input_paths() {
        assert_eq!(l3_length(&[0x45, 0, 0x05, 0xdc]), Some(1500));
        assert_eq!(l3_length(&[0x60, 0, 0, 0, 0, 8]), Some(48));
        assert_eq!(l3_length(&[0x45, 0]), None);
        assert_eq!(l3_length(&[]), None);
        assert!(is_input_location("__udp4_lib_rcv+0x4bc"));
        assert!(is_input_location("ip_rcv_finish_core+0x1"));
        assert!(!is_input_location("nft_do_chain+0x3e8"));
        assert!(!is_input_location("0xffffffff81000000"));
    }
}
