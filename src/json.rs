//! The one place `--json` documents get their version and are written.
//!
//! Rule for every document (schemas in docs/schema/): field names are pktmon's
//! (PascalCase, as Windows `pktmon list --json` and `counters --json` spell them), every
//! top-level object carries `"Version": VERSION`, and values are plain JSON (MACs as
//! "aa:bb:cc:dd:ee:ff" strings, times as numbers with their unit in the name). Where
//! Windows prints an array (`list`, `counters`, `filter list`), the array stays and each of
//! its objects carries the version. Streams (`counters --live --json`, `start -m real-time
//! --json`) write one object per line (NDJSON), flushed per line.

use crate::error::Result;
use serde_json::{Map, Value};
use std::io::Write;

/// The schema version of every document; raised when a field changes meaning or goes
/// away (adding a field keeps it).
pub const VERSION: u32 = 1;

/// `doc` with `"Version"` first in it (in each element when it is an array).
pub fn versioned(doc: Value) -> Value {
    match doc {
        Value::Array(items) => Value::Array(items.into_iter().map(versioned).collect()),
        Value::Object(fields) => {
            let mut o = Map::with_capacity(fields.len() + 1);
            o.insert("Version".into(), VERSION.into());
            o.extend(fields);
            Value::Object(o)
        }
        other => other,
    }
}

/// Prints a versioned document, pretty, to stdout.
pub fn print(doc: Value) -> Result<()> {
    let text = serde_json::to_string_pretty(&versioned(doc)).unwrap_or_default();
    crate::outln!("{text}")
}

/// One versioned object as one line (NDJSON), flushed at once so a pipe sees it.
pub fn write_line(out: &mut dyn Write, doc: Value) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(&versioned(doc)).map_err(std::io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn version_goes_first_in_objects_and_array_elements() {
        let v = versioned(json!({"A": 1}));
        assert_eq!(v.to_string(), r#"{"Version":1,"A":1}"#);
        let v = versioned(json!([{"A": 1}, {"B": 2}]));
        assert_eq!(v[1]["Version"], 1);
        let mut buf = Vec::new();
        write_line(&mut buf, json!({"A": [1, 2]})).unwrap();
        assert_eq!(buf, b"{\"Version\":1,\"A\":[1,2]}\n");
    }
}
