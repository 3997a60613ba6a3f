//! BFD (UDP 3784 control, 3785 echo, 4784 multihop, 6784 LAG; RFC 5880): tcpdump's default
//! line, `BFDv1, Control, State Up, Flags: [none], length: 24`.

use super::text::TextOut;

const ECHO: u16 = 3785;
const PORTS: [(u16, &str); 4] = [
    (3784, "Control"),
    (ECHO, "Echo"),
    (4784, "Multihop"),
    (6784, "Lag"),
];
const STATES: [&str; 4] = ["AdminDown", "Down", "Init", "Up"];
const FLAGS: [(u16, &str); 6] = [
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Demand"),
    (0x01, "Multipoint"),
];

/// The BFD port among `ports`, if any.
pub fn port(ports: (u16, u16)) -> Option<u16> {
    PORTS
        .iter()
        .map(|&(p, _)| p)
        .find(|&p| ports.0 == p || ports.1 == p)
}

/// Whether this printer shows the message (an echo, or a version 1 control packet);
/// otherwise the UDP line stays.
pub fn shown(port: u16, data: &[u8]) -> bool {
    port == ECHO || data.first().is_some_and(|b| b >> 5 == 1)
}

/// Appends the line for a message on `port` of wire length `len`, captured `data`.
pub fn print(out: &mut Vec<u8>, port: u16, data: &[u8], len: u32) {
    if port == ECHO {
        out.s("BFD, Echo, length: ");
        out.num(len);
        return;
    }
    out.s("BFDv1, ");
    out.s(PORTS.iter().find(|p| p.0 == port).map_or("", |p| p.1));
    let Some(&b) = data.get(1) else {
        out.s(" [|bfd]");
        return;
    };
    out.s(", State ");
    out.s(STATES[usize::from(b >> 6)]);
    out.s(", Flags: [");
    out.bit_names(u16::from(b), &FLAGS);
    out.s("], length: ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(port: u16, d: &[u8], len: u32) -> String {
        let mut out = Vec::new();
        print(&mut out, port, d, len);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn control_lag_echo() {
        assert_eq!(port((51255, 6784)), Some(6784));
        assert_eq!(port((1, 2)), None);
        assert_eq!(
            text(6784, &[0x20, 0x60], 24),
            "BFDv1, Lag, State Down, Flags: [Poll], length: 24"
        );
        assert_eq!(
            text(3784, &[0x20, 0xc0], 24),
            "BFDv1, Control, State Up, Flags: [none], length: 24"
        );
        assert_eq!(text(ECHO, &[], 8), "BFD, Echo, length: 8");
        assert_eq!(text(3784, &[0x20], 24), "BFDv1, Control [|bfd]");
        assert!(shown(3784, &[0x20]) && !shown(3784, &[0x40]) && shown(ECHO, &[]));
    }
}
