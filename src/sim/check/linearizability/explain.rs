//! The one-sentence explanation of a violation for a learner. Operations are named by their
//! number in the history and what they did ("operation #39 (write of value 40 by client 1)"),
//! and times are in milliseconds, as everywhere a learner reads them.

use super::{value_of, Op};
use crate::sim::num_fmt::Short;

fn name(h: &[Op], i: usize) -> String {
    match value_of(&h[i]) {
        (true, v) => {
            let pending = h[i].ret.map_or(", which never got a response", |_| "");
            format!(
                "operation #{i} (write of value {v} by client {}{pending})",
                h[i].client
            )
        }
        (false, _) => format!("operation #{i} (read by client {})", h[i].client),
    }
}

/// Microseconds as milliseconds, exactly (up to three decimals).
fn ms(us: u64) -> Short {
    Short(us as f64 / 1000.0)
}

/// One sentence describing the evidence; recognises stale reads, reads of unwritten values
/// and new-old inversions, and falls back to listing the operations.
pub(super) fn explain(h: &[Op], culprits: &[usize], f: usize) -> String {
    let val = |i: usize| value_of(&h[i]).1;
    let prec = |a: usize, b: usize| h[a].ret.is_some_and(|r| r < h[b].call);
    let v = val(f);
    let init = if v == 0 { " (the initial value)" } else { "" };
    let head = format!(
        "Operation #{f} (read by client {}) returned {v}{init} on key {}",
        h[f].client, h[f].key
    );
    let (writes, mut reads): (Vec<usize>, Vec<usize>) =
        culprits.iter().partition(|&&i| value_of(&h[i]).0);
    reads.retain(|&i| i != f);
    let wv = writes.iter().copied().find(|&w| val(w) == v);
    if reads.is_empty() {
        if wv.is_none() && v != 0 {
            let later =
                (0..h.len()).find(|&i| h[i].key == h[f].key && value_of(&h[i]) == (true, v));
            return match later {
                Some(i) => format!(
                    "{head}, but no write of {v} to that key had even been invoked before the read completed ({} was only invoked afterwards).",
                    name(h, i)
                ),
                None => format!(
                    "{head}, but no write of {v} to that key appears anywhere in the history, and {v} is not the initial value."
                ),
            };
        }
        for &w in writes.iter().filter(|&&w| val(w) != v && prec(w, f)) {
            if v == 0 {
                return format!(
                    "{head}, but {} had already completed before the read began, so the read had to return {} or a newer value.",
                    name(h, w),
                    val(w)
                );
            }
            if let Some(o) = wv.filter(|&o| prec(o, w)) {
                return format!(
                    "{head}, but {} had already completed before the read began, and it started only after {} completed, so {v} had already been overwritten (a stale read).",
                    name(h, w),
                    name(h, o)
                );
            }
        }
    } else if let [r] = reads[..] {
        let u = val(r);
        let wu = writes.iter().copied().find(|&w| val(w) == u);
        // Why u is newer than v: v is initial, or v's write finished before u's write or the read.
        let why = match (wv, wu) {
            _ if v == 0 => {
                let by = wu.map(|w| format!(", written by {},", name(h, w)));
                Some(format!(
                    "{u}{} is newer than the initial value",
                    by.unwrap_or_default()
                ))
            }
            (Some(a), Some(b)) if prec(a, b) => Some(format!("{} began", name(h, b))),
            (Some(a), _) if prec(a, r) => Some("that read began".to_string()),
            _ => None,
        };
        let why = why.map(|w| match wv {
            Some(a) if v != 0 => {
                format!("{u} is newer than {v}: {} completed before {w}", name(h, a))
            }
            _ => w,
        });
        if let Some(why) = why.filter(|_| u != v && prec(r, f)) {
            return format!(
                "{head}, but {} had already returned {u} and finished before operation #{f} began, and {why}; once a read has seen a newer value, a later read must not return an older one (a new-old inversion).",
                name(h, r)
            );
        }
    }
    let list: Vec<String> = culprits
        .iter()
        .map(|&i| {
            let when = match h[i].ret {
                Some(r) => format!("{}–{} ms", ms(h[i].call), ms(r)),
                None => format!("invoked at {} ms, no response", ms(h[i].call)),
            };
            let what = match value_of(&h[i]) {
                (true, x) => format!("write of value {x}"),
                (false, x) => format!("read returning {x}"),
            };
            format!("operation #{i} ({what} by client {}, {when})", h[i].client)
        })
        .collect();
    format!(
        "No order of {} respects both real-time order and the register's semantics; the contradiction becomes unavoidable when operation #{f} (read by client {}) returned {v} on key {}.",
        list.join(", "),
        h[f].client,
        h[f].key
    )
}
