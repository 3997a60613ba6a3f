//! Packets as pktmon text.
//!
//! - [`decode`]: a frame's bytes and link type → [`Decoded`], the layers tcpdump's
//!   printers would print (one [`Level`] per encapsulation layer).
//! - [`print_lines`]: a [`Decoded`] → pktmon's TAB-indented decode lines.
//! - [`TextRenderer`]: a [`PacketRecord`](crate::record::PacketRecord) → the record line
//!   (`PktGroupId …, PktNumber …`) with its prefix, then the decode lines and hex lines.
//!
//! One file per protocol (as tcpdump's `print-*.c`): its view over the bytes, its decode
//! (`impl Decoder`), its printer (`impl Printer`) and its tests. The tables choosing the
//! next protocol (link type, EtherType, IP protocol) are in `dispatch`; protocol numbers
//! are in [`numbers`], shared with the filters and the drop tracer. Adding a protocol is
//! one file, one table row and one test block.
//!
//! Every text output (etl2txt, the real-time console, hex2pkt) goes through here, so the
//! same bytes always print the same way.

pub mod ah;
pub mod aoe;
pub mod arp;
pub mod bfd;
pub mod chdlc;
pub mod dccp;
pub mod decode;
mod dispatch;
pub mod dns;
pub mod eigrp;
pub mod ethernet;
pub mod forces;
pub mod gre;
pub mod hbh;
pub mod hexdump;
pub mod hsrp;
pub mod http;
pub mod icmp;
pub mod icmp6_nodeinfo;
pub mod icmp6_rrenum;
pub mod igmp;
pub mod ipv4;
pub mod ipv6;
pub mod ldp;
pub mod llc;
pub mod lmp;
pub mod mobility;
pub mod mptcp;
pub mod names;
mod null;
pub mod numbers;
pub mod openflow;
pub mod ospf;
pub mod pgm;
pub mod pim;
pub mod pimv1;
pub mod ppp;
pub mod pptp;
pub mod print;
pub mod render;
pub mod resp;
pub mod rsvp;
pub mod rt6;
pub mod sctp;
mod sll;
pub mod ssh;
pub mod tcp;
pub mod text;
pub mod udp;
pub mod vrrp;
mod vxlan;
pub mod whois;
pub mod wifi;

#[cfg(test)]
mod tests;

pub use decode::{DecodeOptions, Decoded, Level, Link, Net, Transport, decode};
pub use print::{PrintOptions, print_lines};
pub use render::{
    EventOrigin, PrefixStyle, TextOptions, TextRenderer, hex_lines, record_line, render_decode,
};
