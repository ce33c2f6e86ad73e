//! Settings that only make sense together: when the reader picks a value that needs another
//! setting (a TTL invalidation with no TTL, say), the other setting is adjusted to a usable value
//! and the reader is told in one sentence. The rules live with the scenarios (`sim::fixup`);
//! the session applies them to every setup change before it rebuilds.

/// Adjust `pairs` after `changed` was set; returns what was adjusted, in words.
pub fn fixup(kind: &str, pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    crate::sim::fixup::fixup(kind, pairs, changed)
}
