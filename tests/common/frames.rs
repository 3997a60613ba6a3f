//! Frames for the injection tests (filter_session, drops), built with the corpus builders
//! and the fields those tests were written with: IPv4 id 1 without DF, hop limit 64, TCP
//! and UDP without checksums; and a raw-socket injector.
#![allow(dead_code)]

use super::corpus;

/// Ethernet, 802.1Q-tagged when `vlan` is given.
pub fn ethernet(
    dst: [u8; 6],
    src: [u8; 6],
    vlan: Option<u16>,
    ethertype: u16,
    payload: &[u8],
) -> Vec<u8> {
    match vlan {
        Some(tci) => corpus::eth(src, dst, 0x8100, &corpus::vlan(tci, ethertype, payload)),
        None => corpus::eth(src, dst, ethertype, payload),
    }
}

pub fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
    corpus::ipv4_full(src, dst, proto, 64, 1, 0, &[], payload)
}

pub fn ipv6(src: [u8; 16], dst: [u8; 16], next: u8, payload: &[u8]) -> Vec<u8> {
    corpus::ipv6_full(src, dst, next, 64, payload)
}

/// A bare TCP header: seq 1, window 65535.
pub fn tcp(sport: u16, dport: u16, flags: u8) -> Vec<u8> {
    corpus::tcp_no_checksum(sport, dport, 1, 0, flags, 0xffff, &[], &[])
}

pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    corpus::udp_no_checksum(sport, dport, payload)
}

pub fn icmp_echo() -> Vec<u8> {
    corpus::icmp(8, 0, [0, 1, 0, 1], &[])
}

/// VXLAN (VNI 1) carrying an inner Ethernet frame.
pub fn vxlan(inner: &[u8]) -> Vec<u8> {
    corpus::vxlan(1, inner)
}

/// Basic GRE (no key) carrying `proto`.
pub fn gre(proto: u16, inner: &[u8]) -> Vec<u8> {
    corpus::gre(proto, None, inner)
}

pub fn arp_request(sender_mac: [u8; 6], sender_ip: [u8; 4], target_ip: [u8; 4]) -> Vec<u8> {
    corpus::arp(1, sender_mac, sender_ip, [0; 6], target_ip)
}

/// Sends raw frames out of `ifname` in namespace `ns` (AF_PACKET).
pub fn inject(ns: &str, ifname: &str, frames: Vec<Vec<u8>>) {
    let (ns, ifname) = (ns.to_string(), ifname.to_string());
    std::thread::spawn(move || {
        let f = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
        nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        let name = std::ffi::CString::new(ifname).unwrap();
        // SAFETY: plain socket calls with valid, initialised arguments.
        unsafe {
            let fd = libc::socket(libc::AF_PACKET, libc::SOCK_RAW, 0);
            assert!(fd >= 0, "AF_PACKET socket");
            let mut addr: libc::sockaddr_ll = std::mem::zeroed();
            addr.sll_family = libc::AF_PACKET as u16;
            addr.sll_ifindex = libc::if_nametoindex(name.as_ptr()) as i32;
            addr.sll_halen = 6;
            for fr in &frames {
                addr.sll_addr[..6].copy_from_slice(&fr[..6]);
                let n = libc::sendto(
                    fd,
                    fr.as_ptr() as *const libc::c_void,
                    fr.len(),
                    0,
                    &addr as *const libc::sockaddr_ll as *const libc::sockaddr,
                    std::mem::size_of::<libc::sockaddr_ll>() as u32,
                );
                assert_eq!(n, fr.len() as isize, "sendto");
            }
            libc::close(fd);
        }
    })
    .join()
    .expect("injector thread");
}
