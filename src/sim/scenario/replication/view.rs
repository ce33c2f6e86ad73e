//! What the replication widget draws beyond the topology: each replica's versions, a timeline
//! of the latest operations (one lane per client), and the checker's verdict with the
//! operations that prove a violation. Plain data, built from the model on each snapshot.

use super::config::{Mode, Scheme};
use super::history::Status;
use super::versions::{Conflict, Sibs};
use super::Replication;
use crate::sim::check::linearizability::OpKind;
use crate::sim::num_fmt::Fixed;
use crate::sim::snapshot::Snapshot;

/// Operations the timeline keeps (the latest ones).
pub const WINDOW: usize = 30;
/// Keys listed per replica in the panel.
const KEYS_SHOWN: usize = 4;

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
    /// End of the bar: response, failure, or now while pending.
    pub end_ms: f64,
    pub status: BarStatus,
    pub stale: bool,
    /// One of the operations that prove the history is not linearizable.
    pub culprit: bool,
    /// Versions a read returned (more than 1: siblings).
    pub siblings: u8,
}

/// One replica's state.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaRow {
    pub name: String,
    pub up: bool,
    pub leader: bool,
    /// One line per key shown: value(s), timestamp and version vector.
    pub keys: Vec<String>,
    /// Hinted handoffs it is holding for others.
    pub hints: u32,
}

/// The replication widget's extra view.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicationView {
    /// "R + W = 4 > N = 3: ..." in words.
    pub quorum: String,
    pub overlap: bool,
    /// "cp, quorum, lww"-style setting summary.
    pub setting: String,
    pub replicas: Vec<ReplicaRow>,
    pub lanes: Vec<String>,
    pub t0_ms: f64,
    pub t1_ms: f64,
    pub bars: Vec<Bar>,
    pub linearizable: bool,
    /// Operations the verdict covers.
    pub checked: u64,
    pub ended: u64,
    pub explanation: String,
    /// The evidence, in time order.
    pub evidence: Vec<Bar>,
    pub partitioned: bool,
}

fn versions(s: &Sibs, n: u32, vv: bool) -> String {
    let vals: Vec<String> = s.as_slice().iter().map(|x| x.value.to_string()).collect();
    let newest = s.newest();
    if !vv {
        return format!(
            "{} @ {} ms",
            vals.join(" | "),
            Fixed(newest.ts as f64 / 1000.0, 1)
        );
    }
    let vecs: Vec<String> = s
        .as_slice()
        .iter()
        .map(|x| {
            let e: Vec<String> = (0..n as usize).map(|i| x.vv.get(i).to_string()).collect();
            format!("[{}]", e.join(","))
        })
        .collect();
    format!("{} {}", vals.join(" | "), vecs.join(" "))
}

/// Short per-node labels: a replica's value of key 0, a client's last operation.
pub fn label_nodes(m: &Replication, snap: &mut Snapshot) {
    for node in &mut snap.nodes {
        let id = node.id;
        if let Some(r) = m.replicas.get(id as usize) {
            let s = r.store.first().copied().unwrap_or_default();
            let vals: Vec<String> = s.as_slice().iter().map(|x| x.value.to_string()).collect();
            let more = if m.cfg.keys > 1 { " …" } else { "" };
            let lead = if m.cfg.scheme == Scheme::Leader && id == 0 {
                "leader "
            } else {
                ""
            };
            node.label = format!(
                "{lead}x={}{more} t{}",
                vals.join("|"),
                Fixed(s.newest().ts as f64 / 1000.0, 0)
            );
        } else if let Some(i) = m.clients.iter().position(|c| c.node == id) {
            node.label = last_op(m, i as u32);
        }
    }
}

fn last_op(m: &Replication, lane: u32) -> String {
    let Some((i, op)) = m
        .hist
        .ops
        .iter()
        .enumerate()
        .rev()
        .take(WINDOW * 4)
        .find(|(_, o)| o.client == lane)
    else {
        return "idle".into();
    };
    let Some(meta) = m.hist.meta.get(i) else {
        return String::new();
    };
    let what = match op.kind {
        OpKind::Write { value } => format!("write {value}"),
        OpKind::Read { value } if meta.status == Status::Ok => format!("read {value}"),
        OpKind::Read { .. } => "read".into(),
    };
    let how = match meta.status {
        Status::Ok => "✓",
        Status::Failed => "✗ failed",
        Status::Pending => "…",
    };
    format!("{what} {how}")
}

fn bar(m: &Replication, i: usize, now_ms: f64, culprits: &[usize]) -> Option<Bar> {
    let (op, meta) = (m.hist.ops.get(i)?, m.hist.meta.get(i)?);
    let (write, value) = match op.kind {
        OpKind::Write { value } => (true, value),
        OpKind::Read { value } => (false, value),
    };
    let status = match meta.status {
        Status::Ok => BarStatus::Ok,
        Status::Failed => BarStatus::Failed,
        Status::Pending => BarStatus::Pending,
    };
    let end_ms = if status == BarStatus::Pending {
        now_ms
    } else {
        meta.end as f64 / 1000.0
    };
    Some(Bar {
        id: i as u64,
        lane: op.client,
        key: op.key,
        write,
        value,
        call_ms: op.call as f64 / 1000.0,
        end_ms,
        status,
        stale: meta.stale,
        culprit: culprits.contains(&i),
        siblings: meta.siblings,
    })
}

fn quorum_text(m: &Replication) -> (String, bool) {
    let c = &m.cfg;
    if c.scheme == Scheme::Leader {
        let how = if c.w <= 1 {
            "acknowledges at once (asynchronous)".to_string()
        } else {
            format!("waits for {} follower(s)", c.w - 1)
        };
        return (
            format!("One leader (r0) takes every write and {how}; N = {}.", c.n),
            false,
        );
    }
    let sum = c.r + c.w;
    let overlap = sum > c.n;
    let text = if overlap {
        format!(
            "R + W = {} + {} = {sum} > N = {}: every read quorum overlaps every write quorum.",
            c.r, c.w, c.n
        )
    } else {
        format!(
            "R + W = {} + {} = {sum} ≤ N = {}: a read quorum can miss the latest write.",
            c.r, c.w, c.n
        )
    };
    (text, overlap)
}

/// The extra view for the current state.
pub fn build(m: &Replication, snap: &Snapshot) -> ReplicationView {
    let verdict = m.hist.verdict(m.all_done());
    let now_ms = snap.now.as_ms();
    let len = m.hist.ops.len();
    let bars: Vec<Bar> = (len.saturating_sub(WINDOW)..len)
        .filter_map(|i| bar(m, i, now_ms, &verdict.culprits))
        .collect();
    let evidence: Vec<Bar> = verdict
        .culprits
        .iter()
        .filter_map(|&i| bar(m, i, now_ms, &verdict.culprits))
        .collect();
    let t0_ms = bars.first().map_or(0.0, |b| b.call_ms);
    let vv = m.cfg.conflict == Conflict::Vv;
    let replicas = m
        .replicas
        .iter()
        .enumerate()
        .map(|(i, r)| ReplicaRow {
            name: format!("r{i}"),
            up: snap.node(i as u32).is_none_or(|n| n.up),
            leader: m.cfg.scheme == Scheme::Leader && i == 0,
            keys: r
                .store
                .iter()
                .take(KEYS_SHOWN)
                .enumerate()
                .map(|(k, s)| format!("k{k} = {}", versions(s, m.cfg.n, vv)))
                .collect(),
            hints: r.hints.len() as u32,
        })
        .collect();
    let (quorum, overlap) = quorum_text(m);
    let mode = if m.cfg.mode == Mode::Ap { "AP" } else { "CP" };
    let scheme = if m.cfg.scheme == Scheme::Leader {
        "leader and followers"
    } else {
        "leaderless quorums"
    };
    let conflict = if vv {
        "version vectors"
    } else {
        "last writer wins"
    };
    ReplicationView {
        quorum,
        overlap,
        setting: format!("{mode} · {scheme} · {conflict}"),
        replicas,
        lanes: m
            .clients
            .iter()
            .enumerate()
            .map(|(i, _)| format!("c{i}"))
            .collect(),
        t0_ms,
        t1_ms: now_ms.max(t0_ms + 1.0),
        bars,
        linearizable: verdict.linearizable,
        checked: m.hist.checked() as u64,
        ended: m.hist.ended() as u64,
        explanation: verdict.explanation,
        evidence,
        partitioned: m.partitioned,
    }
}
