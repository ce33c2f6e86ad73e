//! The cache's one cross-field rule and its fix-up: `invalidation=ttl` relies on expiry, so it
//! needs `ttl_ms` above 0. Choosing `ttl` sets the TTL the caching lesson uses (300 ms, where
//! staleness and misses are both visible); setting `ttl_ms=0` under `ttl` switches
//! invalidation back to `delete`, the default.

use crate::sim::fixup::{float, put, text};

/// The TTL a fix-up chooses: the caching lesson's `invalidation=ttl ttl_ms=300` run.
pub const FIX_TTL_MS: u32 = 300;

/// Fix `pairs` after `changed` was set (see `sim::fixup`).
pub fn fixup(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let inval = text("cache", pairs, "invalidation")?;
    let ttl = float("cache", pairs, "ttl_ms")?;
    if inval != "ttl" || ttl > 0.0 {
        return None;
    }
    if changed == "ttl_ms" {
        put(pairs, "invalidation", "delete".into());
        return Some(
            "Invalidation set to delete: with ttl_ms=0 entries never expire, so ttl invalidation would never remove a stale copy."
                .into(),
        );
    }
    put(pairs, "ttl_ms", FIX_TTL_MS.to_string());
    Some(format!(
        "TTL set to {FIX_TTL_MS} ms so ttl invalidation can work: entries must expire for it to drop stale copies."
    ))
}

#[cfg(test)]
mod tests {
    use crate::sim::fixup::testing::{fixes, no_fix};

    #[test]
    fn choosing_ttl_invalidation_sets_a_ttl() {
        let v = fixes(
            "cache",
            &[("invalidation", "ttl")],
            "invalidation",
            "TTL set to 300 ms",
        );
        assert!(v.contains(&("ttl_ms".into(), "300".into())));
        // Also when ttl_ms=0 was written out, and whatever else changed.
        fixes(
            "cache",
            &[
                ("ttl_ms", "0"),
                ("write_ratio", "0.1"),
                ("invalidation", "ttl"),
            ],
            "write_ratio",
            "TTL set to 300 ms",
        );
    }

    #[test]
    fn a_zero_ttl_under_ttl_invalidation_switches_to_delete() {
        let v = fixes(
            "cache",
            &[("invalidation", "ttl"), ("ttl_ms", "0")],
            "ttl_ms",
            "Invalidation set to delete",
        );
        assert!(v.contains(&("invalidation".into(), "delete".into())));
    }

    #[test]
    fn valid_or_unreadable_settings_are_left_alone() {
        no_fix(
            "cache",
            &[("invalidation", "ttl"), ("ttl_ms", "500")],
            "invalidation",
        );
        no_fix("cache", &[("ttl_ms", "0")], "ttl_ms");
        let mut bad =
            crate::sim::fixup::testing::pairs(&[("invalidation", "ttl"), ("ttl_ms", "soon")]);
        assert_eq!(super::fixup(&mut bad, "invalidation"), None);
    }
}
