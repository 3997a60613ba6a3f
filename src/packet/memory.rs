//! What printers remember across the packets of one capture. Some of tcpdump's lines
//! depend on packets seen earlier (it keeps static tables): ISAKMP tells the initiator
//! from the responder by the cookies and addresses of the exchange's first message, NFS
//! names a reply's procedure from its call. One [`CaptureMemory`] lives as long as one
//! text output (a file formatted, a live session printed); a lone frame (`hex2pkt`)
//! gets a fresh one.

use super::decode::indent_lines;
use super::print::Addrs;

/// The tables of the printers that remember. Fixed size: nothing grows with the capture.
#[derive(Debug, Default)]
pub struct CaptureMemory {
    pub(super) isakmp: super::isakmp::Initiators,
    pub(super) rx: super::rx::Calls,
    pub(super) nfs: super::nfs::XidMap,
}

/// The datagram a remembering printer's message came in.
#[derive(Clone, Copy)]
pub struct Flow {
    pub addrs: Addrs,
    pub sport: u16,
    pub dport: u16,
}

impl Flow {
    /// The datagram between `addrs` with `(source, destination)` ports.
    pub fn new(addrs: Addrs, (sport, dport): (u16, u16)) -> Flow {
        Flow {
            addrs,
            sport,
            dport,
        }
    }
}

/// A printer whose line depends on earlier packets: (out, captured, wire length, the
/// datagram, the capture's memory).
pub type RememberingPrinter = fn(&mut Vec<u8>, &[u8], u32, &Flow, &mut CaptureMemory);

/// A message handed to its [`RememberingPrinter`].
#[derive(Clone, Copy)]
pub struct Remembered<'a> {
    pub print: RememberingPrinter,
    pub data: &'a [u8],
    pub length: u32,
}

impl Remembered<'_> {
    /// Prints the message; each `\n` it writes opens a line starting with `line_start`.
    pub(super) fn print(
        &self,
        out: &mut Vec<u8>,
        line_start: &[u8],
        flow: &Flow,
        memory: &mut CaptureMemory,
    ) {
        let from = out.len();
        (self.print)(out, self.data, self.length, flow, memory);
        indent_lines(out, from, line_start);
    }
}

super::decode::debug_data_and_length!(Remembered);
