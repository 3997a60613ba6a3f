//! Stream ComponentIds → the component shown. A data source may be registered several times
//! (at several layers): hidden entries name a related entry through `SecondaryId`, and the
//! stream's records may carry either id of any entry (docs/spec/pktmonapi-fidelity.md §3).

use std::collections::HashMap;

/// One enumerated entry: (Id, SecondaryId); SecondaryId 0 = none.
pub type EntryIds = (u32, u32);

/// How far a chain of hidden entries is followed (hidden → hidden → visible).
const MAX_CHAIN: usize = 8;

/// Every id an entry carries → the visible id it belongs to. A visible entry is itself;
/// a hidden entry belongs to the visible entry its ids lead to (through other hidden
/// entries), and both its ids are mapped there. Ids that lead to no visible entry are not
/// mapped: their records keep them (no component is shown for them to join).
pub fn component_ids(visible: &[EntryIds], hidden: &[EntryIds]) -> HashMap<u32, u32> {
    let mut map: HashMap<u32, u32> = HashMap::new();
    for &(id, secondary) in visible {
        map.insert(id, id);
        if secondary != 0 {
            map.entry(secondary).or_insert(id);
        }
    }
    // Links between hidden ids, both ways: an entry relates its two ids.
    let mut links: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(id, secondary) in hidden {
        if secondary != 0 && secondary != id {
            links.entry(id).or_default().push(secondary);
            links.entry(secondary).or_default().push(id);
        }
    }
    for &(id, secondary) in hidden {
        let Some(target) = reach_visible(id, &map, &links) else {
            continue;
        };
        map.entry(id).or_insert(target);
        if secondary != 0 {
            map.entry(secondary).or_insert(target);
        }
    }
    map
}

/// The visible id reached from `start` over hidden links (breadth first, bounded).
fn reach_visible(
    start: u32,
    map: &HashMap<u32, u32>,
    links: &HashMap<u32, Vec<u32>>,
) -> Option<u32> {
    let mut frontier = vec![start];
    let mut seen = vec![start];
    for _ in 0..MAX_CHAIN {
        let mut next = Vec::new();
        for id in frontier {
            if let Some(&v) = map.get(&id) {
                return Some(v);
            }
            for &other in links.get(&id).into_iter().flatten() {
                if !seen.contains(&other) {
                    seen.push(other);
                    next.push(other);
                }
            }
        }
        if next.is_empty() {
            return None;
        }
        frontier = next;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_entries_map_to_the_visible_entry_their_ids_lead_to() {
        // Visible: adapter 1 (SecondaryId 1, as real primary entries carry), loopback 2
        // (SecondaryId 0, as the older stand-in had it), adapter 5 known also as 105.
        let visible = [(1, 1), (2, 0), (5, 105)];
        // Hidden: 12 → 2; 13 → 1; 14 → 13 → 1 (a chain); 15 → 105 (the secondary of 5);
        // 16 ↔ 17, related to nothing shown: left alone.
        let hidden = [(12, 2), (13, 1), (14, 13), (15, 105), (16, 17)];
        let m = component_ids(&visible, &hidden);
        for (id, want) in [
            (1, 1),
            (2, 2),
            (5, 5),
            (105, 5),
            (12, 2),
            (13, 1),
            (14, 1),
            (15, 5),
        ] {
            assert_eq!(m.get(&id), Some(&want), "id {id}");
        }
        assert_eq!((m.get(&16), m.get(&17)), (None, None));
        assert_eq!(m.get(&0), None, "SecondaryId 0 is no id");
    }

    #[test]
    fn a_visible_id_is_never_taken_by_a_hidden_entry() {
        // A hidden entry that names visible 2 as its own id and 1 as its secondary.
        let m = component_ids(&[(1, 1), (2, 2)], &[(2, 1)]);
        assert_eq!((m[&1], m[&2]), (1, 2));
    }

    #[test]
    fn cycles_among_hidden_entries_end() {
        let m = component_ids(&[(1, 1)], &[(20, 21), (21, 22), (22, 20)]);
        assert_eq!(m.len(), 1, "{m:?}");
    }
}
