//! SSH (TCP 22): tcpdump prints only the protocol version exchange,
//! `: SSH: SSH-2.0-OpenSSH_5.5p1`; other segments print nothing after the length.

use super::text::TextOut;

pub const PORT: u16 = 22;

/// Appends `: SSH: <version line>` when the payload (captured bytes `data`, wire length
/// `len`) opens with a whole version line; ` [|ssh]` when the captured bytes end first.
pub fn print(out: &mut Vec<u8>, data: &[u8], len: u32) {
    match version_line(data, len as usize) {
        Ok(Some(line)) => {
            out.s(": SSH: ");
            out.extend_from_slice(line);
        }
        Ok(None) => {}
        Err(Cut) => out.s(" [|ssh]"),
    }
}

struct Cut;

/// The version line without its line end; `None` when the payload is not one.
fn version_line(data: &[u8], len: usize) -> Result<Option<&[u8]>, Cut> {
    let byte = |at: usize| data.get(at).copied().ok_or(Cut);
    for (at, &expected) in b"SSH-".iter().enumerate() {
        if byte(at)? != expected {
            return Ok(None);
        }
    }
    for at in 4..len {
        match byte(at)? {
            b'\n' => return Ok(Some(&data[..at])),
            b'\r' if at + 1 < len && byte(at + 1)? == b'\n' => return Ok(Some(&data[..at])),
            c if (0x20..0x7f).contains(&c) => {}
            _ => return Ok(None),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(data: &[u8], len: u32) -> String {
        crate::packet::text::printed(print, data, len)
    }

    #[test]
    fn version_lines() {
        let v = b"SSH-2.0-OpenSSH_5.5p1\r\n";
        assert_eq!(text(v, v.len() as u32), ": SSH: SSH-2.0-OpenSSH_5.5p1");
        assert_eq!(text(b"SSH-1.99-x\nmore", 15), ": SSH: SSH-1.99-x");
        assert_eq!(text(b"SSH-2.0-x\r", 10), "");
        assert_eq!(text(b"\x00\x00\x01\x0c", 4), "");
        assert_eq!(text(b"SSH-2.0", 30), " [|ssh]");
        assert_eq!(text(b"SS", 30), " [|ssh]");
    }
}
