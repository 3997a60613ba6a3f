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

pub mod aarp;
pub mod ah;
pub mod ahcp;
pub mod aodv;
pub mod aoe;
pub mod arcnet;
pub mod arista;
pub mod arp;
pub mod atalk;
pub mod autorp;
pub mod babel;
pub mod bcm_li;
pub mod bfd;
pub mod bootp;
pub mod brcm_tag;
pub mod calm_fast;
pub mod cdp;
pub mod cfm;
pub mod chdlc;
pub mod clnp;
mod cursor;
pub mod dccp;
pub mod decnet;
pub mod decode;
pub mod dhcp6;
mod dispatch;
pub mod dns;
pub mod dsa;
pub mod dtp;
pub mod dvmrp;
pub mod eapol;
pub mod eigrp;
pub mod esis;
pub mod ethernet;
pub mod forces;
pub mod frame_relay;
pub mod frf16;
pub mod geneve;
pub mod geonet;
pub mod gre;
pub mod hbh;
pub mod hexdump;
pub mod hncp;
pub mod hsrp;
pub mod http;
pub mod icmp;
pub mod icmp6_nodeinfo;
pub mod icmp6_rpl;
pub mod icmp6_rrenum;
pub mod igmp;
pub mod igrp;
pub mod ipcomp;
pub mod ipnet;
pub mod ipoib;
pub mod ipv4;
pub mod ipv6;
pub mod ipx;
pub mod isakmp;
pub mod isis;
pub mod krb;
pub mod l2tp;
pub mod ldp;
pub mod lisp;
pub mod llc;
pub mod lldp;
pub mod lmp;
pub mod loopback;
pub mod lspping;
pub mod lwapp;
pub mod macsec;
pub mod memory;
pub mod mobility;
pub mod mpls;
pub mod mptcp;
pub mod msnlb;
pub mod names;
pub mod nflog;
pub mod nfs;
pub mod nsh;
pub mod ntp;
mod null;
pub mod numbers;
pub mod olsr;
pub mod openflow;
pub mod osi;
pub mod ospf;
pub mod otv;
pub mod pgm;
pub mod pim;
pub mod pimv1;
pub mod pktap;
pub mod ppp;
pub mod ppp_control;
pub mod pppoe;
pub mod pptp;
pub mod print;
pub mod ptp;
pub mod q933;
pub mod radiotap;
pub mod radius;
pub mod render;
pub mod resp;
pub mod rip;
pub mod ripng;
pub mod rpki_rtr;
pub mod rsvp;
pub mod rt6;
pub mod rx;
pub mod sctp;
pub mod sflow;
pub mod slarp;
pub mod slip;
mod sll;
pub mod slow;
pub mod snmp;
pub mod someip;
pub mod ssh;
pub mod stp;
pub mod syslog;
pub mod tcp;
pub mod telnet;
pub mod text;
pub mod tftp;
pub mod timed;
pub mod tipc;
pub mod udld;
pub mod udp;
pub mod vqp;
pub mod vrrp;
pub mod vsock;
pub mod vtp;
mod vxlan;
pub mod vxlan_gpe;
pub mod whois;
pub mod wifi;
pub mod zephyr;

#[cfg(test)]
mod tests;

pub use decode::{DecodeOptions, Decoded, Level, Link, Net, Transport, decode};
pub use memory::CaptureMemory;
pub use print::{PrintOptions, print_lines};
pub use render::{
    EventOrigin, PrefixStyle, TextOptions, TextRenderer, hex_lines, record_line, render_decode,
};
