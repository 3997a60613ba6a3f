//! Builders for crafted test frames (Ethernet, 802.1Q, IPv4/IPv6, TCP/UDP/ICMP, ARP,
//! VXLAN, GRE), and a raw-socket injector.
#![allow(dead_code)]

pub fn ethernet(
    dst: [u8; 6],
    src: [u8; 6],
    vlan: Option<u16>,
    ethertype: u16,
    payload: &[u8],
) -> Vec<u8> {
    let mut b = Vec::with_capacity(18 + payload.len());
    b.extend_from_slice(&dst);
    b.extend_from_slice(&src);
    if let Some(v) = vlan {
        b.extend_from_slice(&[0x81, 0x00]);
        b.extend_from_slice(&v.to_be_bytes());
    }
    b.extend_from_slice(&ethertype.to_be_bytes());
    b.extend_from_slice(payload);
    b
}

fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for c in data.chunks(2) {
        let w = if c.len() == 2 {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], 0])
        };
        sum += w as u32;
    }
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}

pub fn ipv4(src: [u8; 4], dst: [u8; 4], proto: u8, payload: &[u8]) -> Vec<u8> {
    let mut b = vec![0x45, 0];
    b.extend_from_slice(&((20 + payload.len()) as u16).to_be_bytes());
    b.extend_from_slice(&[0, 1, 0, 0, 64, proto, 0, 0]);
    b.extend_from_slice(&src);
    b.extend_from_slice(&dst);
    let c = checksum(&b);
    b[10..12].copy_from_slice(&c.to_be_bytes());
    b.extend_from_slice(payload);
    b
}

pub fn ipv6(src: [u8; 16], dst: [u8; 16], next: u8, payload: &[u8]) -> Vec<u8> {
    let mut b = vec![0x60, 0, 0, 0];
    b.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    b.extend_from_slice(&[next, 64]);
    b.extend_from_slice(&src);
    b.extend_from_slice(&dst);
    b.extend_from_slice(payload);
    b
}

pub fn tcp(sport: u16, dport: u16, flags: u8) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&sport.to_be_bytes());
    b.extend_from_slice(&dport.to_be_bytes());
    b.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    b
}

pub fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&sport.to_be_bytes());
    b.extend_from_slice(&dport.to_be_bytes());
    b.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    b.extend_from_slice(&[0, 0]); // no checksum (allowed for IPv4)
    b.extend_from_slice(payload);
    b
}

pub fn icmp_echo() -> Vec<u8> {
    let mut b = vec![8, 0, 0, 0, 0, 1, 0, 1];
    let c = checksum(&b);
    b[2..4].copy_from_slice(&c.to_be_bytes());
    b
}

/// VXLAN header (VNI 1) followed by an inner Ethernet frame.
pub fn vxlan(inner: &[u8]) -> Vec<u8> {
    let mut b = vec![0x08, 0, 0, 0, 0, 0, 1, 0];
    b.extend_from_slice(inner);
    b
}

/// Basic GRE header carrying `proto` (0x0800, 0x86DD, 0x6558 = Ethernet).
pub fn gre(proto: u16, inner: &[u8]) -> Vec<u8> {
    let mut b = vec![0, 0];
    b.extend_from_slice(&proto.to_be_bytes());
    b.extend_from_slice(inner);
    b
}

pub fn arp_request(sender_mac: [u8; 6], sender_ip: [u8; 4], target_ip: [u8; 4]) -> Vec<u8> {
    let mut b = vec![0, 1, 8, 0, 6, 4, 0, 1];
    b.extend_from_slice(&sender_mac);
    b.extend_from_slice(&sender_ip);
    b.extend_from_slice(&[0; 6]);
    b.extend_from_slice(&target_ip);
    b
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
