//! ForCES (RFC 5810) carried in SCTP DATA chunks: tcpdump's default line is the message
//! type on a line of its own, `ForCES Config `; a bad header prints its bytes in hex.

use super::decode::be16;
use super::hexdump::hex_only;
use super::text::TextOut;

const HEADER_LEN: u32 = 24;

/// The message type's name; `None` for a type tcpdump does not know.
fn message_name(tom: u8) -> Option<&'static str> {
    Some(match tom {
        0x01 => "Association Setup",
        0x02 => "Association TearDown",
        0x03 => "Config",
        0x04 => "Query",
        0x05 => "Event Notification",
        0x06 => "Packet Redirect",
        0x0F => "HeartBeat",
        0x11 => "Association Response",
        0x13 => "Config Response",
        0x14 => "Query Response",
        _ => return None,
    })
}

/// Types RFC 5810 leaves open (tcpdump refuses them before looking for a name).
fn reserved(tom: u8) -> bool {
    tom == 0 || (0x07..=0x0E).contains(&tom) || tom == 0x10 || tom > 0x14
}

/// Appends the text for a ForCES message of wire length `len`, captured bytes `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let (Some(&tom), Some(blocks), Some(_)) = (
        data.get(1),
        be16(data, 2),
        data.get(HEADER_LEN as usize - 1),
    ) else {
        out.s(" [|forces]");
        return;
    };
    if reserved(tom) {
        out.s("Invalid ForCES message type ");
        out.num(tom);
        out.s("\n");
        return bad(out, data, len);
    }
    let Some(name) = message_name(tom) else {
        out.s("\n\tUnknown ForCES message type=0x");
        out.hex(u64::from(tom), 0);
        return bad(out, data, len);
    };
    out.s("\n\tForCES ");
    out.s(name);
    out.s(" ");
    // The header's length counts 32-bit words.
    let advertised = u32::from(blocks) << 2;
    if len < HEADER_LEN || advertised < HEADER_LEN || advertised != len {
        out.s("Illegal ForCES pkt len - min 24, total recvd ");
        out.num(len);
        out.s(", advertised ");
        out.num(advertised);
        out.s(" ");
        bad(out, data, len);
    }
}

/// The message's bytes in hex, bracketed, after a header error.
fn bad(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let shown = data.len().min(len as usize);
    hex_only(out, &data[..shown], b"\t[");
    out.s("\n\t]");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn message_types_and_bad_headers() {
        let mut m = [0u8; 24];
        m[0] = 0x10;
        m[1] = 0x0F;
        m[3] = 6;
        assert_eq!(text(&m, 24), "\n\tForCES HeartBeat ");
        m[3] = 7;
        assert_eq!(
            text(&m, 24),
            "\n\tForCES HeartBeat Illegal ForCES pkt len - min 24, total recvd 24, advertised 28 \
             \n\t[0x0000:  100f 0007 0000 0000 0000 0000 0000 0000\
             \n\t[0x0010:  0000 0000 0000 0000\n\t]"
        );
        m[1] = 0x12;
        assert!(text(&m, 24).starts_with("\n\tUnknown ForCES message type=0x12\n\t[0x0000:"));
        m[1] = 0x08;
        assert!(text(&m, 24).starts_with("Invalid ForCES message type 8\n\n\t[0x0000:"));
        assert_eq!(text(&m[..23], 24), " [|forces]");
    }
}
