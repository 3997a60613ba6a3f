//! RPL control messages (ICMPv6 type 155, RFC 6550): tcpdump's default line names the
//! message by its code, `, (CLR)Destination Advertisement Object`; a secured message
//! (code bit 7) is only marked, as tcpdump does not decode it.

use super::text::TextOut;

/// Code bit 7: the message carries a security section.
const SECURED: u8 = 0x80;

/// Appends the text for a message of ICMPv6 code `code`, after `ICMP6, RPL`.
pub fn print(out: &mut Vec<u8>, code: u8) {
    if code & SECURED != 0 {
        out.s(", (SEC) [worktodo]");
        return;
    }
    out.s(", (CLR)");
    match code {
        0 => out.s("DODAG Information Solicitation"),
        1 => out.s("DODAG Information Object"),
        2 => out.s("Destination Advertisement Object"),
        3 => out.s("Destination Advertisement Object Ack"),
        _ => {
            out.s("RPL message, unknown code ");
            out.num(code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(code: u8) -> String {
        let mut out = Vec::new();
        print(&mut out, code);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn names_by_code() {
        assert_eq!(text(2), ", (CLR)Destination Advertisement Object");
        assert_eq!(text(3), ", (CLR)Destination Advertisement Object Ack");
        assert_eq!(text(0), ", (CLR)DODAG Information Solicitation");
        assert_eq!(text(9), ", (CLR)RPL message, unknown code 9");
        assert_eq!(text(0x82), ", (SEC) [worktodo]");
    }
}
