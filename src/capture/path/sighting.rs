//! `Sighting`, one packet seen at one device, decoded from a record of the path programs.

use super::program::{self, DIR_RX, DIR_TX, MAC_UNSET, rec};
use crate::capture::bpf::RealtimeClock;
use crate::capture::bpf::bytes::{u16_at, u32_at, u64_at};
use crate::record::{Direction, LinkType};

// `net_device.type` values whose link-layer header is Ethernet. Loopback (772) sends and
// receives a 14-byte Ethernet header (`eth_header_ops`, `eth_type_trans`) too.
pub use crate::capture::bpf::kernel::{ARPHRD_ETHER, ARPHRD_LOOPBACK, ETH_HLEN};
/// VLAN tags skipped in front of the network header (802.1ad + 802.1Q).
const MAX_VLAN_TAGS: usize = 2;

/// One packet seen on its way in (`netif_receive_skb`) or out (`net_dev_start_xmit`) of a
/// network device, in any namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sighting<'a> {
    /// Nanoseconds since the Unix epoch.
    pub timestamp_ns: u64,
    pub direction: Direction,
    /// The device's network namespace inode (as `stat -L /run/netns/NAME` shows); 0 when
    /// unknown.
    pub netns_inode: u64,
    /// The namespace's cookie (`SO_NETNS_COOKIE`): unlike the inode never reused after the
    /// namespace is gone; 0 on kernels before 5.14.
    pub netns_cookie: u64,
    pub ifindex: u32,
    /// The device's name at the time of the sighting (names change).
    pub ifname: &'a str,
    /// `net_device.type` (ARPHRD_*).
    pub dev_type: u16,
    /// Address of the `sk_buff`: tells clones apart.
    pub skb_addr: u64,
    /// Address of the packet data buffer: shared by clones, kept across devices while the
    /// same buffer travels (veth, bridge, routing, NAT).
    pub skb_head: u64,
    /// Length of the frame: `skb->len` plus the link-layer bytes in front of `data`.
    pub original_len: u32,
    /// ETHERNET when `data` starts with an Ethernet header, RAW when it starts at L3.
    pub link_type: LinkType,
    /// Where the network header starts in `data`.
    pub network_offset: u32,
    /// The first bytes of the frame, from its linear part only (page fragments are not
    /// reachable from the tracepoint).
    pub data: &'a [u8],
}

impl<'a> Sighting<'a> {
    /// The bytes from the network header on.
    pub fn network_bytes(&self) -> &'a [u8] {
        self.data.get(self.network_offset as usize..).unwrap_or(&[])
    }
}

/// The interface name: bytes up to the first NUL; "" when not UTF-8 (the kernel allows
/// only printable names, so this is a foreign or torn record).
fn ifname(raw: &[u8]) -> &str {
    let name = raw.get(rec::IFNAME..rec::IFNAME + 16).unwrap_or(&[]);
    let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    std::str::from_utf8(&name[..end]).unwrap_or("")
}

/// Where L3 starts in an Ethernet frame: after the header and any VLAN tags in it (tags
/// the NIC took out, `skb->vlan_tci`, are not in the bytes).
fn ethernet_l3_offset(frame: &[u8]) -> u32 {
    let mut at = ETH_HLEN - 2; // the ethertype
    for _ in 0..MAX_VLAN_TAGS {
        match frame.get(at..at + 2) {
            Some([0x81, 0x00]) | Some([0x88, 0xa8]) => at += 4,
            _ => break,
        }
    }
    at as u32 + 2
}

/// Decodes one record; None when it is too short or not from the path programs.
pub fn decode<'a>(raw: &'a [u8], clock: &RealtimeClock) -> Option<Sighting<'a>> {
    if raw.len() < program::HDR {
        return None;
    }
    let direction = match raw[rec::DIRECTION] {
        DIR_RX => Direction::Rx,
        DIR_TX => Direction::Tx,
        _ => return None,
    };
    let payload = &raw[program::HDR..];
    let caplen = (u32_at(raw, rec::CAPLEN) as usize).min(payload.len());
    let bytes = &payload[..caplen];
    let dev_type = u16_at(raw, rec::DEV_TYPE);
    let data_off = u32_at(raw, rec::DATA_OFF);
    let start = u32_at(raw, rec::COPY_START);
    let nh = u16_at(raw, rec::NETWORK_HEADER);
    // Bytes copied in front of `data` (Rx: the link-layer header `data` was pulled past).
    let before_data = data_off.saturating_sub(start);
    let ether_like = matches!(dev_type, ARPHRD_ETHER | ARPHRD_LOOPBACK);
    // Length of the link-layer header at the start of the copy.
    let l2_len = match direction {
        Direction::Rx => before_data,
        // On transmit `data` is at the header the device sends: Ethernet for Ethernet-like
        // devices; otherwise the network header (when set) says how long it is.
        _ if ether_like => ETH_HLEN as u32,
        _ if nh != 0 && u32::from(nh) >= start => u32::from(nh) - start,
        _ => 0,
    };
    let (link_type, data, network_offset, stripped) = if ether_like && l2_len == ETH_HLEN as u32 {
        (LinkType::ETHERNET, bytes, ethernet_l3_offset(bytes), 0)
    } else {
        // No Ethernet header (tunnels, or one we do not know): from the network header.
        let cut = (l2_len as usize).min(bytes.len());
        (LinkType::RAW, &bytes[cut..], 0, l2_len)
    };
    let original_len = u32_at(raw, rec::SKB_LEN)
        .saturating_add(before_data)
        .saturating_sub(stripped)
        .max(data.len() as u32);
    Some(Sighting {
        timestamp_ns: clock.to_realtime(u64_at(raw, rec::TS)),
        direction,
        netns_inode: u64::from(u32_at(raw, rec::NETNS)),
        netns_cookie: u64_at(raw, rec::NETNS_COOKIE),
        ifindex: u32_at(raw, rec::IFINDEX),
        ifname: ifname(raw),
        dev_type,
        skb_addr: u64_at(raw, rec::SKBADDR),
        skb_head: u64_at(raw, rec::SKB_HEAD),
        original_len,
        link_type,
        network_offset,
        data,
    })
}

/// Diagnostic fields of a record that `Sighting` does not carry (examples, tests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordDetail {
    pub mac_header: u16,
    pub network_header: u16,
    pub data_off: u32,
    pub copy_start: u32,
    pub skb_len: u32,
    /// Bytes in page fragments.
    pub data_len: u32,
    /// Ethertype, host order.
    pub protocol: u16,
}

impl RecordDetail {
    pub fn of(raw: &[u8]) -> RecordDetail {
        RecordDetail {
            mac_header: u16_at(raw, rec::MAC_HEADER),
            network_header: u16_at(raw, rec::NETWORK_HEADER),
            data_off: u32_at(raw, rec::DATA_OFF),
            copy_start: u32_at(raw, rec::COPY_START),
            skb_len: u32_at(raw, rec::SKB_LEN),
            data_len: u32_at(raw, rec::DATA_LEN),
            protocol: u16::from_be(u16_at(raw, rec::PROTOCOL)),
        }
    }

    /// Whether `mac_header` was set.
    pub fn has_mac_header(&self) -> bool {
        self.mac_header != MAC_UNSET
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(b: &mut [u8], at: usize, v: &[u8]) {
        b[at..at + v.len()].copy_from_slice(v);
    }

    /// An ICMP echo request 10.77.0.1 -> 10.77.0.2 in Ethernet.
    fn frame() -> Vec<u8> {
        let mut f = vec![2, 0x77, 0, 0, 0, 2, 2, 0x77, 0, 0, 0, 1, 0x08, 0x00];
        f.extend_from_slice(&[
            0x45, 0, 0, 28, 0, 1, 0x40, 0, 64, 1, 0, 0, 10, 77, 0, 1, 10, 77, 0, 2, 8, 0, 0, 0,
            0x12, 0x34, 0, 1,
        ]);
        f
    }

    /// A record as the programs write it, `bytes` copied from `start`.
    fn record(dir: u8, dev_type: u16, data_off: u32, start: u32, bytes: &[u8]) -> Vec<u8> {
        let mut r = vec![0u8; program::record_size(64) as usize];
        put(&mut r, rec::TS, &5_000_000_000u64.to_ne_bytes());
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
        put(&mut r, rec::NETNS, &4026532317u32.to_ne_bytes());
        put(&mut r, rec::NETNS_COOKIE, &4099u64.to_ne_bytes());
        put(&mut r, rec::IFINDEX, &7u32.to_ne_bytes());
        put(&mut r, rec::IFNAME, b"veth0\0\0\0garbage!");
        let skb_len = bytes.len() as u32 - (data_off - start);
        put(&mut r, rec::SKB_LEN, &skb_len.to_ne_bytes());
        put(&mut r, rec::DATA_OFF, &data_off.to_ne_bytes());
        put(&mut r, rec::COPY_START, &start.to_ne_bytes());
        put(&mut r, rec::CAPLEN, &(bytes.len() as u32).to_ne_bytes());
        put(&mut r, rec::MAC_HEADER, &(start as u16).to_ne_bytes());
        put(&mut r, rec::NETWORK_HEADER, &0u16.to_ne_bytes());
        put(&mut r, rec::DEV_TYPE, &dev_type.to_ne_bytes());
        put(&mut r, rec::PROTOCOL, &0x0800u16.to_be_bytes());
        r[rec::DIRECTION] = dir;
        put(&mut r, program::HDR, bytes);
        r
    }

    #[test]
    fn receive_on_ethernet_starts_at_the_mac_header() {
        let f = frame();
        let raw = record(DIR_RX, ARPHRD_ETHER, 78, 64, &f);
        let s = decode(&raw, &RealtimeClock::new()).unwrap();
        assert_eq!(s.direction, Direction::Rx);
        assert_eq!(s.ifname, "veth0");
        assert_eq!(s.ifindex, 7);
        assert_eq!(s.netns_inode, 4026532317);
        assert_eq!(s.netns_cookie, 4099);
        assert_eq!(s.link_type, LinkType::ETHERNET);
        assert_eq!(s.network_offset, 14);
        assert_eq!(s.data, &f[..]);
        assert_eq!(s.original_len, 42);
        assert_eq!(s.network_bytes()[9], 1, "ICMP");
        assert_eq!(s.skb_head, 0xffff_8880_0000_2000);
        assert!(s.timestamp_ns > 5_000_000_000);
    }

    #[test]
    fn transmit_on_loopback_is_ethernet_and_tunnels_are_raw() {
        let f = frame();
        let raw = record(DIR_TX, ARPHRD_LOOPBACK, 64, 64, &f);
        let s = decode(&raw, &RealtimeClock::new()).unwrap();
        assert_eq!(s.direction, Direction::Tx);
        assert_eq!(s.link_type, LinkType::ETHERNET);
        assert_eq!(s.original_len, 42);
        // An IP tunnel (ARPHRD_NONE) transmits from the network header.
        let ip = &f[14..];
        let raw = record(DIR_TX, 65534, 64, 64, ip);
        let s = decode(&raw, &RealtimeClock::new()).unwrap();
        assert_eq!(s.link_type, LinkType::RAW);
        assert_eq!(s.network_offset, 0);
        assert_eq!(s.data, ip);
        assert_eq!(s.original_len, 28);
    }

    #[test]
    fn unknown_link_headers_are_cut_to_the_network_header() {
        let f = frame();
        // Received on a non-Ethernet device with a 14-byte header of its own.
        let raw = record(DIR_RX, 778, 78, 64, &f);
        let s = decode(&raw, &RealtimeClock::new()).unwrap();
        assert_eq!(s.link_type, LinkType::RAW);
        assert_eq!(s.data, &f[14..]);
        assert_eq!(s.original_len, 28);
    }

    #[test]
    fn vlan_tags_in_the_frame_move_the_network_header() {
        let f = frame();
        let mut tagged = f[..12].to_vec();
        tagged.extend_from_slice(&[0x88, 0xa8, 0, 5, 0x81, 0x00, 0, 7]);
        tagged.extend_from_slice(&f[12..]);
        let raw = record(DIR_RX, ARPHRD_ETHER, 78, 64, &tagged);
        let s = decode(&raw, &RealtimeClock::new()).unwrap();
        assert_eq!(s.link_type, LinkType::ETHERNET);
        assert_eq!(s.network_offset, 22);
        assert_eq!(s.network_bytes()[0], 0x45);
        assert_eq!(ethernet_l3_offset(&f[..13]), 14);
    }

    #[test]
    fn short_or_lying_records_do_not_panic() {
        let f = frame();
        let clock = RealtimeClock::new();
        let raw = record(DIR_RX, ARPHRD_ETHER, 78, 64, &f);
        for cut in 0..raw.len() {
            let _ = decode(&raw[..cut], &clock);
        }
        assert!(decode(&raw[..program::HDR - 1], &clock).is_none());
        let mut r = raw.clone();
        r[rec::DIRECTION] = 9;
        assert!(decode(&r, &clock).is_none());
        let mut r = raw.clone();
        put(&mut r, rec::CAPLEN, &u32::MAX.to_ne_bytes());
        put(&mut r, rec::COPY_START, &u32::MAX.to_ne_bytes());
        put(&mut r, rec::IFNAME, &[0xff; 16]);
        let s = decode(&r, &clock).unwrap();
        assert!(s.data.len() <= r.len());
        assert_eq!(s.ifname, "");
    }
}
