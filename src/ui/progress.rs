//! The reader's progress, kept in local storage (no server): challenges solved and predictions
//! made, shown on the home page. The lead fills this in; the challenge and prediction code only
//! calls it.

/// The challenge `id` (its block number) of lesson `lesson` was solved on this page.
pub fn challenge_solved(lesson: &str, id: &str) {
    let _ = (lesson, id);
}
