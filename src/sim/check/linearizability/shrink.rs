//! Shrinking a failing prefix to 1-minimal evidence by relaxing removals (delta debugging).

use super::items::{prepare, Iv};
use super::search::{search, Outcome};
use std::ops::Range;

fn fails(s: &[Iv], limit: u64, explored: &mut u64) -> bool {
    let (outcome, n) = search(&prepare(s), limit);
    *explored += n;
    matches!(outcome, Outcome::Violation(_))
}

/// Removes `s[r]` except the failing op `keep`, writes whose value a remaining read returned,
/// and (if `reads_only`) all writes.
fn without(s: &[Iv], r: Range<usize>, keep: usize, reads_only: bool) -> Option<Vec<Iv>> {
    let gone = |j: usize| r.contains(&j) && s[j].idx != keep && !(reads_only && s[j].write);
    let mut read_vals: Vec<u64> = s
        .iter()
        .enumerate()
        .filter(|&(j, x)| !x.write && !gone(j))
        .map(|(_, x)| x.value)
        .collect();
    crate::sim::compact::sort(&mut read_vals);
    let out: Vec<Iv> = s
        .iter()
        .enumerate()
        .filter(|&(j, x)| !gone(j) || (x.write && read_vals.binary_search(&x.value).is_ok()))
        .map(|(_, x)| *x)
        .collect();
    (out.len() < s.len()).then_some(out)
}

/// Shrinks the failing prefix to 1-minimal evidence (see module docs). Returns input indices.
pub(super) fn shrink(ivs: &[Iv], fail: usize, limit: u64) -> (Vec<usize>, u64) {
    let f = ivs[fail];
    let t = f.ret.unwrap_or(u64::MAX);
    // The prefix follows the search's event order, not time alone: responses at the same instant
    // as F's are ordered by (call, index), and those after F's count as not yet received. With
    // time alone, a read answered at F's instant could itself be a violation, and the evidence
    // would keep F although it no longer needed it (not 1-minimal).
    let before_f = |j: usize, iv: &Iv, r: u64| r < t || (r == t && (iv.call, j) < (f.call, fail));
    let mut s: Vec<Iv> = ivs
        .iter()
        .enumerate()
        .filter_map(|(j, iv)| match iv.ret {
            _ if j == fail => Some(*iv),
            Some(r) if before_f(j, iv, r) => Some(*iv),
            _ if iv.write && iv.call <= t => Some(Iv { ret: None, ..*iv }),
            _ => None,
        })
        .collect();
    let mut explored = 0;
    // Violations are nearly always local: first keep only the last k ops (plus the writes
    // their reads need) for k = 16, 32, ..., so later checks run on small sub-histories.
    let mut k = 16;
    loop {
        if k >= s.len() {
            if !fails(&s, limit, &mut explored) {
                return (vec![f.idx], explored); // not expected; report at least the failing read
            }
            break;
        }
        if let Some(c) = without(&s, 0..s.len() - k, f.idx, false) {
            if fails(&c, limit, &mut explored) {
                s = c;
                break;
            }
        }
        k *= 2;
    }
    // Reads first: this favours the simplest story (a stale read needs no other read).
    for reads_only in [true, false] {
        let mut chunk = s.len().div_ceil(2).max(1);
        loop {
            let (mut i, mut changed) = (0, false);
            while i < s.len() {
                let end = (i + chunk).min(s.len());
                if let Some(c) = without(&s, i..end, f.idx, reads_only) {
                    if fails(&c, limit, &mut explored) {
                        s = c;
                        changed = true;
                        continue;
                    }
                }
                i = end;
            }
            if chunk > 1 {
                chunk = chunk.div_ceil(2);
            } else if !changed {
                break;
            }
        }
    }
    let mut out: Vec<usize> = s.iter().map(|x| x.idx).collect();
    crate::sim::compact::sort(&mut out);
    (out, explored)
}
