//! Fix-ups for settings a cross-field rule would refuse. When a reader changes one setting into
//! a combination that cannot run (`invalidation=ttl` with `ttl_ms=0`, `r` above `n`, ...), a
//! scenario's `fixup(pairs, changed)` keeps the changed setting, sets the *other* one to a
//! usable value and returns one sentence saying what it changed; `None` when nothing needed
//! fixing or no sensible fix exists (then the usual error names the problem). Pure functions
//! over `key=value` pairs: whoever calls them decides whether to apply the result.
//!
//! This file holds the shared helpers and the dispatcher; each scenario's fix-ups live in its
//! module, except replication's, kept in `replication.rs` here.

mod replication;

use super::params::Value;
use super::scenario::{cache, load_balancer, saga, sharding, system};

/// Fix `pairs` of scenario `kind` after `changed` was set; see the module comment.
pub fn fixup(kind: &str, pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    match kind {
        "cache" => cache::fixup(pairs, changed),
        "load-balancer" => load_balancer::fixup(pairs, changed),
        "replication" => replication::fixup(pairs, changed),
        "saga" => saga::fixup(pairs, changed),
        "sharding" => sharding::fixup(pairs, changed),
        "system" => system::fixup(pairs, changed),
        _ => None,
    }
}

/// The value of `key` in scenario `kind`: from `pairs` if given there, else the default;
/// `None` if the key is unknown or its value does not parse (the usual error will say so).
pub fn get(kind: &str, pairs: &[(String, String)], key: &str) -> Option<Value> {
    let spec = super::find(kind)?.params.iter().find(|s| s.name == key)?;
    let raw = pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or(spec.default, |(_, v)| v.as_str());
    spec.parse(raw).ok()
}

/// A whole-number setting.
pub fn int(kind: &str, pairs: &[(String, String)], key: &str) -> Option<i64> {
    match get(kind, pairs, key)? {
        Value::Int(i) => Some(i),
        _ => None,
    }
}

/// A number setting (whole or not).
pub fn float(kind: &str, pairs: &[(String, String)], key: &str) -> Option<f64> {
    match get(kind, pairs, key)? {
        Value::Int(i) => Some(i as f64),
        Value::Float(f) => Some(f),
        _ => None,
    }
}

/// A setting's text (choices, lists).
pub fn text(kind: &str, pairs: &[(String, String)], key: &str) -> Option<String> {
    match get(kind, pairs, key)? {
        Value::Word(w) => Some(w.to_string()),
        Value::Text(t) => Some(t),
        _ => None,
    }
}

/// Set `key` to `value`, replacing any earlier value.
pub fn put(pairs: &mut Vec<(String, String)>, key: &str, value: String) {
    match pairs.iter_mut().find(|(k, _)| k == key) {
        Some(slot) => slot.1 = value,
        None => pairs.push((key.to_string(), value)),
    }
}

/// Join the sentences of several fixes (`None` if there were none).
pub fn joined(notes: Vec<String>) -> Option<String> {
    (!notes.is_empty()).then(|| notes.join(" "))
}

#[cfg(test)]
pub mod testing {
    //! Helpers for the fix-up tests of every scenario.

    /// Pairs from string slices.
    pub fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// `pairs` do not build; after `fixup(.., changed)` they do, the changed setting kept its
    /// value, and the sentence returned is checked by `says`. Returns the fixed pairs.
    pub fn fixes(
        kind: &str,
        p: &[(&str, &str)],
        changed: &str,
        says: &str,
    ) -> Vec<(String, String)> {
        let mut v = pairs(p);
        let before = crate::sim::create(kind, &v, 1).err();
        assert!(
            before.is_some(),
            "{kind} {p:?} should be refused before the fix"
        );
        let kept = v.iter().find(|(k, _)| k == changed).cloned();
        let note = super::fixup(kind, &mut v, changed).expect("a fix");
        assert!(note.contains(says), "{note:?} should contain {says:?}");
        if let Err(e) = crate::sim::create(kind, &v, 1) {
            panic!("{kind} {v:?} still refused after the fix: {e}");
        }
        assert_eq!(v.iter().find(|(k, _)| k == changed).cloned(), kept);
        v
    }

    /// Valid pairs need no fix.
    pub fn no_fix(kind: &str, p: &[(&str, &str)], changed: &str) {
        let mut v = pairs(p);
        assert!(crate::sim::create(kind, &v, 1).is_ok());
        assert_eq!(super::fixup(kind, &mut v, changed), None);
        assert_eq!(v, pairs(p));
    }
}

#[cfg(test)]
mod tests {
    use super::testing::pairs;
    use super::*;

    #[test]
    fn helpers_read_defaults_and_replace_values() {
        let mut p = pairs(&[("ttl_ms", "250")]);
        assert_eq!(float("cache", &p, "ttl_ms"), Some(250.0));
        assert_eq!(text("cache", &p, "invalidation").as_deref(), Some("delete"));
        assert_eq!(int("cache", &p, "nope"), None);
        assert_eq!(get("nope", &p, "ttl_ms"), None);
        put(&mut p, "ttl_ms", "300".into());
        put(&mut p, "invalidation", "ttl".into());
        assert_eq!(p, pairs(&[("ttl_ms", "300"), ("invalidation", "ttl")]));
        assert_eq!(fixup("topology", &mut p, "nodes"), None);
        assert_eq!(joined(vec![]), None);
    }
}
