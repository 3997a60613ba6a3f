//! IPv6 Hop-by-Hop options (next header 0, RFC 8200): what tcpdump checks in them at
//! its default verbosity: that each option fits, and the Jumbo Payload option (RFC 2675)
//! that gives a jumbogram its length.

use super::decode::be32;
use super::text::TextOut;

const PAD1: u8 = 0x00;
const PADN: u8 = 0x01;
const ROUTER_ALERT: u8 = 0x05;
const JUMBO: u8 = 0xC2;
const HOME_ADDRESS: u8 = 0xC9;
const ROUTER_ALERT_LEN: usize = 4;
const JUMBO_LEN: usize = 6;
const HOME_ADDRESS_MIN_LEN: usize = 18;
/// The smallest jumbogram payload; a smaller Jumbo Payload length is not honoured.
const JUMBO_MIN: u32 = 65536;

/// Why tcpdump stops inside the options (it then prints ` [|hbhopt]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionError {
    /// An option runs past the header.
    Overrun,
    RouterAlertCut,
    RouterAlertLength(u8),
    JumboCut,
    JumboLength(u8),
    HomeAddressCut,
    HomeAddressLength(u8),
}

impl OptionError {
    /// tcpdump's words for the error, before ` [|hbhopt]`.
    pub fn print(self, out: &mut Vec<u8>) {
        let (what, len) = match self {
            OptionError::Overrun => return,
            OptionError::RouterAlertCut => ("(rtalert: trunc)", None),
            OptionError::RouterAlertLength(l) => ("(rtalert: invalid len ", Some(l)),
            OptionError::JumboCut => ("(jumbo: trunc)", None),
            OptionError::JumboLength(l) => ("(jumbo: invalid len ", Some(l)),
            OptionError::HomeAddressCut => ("(homeaddr: trunc)", None),
            OptionError::HomeAddressLength(l) => ("(homeaddr: invalid len ", Some(l)),
        };
        out.s(what);
        if let Some(l) = len {
            out.num(l);
            out.s(")");
        }
    }
}

/// Walks the options (the header's bytes after its first two, captured whole); returns
/// the jumbogram's payload length when a valid Jumbo Payload option is there
/// (`zero_payload_length`: the IPv6 header's payload length is 0, as a jumbogram's is).
pub fn check(options: &[u8], zero_payload_length: bool) -> Result<Option<u32>, OptionError> {
    let len = options.len();
    let mut jumbo = None;
    let mut seen_jumbo = false;
    let mut i = 0;
    while i < len {
        let kind = options[i];
        let opt_len = if kind == PAD1 {
            1
        } else if i + 1 < len {
            usize::from(options[i + 1]) + 2
        } else {
            return Err(OptionError::Overrun);
        };
        if i + opt_len > len {
            return Err(OptionError::Overrun);
        }
        let left = len - i;
        match kind {
            PAD1 | PADN => {}
            ROUTER_ALERT => {
                if left < ROUTER_ALERT_LEN {
                    return Err(OptionError::RouterAlertCut);
                }
                if usize::from(options[i + 1]) != ROUTER_ALERT_LEN - 2 {
                    return Err(OptionError::RouterAlertLength(options[i + 1]));
                }
            }
            JUMBO => {
                if left < JUMBO_LEN {
                    return Err(OptionError::JumboCut);
                }
                if usize::from(options[i + 1]) != JUMBO_LEN - 2 {
                    return Err(OptionError::JumboLength(options[i + 1]));
                }
                let value = be32(options, i + 2).unwrap_or(0);
                if !seen_jumbo {
                    seen_jumbo = true;
                    if zero_payload_length && value >= JUMBO_MIN {
                        jumbo = Some(value);
                    }
                }
            }
            HOME_ADDRESS => {
                if left < HOME_ADDRESS_MIN_LEN {
                    return Err(OptionError::HomeAddressCut);
                }
                if usize::from(options[i + 1]) < HOME_ADDRESS_MIN_LEN - 2 {
                    return Err(OptionError::HomeAddressLength(options[i + 1]));
                }
            }
            _ => {}
        }
        i += opt_len;
    }
    Ok(jumbo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_jumbo_payload() {
        let jumbo = [JUMBO, 4, 0, 1, 0, 0];
        assert_eq!(check(&jumbo, true), Ok(Some(65536)));
        assert_eq!(check(&jumbo, false), Ok(None));
        assert_eq!(check(&[JUMBO, 4, 0, 0, 1, 0], true), Ok(None));
        assert_eq!(check(&[PADN, 4, 0, 0, 0, 0], true), Ok(None));
        assert_eq!(check(&[0x30, 0x30, 0, 0], true), Err(OptionError::Overrun));
        assert_eq!(
            check(&[ROUTER_ALERT, 3, 0, 0, 0], false),
            Err(OptionError::RouterAlertLength(3))
        );
        let mut out = Vec::new();
        OptionError::JumboLength(2).print(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "(jumbo: invalid len 2)");
    }
}
