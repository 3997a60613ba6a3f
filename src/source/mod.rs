//! File sources: read a capture file and yield [`PacketRecord`]s.
//!
//! The format is told by the first bytes, never by the file name (a `.etl` name may hold
//! our pcapng). pcap and pcapng from any tool and Windows pktmon ETL logs (through the
//! ETL reader, `crate::etl`) are read here, each as records and component information.
//!
//! Records are read one at a time into a reused buffer (memory does not grow with the
//! file). A cut-short or corrupt file yields every record before the damage and then a
//! [`SourceError`] naming the byte offset.

pub mod etl;
pub mod pcap;
pub mod pcapng;

use crate::record::{Direction, LinkType, PacketRecord};
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Chain, Cursor, Read};
use std::path::Path;

/// File formats told apart by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileFormat {
    Pcap,
    Pcapng,
    /// A Windows Event Trace Log (what Windows pktmon writes).
    Etl,
}

impl FileFormat {
    /// Bytes needed to tell every format apart.
    pub const SNIFF_LEN: usize = 0x50;

    /// The format whose signature starts `head`, if any.
    pub fn detect(head: &[u8]) -> Option<FileFormat> {
        let magic = head.get(0..4)?;
        match magic {
            [0x0A, 0x0D, 0x0D, 0x0A] => return Some(FileFormat::Pcapng),
            [0xD4, 0xC3, 0xB2, 0xA1]
            | [0xA1, 0xB2, 0xC3, 0xD4]
            | [0x4D, 0x3C, 0xB2, 0xA1]
            | [0xA1, 0xB2, 0x3C, 0x4D]
            | [0x34, 0xCD, 0xB2, 0xA1]
            | [0xA1, 0xB2, 0xCD, 0x34] => return Some(FileFormat::Pcap),
            _ => {}
        }
        // ETL: a WMI buffer header (BufferType 4 at 0x36) followed by the logfile header
        // event, a SYSTEM_TRACE_HEADER (0xC0 marker, type 1/2) with HookId 0.
        let etl = head.len() >= 0x50
            && matches!(head[0x4A], 0x01 | 0x02)
            && head[0x4B] == 0xC0
            && head[0x4E..0x50] == [0, 0]
            && head[0x36..0x38] == [4, 0];
        etl.then_some(FileFormat::Etl)
    }
}

/// A damaged or unreadable input: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// Byte offset in the file where the damaged part starts.
    pub offset: u64,
    pub message: String,
}

impl SourceError {
    pub fn new(offset: u64, message: impl Into<String>) -> Self {
        SourceError {
            offset,
            message: message.into(),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte offset {}", self.message, self.offset)
    }
}

impl std::error::Error for SourceError {}

/// Something that yields packet records one at a time.
pub trait RecordSource {
    /// The next record, `Ok(None)` at the end. After an error, do not call again.
    fn next_record(&mut self) -> Result<Option<PacketRecord<'_>>, SourceError>;
    /// Bytes of the input consumed so far (for progress).
    fn bytes_read(&self) -> u64;
}

/// The input readers get: the sniffed head, then the rest, buffered.
pub type Input<R> = BufReader<Chain<Cursor<Vec<u8>>, R>>;

/// A record source for a file of any supported format.
pub enum FileSource<R: Read> {
    Pcap(pcap::PcapReader<Input<R>>),
    Pcapng(pcapng::PcapngReader<Input<R>>),
    /// A Windows ETL file, read whole (the reader orders events by time across buffers).
    Etl(Box<etl::EtlSource>),
}

/// Why a file could not be opened as a record source.
#[derive(Debug)]
pub enum OpenError {
    Io(io::Error),
    /// Windows ETL that cannot be converted: unusable header, or no Packet Monitor events.
    Etl(crate::etl::EtlError),
    /// Not a format we know; holds the first bytes.
    Unknown(Vec<u8>),
    /// Known format, broken header.
    Corrupt(SourceError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Io(e) => write!(f, "{e}"),
            OpenError::Etl(e) => write!(f, "{e}"),
            OpenError::Unknown(head) => {
                f.write_str("it is not a pcap, pcapng or ETL file (it starts with")?;
                for b in head.iter().take(8) {
                    write!(f, " {b:02x}")?;
                }
                if head.is_empty() {
                    f.write_str(" nothing: the file is empty")?;
                }
                f.write_str(")")
            }
            OpenError::Corrupt(e) => write!(f, "{e}"),
        }
    }
}

impl FileSource<File> {
    /// Opens `path` and picks the reader by the file's first bytes.
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        let file = File::open(path).map_err(OpenError::Io)?;
        FileSource::from_reader(file)
    }
}

impl<R: Read> FileSource<R> {
    /// Sniffs the format from the first bytes of `r` and starts the matching reader.
    pub fn from_reader(mut r: R) -> Result<Self, OpenError> {
        let mut head = vec![0u8; FileFormat::SNIFF_LEN];
        let mut got = 0;
        while got < head.len() {
            match r.read(&mut head[got..]) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(OpenError::Io(e)),
            }
        }
        head.truncate(got);
        let format = FileFormat::detect(&head);
        let input = BufReader::with_capacity(1 << 18, Cursor::new(head.clone()).chain(r));
        match format {
            Some(FileFormat::Pcap) => Ok(FileSource::Pcap(
                pcap::PcapReader::new(input).map_err(OpenError::Corrupt)?,
            )),
            Some(FileFormat::Pcapng) => Ok(FileSource::Pcapng(
                pcapng::PcapngReader::new(input).map_err(OpenError::Corrupt)?,
            )),
            Some(FileFormat::Etl) => {
                let mut data = Vec::new();
                input
                    .into_inner()
                    .read_to_end(&mut data)
                    .map_err(OpenError::Io)?;
                Ok(FileSource::Etl(Box::new(
                    etl::EtlSource::new(data).map_err(OpenError::Etl)?,
                )))
            }
            None => Err(OpenError::Unknown(head)),
        }
    }

    /// What the file says about `component` (name, description, MAC), when it says it.
    pub fn component_info(&self, component: u32) -> Option<pcapng::ComponentInfo> {
        match self {
            FileSource::Pcap(r) => (component == 1).then(|| pcapng::ComponentInfo {
                component,
                name: "pcap".to_string(),
                description: format!("Component {component}, from a pcap file"),
                mac: None,
                snaplen: r.snaplen(),
                role: None,
            }),
            FileSource::Pcapng(r) => r.component_info(component).cloned(),
            FileSource::Etl(r) => r.component_info(component),
        }
    }

    pub fn format(&self) -> FileFormat {
        match self {
            FileSource::Pcap(_) => FileFormat::Pcap,
            FileSource::Pcapng(_) => FileFormat::Pcapng,
            FileSource::Etl(_) => FileFormat::Etl,
        }
    }

    /// The ETL reader behind an ETL source (every event, event statistics), else None.
    pub fn etl(&self) -> Option<&crate::etl::EtlReader> {
        match self {
            FileSource::Etl(r) => Some(r.reader()),
            _ => None,
        }
    }
}

impl<R: Read> RecordSource for FileSource<R> {
    fn next_record(&mut self) -> Result<Option<PacketRecord<'_>>, SourceError> {
        match self {
            FileSource::Pcap(r) => r.next_record(),
            FileSource::Pcapng(r) => r.next_record(),
            FileSource::Etl(r) => r.next_record(),
        }
    }

    fn bytes_read(&self) -> u64 {
        match self {
            FileSource::Pcap(r) => r.bytes_read(),
            FileSource::Pcapng(r) => r.bytes_read(),
            FileSource::Etl(r) => r.bytes_read(),
        }
    }
}

/// The direction a Linux cooked-capture header states (`tcpdump -i any` files), for
/// records whose file says nothing else: outgoing = Tx, to us/broadcast/multicast/other
/// host = Rx.
pub(crate) fn direction_from_link(link_type: LinkType, data: &[u8]) -> Direction {
    let packet_type = match link_type {
        LinkType::LINUX_SLL => data.get(0..2).map(|b| u16::from_be_bytes([b[0], b[1]])),
        LinkType::LINUX_SLL2 => data.get(10).map(|b| u16::from(*b)),
        _ => None,
    };
    match packet_type {
        Some(4) => Direction::Tx,
        Some(0..=3) => Direction::Rx,
        _ => Direction::Unknown,
    }
}

/// Reads exactly `buf.len()` bytes; `Ok(n < len)` when the input ends first.
pub(crate) fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Largest block or packet accepted; anything bigger is a corrupt length field.
pub(crate) const MAX_BLOCK: u32 = 64 << 20;

/// A 32-bit field at `at` in a capture file's byte order (pcap and pcapng say which).
pub(crate) fn u32_at(big_endian: bool, b: &[u8], at: usize) -> u32 {
    let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
    if big_endian {
        u32::from_be_bytes(v)
    } else {
        u32::from_le_bytes(v)
    }
}

/// A 16-bit field at `at` in a capture file's byte order.
pub(crate) fn u16_at(big_endian: bool, b: &[u8], at: usize) -> u16 {
    let v = [b[at], b[at + 1]];
    if big_endian {
        u16::from_be_bytes(v)
    } else {
        u16::from_le_bytes(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes_decide_the_format() {
        assert_eq!(
            FileFormat::detect(&[0x0A, 0x0D, 0x0D, 0x0A, 0, 0]),
            Some(FileFormat::Pcapng)
        );
        assert_eq!(
            FileFormat::detect(&[0xD4, 0xC3, 0xB2, 0xA1]),
            Some(FileFormat::Pcap)
        );
        assert_eq!(
            FileFormat::detect(&[0x4D, 0x3C, 0xB2, 0xA1]),
            Some(FileFormat::Pcap)
        );
        assert_eq!(FileFormat::detect(b"hello world"), None);
        assert_eq!(FileFormat::detect(&[]), None);
    }

    #[test]
    fn real_windows_etl_files_are_recognised() {
        let Some(dir) = crate::testdata::shared_etl_dir("real_windows_etl_files_are_recognised")
        else {
            return;
        };
        for name in [
            "pktmon-win10-19042-a.etl",
            "pktmon-ws2022-20348-xdp.etl",
            "pktmon-win11-22000-nopackets.etl",
            "generic-uncompressed-lxcore_kernel.etl",
        ] {
            let bytes = std::fs::read(dir.join(name)).expect("shared test data");
            assert_eq!(
                FileFormat::detect(&bytes[..FileFormat::SNIFF_LEN]),
                Some(FileFormat::Etl),
                "{name}"
            );
            // A Packet Monitor log is a record source; another provider's log is refused
            // by the ETL reader's own error.
            match FileSource::from_reader(&bytes[..]) {
                Ok(FileSource::Etl(_)) => assert!(name.starts_with("pktmon-"), "{name}"),
                Err(OpenError::Etl(crate::etl::EtlError::NoPacketMonitorEvents { .. })) => {
                    assert!(name.starts_with("generic-"), "{name}")
                }
                Err(e) => panic!("{name}: {e}"),
                Ok(_) => panic!("{name}: not read as ETL"),
            }
        }
        let pcapng = std::fs::read(dir.join("pktmon-etl2pcap-output-win10.pcapng")).unwrap();
        assert_eq!(FileFormat::detect(&pcapng), Some(FileFormat::Pcapng));
    }
}

#[cfg(test)]
mod byte_order_tests {
    use super::*;

    /// A big-endian pcapng: SHB, IDB (µs), one EPB with flags (outbound) and packet id.
    fn big_endian_pcapng(frame: &[u8]) -> Vec<u8> {
        let mut f = Vec::new();
        let block = |f: &mut Vec<u8>, kind: u32, body: &[u8]| {
            let len = (12 + body.len()) as u32;
            f.extend_from_slice(&kind.to_be_bytes());
            f.extend_from_slice(&len.to_be_bytes());
            f.extend_from_slice(body);
            f.extend_from_slice(&len.to_be_bytes());
        };
        let mut shb = 0x1A2B_3C4Du32.to_be_bytes().to_vec();
        shb.extend_from_slice(&[0, 1, 0, 0]);
        shb.extend_from_slice(&(-1i64).to_be_bytes());
        block(&mut f, 0x0A0D_0D0A, &shb);
        let mut idb = vec![0, 1, 0, 0];
        idb.extend_from_slice(&0u32.to_be_bytes());
        block(&mut f, 1, &idb);
        let mut epb = 0u32.to_be_bytes().to_vec();
        let ts: u64 = 1_700_000_000_000_123; // microseconds
        epb.extend_from_slice(&((ts >> 32) as u32).to_be_bytes());
        epb.extend_from_slice(&(ts as u32).to_be_bytes());
        epb.extend_from_slice(&(frame.len() as u32).to_be_bytes());
        epb.extend_from_slice(&1500u32.to_be_bytes());
        epb.extend_from_slice(frame);
        epb.resize(epb.len() + (4 - frame.len() % 4) % 4, 0);
        epb.extend_from_slice(&[0, 2, 0, 4]);
        epb.extend_from_slice(&2u32.to_be_bytes());
        epb.extend_from_slice(&[0, 5, 0, 8]);
        epb.extend_from_slice(&0x0102_0304_0506_0708u64.to_be_bytes());
        epb.extend_from_slice(&[0, 0, 0, 0]);
        block(&mut f, 6, &epb);
        f
    }

    #[test]
    fn big_endian_pcapng_reads_like_little_endian() {
        let frame = [0xAAu8; 61];
        let bytes = big_endian_pcapng(&frame);
        let mut src = FileSource::from_reader(&bytes[..]).expect("opens");
        let rec = src.next_record().expect("reads").expect("a record");
        assert_eq!(rec.data.as_ref(), &frame[..]);
        assert_eq!(rec.original_len, 1500);
        assert_eq!(rec.timestamp_ns, 1_700_000_000_000_123_000);
        assert_eq!(rec.direction, Direction::Tx);
        assert_eq!(rec.group_id, 0x0102_0304_0506_0708);
        assert_eq!(rec.component, 1);
        assert!(src.next_record().expect("clean end").is_none());
    }

    #[test]
    fn big_endian_nanosecond_pcap() {
        let mut f = 0xA1B2_3C4Du32.to_be_bytes().to_vec();
        f.extend_from_slice(&[0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&65535u32.to_be_bytes());
        f.extend_from_slice(&101u32.to_be_bytes());
        f.extend_from_slice(&1_700_000_000u32.to_be_bytes());
        f.extend_from_slice(&999_999_999u32.to_be_bytes());
        f.extend_from_slice(&4u32.to_be_bytes());
        f.extend_from_slice(&40u32.to_be_bytes());
        f.extend_from_slice(&[0x45, 0, 0, 40]);
        let mut src = FileSource::from_reader(&f[..]).expect("opens");
        let rec = src.next_record().expect("reads").expect("a record");
        assert_eq!(rec.link_type, LinkType::RAW);
        assert_eq!(rec.timestamp_ns, 1_700_000_000_999_999_999);
        assert_eq!((rec.data.len(), rec.original_len), (4, 40));
        assert_eq!(src.bytes_read(), 24 + 16 + 4);
    }
}
