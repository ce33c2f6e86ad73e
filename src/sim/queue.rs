//! The event queue: a min-heap on (time, insertion sequence), so ties break in insertion order.
//!
//! Events live in a slab; the heap orders 16-byte keys: time in the high 64 bits, then the
//! insertion sequence, then the slot, packed in one `u128` so a comparison is one integer compare.
//! Sifting moves keys, never the events themselves, however large a scenario's messages are.

use super::time::Time;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Bits of the packed key that hold the slot index (so at most 16.7 million pending events).
const SLOT_BITS: u32 = 24;
const SLOT_MASK: u64 = (1 << SLOT_BITS) - 1;

/// Pending events, earliest first; equal times come out in the order they went in.
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<u128>>,
    slots: Vec<Option<E>>,
    free: Vec<u32>,
    seq: u64,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        EventQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            seq: 0,
        }
    }
}

impl<E> EventQueue<E> {
    /// Schedule `event` at `time`. Returns false (and drops it) only if 16.7 million events are
    /// already pending, a bound no scenario comes near.
    pub fn push(&mut self, time: Time, event: E) -> bool {
        let slot = match self.free.pop() {
            Some(s) => {
                if let Some(cell) = self.slots.get_mut(s as usize) {
                    *cell = Some(event);
                }
                s as u64
            }
            None if (self.slots.len() as u64) < SLOT_MASK => {
                self.slots.push(Some(event));
                self.slots.len() as u64 - 1
            }
            None => return false,
        };
        let key = (self.seq << SLOT_BITS) | slot;
        self.seq += 1;
        self.heap
            .push(Reverse((time.0 as u128) << 64 | key as u128));
        true
    }

    /// Remove and return the earliest event.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let Reverse(packed) = self.heap.pop()?;
        let slot = (packed as u64 & SLOT_MASK) as u32;
        let event = self.slots.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        Some((Time((packed >> 64) as u64), event))
    }

    /// Time of the earliest event.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|Reverse(p)| Time((p >> 64) as u64))
    }

    /// Pending events.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Every pending event with its time, in no particular order (for snapshots).
    pub fn iter(&self) -> impl Iterator<Item = (Time, &E)> {
        self.heap.iter().filter_map(|Reverse(p)| {
            let e = self.slots.get((*p as u64 & SLOT_MASK) as usize)?.as_ref()?;
            Some((Time((p >> 64) as u64), e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first_and_ties_in_insertion_order() {
        let mut q = EventQueue::default();
        q.push(Time(5), "c");
        q.push(Time(1), "a");
        q.push(Time(5), "d");
        q.push(Time(1), "b");
        q.push(Time(3), "x");
        assert_eq!(q.len(), 5);
        assert_eq!(q.peek_time(), Some(Time(1)));
        assert_eq!(q.iter().count(), 5);
        let order: Vec<&str> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, ["a", "b", "x", "c", "d"]);
        assert!(q.is_empty());
    }

    #[test]
    fn slots_are_reused_and_order_survives_reuse() {
        let mut q = EventQueue::default();
        for i in 0..1000u64 {
            q.push(Time(i % 7), i);
            if i % 3 == 0 {
                q.pop();
            }
        }
        assert!(q.slots.len() <= 700, "slots reused: {}", q.slots.len());
        let mut last = (Time(0), 0);
        let mut n = 0;
        while let Some((t, _)) = q.pop() {
            assert!(t >= last.0);
            last = (t, n);
            n += 1;
        }
        assert_eq!(n, 1000 - 334);
    }
}
