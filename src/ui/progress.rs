//! The reader's progress in this browser only (localStorage, no server): the text format and its
//! rules are `crate::progress`; this keeps it, puts decided predictions back on a lesson page, and
//! gives the home page its per-lesson sums.

use super::dom;
use crate::progress::{self, Entry};

const KEY: &str = "sandbox-progress";

/// Everything remembered.
pub fn entries() -> Vec<Entry> {
    progress::parse_all(&dom::stored(KEY).unwrap_or_default())
}

/// Remember `e` (nothing happens when storage is unavailable).
pub fn record(e: Entry) {
    dom::store(
        KEY,
        &progress::record(&dom::stored(KEY).unwrap_or_default(), e),
    );
}

/// A challenge on lesson `slug` was solved.
pub fn challenge_solved(slug: &str, id: &str) {
    record(Entry::Challenge {
        slug: slug.into(),
        id: id.into(),
    });
}

/// Forget everything.
pub fn reset() {
    dom::store(KEY, "");
}

/// The slug of the lesson this page shows (`article.lesson[data-slug]`), if any.
pub fn page_slug() -> Option<String> {
    dom::all("article.lesson[data-slug]")
        .first()
        .and_then(|a| a.get_attribute("data-slug"))
}
