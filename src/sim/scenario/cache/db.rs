//! The database node: durable values (a version per key), a FIFO queue and `DB_WORKERS`
//! workers, each query taking `DB_QUERY_MS` on average. It counts its concurrent reads.

use super::msg::{Job, Msg, Timer};
use super::proto::CacheModel;
use super::{DB_QUERY_MS, DB_ROW_MS, DB_WORKERS};
use crate::sim::engine::Ctx;
use crate::sim::time::Time;
use crate::sim::topology::NodeId;
use std::collections::VecDeque;

/// The database: durable values, a queue and `DB_WORKERS` workers.
#[derive(Clone, Debug)]
pub struct Db {
    pub ver: Vec<u64>,
    pub queue: VecDeque<Job>,
    pub busy: u32,
    /// Reads queued or being served right now.
    pub reads_now: u32,
    pub epoch: u32,
    /// Peak of `reads_now` in the current and the previous second.
    pub peak_now: (u64, u32, u32),
}

impl Db {
    /// A database holding version 0 of every key.
    pub fn new(keys: u32) -> Db {
        Db {
            ver: vec![0; keys as usize],
            queue: VecDeque::new(),
            busy: 0,
            reads_now: 0,
            epoch: 1,
            peak_now: (0, 0, 0),
        }
    }

    /// A crash: queued and running queries are gone; committed values stay.
    pub fn crash(&mut self) {
        self.queue.clear();
        self.busy = 0;
        self.reads_now = 0;
        self.epoch += 1;
    }

    /// Highest concurrent reads in the last second or so.
    pub fn recent_peak(&self, now: Time) -> u32 {
        let sec = now.0 / 1_000_000;
        let (s, cur, prev) = self.peak_now;
        match sec.saturating_sub(s) {
            0 => cur.max(prev),
            1 => cur,
            _ => 0,
        }
    }

    fn track(&mut self, now: Time) {
        let sec = now.0 / 1_000_000;
        let (s, cur, _) = self.peak_now;
        if sec != s {
            let prev = if sec == s + 1 { cur } else { 0 };
            self.peak_now = (sec, 0, prev);
        }
        self.peak_now.1 = self.peak_now.1.max(self.reads_now);
    }
}

impl CacheModel {
    pub(super) fn at_db(&mut self, ctx: &mut Ctx<Msg, Timer>, from: NodeId, msg: Msg) {
        let job = match msg {
            Msg::DbRead { tag, key } => {
                self.stats.db_reads += 1;
                self.db.reads_now += 1;
                self.stats.db_peak = self.stats.db_peak.max(self.db.reads_now);
                self.db.track(ctx.now);
                Job {
                    from,
                    tag,
                    key,
                    write: None,
                    rows: 0,
                }
            }
            Msg::DbWrite { tag, key, ver, .. } => Job {
                from,
                tag,
                key,
                write: Some(ver),
                rows: 0,
            },
            Msg::DbFlush { tag, rows, .. } => Job {
                from,
                tag,
                key: 0,
                write: None,
                rows,
            },
            _ => return,
        };
        self.db.queue.push_back(job);
        self.pump(ctx);
    }

    fn pump(&mut self, ctx: &mut Ctx<Msg, Timer>) {
        while self.db.busy < DB_WORKERS {
            let Some(job) = self.db.queue.pop_front() else {
                break;
            };
            self.db.busy += 1;
            let mean = DB_QUERY_MS * 1000.0;
            // A batch is one multi-row statement: one query plus a little per row.
            let rows = job.rows as f64 * DB_ROW_MS * 1000.0;
            let us = (ctx.rng.uniform(0.5 * mean, 1.5 * mean) + rows) as u64;
            ctx.timer(
                Some(self.nodes.db),
                us.max(1),
                Timer::DbDone {
                    job,
                    epoch: self.db.epoch,
                },
            );
        }
    }

    pub(super) fn db_done(&mut self, ctx: &mut Ctx<Msg, Timer>, job: Job, epoch: u32) {
        if epoch != self.db.epoch {
            return;
        }
        self.db.busy = self.db.busy.saturating_sub(1);
        let me = self.nodes.db;
        let Some(cur) = self.db.ver.get(job.key as usize).copied() else {
            return;
        };
        if job.rows > 0 {
            self.commit_batch(job.tag);
            ctx.send(
                me,
                job.from,
                Msg::DbAck {
                    tag: job.tag,
                    key: 0,
                    ver: 0,
                },
            );
            return self.pump(ctx);
        }
        match job.write {
            None => {
                self.db.reads_now = self.db.reads_now.saturating_sub(1);
                self.db.track(ctx.now);
                ctx.send(
                    me,
                    job.from,
                    Msg::DbValue {
                        tag: job.tag,
                        key: job.key,
                        ver: cur,
                    },
                );
            }
            Some(ver) => {
                self.stats.db_writes += 1;
                if let Some(v) = self.db.ver.get_mut(job.key as usize) {
                    *v = cur.max(ver);
                }
                self.witness(job.key, ver);
                ctx.send(
                    me,
                    job.from,
                    Msg::DbAck {
                        tag: job.tag,
                        key: job.key,
                        ver,
                    },
                );
            }
        }
        self.pump(ctx);
    }

    /// Commit a write-behind batch's rows (a repeated delivery finds it gone: nothing to do).
    fn commit_batch(&mut self, tag: u64) {
        for (key, ver, _) in self.batches.remove(&tag).unwrap_or_default() {
            self.stats.db_writes += 1;
            if let Some(v) = self.db.ver.get_mut(key as usize) {
                *v = (*v).max(ver);
            }
            self.witness(key, ver);
        }
    }
}
