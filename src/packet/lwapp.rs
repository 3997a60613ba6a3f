//! LWAPP (UDP 12222 data, 12223 control; RFC 5412): tcpdump's default line,
//! `LWAPPv0, Control frame, Flags [Control Bit], length 96`.

use super::text::TextOut;

/// Version, fragment id, length and status.
const HEADER: usize = 6;
/// A control message to the controller starts with the AP's MAC address.
const AP_IDENTITY: usize = 6;

/// Appends the line for a control message to the controller (destination port 12223).
pub fn print_control_to_controller(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_header(out, data.get(AP_IDENTITY..), len, "lwapp_control");
}

/// Appends the line for a control message from the controller (source port 12223).
pub fn print_control(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_header(out, Some(data), len, "lwapp_control");
}

/// Appends the line for a data message (port 12222).
pub fn print_data(out: &mut Vec<u8>, data: &[u8], len: u32) {
    print_header(out, Some(data), len, "lwapp_data");
}

/// `header`: the bytes from the transport header on, `None` when the capture ends first.
fn print_header(out: &mut Vec<u8>, header: Option<&[u8]>, len: u32, proto: &str) {
    let Some(&first) = header.filter(|h| h.len() >= HEADER).and_then(|h| h.first()) else {
        out.s(" [|");
        out.s(proto);
        out.s("]");
        return;
    };
    let version = first >> 6;
    if version != 0 {
        out.s("LWAPP version ");
        out.num(version);
        out.s(" packet not supported");
        return;
    }
    out.s("LWAPPv0, ");
    out.s(if first & 0x04 != 0 { "Control" } else { "Data" });
    out.s(" frame, Flags [");
    out.bit_names(
        u16::from(first & 0x07),
        &[
            (0x01, "Last Fragment Bit"),
            (0x02, "Fragment Bit"),
            (0x04, "Control Bit"),
        ],
    );
    out.s("], length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(f: fn(&mut Vec<u8>, &[u8], u32), data: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        f(&mut out, data, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn frames() {
        let d = [0, 0, 0, 10, 0, 0];
        assert_eq!(
            line(print_data, &d, 30),
            "LWAPPv0, Data frame, Flags [none], length 30"
        );
        let mut c = vec![0u8; AP_IDENTITY];
        c.extend_from_slice(&[0x07, 0, 0, 10, 0, 0]);
        assert_eq!(
            line(print_control_to_controller, &c, 96),
            "LWAPPv0, Control frame, Flags [Last Fragment Bit, Fragment Bit, Control Bit], length 96"
        );
        assert_eq!(
            line(print_control, &[0x40, 0, 0, 0, 0, 0], 6),
            "LWAPP version 1 packet not supported"
        );
    }

    #[test]
    fn cut_short() {
        assert_eq!(line(print_data, &[0; 5], 30), " [|lwapp_data]");
        assert_eq!(
            line(print_control_to_controller, &[0; 11], 30),
            " [|lwapp_control]"
        );
    }
}
