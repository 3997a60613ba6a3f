//! Windows pktmon `.etl` logs as a record source: the ETL reader (`crate::etl`) underneath,
//! its packet events as [`PacketRecord`]s, its rundown as component information. The
//! other events (rundown, configuration, non-PktMon providers) are not records; text
//! output that wants every event as Windows prints it uses [`EtlSource::reader`].

use super::SourceError;
use super::pcapng::{ComponentInfo, ComponentRole};
use crate::etl::{EtlError, EtlReader};
use crate::record::PacketRecord;

/// A whole ETL file, read one packet record at a time.
pub struct EtlSource {
    reader: EtlReader,
    /// Index of the next event to look at.
    next: usize,
    /// The reader's problems have been reported (once, after the last record).
    problems_reported: bool,
    len: u64,
}

impl EtlSource {
    /// The ETL file in `data`; refused when it holds no Packet Monitor event.
    pub fn new(data: Vec<u8>) -> Result<Self, EtlError> {
        let len = data.len() as u64;
        let reader = EtlReader::from_bytes(data)?;
        reader.require_pktmon()?;
        Ok(EtlSource {
            reader,
            next: 0,
            problems_reported: false,
            len,
        })
    }

    /// The reader, for what only ETL files have (every event's text, event statistics).
    pub fn reader(&self) -> &EtlReader {
        &self.reader
    }

    /// The next packet record; after the last one, the first problem of a damaged file
    /// (everything readable before it was yielded).
    pub fn next_record(&mut self) -> Result<Option<PacketRecord<'_>>, SourceError> {
        // One pass: the record borrows the reader, `next` is a field of its own.
        let start = self.next;
        for (i, ev) in self.reader.events_from(start).enumerate() {
            if let Some(rec) = ev.packet_record() {
                self.next = start + i + 1;
                return Ok(Some(rec));
            }
        }
        self.next = self.reader.event_count();
        match self.reader.problems().first() {
            Some(p) if !self.problems_reported => {
                self.problems_reported = true;
                Err(SourceError::new(p.offset(), p.to_string()))
            }
            _ => Ok(None),
        }
    }

    /// Bytes consumed so far, in proportion to the events read (for progress).
    pub fn bytes_read(&self) -> u64 {
        let total = self.reader.event_count().max(1) as u64;
        self.len * self.next as u64 / total
    }

    /// The component as the rundown describes it; Miniport components are the adapters.
    pub fn component_info(&self, component: u32) -> Option<ComponentInfo> {
        let c = self
            .reader
            .rundown()
            .components
            .get(&u16::try_from(component).ok()?)?;
        Some(ComponentInfo {
            component,
            name: c.name.clone(),
            description: format!("Component {}, {} {}", c.id, c.type_name, c.description),
            mac: c.mac.as_deref().and_then(|m| <[u8; 6]>::try_from(m).ok()),
            snaplen: 0,
            role: Some(if c.type_name.eq_ignore_ascii_case("Miniport") {
                ComponentRole::Adapter
            } else {
                ComponentRole::Other
            }),
        })
    }
}
