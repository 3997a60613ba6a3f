//! RSVP (IP protocol 46, RFC 2205): tcpdump's default line,
//! `RSVPv1 Path Message, length: 244`.

use super::text::TextOut;

const VERSION: u8 = 1;
/// The common header tcpdump wants captured before it prints anything.
const HEADER_LEN: usize = 8;

fn message_type(t: u8) -> Option<&'static str> {
    Some(match t {
        1 => "Path",
        2 => "Resv",
        3 => "PathErr",
        4 => "ResvErr",
        5 => "PathTear",
        6 => "ResvTear",
        7 => "ResvConf",
        12 => "Bundle",
        13 => "Acknowledgement",
        14 => "Hello (Old)",
        15 => "Refresh",
        20 => "Hello",
        _ => return None,
    })
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    let (Some(&version_flags), Some(&t), Some(_)) =
        (data.first(), data.get(1), data.get(HEADER_LEN - 1))
    else {
        out.s(" [|rsvp]");
        return;
    };
    let version = version_flags >> 4;
    let line = MessageLine {
        protocol: "RSVP",
        unsupported: "ERROR: RSVP",
        version: VERSION,
    };
    line.print(out, version, message_type(t), t, len);
}

/// The default line RSVP and LMP (which borrows RSVP's layout) print:
/// `RSVPv1 Path Message, length: 244`, or why the version is not decoded.
pub(super) struct MessageLine {
    pub protocol: &'static str,
    /// What precedes ` version N packet not supported`.
    pub unsupported: &'static str,
    /// The one version decoded.
    pub version: u8,
}

impl MessageLine {
    pub(super) fn print(
        &self,
        out: &mut Vec<u8>,
        version: u8,
        name: Option<&str>,
        t: u8,
        len: u32,
    ) {
        if version != self.version {
            out.s(self.unsupported);
            out.s(" version ");
            out.num(version);
            out.s(" packet not supported");
            return;
        }
        out.s(self.protocol);
        out.s("v");
        out.num(version);
        out.s(" ");
        out.name_or_unknown(name, t);
        out.s(" Message, length: ");
        out.num(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn message_types_versions_and_cut_short() {
        let mut m = [0x10, 1, 0, 0, 64, 0, 0, 244];
        assert_eq!(text(&m, 244), "RSVPv1 Path Message, length: 244");
        m[1] = 99;
        assert_eq!(text(&m, 244), "RSVPv1 unknown (99) Message, length: 244");
        m[0] = 0x20;
        assert_eq!(text(&m, 244), "ERROR: RSVP version 2 packet not supported");
        assert_eq!(text(&m[..7], 244), " [|rsvp]");
    }
}
