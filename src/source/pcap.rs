//! Legacy pcap (tcpdump's `-w` format): one link type per file, no metadata, so every
//! record gets a single observation point's defaults (component 1, direction unknown,
//! PktGroupId = the packet's ordinal).

use super::{MAX_BLOCK, SourceError, read_full, u32_at};
use crate::record::{LinkType, PacketRecord};
use std::borrow::Cow;
use std::io::BufRead;

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
    /// Bytes of the input's buffer the last record still borrows (its header and data
    /// were read in place); consumed before the next record is read.
    lent: usize,
    count: u64,
}

impl<R: BufRead> PcapReader<R> {
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
            lent: 0,
            count: 0,
        })
    }

    pub fn snaplen(&self) -> u32 {
        self.snaplen
    }

    pub fn link_type(&self) -> LinkType {
        self.link_type
    }

    pub fn next_record(&mut self) -> Result<Option<PacketRecord<'_>>, SourceError> {
        self.input.consume(std::mem::take(&mut self.lent));
        if self.lend_record() {
            let (start, hlen, format) = (self.pos, self.record_header_len, self.format());
            self.pos += self.lent as u64;
            self.count += 1;
            // Still the bytes lend_record found: fill_buf hands them back unread.
            let avail = self.input.fill_buf();
            let record = avail
                .ok()
                .and_then(|b| b.get(..self.lent))
                .ok_or_else(|| SourceError::new(start, "input buffer lost"))?;
            return Ok(Some(format.record(
                &record[..hlen],
                &record[hlen..],
                self.count,
            )));
        }
        self.copy_record()
    }

    /// The per-packet path: a record whose header and data lie whole in the input's
    /// buffer is read there (no copy into `buf`); sets `lent` to its length. Anything
    /// else is left to [`copy_record`](Self::copy_record).
    fn lend_record(&mut self) -> bool {
        let hlen = self.record_header_len;
        let big_endian = self.big_endian;
        let Ok(avail) = self.input.fill_buf() else {
            return false;
        };
        let Some(hdr) = avail.get(..hlen) else {
            return false;
        };
        let caplen = u32_at(big_endian, hdr, 8);
        if caplen > MAX_BLOCK || avail.len() - hlen < caplen as usize {
            return false;
        }
        self.lent = hlen + caplen as usize;
        true
    }

    /// Reads the next record into `buf`, checking its lengths.
    fn copy_record(&mut self) -> Result<Option<PacketRecord<'_>>, SourceError> {
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
        let caplen = u32_at(self.big_endian, &hdr, 8);
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
        let format = self.format();
        Ok(Some(format.record(&hdr[..hlen], &self.buf, self.count)))
    }

    fn format(&self) -> RecordFormat {
        RecordFormat {
            big_endian: self.big_endian,
            nanos: self.nanos,
            link_type: self.link_type,
            snaplen: self.snaplen,
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.pos
    }
}

/// What the file header says about every record.
#[derive(Clone, Copy)]
struct RecordFormat {
    big_endian: bool,
    nanos: bool,
    link_type: LinkType,
    snaplen: u32,
}

impl RecordFormat {
    /// The record of packet record header `hdr` and its captured bytes `data`, the
    /// file's `ordinal`-th.
    fn record<'b>(&self, hdr: &[u8], data: &'b [u8], ordinal: u64) -> PacketRecord<'b> {
        let u32_at = |at| u32_at(self.big_endian, hdr, at);
        let (secs, frac) = (u32_at(0), u32_at(4));
        let origlen = u32_at(12);
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
            1..=MAX_SNAPLEN => data.len().min(self.snaplen as usize),
            _ => data.len(),
        };
        rec.data = Cow::Borrowed(&data[..kept]);
        rec.direction = super::direction_from_link(self.link_type, &data[..kept]);
        // As recorded, even when smaller than what was captured: the printer says so as
        // tcpdump does (`[Invalid header: len(34) < caplen(35)]`).
        rec.original_len = origlen;
        rec.group_id = ordinal;
        rec
    }
}
