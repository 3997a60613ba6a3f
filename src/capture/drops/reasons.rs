//! Drop reason names, read at run time (the numbers change between kernels): from BTF
//! `enum skb_drop_reason`, or from the tracepoint format's `__print_symbolic` table.

use crate::capture::bpf::btf::{Btf, Kind};
use std::fmt::Write;

/// Reasons with bits above this shift carry a subsystem (`enum skb_drop_reason_subsys`).
const SUBSYS_SHIFT: u32 = 16;
/// Dense table bound; larger plain codes fall back to the sparse list.
const DENSE: u32 = 4096;

#[derive(Clone, Debug, Default)]
pub struct ReasonTable {
    dense: Vec<Option<Box<str>>>,
    sparse: Vec<(u32, Box<str>)>,
    subsystems: Vec<(u32, Box<str>)>,
}

/// "SKB_DROP_REASON_NO_SOCKET" → "NO_SOCKET", "SKB_CONSUMED" → "CONSUMED".
fn short(name: &str) -> &str {
    name.strip_prefix("SKB_DROP_REASON_")
        .or_else(|| name.strip_prefix("SKB_"))
        .unwrap_or(name)
}

impl ReasonTable {
    /// From (code, name) pairs; names are shortened as the kernel prints them.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (u32, &'a str)>) -> ReasonTable {
        let mut t = ReasonTable::default();
        for (code, name) in pairs {
            let name: Box<str> = short(name).into();
            if code < DENSE {
                if t.dense.len() <= code as usize {
                    t.dense.resize(code as usize + 1, None);
                }
                t.dense[code as usize] = Some(name);
            } else {
                t.sparse.push((code, name));
            }
        }
        t.sparse.sort();
        t
    }

    /// From the kernel's BTF (`enum skb_drop_reason`, and the subsystems when present).
    pub fn from_btf(btf: &Btf) -> Result<ReasonTable, String> {
        let id = btf
            .find(Kind::Enum, "skb_drop_reason")
            .ok_or("kernel BTF has no enum skb_drop_reason (kernel before 5.17)")?;
        let values = btf.enum_values(id).map_err(|e| e.to_string())?;
        let mut t = ReasonTable::from_pairs(
            values
                .iter()
                .filter(|(n, v)| !n.is_empty() && (0..=u32::MAX as i64).contains(v))
                .map(|&(n, v)| (v as u32, n)),
        );
        if let Some(sid) = btf.find(Kind::Enum, "skb_drop_reason_subsys")
            && let Ok(subs) = btf.enum_values(sid)
        {
            t.subsystems = subs
                .iter()
                .filter(|(n, v)| !n.ends_with("_NUM") && (1..0x10000).contains(v))
                .map(|&(n, v)| {
                    let n = n.strip_prefix("SKB_DROP_REASON_SUBSYS_").unwrap_or(n);
                    (v as u32, n.into())
                })
                .collect();
        }
        Ok(t)
    }

    /// From a tracepoint print format: `__print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, ...)`.
    pub fn from_print_fmt(fmt: &str) -> ReasonTable {
        let Some(start) = fmt.find("__print_symbolic(REC->reason") else {
            return ReasonTable::default();
        };
        let mut pairs = Vec::new();
        let mut rest = &fmt[start..];
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let entry = &rest[open + 1..open + close];
            rest = &rest[open + close + 1..];
            let Some((num, name)) = entry.split_once(',') else {
                continue;
            };
            let num = num.trim();
            let code = match num.strip_prefix("0x") {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            let name = name.trim().trim_matches('"');
            if let Some(code) = code
                && !name.is_empty()
            {
                pairs.push((code, name));
            }
            // The table ends where the call does.
            if rest.trim_start().starts_with(')') {
                break;
            }
        }
        ReasonTable::from_pairs(pairs)
    }

    pub fn len(&self) -> usize {
        self.dense.iter().flatten().count() + self.sparse.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn code_of(&self, name: &str) -> Option<u32> {
        let dense = self.dense.iter().enumerate();
        dense
            .filter_map(|(i, n)| n.as_deref().map(|n| (i as u32, n)))
            .chain(self.sparse.iter().map(|(c, n)| (*c, &**n)))
            .find(|(_, n)| *n == name)
            .map(|(c, _)| c)
    }

    /// `SKB_CONSUMED`, a free that is not a drop.
    pub fn consumed(&self) -> Option<u32> {
        self.code_of("CONSUMED")
    }

    fn plain(&self, code: u32) -> Option<&str> {
        if code < DENSE {
            self.dense.get(code as usize).and_then(|n| n.as_deref())
        } else {
            self.sparse
                .binary_search_by_key(&code, |(c, _)| *c)
                .ok()
                .map(|i| &*self.sparse[i].1)
        }
    }

    /// Appends the name of `code` to `out` (no allocation once `out` has room).
    pub fn write_name(&self, code: u32, out: &mut String) {
        if code == u32::MAX {
            out.push_str("UNKNOWN");
        } else if let Some(n) = self.plain(code) {
            out.push_str(n);
        } else if code >> SUBSYS_SHIFT != 0 {
            let sub = code >> SUBSYS_SHIFT;
            match self.subsystems.iter().find(|(c, _)| *c == sub) {
                Some((_, n)) => out.push_str(n),
                None => {
                    let _ = write!(out, "SUBSYS_{sub}");
                }
            }
            let _ = write!(out, "_{}", code & ((1 << SUBSYS_SHIFT) - 1));
        } else {
            let _ = write!(out, "REASON_{code}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_fmt_table() {
        let fmt = r#""skbaddr=%p protocol=%u location=%pS reason: %s", REC->skbaddr, REC->protocol, REC->location, __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, { 3, "NO_SOCKET" }, { 12, "NETFILTER_DROP" }, { 0x80, "MAX" })"#;
        let t = ReasonTable::from_print_fmt(fmt);
        assert_eq!(t.len(), 4);
        let mut s = String::new();
        t.write_name(3, &mut s);
        assert_eq!(s, "NO_SOCKET");
        s.clear();
        t.write_name(128, &mut s);
        assert_eq!(s, "MAX");
        s.clear();
        t.write_name(77, &mut s);
        assert_eq!(s, "REASON_77");
        assert_eq!(t.consumed(), None);
        assert!(ReasonTable::from_print_fmt("no table here").is_empty());
        // Broken tables stop quietly.
        assert_eq!(
            ReasonTable::from_print_fmt("__print_symbolic(REC->reason, { 2, \"A\" }, { 3").len(),
            1
        );
    }

    #[test]
    fn names_are_shortened_and_subsystems_decoded() {
        let mut t = ReasonTable::from_pairs([
            (0, "SKB_NOT_DROPPED_YET"),
            (1, "SKB_CONSUMED"),
            (3, "SKB_DROP_REASON_NO_SOCKET"),
            (70000, "SKB_DROP_REASON_FAR"),
        ]);
        t.subsystems = vec![(2, "OPENVSWITCH".into())];
        assert_eq!(t.consumed(), Some(1));
        let name = |c| {
            let mut s = String::new();
            t.write_name(c, &mut s);
            s
        };
        assert_eq!(name(3), "NO_SOCKET");
        assert_eq!(name(70000), "FAR");
        assert_eq!(name((2 << 16) | 5), "OPENVSWITCH_5");
        assert_eq!(name((9 << 16) | 1), "SUBSYS_9_1");
        assert_eq!(name(u32::MAX), "UNKNOWN");
    }

    #[test]
    fn from_kernel_btf_when_present() {
        let Ok(btf) = Btf::from_sys() else {
            eprintln!("SKIPPED from_kernel_btf_when_present: no kernel BTF");
            return;
        };
        let t = ReasonTable::from_btf(&btf).expect("reasons");
        assert!(t.len() > 50, "{} reasons", t.len());
        let no_socket = t.code_of("NO_SOCKET").expect("NO_SOCKET");
        assert!(t.code_of("NETFILTER_DROP").is_some());
        assert!(t.consumed().is_some());
        // The tracepoint's own table agrees, when tracefs is readable.
        if let Ok(f) = std::fs::read_to_string("/sys/kernel/tracing/events/skb/kfree_skb/format") {
            let ft = ReasonTable::from_print_fmt(&f);
            assert_eq!(ft.code_of("NO_SOCKET"), Some(no_socket));
        }
    }
}
