//! 802.1X EAP over LAN (EtherType 0x888e): tcpdump's default line,
//! `EAP packet (0) v1, len 5`.

use super::text::TextOut;

fn frame_type(t: u8) -> &'static str {
    match t {
        0 => "EAP packet",
        1 => "EAPOL start",
        2 => "EAPOL logoff",
        3 => "EAPOL key",
        4 => "Encapsulated ASF alert",
        _ => "unknown",
    }
}

/// Appends the line for a frame whose captured bytes are `data` (tcpdump reads only the
/// 4-byte header without -v).
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    let Some(&[version, kind, l0, l1]) = data.first_chunk::<4>() else {
        out.s(" [|eap]");
        return;
    };
    out.s(frame_type(kind));
    out.s(" (");
    out.num(kind);
    out.s(") v");
    out.num(version);
    out.s(", len ");
    out.num(u16::from_be_bytes([l0, l1]));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, d, 60);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn header() {
        assert_eq!(text(&[1, 0, 0, 5, 9]), "EAP packet (0) v1, len 5");
        assert_eq!(text(&[2, 1, 0, 0]), "EAPOL start (1) v2, len 0");
        assert_eq!(text(&[1, 9, 1, 0]), "unknown (9) v1, len 256");
        assert_eq!(text(&[1, 0, 0]), " [|eap]");
    }
}
