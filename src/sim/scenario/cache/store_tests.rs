//! Unit tests of the eviction structures.

use super::store::*;
use crate::sim::rng::SimRng;
use crate::sim::time::Time;

fn fill(st: &mut Store, keys: &[u32], rng: &mut SimRng) -> Vec<Option<u32>> {
    keys.iter()
        .map(|&k| {
            let _ = st.get(k, Time::ZERO);
            st.put(k, 1, Time::NEVER, Time::ZERO, rng)
        })
        .collect()
}

#[test]
fn lru_evicts_least_recent_and_fifo_oldest() {
    let mut r = SimRng::new(1);
    let mut lru = Store::new(Policy::Lru, 3, 10);
    fill(&mut lru, &[1, 2, 3], &mut r);
    assert_eq!(lru.get(1, Time::ZERO), Lookup::Hit(1));
    assert_eq!(fill(&mut lru, &[4], &mut r), vec![Some(2)]);
    let mut fifo = Store::new(Policy::Fifo, 3, 10);
    fill(&mut fifo, &[1, 2, 3], &mut r);
    assert_eq!(fifo.get(1, Time::ZERO), Lookup::Hit(1));
    assert_eq!(fill(&mut fifo, &[4], &mut r), vec![Some(1)]);
    assert_eq!(fifo.len(), 3);
}

#[test]
fn lfu_keeps_counts_across_evictions() {
    let mut r = SimRng::new(1);
    let mut st = Store::new(Policy::Lfu, 2, 10);
    fill(&mut st, &[1, 1, 1, 2, 2], &mut r);
    // 3 is new (count 1): it evicts 2 (count 2), not 1 (count 3).
    assert_eq!(fill(&mut st, &[3], &mut r), vec![Some(2)]);
    // 2 comes back with its history (count 3) and evicts 3 (count 1).
    assert_eq!(fill(&mut st, &[2], &mut r), vec![Some(3)]);
    assert!(st.peek(1).is_some() && st.peek(2).is_some());
}

#[test]
fn random_evicts_someone_and_slots_are_reused() {
    let mut r = SimRng::new(1);
    let mut st = Store::new(Policy::Random, 4, 100);
    fill(&mut st, &[0, 1, 2, 3], &mut r);
    let ev = fill(&mut st, &[50], &mut r);
    let victim = ev[0].unwrap();
    assert!(victim < 4);
    let slot = st.peek(50).unwrap();
    assert_eq!(slot.replaced, victim);
    assert_eq!(st.slots().count(), 4);
}

#[test]
fn expiry_remove_clear_and_policy_switch() {
    let mut r = SimRng::new(1);
    let mut st = Store::new(Policy::Lru, 3, 10);
    st.put(5, 7, Time(100), Time::ZERO, &mut r);
    assert_eq!(st.get(5, Time(99)), Lookup::Hit(7));
    assert_eq!(st.get(5, Time(100)), Lookup::Expired);
    assert_eq!(st.get(5, Time(100)), Lookup::Miss);
    fill(&mut st, &[1, 2], &mut r);
    assert!(st.remove(1));
    assert!(!st.remove(1));
    st.set_policy(Policy::Lfu);
    fill(&mut st, &[3, 4], &mut r);
    assert_eq!(st.len(), 3);
    st.clear();
    assert!(st.is_empty());
    assert_eq!(st.put(99, 1, Time::NEVER, Time::ZERO, &mut r), None);
    assert!(st.is_empty(), "out-of-range keys are ignored");
}
