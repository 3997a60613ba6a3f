//! Kernel text addresses to `symbol+0xoff`, from `/proc/kallsyms` (read once; read again,
//! at most once a second, when an address falls outside every known symbol, e.g. after a
//! module was loaded). Without CAP_SYSLOG every address reads as zero: then locations
//! stay raw addresses.

use std::fmt::Write;
use std::time::{Duration, Instant};

const PATH: &str = "/proc/kallsyms";
/// An offset this large means the address is not really inside the symbol found.
const MAX_OFFSET: u64 = 1 << 20;
const RELOAD_EVERY: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct Kallsyms {
    addrs: Vec<u64>,
    /// (start, len) of each name in `names`.
    spans: Vec<(u32, u32)>,
    names: String,
    path: Option<String>,
    last_load: Option<Instant>,
    /// The last location written (address, text): drops come in runs from one place.
    last_written: Option<(u64, String)>,
}

impl Kallsyms {
    /// Loads `/proc/kallsyms`; an unreadable or zeroed table gives raw addresses.
    pub fn load() -> Kallsyms {
        let mut k = Kallsyms {
            path: Some(PATH.into()),
            ..Default::default()
        };
        k.reload();
        k
    }

    /// Parses a kallsyms text (tests).
    #[cfg(test)]
    pub fn parse(text: &str) -> Kallsyms {
        let mut k = Kallsyms::default();
        k.fill(text);
        k
    }

    fn reload(&mut self) {
        self.last_load = Some(Instant::now());
        let Some(path) = &self.path else { return };
        if let Ok(text) = std::fs::read_to_string(path) {
            self.fill(&text);
        }
    }

    fn fill(&mut self, text: &str) {
        self.last_written = None;
        let mut syms: Vec<(u64, &str)> = Vec::new();
        for line in text.lines() {
            let mut it = line.split_ascii_whitespace();
            let (Some(addr), Some(kind), Some(name)) = (it.next(), it.next(), it.next()) else {
                continue;
            };
            // Text symbols only: a drop location is a return address in code.
            if !matches!(kind, "t" | "T" | "w" | "W") {
                continue;
            }
            if let Ok(a) = u64::from_str_radix(addr, 16)
                && a != 0
            {
                syms.push((a, name));
            }
        }
        syms.sort_unstable_by_key(|s| s.0);
        self.addrs.clear();
        self.spans.clear();
        self.names.clear();
        for (a, n) in syms {
            self.addrs.push(a);
            self.spans.push((self.names.len() as u32, n.len() as u32));
            self.names.push_str(n);
        }
    }

    /// Whether symbol names are available (false without CAP_SYSLOG).
    pub fn has_symbols(&self) -> bool {
        !self.addrs.is_empty()
    }

    fn lookup(&self, addr: u64) -> Option<(&str, u64)> {
        let i = self.addrs.partition_point(|&a| a <= addr).checked_sub(1)?;
        let off = addr - self.addrs[i];
        if off >= MAX_OFFSET {
            return None;
        }
        let (s, l) = self.spans[i];
        Some((&self.names[s as usize..(s + l) as usize], off))
    }

    /// Appends `symbol+0xoff` (or the raw `0x...` address) to `out`.
    pub fn write_location(&mut self, addr: u64, out: &mut String) {
        if let Some((last, text)) = &self.last_written
            && *last == addr
        {
            out.push_str(text);
            return;
        }
        let start = out.len();
        if !self.format_location(addr, out) {
            // Unknown: a module may load it later (the table is reloaded then).
            return;
        }
        let text = &out[start..];
        match &mut self.last_written {
            Some((last, memo)) => {
                *last = addr;
                memo.clear();
                memo.push_str(text);
            }
            None => self.last_written = Some((addr, text.to_owned())),
        }
    }

    /// Writes `symbol+offset`, or the bare address (false) when no symbol holds it.
    fn format_location(&mut self, addr: u64, out: &mut String) -> bool {
        if self.lookup(addr).is_none()
            && self.has_symbols()
            && self.last_load.is_some_and(|t| t.elapsed() >= RELOAD_EVERY)
        {
            self.reload();
        }
        match self.lookup(addr) {
            Some((name, off)) => {
                let _ = write!(out, "{name}+{off:#x}");
                true
            }
            None => {
                let _ = write!(out, "{addr:#x}");
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbol_plus_offset() {
        let mut k = Kallsyms::parse(
            "ffffffff81f653d0 T nft_do_chain\n\
             ffffffff82048c10 T __udp4_lib_rcv\n\
             ffffffff82000000 d some_data\n\
             ffffffffc0001000 t helper\t[mod]\n\
             garbage line\n",
        );
        let loc = |k: &mut Kallsyms, a| {
            let mut s = String::new();
            k.write_location(a, &mut s);
            s
        };
        assert_eq!(
            loc(&mut k, 0xffffffff82048c10 + 0x4bc),
            "__udp4_lib_rcv+0x4bc"
        );
        assert_eq!(
            loc(&mut k, 0xffffffff81f653d0 + 0x3e8),
            "nft_do_chain+0x3e8"
        );
        assert_eq!(loc(&mut k, 0xffffffffc0001004), "helper+0x4");
        // Before every symbol, or far past the last: raw.
        assert_eq!(loc(&mut k, 0x1000), "0x1000");
        assert_eq!(loc(&mut k, 0xffffffffc1000000), "0xffffffffc1000000");
        // A run from one place (remembered), then another place, then back; appended.
        let mut s = String::from("at ");
        for a in [
            0xffffffff82048c10 + 0x4bc,
            0xffffffff82048c10 + 0x4bc,
            0xffffffffc0001004,
        ] {
            k.write_location(a, &mut s);
            s.push(' ');
        }
        assert_eq!(
            s,
            "at __udp4_lib_rcv+0x4bc __udp4_lib_rcv+0x4bc helper+0x4 "
        );
        assert_eq!(
            loc(&mut k, 0xffffffff82048c10 + 0x4bc),
            "__udp4_lib_rcv+0x4bc"
        );
    }

    #[test]
    fn zeroed_addresses_give_raw_locations() {
        let mut k = Kallsyms::parse("0000000000000000 T nft_do_chain\n0000000000000000 T x\n");
        assert!(!k.has_symbols());
        let mut s = String::new();
        k.write_location(0xffffffff81f657b8, &mut s);
        assert_eq!(s, "0xffffffff81f657b8");
    }
}
