//! Sharding's cross-field rules and their fix-ups: `shards + add_shards` is at most 64, and
//! `remove_shards` leaves at least one shard. The setting just changed is kept; the other one
//! moves just far enough (fewer or more starting shards, fewer shards added or removed).

use super::MAX_SHARDS;
use crate::sim::fixup::{int, joined, put};

/// Fix `pairs` after `changed` was set (see `sim::fixup`).
pub fn fixup(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let mut notes = Vec::new();
    notes.extend(fix_total(pairs, changed));
    notes.extend(fix_remove(pairs, changed));
    joined(notes)
}

fn fix_total(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let (n, add) = (
        int("sharding", pairs, "shards")?,
        int("sharding", pairs, "add_shards")?,
    );
    if n + add <= MAX_SHARDS {
        return None;
    }
    if changed == "add_shards" {
        let n = MAX_SHARDS - add;
        put(pairs, "shards", n.to_string());
        return Some(format!(
            "Shards set to {n} so adding {add} stays within {MAX_SHARDS}."
        ));
    }
    let add = MAX_SHARDS - n;
    put(pairs, "add_shards", add.to_string());
    Some(format!(
        "Add shards set to {add}: a cluster has at most {MAX_SHARDS} shards."
    ))
}

fn fix_remove(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let (n, add) = (
        int("sharding", pairs, "shards")?,
        int("sharding", pairs, "add_shards")?,
    );
    let rm = int("sharding", pairs, "remove_shards")?;
    if rm < n + add {
        return None;
    }
    if changed == "remove_shards" {
        let n = rm + 1 - add;
        put(pairs, "shards", n.to_string());
        return Some(format!(
            "Shards set to {n} so one shard remains after removing {rm}."
        ));
    }
    let rm = n + add - 1;
    put(pairs, "remove_shards", rm.to_string());
    Some(format!(
        "Remove shards set to {rm} so at least one shard remains."
    ))
}

#[cfg(test)]
mod tests {
    use crate::sim::fixup::testing::{fixes, no_fix};

    #[test]
    fn removing_every_shard_keeps_one() {
        let v = fixes(
            "sharding",
            &[("remove_shards", "4")],
            "remove_shards",
            "Shards set to 5",
        );
        assert!(v.contains(&("shards".into(), "5".into())));
        let v = fixes(
            "sharding",
            &[("remove_shards", "3"), ("shards", "2")],
            "shards",
            "Remove shards set to 1",
        );
        assert!(v.contains(&("remove_shards".into(), "1".into())));
    }

    #[test]
    fn too_many_shards_in_total_are_brought_to_64() {
        let v = fixes(
            "sharding",
            &[("shards", "60"), ("add_shards", "10")],
            "add_shards",
            "Shards set to 54",
        );
        assert!(v.contains(&("shards".into(), "54".into())));
        let v = fixes(
            "sharding",
            &[
                ("add_shards", "10"),
                ("remove_shards", "20"),
                ("shards", "60"),
            ],
            "shards",
            "Add shards set to 4",
        );
        assert!(v.contains(&("add_shards".into(), "4".into())));
    }

    #[test]
    fn valid_settings_are_left_alone() {
        no_fix(
            "sharding",
            &[("shards", "4"), ("remove_shards", "3")],
            "shards",
        );
    }
}
