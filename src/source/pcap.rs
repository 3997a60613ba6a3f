//! Legacy pcap (tcpdump's `-w` format): one link type per file, no metadata, so every
//! record gets a single observation point's defaults (component 1, direction unknown,
//! PktGroupId = the packet's ordinal).

use super::{MAX_BLOCK, SourceError, read_full};
use crate::record::{LinkType, PacketRecord};
use std::borrow::Cow;
use std::io::Read;

/// libpcap's largest snapshot length for most link types.
const MAX_SNAPLEN: u32 = 262_144;

pub struct PcapReader<R> {
    input: R,
    pos: u64,
    big_endian: bool,
    nanos: bool,
    /// "Modified" pcap (Alexey Kuznetsov's) adds 8 bytes to each record header.
    record_header_len: usize,
    link_type: LinkType,
    snaplen: u32,
    buf: Vec<u8>,
    count: u64,
}

impl<R: Read> PcapReader<R> {
    pub fn new(mut input: R) -> Result<Self, SourceError> {
        let mut hdr = [0u8; 24];
        let got =
            read_full(&mut input, &mut hdr).map_err(|e| SourceError::new(0, e.to_string()))?;
        if got < 24 {
            return Err(SourceError::new(
                0,
                format!("truncated pcap file header ({got} of 24 bytes)"),
            ));
        }
        let (_, header) = pcap_parser::parse_pcap_header(&hdr)
            .map_err(|_| SourceError::new(0, "malformed pcap file header"))?;
        Ok(PcapReader {
            input,
            pos: 24,
            big_endian: header.is_bigendian(),
            nanos: header.is_nanosecond_precision(),
            record_header_len: if header.is_modified_format() { 24 } else { 16 },
            link_type: LinkType(header.network.0 as u16),
            snaplen: header.snaplen,
            buf: Vec::with_capacity(65536),
            count: 0,
        })
    }

    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    pub fn link_type(&self) -> LinkType {
        self.link_type
    }

    fn u32_at(&self, b: &[u8], at: usize) -> u32 {
        let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if self.big_endian {
            u32::from_be_bytes(v)
        } else {
            u32::from_le_bytes(v)
        }
    }

    pub fn next_record(&mut self) -> Result<Option<PacketRecord<'_>>, SourceError> {
        let start = self.pos;
        let mut hdr = [0u8; 24];
        let hlen = self.record_header_len;
        let got = read_full(&mut self.input, &mut hdr[..hlen])
            .map_err(|e| SourceError::new(start, e.to_string()))?;
        if got == 0 {
            return Ok(None);
        }
        if got < hlen {
            return Err(SourceError::new(
                start,
                format!("truncated packet record header ({got} of {hlen} bytes)"),
            ));
        }
        let (secs, frac) = (self.u32_at(&hdr, 0), self.u32_at(&hdr, 4));
        let caplen = self.u32_at(&hdr, 8);
        let origlen = self.u32_at(&hdr, 12);
        if caplen > MAX_BLOCK {
            return Err(SourceError::new(
                start,
                format!("implausible captured length {caplen} in packet record"),
            ));
        }
        self.buf.resize(caplen as usize, 0);
        let got = read_full(&mut self.input, &mut self.buf)
            .map_err(|e| SourceError::new(start, e.to_string()))?;
        if got < caplen as usize {
            return Err(SourceError::new(
                start,
                format!("truncated packet record ({got} of {caplen} bytes of packet data)"),
            ));
        }
        self.pos += (hlen + caplen as usize) as u64;
        self.count += 1;
        let frac_ns = if self.nanos {
            u64::from(frac)
        } else {
            u64::from(frac) * 1000
        };
        let mut rec = PacketRecord::flow(
            1,
            self.link_type,
            u64::from(secs) * 1_000_000_000 + frac_ns,
            &[],
        );
        // libpcap keeps only the file's snapshot length of a longer record (tcpdump
        // prints what it keeps); a snapshot length of 0 or past 256 KiB means none.
        let kept = match self.snaplen {
            1..=MAX_SNAPLEN => self.buf.len().min(self.snaplen as usize),
            _ => self.buf.len(),
        };
        rec.data = Cow::Borrowed(&self.buf[..kept]);
        rec.direction = super::direction_from_link(self.link_type, &self.buf[..kept]);
        // As recorded, even when smaller than what was captured: the printer says so as
        // tcpdump does (`[Invalid header: len(34) < caplen(35)]`).
        rec.original_len = origlen;
        rec.group_id = self.count;
        Ok(Some(rec))
    }

    pub fn bytes_read(&self) -> u64 {
        self.pos
    }
}
