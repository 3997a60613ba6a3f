//! `NumberedFiles`: the `-m multi-file` log. A new file each time the current one would
//! grow past the size, numbered before the extension (`PktMon1.etl`, `PktMon2.etl`, ...;
//! `trace1.pcapng` for `trace.pcapng`). Each file stands alone: it begins with the section
//! header and every interface block known by then.
//!
//! It takes whole blocks as a `Write` sink (what `PcapngWriter::flush` hands over).

use super::blocks::{block_at, write_result};
use super::{BLOCK_EPB, BLOCK_IDB, BLOCK_SHB};
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// `base` with `n` inserted before its extension.
pub fn numbered_path(base: &Path, n: u32) -> PathBuf {
    let stem = base
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match base.extension() {
        Some(ext) => format!("{stem}{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}{n}"),
    };
    base.with_file_name(name)
}

/// Creates a log file (owner-only; the caller's choice of how).
pub type CreateFile = fn(&Path) -> io::Result<File>;

pub struct NumberedFiles {
    base: PathBuf,
    size: u64,
    create: CreateFile,
    shb: Vec<u8>,
    idbs: Vec<u8>,
    file: Option<File>,
    /// Bytes and packets in the current file (whole blocks written).
    current_bytes: u64,
    current_packets: u64,
    files: Vec<PathBuf>,
    /// Bytes of the files written before the current one.
    closed_bytes: u64,
    too_large: u64,
    pending: Option<io::Error>,
}

impl NumberedFiles {
    /// Creates the first file at once, so that an unwritable place fails `start`.
    pub fn create(base: &Path, size: u64, create: CreateFile) -> io::Result<NumberedFiles> {
        let first = numbered_path(base, 1);
        let file = create(&first)?;
        Ok(NumberedFiles {
            base: base.to_path_buf(),
            size,
            create,
            shb: Vec::new(),
            idbs: Vec::new(),
            file: Some(file),
            current_bytes: 0,
            current_packets: 0,
            files: vec![first],
            closed_bytes: 0,
            too_large: 0,
            pending: None,
        })
    }

    /// The files written so far, oldest first.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    pub fn current_path(&self) -> Option<&Path> {
        self.file
            .as_ref()
            .and(self.files.last().map(PathBuf::as_path))
    }

    pub fn bytes_on_disk(&self) -> u64 {
        self.closed_bytes + self.current_bytes
    }

    /// Packets left out because they are larger than a file may be.
    pub fn too_large(&self) -> u64 {
        self.too_large
    }

    /// Ends the current file and starts the next with the section and interface blocks.
    fn next_file(&mut self) -> io::Result<()> {
        if let Some(f) = self.file.take() {
            f.sync_all()?;
        }
        self.closed_bytes += self.current_bytes;
        self.current_bytes = 0;
        self.current_packets = 0;
        let path = numbered_path(&self.base, self.files.len() as u32 + 1);
        let f = (self.create)(&path)?;
        self.files.push(path);
        self.file = Some(f);
        let head = [self.shb.as_slice(), self.idbs.as_slice()].concat();
        self.write_current(&head)
    }

    fn write_current(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        let f = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("no log file open (an earlier error)"))?;
        f.write_all(bytes)?;
        self.current_bytes += bytes.len() as u64;
        Ok(())
    }

    fn place(&mut self, buf: &[u8]) -> (usize, io::Result<()>) {
        let mut pos = 0;
        let mut run = 0..0;
        let mut run_packets = 0;
        while let Some((block_type, len)) = block_at(buf, pos) {
            let block = pos..pos + len;
            pos += len;
            match block_type {
                BLOCK_SHB if self.shb.is_empty() => self.shb = buf[block.clone()].to_vec(),
                BLOCK_IDB => self.idbs.extend_from_slice(&buf[block.clone()]),
                _ => {}
            }
            let full = self.current_packets + run_packets > 0
                && self.current_bytes + (run.len() + len) as u64 > self.size;
            if full {
                let placed = run.start;
                if let Err(e) = self.write_current(&buf[run.clone()]) {
                    return (placed, Err(e));
                }
                self.current_packets += run_packets;
                run_packets = 0;
                if let Err(e) = self.next_file() {
                    return (block.start, Err(e));
                }
                if block_type == BLOCK_IDB {
                    // Already in the new file's head.
                    run = pos..pos;
                    continue;
                }
                run = block.start..block.start;
                if self.current_bytes + len as u64 > self.size && block_type == BLOCK_EPB {
                    self.too_large += 1;
                    run = pos..pos;
                    continue;
                }
            }
            run.end = pos;
            run_packets += u64::from(block_type == BLOCK_EPB);
        }
        let placed = run.start;
        if let Err(e) = self.write_current(&buf[run.clone()]) {
            return (placed, Err(e));
        }
        self.current_packets += run_packets;
        (pos, Ok(()))
    }

    /// After an error: the current file keeps its whole blocks only.
    pub fn abandon(&mut self) -> io::Result<()> {
        match self.file.take() {
            Some(f) => f.set_len(self.current_bytes),
            None => Ok(()),
        }
    }

    pub fn sync(&mut self) -> io::Result<()> {
        match &self.file {
            Some(f) => f.sync_all(),
            None => Ok(()),
        }
    }
}

impl Write for NumberedFiles {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let placed = self.place(buf);
        write_result(&mut self.pending, placed)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_goes_before_the_extension() {
        let p = |s: &str, n| numbered_path(Path::new(s), n);
        assert_eq!(p("/x/PktMon.etl", 1), PathBuf::from("/x/PktMon1.etl"));
        assert_eq!(p("trace.pcapng", 12), PathBuf::from("trace12.pcapng"));
        assert_eq!(p("/x/log", 2), PathBuf::from("/x/log2"));
        assert_eq!(p("/x/a.b.pcapng", 3), PathBuf::from("/x/a.b3.pcapng"));
    }

    #[test]
    fn each_file_stands_alone_and_the_packets_add_up() {
        use crate::pcapng::{InterfaceDescription, PcapngWriter};
        use crate::record::{LinkType, PacketRecord};
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("trace.pcapng");
        let iface = |component| InterfaceDescription {
            component,
            name: format!("eth{component}"),
            description: "test".into(),
            link_type: LinkType::ETHERNET,
            snaplen: 0,
            mac: None,
        };
        let size = 4096;
        let files = NumberedFiles::create(&base, size, |p| File::create(p)).unwrap();
        let mut w = PcapngWriter::new(files, "t", None);
        w.add_interface(&iface(1));
        let frame = [0x11u8; 120];
        for n in 0..300u32 {
            if n == 150 {
                w.add_interface(&iface(2));
            }
            let comp = if n >= 150 { 2 } else { 1 };
            w.write_record(&PacketRecord::flow(comp, LinkType::ETHERNET, 0, &frame));
            if n % 10 == 0 {
                w.flush().unwrap();
            }
        }
        w.flush().unwrap();
        let written = w.get_ref().files().to_vec();
        assert!(!base.exists(), "only numbered files");
        assert!(written.len() > 5, "{} files", written.len());
        let mut total = 0;
        for (i, f) in written.iter().enumerate() {
            assert_eq!(*f, numbered_path(&base, i as u32 + 1));
            let bytes = std::fs::read(f).unwrap();
            assert!(bytes.len() as u64 <= size, "{}", f.display());
            let (_, cap) = pcap_parser::parse_pcapng(&bytes).expect("each file reads alone");
            assert_eq!(cap.sections.len(), 1);
            total += cap.sections[0]
                .blocks
                .iter()
                .filter(|b| matches!(b, pcap_parser::Block::EnhancedPacket(_)))
                .count();
        }
        assert_eq!(total, 300);
    }
}
