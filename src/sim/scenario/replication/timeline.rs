//! The operations timeline as snapshots carry it: every recorded operation as a bar, kept in
//! chunks of `CHUNK` shared between snapshots (`Rc`). A snapshot copies a few hundred pointers
//! and rebuilds only the chunks in which an operation started or ended since the last one, so
//! the whole recorded history (up to 100,000 operations) stays browsable at a bounded cost per
//! frame. Which window of it to draw is the panel's business.

use super::history::{History, Meta, Status};
use crate::sim::check::linearizability::{Op, OpKind};
use std::cell::RefCell;
use std::rc::Rc;

/// Operations per shared chunk.
pub const CHUNK: usize = 128;

/// How an operation on the timeline ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarStatus {
    Ok,
    Failed,
    Pending,
}

/// One operation on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub id: u64,
    /// Client index (its lane).
    pub lane: u32,
    pub key: u32,
    pub write: bool,
    /// Value written, or value read (the newest of its versions).
    pub value: u64,
    pub call_ms: f64,
    /// Response or failure; equal to `call_ms` while pending (the panel draws it up to now).
    pub end_ms: f64,
    pub status: BarStatus,
    pub stale: bool,
    /// Versions a read returned (more than 1: siblings).
    pub siblings: u8,
}

/// The bar of operation `id`.
pub fn bar(id: u64, op: &Op, meta: &Meta) -> Bar {
    let (write, value) = match op.kind {
        OpKind::Write { value } => (true, value),
        OpKind::Read { value } => (false, value),
    };
    let status = match meta.status {
        Status::Ok => BarStatus::Ok,
        Status::Failed => BarStatus::Failed,
        Status::Pending => BarStatus::Pending,
    };
    let call_ms = op.call as f64 / 1000.0;
    Bar {
        id,
        lane: op.client,
        key: op.key,
        write,
        value,
        call_ms,
        end_ms: if status == BarStatus::Pending {
            call_ms
        } else {
            meta.end as f64 / 1000.0
        },
        status,
        stale: meta.stale,
        siblings: meta.siblings,
    }
}

/// Every recorded operation, oldest first, in shared chunks.
#[derive(Clone, Debug, Default)]
pub struct OpLog {
    chunks: Vec<Rc<[Bar]>>,
    len: usize,
}

/// Chunks are compared by pointer: a chunk is never changed once shared, only replaced.
impl PartialEq for OpLog {
    fn eq(&self, o: &OpLog) -> bool {
        self.len == o.len
            && self.chunks.len() == o.chunks.len()
            && self
                .chunks
                .iter()
                .zip(&o.chunks)
                .all(|(a, b)| Rc::ptr_eq(a, b))
    }
}

impl OpLog {
    /// Operations recorded.
    pub fn len(&self) -> usize {
        self.len
    }
    /// None recorded yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Operation `id`'s bar.
    pub fn get(&self, id: usize) -> Option<&Bar> {
        self.chunks.get(id / CHUNK)?.get(id % CHUNK)
    }
    /// Do both logs share chunk `c` (the same allocation)?
    pub fn same_chunk(&self, o: &OpLog, c: usize) -> bool {
        matches!((self.chunks.get(c), o.chunks.get(c)), (Some(a), Some(b)) if Rc::ptr_eq(a, b))
    }
    /// The bars of operations `start..end` (clamped to what is recorded).
    pub fn window(&self, start: usize, end: usize) -> impl Iterator<Item = &Bar> {
        (start..end.min(self.len)).filter_map(|i| self.get(i))
    }
}

/// The model's side: the chunks built so far, with what each was built from (ended operations
/// and operations invoked in it), so an unchanged chunk is shared, not rebuilt.
#[derive(Default)]
pub struct TimelineCache(RefCell<Vec<Built>>);

/// A built chunk: (operations ended in it, operations invoked in it, its bars).
type Built = (u32, u32, Rc<[Bar]>);

impl TimelineCache {
    /// The log of every recorded operation, rebuilding only the chunks that changed.
    pub fn log(&self, h: &History) -> OpLog {
        let mut cache = self.0.borrow_mut();
        let len = h.ops.len();
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        for c in 0..len.div_ceil(CHUNK) {
            let range = c * CHUNK..((c + 1) * CHUNK).min(len);
            let stamp = (h.ended_in_chunk(c), range.len() as u32);
            match cache.get(c) {
                Some((e, n, rc)) if (*e, *n) == stamp => chunks.push(rc.clone()),
                _ => {
                    let bars: Rc<[Bar]> = range
                        .filter_map(|i| Some(bar(i as u64, h.ops.get(i)?, h.meta.get(i)?)))
                        .collect();
                    let entry = (stamp.0, stamp.1, bars.clone());
                    match cache.get_mut(c) {
                        Some(slot) => *slot = entry,
                        None => cache.push(entry),
                    }
                    chunks.push(bars);
                }
            }
        }
        OpLog { chunks, len }
    }
}
