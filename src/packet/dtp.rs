//! Cisco Dynamic Trunking Protocol (SNAP OUI Cisco, PID 0x2004): tcpdump's default line,
//! `DTPv1, length 31`.

use super::text::TextOut;

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    if len == 0 {
        out.s("[zero packet length] (invalid)");
        return;
    }
    let Some(&version) = data.first() else {
        out.s(" [|dtp]");
        return;
    };
    out.s("DTPv");
    out.num(version);
    out.s(", length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn header() {
        assert_eq!(text(&[1, 0, 1], 31), "DTPv1, length 31");
        assert_eq!(text(&[], 31), " [|dtp]");
        assert_eq!(text(&[], 0), "[zero packet length] (invalid)");
    }
}
