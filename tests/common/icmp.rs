//! ICMP echo requests from a raw socket made inside a network namespace (what a root
//! `ping` does, without needing the ping binary). The socket also receives every ICMP
//! packet of its namespace, replies included, while it is open.

use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// Internet checksum (RFC 1071).
pub fn checksum(b: &[u8]) -> u16 {
    let mut sum = 0u32;
    for c in b.chunks(2) {
        let w = if c.len() == 2 {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], 0])
        };
        sum += w as u32;
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// An echo request: type 8, code 0, checksum, id, seq, payload.
pub fn echo_request(id: u16, seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut m = vec![8, 0, 0, 0];
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&seq.to_be_bytes());
    m.extend_from_slice(payload);
    let c = checksum(&m);
    m[2..4].copy_from_slice(&c.to_be_bytes());
    m
}

/// A raw ICMP socket in namespace `ns` (made from a thread that joined it).
pub fn raw_socket(ns: &str) -> OwnedFd {
    let ns = ns.to_string();
    std::thread::spawn(move || {
        let f = std::fs::File::open(format!("/var/run/netns/{ns}")).expect("open netns");
        nix::sched::setns(f, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        // SAFETY: plain socket(2); the result is checked before use.
        let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_ICMP) };
        assert!(
            fd >= 0,
            "raw ICMP socket: {}",
            std::io::Error::last_os_error()
        );
        // SAFETY: fd is a new descriptor nothing else owns.
        unsafe { OwnedFd::from_raw_fd(fd) }
    })
    .join()
    .expect("socket thread")
}

/// Sends one ICMP message (header and payload; the kernel adds the IP header) to `to`.
pub fn send(sock: &OwnedFd, to: Ipv4Addr, icmp: &[u8]) {
    let addr = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: 0,
        sin_addr: libc::in_addr {
            s_addr: u32::from(to).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: buffer and address are valid for the given lengths.
    let n = unsafe {
        libc::sendto(
            sock.as_raw_fd(),
            icmp.as_ptr() as *const libc::c_void,
            icmp.len(),
            0,
            &addr as *const libc::sockaddr_in as *const libc::sockaddr,
            std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    };
    assert_eq!(
        n,
        icmp.len() as isize,
        "sendto {to}: {}",
        std::io::Error::last_os_error()
    );
}

/// Waits (bounded by `timeout_ms`) until the socket has something to read.
pub fn wait_readable(sock: &OwnedFd, timeout_ms: i32) -> bool {
    let mut p = libc::pollfd {
        fd: sock.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd.
    unsafe { libc::poll(&mut p, 1, timeout_ms) > 0 }
}
