//! `pktmon hex2pkt <hex> [--type Ethernet|IP|HTTP]`: decode one packet given in hex, as
//! `etl2txt` would print it.

use crate::error::{Error, Result, exit};
use crate::packet::{CaptureMemory, TextOptions, render_decode};
use crate::record::LinkType;
use clap::ArgMatches;

/// Parses hex with or without spaces, `0x` prefixes, colons or dashes between bytes.
pub fn parse_hex(text: &str) -> std::result::Result<Vec<u8>, String> {
    let mut digits = Vec::with_capacity(text.len());
    for word in text.split(|c: char| c.is_whitespace() || c == ':' || c == '-' || c == ',') {
        let word = word
            .strip_prefix("0x")
            .or_else(|| word.strip_prefix("0X"))
            .unwrap_or(word);
        for c in word.chars() {
            let d = c
                .to_digit(16)
                .ok_or_else(|| format!("'{c}' is not a hexadecimal digit"))?;
            digits.push(d as u8);
        }
    }
    if digits.is_empty() {
        return Err("no hexadecimal digits given".to_string());
    }
    if digits.len() % 2 != 0 {
        return Err(format!(
            "an odd number of hexadecimal digits ({}): each byte needs two",
            digits.len()
        ));
    }
    Ok(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

pub fn run(m: &ArgMatches) -> Result<i32> {
    let text: Vec<&str> = m
        .get_many::<String>("hex")
        .map(|v| v.map(String::as_str).collect())
        .unwrap_or_default();
    let bytes = parse_hex(&text.join(" ")).map_err(|e| {
        Error::invalid(format!(
            "Error: the packet is not valid hex: {e}. See pktmon hex2pkt help."
        ))
    })?;
    let kind = m
        .get_one::<String>("type")
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_else(|| "ethernet".to_string());
    let mut out = Vec::new();
    let opts = TextOptions::default();
    match kind.as_str() {
        "ip" => render_decode(
            LinkType::RAW,
            &bytes,
            bytes.len() as u32,
            false,
            &opts,
            &mut CaptureMemory::default(),
            &mut out,
        ),
        "http" => {
            crate::packet::print::print_http(&mut out, &bytes);
            out.push(b'\n');
        }
        _ => render_decode(
            LinkType::ETHERNET,
            &bytes,
            bytes.len() as u32,
            false,
            &opts,
            &mut CaptureMemory::default(),
            &mut out,
        ),
    }
    // hex2pkt prints the decode alone: no TAB in front.
    let text: Vec<u8> = out
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .flat_map(|l| {
            l.strip_prefix(b"\t")
                .unwrap_or(l)
                .iter()
                .copied()
                .chain([b'\n'])
        })
        .collect();
    crate::output::write_stdout_bytes(&text)?;
    Ok(exit::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_forms() {
        let want = vec![0x45, 0x00, 0xAB];
        assert_eq!(parse_hex("4500ab").unwrap(), want);
        assert_eq!(parse_hex("45 00 ab").unwrap(), want);
        assert_eq!(parse_hex("0x45 0x00 0xAB").unwrap(), want);
        assert_eq!(parse_hex("45:00:ab").unwrap(), want);
        assert_eq!(parse_hex("45-00-AB").unwrap(), want);
        assert_eq!(parse_hex("0x4500ab").unwrap(), want);
        assert!(parse_hex("450").unwrap_err().contains("odd number"));
        assert!(parse_hex("zz").unwrap_err().contains("'z'"));
        assert!(parse_hex("  ").is_err());
    }
}
