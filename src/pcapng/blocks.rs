//! Block framing for the log modes: walking whole blocks, the filler block that covers the
//! stale tail of a reused circular slot, and the slot mark a circular log keeps in each
//! section header. Layout: docs/log-modes.md.

use super::{BLOCK_SHB, meta::PKTMON_PEN, opt};

/// A block type from pcapng's local-use range (MSB set): readers skip it without showing
/// it (tshark and libpcap do; a Custom Block would appear as a frame in tshark).
pub const BLOCK_FILLER: u32 = 0x8000_7061;
/// Smallest block: type, length, trailer.
pub const MIN_BLOCK: usize = 12;

/// Type and total length of the whole, consistent block at `pos`, or None (end of data,
/// a cut-short block, a length that does not match its trailer).
pub fn block_at(bytes: &[u8], pos: usize) -> Option<(u32, usize)> {
    let head = bytes.get(pos..pos + 8)?;
    let block_type = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
    if len < MIN_BLOCK || !len.is_multiple_of(4) {
        return None;
    }
    let trailer = bytes.get(pos + len - 4..pos + len)?;
    (u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]) == len as u32)
        .then_some((block_type, len))
}

/// `bytes` (whole blocks) cut into runs of whole blocks of about `max` bytes: written one
/// by one, a full disk keeps every run before the one that failed.
pub fn runs_of_blocks(bytes: &[u8], max: usize) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    std::iter::from_fn(move || {
        let mut end = start;
        while let Some((_, len)) = block_at(bytes, end) {
            if end > start && end - start + len > max {
                break;
            }
            end += len;
        }
        if end == start {
            return None;
        }
        let run = &bytes[start..end];
        start = end;
        Some(run)
    })
}

/// The header (first 8 bytes) of a filler block `len` bytes long.
pub fn filler_header(len: usize) -> [u8; 8] {
    let mut h = [0u8; 8];
    h[..4].copy_from_slice(&BLOCK_FILLER.to_le_bytes());
    h[4..].copy_from_slice(&(len as u32).to_le_bytes());
    h
}

/// Where a section of a circular log sits: it is the `sequence`-th section written, in a
/// file of `slot_size`-byte slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlotMark {
    pub sequence: u64,
    pub slot_size: u64,
}

/// Tag of the slot mark in our SHB custom option (after the PEN).
const SLOT_TAG: [u8; 4] = [1, b'S', 0, 0];

/// The SHB `shb` with a slot mark option added before its end of options.
pub fn shb_with_mark(shb: &[u8], mark: SlotMark) -> Vec<u8> {
    let mut value = Vec::with_capacity(24);
    value.extend_from_slice(&PKTMON_PEN.to_le_bytes());
    value.extend_from_slice(&SLOT_TAG);
    value.extend_from_slice(&mark.sequence.to_le_bytes());
    value.extend_from_slice(&mark.slot_size.to_le_bytes());
    let mut out = Vec::with_capacity(shb.len() + 4 + value.len());
    let (body, _) = split_options(shb);
    out.extend_from_slice(&shb[..body]);
    for (code, v) in options(shb) {
        if !is_slot_mark(code, v) {
            push_option(&mut out, code, v);
        }
    }
    push_option(&mut out, opt::CUSTOM_BINARY_COPY, &value);
    finish_block(out)
}

/// The SHB without its slot mark (a joined log is one plain section).
pub fn shb_without_mark(shb: &[u8]) -> Vec<u8> {
    let (body, _) = split_options(shb);
    let mut out = shb[..body].to_vec();
    for (code, v) in options(shb) {
        if !is_slot_mark(code, v) {
            push_option(&mut out, code, v);
        }
    }
    finish_block(out)
}

/// The slot mark of a section header, if it has one.
pub fn slot_mark(shb: &[u8]) -> Option<SlotMark> {
    if shb.len() < 28 || u32::from_le_bytes(shb[..4].try_into().ok()?) != BLOCK_SHB {
        return None;
    }
    options(shb)
        .find(|&(c, v)| is_slot_mark(c, v))
        .map(|(_, v)| SlotMark {
            sequence: u64::from_le_bytes(v[8..16].try_into().unwrap_or_default()),
            slot_size: u64::from_le_bytes(v[16..24].try_into().unwrap_or_default()),
        })
}

fn is_slot_mark(code: u16, v: &[u8]) -> bool {
    code == opt::CUSTOM_BINARY_COPY
        && v.len() >= 24
        && v[..4] == PKTMON_PEN.to_le_bytes()
        && v[4..8] == SLOT_TAG
}

/// SHB fixed part: type, length, magic, version, section length.
const SHB_FIXED: usize = 24;

/// (end of the fixed part, end of the options) of a little-endian SHB.
fn split_options(shb: &[u8]) -> (usize, usize) {
    (SHB_FIXED.min(shb.len()), shb.len().saturating_sub(4))
}

/// The options of a SHB (little-endian, as we write them), end of options excluded.
fn options(shb: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let (mut pos, end) = split_options(shb);
    std::iter::from_fn(move || {
        let h = shb.get(pos..(pos + 4).min(end))?;
        if h.len() < 4 {
            return None;
        }
        let code = u16::from_le_bytes([h[0], h[1]]);
        let len = u16::from_le_bytes([h[2], h[3]]) as usize;
        if code == opt::END {
            return None;
        }
        let v = shb.get(pos + 4..pos + 4 + len)?;
        pos += 4 + len + (4 - len % 4) % 4;
        Some((code, v))
    })
}

fn push_option(b: &mut Vec<u8>, code: u16, v: &[u8]) {
    b.extend_from_slice(&code.to_le_bytes());
    b.extend_from_slice(&(v.len() as u16).to_le_bytes());
    b.extend_from_slice(v);
    b.resize(b.len() + (4 - v.len() % 4) % 4, 0);
}

/// Appends the end of options and the trailer, and patches the length.
fn finish_block(mut b: Vec<u8>) -> Vec<u8> {
    b.extend_from_slice(&[0, 0, 0, 0]);
    let total = (b.len() + 4) as u32;
    b.extend_from_slice(&total.to_le_bytes());
    b[4..8].copy_from_slice(&total.to_le_bytes());
    b
}

/// What `Write::write` answers for a placement of whole blocks: how much was placed, and
/// an error only when nothing was; an error after some blocks is kept in `pending` for the
/// next call (so the writer counts exactly the blocks that reached the log).
pub fn write_result(
    pending: &mut Option<std::io::Error>,
    placed: (usize, std::io::Result<()>),
) -> std::io::Result<usize> {
    match placed {
        (n, Ok(())) => Ok(n),
        (0, Err(e)) => Err(e),
        (n, Err(e)) => {
            *pending = Some(e);
            Ok(n)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pcapng::PcapngWriter;

    fn shb() -> Vec<u8> {
        let mut w = PcapngWriter::new(Vec::new(), "pktmon test", None);
        w.flush().unwrap();
        w.into_inner()
    }

    #[test]
    fn a_slot_mark_round_trips_and_leaves_a_readable_header() {
        let plain = shb();
        let mark = SlotMark {
            sequence: 7,
            slot_size: 65536,
        };
        let marked = shb_with_mark(&plain, mark);
        assert_eq!(block_at(&marked, 0), Some((BLOCK_SHB, marked.len())));
        assert_eq!(slot_mark(&marked), Some(mark));
        assert_eq!(slot_mark(&plain), None);
        assert_eq!(shb_without_mark(&marked), plain);
        let (_, cap) = pcap_parser::parse_pcapng(&marked).expect("a valid section header");
        assert_eq!(cap.sections.len(), 1);
    }

    #[test]
    fn block_at_refuses_cut_and_inconsistent_blocks() {
        let mut b = filler_header(16).to_vec();
        b.extend_from_slice(&[0; 4]);
        b.extend_from_slice(&16u32.to_le_bytes());
        assert_eq!(block_at(&b, 0), Some((BLOCK_FILLER, 16)));
        assert_eq!(block_at(&b[..15], 0), None);
        b[12..16].copy_from_slice(&20u32.to_le_bytes());
        assert_eq!(block_at(&b, 0), None);
    }
}
