//! NTP (UDP 123, RFC 5905): tcpdump's default line, `NTPv4, Client, length 48`.

use super::text::TextOut;

fn mode_name(mode: u8) -> &'static str {
    match mode {
        0 => "unspecified",
        1 => "symmetric active",
        2 => "symmetric passive",
        3 => "Client",
        4 => "Server",
        5 => "Broadcast",
        6 => "Control Message",
        _ => "Reserved",
    }
}

/// Appends the line for a message of wire length `len` whose captured bytes are `data`.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    // Leap indicator (2 bits), version (3), mode (3).
    let Some(&status) = data.first() else {
        out.s(" [|ntp]");
        return;
    };
    out.s("NTPv");
    out.num((status >> 3) & 0x07);
    out.s(", ");
    out.s(mode_name(status & 0x07));
    out.s(", length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn version_and_mode() {
        assert_eq!(line(&[0x23, 0], 48), "NTPv4, Client, length 48");
        assert_eq!(line(&[0x16], 12), "NTPv2, Control Message, length 12");
        assert_eq!(line(&[0xD7], 192), "NTPv2, Reserved, length 192");
        assert_eq!(line(&[], 48), " [|ntp]");
    }
}
