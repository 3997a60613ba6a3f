//! PIM version 2 (IP protocol 103, RFC 7761): tcpdump's default line,
//! `PIMv2, Hello, length 34`. Other versions keep the `ip-proto-103` form.

use super::text::TextOut;

const TYPES: [&str; 12] = [
    "Hello",
    "Register",
    "Register Stop",
    "Join / Prune",
    "Bootstrap",
    "Assert",
    "Graft",
    "Graft Acknowledgement",
    "Candidate RP Advertisement",
    "State Refresh",
    "DF Election",
    "ECMP Redirect",
];

/// Whether `data` is a PIMv2 message this printer shows.
pub fn is_v2(data: &[u8]) -> bool {
    data.first().is_some_and(|b| b >> 4 == 2)
}

/// Appends the line for a PIMv2 message of wire length `len` starting with `first`.
pub fn print(out: &mut Vec<u8>, first: u8, len: u32) {
    out.s("PIMv2, ");
    match TYPES.get(usize::from(first & 0x0f)) {
        Some(name) => out.s(name),
        None => {
            out.s("Unknown Type (");
            out.num(first & 0x0f);
            out.s(")");
        }
    }
    out.s(", length ");
    out.num(len);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        let mut out = Vec::new();
        print(&mut out, 0x23, 34);
        assert_eq!(out, b"PIMv2, Join / Prune, length 34");
        assert!(is_v2(&[0x20]) && !is_v2(&[0x10]) && !is_v2(&[]));
    }
}
