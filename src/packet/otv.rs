//! OTV (UDP 8472, draft-hasmit-otv): the header decode and tcpdump's line,
//! `OTV, flags [I] (0x08), overlay 0, instance 100`; the carried Ethernet frame is the
//! next level.

use super::decode::{App, Decoder, Inner, MAX_LEVELS};
use super::text::TextOut;

/// Flags, overlay id, instance id and a reserved byte.
const HEADER: usize = 8;

/// The header's application; what it carries becomes the next level.
pub(super) fn decode<'a>(decoder: &mut Decoder<'_, 'a>, data: &'a [u8], len: u32) -> App<'a> {
    if len as usize >= HEADER && data.len() >= HEADER && decoder.depth + 1 < MAX_LEVELS {
        decoder.inner = Some(Inner::Ethernet(&data[HEADER..], len - HEADER as u32));
    }
    App::Otv(data, len)
}

fn be24(b: &[u8]) -> u32 {
    u32::from_be_bytes([0, b[0], b[1], b[2]])
}

/// Appends the header's line.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    out.s("OTV, ");
    if len < HEADER as u32 {
        out.s("[length ");
        out.num(len);
        out.s(" < 8] (invalid)");
        if data.len() < len as usize {
            out.s(" [|otv]");
        }
        return;
    }
    let Some(&flags) = data.first() else {
        out.s(" [|otv]");
        return;
    };
    out.s("flags [");
    out.s(if flags & 0x08 != 0 { "I" } else { "." });
    out.s("] (0x");
    out.hex(u64::from(flags), 2);
    out.s("), ");
    let Some(overlay) = data.get(1..4) else {
        out.s(" [|otv]");
        return;
    };
    out.s("overlay ");
    out.num(be24(overlay));
    out.s(", ");
    let Some(instance) = data.get(4..7) else {
        out.s(" [|otv]");
        return;
    };
    out.s("instance ");
    out.num(be24(instance));
    if data.len() < HEADER {
        out.s(" [|otv]");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn header() {
        let h = [0x08, 0, 0, 0, 0, 0, 100, 0];
        assert_eq!(
            line(&h, 106),
            "OTV, flags [I] (0x08), overlay 0, instance 100"
        );
        let h = [0, 0, 1, 0, 0, 0, 1, 0];
        assert_eq!(
            line(&h, 8),
            "OTV, flags [.] (0x00), overlay 256, instance 1"
        );
    }

    #[test]
    fn problems() {
        assert_eq!(line(&[0; 7], 7), "OTV, [length 7 < 8] (invalid)");
        assert_eq!(line(&[0; 3], 7), "OTV, [length 7 < 8] (invalid) [|otv]");
        assert_eq!(
            line(&[0x08, 0, 0, 0, 0, 0, 1], 8),
            "OTV, flags [I] (0x08), overlay 0, instance 1 [|otv]"
        );
    }
}
