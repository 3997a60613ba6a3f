//! pcapng from any tool, and our own metadata back from our files (docs/pcapng.md).
//!
//! Blocks are framed here (so a damaged file reports the offset of the damaged block and
//! everything before it is kept) and parsed by pcap-parser.
//!
//! What a record gets:
//! - component: our IDB custom option, else the interface's position + 1;
//! - direction: `epb_flags` bits 0–1 (inbound = Rx, outbound = Tx);
//! - PktGroupId: `epb_packetid`, else the packet's ordinal in the file;
//! - everything else (drop reason, appearance, edge, filter) from our EPB custom option,
//!   else a single sighting's defaults.

use super::{MAX_BLOCK, SourceError, read_full, u16_at, u32_at};
use crate::pcapng::{BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, BYTE_ORDER_MAGIC, meta, opt};
use crate::record::{Direction, LinkType, PacketRecord, RecordKind};
use pcap_parser::pcapng::{Block, parse_block_be, parse_block_le};
use std::borrow::Cow;
use std::io::BufRead;

const BLOCK_SPB: u32 = 3;

/// What the file says about the component behind an interface.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComponentInfo {
    pub component: u32,
    pub name: String,
    pub description: String,
    pub mac: Option<[u8; 6]>,
    pub snaplen: u32,
    /// Whether the component is a network adapter, when the file says so (our custom IDB
    /// option; Windows ETL rundown: Miniport components); `None`: the file does not say.
    pub role: Option<ComponentRole>,
}

pub use crate::pcapng::meta::ComponentRole;

#[derive(Clone, Debug)]
struct Interface {
    link_type: LinkType,
    component: u32,
    info: ComponentInfo,
    /// Timestamp units per second.
    units_per_sec: u64,
    offset_secs: i64,
    snaplen: u32,
}

/// A timestamp in `units` per second (plus an offset in seconds) as Unix nanoseconds.
fn to_nanos(ts: u64, units: u64, offset_secs: i64) -> u64 {
    // The usual resolutions divide a second evenly: no 128-bit division per packet.
    let ns = if units <= 1_000_000_000 && 1_000_000_000 % units == 0 {
        u128::from(ts) * u128::from(1_000_000_000 / units)
    } else {
        u128::from(ts) * 1_000_000_000 / u128::from(units)
    };
    let ns = ns as i128 + i128::from(offset_secs) * 1_000_000_000;
    ns.clamp(0, i128::from(u64::MAX)) as u64
}

pub struct PcapngReader<R> {
    input: R,
    pos: u64,
    big_endian: bool,
    interfaces: Vec<Interface>,
    /// Interfaces declared before the current section, for default component ids that
    /// stay distinct across sections.
    interfaces_before: u32,
    buf: Vec<u8>,
    /// Length of the current block.
    block_len: usize,
    /// The current block is still in the input's buffer (not copied into `buf`): its
    /// length is consumed before the next block is read.
    lent: bool,
    count: u64,
}

impl<R: BufRead> PcapngReader<R> {
    /// Starts reading; the first block must be a Section Header Block.
    pub fn new(input: R) -> Result<Self, SourceError> {
        Ok(PcapngReader {
            input,
            pos: 0,
            big_endian: false,
            interfaces: Vec::new(),
            interfaces_before: 0,
            buf: Vec::with_capacity(65536),
            block_len: 0,
            lent: false,
            count: 0,
        })
    }

    fn u32_of(&self, b: &[u8]) -> u32 {
        u32_at(self.big_endian, b, 0)
    }

    /// Reads the next whole block; returns its type, or `None` at a clean end.
    fn read_block(&mut self) -> Result<Option<u32>, SourceError> {
        if std::mem::take(&mut self.lent) {
            self.input.consume(self.block_len);
        }
        if let Some(block_type) = self.lend_packet_block() {
            return Ok(Some(block_type));
        }
        self.copy_block()
    }

    /// The per-packet path: a well-formed packet block that lies whole in the input's
    /// buffer stays there (no copy into `buf`). Anything else, or an I/O error, is left
    /// to [`copy_block`](Self::copy_block), which reads it again from the same place.
    fn lend_packet_block(&mut self) -> Option<u32> {
        if self.pos == 0 {
            return None;
        }
        let big_endian = self.big_endian;
        let u32_of = |b: &[u8]| u32_at(big_endian, b, 0);
        let avail = self.input.fill_buf().ok()?;
        let head = avail.get(..8)?;
        let block_type = u32_of(&head[0..4]);
        let len = u32_of(&head[4..8]);
        let len_us = len as usize;
        let packet = block_type == BLOCK_EPB || block_type == BLOCK_SPB;
        if !packet || len < 12 || !len.is_multiple_of(4) || len > MAX_BLOCK {
            return None;
        }
        let trailer = avail.get(len_us - 4..len_us)?;
        if u32_of(trailer) != len {
            return None;
        }
        self.block_len = len_us;
        self.lent = true;
        self.pos += u64::from(len);
        Some(block_type)
    }

    /// Reads the next whole block into `buf`, checking every field it frames by.
    fn copy_block(&mut self) -> Result<Option<u32>, SourceError> {
        let start = self.pos;
        let io_err = |e: std::io::Error| SourceError::new(start, e.to_string());
        let mut head = [0u8; 12];
        let got = read_full(&mut self.input, &mut head[..8]).map_err(io_err)?;
        if got == 0 {
            return Ok(None);
        }
        if got < 8 {
            return Err(SourceError::new(
                start,
                format!("truncated block header ({got} of 8 bytes)"),
            ));
        }
        let raw_type = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let mut have = 8;
        if raw_type == BLOCK_SHB {
            let got = read_full(&mut self.input, &mut head[8..12]).map_err(io_err)?;
            if got < 4 {
                return Err(SourceError::new(start, "truncated section header block"));
            }
            have = 12;
            let bom = [head[8], head[9], head[10], head[11]];
            self.big_endian = if u32::from_le_bytes(bom) == BYTE_ORDER_MAGIC {
                false
            } else if u32::from_be_bytes(bom) == BYTE_ORDER_MAGIC {
                true
            } else {
                return Err(SourceError::new(
                    start,
                    "section header block with an invalid byte-order magic",
                ));
            };
        } else if start == 0 {
            return Err(SourceError::new(
                0,
                "pcapng file does not start with a section header",
            ));
        }
        let block_type = self.u32_of(&head[0..4]);
        let len = self.u32_of(&head[4..8]);
        if len < 12
            || !len.is_multiple_of(4)
            || len > MAX_BLOCK
            || (raw_type == BLOCK_SHB && len < 28)
        {
            return Err(SourceError::new(
                start,
                format!("invalid block length {len} (block type 0x{block_type:08x})"),
            ));
        }
        // `buf` only grows: the block is its first `block_len` bytes.
        let len_us = len as usize;
        if self.buf.len() < len_us {
            self.buf.resize(len_us, 0);
        }
        self.buf[..have].copy_from_slice(&head[..have]);
        self.block_len = len_us;
        let got = read_full(&mut self.input, &mut self.buf[have..len_us]).map_err(io_err)?;
        if got < len as usize - have {
            return Err(SourceError::new(
                start,
                format!(
                    "truncated block (type 0x{block_type:08x}, {} of {len} bytes)",
                    got + have
                ),
            ));
        }
        let trailer = self.u32_of(&self.buf[len_us - 4..len_us]);
        if trailer != len {
            return Err(SourceError::new(
                start,
                format!("block length fields disagree ({len} and {trailer})"),
            ));
        }
        self.pos += u64::from(len);
        Ok(Some(block_type))
    }

    fn parse(&self) -> Result<Block<'_>, ()> {
        let r = if self.big_endian {
            parse_block_be(&self.buf[..self.block_len])
        } else {
            parse_block_le(&self.buf[..self.block_len])
        };
        r.map(|(_, b)| b).map_err(|_| ())
    }

    pub fn next_record(&mut self) -> Result<Option<PacketRecord<'_>>, SourceError> {
        loop {
            let start = self.pos;
            let Some(block_type) = self.read_block()? else {
                return Ok(None);
            };
            match block_type {
                BLOCK_EPB | BLOCK_SPB => return self.packet(start, block_type).map(Some),
                BLOCK_SHB => {
                    self.parse()
                        .map_err(|_| SourceError::new(start, "malformed section header block"))?;
                    self.interfaces_before += self.interfaces.len() as u32;
                    self.interfaces.clear();
                }
                BLOCK_IDB => {
                    let iface = self.interface().ok_or_else(|| {
                        SourceError::new(start, "malformed interface description block")
                    })?;
                    self.interfaces.push(iface);
                }
                // Statistics, name resolution, custom and unknown blocks carry no packets.
                _ => {}
            }
        }
    }

    fn interface(&self) -> Option<Interface> {
        let Ok(Block::InterfaceDescription(idb)) = self.parse() else {
            return None;
        };
        let ours = idb
            .options
            .iter()
            .filter(|o| o.code.0 == opt::CUSTOM_BINARY_COPY)
            .find_map(|o| meta::read_interface_binary(o.value()));
        let component = ours.map_or(
            self.interfaces_before + self.interfaces.len() as u32 + 1,
            |(c, _)| c,
        );
        let role = ours.and_then(|(_, role)| role);
        let text = |v: Option<Result<&str, _>>| v.and_then(Result::ok).unwrap_or("").to_string();
        let mac = idb
            .if_macaddr()
            .and_then(Result::ok)
            .and_then(|m| <[u8; 6]>::try_from(m).ok());
        Some(Interface {
            link_type: LinkType(idb.linktype.0 as u16),
            component,
            info: ComponentInfo {
                component,
                name: text(idb.if_name()),
                description: text(idb.if_description()),
                mac,
                snaplen: idb.snaplen,
                role,
            },
            units_per_sec: idb.ts_resolution().unwrap_or(1_000_000).max(1),
            offset_secs: idb.ts_offset(),
            snaplen: idb.snaplen,
        })
    }

    /// An Enhanced or Simple Packet Block (in `buf`) as a record. Parsed here rather than
    /// by pcap-parser: this is the per-packet path, and pcap-parser collects each block's
    /// options into a new Vec (an allocation per packet) where a scan of them will do.
    fn packet(&mut self, start: u64, block_type: u32) -> Result<PacketRecord<'_>, SourceError> {
        self.count += 1;
        let ordinal = self.count;
        let big_endian = self.big_endian;
        let malformed = || SourceError::new(start, "malformed packet block");
        let b = if self.lent {
            // Still the block lend_packet_block found: fill_buf hands back the same bytes.
            let avail = self.input.fill_buf().map_err(|_| malformed())?;
            avail.get(..self.block_len).ok_or_else(malformed)?
        } else {
            &self.buf[..self.block_len]
        };
        let u32_at = |at: usize| u32_at(big_endian, b, at);
        let u16_at = |at: usize| u16_at(big_endian, b, at);
        // read_block guarantees at least 12 bytes and the trailing length at the end.
        let body_end = b.len() - 4;
        let (if_id, ts, data, origlen, options_at) = if block_type == BLOCK_EPB {
            if b.len() < 32 {
                return Err(malformed());
            }
            let caplen = u32_at(20) as usize;
            let data_end = 28usize
                .checked_add(caplen)
                .filter(|e| *e <= body_end)
                .ok_or_else(malformed)?;
            let ts = (u64::from(u32_at(12)) << 32) | u64::from(u32_at(16));
            let options_at = (data_end + (4 - caplen % 4) % 4).min(body_end);
            (u32_at(8), ts, 28..data_end, u32_at(24), options_at)
        } else {
            if b.len() < 16 {
                return Err(malformed());
            }
            let origlen = u32_at(8);
            let snaplen = self.interfaces.first().map_or(0, |i| i.snaplen);
            let mut caplen = (body_end - 12).min(origlen as usize);
            if snaplen > 0 {
                caplen = caplen.min(snaplen as usize);
            }
            (0, 0, 12..12 + caplen, origlen, body_end)
        };
        let Some(iface) = self.interfaces.get(if_id as usize) else {
            return Err(SourceError::new(
                start,
                format!("packet for interface {if_id}, which the file never declared"),
            ));
        };
        let ns = to_nanos(ts, iface.units_per_sec, iface.offset_secs);
        let data = &b[data];
        let mut rec = PacketRecord::flow(iface.component, iface.link_type, ns, data);
        rec.direction = super::direction_from_link(iface.link_type, data);
        rec.original_len = origlen.max(data.len() as u32);
        rec.group_id = ordinal;
        // Options: code, length, value padded to 4 bytes; a bad length ends the scan
        // (the packet is kept with what was read).
        let mut at = options_at;
        while at + 4 <= body_end {
            let (code, len) = (u16_at(at), usize::from(u16_at(at + 2)));
            if code == opt::END || at + 4 + len > body_end {
                break;
            }
            let value = &b[at + 4..at + 4 + len];
            match code {
                opt::EPB_FLAGS if len >= 4 => {
                    rec.direction = match u32_at(at + 4) & 3 {
                        1 => Direction::Rx,
                        2 => Direction::Tx,
                        _ => Direction::Unknown,
                    };
                }
                opt::EPB_PACKETID if len >= 8 => {
                    // A u64 in the section's byte order, read as two u32 words.
                    let (first, second) = (u64::from(u32_at(at + 4)), u64::from(u32_at(at + 8)));
                    rec.group_id = if big_endian {
                        (first << 32) | second
                    } else {
                        (second << 32) | first
                    };
                }
                opt::CUSTOM_BINARY_COPY => {
                    if let Some(m) = meta::read_binary(value) {
                        rec.direction = m.direction;
                        rec.component = m.component;
                        rec.edge = m.edge;
                        rec.group_id = m.group_id;
                        rec.packet_number = m.packet_number;
                        rec.appearance = m.appearance;
                        rec.group_inferred = m.group_inferred;
                        rec.filter_id = m.filter_id;
                        if m.is_drop {
                            rec.kind = RecordKind::Drop {
                                reason: Cow::Owned(m.drop_reason.unwrap_or_default()),
                                location: Cow::Owned(m.drop_location.unwrap_or_default()),
                            };
                        }
                    }
                }
                _ => {}
            }
            at += 4 + len + (4 - len % 4) % 4;
        }
        Ok(rec)
    }

    pub fn bytes_read(&self) -> u64 {
        self.pos
    }

    /// What the current section says about `component`, if it declared it.
    pub fn component_info(&self, component: u32) -> Option<&ComponentInfo> {
        self.interfaces
            .iter()
            .find(|i| i.component == component)
            .map(|i| &i.info)
    }
}
