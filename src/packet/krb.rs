//! Kerberos (UDP 88 and 750): tcpdump's default line names the protocol version and,
//! for version 4, the message (` v4 be KDC_REQUEST: user.@REALM 880min krbtgt.REALM`);
//! version 5 is ` v5` alone.

use super::text::{TextOut, printn};

const KDC_REQUEST: u8 = 1 << 1;
const KDC_REPLY: u8 = 2 << 1;
const APPL_REQUEST: u8 = 3 << 1;
const ERR_REPLY: u8 = 5 << 1;

/// The message ran past the capture (tcpdump's `[|krb]`).
struct Truncated;

fn type_name(t: u8) -> Option<&'static str> {
    Some(match t {
        KDC_REQUEST => "KDC_REQUEST",
        KDC_REPLY => "KDC_REPLY",
        APPL_REQUEST => "APPL_REQUEST",
        8 => "APPL_REQUEST_MUTUAL",
        ERR_REPLY => "ERR_REPLY",
        12 => "PRIVATE",
        14 => "SAFE",
        16 => "APPL_ERR",
        126 => "DIE",
        _ => return None,
    })
}

fn error_name(code: u16) -> Option<&'static str> {
    Some(match code {
        0 => "OK",
        1 => "NAME_EXP",
        2 => "SERVICE_EXP",
        3 => "AUTH_EXP",
        4 => "PKT_VER",
        5 => "NAME_MAST_KEY_VER",
        6 => "SERV_MAST_KEY_VER",
        7 => "BYTE_ORDER",
        8 => "PRINCIPAL_UNKNOWN",
        9 => "PRINCIPAL_NOT_UNIQUE",
        10 => "NULL_KEY",
        _ => return None,
    })
}

/// Appends the line for a message whose captured bytes are `data` (tcpdump reads
/// Kerberos to the end of the capture, not of the datagram).
pub fn print(out: &mut Vec<u8>, data: &[u8], _len: u32) {
    let Some(&version) = data.first() else {
        out.s(" [|krb]");
        return;
    };
    match version {
        1..=4 => {
            out.s(" v");
            out.num(version);
            if version == 4 && print_v4(out, data).is_err() {
                out.s(" [|krb]");
            }
        }
        106 | 107 => out.s(" v5"),
        _ => {}
    }
}

/// A NUL-terminated string at `at`, printed; the position after its NUL.
fn string(out: &mut Vec<u8>, data: &[u8], at: usize) -> Result<usize, Truncated> {
    let rest = data.get(at..).unwrap_or(&[]);
    match rest.iter().position(|&b| b == 0) {
        Some(end) => {
            printn(out, &rest[..end]);
            Ok(at + end + 1)
        }
        None => {
            printn(out, rest);
            Err(Truncated)
        }
    }
}

/// `name.instance@realm` after the version and type bytes.
fn principal(out: &mut Vec<u8>, data: &[u8]) -> Result<usize, Truncated> {
    let at = string(out, data, 2)?;
    out.s(".");
    let at = string(out, data, at)?;
    out.s("@");
    string(out, data, at)
}

fn print_v4(out: &mut Vec<u8>, data: &[u8]) -> Result<(), Truncated> {
    let t = *data.get(1).ok_or(Truncated)?;
    let little_endian = t & 1 != 0;
    let kind = t & 0xFE;
    out.s(if little_endian { " le " } else { " be " });
    match type_name(kind) {
        Some(name) => out.s(name),
        None => {
            out.s("#");
            out.num(kind);
        }
    }
    out.s(": ");
    let byte = |at: usize| data.get(at).copied().ok_or(Truncated);
    let u16_at = |at: usize| {
        let b = [byte(at)?, byte(at + 1)?];
        Ok::<u16, Truncated>(if little_endian {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    match kind {
        KDC_REQUEST => {
            // After the principal: the client's time (4 bytes), then the lifetime in
            // units of 5 minutes, then the service's name and instance.
            let at = principal(out, data)? + 4;
            out.s(" ");
            out.num(u32::from(byte(at)?) * 5);
            out.s("min ");
            let at = string(out, data, at + 1)?;
            out.s(".");
            string(out, data, at)?;
        }
        APPL_REQUEST => {
            out.s("v");
            out.num(byte(2)?);
            out.s(" ");
            let at = string(out, data, 3)?;
            out.s(" (");
            out.num(byte(at)?);
            out.s(") (");
            out.num(byte(at + 1)?);
            out.s(")");
        }
        KDC_REPLY => {
            // Timestamp, count, expiry and key version come before the length.
            let at = principal(out, data)? + 10;
            let len = u16_at(at)?;
            out.s(" (");
            out.num(len);
            out.s(")");
        }
        ERR_REPLY => {
            let at = principal(out, data)? + 4;
            let code = u16_at(at)?;
            out.s(" ");
            match error_name(code) {
                Some(name) => out.s(name),
                None => {
                    out.s("#");
                    out.num(code);
                }
            }
            out.s(" ");
            string(out, data, at + 4)?;
        }
        _ => out.s("(unknown)"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(data: &[u8]) -> String {
        let mut out = Vec::new();
        print(&mut out, data, data.len() as u32);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn kdc_request() {
        let m = b"\x04\x02joe\x00\x00ATHENA\x00\x01\x02\x03\x04\x60krbtgt\x00ATHENA\x00";
        assert_eq!(
            line(m),
            " v4 be KDC_REQUEST: joe.@ATHENA 480min krbtgt.ATHENA"
        );
        assert_eq!(
            line(&m[..m.len() - 3]),
            " v4 be KDC_REQUEST: joe.@ATHENA 480min krbtgt.ATHE [|krb]"
        );
    }

    #[test]
    fn other_messages() {
        assert_eq!(line(&[4, 9]), " v4 le APPL_REQUEST_MUTUAL: (unknown)");
        assert_eq!(
            line(b"\x04\x06\x05me\x00\x07\x08"),
            " v4 be APPL_REQUEST: v5 me (7) (8)"
        );
        let mut r = b"\x04\x0ba\x00b\x00c\x00".to_vec();
        r.extend_from_slice(&[0, 0, 0, 0, 8, 0, 0, 0]);
        r.extend_from_slice(b"why\x00");
        assert_eq!(line(&r), " v4 le ERR_REPLY: a.b@c PRINCIPAL_UNKNOWN why");
        assert_eq!(line(&[106, 0]), " v5");
        assert_eq!(line(&[2]), " v2");
        assert_eq!(line(&[9]), "");
        assert_eq!(line(&[]), " [|krb]");
    }
}
