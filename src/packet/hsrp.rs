//! HSRP version 0/1 (UDP 1985, RFC 2281): tcpdump's default line,
//! `HSRPv0-hello 20: state=active group=1 addr=10.0.0.1`.

use super::text::TextOut;

/// Offset of the virtual IP address (after the 8 bytes of authentication data).
const ADDR_AT: usize = 16;

fn opcode(op: u8) -> Option<&'static str> {
    Some(match op {
        0 => "hello",
        1 => "coup",
        2 => "resign",
        _ => return None,
    })
}

fn state(s: u8) -> Option<&'static str> {
    Some(match s {
        0 => "initial",
        1 => "learn",
        2 => "listen",
        4 => "speak",
        8 => "standby",
        16 => "active",
        _ => return None,
    })
}

/// Appends the line for a message of wire length `len` whose captured bytes are `payload`.
pub fn print(out: &mut Vec<u8>, payload: &[u8], len: u32) {
    // Fields past the datagram's length are as absent as uncaptured ones.
    let m = &payload[..payload.len().min(len as usize)];
    let Some(&version) = m.first() else {
        out.s("[|hsrp]");
        return;
    };
    out.s("HSRPv");
    out.num(version);
    out.s("-");
    let Some(&op) = m.get(1) else {
        out.s(" [|hsrp]");
        return;
    };
    out.name_or_unknown(opcode(op), op);
    out.s(" ");
    out.num(len);
    out.s(": ");
    let (Some(&st), Some(&group)) = (m.get(2), m.get(6)) else {
        out.s("[|hsrp]");
        return;
    };
    out.s("state=");
    match state(st) {
        Some(name) => out.s(name),
        None => {
            out.s("Unknown (");
            out.num(st);
            out.s(")");
        }
    }
    out.s(" group=");
    out.num(group);
    match m.get(ADDR_AT..ADDR_AT + 4) {
        Some(a) => {
            out.s(" addr=");
            out.ipv4([a[0], a[1], a[2], a[3]]);
        }
        None => out.s(" [|hsrp]"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hello_and_cut_short() {
        let mut m = vec![0, 0, 16, 3, 10, 100, 1, 0];
        m.extend_from_slice(b"cisco\0\0\0");
        m.extend_from_slice(&[192, 168, 0, 1]);
        let mut out = Vec::new();
        print(&mut out, &m, 20);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HSRPv0-hello 20: state=active group=1 addr=192.168.0.1"
        );
        let mut out = Vec::new();
        m[1] = 3;
        m[2] = 0;
        print(&mut out, &m, 16);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HSRPv0-unknown (3) 16: state=initial group=1 [|hsrp]"
        );
    }
}
