//! Rx, AFS's remote procedure call transport (UDP 7000-7009): tcpdump's default line,
//! ` rx data (28)` or ` rx ack first 2 serial 347 reason delay (65)`.
//!
//! tcpdump also decodes the first data packet of a call to an AFS service (`pt call
//! name-to-id "nneul"`) and, remembering calls across the packets of a capture
//! ([`Calls`], in the capture's memory), the first packet of the reply (`vldb reply
//! get-entry-by-name "root.cell" numservers 6 servers ...`). Calls to the file,
//! callback, protection, volume location and volume services and Ubik calls are
//! decoded, and replies from all of them; a stored or fetched ACL's text, and calls to
//! the Kerberos and basic overseer services, print the bare header line.

use super::decode::{be16, be32};
use super::memory::{CaptureMemory, Flow};
use super::print::Addrs;
use super::text::{TextOut, printn};

/// Epoch, connection id, call number, sequence, serial, type, flags, user status,
/// security index, spare and service id.
const HEADER: usize = 28;
const SEQ_AT: usize = 12;
const TYPE_AT: usize = 20;
const FLAGS_AT: usize = 21;
const DATA: u8 = 1;
const ACK: u8 = 2;
const ABORT: u8 = 4;
/// The flag set on packets the client sends.
const CLIENT_INITIATED: u8 = 1;
/// The longest name the protection service takes.
const PR_NAME_MAX: u32 = 64;
/// Buffer space, max skew, first packet, previous packet, serial, reason, ack count.
const ACK_HEADER: usize = 18;

fn type_name(kind: u8) -> Option<&'static str> {
    Some(match kind {
        1 => "data",
        2 => "ack",
        3 => "busy",
        4 => "abort",
        5 => "ackall",
        6 => "challenge",
        7 => "response",
        8 => "debug",
        9 => "params",
        13 => "version",
        _ => return None,
    })
}

fn ack_reason(reason: u8) -> Option<&'static str> {
    Some(match reason {
        1 => "ack requested",
        2 => "duplicate packet",
        3 => "out of sequence",
        4 => "exceeds window",
        5 => "no buffer space",
        6 => "ping",
        7 => "ping response",
        8 => "delay",
        9 => "idle",
        _ => return None,
    })
}

/// The AFS services, by the port they listen on (a call's destination, a reply's
/// source).
#[derive(Clone, Copy, PartialEq)]
enum Service {
    /// The file server (7000).
    File,
    /// The cache manager's callback service (7001).
    Callback,
    /// The protection server (7002).
    Protection,
    /// The volume location server (7003).
    VolumeLocation,
    /// The Kerberos authentication server (7004).
    Kauth,
    /// The volume server (7005).
    Volume,
    /// The basic overseer (7007).
    Bos,
}

impl Service {
    fn at(port: u16) -> Option<Service> {
        use super::numbers::udp_port;
        Some(match port {
            udp_port::AFS_FILE => Service::File,
            udp_port::AFS_CALLBACK => Service::Callback,
            udp_port::AFS_PROTECTION => Service::Protection,
            udp_port::AFS_VOLUME_LOCATION => Service::VolumeLocation,
            udp_port::AFS_KAUTH => Service::Kauth,
            udp_port::AFS_VOLUME => Service::Volume,
            udp_port::AFS_BOS => Service::Bos,
            _ => return None,
        })
    }
}

/// Why a service call stopped printing early.
enum Stop {
    /// A field past the capture: the line ends with `[|rx]`, without the length.
    Capture,
    /// What tcpdump's service printer checks itself: `[|fs]` or `[|pt]`, then the
    /// length.
    Service,
}

/// A service printer's end: its own check failing prints its mark (`[|fs]`) and the
/// line goes on; a field past the capture ends the line.
fn marked(out: &mut Vec<u8>, printed: Result<(), Stop>, mark: &str) -> Result<(), Stop> {
    match printed {
        Err(Stop::Service) => {
            out.s(mark);
            Ok(())
        }
        other => other,
    }
}

/// Calls remembered (tcpdump's Rx call cache: the oldest entry is replaced).
const CALLS: usize = 64;

/// A call whose reply may come: its call number, client and server, the server's port,
/// the service id and the opcode the reply answers.
#[derive(Clone, Copy, Debug, Default)]
struct Call {
    number: u32,
    client: [u8; 4],
    server: [u8; 4],
    port: u16,
    service: u16,
    op: u32,
}

/// The calls seen so far in the capture, so that a reply can be decoded.
#[derive(Debug)]
pub struct Calls {
    entries: [Call; CALLS],
    next: usize,
    /// Where the last search succeeded (the next starts there).
    hint: usize,
}

impl Default for Calls {
    fn default() -> Self {
        Calls {
            entries: [Call::default(); CALLS],
            next: 0,
            hint: 0,
        }
    }
}

/// The source and destination as tcpdump reads them for Rx: as an IPv4 header, also
/// over IPv6 (where those offsets fall inside the source address).
fn as_ipv4(addrs: Addrs) -> ([u8; 4], [u8; 4]) {
    match addrs {
        Addrs::V4(s, d) => (s, d),
        Addrs::V6(s, _) => ([s[4], s[5], s[6], s[7]], [s[8], s[9], s[10], s[11]]),
    }
}

const CALL_NUMBER_AT: usize = 8;
const SERVICE_ID_AT: usize = 26;

impl Calls {
    /// Remembers the first packet of a call (`data` from the Rx header on).
    fn insert(&mut self, data: &[u8], flow: &Flow) {
        let Some(op) = be32(data, HEADER) else {
            return;
        };
        let (client, server) = as_ipv4(flow.addrs);
        self.entries[self.next] = Call {
            number: be32(data, CALL_NUMBER_AT).unwrap_or(0),
            client,
            server,
            port: flow.dport,
            service: be16(data, SERVICE_ID_AT).unwrap_or(0),
            op,
        };
        self.next = (self.next + 1) % CALLS;
    }

    /// The opcode of the call a reply (its Rx `header`) answers.
    fn find(&mut self, header: &[u8], flow: &Flow) -> Option<u32> {
        let (server, client) = as_ipv4(flow.addrs);
        let number = be32(header, CALL_NUMBER_AT)?;
        let service = be16(header, SERVICE_ID_AT)?;
        let mut i = self.hint;
        loop {
            let e = &self.entries[i];
            if (e.number, e.client, e.server, e.service, e.port)
                == (number, client, server, service, flow.sport)
            {
                self.hint = i;
                return Some(e.op);
            }
            i = (i + 1) % CALLS;
            if i == self.hint {
                return None;
            }
        }
    }
}

/// Appends the line for a packet of wire length `len` whose captured bytes are `data`,
/// sent in `flow`: a call's first packet is remembered, and a reply to one is decoded.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32, flow: &Flow, memory: &mut CaptureMemory) {
    let Some(header) = data.get(..HEADER) else {
        out.s(" [|rx] (");
        out.num(len);
        out.s(")");
        return;
    };
    let kind = header[TYPE_AT];
    out.s(" rx ");
    name_or(out, type_name(kind), "type ", kind.into());
    let first = kind == DATA && be32(header, SEQ_AT) == Some(1);
    let from_client = header[FLAGS_AT] & CLIENT_INITIATED != 0;
    let printed = if first && from_client {
        memory.rx.insert(data, flow);
        match Service::at(flow.dport) {
            Some(service) if len > HEADER as u32 => call(out, service, &data[HEADER..]),
            _ => Ok(()),
        }
    } else if (first || kind == ABORT)
        && !from_client
        && let Some(op) = memory.rx.find(header, flow)
    {
        match Service::at(flow.sport) {
            Some(service) => reply(out, service, kind, op, &data[HEADER..], len),
            None => Ok(()),
        }
    } else {
        if kind == ACK && len >= HEADER as u32 {
            print_ack(out, &data[HEADER..]);
        }
        Ok(())
    };
    if printed.is_err() {
        out.s(" [|rx]");
        return;
    }
    out.s(" (");
    out.num(len);
    out.s(")");
}

/// `name`, or `prefix` and the number.
fn name_or(out: &mut Vec<u8>, name: Option<&str>, prefix: &str, n: u32) {
    match name {
        Some(name) => out.s(name),
        None => {
            out.s(prefix);
            out.num(n);
        }
    }
}

/// The first packet of a call to `service`; `body` follows the Rx header.
fn call(out: &mut Vec<u8>, service: Service, body: &[u8]) -> Result<(), Stop> {
    let printed = match service {
        Service::File => file_call(out, body),
        Service::Callback => callback_call(out, body),
        Service::Protection => protection_call(out, body),
        Service::VolumeLocation => volume_location_call(out, body),
        Service::Volume => volume_call(out, body),
        // Not decoded: the header line alone.
        Service::Kauth | Service::Bos => Ok(()),
    };
    marked(out, printed, service_mark(service))
}

/// What a service's printer ends a line with when its own check fails.
fn service_mark(service: Service) -> &'static str {
    match service {
        Service::File => " [|fs]",
        Service::Callback => " [|cb]",
        Service::Protection => " [|pt]",
        Service::VolumeLocation => " [|vldb]",
        Service::Volume => " [|vol]",
        Service::Kauth | Service::Bos => "",
    }
}

/// The first packet of a reply (or an abort) from `service` to call `op`; `body`
/// follows the Rx header.
fn reply(
    out: &mut Vec<u8>,
    service: Service,
    kind: u8,
    op: u32,
    body: &[u8],
    len: u32,
) -> Result<(), Stop> {
    // Most of tcpdump's reply printers want more than a header; the database ones
    // (protection, volume location) take a bare one.
    if len <= HEADER as u32 && !matches!(service, Service::Protection | Service::VolumeLocation) {
        return Ok(());
    }
    let a = &mut Args { data: body, at: 0 };
    let database = match service {
        Service::Protection => Some(" pt"),
        Service::VolumeLocation => Some(" vldb"),
        Service::Kauth => Some(" kauth"),
        _ => None,
    };
    if let Some(name) = database {
        out.s(name);
        if is_ubik(op) {
            let printed = ubik_reply(out, kind, op, a);
            return marked(out, printed, " [|ubik]");
        }
    }
    let printed = match service {
        Service::File => file_reply(out, kind, op, a),
        Service::Callback => callback_reply(out, kind, op, a),
        Service::Protection => protection_reply(out, kind, op, a),
        Service::VolumeLocation => volume_location_reply(out, kind, op, a),
        Service::Volume => volume_reply(out, kind, op, a),
        Service::Kauth | Service::Bos => {
            if service == Service::Kauth {
                out.s(" reply ");
                name_or(out, kauth_op(op), "op#", op);
            } else {
                out.s(" bos reply ");
                name_or(out, bos_op(op), "op#", op);
            }
            // A data reply is not decoded; an abort carries its error code.
            if kind != DATA {
                a.int(out, " errcode")?;
            }
            Ok(())
        }
    };
    marked(out, printed, service_mark(service))
}

fn protection_op(op: u32) -> Option<&'static str> {
    Some(match op {
        500 => "new-user",
        501 => "where-is-it",
        502 => "dump-entry",
        503 => "add-to-group",
        504 => "name-to-id",
        505 => "id-to-name",
        506 => "delete",
        507 => "remove-from-group",
        508 => "get-cps",
        509 => "new-entry",
        510 => "list-max",
        511 => "set-max",
        512 => "list-entry",
        513 => "change-entry",
        514 => "list-elements",
        515 => "same-mbr-of",
        516 => "set-fld-sentry",
        517 => "list-owned",
        518 => "get-cps2",
        519 => "get-host-cps",
        520 => "update-entry",
        521 => "list-entries",
        530 => "list-super-groups",
        _ => return None,
    })
}

/// Ubik (the replicated database's) opcodes, which every AFS database service takes.
fn is_ubik(op: u32) -> bool {
    (10_000..=10_007).contains(&op) || (20_000..=20_013).contains(&op)
}

/// Reads a call's arguments, printing them as tcpdump's `INTOUT`, `STROUT` and
/// `VECOUT` do.
struct Args<'p> {
    data: &'p [u8],
    at: usize,
}

impl Args<'_> {
    fn u32(&mut self) -> Result<u32, Stop> {
        let v = be32(self.data, self.at).ok_or(Stop::Capture)?;
        self.at += 4;
        Ok(v)
    }

    /// ` label N`, the value signed.
    fn int(&mut self, out: &mut Vec<u8>, label: &str) -> Result<(), Stop> {
        out.s(label);
        let v = self.u32()? as i32;
        out.s(" ");
        out.num(v);
        Ok(())
    }

    /// A counted string padded to 4 bytes: ` "name"`.
    fn string(&mut self, out: &mut Vec<u8>, max: u32) -> Result<(), Stop> {
        let n = self.u32()?;
        if n > max {
            return Err(Stop::Service);
        }
        out.s(" \"");
        let text = self.data.get(self.at..).unwrap_or(&[]);
        let shown = &text[..text.len().min(n as usize)];
        printn(out, shown);
        if shown.len() < n as usize {
            return Err(Stop::Service);
        }
        out.s("\"");
        self.at += (n as usize).div_ceil(4) * 4;
        Ok(())
    }

    /// ` label N`, unsigned.
    fn uint(&mut self, out: &mut Vec<u8>, label: &str) -> Result<(), Stop> {
        out.s(label);
        let v = self.u32()?;
        out.s(" ");
        out.num(v);
        Ok(())
    }

    /// ` label N`, 64 bits unsigned.
    fn uint64(&mut self, out: &mut Vec<u8>, label: &str) -> Result<(), Stop> {
        out.s(label);
        let high = self.u32()?;
        let low = self.u32()?;
        out.s(" ");
        out.num((u64::from(high) << 32) | u64::from(low));
        Ok(())
    }

    /// Whether `n` more bytes were captured (tcpdump's checks before a group of fields).
    fn check(&self, n: usize) -> Result<(), Stop> {
        if self.at + n <= self.data.len() {
            Ok(())
        } else {
            Err(Stop::Service)
        }
    }

    /// A file id: ` fid volume/vnode/uniquifier`.
    fn fid(&mut self, out: &mut Vec<u8>) -> Result<(), Stop> {
        self.check(12)?;
        let (volume, vnode, unique) = (self.u32()?, self.u32()?, self.u32()?);
        out.s(" fid ");
        out.num(volume);
        out.s("/");
        out.num(vnode);
        out.s("/");
        out.num(unique);
        Ok(())
    }

    /// The attributes a store sets, each shown when its mask bit is set.
    fn store_status(&mut self, out: &mut Vec<u8>) -> Result<(), Stop> {
        self.check(24)?;
        let mask = self.u32()?;
        if mask != 0 {
            out.s(" StoreStatus");
        }
        let date = self.u32()?;
        if mask & 1 != 0 {
            out.s(" date ");
            date_time(out, date as i32);
        }
        let fields = [
            (2, " owner "),
            (4, " group "),
            (8, " mode "),
            (16, " segsize "),
        ];
        for (bit, label) in fields {
            let v = self.u32()?;
            if mask & bit != 0 {
                out.s(label);
                if bit == 8 {
                    out.octal(v & 0o7777);
                } else {
                    out.num(v);
                }
            }
        }
        if mask & 1024 != 0 {
            out.s(" fsync");
        }
        Ok(())
    }

    /// An AFS UUID, ` 0123abcd...` (tcpdump's `AFSUUIDOUT`).
    fn uuid(&mut self, out: &mut Vec<u8>) -> Result<(), Stop> {
        self.check(44)?;
        out.s(" ");
        out.hex(u64::from(self.u32()?), 8);
        out.hex(u64::from(self.u32()?), 4);
        out.hex(u64::from(self.u32()?), 4);
        for _ in 0..8 {
            out.hex(u64::from(self.u32()? & 0xFF), 2);
        }
        Ok(())
    }

    /// ` label YYYY/MM/DD HH:MM:SS` (tcpdump's `DATEOUT`).
    fn date(&mut self, out: &mut Vec<u8>, label: &str) -> Result<(), Stop> {
        out.s(label);
        let secs = self.u32()? as i32;
        out.s(" ");
        date_time(out, secs);
        Ok(())
    }

    /// ` label epoch.counter`, a Ubik database version.
    fn ubik_version(&mut self, out: &mut Vec<u8>, label: &str) -> Result<(), Stop> {
        out.s(label);
        self.check(8)?;
        out.s(" ");
        out.num(self.u32()?);
        out.s(".");
        out.num(self.u32()?);
        Ok(())
    }

    /// `n` bytes skipped, when captured (tcpdump's `ND_TCHECK_LEN` then a skip).
    fn skip(&mut self, n: usize) -> Result<(), Stop> {
        self.check(n)?;
        self.at += n;
        Ok(())
    }

    /// A count, then that many items, `sep` between them (` <none!>` for none).
    fn list(
        &mut self,
        out: &mut Vec<u8>,
        sep: &str,
        mut item: impl FnMut(&mut Self, &mut Vec<u8>) -> Result<(), Stop>,
    ) -> Result<(), Stop> {
        let n = self.u32()?;
        for i in 0..n {
            item(self, out)?;
            if i + 1 != n {
                out.s(sep);
            }
        }
        if n == 0 {
            out.s(" <none!>");
        }
        Ok(())
    }

    /// A count, then that many signed numbers (` <none!>` for none).
    fn ints(&mut self, out: &mut Vec<u8>) -> Result<(), Stop> {
        self.list(out, "", |a, out| a.int(out, ""))
    }

    /// A name sent as `max` 32-bit words, one character each: ` "name"`.
    fn vector(&mut self, out: &mut Vec<u8>, max: u32) -> Result<(), Stop> {
        let words = self
            .data
            .get(self.at..self.at + max as usize * 4)
            .ok_or(Stop::Service)?;
        self.at += words.len();
        out.s(" \"");
        for word in words.chunks_exact(4) {
            if word[3] == 0 {
                break;
            }
            printn(out, &word[3..]);
        }
        out.s("\"");
        Ok(())
    }
}

/// `YYYY/MM/DD HH:MM:SS` of seconds since 1970. tcpdump shows local time; this is UTC,
/// the zone the reference output is made in.
fn date_time(out: &mut Vec<u8>, secs: i32) {
    let secs = i64::from(secs);
    let (y, m, d) = crate::etl::logfile::civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    out.num(y);
    for (sep, v) in [
        ("/", m),
        ("/", d),
        (" ", t / 3600),
        (":", t / 60 % 60),
        (":", t % 60),
    ] {
        out.s(sep);
        if v < 10 {
            out.s("0");
        }
        out.num(v);
    }
}

fn file_op(op: u32) -> Option<&'static str> {
    Some(match op {
        130 => "fetch-data",
        131 => "fetch-acl",
        132 => "fetch-status",
        133 => "store-data",
        134 => "store-acl",
        135 => "store-status",
        136 => "remove-file",
        137 => "create-file",
        138 => "rename",
        139 => "symlink",
        140 => "link",
        141 => "makedir",
        142 => "rmdir",
        143 => "oldsetlock",
        144 => "oldextlock",
        145 => "oldrellock",
        146 => "get-stats",
        147 => "give-cbs",
        148 => "get-vlinfo",
        149 => "get-vlstats",
        150 => "set-vlstats",
        151 => "get-rootvl",
        152 => "check-token",
        153 => "get-time",
        154 => "nget-vlinfo",
        155 => "bulk-stat",
        156 => "setlock",
        157 => "extlock",
        158 => "rellock",
        159 => "xstat-ver",
        160 => "get-xstat",
        161 => "dfs-lookup",
        162 => "dfs-flushcps",
        163 => "dfs-symlink",
        220 => "residency",
        65536 => "inline-bulk-status",
        65537 => "fetch-data-64",
        65538 => "store-data-64",
        65539 => "give-up-all-cbs",
        65540 => "get-caps",
        65541 => "cb-rx-conn-addr",
        _ => return None,
    })
}

/// The longest name the file service takes.
const AFS_NAME_MAX: u32 = 256;

/// ` fs call <op>` and the arguments tcpdump shows; `body` follows the Rx header.
fn file_call(out: &mut Vec<u8>, body: &[u8]) -> Result<(), Stop> {
    let mut args = Args { data: body, at: 0 };
    let op = args.u32()?;
    out.s(" fs call ");
    name_or(out, file_op(op), "op#", op);
    let a = &mut args;
    match op {
        130 => {
            a.fid(out)?;
            a.uint(out, " offset")?;
            a.uint(out, " length")?;
        }
        131 | 132 | 143 | 144 | 145 | 156 | 157 | 158 => a.fid(out)?,
        135 => {
            a.fid(out)?;
            a.store_status(out)?;
        }
        133 => {
            a.fid(out)?;
            a.store_status(out)?;
            a.uint(out, " offset")?;
            a.uint(out, " length")?;
            a.uint(out, " flen")?;
        }
        // The ACL's text is not decoded.
        134 => a.fid(out)?,
        137 | 141 => {
            a.fid(out)?;
            a.string(out, AFS_NAME_MAX)?;
            a.store_status(out)?;
        }
        136 | 142 => {
            a.fid(out)?;
            a.string(out, AFS_NAME_MAX)?;
        }
        138 => {
            out.s(" old");
            a.fid(out)?;
            a.string(out, AFS_NAME_MAX)?;
            out.s(" new");
            a.fid(out)?;
            a.string(out, AFS_NAME_MAX)?;
        }
        139 => {
            a.fid(out)?;
            a.string(out, AFS_NAME_MAX)?;
            out.s(" link to");
            a.string(out, AFS_NAME_MAX)?;
        }
        140 => {
            a.fid(out)?;
            a.string(out, AFS_NAME_MAX)?;
            out.s(" link to");
            a.fid(out)?;
        }
        148 => a.string(out, AFS_NAME_MAX)?,
        149 | 150 => a.uint(out, " volid")?,
        154 => {
            out.s(" volname");
            a.string(out, AFS_NAME_MAX)?;
        }
        155 | 65536 => {
            a.list(out, ",", |a, out| a.fid(out))?;
        }
        65537 => {
            a.fid(out)?;
            a.uint64(out, " offset")?;
            a.uint64(out, " length")?;
        }
        65538 => {
            a.fid(out)?;
            a.store_status(out)?;
            a.uint64(out, " offset")?;
            a.uint64(out, " length")?;
            a.uint64(out, " flen")?;
        }
        65541 => a.uint(out, " addr")?,
        _ => {}
    }
    Ok(())
}

fn callback_op(op: u32) -> Option<&'static str> {
    Some(match op {
        204 => "callback",
        205 => "initcb",
        206 => "probe",
        207 => "getlock",
        208 => "getce",
        209 => "xstatver",
        210 => "getxstat",
        211 => "initcb2",
        212 => "whoareyou",
        213 => "initcb3",
        214 => "probeuuid",
        215 => "getsrvprefs",
        216 => "getcellservdb",
        217 => "getlocalcell",
        218 => "getcacheconf",
        65536 => "getce64",
        65537 => "getcellbynum",
        65538 => "tellmeaboutyourself",
        _ => return None,
    })
}

/// ` cb call <op>` and the arguments tcpdump shows; `body` follows the Rx header.
fn callback_call(out: &mut Vec<u8>, body: &[u8]) -> Result<(), Stop> {
    let mut a = Args { data: body, at: 0 };
    let op = a.u32()?;
    out.s(" cb call ");
    name_or(out, callback_op(op), "op#", op);
    match op {
        204 => {
            a.list(out, ",", |a, out| a.fid(out))?;
            let callbacks = a.u32()?;
            if callbacks != 0 {
                out.s(";");
            }
            for _ in 0..callbacks {
                a.int(out, " ver")?;
                a.date(out, " expires")?;
                // The callback's type, which tcpdump reads but does not show.
                a.u32()?;
            }
        }
        214 => {
            out.s(" afsuuid");
            a.uuid(out)?;
        }
        _ => {}
    }
    Ok(())
}

fn volume_location_op(op: u32) -> Option<&'static str> {
    const NAMES: [&str; 34] = [
        "create-entry",
        "delete-entry",
        "get-entry-by-id",
        "get-entry-by-name",
        "get-new-volume-id",
        "replace-entry",
        "update-entry",
        "setlock",
        "releaselock",
        "list-entry",
        "list-attrib",
        "linked-list",
        "get-stats",
        "probe",
        "get-addrs",
        "change-addr",
        "create-entry-n",
        "get-entry-by-id-n",
        "get-entry-by-name-n",
        "replace-entry-n",
        "list-entry-n",
        "list-attrib-n",
        "linked-list-n",
        "update-entry-by-name",
        "create-entry-u",
        "get-entry-by-id-u",
        "get-entry-by-name-u",
        "replace-entry-u",
        "list-entry-u",
        "list-attrib-u",
        "linked-list-u",
        "regaddr",
        "get-addrs-u",
        "list-attrib-n2",
    ];
    let i = usize::try_from(op.checked_sub(501)?).ok()?;
    NAMES.get(i).copied()
}

/// The longest volume name the volume location service takes.
const VL_NAME_MAX: u32 = 65;

/// ` volid N` and, when it is one, the volume type.
fn volume_id(out: &mut Vec<u8>, a: &mut Args<'_>) -> Result<(), Stop> {
    a.int(out, " volid")?;
    let kind = a.u32()?;
    if let Some(name) = ["read-write", "read-only", "backup"].get(kind as usize) {
        out.s(" type ");
        out.s(name);
    }
    Ok(())
}

/// ` vldb call <op>` and the arguments tcpdump shows; `body` follows the Rx header.
fn volume_location_call(out: &mut Vec<u8>, body: &[u8]) -> Result<(), Stop> {
    let mut a = Args { data: body, at: 0 };
    let op = a.u32()?;
    out.s(" vldb");
    if is_ubik(op) {
        let printed = ubik_call(out, op, &mut a);
        return marked(out, printed, " [|ubik]");
    }
    out.s(" call ");
    name_or(out, volume_location_op(op), "op#", op);
    match op {
        501 | 517 => a.vector(out, VL_NAME_MAX)?,
        502 | 503 | 507 | 508 | 509 | 518 => volume_id(out, &mut a)?,
        504 | 519 | 524 | 527 => a.string(out, VL_NAME_MAX)?,
        505 => a.int(out, " bump")?,
        506 | 520 => {
            volume_id(out, &mut a)?;
            a.vector(out, VL_NAME_MAX)?;
        }
        510 | 521 => a.int(out, " index")?,
        _ => {}
    }
    Ok(())
}

/// ` pt call <op>` and the arguments tcpdump shows; `body` follows the Rx header.
fn protection_call(out: &mut Vec<u8>, body: &[u8]) -> Result<(), Stop> {
    let mut args = Args { data: body, at: 0 };
    let op = args.u32()?;
    out.s(" pt");
    if is_ubik(op) {
        let printed = ubik_call(out, op, &mut args);
        return marked(out, printed, " [|ubik]");
    }
    out.s(" call ");
    name_or(out, protection_op(op), "op#", op);
    match op {
        500 => {
            args.string(out, PR_NAME_MAX)?;
            args.int(out, " id")?;
            args.int(out, " oldid")?;
        }
        501 | 506 | 508 | 512 | 514 | 517 | 518 | 519 | 530 => args.int(out, " id")?,
        502 => args.int(out, " pos")?,
        503 | 507 | 515 => {
            args.int(out, " uid")?;
            args.int(out, " gid")?;
        }
        504 => {
            args.list(out, "", |a, out| a.vector(out, PR_NAME_MAX))?;
        }
        505 => {
            out.s(" ids:");
            args.ints(out)?;
        }
        509 => {
            args.string(out, PR_NAME_MAX)?;
            args.int(out, " flag")?;
            args.int(out, " oid")?;
        }
        511 => {
            args.int(out, " id")?;
            args.int(out, " gflag")?;
        }
        513 => {
            args.int(out, " id")?;
            args.string(out, PR_NAME_MAX)?;
            args.int(out, " oldid")?;
            args.int(out, " newid")?;
        }
        520 => {
            args.int(out, " id")?;
            args.string(out, PR_NAME_MAX)?;
        }
        _ => {}
    }
    Ok(())
}

/// ` fs reply <op>` and what tcpdump shows of the result.
fn file_reply(out: &mut Vec<u8>, kind: u8, op: u32, a: &mut Args<'_>) -> Result<(), Stop> {
    out.s(" fs reply ");
    name_or(out, file_op(op), "op#", op);
    match kind {
        DATA => match op {
            // Create file, make directory.
            137 | 141 => {
                out.s(" new");
                a.fid(out)?;
            }
            151 => {
                out.s(" root volume");
                a.string(out, AFS_NAME_MAX)?;
            }
            153 => a.date(out, "")?,
            // A fetched ACL's text is not decoded (as for calls).
            _ => {}
        },
        ABORT => {
            let code = a.u32()?;
            out.s(" error ");
            match fs_error(code) {
                Some(name) => out.s(name),
                None => {
                    out.s("#");
                    out.num(code as i32);
                }
            }
        }
        _ => {
            out.s(" strange fs reply of type ");
            out.num(kind);
        }
    }
    Ok(())
}

fn fs_error(code: u32) -> Option<&'static str> {
    Some(match code {
        101 => "salvage volume",
        102 => "no such vnode",
        103 => "no such volume",
        104 => "volume exist",
        105 => "no service",
        106 => "volume offline",
        // sic: tcpdump's spelling.
        107 => "voline online",
        108 => "diskfull",
        109 => "diskquota exceeded",
        110 => "volume busy",
        111 => "volume moved",
        112 => "AFS IO error",
        // -100
        0xffff_ff9c => "restarting fileserver",
        _ => return None,
    })
}

/// ` cb reply <op>` and the result.
fn callback_reply(out: &mut Vec<u8>, kind: u8, op: u32, a: &mut Args<'_>) -> Result<(), Stop> {
    out.s(" cb reply ");
    name_or(out, callback_op(op), "op#", op);
    if kind != DATA {
        return a.int(out, " errcode");
    }
    // InitCallBackState3 answers with the cache manager's UUID.
    if op == 213 {
        a.uuid(out)?;
    }
    Ok(())
}

/// ` reply <op>` of the protection server and the result (after ` pt`).
fn protection_reply(out: &mut Vec<u8>, kind: u8, op: u32, a: &mut Args<'_>) -> Result<(), Stop> {
    out.s(" reply ");
    name_or(out, protection_op(op), "op#", op);
    if kind != DATA {
        return a.int(out, " errcode");
    }
    match op {
        504 => {
            out.s(" ids:");
            a.ints(out)?;
        }
        505 => {
            a.list(out, "", |a, out| a.vector(out, PR_NAME_MAX))?;
        }
        // Get CPS (and CPS2, host CPS), list elements, list owned.
        508 | 514 | 517 | 518 | 519 => a.ints(out)?,
        510 => {
            a.int(out, " maxuid")?;
            a.int(out, " maxgid")?;
        }
        _ => {}
    }
    Ok(())
}

/// ` reply <op>` of the volume location server and the result (after ` vldb`).
fn volume_location_reply(
    out: &mut Vec<u8>,
    kind: u8,
    op: u32,
    a: &mut Args<'_>,
) -> Result<(), Stop> {
    out.s(" reply ");
    name_or(out, volume_location_op(op), "op#", op);
    if kind != DATA {
        return a.int(out, " errcode");
    }
    match op {
        505 => a.uint(out, " newvol")?,
        // List entry, then the entry as get-entry-by-id/name gives it.
        510 | 503 | 504 => {
            if op == 510 {
                a.int(out, " count")?;
                a.int(out, " nextindex")?;
            }
            a.vector(out, VL_NAME_MAX)?;
            a.skip(4)?;
            vldb_entry(out, a, 8, false)?;
        }
        // The N forms: thirteen servers.
        521 | 529 | 518 | 519 => {
            if matches!(op, 521 | 529) {
                a.int(out, " count")?;
                a.int(out, " nextindex")?;
            }
            a.vector(out, VL_NAME_MAX)?;
            vldb_entry(out, a, 13, false)?;
        }
        // The U forms: servers by UUID.
        526 | 527 => {
            a.vector(out, VL_NAME_MAX)?;
            vldb_entry(out, a, 13, true)?;
        }
        _ => {}
    }
    Ok(())
}

/// A volume location entry after its name: ` numservers N servers ... partitions ...
/// rwvol N rovol N backup N`, with `slots` server slots (addresses, or UUIDs).
fn vldb_entry(out: &mut Vec<u8>, a: &mut Args<'_>, slots: u32, uuids: bool) -> Result<(), Stop> {
    out.s(" numservers");
    let servers = a.u32()?;
    out.s(" ");
    out.num(servers);
    out.s(" servers");
    for i in 0..slots {
        if uuids {
            if i < servers {
                out.s(" afsuuid");
                a.uuid(out)?;
            } else {
                a.skip(44)?;
            }
        } else {
            a.check(4)?;
            if i < servers {
                out.s(" ");
                out.ipv4([
                    a.data[a.at],
                    a.data[a.at + 1],
                    a.data[a.at + 2],
                    a.data[a.at + 3],
                ]);
            }
            a.at += 4;
        }
    }
    if uuids {
        a.skip(4 * 13)?;
    }
    out.s(" partitions");
    for i in 0..slots {
        let part = a.u32()?;
        if i < servers && part <= 26 {
            out.s(" ");
            out.push(b'a' + part as u8);
        } else if i < servers {
            out.s(" ");
            out.num(part);
        }
    }
    a.skip(4 * slots as usize)?;
    a.uint(out, " rwvol")?;
    a.uint(out, " rovol")?;
    a.uint(out, " backup")
}

fn volume_op(op: u32) -> Option<&'static str> {
    Some(match op {
        100 => "create-volume",
        101 => "delete-volume",
        102 => "restore",
        103 => "forward",
        104 => "end-trans",
        105 => "clone",
        106 => "set-flags",
        107 => "get-flags",
        108 => "trans-create",
        109 => "dump",
        110 => "get-nth-volume",
        111 => "set-forwarding",
        112 => "get-name",
        113 => "get-status",
        114 => "sig-restore",
        115 => "list-partitions",
        116 => "list-volumes",
        117 => "set-id-types",
        118 => "monitor",
        119 => "partition-info",
        120 => "reclone",
        121 => "list-one-volume",
        122 => "nuke",
        123 => "set-date",
        124 => "x-list-volumes",
        125 => "x-list-one-volume",
        126 => "set-info",
        127 => "x-list-partitions",
        128 => "forward-multiple",
        65536 => "convert-ro",
        65537 => "get-size",
        65538 => "dump-v2",
        _ => return None,
    })
}

/// ` vol call <op>` and the arguments tcpdump shows; `body` follows the Rx header.
fn volume_call(out: &mut Vec<u8>, body: &[u8]) -> Result<(), Stop> {
    let a = &mut Args { data: body, at: 0 };
    let op = a.u32()?;
    out.s(" vol call ");
    name_or(out, volume_op(op), "op#", op);
    match op {
        100 => {
            a.uint(out, " partition")?;
            out.s(" name");
            a.string(out, AFS_NAME_MAX)?;
            a.uint(out, " type")?;
            a.uint(out, " parent")?;
        }
        119 => {
            out.s(" name");
            a.string(out, AFS_NAME_MAX)?;
        }
        120 | 126 => a.uint(out, " tid")?,
        121 | 122 | 124 | 125 | 65536 => {
            a.uint(out, " partid")?;
            a.uint(out, " volid")?;
        }
        123 => {
            a.uint(out, " tid")?;
            a.date(out, " date")?;
        }
        128 => {
            a.uint(out, " fromtrans")?;
            a.date(out, " fromdate")?;
            a.list(out, ",", |a, out| {
                a.check(12)?;
                out.s(" server ");
                out.num(a.u32()?);
                out.s(":");
                out.num(a.u32()?);
                out.s(":");
                out.num(a.u32()?);
                Ok(())
            })?;
        }
        65538 => {
            a.uint(out, " fromtrans")?;
            a.date(out, " fromdate")?;
            a.uint(out, " flags")?;
        }
        _ => {}
    }
    Ok(())
}

/// ` vol reply <op>` and the result.
fn volume_reply(out: &mut Vec<u8>, kind: u8, op: u32, a: &mut Args<'_>) -> Result<(), Stop> {
    out.s(" vol reply ");
    name_or(out, volume_op(op), "op#", op);
    if kind != DATA {
        return a.int(out, " errcode");
    }
    match op {
        100 => {
            a.uint(out, " volid")?;
            a.uint(out, " trans")?;
        }
        104 | 107 => a.uint(out, "")?,
        105 => a.uint(out, " newvol")?,
        108 => a.uint(out, " trans")?,
        110 => {
            a.uint(out, " volume")?;
            a.uint(out, " partition")?;
        }
        112 => a.string(out, AFS_NAME_MAX)?,
        113 => {
            for label in [
                " volid",
                " nextuniq",
                " type",
                " parentid",
                " clone",
                " backup",
                " restore",
                " maxquota",
                " minquota",
                " owner",
            ] {
                a.uint(out, label)?;
            }
            for label in [
                " create", " access", " update", " expire", " backup", " copy",
            ] {
                a.date(out, label)?;
            }
        }
        116 | 121 => {
            a.list(out, ",", |a, out| {
                out.s(" name");
                a.vector(out, 32)?;
                a.uint(out, " volid")?;
                out.s(" type");
                // The rest of the entry, not shown (and not checked, as tcpdump).
                a.at += 4 * 21;
                Ok(())
            })?;
        }
        _ => {}
    }
    Ok(())
}

fn ubik_op(op: u32) -> Option<&'static str> {
    const VOTE: [&str; 8] = [
        "vote-beacon",
        "vote-debug-old",
        "vote-sdebug-old",
        "vote-getsyncsite",
        "vote-debug",
        "vote-sdebug",
        "vote-xdebug",
        "vote-xsdebug",
    ];
    const DISK: [&str; 14] = [
        "disk-begin",
        "disk-commit",
        "disk-lock",
        "disk-write",
        "disk-getversion",
        "disk-getfile",
        "disk-sendfile",
        "disk-abort",
        "disk-releaselocks",
        "disk-truncate",
        "disk-probe",
        "disk-writev",
        "disk-interfaceaddr",
        "disk-setversion",
    ];
    match op {
        10_000..=10_007 => Some(VOTE[(op - 10_000) as usize]),
        20_000..=20_013 => Some(DISK[(op - 20_000) as usize]),
        _ => None,
    }
}

/// ` ubik call <op>` and the arguments, for a call to any database service.
fn ubik_call(out: &mut Vec<u8>, op: u32, a: &mut Args<'_>) -> Result<(), Stop> {
    out.s(" ubik call ");
    name_or(out, ubik_op(op), "op#", op);
    match op {
        10_000 => {
            let sync = a.u32()?;
            out.s(if sync != 0 {
                " syncsite yes"
            } else {
                " syncsite no"
            });
            a.date(out, " votestart")?;
            a.ubik_version(out, " dbversion")?;
            a.ubik_version(out, " tid")?;
        }
        10_003 => a.uint(out, " site")?,
        20_000 | 20_001 | 20_007 | 20_008 | 20_010 => a.ubik_version(out, " tid")?,
        20_002 => {
            a.ubik_version(out, " tid")?;
            a.int(out, " file")?;
            a.int(out, " pos")?;
            a.int(out, " length")?;
            // The lock type, read but not shown.
            a.u32()?;
        }
        20_003 => {
            a.ubik_version(out, " tid")?;
            a.int(out, " file")?;
            a.int(out, " pos")?;
        }
        20_005 => a.int(out, " file")?,
        20_006 => {
            a.int(out, " file")?;
            a.int(out, " length")?;
            a.ubik_version(out, " dbversion")?;
        }
        20_009 => {
            a.ubik_version(out, " tid")?;
            a.int(out, " file")?;
            a.int(out, " length")?;
        }
        20_012 => {
            a.ubik_version(out, " tid")?;
            a.ubik_version(out, " oldversion")?;
            a.ubik_version(out, " newversion")?;
        }
        _ => {}
    }
    Ok(())
}

/// ` ubik reply <op>` and the result, for a reply from any database service.
fn ubik_reply(out: &mut Vec<u8>, kind: u8, op: u32, a: &mut Args<'_>) -> Result<(), Stop> {
    out.s(" ubik reply ");
    name_or(out, ubik_op(op), "op#", op);
    match (kind == DATA, op) {
        (true, 10_000) => out.s(" vote no"),
        (true, 20_004) => a.ubik_version(out, " dbversion")?,
        (true, _) => {}
        // A yes vote comes back as an abort.
        (false, 10_000) => a.date(out, " vote yes until")?,
        (false, _) => a.int(out, " errcode")?,
    }
    Ok(())
}

fn kauth_op(op: u32) -> Option<&'static str> {
    Some(match op {
        1 => "auth-old",
        21 => "authenticate",
        22 => "authenticate-v2",
        2 => "change-pw",
        3 => "get-ticket-old",
        23 => "get-ticket",
        4 => "set-pw",
        5 => "set-fields",
        6 => "create-user",
        7 => "delete-user",
        8 => "get-entry",
        9 => "list-entry",
        10 => "get-stats",
        11 => "debug",
        12 => "get-pw",
        13 => "get-random-key",
        14 => "unlock",
        15 => "lock-status",
        _ => return None,
    })
}

fn bos_op(op: u32) -> Option<&'static str> {
    const NAMES: [&str; 37] = [
        "create-bnode",
        "delete-bnode",
        "set-status",
        "get-status",
        "enumerate-instance",
        "get-instance-info",
        "get-instance-parm",
        "add-superuser",
        "delete-superuser",
        "list-superusers",
        "list-keys",
        "add-key",
        "delete-key",
        "set-cell-name",
        "get-cell-name",
        "get-cell-host",
        "add-cell-host",
        "delete-cell-host",
        "set-t-status",
        "shutdown-all",
        "restart-all",
        "startup-all",
        "set-noauth-flag",
        "re-bozo",
        "restart",
        "start-bozo-install",
        "uninstall",
        "get-dates",
        "exec",
        "prune",
        "set-restart-time",
        "get-restart-time",
        "start-bozo-log",
        "wait-all",
        "get-instance-strings",
        "get-restricted",
        "set-restricted",
    ];
    op.checked_sub(80)
        .and_then(|i| NAMES.get(i as usize))
        .copied()
}

/// The acknowledgement's first packet, serial and reason, then the ranges of packets
/// acknowledged and not.
fn print_ack(out: &mut Vec<u8>, ack: &[u8]) {
    let Some(h) = ack.get(..ACK_HEADER) else {
        out.s(" [|ack]");
        return;
    };
    let first = be32(h, 4).unwrap_or(0);
    out.s(" first ");
    out.num(first);
    out.s(" serial ");
    out.num(be32(h, 12).unwrap_or(0));
    out.s(" reason ");
    name_or(out, ack_reason(h[16]), "#", h[16].into());
    let count = usize::from(h[17]);
    if count == 0 {
        return;
    }
    let Some(acks) = ack.get(ACK_HEADER..ACK_HEADER + count) else {
        out.s(" [|ack]");
        return;
    };
    ranges(out, acks, first, 1, " acked ");
    ranges(out, acks, first, 0, " nacked ");
}

/// `label` then the runs of packets whose ack byte is `want`: `3`, `5-7`, `,`-joined.
fn ranges(out: &mut Vec<u8>, acks: &[u8], first: u32, want: u8, label: &str) {
    let mut any = false;
    let mut i = 0;
    while i < acks.len() {
        if acks[i] != want {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < acks.len() && acks[i + 1] == want {
            i += 1;
        }
        out.s(if any { "," } else { label });
        any = true;
        out.num(first.wrapping_add(start as u32));
        if i > start {
            out.s("-");
            out.num(first.wrapping_add(i as u32));
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: [u8; 4] = [10, 0, 0, 1];
    const SERVER: [u8; 4] = [10, 0, 0, 2];

    /// A packet from the client to `port` (a reply: from `port` to the client).
    fn flow(port: u16, reply: bool) -> Flow {
        if reply {
            Flow {
                addrs: Addrs::V4(SERVER, CLIENT),
                sport: port,
                dport: 7001,
            }
        } else {
            Flow {
                addrs: Addrs::V4(CLIENT, SERVER),
                sport: 7001,
                dport: port,
            }
        }
    }

    fn said(data: &[u8], len: u32, flow: &Flow, memory: &mut CaptureMemory) -> String {
        let mut out = Vec::new();
        print(&mut out, data, len, flow, memory);
        String::from_utf8(out).unwrap()
    }

    /// A packet on its own to `port` (a fresh capture).
    fn to(port: u16, data: &[u8], len: u32) -> String {
        said(data, len, &flow(port, false), &mut CaptureMemory::default())
    }

    /// To a port of the Rx range with no AFS service.
    fn line(data: &[u8], len: u32) -> String {
        to(7009, data, len)
    }

    fn header(kind: u8) -> Vec<u8> {
        let mut h = vec![0u8; HEADER];
        h[TYPE_AT] = kind;
        h
    }

    #[test]
    fn types() {
        assert_eq!(line(&header(1), 28), " rx data (28)");
        assert_eq!(line(&header(6), 44), " rx challenge (44)");
        assert_eq!(line(&header(12), 28), " rx type 12 (28)");
        assert_eq!(line(&header(1)[..27], 28), " [|rx] (28)");
    }

    #[test]
    fn acks() {
        let mut p = header(ACK);
        let mut a = vec![0u8; ACK_HEADER];
        a[7] = 2; // first packet
        a[15] = 91; // serial
        a[16] = 8; // delay
        p.extend_from_slice(&a);
        assert_eq!(line(&p, 65), " rx ack first 2 serial 91 reason delay (65)");
        let n = p.len() - 1;
        p[n] = 6;
        p.extend_from_slice(&[1, 1, 0, 1, 0, 0]);
        assert_eq!(
            line(&p, 70),
            " rx ack first 2 serial 91 reason delay acked 2-3,5 nacked 4,6-7 (70)"
        );
        p.truncate(p.len() - 1);
        assert_eq!(
            line(&p, 70),
            " rx ack first 2 serial 91 reason delay [|ack] (70)"
        );
    }

    /// A first data packet of a call from the client, with `body` after the header.
    fn call(body: &[u8]) -> Vec<u8> {
        let mut p = header(DATA);
        p[SEQ_AT + 3] = 1;
        p[FLAGS_AT] = CLIENT_INITIATED;
        p.extend_from_slice(body);
        p
    }

    fn to_protection(data: &[u8], len: u32) -> String {
        to(7002, data, len)
    }

    #[test]
    fn protection_calls() {
        let mut name = vec![0, 0, 1, 248, 0, 0, 0, 1];
        for c in b"ab" {
            name.extend_from_slice(&[0, 0, 0, *c]);
        }
        name.resize(8 + 64 * 4, 0);
        let p = call(&name);
        assert_eq!(
            to_protection(&p, p.len() as u32),
            " rx data pt call name-to-id \"ab\" (292)"
        );
        let p = call(&[
            0, 0, 1, 249, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0x38, 0, 0, 0x13, 0xf9,
        ]);
        assert_eq!(
            to_protection(&p, 44),
            " rx data pt call id-to-name ids: -200 5113 (44)"
        );
        // tcpdump prints a field's label before reading it.
        let p = call(&[0, 0, 1, 0xf7, 0, 0, 0, 1]);
        assert_eq!(
            to_protection(&p, 36),
            " rx data pt call add-to-group uid 1 gid [|rx]"
        );
        let p = call(&[0, 0, 1, 244, 0, 0, 0, 65]);
        assert_eq!(
            to_protection(&p, 40),
            " rx data pt call new-user [|pt] (40)"
        );
        // Not the first packet of a call: the header alone.
        let mut p = call(&[0, 0, 1, 244]);
        p[SEQ_AT + 3] = 2;
        assert_eq!(to_protection(&p, 32), " rx data (32)");
    }

    #[test]
    fn file_calls() {
        let print = |p: &[u8]| to(7000, p, p.len() as u32);
        let fid = [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3];
        let mut body = vec![0, 0, 0, 130];
        body.extend_from_slice(&fid);
        body.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0x69, 0x74]);
        assert_eq!(
            print(&call(&body)),
            " rx data fs call fetch-data fid 1/2/3 offset 65536 length 26996 (52)"
        );
        let mut body = vec![0, 0, 0, 141];
        body.extend_from_slice(&fid);
        body.extend_from_slice(&[0, 0, 0, 1, b'd', 0, 0, 0]);
        body.extend_from_slice(&[0, 0, 0, 13, 0x38, 0x2b, 0x39, 0x30, 0, 0, 0, 0]);
        body.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0x01, 0xed, 0, 0, 0, 0]);
        assert_eq!(
            print(&call(&body)),
            " rx data fs call makedir fid 1/2/3 \"d\" StoreStatus date 1999/11/11 21:46:24 \
             group 0 mode 755 (76)"
        );
        body.truncate(body.len() - 4);
        assert!(print(&call(&body)).ends_with("fid 1/2/3 \"d\" [|fs] (72)"));
    }

    #[test]
    fn callback_and_volume_location_calls() {
        let show = |port: u16, p: &[u8]| to(port, p, p.len() as u32);
        let p = call(&[0, 0, 0, 206]);
        assert_eq!(show(7001, &p), " rx data cb call probe (32)");
        let mut body = vec![0, 0, 0, 204, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
        body.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(
            show(7001, &call(&body)),
            " rx data cb call callback fid 1/1/1 (52)"
        );
        let mut body = vec![0, 0, 1, 248, 0, 0, 0, 4];
        body.extend_from_slice(b"root");
        assert_eq!(
            show(7003, &call(&body)),
            " rx data vldb call get-entry-by-name \"root\" (40)"
        );
        let body = [0, 0, 2, 6, 0x20, 0, 1, 0xba, 0, 0, 0, 7];
        assert_eq!(
            show(7003, &call(&body)),
            " rx data vldb call get-entry-by-id-n volid 536871354 (40)"
        );
    }

    /// The first packet of the reply to a call (`body` after the header).
    fn reply_to(call: &[u8], kind: u8, body: &[u8]) -> Vec<u8> {
        let mut p = header(kind);
        p[CALL_NUMBER_AT..CALL_NUMBER_AT + 4]
            .copy_from_slice(&call[CALL_NUMBER_AT..CALL_NUMBER_AT + 4]);
        p[SEQ_AT + 3] = 1;
        p.extend_from_slice(body);
        p
    }

    #[test]
    fn replies_are_decoded_from_the_call_remembered() {
        let mut m = CaptureMemory::default();
        // pt name-to-id, call number 7.
        let mut c = call(&[0, 0, 1, 248, 0, 0, 0, 0]);
        c[CALL_NUMBER_AT + 3] = 7;
        said(&c, c.len() as u32, &flow(7002, false), &mut m);
        let r = reply_to(&c, DATA, &[0, 0, 0, 1, 0, 0, 0x7f, 0xfe]);
        // Before the call was seen, or from elsewhere: the header alone.
        assert_eq!(
            said(&r, 36, &flow(7002, true), &mut CaptureMemory::default()),
            " rx data (36)"
        );
        assert_eq!(said(&r, 36, &flow(7003, true), &mut m), " rx data (36)");
        assert_eq!(
            said(&r, 36, &flow(7002, true), &mut m),
            " rx data pt reply name-to-id ids: 32766 (36)"
        );
        // An abort to a file service call: its error code.
        let mut c = call(&[0, 0, 0, 136]);
        c[CALL_NUMBER_AT + 3] = 8;
        said(&c, c.len() as u32, &flow(7000, false), &mut m);
        let r = reply_to(&c, ABORT, &[0, 0, 0, 106]);
        assert_eq!(
            said(&r, 32, &flow(7000, true), &mut m),
            " rx abort fs reply remove-file error volume offline (32)"
        );
        // A volume location entry, servers and partitions as many as it has.
        let mut c = call(&[0, 0, 1, 248]);
        c[CALL_NUMBER_AT + 3] = 9;
        said(&c, c.len() as u32, &flow(7003, false), &mut m);
        let mut body = Vec::new();
        for ch in b"root" {
            body.extend_from_slice(&[0, 0, 0, *ch]);
        }
        body.resize(65 * 4 + 4, 0);
        body.extend_from_slice(&[0, 0, 0, 2]);
        for s in 0..8u8 {
            body.extend_from_slice(&[10, 0, 0, s + 1]);
        }
        for part in [0u32, 30, 0, 0, 0, 0, 0, 0] {
            body.extend_from_slice(&part.to_be_bytes());
        }
        body.resize(body.len() + 32, 0);
        for vol in [100u32, 101, 102] {
            body.extend_from_slice(&vol.to_be_bytes());
        }
        let r = reply_to(&c, DATA, &body);
        assert_eq!(
            said(&r, r.len() as u32, &flow(7003, true), &mut m),
            format!(
                " rx data vldb reply get-entry-by-name \"root\" numservers 2 servers 10.0.0.1 \
                 10.0.0.2 partitions a 30 rwvol 100 rovol 101 backup 102 ({})",
                r.len()
            )
        );
        // Cut inside the entry: the service's mark, then the length.
        let cut = &r[..HEADER + 65 * 4 + 4 + 4 + 4 * 4];
        let said_cut = said(cut, r.len() as u32, &flow(7003, true), &mut m);
        assert!(
            said_cut.ends_with(&format!(
                "numservers 2 servers 10.0.0.1 10.0.0.2 [|vldb] ({})",
                r.len()
            )),
            "{said_cut}"
        );
    }

    #[test]
    fn ubik_and_volume_calls() {
        // A Ubik lock to the protection server, cut before the lock type: [|rx].
        let body = [
            0, 0, 0x4e, 0x22, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7,
        ];
        assert_eq!(
            to_protection(&call(&body), 60),
            " rx data pt ubik call disk-lock tid 3.4 file 5 pos 6 length 7 [|rx]"
        );
        let body = [0, 0, 0, 121, 0, 0, 0, 1, 0x20, 0, 1, 0xba];
        assert_eq!(
            to(7005, &call(&body), 40),
            " rx data vol call list-one-volume partid 1 volid 536871354 (40)"
        );
    }
}
