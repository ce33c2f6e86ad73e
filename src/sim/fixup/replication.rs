//! Replication's cross-field rules and their fix-ups (kept here, outside the scenario's module,
//! which has another owner for now): `r` and `w` are at most `n`, and `partition` names only
//! replicas below `n`. Raising a quorum or naming a replica past `n` adds replicas (up to 9);
//! lowering `n` (or changing anything else) lowers the quorums to `n` and drops the missing
//! replicas from the partition (to `none` if fewer than two groups remain). A replica named
//! twice has no sensible fix: the usual error says so.

use super::{int, joined, put, text};
use crate::sim::command::parse_groups;

const KIND: &str = "replication";
/// The `n` parameter's maximum.
const MAX_N: i64 = 9;

/// Fix `pairs` after `changed` was set (see `sim::fixup`).
pub fn fixup(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let mut notes = Vec::new();
    notes.extend(fix_quorums(pairs, changed));
    notes.extend(fix_partition(pairs, changed));
    joined(notes)
}

fn fix_quorums(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let n = int(KIND, pairs, "n")?;
    let (r, w) = (int(KIND, pairs, "r")?, int(KIND, pairs, "w")?);
    if r <= n && w <= n {
        return None;
    }
    if changed == "r" || changed == "w" {
        let need = if changed == "r" { r } else { w };
        put(pairs, "n", need.to_string());
        let other = if changed == "r" { ("w", w) } else { ("r", r) };
        if other.1 > need {
            put(pairs, other.0, need.to_string());
        }
        return Some(format!(
            "Replicas (n) set to {need} so a quorum of {changed}={need} exists."
        ));
    }
    let mut lowered = Vec::new();
    for (key, v) in [("r", r), ("w", w)] {
        if v > n {
            put(pairs, key, n.to_string());
            lowered.push(key);
        }
    }
    Some(format!(
        "{} lowered to n={n}: a quorum cannot be larger than the replicas.",
        lowered.join(" and ")
    ))
}

fn fix_partition(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let n = int(KIND, pairs, "n")?;
    let raw = text(KIND, pairs, "partition")?;
    if raw.trim() == "none" {
        return None;
    }
    let groups = parse_groups(&raw).ok()?;
    let top = groups.iter().flatten().copied().max()? as i64;
    if top < n {
        return None;
    }
    if changed == "partition" && top < MAX_N {
        put(pairs, "n", (top + 1).to_string());
        return Some(format!(
            "Replicas (n) set to {} so replica {top} exists.",
            top + 1
        ));
    }
    let kept: Vec<String> = groups
        .iter()
        .map(|g| {
            let ids: Vec<String> = g
                .iter()
                .filter(|&&r| (r as i64) < n)
                .map(u32::to_string)
                .collect();
            ids.join(",")
        })
        .filter(|g| !g.is_empty())
        .collect();
    let value = if kept.len() >= 2 {
        kept.join("|")
    } else {
        "none".into()
    };
    put(pairs, "partition", value.clone());
    Some(format!(
        "Partition set to {value}: replicas are numbered 0 to {}.",
        n - 1
    ))
}

#[cfg(test)]
mod tests {
    use crate::sim::fixup::testing::{fixes, no_fix};

    #[test]
    fn a_quorum_above_n_adds_replicas() {
        let v = fixes("replication", &[("w", "5")], "w", "Replicas (n) set to 5");
        assert!(v.contains(&("n".into(), "5".into())));
    }

    #[test]
    fn fewer_replicas_lower_the_quorums_and_the_partition() {
        let v = fixes(
            "replication",
            &[
                ("r", "3"),
                ("w", "4"),
                ("partition", "0,1|2,3,4"),
                ("n", "2"),
            ],
            "n",
            "r and w lowered to n=2",
        );
        assert!(v.contains(&("partition".into(), "none".into())), "{v:?}");
        let v = fixes(
            "replication",
            &[("partition", "0|1,3|2,4"), ("n", "3")],
            "n",
            "Partition set to 0|1|2",
        );
        assert!(v.contains(&("partition".into(), "0|1|2".into())));
    }

    #[test]
    fn a_partition_naming_more_replicas_adds_them() {
        let v = fixes(
            "replication",
            &[("partition", "0,1|2,3,4")],
            "partition",
            "Replicas (n) set to 5",
        );
        assert!(v.contains(&("n".into(), "5".into())));
    }

    #[test]
    fn valid_or_unfixable_settings_are_left_alone() {
        no_fix("replication", &[("n", "5"), ("r", "3")], "n");
        let mut twice = crate::sim::fixup::testing::pairs(&[("partition", "0,1|1,2")]);
        assert_eq!(super::fixup(&mut twice, "partition"), None);
    }
}
