//! The cache scenario's messages and timers, with the labels the trace and the view use.

use crate::sim::engine::Label;
use crate::sim::topology::NodeId;

/// Messages. `req` is a client request's id; `tag` names a database query or a fill; `lease`
/// is a coalescing token (0: none); `ver` is a value's version (0: the initial value).
#[derive(Clone, Copy, Debug)]
pub enum Msg {
    Get {
        req: u64,
        key: u32,
        user: u32,
    },
    Put {
        req: u64,
        key: u32,
        user: u32,
    },
    Reply {
        req: u64,
        user: u32,
        ver: u64,
        ok: bool,
    },
    CacheGet {
        req: u64,
        key: u32,
    },
    Hit {
        req: u64,
        ver: u64,
    },
    Miss {
        req: u64,
        lease: u64,
    },
    Set {
        key: u32,
        ver: u64,
        lease: u64,
    },
    Delete {
        key: u32,
    },
    CacheWrite {
        req: u64,
        key: u32,
        ver: u64,
    },
    CacheAck {
        req: u64,
    },
    Invalidate {
        key: u32,
    },
    DbRead {
        tag: u64,
        key: u32,
    },
    DbValue {
        tag: u64,
        key: u32,
        ver: u64,
    },
    /// `count`: acknowledged writes it carries; `epoch`: the cache process that flushed it (0: an app).
    DbWrite {
        tag: u64,
        key: u32,
        ver: u64,
        count: u32,
        epoch: u32,
    },
    /// A write-behind batch (rows kept in `CacheModel::batches` under `tag`); `epoch`: the cache
    /// process that flushed it.
    DbFlush {
        tag: u64,
        rows: u32,
        epoch: u32,
    },
    DbAck {
        tag: u64,
        key: u32,
        ver: u64,
    },
}

impl Label for Msg {
    fn label(&self) -> &'static str {
        match self {
            Msg::Get { .. } => "get",
            Msg::Put { .. } => "put",
            Msg::Reply { .. } => "reply",
            Msg::CacheGet { .. } => "cache-get",
            Msg::Hit { .. } => "hit",
            Msg::Miss { .. } => "miss",
            Msg::Set { .. } => "set",
            Msg::Delete { .. } => "delete",
            Msg::CacheWrite { .. } => "cache-write",
            Msg::CacheAck { .. } => "cache-ack",
            Msg::Invalidate { .. } => "invalidate",
            Msg::DbRead { .. } => "db-read",
            Msg::DbValue { .. } => "db-value",
            Msg::DbWrite { .. } => "db-write",
            Msg::DbFlush { .. } => "db-flush",
            Msg::DbAck { .. } => "db-ack",
        }
    }
    fn id(&self) -> u64 {
        match *self {
            Msg::Get { req, .. } | Msg::Put { req, .. } | Msg::Reply { req, .. } => req,
            Msg::CacheGet { req, .. } | Msg::Hit { req, .. } | Msg::Miss { req, .. } => req,
            Msg::CacheWrite { req, .. } | Msg::CacheAck { req } => req,
            Msg::DbRead { tag, .. } | Msg::DbValue { tag, .. } => tag,
            Msg::DbWrite { tag, .. } | Msg::DbAck { tag, .. } | Msg::DbFlush { tag, .. } => tag,
            Msg::Set { key, .. } | Msg::Delete { key } | Msg::Invalidate { key } => key as u64,
        }
    }
}

/// A database query being served.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub from: NodeId,
    pub tag: u64,
    pub key: u32,
    /// `Some(version)` for a write.
    pub write: Option<u64>,
    /// Rows of a write-behind batch (0: not a batch).
    pub rows: u32,
}

/// Timers.
#[derive(Clone, Copy, Debug)]
pub enum Timer {
    /// A client starts its loop.
    Start { user: u32 },
    /// Check every timeout.
    Tick,
    /// The database finishes a query (`epoch`: the database process that started it).
    DbDone { job: Job, epoch: u32 },
    /// A coalescing lease or a cache fill gives up.
    LeaseEnd { tag: u64 },
    /// Write-behind flush (`epoch`: the cache process that armed it).
    Flush { epoch: u32 },
    /// `crash_at_ms` has come.
    CrashAt,
}

impl Label for Timer {
    fn label(&self) -> &'static str {
        match self {
            Timer::Start { .. } => "start",
            Timer::Tick => "timeouts",
            Timer::DbDone { .. } => "query done",
            Timer::LeaseEnd { .. } => "lease end",
            Timer::Flush { .. } => "flush",
            Timer::CrashAt => "cache crash",
        }
    }
    fn id(&self) -> u64 {
        match self {
            Timer::DbDone { job, .. } => job.tag,
            Timer::LeaseEnd { tag } => *tag,
            _ => 0,
        }
    }
}
