//! RIPng (UDP 521, RFC 2080): tcpdump's default line,
//! ` ripng-resp 1: 2001:db8::/32 (1)`.

use super::text::TextOut;

/// Command, version and two must-be-zero bytes.
const HEADER: usize = 4;
/// Prefix (16), route tag (2), prefix length (1), metric (1).
const ENTRY: usize = 20;
const VERSION: u8 = 1;
const REQUEST: u8 = 1;
const RESPONSE: u8 = 2;
/// A request for one all-zero prefix of this metric asks for the whole table.
const INFINITY: u8 = 16;

fn truncated(out: &mut Vec<u8>) {
    out.s(" [|ripng]");
}

fn invalid(out: &mut Vec<u8>) {
    out.s(" (invalid)");
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let Some(&version) = data.get(1) else {
        return truncated(out);
    };
    if version != VERSION {
        out.s(" [vers ");
        out.num(version);
        out.s("]");
        return invalid(out);
    }
    let cmd = data[0];
    let (word, metrics) = match cmd {
        REQUEST => ("req", false),
        RESPONSE => ("resp", true),
        _ => {
            out.s(" ripng-");
            out.num(cmd);
            out.s(" ?? ");
            out.num(len);
            return invalid(out);
        }
    };
    let Some(left) = (len as usize).checked_sub(HEADER) else {
        return invalid(out);
    };
    let count = left / ENTRY;
    if cmd == REQUEST && count == 1 {
        let (Some(prefix), Some(&metric)) = (data.get(HEADER..HEADER + 16), data.get(HEADER + 19))
        else {
            return truncated(out);
        };
        if metric == INFINITY && prefix.iter().all(|&b| b == 0) {
            out.s(" ripng-req dump");
            return;
        }
    }
    out.s(" ripng-");
    out.s(word);
    out.s(" ");
    out.num(count);
    if count * ENTRY != left {
        out.s("[");
        out.num(len);
        out.s("]");
    }
    out.s(":");
    for i in 0..count {
        out.s(" ");
        let at = HEADER + i * ENTRY;
        if !entry(out, data.get(at..).unwrap_or_default(), metrics) {
            return truncated(out);
        }
    }
    if left % ENTRY != 0 {
        invalid(out);
    }
}

/// Prints one route entry; false when it is cut short.
fn entry(out: &mut Vec<u8>, e: &[u8], metrics: bool) -> bool {
    let (Some(prefix), Some(&plen)) = (e.get(..16), e.get(18)) else {
        return false;
    };
    let mut addr = [0; 16];
    addr.copy_from_slice(prefix);
    out.ipv6(addr);
    out.s("/");
    out.num(plen);
    let tag = u16::from_be_bytes([e[16], e[17]]);
    if tag != 0 {
        out.s(" [");
        out.num(tag);
        out.s("]");
    }
    let Some(&metric) = e.get(19) else {
        return false;
    };
    if metric != 0 && metrics {
        out.s(" (");
        out.num(metric);
        out.s(")");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    fn route(prefix: [u8; 16], tag: u16, plen: u8, metric: u8) -> Vec<u8> {
        let mut e = prefix.to_vec();
        e.extend_from_slice(&tag.to_be_bytes());
        e.extend_from_slice(&[plen, metric]);
        e
    }

    fn db8() -> [u8; 16] {
        let mut a = [0; 16];
        a[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
        a
    }

    #[test]
    fn bad_version_and_command() {
        assert_eq!(line(b"000000", 24), " [vers 48] (invalid)");
        assert_eq!(line(&[9, 1, 0, 0], 4), " ripng-9 ?? 4 (invalid)");
        assert_eq!(line(&[2], 4), " [|ripng]");
    }

    #[test]
    fn requests() {
        let mut m = vec![1, 1, 0, 0];
        m.extend(route([0; 16], 0, 0, 16));
        assert_eq!(line(&m, 24), " ripng-req dump");
        let mut m = vec![1, 1, 0, 0];
        m.extend(route(db8(), 7, 32, 3));
        assert_eq!(line(&m, 24), " ripng-req 1: 2001:db8::/32 [7]");
        assert_eq!(line(&m[..20], 24), " [|ripng]");
    }

    #[test]
    fn responses() {
        let mut m = vec![2, 1, 0, 0];
        m.extend(route(db8(), 0, 32, 1));
        m.extend(route([0; 16], 0, 0, 0));
        assert_eq!(line(&m, 44), " ripng-resp 2: 2001:db8::/32 (1) ::/0");
        assert_eq!(
            line(&m, 46),
            " ripng-resp 2[46]: 2001:db8::/32 (1) ::/0 (invalid)"
        );
        assert_eq!(
            line(&m[..30], 44),
            " ripng-resp 2: 2001:db8::/32 (1)  [|ripng]"
        );
        assert_eq!(line(&m, 3), " (invalid)");
    }
}
