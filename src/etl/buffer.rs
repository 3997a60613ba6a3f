//! ETL buffers: the fixed `WMI_BUFFER_HEADER` and the chain of buffers that makes a file.

use super::bytes::{u16_at, u32_at, u64_at};

pub const BUFFER_HEADER_LEN: usize = 0x48;

/// `BufferFlag` bits.
pub mod flag {
    pub const FLUSH_MARKER: u16 = 0x01;
    pub const EVENTS_LOST: u16 = 0x02;
    pub const BUFFER_LOST: u16 = 0x04;
    pub const COMPRESSED: u16 = 0x40;
}

/// The parts of `WMI_BUFFER_HEADER` that mean something in a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufferHeader {
    /// Bytes this buffer occupies in the file (header included).
    pub buffer_size: u32,
    pub saved_offset: u32,
    pub timestamp: u64,
    pub sequence: u64,
    /// The CPU whose events the buffer holds: the `[NN]` of pktmon's text.
    pub processor: u16,
    /// End of valid data in the uncompressed buffer, measured from the buffer start.
    pub offset: u32,
    pub flags: u16,
    pub buffer_type: u16,
}

impl BufferHeader {
    pub fn parse(b: &[u8]) -> Option<BufferHeader> {
        if b.len() < BUFFER_HEADER_LEN {
            return None;
        }
        Some(BufferHeader {
            buffer_size: u32_at(b, 0x00)?,
            saved_offset: u32_at(b, 0x04)?,
            timestamp: u64_at(b, 0x10)?,
            sequence: u64_at(b, 0x18)?,
            processor: u16_at(b, 0x28)?,
            offset: u32_at(b, 0x30)?,
            flags: u16_at(b, 0x34)?,
            buffer_type: u16_at(b, 0x36)?,
        })
    }

    pub fn is_compressed(&self) -> bool {
        self.flags & flag::COMPRESSED != 0
    }

    /// Length of the event area once uncompressed (`Offset − 0x48`).
    pub fn events_len(&self) -> usize {
        (self.offset as usize).saturating_sub(BUFFER_HEADER_LEN)
    }
}

/// One buffer as it lies in the file: header and the stored (maybe compressed) bytes after it.
#[derive(Clone, Copy, Debug)]
pub struct RawBuffer<'a> {
    pub file_offset: u64,
    pub header: BufferHeader,
    /// The bytes after the header, up to `BufferSize` (compressed stream, or events + padding).
    pub stored: &'a [u8],
}

/// Why the buffer chain cannot be followed further.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainError {
    /// Fewer bytes left than a buffer header, or than the header's BufferSize.
    Truncated { offset: u64, what: String },
    /// A header whose sizes cannot be right; the chain cannot be followed past it.
    Corrupt { offset: u64, what: String },
}

/// Walks the buffers of a file. After an error it yields nothing more.
pub struct Buffers<'a> {
    data: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Buffers<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Buffers {
            data,
            pos: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for Buffers<'a> {
    type Item = Result<RawBuffer<'a>, ChainError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.pos >= self.data.len() {
            return None;
        }
        let offset = self.pos as u64;
        let rest = &self.data[self.pos..];
        let fail = |done: &mut bool, e: ChainError| {
            *done = true;
            Some(Err(e))
        };
        let Some(header) = BufferHeader::parse(rest) else {
            return fail(
                &mut self.done,
                ChainError::Truncated {
                    offset,
                    what: format!(
                        "{} bytes left, too few for a buffer header ({BUFFER_HEADER_LEN})",
                        rest.len()
                    ),
                },
            );
        };
        let size = header.buffer_size as usize;
        if size < BUFFER_HEADER_LEN {
            return fail(
                &mut self.done,
                ChainError::Corrupt {
                    offset,
                    what: format!("buffer size {size} is smaller than its header"),
                },
            );
        }
        if size > rest.len() {
            return fail(
                &mut self.done,
                ChainError::Truncated {
                    offset,
                    what: format!(
                        "the buffer needs {size} bytes but the file has {} left",
                        rest.len()
                    ),
                },
            );
        }
        self.pos += size;
        Some(Ok(RawBuffer {
            file_offset: offset,
            header,
            stored: &rest[BUFFER_HEADER_LEN..size],
        }))
    }
}
