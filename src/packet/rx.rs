//! Rx, AFS's remote procedure call transport (UDP 7000-7009): tcpdump's default line,
//! ` rx data (28)` or ` rx ack first 2 serial 347 reason delay (65)`.
//!
//! tcpdump also decodes the first data packet of a call to an AFS service (`pt call
//! name-to-id "nneul"`) and, remembering calls across packets, the reply. Calls to the
//! file, callback, protection and volume location services are decoded here (not Ubik
//! calls, nor a stored ACL's text); calls to the other services and all replies print
//! the bare header line.

use super::decode::be32;
use super::text::{TextOut, printn};

/// Epoch, connection id, call number, sequence, serial, type, flags, user status,
/// security index, spare and service id.
const HEADER: usize = 28;
const SEQ_AT: usize = 12;
const TYPE_AT: usize = 20;
const FLAGS_AT: usize = 21;
const DATA: u8 = 1;
const ACK: u8 = 2;
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

/// The AFS services whose calls are decoded, by the destination port they listen on.
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
}

/// Why a service call stopped printing early.
enum Stop {
    /// A field past the capture: the line ends with `[|rx]`, without the length.
    Capture,
    /// What tcpdump's service printer checks itself: `[|fs]` or `[|pt]`, then the
    /// length.
    Service,
}

/// Appends the line for a packet of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_with(out, data, len, None);
}

/// As [`print`], for a packet to the file service's port (7000).
pub fn print_to_file_service(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_with(out, data, len, Some(Service::File));
}

/// As [`print`], for a packet to the callback service's port (7001).
pub fn print_to_callback_service(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_with(out, data, len, Some(Service::Callback));
}

/// As [`print`], for a packet to the volume location service's port (7003).
pub fn print_to_volume_location(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_with(out, data, len, Some(Service::VolumeLocation));
}

/// As [`print`], for a packet to the protection service's port (7002).
pub fn print_to_protection(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_with(out, data, len, Some(Service::Protection));
}

fn print_with(out: &mut Vec<u8>, data: &[u8], len: u32, service: Option<Service>) {
    let Some(header) = data.get(..HEADER) else {
        out.s(" [|rx] (");
        out.num(len);
        out.s(")");
        return;
    };
    let kind = header[TYPE_AT];
    out.s(" rx ");
    match type_name(kind) {
        Some(name) => out.s(name),
        None => {
            out.s("type ");
            out.num(kind);
        }
    }
    let first_of_call =
        kind == DATA && be32(header, SEQ_AT) == Some(1) && header[FLAGS_AT] & CLIENT_INITIATED != 0;
    if let (true, Some(service)) = (first_of_call, service) {
        if len > HEADER as u32 {
            let (called, mark) = match service {
                Service::File => (file_call(out, &data[HEADER..]), " [|fs]"),
                Service::Callback => (callback_call(out, &data[HEADER..]), " [|cb]"),
                Service::Protection => (protection_call(out, &data[HEADER..]), " [|pt]"),
                Service::VolumeLocation => (volume_location_call(out, &data[HEADER..]), " [|vldb]"),
            };
            match called {
                Ok(()) => {}
                Err(Stop::Capture) => {
                    out.s(" [|rx]");
                    return;
                }
                Err(Stop::Service) => out.s(mark),
            }
        }
    } else if kind == ACK && len >= HEADER as u32 {
        print_ack(out, &data[HEADER..]);
    }
    out.s(" (");
    out.num(len);
    out.s(")");
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
                    octal(out, v & 0o7777);
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

fn octal(out: &mut Vec<u8>, v: u32) {
    let mut digits = [0u8; 11];
    let mut i = digits.len();
    let mut v = v;
    loop {
        i -= 1;
        digits[i] = b'0' + (v & 7) as u8;
        v >>= 3;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
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
    match file_op(op) {
        Some(name) => out.s(name),
        None => {
            out.s("op#");
            out.num(op);
        }
    }
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
            let n = a.u32()?;
            for i in 0..n {
                a.fid(out)?;
                if i + 1 != n {
                    out.s(",");
                }
            }
            if n == 0 {
                out.s(" <none!>");
            }
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
    match callback_op(op) {
        Some(name) => out.s(name),
        None => {
            out.s("op#");
            out.num(op);
        }
    }
    match op {
        204 => {
            let fids = a.u32()?;
            for i in 0..fids {
                a.fid(out)?;
                if i + 1 != fids {
                    out.s(",");
                }
            }
            if fids == 0 {
                out.s(" <none!>");
            }
            let callbacks = a.u32()?;
            if callbacks != 0 {
                out.s(";");
            }
            for _ in 0..callbacks {
                a.int(out, " ver")?;
                out.s(" expires");
                let expires = a.u32()? as i32;
                out.s(" ");
                date_time(out, expires);
                // The callback's type, which tcpdump reads but does not show.
                a.u32()?;
            }
        }
        214 => {
            out.s(" afsuuid");
            a.check(44)?;
            out.s(" ");
            out.hex(u64::from(a.u32()?), 8);
            out.hex(u64::from(a.u32()?), 4);
            out.hex(u64::from(a.u32()?), 4);
            for _ in 0..8 {
                out.hex(u64::from(a.u32()? & 0xFF), 2);
            }
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
        return Ok(());
    }
    out.s(" call ");
    match volume_location_op(op) {
        Some(name) => out.s(name),
        None => {
            out.s("op#");
            out.num(op);
        }
    }
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
        return Ok(());
    }
    out.s(" call ");
    match protection_op(op) {
        Some(name) => out.s(name),
        None => {
            out.s("op#");
            out.num(op);
        }
    }
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
            let names = args.u32()?;
            for _ in 0..names {
                args.vector(out, PR_NAME_MAX)?;
            }
            if names == 0 {
                out.s(" <none!>");
            }
        }
        505 => {
            out.s(" ids:");
            let ids = args.u32()?;
            for _ in 0..ids {
                args.int(out, "")?;
            }
            if ids == 0 {
                out.s(" <none!>");
            }
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
    match ack_reason(h[16]) {
        Some(name) => out.s(name),
        None => {
            out.s("#");
            out.num(h[16]);
        }
    }
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

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
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
        let mut out = Vec::new();
        print_to_protection(&mut out, data, len);
        String::from_utf8(out).unwrap()
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
        let print = |p: &[u8]| {
            let mut out = Vec::new();
            print_to_file_service(&mut out, p, p.len() as u32);
            String::from_utf8(out).unwrap()
        };
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
        let show = |f: fn(&mut Vec<u8>, &[u8], u32), p: &[u8]| {
            let mut out = Vec::new();
            f(&mut out, p, p.len() as u32);
            String::from_utf8(out).unwrap()
        };
        let p = call(&[0, 0, 0, 206]);
        assert_eq!(
            show(print_to_callback_service, &p),
            " rx data cb call probe (32)"
        );
        let mut body = vec![0, 0, 0, 204, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1];
        body.extend_from_slice(&[0, 0, 0, 0]);
        assert_eq!(
            show(print_to_callback_service, &call(&body)),
            " rx data cb call callback fid 1/1/1 (52)"
        );
        let mut body = vec![0, 0, 1, 248, 0, 0, 0, 4];
        body.extend_from_slice(b"root");
        assert_eq!(
            show(print_to_volume_location, &call(&body)),
            " rx data vldb call get-entry-by-name \"root\" (40)"
        );
        let body = [0, 0, 2, 6, 0x20, 0, 1, 0xba, 0, 0, 0, 7];
        assert_eq!(
            show(print_to_volume_location, &call(&body)),
            " rx data vldb call get-entry-by-id-n volid 536871354 (40)"
        );
    }
}
