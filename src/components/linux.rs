//! Linux: interfaces from an rtnetlink link dump (RTM_GETLINK), which works without
//! privileges and in any network namespace the calling thread is in.

use super::{Component, ComponentKind};
use crate::error::{Error, Result};
use netlink_packet_core::{
    NLM_F_DUMP, NLM_F_MULTIPART, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage, NetlinkPayload, Nla,
};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::link::{
    InfoData, InfoKind, InfoTun, LinkAttribute, LinkFlags, LinkInfo, LinkMessage,
};
use netlink_packet_route::nsid::{NsidAttribute, NsidMessage};
use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_ROUTE};

const ARPHRD_LOOPBACK: u16 = 772;
const IFLA_TUN_TYPE: u16 = 3;
const IFF_TAP: u8 = 2;
const MSG_TRUNC: i32 = 0x20;

fn nl_err(e: impl std::fmt::Display) -> Error {
    Error::failure(format!("cannot list network interfaces (rtnetlink): {e}"))
}

/// The interfaces of the namespace the calling thread is in (id = ifindex, no namespace
/// filled in).
pub fn list() -> Result<Vec<Component>> {
    list_with(Wireless::Sysfs)
}

/// How to tell wireless interfaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wireless {
    /// `/sys/class/net/NAME/wireless`: right only in the namespace /sys was mounted for.
    Sysfs,
    /// `/proc/thread-self/net/wireless`, which follows the thread's namespace (threads that
    /// entered another one; sysfs would show the host's interfaces there).
    ThreadProc,
}

pub fn list_with(wireless: Wireless) -> Result<Vec<Component>> {
    let proc_wireless: Vec<String> = match wireless {
        Wireless::Sysfs => Vec::new(),
        Wireless::ThreadProc => std::fs::read_to_string("/proc/thread-self/net/wireless")
            .map(|t| {
                // two header lines, then "  wlan0: 0000 ..."
                t.lines()
                    .skip(2)
                    .filter_map(|l| l.split(':').next())
                    .map(|n| n.trim().to_string())
                    .collect()
            })
            .unwrap_or_default(),
    };
    let is_wireless = |name: &str| match wireless {
        Wireless::Sysfs => std::path::Path::new("/sys/class/net")
            .join(name)
            .join("wireless")
            .exists(),
        Wireless::ThreadProc => proc_wireless.iter().any(|n| n == name),
    };
    let mut comps = Vec::new();
    dump_links(|msg, raw_type| comps.push(component_from(msg, raw_type, &is_wireless)))?;
    Ok(comps)
}

/// Each interface's own drop counters (rx_dropped, tx_dropped from IFLA_STATS64).
pub fn drop_counters() -> Result<Vec<(u32, u64, u64)>> {
    let mut out = Vec::new();
    dump_links(|msg, _| {
        for attr in &msg.attributes {
            if let LinkAttribute::Stats64(s) = attr {
                out.push((msg.header.index, s.rx_dropped, s.tx_dropped));
            }
        }
    })?;
    Ok(out)
}

/// Asks the calling thread's namespace which id (nsid) it gives other namespaces: the
/// number veths report as IFLA_LINK_NETNSID for a peer there. One socket for many asks.
pub struct NsidQuery {
    socket: Socket,
    seq: u32,
}

impl NsidQuery {
    pub fn new() -> Result<NsidQuery> {
        let mut socket = Socket::new(NETLINK_ROUTE).map_err(nl_err)?;
        socket.bind_auto().map_err(nl_err)?;
        socket.connect(&SocketAddr::new(0, 0)).map_err(nl_err)?;
        Ok(NsidQuery { socket, seq: 0 })
    }

    /// The nsid of the namespace open as `fd`; None when it has none here (ids are
    /// assigned on demand, e.g. when a veth end moves there).
    pub fn nsid_of(&mut self, fd: std::os::fd::BorrowedFd<'_>) -> Option<i32> {
        use std::os::fd::AsRawFd;
        self.seq += 1;
        let mut msg = NsidMessage::default();
        msg.attributes = vec![NsidAttribute::Fd(u32::try_from(fd.as_raw_fd()).ok()?)];
        let mut req = NetlinkMessage::new(
            NetlinkHeader::default(),
            NetlinkPayload::from(RouteNetlinkMessage::GetNsId(msg)),
        );
        req.header.flags = NLM_F_REQUEST;
        req.header.sequence_number = self.seq;
        req.finalize();
        let mut out = vec![0u8; req.buffer_len()];
        req.serialize(&mut out);
        self.socket.send(&out, 0).ok()?;
        let mut rbuf = vec![0u8; 8192];
        let n = self.socket.recv(&mut &mut rbuf[..], MSG_TRUNC).ok()?;
        let reply: NetlinkMessage<RouteNetlinkMessage> =
            NetlinkMessage::deserialize(rbuf.get(..n)?).ok()?;
        if reply.header.sequence_number != self.seq {
            return None;
        }
        match reply.payload {
            NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewNsId(m)) => m
                .attributes
                .iter()
                .find_map(|a| match a {
                    NsidAttribute::Id(i) => Some(*i),
                    _ => None,
                })
                .filter(|i| *i >= 0),
            _ => None,
        }
    }
}

/// Runs an RTM_GETLINK dump and hands every link message (with its raw ARPHRD type) to
/// `each`.
fn dump_links(mut each: impl FnMut(&LinkMessage, u16)) -> Result<()> {
    let mut socket = Socket::new(NETLINK_ROUTE).map_err(nl_err)?;
    let local = socket.bind_auto().map_err(nl_err)?;
    socket.connect(&SocketAddr::new(0, 0)).map_err(nl_err)?;
    let my_port = local.port_number();

    const SEQ: u32 = 1;
    let mut req = NetlinkMessage::new(
        NetlinkHeader::default(),
        NetlinkPayload::from(RouteNetlinkMessage::GetLink(LinkMessage::default())),
    );
    req.header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.header.sequence_number = SEQ;
    req.finalize();
    let mut out = vec![0u8; req.buffer_len()];
    req.serialize(&mut out);
    socket.send(&out, 0).map_err(nl_err)?;

    let mut rbuf = vec![0u8; 64 * 1024];
    loop {
        // netlink-sys's recv_from_full asserts; a fixed buffer with MSG_TRUNC reports
        // truncation instead.
        let n = socket.recv(&mut &mut rbuf[..], MSG_TRUNC).map_err(nl_err)?;
        if n > rbuf.len() {
            return Err(nl_err("reply datagram larger than 64 KiB"));
        }
        let mut off = 0usize;
        while off < n {
            let bytes = &rbuf[off..n];
            let msg: NetlinkMessage<RouteNetlinkMessage> =
                NetlinkMessage::deserialize(bytes).map_err(nl_err)?;
            let len = msg.header.length as usize;
            if len < 16 || off + len > n {
                return Err(nl_err(format!("bad message length {len}")));
            }
            off += (len + 3) & !3;
            if msg.header.sequence_number != SEQ
                || (msg.header.port_number != 0 && msg.header.port_number != my_port)
            {
                continue;
            }
            let multi = msg.header.flags & NLM_F_MULTIPART != 0;
            match msg.payload {
                NetlinkPayload::Done(d) => {
                    if d.code != 0 {
                        return Err(nl_err(std::io::Error::from_raw_os_error(-d.code)));
                    }
                    return Ok(());
                }
                NetlinkPayload::Error(e) if e.code.is_some() => return Err(nl_err(e.to_io())),
                NetlinkPayload::Overrun(_) => return Err(nl_err("overrun")),
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewLink(lm)) => {
                    // ifi_type sits right after the 16-byte header; the crate folds unknown
                    // ARPHRD values into Void, so read it raw.
                    let raw_type = bytes
                        .get(18..20)
                        .map(|b| u16::from_ne_bytes([b[0], b[1]]))
                        .unwrap_or(0);
                    each(&lm, raw_type);
                    if !multi {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
    }
}

fn component_from(
    msg: &LinkMessage,
    raw_type: u16,
    is_wireless: &dyn Fn(&str) -> bool,
) -> Component {
    let mut c = Component {
        id: msg.header.index,
        ifindex: msg.header.index,
        netns: None,
        name: String::new(),
        mac: None,
        kind: ComponentKind::Ethernet,
        up: msg.header.flags.contains(LinkFlags::Up),
        master: None,
        link: None,
        link_netnsid: None,
        members: Vec::new(),
        peer: None,
        driver: None,
    };
    let mut info_kind: Option<String> = None;
    let mut tap = false;
    for attr in &msg.attributes {
        match attr {
            LinkAttribute::IfName(n) => c.name = n.clone(),
            LinkAttribute::Address(a) if a.len() == 6 => {
                let mut m = [0u8; 6];
                m.copy_from_slice(a);
                c.mac = Some(m);
            }
            LinkAttribute::Controller(m) => c.master = Some(*m),
            LinkAttribute::Link(l) if *l != 0 => c.link = Some(*l),
            LinkAttribute::LinkNetNsId(id) => c.link_netnsid = Some(*id),
            LinkAttribute::LinkInfo(infos) => {
                for info in infos {
                    match info {
                        LinkInfo::Kind(InfoKind::Other(s)) => info_kind = Some(s.clone()),
                        LinkInfo::Kind(k) => info_kind = Some(k.to_string()),
                        LinkInfo::Data(InfoData::Tun(tun)) => {
                            for t in tun {
                                let InfoTun::Other(nla) = t else { continue };
                                if nla.kind() == IFLA_TUN_TYPE {
                                    let mut v = vec![0u8; nla.value_len()];
                                    nla.emit_value(&mut v);
                                    tap = v.first() == Some(&IFF_TAP);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    // A link to itself means nothing, unless it is the same index in another namespace (a
    // veth pair across namespaces often has equal ifindexes).
    if c.link == Some(msg.header.index) && c.link_netnsid.is_none() {
        c.link = None;
    }
    c.kind = if raw_type == ARPHRD_LOOPBACK || msg.header.flags.contains(LinkFlags::Loopback) {
        ComponentKind::Loopback
    } else if info_kind.as_deref() == Some("tun") {
        if tap {
            ComponentKind::Tap
        } else {
            ComponentKind::Tun
        }
    } else if info_kind.is_none() && is_wireless(&c.name) {
        ComponentKind::Wireless
    } else {
        ComponentKind::from_info_kind(info_kind.as_deref())
    };
    if c.mac == Some([0; 6]) && c.kind == ComponentKind::Loopback {
        // keep it: pktmon shows all-zero MACs too
    }
    c
}
