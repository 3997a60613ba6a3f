//! LMP (UDP 701, RFC 4204): tcpdump's default line, `LMPv1 Config Message, length: 683`.

use super::decode::be16;
use super::text::TextOut;

pub const PORT: u16 = 701;

const VERSION: u8 = 1;
/// The common header tcpdump wants captured before it prints anything.
const HEADER_LEN: usize = 8;

fn message_type(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Config",
        2 => "Config ACK",
        3 => "Config NACK",
        4 => "Hello",
        5 => "Begin Verify",
        6 => "Begin Verify ACK",
        7 => "Begin Verify NACK",
        8 => "End Verify",
        9 => "End Verify ACK",
        10 => "Test",
        11 => "Test Status Success",
        12 => "Test Status Failure",
        13 => "Test Status ACK",
        14 => "Link Summary",
        15 => "Link Summary ACK",
        16 => "Link Summary NACK",
        17 => "Channel Status",
        18 => "Channel Status ACK",
        19 => "Channel Status Request",
        20 => "Channel Status Response",
        50 => "Service Config",
        51 => "Service Config ACK",
        52 => "Service Config NACK",
        _ => return None,
    })
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let (Some(version_res), Some(&t), Some(_)) =
        (be16(data, 0), data.get(3), data.get(HEADER_LEN - 1))
    else {
        out.s(" [|lmp]");
        return;
    };
    let line = super::rsvp::MessageLine {
        protocol: "LMP",
        unsupported: "LMP",
        version: VERSION,
    };
    // The version is the first nibble: it fits a u8.
    let version = (version_res >> 12) as u8;
    line.print(out, version, message_type(t), t, len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn message_types_versions_and_cut_short() {
        let mut m = [0x10, 0, 0, 1, 0, 0, 0, 0];
        assert_eq!(text(&m, 683), "LMPv1 Config Message, length: 683");
        m[3] = 249;
        assert_eq!(text(&m, 32), "LMPv1 unknown (249) Message, length: 32");
        m[0] = 0x20;
        assert_eq!(text(&m, 32), "LMP version 2 packet not supported");
        assert_eq!(text(&m[..7], 32), " [|lmp]");
    }
}
