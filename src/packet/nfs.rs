//! NFS (versions 2 and 3) over ONC RPC, port 2049: tcpdump's default line for a call
//! (`NFS request xid 90477929 144 write fh Unknown/F0C8… 3 (3) bytes @ 0`) and for a
//! reply (`NFS reply xid 90477929 reply ok 160 write`).
//!
//! A reply does not say which procedure it answers: tcpdump remembers the calls it has
//! printed (the [`XidMap`], per capture) and reads a reply by its call's procedure, or
//! prints only its status when the call was not seen.
//!
//! tcpdump reads the message with two kinds of stop, which this file keeps apart: a field
//! past the captured bytes ends the line with `[|nfs]` at once ([`Stop::Uncaptured`]),
//! while a part it gives up on ([`Stop::GaveUp`]) prints `[|nfs]` only when the reply
//! has not already named an error.

use super::cursor::Bytes;
use super::memory::{CaptureMemory, Flow};
use super::print::Addrs;
use super::text::{Decimal, HEX_UPPER, TextOut, printn};

pub const PORT: u16 = 2049;

/// RPC message directions.
const CALL: u32 = 0;
const REPLY: u32 = 1;

/// NFS procedures, as version 3 numbers them (version 2 calls are renumbered by
/// [`V2_PROCEDURES`]; tcpdump reads every version but 3 as version 2).
mod procedure {
    pub const NULL: u32 = 0;
    pub const GETATTR: u32 = 1;
    pub const SETATTR: u32 = 2;
    pub const LOOKUP: u32 = 3;
    pub const ACCESS: u32 = 4;
    pub const READLINK: u32 = 5;
    pub const READ: u32 = 6;
    pub const WRITE: u32 = 7;
    pub const CREATE: u32 = 8;
    pub const MKDIR: u32 = 9;
    pub const SYMLINK: u32 = 10;
    pub const MKNOD: u32 = 11;
    pub const REMOVE: u32 = 12;
    pub const RMDIR: u32 = 13;
    pub const RENAME: u32 = 14;
    pub const LINK: u32 = 15;
    pub const READDIR: u32 = 16;
    pub const READDIRPLUS: u32 = 17;
    pub const FSSTAT: u32 = 18;
    pub const FSINFO: u32 = 19;
    pub const PATHCONF: u32 = 20;
    pub const COMMIT: u32 = 21;
    /// Version 2's obsolete ROOT and WRITECACHE.
    pub const NOOP: u32 = 25;
}

use procedure as p;

/// Version 2 procedure number → the version 3 number of the same operation.
const V2_PROCEDURES: [u32; 26] = [
    p::NULL,
    p::GETATTR,
    p::SETATTR,
    p::NOOP,
    p::LOOKUP,
    p::READLINK,
    p::READ,
    p::NOOP,
    p::WRITE,
    p::CREATE,
    p::REMOVE,
    p::RENAME,
    p::LINK,
    p::SYMLINK,
    p::MKDIR,
    p::RMDIR,
    p::READDIR,
    p::FSSTAT,
    p::NOOP,
    p::NOOP,
    p::NOOP,
    p::NOOP,
    p::NOOP,
    p::NOOP,
    p::NOOP,
    p::NOOP,
];

fn procedure_name(proc_: u32) -> Option<&'static str> {
    Some(match proc_ {
        p::NOOP => "nop",
        p::NULL => "null",
        p::GETATTR => "getattr",
        p::SETATTR => "setattr",
        p::LOOKUP => "lookup",
        p::ACCESS => "access",
        p::READLINK => "readlink",
        p::READ => "read",
        p::WRITE => "write",
        p::CREATE => "create",
        p::MKDIR => "mkdir",
        p::SYMLINK => "symlink",
        p::MKNOD => "mknod",
        p::REMOVE => "remove",
        p::RMDIR => "rmdir",
        p::RENAME => "rename",
        p::LINK => "link",
        p::READDIR => "readdir",
        p::READDIRPLUS => "readdirplus",
        p::FSSTAT => "fsstat",
        p::FSINFO => "fsinfo",
        p::PATHCONF => "pathconf",
        p::COMMIT => "commit",
        _ => return None,
    })
}

/// NFS status → tcpdump's text for it.
fn status_name(status: u32) -> Option<&'static str> {
    Some(match status {
        1 => "Operation not permitted",
        2 => "No such file or directory",
        5 => "Input/output error",
        6 => "Device not configured",
        11 => "Resource deadlock avoided",
        12 => "Cannot allocate memory",
        13 => "Permission denied",
        17 => "File exists",
        18 => "Cross-device link",
        19 => "Operation not supported by device",
        20 => "Not a directory",
        21 => "Is a directory",
        22 => "Invalid argument",
        26 => "Text file busy",
        27 => "File too large",
        28 => "No space left on device",
        30 => "Read-only file system",
        31 => "Too many links",
        45 => "Operation not supported",
        62 => "Too many levels of symbolic links",
        63 => "File name too long",
        66 => "Directory not empty",
        69 => "Disc quota exceeded",
        70 => "Stale NFS file handle",
        71 => "Too many levels of remote in path",
        99 => "Write cache flushed to disk",
        10001 => "Illegal NFS file handle",
        10002 => "Update synchronization mismatch",
        10003 => "READDIR/READDIRPLUS cookie is stale",
        10004 => "Operation not supported",
        10005 => "Buffer or request is too small",
        10006 => "Unspecified error on server",
        10007 => "Object of that type not supported",
        10008 => "Request couldn't be completed in time",
        _ => return None,
    })
}

/// File types (`ftype3`), as tcpdump names them (it has no name for a socket).
fn file_type_name(t: u32) -> Option<&'static str> {
    Some(match t {
        0 => "NON",
        1 => "REG",
        2 => "DIR",
        3 => "BLK",
        4 => "CHR",
        5 => "LNK",
        7 => "FIFO",
        _ => return None,
    })
}

/// Why the server did not run an accepted call (`accept_stat` but SUCCESS).
fn accept_status_name(s: u32) -> Option<&'static str> {
    Some(match s {
        1 => "PROG_UNAVAIL",
        2 => "PROG_MISMATCH",
        3 => "PROC_UNAVAIL",
        4 => "GARBAGE_ARGS",
        5 => "SYSTEM_ERR",
        _ => return None,
    })
}

fn auth_status_name(s: u32) -> Option<&'static str> {
    Some(match s {
        0 => "OK",
        1 => "Bogus Credentials (seal broken)",
        2 => "Rejected Credentials (client should begin new session)",
        3 => "Bogus Verifier (seal broken)",
        4 => "Verifier expired or was replayed",
        5 => "Credentials are too weak",
        6 => "Bogus response verifier",
        7 => "Unknown failure",
        _ => return None,
    })
}

/// ACCESS bits, in the order tcpdump names them.
const ACCESS_BITS: [(u32, &str); 6] = [
    (0x01, "NFS_ACCESS_READ"),
    (0x02, "NFS_ACCESS_LOOKUP"),
    (0x04, "NFS_ACCESS_MODIFY"),
    (0x08, "NFS_ACCESS_EXTEND"),
    (0x10, "NFS_ACCESS_DELETE"),
    (0x20, "NFS_ACCESS_EXECUTE"),
];
const ACCESS_FULL: u32 = 0x3f;

/// Sizes of fixed-layout results.
const V2_FILE_HANDLE: u32 = 32;
const V2_ATTRIBUTES: usize = 68;
const V3_ATTRIBUTES: usize = 84;
const V2_STATFS: u64 = 20;
const V3_STATFS: u64 = 52;
const V3_FSINFO: u64 = 48;
const V3_PATHCONF: u64 = 24;
/// The longest file handle tcpdump shows the server's name of.
const V3_FILE_HANDLE_MAX: usize = 64;

/// Offsets in an RPC message.
const XID_AT: usize = 0;
const DIRECTION_AT: usize = 4;
const VERSION_AT: usize = 16;
const PROCEDURE_AT: usize = 20;
const CREDENTIALS_AT: usize = 24;
const REPLY_STATUS_AT: usize = 8;

/// Why a line ends before its message does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// A field past the captured bytes: `[|nfs]` at once.
    Uncaptured,
    /// A part tcpdump gives up reading: `[|nfs]` unless an error was named.
    GaveUp,
}

type Step<T = usize> = Result<T, Stop>;

/// The calls seen so far in a capture, so that a reply can be read by its call's
/// procedure: a ring of the last [`XidMap::SIZE`] calls, as tcpdump keeps them.
#[derive(Debug)]
pub struct XidMap {
    calls: [SeenCall; XidMap::SIZE],
    /// Where the next call goes.
    next: usize,
    /// Where the last match was found; the next search starts there.
    hint: usize,
}

/// A call: its transaction ID, hosts and procedure.
#[derive(Clone, Copy, Debug)]
struct SeenCall {
    xid: u32,
    hosts: Hosts,
    procedure: u32,
    version: u32,
}

/// A datagram's (source, destination), version-tagged; `Empty` (a slot not filled yet)
/// matches nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hosts {
    Empty,
    V4([u8; 4], [u8; 4]),
    V6([u8; 16], [u8; 16]),
}

impl Hosts {
    fn of(addrs: Addrs) -> Hosts {
        match addrs {
            Addrs::V4(s, d) => Hosts::V4(s, d),
            Addrs::V6(s, d) => Hosts::V6(s, d),
        }
    }

    /// The other way round: a reply goes from the call's destination to its source.
    fn reversed(self) -> Hosts {
        match self {
            Hosts::Empty => Hosts::Empty,
            Hosts::V4(s, d) => Hosts::V4(d, s),
            Hosts::V6(s, d) => Hosts::V6(d, s),
        }
    }
}

impl Default for XidMap {
    fn default() -> Self {
        let empty = SeenCall {
            xid: 0,
            hosts: Hosts::Empty,
            procedure: 0,
            version: 0,
        };
        XidMap {
            calls: [empty; XidMap::SIZE],
            next: 0,
            hint: 0,
        }
    }
}

impl XidMap {
    pub const SIZE: usize = 64;

    fn enter(&mut self, xid: u32, addrs: Addrs, procedure: u32, version: u32) {
        self.calls[self.next] = SeenCall {
            xid,
            hosts: Hosts::of(addrs),
            procedure,
            version,
        };
        self.next = (self.next + 1) % Self::SIZE;
    }

    /// The (procedure, version) of the call a reply from `addrs` answers.
    fn find(&mut self, xid: u32, addrs: Addrs) -> Option<(u32, u32)> {
        let call_hosts = Hosts::of(addrs).reversed();
        let found = (0..Self::SIZE)
            .map(|i| (self.hint + i) % Self::SIZE)
            .find(|&i| self.calls[i].xid == xid && self.calls[i].hosts == call_hosts)?;
        self.hint = found;
        let call = &self.calls[found];
        Some((call.procedure, call.version))
    }
}

/// Whether a UDP datagram is NFS, as tcpdump decides before any port table: a call to
/// the NFS port or a reply from it.
pub fn is_udp_message(ports: (u16, u16), payload: &[u8]) -> bool {
    role(ports, Bytes(payload)).is_some()
}

/// Whether a TCP segment's payload (`seg_len` on the wire) is NFS: a record mark, then
/// a call to the NFS port or a reply from it.
pub fn is_tcp_message(ports: (u16, u16), payload: &[u8], seg_len: u32) -> bool {
    seg_len >= 4
        && payload
            .get(4..)
            .is_some_and(|rpc| role(ports, Bytes(rpc)).is_some())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Call,
    Reply,
}

fn role((sport, dport): (u16, u16), m: Bytes<'_>) -> Option<Role> {
    match m.be32(DIRECTION_AT)? {
        CALL if dport == PORT => Some(Role::Call),
        REPLY if sport == PORT => Some(Role::Reply),
        _ => None,
    }
}

/// Prints an NFS message carried in a UDP datagram (the payload and its wire length).
pub fn print_udp(
    out: &mut Vec<u8>,
    payload: &[u8],
    len: u32,
    flow: &Flow,
    memory: &mut CaptureMemory,
) {
    print_message(out, payload, len, flow, &mut memory.nfs);
}

/// Prints an NFS message carried in a TCP segment (the payload, from the record mark
/// on, and its wire length), after the segment's `, length N`.
pub fn print_tcp(
    out: &mut Vec<u8>,
    payload: &[u8],
    len: u32,
    flow: &Flow,
    memory: &mut CaptureMemory,
) {
    let (Some(mark), Some(rpc)) = (Bytes(payload).be32(0), payload.get(4..)) else {
        return;
    };
    // The record's length, no longer than the segment's.
    let fragment = (mark & 0x7FFF_FFFF).min(len.saturating_sub(4));
    if role(ports(flow), Bytes(rpc)).is_some() {
        out.s(": ");
        print_message(out, rpc, fragment, flow, &mut memory.nfs);
    }
}

fn ports(flow: &Flow) -> (u16, u16) {
    (flow.sport, flow.dport)
}

fn print_message(out: &mut Vec<u8>, rpc: &[u8], len: u32, flow: &Flow, map: &mut XidMap) {
    let m = Bytes(rpc);
    let (Some(role), Some(xid)) = (role(ports(flow), m), m.be32(XID_AT)) else {
        return;
    };
    let mut walk = Walk {
        m,
        out,
        error_named: false,
    };
    walk.out.s(match role {
        Role::Call => "NFS request xid ",
        Role::Reply => "NFS reply xid ",
    });
    walk.out.num(xid);
    walk.out.s(" ");
    let end = match role {
        Role::Call => walk.call(len, xid, flow.addrs, map),
        Role::Reply => walk.reply(len, xid, flow.addrs, map),
    };
    match end {
        Err(Stop::Uncaptured) => walk.out.s(" [|nfs]"),
        Err(Stop::GaveUp) if !walk.error_named => walk.out.s(" [|nfs]"),
        _ => {}
    }
}

/// A message read field by field, its text appended as it goes.
struct Walk<'a, 'o> {
    m: Bytes<'a>,
    out: &'o mut Vec<u8>,
    /// A reply's NFS or RPC error was printed (tcpdump then leaves out `[|nfs]`).
    error_named: bool,
}

/// `len` rounded up to a multiple of 4, in 32-bit arithmetic as tcpdump's `roundup2`
/// (so a length near 2^32 rounds to 0).
fn round_up4(len: u32) -> u32 {
    len.wrapping_add(3) & !3
}

impl Walk<'_, '_> {
    fn word(&self, at: usize) -> Step<u32> {
        self.m.be32(at).ok_or(Stop::Uncaptured)
    }

    fn dword(&self, at: usize) -> Step<u64> {
        self.m.be(at, 8).ok_or(Stop::Uncaptured)
    }

    /// A value's name, or `unknown` and its number when it has none.
    fn name_or(&mut self, name: Option<&str>, unknown: &str, n: u32) {
        match name {
            Some(name) => self.out.s(name),
            None => {
                self.out.s(unknown);
                self.out.num(n);
            }
        }
    }

    /// ` LABEL WORD` for each (label, offset from `at`).
    fn labelled_words(&mut self, at: usize, fields: &[(&str, usize)]) -> Step<()> {
        for &(label, offset) in fields {
            self.out.s(label);
            self.out.num(self.word(at + offset)?);
        }
        Ok(())
    }

    fn captured(&self, at: usize, len: u64) -> bool {
        (at as u64)
            .checked_add(len)
            .is_some_and(|end| end <= self.m.0.len() as u64)
    }

    // ---- calls ----

    fn call(&mut self, len: u32, xid: u32, addrs: Addrs, map: &mut XidMap) -> Step<()> {
        self.out.num(len);
        let (version, procedure) = (self.word(VERSION_AT), self.word(PROCEDURE_AT));
        let (Ok(version), Ok(procedure)) = (version, procedure) else {
            return Err(Stop::Uncaptured);
        };
        map.enter(xid, addrs, procedure, version);
        let v3 = version == 3;
        let procedure = as_v3(procedure, v3);
        self.procedure_name(procedure);
        if !has_arguments(procedure) {
            return Ok(());
        }
        let at = self.arguments_at(len)?;
        match procedure {
            p::GETATTR | p::SETATTR | p::READLINK | p::FSSTAT | p::FSINFO | p::PATHCONF => {
                self.file_handle(at, v3)?;
            }
            p::LOOKUP | p::CREATE | p::MKDIR | p::REMOVE | p::RMDIR => {
                self.handle_and_name(at, v3)?;
            }
            p::ACCESS => {
                let at = self.file_handle(at, v3)?;
                let flags = self.word(at)?;
                self.access_flags(flags);
            }
            p::READ => {
                let at = self.file_handle(at, v3)?;
                let (count, offset) = if v3 {
                    (self.word(at + 8)?, self.dword(at)?)
                } else {
                    (self.word(at + 4)?, u64::from(self.word(at)?))
                };
                self.bytes_at(count, offset);
            }
            p::WRITE => {
                let at = self.file_handle(at, v3)?;
                // Version 2 has a total count (shown as the count) and a begin offset.
                let (data, count, offset, begin) = if v3 {
                    let (data, count) = (self.word(at + 16)?, self.word(at + 8)?);
                    (data, count, self.dword(at)?, None)
                } else {
                    let (data, total) = (self.word(at + 12)?, self.word(at + 8)?);
                    let (offset, begin) = (self.word(at + 4)?, self.word(at)?);
                    (data, total, u64::from(offset), Some(begin))
                };
                self.counted(data, count);
                self.out.s(" bytes @ ");
                self.out.num(offset);
                if let Some(begin) = begin {
                    self.out.s(" (");
                    self.out.num(begin);
                    self.out.s(")");
                }
            }
            p::SYMLINK => {
                let mut at = self.handle_and_name(at, v3)?;
                self.out.s(" ->");
                if v3 {
                    at = self.skip_set_attributes(at)?;
                }
                self.file_name(at)?;
            }
            p::MKNOD => {
                let at = self.handle_and_name(at, v3)?;
                let file_type = self.word(at)?;
                self.skip_set_attributes(at + 4)?;
                self.out.s(" ");
                self.name_or(file_type_name(file_type), "unk-ft ", file_type);
            }
            p::RENAME => {
                let at = self.handle_and_name(at, v3)?;
                self.out.s(" ->");
                self.handle_and_name(at, v3)?;
            }
            p::LINK => {
                let at = self.file_handle(at, v3)?;
                self.out.s(" ->");
                self.handle_and_name(at, v3)?;
            }
            p::READDIR if !v3 => {
                let at = self.file_handle(at, v3)?;
                let (count, cookie) = (self.word(at + 4)?, self.word(at)?);
                self.bytes_at(count, u64::from(cookie));
            }
            p::READDIR | p::READDIRPLUS => {
                let at = self.file_handle(at, v3)?;
                // The cookie as a signed number, as tcpdump shows it.
                let (count, cookie) = (self.word(at + 16)?, self.dword(at)? as i64);
                self.bytes_at(count, cookie);
            }
            p::COMMIT => {
                let at = self.file_handle(at, v3)?;
                let (count, offset) = (self.word(at + 8)?, self.dword(at)?);
                self.bytes_at(count, offset);
            }
            _ => {}
        }
        Ok(())
    }

    /// Where a call's arguments start, past its credentials and verifier; `len` is the
    /// message's wire length. (tcpdump wants the verifier to end before the message
    /// does, the credentials no later.)
    fn arguments_at(&self, len: u32) -> Step {
        let left = u64::from(len);
        let cred_len = self.word(CREDENTIALS_AT + 4)?;
        let cred_rounded = u64::from(round_up4(cred_len));
        if left < 8 || !self.captured(CREDENTIALS_AT + 8, cred_rounded) || 8 + cred_rounded > left {
            return Err(Stop::GaveUp);
        }
        let verifier_at = self.past_opaque(CREDENTIALS_AT, cred_len)?;
        let left = left - 8 - cred_rounded;
        if left < 8 {
            return Err(Stop::GaveUp);
        }
        let verf_len = self.word(verifier_at + 4)?;
        let verf_rounded = u64::from(round_up4(verf_len));
        if !self.captured(verifier_at + 8, verf_rounded) || 8 + verf_rounded >= left {
            return Err(Stop::GaveUp);
        }
        self.past_opaque(verifier_at, verf_len)
    }

    /// Where an `opaque_auth` (flavor, length, `len` bytes padded to 4) at `at` ends, as
    /// tcpdump skips it; past the captured bytes nothing more can be read, so that ends
    /// the line there.
    fn past_opaque(&self, at: usize, len: u32) -> Step {
        let end = at as u64 + (u64::from(len) + 11) / 4 * 4;
        if end > self.m.0.len() as u64 {
            return Err(Stop::Uncaptured);
        }
        Ok(end as usize)
    }

    fn access_flags(&mut self, flags: u32) {
        if flags & !ACCESS_FULL != 0 {
            self.out.s(" ");
            self.out.hex(u64::from(flags), 4);
        } else if flags == ACCESS_FULL {
            self.out.s(" NFS_ACCESS_FULL");
        } else {
            let mut separator = " ";
            for (bit, name) in ACCESS_BITS {
                if flags & bit != 0 {
                    self.out.s(separator);
                    self.out.s(name);
                    separator = "|";
                }
            }
        }
    }

    /// ` N bytes @ OFFSET`.
    fn bytes_at(&mut self, count: u32, offset: impl Decimal) {
        self.out.s(" ");
        self.out.num(count);
        self.out.s(" bytes @ ");
        self.out.num(offset);
    }

    /// ` DATA (COUNT)` of a WRITE.
    fn counted(&mut self, data: u32, count: u32) {
        self.out.s(" ");
        self.out.num(data);
        self.out.s(" (");
        self.out.num(count);
        self.out.s(")");
    }

    /// Skips a version 3 `sattr3` as tcpdump reads it (each set field one word, the
    /// times two).
    fn skip_set_attributes(&self, mut at: usize) -> Step {
        for _ in 0..4 {
            let set = self.word(at)?;
            at += 4;
            if set != 0 {
                self.word(at)?;
                at += 4;
            }
        }
        for _ in 0..2 {
            let how = self.word(at)?;
            at += 4;
            if how == 2 {
                self.word(at)?;
                self.word(at + 4)?;
                at += 8;
            }
        }
        Ok(at)
    }

    // ---- file handles and names ----

    /// Prints the file handle at `at` (` fh …`); where it ends.
    fn file_handle(&mut self, at: usize, v3: bool) -> Step {
        let (words, at) = if v3 {
            (self.word(at)? / 4, at + 4)
        } else {
            (V2_FILE_HANDLE / 4, at)
        };
        let size = words as usize * 4;
        if !self.captured(at, size as u64) {
            return Err(Stop::GaveUp);
        }
        print_file_handle(self.out, &self.m.0[at..at + size]);
        Ok(at + size)
    }

    /// Prints a file name (`"name"`); where it ends.
    fn file_name(&mut self, at: usize) -> Step {
        let len = self.word(at)?;
        let at = at + 4;
        if len > u32::MAX - 3 {
            self.out.s("[cannot pad to 32-bit boundaries] (invalid)");
            return Err(Stop::GaveUp);
        }
        let rounded = round_up4(len);
        if !self.captured(at, u64::from(rounded)) {
            return Err(Stop::GaveUp);
        }
        self.out.s("\"");
        printn(self.out, &self.m.0[at..at + len as usize]);
        self.out.s("\"");
        Ok(at + rounded as usize)
    }

    fn handle_and_name(&mut self, at: usize, v3: bool) -> Step {
        let at = self.file_handle(at, v3)?;
        self.out.s(" ");
        self.file_name(at)
    }

    fn procedure_name(&mut self, procedure: u32) {
        self.out.s(" ");
        self.name_or(procedure_name(procedure), "proc-", procedure);
    }

    // ---- replies ----

    fn reply(&mut self, len: u32, xid: u32, addrs: Addrs, map: &mut XidMap) -> Step<()> {
        match self.word(REPLY_STATUS_AT)? {
            0 => {
                self.out.s("reply ok ");
                self.out.num(len);
                if let Some((procedure, version)) = map.find(xid, addrs) {
                    self.results(len, procedure, version)?;
                }
            }
            1 => {
                self.out.s("reply ERR ");
                self.out.num(len);
                self.out.s(": ");
                self.rejection()?;
            }
            status => {
                self.out.s("reply Unknown rpc response code=");
                self.out.num(status);
                self.out.s(" ");
                self.out.num(len);
            }
        }
        Ok(())
    }

    /// Why the server rejected the call.
    fn rejection(&mut self) -> Step<()> {
        match self.word(12)? {
            0 => {
                let (low, high) = (self.word(16)?, self.word(20)?);
                self.out.s("RPC Version mismatch (");
                self.out.num(low);
                self.out.s("-");
                self.out.num(high);
                self.out.s(")");
            }
            1 => {
                let why = self.word(16)?;
                self.out.s("Auth ");
                self.name_or(auth_status_name(why), "Invalid failure code ", why);
            }
            other => {
                self.out.s("Unknown reason for rejecting rpc message ");
                self.out.num(other);
            }
        }
        Ok(())
    }

    /// An accepted reply to `procedure` of `version`.
    fn results(&mut self, len: u32, procedure: u32, version: u32) -> Step<()> {
        let v3 = version == 3;
        let procedure = as_v3(procedure, v3);
        self.procedure_name(procedure);
        if !has_arguments(procedure) {
            return Ok(());
        }
        let at = self.results_at(len)?;
        match procedure {
            p::GETATTR => {
                self.attribute_status(at, true, v3)?;
            }
            p::SETATTR if v3 => {
                self.wcc_status(at)?;
            }
            p::SETATTR => {
                self.attribute_status(at, true, false)?;
            }
            p::LOOKUP if v3 => {
                let (at, error) = self.status(at)?;
                if error == 0 {
                    let at = self.file_handle(at, true)?;
                    self.skip_post_op_attributes(at)?;
                }
            }
            p::LOOKUP => {
                self.directory_operation(at)?;
            }
            p::ACCESS => {
                let (at, error) = self.status(at)?;
                let at = self.skip_post_op_attributes(at)?;
                if error == 0 {
                    let rights = self.word(at)?;
                    self.out.s(" c ");
                    self.out.hex(u64::from(rights), 4);
                }
            }
            p::READLINK => {
                let (mut at, error) = self.status(at)?;
                if error == 0 {
                    if v3 {
                        at = self.skip_post_op_attributes(at)?;
                    }
                    self.out.s(" ");
                    self.file_name(at)?;
                }
            }
            p::READ | p::WRITE if !v3 => {
                self.attribute_status(at, false, false)?;
            }
            p::READ => {
                let (at, _) = self.status(at)?;
                self.skip_post_op_attributes(at)?;
            }
            p::WRITE => {
                let (at, _) = self.status(at)?;
                self.skip_wcc_data(at)?;
            }
            p::CREATE | p::MKDIR if !v3 => {
                self.directory_operation(at)?;
            }
            p::CREATE | p::MKDIR | p::MKNOD => {
                self.create_status(at)?;
            }
            p::SYMLINK if v3 => {
                self.create_status(at)?;
            }
            p::REMOVE | p::RMDIR if v3 => {
                self.wcc_status(at)?;
            }
            p::SYMLINK | p::REMOVE | p::RMDIR | p::RENAME | p::LINK => {
                self.status(at)?;
            }
            p::READDIR if !v3 => {
                let (at, error) = self.status(at)?;
                if error == 0 {
                    let (offset, size) = (self.word(at)?, self.word(at + 4)?);
                    self.out.s(" offset 0x");
                    self.out.hex(u64::from(offset), 0);
                    self.out.s(" size ");
                    self.out.num(size);
                    self.out.s(" ");
                    if self.word(at + 8)? != 0 {
                        self.out.s(" eof");
                    }
                }
            }
            p::READDIR | p::READDIRPLUS => {
                let (at, _) = self.status(at)?;
                self.skip_post_op_attributes(at)?;
            }
            p::FSSTAT => self.file_system_status(at, v3)?,
            p::FSINFO => self.file_system_info(at)?,
            p::PATHCONF => self.path_configuration(at)?,
            p::COMMIT => {
                self.wcc_status(at)?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Where an accepted reply's results start, past its verifier; an RPC error (the
    /// call not run) is printed and ends the line.
    fn results_at(&mut self, len: u32) -> Step {
        let at = REPLY_STATUS_AT + 4;
        let verf_len = self.word(at + 4)?;
        if verf_len >= len {
            return Err(Stop::GaveUp);
        }
        let at = self.past_opaque(at, verf_len)?;
        let accepted = self.word(at)?;
        if accepted != 0 {
            self.out.s(" ");
            self.name_or(accept_status_name(accepted), "ar_stat ", accepted);
            self.error_named = true;
            return Err(Stop::GaveUp);
        }
        Ok(at + 4)
    }

    /// An NFS status word, its error printed; (where it ends, the status).
    fn status(&mut self, at: usize) -> Step<(usize, u32)> {
        let status = self.word(at)?;
        if status != 0 {
            self.out.s(" ERROR: ");
            self.name_or(status_name(status), "unk ", status);
            self.error_named = true;
        }
        Ok((at + 4, status))
    }

    /// A status, then on success the file's attributes (printed when `shown`).
    fn attribute_status(&mut self, at: usize, shown: bool, v3: bool) -> Step<()> {
        let (at, error) = self.status(at)?;
        if error == 0 {
            self.attributes(at, shown, v3)?;
        }
        Ok(())
    }

    /// File attributes (`fattr`): ` REG 644 ids 0/0 sz 3` when `shown`; where they end.
    fn attributes(&mut self, at: usize, shown: bool, v3: bool) -> Step {
        const GID_AT: usize = 16;
        const SIZE_AT: usize = 20;
        if !self.captured(at + GID_AT, 4) {
            return Err(Stop::GaveUp);
        }
        if shown {
            let (file_type, mode) = (self.word(at)?, self.word(at + 4)?);
            let (uid, gid) = (self.word(at + 12)? as i32, self.word(at + GID_AT)? as i32);
            self.out.s(" ");
            let named = file_type_name(file_type);
            self.name_or(named, "unk-ft ", file_type);
            if named.is_none() {
                self.out.s(" ");
            }
            self.out.s(" ");
            self.out.octal(mode);
            self.out.s(" ids ");
            self.out.num(uid);
            self.out.s("/");
            self.out.num(gid);
            let size = if v3 {
                self.dword(at + SIZE_AT)?
            } else {
                u64::from(self.word(at + SIZE_AT)?)
            };
            self.out.s(" sz ");
            self.out.num(size);
        }
        Ok(at + if v3 { V3_ATTRIBUTES } else { V2_ATTRIBUTES })
    }

    /// Version 3 `post_op_attr`, not shown by default; where it ends.
    fn skip_post_op_attributes(&self, at: usize) -> Step {
        if self.word(at)? == 0 {
            return Ok(at + 4);
        }
        Ok(at + 4 + V3_ATTRIBUTES)
    }

    /// Version 3 `wcc_data` (attributes before and after), not shown by default.
    fn skip_wcc_data(&self, at: usize) -> Step {
        let at = if self.word(at)? == 0 {
            at + 4
        } else {
            const WCC_ATTRIBUTES: u64 = 24;
            if !self.captured(at + 4, WCC_ATTRIBUTES) {
                return Err(Stop::GaveUp);
            }
            at + 4 + WCC_ATTRIBUTES as usize
        };
        self.skip_post_op_attributes(at)
    }

    fn wcc_status(&mut self, at: usize) -> Step<()> {
        let (at, _) = self.status(at)?;
        self.skip_wcc_data(at)?;
        Ok(())
    }

    /// Version 2 `diropres`: status, then the file's handle and attributes.
    fn directory_operation(&mut self, at: usize) -> Step<()> {
        let (at, error) = self.status(at)?;
        if error == 0 {
            let at = self.file_handle(at, false)?;
            self.attributes(at, false, false)?;
        }
        Ok(())
    }

    /// Version 3 CREATE, MKDIR, SYMLINK and MKNOD results: the new file's handle.
    fn create_status(&mut self, at: usize) -> Step<()> {
        let (at, error) = self.status(at)?;
        if error != 0 {
            self.skip_wcc_data(at)?;
        } else if self.word(at)? != 0 {
            self.file_handle(at + 4, true)?;
        }
        Ok(())
    }

    fn file_system_status(&mut self, at: usize, v3: bool) -> Step<()> {
        let (mut at, error) = self.status(at)?;
        if !v3 && error != 0 {
            return Ok(());
        }
        if v3 {
            at = self.skip_post_op_attributes(at)?;
        }
        if !self.captured(at, if v3 { V3_STATFS } else { V2_STATFS }) {
            return Err(Stop::GaveUp);
        }
        if v3 {
            let fields = [(" tbytes ", 0), (" fbytes ", 8), (" abytes ", 16)];
            for (label, offset) in fields {
                self.out.s(label);
                self.out.num(self.dword(at + offset)?);
            }
            Ok(())
        } else {
            let fields = [
                (" tsize ", 0),
                (" bsize ", 4),
                (" blocks ", 8),
                (" bfree ", 12),
                (" bavail ", 16),
            ];
            self.labelled_words(at, &fields)
        }
    }

    fn file_system_info(&mut self, at: usize) -> Step<()> {
        let (at, error) = self.status(at)?;
        let at = self.skip_post_op_attributes(at)?;
        if error != 0 {
            return Ok(());
        }
        if !self.captured(at, V3_FSINFO) {
            return Err(Stop::GaveUp);
        }
        let fields = [
            (" rtmax ", 0),
            (" rtpref ", 4),
            (" wtmax ", 12),
            (" wtpref ", 16),
            (" dtpref ", 24),
        ];
        self.labelled_words(at, &fields)
    }

    fn path_configuration(&mut self, at: usize) -> Step<()> {
        let (at, error) = self.status(at)?;
        let at = self.skip_post_op_attributes(at)?;
        if error != 0 {
            return Ok(());
        }
        if !self.captured(at, V3_PATHCONF) {
            return Err(Stop::GaveUp);
        }
        self.labelled_words(at, &[(" linkmax ", 0), (" namemax ", 4)])?;
        let flags = [
            (8, "notrunc"),
            (12, "chownres"),
            (16, "igncase"),
            (20, "keepcase"),
        ];
        for (offset, name) in flags {
            self.out.s(" ");
            if self.word(at + offset)? != 0 {
                self.out.s(name);
            }
        }
        Ok(())
    }
}

/// Whether tcpdump reads past the RPC header of a call to (or reply from) `procedure`:
/// every named one but NULL and the no-ops.
fn has_arguments(procedure: u32) -> bool {
    (p::GETATTR..=p::COMMIT).contains(&procedure)
}

/// A procedure number as version 3 numbers it.
fn as_v3(procedure: u32, v3: bool) -> u32 {
    match V2_PROCEDURES.get(procedure as usize) {
        Some(&same) if !v3 => same,
        _ => procedure,
    }
}

// ---- file handles ----

/// The server operating system a file handle's layout suggests (tcpdump's guess,
/// from the values of a few bytes), which says where its device and inode numbers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HandleLayout {
    Auspex,
    Bsd44,
    DecOsf,
    Irix4,
    SunOs4,
    SunOs5,
    Ultrix,
    VmsUcx,
    HpUx9,
    Unknown,
}

fn guess_layout(fh: &[u8]) -> HandleLayout {
    use HandleLayout::*;
    let b = |i: usize| fh.get(i).copied().unwrap_or(0);
    let words = fh.len() / 4;
    if words < 4 {
        return Unknown;
    }
    if b(0) == 0 && b(1) == 0 {
        if b(2) == 0 && b(3) == 0 {
            Auspex
        } else if b(4) != 0 && b(5) == 0 && b(8) == 12 && b(9) == 0 {
            DecOsf
        } else if b(4) == 0 && b(5) == 8 && b(6) == 0 && b(7) == 0 {
            Irix4
        } else {
            SunOs4
        }
    } else if b(2) == 0 && b(3) == 0 {
        if b(6) == 0 && b(7) == 0 {
            Bsd44
        } else if words >= 6 && b(21) == 0 && b(23) == 0 {
            Ultrix
        } else if b(9) == 10 {
            SunOs5
        } else {
            Unknown
        }
    } else if b(8) == 12 && b(9) == 0 {
        DecOsf
    } else if b(8) == 0 && b(9) == 10 {
        if b(4) == 0 && b(5) == 0 && b(6) == 0 && b(7) == 0 {
            HpUx9
        } else {
            SunOs5
        }
    } else if is_vms_ucx(fh) {
        VmsUcx
    } else {
        Unknown
    }
}

/// A VMS UCX handle: a code byte, then the device name (printable, then NULs).
fn is_vms_ucx(fh: &[u8]) -> bool {
    if fh.len() < 28 {
        return false;
    }
    let mut seen_nul = false;
    for &c in &fh[1..14] {
        match c {
            0x20..=0x7E if !seen_nul => {}
            0 => seen_nul = true,
            _ => return false,
        }
    }
    true
}

/// Prints ` fh MAJOR,MINOR/INODE` as tcpdump guesses them, or ` fh NAME/…` for a
/// layout it names the file system of (VMS) or cannot read (`Unknown/` and the
/// handle's first 32 bytes in hex).
fn print_file_handle(out: &mut Vec<u8>, fh: &[u8]) {
    use HandleLayout::*;
    let b = |i: usize| u32::from(fh.get(i).copied().unwrap_or(0));
    let be = |i: usize| Bytes(fh).be32(i).unwrap_or(0);
    let le = |i: usize| be(i).swap_bytes();
    // tcpdump copies at most as many characters of the name as the handle has words.
    let name_room = (fh.len() / 4).min(V3_FILE_HANDLE_MAX);
    let (major, minor, inode) = match guess_layout(fh) {
        Unknown => {
            out.s(" fh ");
            out.s(&"Unknown"[..name_room.min(7)]);
            out.s("/");
            for &byte in fh.iter().take(32) {
                out.extend_from_slice(&[
                    HEX_UPPER[usize::from(byte >> 4)],
                    HEX_UPPER[usize::from(byte & 15)],
                ]);
            }
            return;
        }
        VmsUcx => {
            let name = fh.get(1..1 + name_room).unwrap_or(&[]);
            let name = name.split(|&c| c == 0 || c == b' ').next().unwrap_or(&[]);
            out.s(" fh ");
            out.extend_from_slice(name);
            out.s("/");
            out.num(b(26) << 24 | b(27) << 16 | b(23) << 8 | b(22));
            return;
        }
        Auspex => (b(6), b(7), be(12)),
        Bsd44 => (b(1), b(0), le(12)),
        DecOsf => {
            let dev = le(0);
            ((dev >> 20) & 0xFFF, dev & 0xF_FFFF, le(12))
        }
        Irix4 => (b(2), b(3), be(8)),
        SunOs4 => (b(2), b(3), be(12)),
        SunOs5 => (
            (be(0) >> 18) & 0x3FFF,
            (be(0) & 0xFF_FFFF) & 0x3FFFF,
            be(12),
        ),
        Ultrix => (b(1), b(0), le(4)),
        HpUx9 => (b(0), be(0) & 0xFF_FFFF, be(12)),
    };
    out.s(" fh ");
    out.num(major);
    out.s(",");
    out.num(minor);
    out.s("/");
    // For a minor number of 257 tcpdump prints a buffer these layouts leave unset
    // (stack leftovers); nothing matches that, so nothing is printed.
    if minor != 257 {
        out.num(inode);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLIENT: [u8; 4] = [10, 0, 0, 1];
    const SERVER: [u8; 4] = [10, 0, 0, 2];

    fn flow(src: [u8; 4], dst: [u8; 4], sport: u16, dport: u16) -> Flow {
        Flow {
            addrs: Addrs::V4(src, dst),
            sport,
            dport,
        }
    }

    fn words(ws: &[u32]) -> Vec<u8> {
        ws.iter().flat_map(|w| w.to_be_bytes()).collect()
    }

    /// A call with empty credentials and verifier.
    fn call(xid: u32, version: u32, procedure: u32, arguments: &[u8]) -> Vec<u8> {
        let mut m = words(&[xid, CALL, 2, 100_003, version, procedure, 1, 0, 0, 0]);
        m.extend_from_slice(arguments);
        m
    }

    /// A call with credentials of 20 bytes and an empty verifier.
    fn call_with_credentials(xid: u32, version: u32, procedure: u32, arguments: &[u8]) -> Vec<u8> {
        let mut m = words(&[xid, CALL, 2, 100_003, version, procedure, 1, 20, 1]);
        m.extend_from_slice(b"host");
        m.extend_from_slice(&words(&[0, 0, 1, 0, 0]));
        m.extend_from_slice(arguments);
        m
    }

    /// An accepted reply with an empty verifier and `status` (0: success).
    fn accepted(xid: u32, status: u32, results: &[u8]) -> Vec<u8> {
        let mut m = words(&[xid, REPLY, 0, 0, 0, status]);
        m.extend_from_slice(results);
        m
    }

    fn handle3(fh: &[u8]) -> Vec<u8> {
        let mut v = words(&[fh.len() as u32]);
        v.extend_from_slice(fh);
        v
    }

    fn name(s: &[u8]) -> Vec<u8> {
        let mut v = words(&[s.len() as u32]);
        v.extend_from_slice(s);
        v.resize(v.len() + (4 - s.len() % 4) % 4, 0);
        v
    }

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    /// A BSD 4.4 handle: minor 5, major 1, inode 12345.
    fn bsd() -> Vec<u8> {
        let mut fh = vec![5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x39, 0x30, 0, 0];
        fh.resize(32, 0);
        fh
    }

    /// A handle of no layout tcpdump knows.
    fn unknown() -> Vec<u8> {
        (0xD0..0xF0).collect()
    }

    /// The text for each message in turn, calls from the client and replies from the
    /// server over UDP, with one map for them all.
    fn lines(messages: &[(bool, &[u8])]) -> Vec<String> {
        let mut memory = CaptureMemory::default();
        messages
            .iter()
            .map(|&(is_call, m)| {
                let flow = if is_call {
                    flow(CLIENT, SERVER, 700, PORT)
                } else {
                    flow(SERVER, CLIENT, PORT, 700)
                };
                assert!(is_udp_message(ports(&flow), m));
                let mut out = Vec::new();
                print_udp(&mut out, m, m.len() as u32, &flow, &mut memory);
                String::from_utf8_lossy(&out).into_owned()
            })
            .collect()
    }

    fn one(m: &[u8]) -> String {
        lines(&[(true, m)]).remove(0)
    }

    #[test]
    fn a_reply_is_read_by_its_calls_procedure() {
        let write = call_with_credentials(
            90477929,
            3,
            p::WRITE,
            &cat(&[&handle3(&unknown()), &words(&[0, 0, 3, 2, 3]), b"abc\0"]),
        );
        let reply = accepted(90477929, 0, &words(&[0, 0, 0, 3, 2, 1, 2]));
        let unseen = accepted(5, 0, &words(&[0]));
        assert_eq!(
            lines(&[(true, &write), (false, &reply), (false, &unseen)]),
            [
                "NFS request xid 90477929 120 write fh Unknown/\
                 D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF 3 (3) bytes @ 0",
                "NFS reply xid 90477929 reply ok 52 write",
                "NFS reply xid 5 reply ok 28",
            ]
        );
    }

    #[test]
    fn a_reply_from_another_host_is_not_matched() {
        let getattr = call(9, 3, p::GETATTR, &handle3(&bsd()));
        let reply = accepted(9, 0, &words(&[0]));
        let mut memory = CaptureMemory::default();
        let mut out = Vec::new();
        let to_server = flow(CLIENT, SERVER, 700, PORT);
        print_udp(&mut out, &getattr, 76, &to_server, &mut memory);
        out.clear();
        let from_elsewhere = flow([10, 0, 0, 3], CLIENT, PORT, 700);
        print_udp(&mut out, &reply, 28, &from_elsewhere, &mut memory);
        assert_eq!(String::from_utf8_lossy(&out), "NFS reply xid 9 reply ok 28");
    }

    #[test]
    fn the_map_keeps_the_last_64_calls() {
        let mut map = XidMap::default();
        let addrs = Addrs::V4(CLIENT, SERVER);
        for xid in 0..=XidMap::SIZE as u32 {
            map.enter(xid, addrs, p::READ, 3);
        }
        let reply_addrs = Addrs::V4(SERVER, CLIENT);
        assert_eq!(map.find(0, reply_addrs), None);
        assert_eq!(map.find(1, reply_addrs), Some((p::READ, 3)));
        assert_eq!(map.find(64, reply_addrs), Some((p::READ, 3)));
    }

    #[test]
    fn version_2_lookup_with_an_escaped_name_and_an_error() {
        let lookup = call(6, 2, 4, &cat(&[&bsd(), &name(b"etc\x01\xc3\xa9")]));
        let reply = accepted(6, 0, &words(&[2]));
        assert_eq!(
            lines(&[(true, &lookup), (false, &reply)]),
            [
                "NFS request xid 6 84 lookup fh 1,5/12345 \"etc^AM-CM-)\"",
                "NFS reply xid 6 reply ok 28 lookup ERROR: No such file or directory",
            ]
        );
    }

    #[test]
    fn cut_short_and_invalid_calls() {
        let bad_name = call(
            7,
            3,
            p::LOOKUP,
            &cat(&[&handle3(&unknown()), &words(&[0xFFFF_FFFE]), b"xxxx"]),
        );
        assert_eq!(
            one(&bad_name),
            "NFS request xid 7 84 lookup fh Unknown/\
             D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDFE0E1E2E3E4E5E6E7E8E9EAEBECEDEEEF \
             [cannot pad to 32-bit boundaries] (invalid) [|nfs]"
        );
        let getattr = call(8, 3, p::GETATTR, &handle3(&unknown()));
        let mut out = Vec::new();
        let to_server = flow(CLIENT, SERVER, 703, PORT);
        let mut memory = CaptureMemory::default();
        print_udp(&mut out, &getattr[..20], 76, &to_server, &mut memory);
        assert_eq!(String::from_utf8_lossy(&out), "NFS request xid 8 76 [|nfs]");
    }

    #[test]
    fn attributes_are_shown_for_getattr() {
        let v3 = call(9, 3, p::GETATTR, &handle3(&bsd()));
        let mut attributes = words(&[0, 1, 0o100644, 1, 1000, 0xFFFF_FFFE, 0, 3, 0, 4096]);
        attributes.extend_from_slice(&words(&[0, 0, 0, 1, 0, 2, 1, 2, 3, 4, 5, 6]));
        let v3_reply = accepted(9, 0, &attributes);
        let v2 = call(34, 2, 1, &bsd());
        let mut attributes = words(&[0, 2, 0o40755, 2, 0, 0, 512]);
        attributes.resize(attributes.len() + 44, 0);
        let v2_reply = accepted(34, 0, &attributes);
        assert_eq!(
            lines(&[
                (true, &v3),
                (false, &v3_reply),
                (true, &v2),
                (false, &v2_reply)
            ]),
            [
                "NFS request xid 9 76 getattr fh 1,5/12345",
                "NFS reply xid 9 reply ok 112 getattr REG 100644 ids 1000/-2 sz 3",
                "NFS request xid 34 72 getattr fh 1,5/12345",
                "NFS reply xid 34 reply ok 96 getattr DIR 40755 ids 0/0 sz 512",
            ]
        );
    }

    #[test]
    fn a_named_error_leaves_out_the_cut_short_mark() {
        let fsstat = call(10, 3, p::FSSTAT, &handle3(&bsd()));
        let reply = accepted(10, 0, &words(&[70, 0, 1, 2, 3]));
        let unavailable = call(29, 3, p::GETATTR, &handle3(&bsd()));
        let unavailable_reply = accepted(29, 3, &[]);
        assert_eq!(
            lines(&[
                (true, &fsstat),
                (false, &reply),
                (true, &unavailable),
                (false, &unavailable_reply)
            ])[1..],
            [
                "NFS reply xid 10 reply ok 44 fsstat ERROR: Stale NFS file handle",
                "NFS request xid 29 76 getattr fh 1,5/12345",
                "NFS reply xid 29 reply ok 24 getattr PROC_UNAVAIL",
            ]
        );
    }

    #[test]
    fn rejected_replies() {
        let auth = words(&[11, REPLY, 1, 1, 1]);
        let mismatch = words(&[12, REPLY, 1, 0, 2, 3]);
        let other = words(&[13, REPLY, 1, 7]);
        let cut = words(&[50, REPLY, 1, 1]);
        assert_eq!(
            lines(&[
                (false, &auth),
                (false, &mismatch),
                (false, &other),
                (false, &cut)
            ]),
            [
                "NFS reply xid 11 reply ERR 20: Auth Bogus Credentials (seal broken)",
                "NFS reply xid 12 reply ERR 24: RPC Version mismatch (2-3)",
                "NFS reply xid 13 reply ERR 16: Unknown reason for rejecting rpc message 7",
                "NFS reply xid 50 reply ERR 16:  [|nfs]",
            ]
        );
        let mut out = Vec::new();
        let from_server = flow(SERVER, CLIENT, PORT, 1);
        let no_status = words(&[52, REPLY, 0]);
        let mut memory = CaptureMemory::default();
        print_udp(&mut out, &no_status[..11], 12, &from_server, &mut memory);
        assert_eq!(String::from_utf8_lossy(&out), "NFS reply xid 52  [|nfs]");
    }

    #[test]
    fn access() {
        let bits = |xid, flags| {
            call(
                xid,
                3,
                p::ACCESS,
                &cat(&[&handle3(&bsd()), &words(&[flags])]),
            )
        };
        let reply = accepted(14, 0, &words(&[0, 0, 0x1b]));
        assert_eq!(
            lines(&[
                (true, &bits(14, 0x1b)),
                (true, &bits(15, 0x3f)),
                (true, &bits(16, 0x40)),
                (false, &reply)
            ]),
            [
                "NFS request xid 14 80 access fh 1,5/12345 \
                 NFS_ACCESS_READ|NFS_ACCESS_LOOKUP|NFS_ACCESS_EXTEND|NFS_ACCESS_DELETE",
                "NFS request xid 15 80 access fh 1,5/12345 NFS_ACCESS_FULL",
                "NFS request xid 16 80 access fh 1,5/12345 0040",
                "NFS reply xid 14 reply ok 36 access c 001b",
            ]
        );
    }

    #[test]
    fn over_tcp_after_the_record_mark() {
        let mut read = words(&[0x8000_0000 | 60]);
        read.extend_from_slice(&call(
            17,
            3,
            p::READ,
            &cat(&[&handle3(&bsd()), &words(&[0, 8192, 4096])]),
        ));
        let mut reply = words(&[0x8000_0000 | 36]);
        reply.extend_from_slice(&accepted(17, 0, &words(&[0, 0, 5, 1])));
        let mut memory = CaptureMemory::default();
        let mut out = Vec::new();
        assert!(is_tcp_message((708, PORT), &read, 92));
        print_tcp(
            &mut out,
            &read,
            92,
            &flow(CLIENT, SERVER, 708, PORT),
            &mut memory,
        );
        out.extend_from_slice(b"|");
        assert!(is_tcp_message((PORT, 708), &reply, 44));
        print_tcp(
            &mut out,
            &reply,
            44,
            &flow(SERVER, CLIENT, PORT, 708),
            &mut memory,
        );
        assert_eq!(
            String::from_utf8_lossy(&out),
            ": NFS request xid 17 60 read fh 1,5/12345 4096 bytes @ 8192|\
             : NFS reply xid 17 reply ok 36 read"
        );
        assert!(!is_tcp_message((PORT, 708), &read, 92));
    }

    #[test]
    fn more_calls() {
        let fh = handle3(&bsd());
        let calls = [
            call(
                18,
                2,
                11,
                &cat(&[&bsd(), &name(b"a"), &bsd(), &name(b"bb")]),
            ),
            call(19, 3, p::LINK, &cat(&[&fh, &fh, &name(b"lnk")])),
            call(
                20,
                3,
                p::SYMLINK,
                &cat(&[
                    &fh,
                    &name(b"s"),
                    &words(&[1, 0o755, 0, 0, 0, 2, 1, 2, 0]),
                    &name(b"/target"),
                ]),
            ),
            call(21, 2, 16, &cat(&[&bsd(), &words(&[7, 1024])])),
            call(
                22,
                3,
                p::READDIR,
                &cat(&[&fh, &words(&[!0, !0, 0, 0, 512])]),
            ),
            call(23, 3, p::COMMIT, &cat(&[&fh, &words(&[0, 100, 50])])),
            call(
                24,
                3,
                p::MKNOD,
                &cat(&[&fh, &name(b"dev"), &words(&[4, 0, 0, 0, 0, 0, 0])]),
            ),
            call(25, 2, 8, &cat(&[&bsd(), &words(&[1, 2, 3, 4])])),
            call(28, 3, 40, &[]),
        ];
        let messages: Vec<(bool, &[u8])> = calls.iter().map(|c| (true, c.as_slice())).collect();
        assert_eq!(
            lines(&messages),
            [
                "NFS request xid 18 120 rename fh 1,5/12345 \"a\" -> fh 1,5/12345 \"bb\"",
                "NFS request xid 19 120 link fh 1,5/12345 -> fh 1,5/12345 \"lnk\"",
                "NFS request xid 20 132 symlink fh 1,5/12345 \"s\" ->\"/target\"",
                "NFS request xid 21 80 readdir fh 1,5/12345 1024 bytes @ 7",
                "NFS request xid 22 96 readdir fh 1,5/12345 512 bytes @ -1",
                "NFS request xid 23 88 commit fh 1,5/12345 50 bytes @ 100",
                "NFS request xid 24 112 mknod fh 1,5/12345 \"dev\" CHR",
                "NFS request xid 25 88 write fh 1,5/12345 4 (3) bytes @ 2 (1)",
                "NFS request xid 28 40 proc-40",
            ]
        );
    }

    #[test]
    fn more_replies() {
        let fh = handle3(&bsd());
        let readdir = call(21, 2, 16, &cat(&[&bsd(), &words(&[7, 1024])]));
        let readdir_reply = accepted(21, 0, &words(&[0, 0x10, 20, 1]));
        let fsinfo = call(26, 3, p::FSINFO, &fh);
        let mut info = words(&[0, 0, 1, 2, 3, 4, 5, 6, 7]);
        info.resize(info.len() + 20, 0);
        let fsinfo_reply = accepted(26, 0, &info);
        let pathconf = call(27, 3, p::PATHCONF, &fh);
        let pathconf_reply = accepted(27, 0, &words(&[0, 0, 32000, 255, 1, 0, 0, 1]));
        let unknown = call(28, 3, 40, &[]);
        let unknown_reply = accepted(28, 0, &[]);
        let lookup = call(32, 3, p::LOOKUP, &cat(&[&fh, &name(b"f")]));
        let lookup_reply = accepted(32, 0, &cat(&[&words(&[0]), &fh, &words(&[0])]));
        let create = call(33, 3, p::CREATE, &cat(&[&fh, &name(b"f"), &words(&[0])]));
        let create_reply = accepted(33, 0, &cat(&[&words(&[0, 1]), &fh, &words(&[0])]));
        let text = lines(&[
            (true, &readdir),
            (false, &readdir_reply),
            (true, &fsinfo),
            (false, &fsinfo_reply),
            (true, &pathconf),
            (false, &pathconf_reply),
            (true, &unknown),
            (false, &unknown_reply),
            (true, &lookup),
            (false, &lookup_reply),
            (true, &create),
            (false, &create_reply),
        ]);
        let replies: Vec<&str> = text.iter().skip(1).step_by(2).map(String::as_str).collect();
        assert_eq!(
            replies,
            [
                "NFS reply xid 21 reply ok 40 readdir offset 0x10 size 20  eof",
                "NFS reply xid 26 reply ok 80 fsinfo rtmax 1 rtpref 2 wtmax 4 wtpref 5 dtpref 7",
                "NFS reply xid 27 reply ok 56 pathconf linkmax 32000 namemax 255 notrunc   keepcase",
                "NFS reply xid 28 reply ok 24 proc-40",
                "NFS reply xid 32 reply ok 68 lookup fh 1,5/12345",
                "NFS reply xid 33 reply ok 72 create fh 1,5/12345",
            ]
        );
    }

    #[test]
    fn file_handle_layouts() {
        let mut vms = b"\x05DKA100\0\0\0\0\0\0\0".to_vec();
        vms.extend_from_slice(&[0; 8]);
        vms.extend_from_slice(&[0x34, 0x12, 0, 0, 7, 8, 0, 0, 0, 0]);
        let padded = |head: &[u8]| {
            let mut fh = head.to_vec();
            fh.resize(32, 0);
            fh
        };
        let handles = [
            b"\x01\x02\x03\x04\x05\x06\x07\x08".to_vec(),
            vms,
            padded(&[0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 9]),
            padded(&[0, 0, 1, 2, 3, 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0]),
            padded(&[0, 0, 1, 2, 0, 8, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]),
            padded(&[0, 0, 1, 2, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 6]),
            padded(&[1, 2, 0, 0, 0, 0, 1, 0, 0, 10, 0, 0, 0, 0, 0, 7]),
            padded(&[1, 2, 0, 0, 7, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7]),
            padded(&[1, 2, 3, 4, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 8]),
            padded(&[1, 2, 3, 4, 5, 6, 7, 8, 0, 10, 0, 0, 0, 0, 0, 8]),
        ];
        let shown: Vec<String> = handles
            .iter()
            .map(|fh| {
                let mut out = Vec::new();
                print_file_handle(&mut out, fh);
                String::from_utf8_lossy(&out).into_owned()
            })
            .collect();
        assert_eq!(
            shown,
            [
                " fh Un/0102030405060708",
                " fh DKA100/117969460",
                " fh 1,2/9",
                " fh 32,65536/1",
                " fh 1,2/5",
                " fh 1,2/6",
                " fh 2,1/65536",
                " fh 2,1/16777223",
                " fh 1,131844/8",
                " fh 64,131844/8",
            ]
        );
    }

    #[test]
    fn a_version_3_handle_is_read_in_whole_words() {
        // Six bytes: tcpdump reads one word of handle, then the name right after it.
        let getattr = call(
            1,
            3,
            p::GETATTR,
            &cat(&[&words(&[6]), &[1, 2, 3, 4, 5, 6, 0, 0]]),
        );
        let lookup = call(
            2,
            3,
            p::LOOKUP,
            &cat(&[&words(&[6]), &[1, 2, 3, 4], &words(&[1]), b"a\0\0\0"]),
        );
        assert_eq!(
            lines(&[(true, &getattr), (true, &lookup)]),
            [
                "NFS request xid 1 52 getattr fh U/01020304",
                "NFS request xid 2 56 lookup fh U/01020304 \"a\"",
            ]
        );
    }

    /// IPv4 with UDP (`tcp` false) or TCP from `src.sport` to `dst.dport`, carrying
    /// `payload`.
    fn ip_frame(
        tcp: bool,
        src: [u8; 4],
        dst: [u8; 4],
        ports: (u16, u16),
        payload: &[u8],
    ) -> Vec<u8> {
        let mut transport = cat(&[&ports.0.to_be_bytes(), &ports.1.to_be_bytes()]);
        if tcp {
            transport.extend_from_slice(&words(&[1, 2, 0x5018_1000, 0]));
        } else {
            let len = (8 + payload.len()) as u16;
            transport.extend_from_slice(&cat(&[&len.to_be_bytes(), &[0, 0]]));
        }
        transport.extend_from_slice(payload);
        let total = (20 + transport.len()) as u16;
        let proto = if tcp { 6 } else { 17 };
        let mut ip = cat(&[
            &[0x45, 0],
            &total.to_be_bytes(),
            &[0, 0, 0, 0, 64, proto, 0, 0],
        ]);
        ip.extend_from_slice(&cat(&[&src, &dst, &transport]));
        ip
    }

    #[test]
    fn through_the_decoder_with_one_memory_for_the_capture() {
        let getattr = call(9, 3, p::GETATTR, &handle3(&bsd()));
        let reply = accepted(9, 0, &words(&[13]));
        let mut marked = words(&[0x8000_0000 | getattr.len() as u32]);
        marked.extend_from_slice(&getattr);
        let frames = [
            // tcpdump looks for NFS before DNS.
            ip_frame(false, CLIENT, SERVER, (53, PORT), &getattr),
            ip_frame(false, SERVER, CLIENT, (PORT, 53), &reply),
            ip_frame(true, CLIENT, SERVER, (700, PORT), &marked),
            // A call from the NFS port is not NFS.
            ip_frame(false, SERVER, CLIENT, (PORT, 700), &getattr),
        ];
        let mut memory = CaptureMemory::default();
        let mut out = Vec::new();
        for f in &frames {
            let d = crate::packet::decode(
                crate::record::LinkType::RAW,
                f,
                f.len() as u32,
                &Default::default(),
            );
            crate::packet::print_lines(&mut out, &d, &Default::default(), b"", &mut memory);
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            "ip: 10.0.0.1.53 > 10.0.0.2.2049: NFS request xid 9 76 getattr fh 1,5/12345\n\
             ip: 10.0.0.2.2049 > 10.0.0.1.53: NFS reply xid 9 reply ok 28 getattr \
             ERROR: Permission denied\n\
             ip: 10.0.0.1.700 > 10.0.0.2.2049: Flags [P.], seq 1:81, ack 2, win 4096, \
             length 80: NFS request xid 9 76 getattr fh 1,5/12345\n\
             ip: 10.0.0.2.2049 > 10.0.0.1.700: UDP, length 76\n"
        );
    }
}
