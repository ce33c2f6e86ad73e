//! What the replication widget draws beyond the topology: each replica's versions, every
//! recorded operation for the timeline (shared chunks, see `timeline`), and the checker's
//! verdict with the operations that prove a violation. Plain data, built from the model on each
//! snapshot.

use super::config::{Mode, Scheme};
use super::history::Status;
use super::timeline::{bar, Bar, OpLog};
use super::versions::{Conflict, Sibs};
use super::Replication;
use crate::sim::check::linearizability::{Decision, OpKind};
use crate::sim::num_fmt::Fixed;
use crate::sim::snapshot::Snapshot;

/// Operations the client labels look back over.
const LABEL_LOOKBACK: usize = 120;
/// Keys listed per replica in the panel (the rest are counted).
const KEYS_SHOWN: usize = 4;

/// One replica's state.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplicaRow {
    pub name: String,
    pub up: bool,
    pub leader: bool,
    /// One line per key shown: value(s), timestamp and version vector.
    pub keys: Vec<String>,
    /// Keys not shown.
    pub more_keys: u32,
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
    /// Simulated time of the snapshot (pending operations run up to it).
    pub now_ms: f64,
    /// Every recorded operation, oldest first.
    pub log: OpLog,
    /// Operations invoked so far, recorded or not.
    pub invoked: u64,
    pub decision: Decision,
    /// Operations the verdict covers.
    pub checked: u64,
    pub ended: u64,
    /// States the checker explored for this verdict.
    pub explored: u64,
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
        .take(LABEL_LOOKBACK)
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
    let evidence: Vec<Bar> = verdict
        .culprits
        .iter()
        .filter_map(|&i| Some(bar(i as u64, m.hist.ops.get(i)?, m.hist.meta.get(i)?)))
        .collect();
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
            more_keys: r.store.len().saturating_sub(KEYS_SHOWN) as u32,
            hints: r.hints.len() as u32,
        })
        .collect();
    let (quorum, overlap) = quorum_text(m);
    ReplicationView {
        quorum,
        overlap,
        setting: setting(m),
        replicas,
        lanes: (0..m.clients.len()).map(|i| format!("c{i}")).collect(),
        now_ms: snap.now.as_ms(),
        log: m.timeline.log(&m.hist),
        invoked: m.issued,
        decision: verdict.decision,
        checked: m.hist.checked() as u64,
        ended: m.hist.ended() as u64,
        explored: verdict.explored,
        explanation: verdict.explanation,
        evidence,
        partitioned: m.partitioned,
    }
}

fn setting(m: &Replication) -> String {
    let mode = if m.cfg.mode == Mode::Ap { "AP" } else { "CP" };
    let scheme = if m.cfg.scheme == Scheme::Leader {
        "leader and followers"
    } else {
        "leaderless quorums"
    };
    let conflict = if m.cfg.conflict == Conflict::Vv {
        "version vectors"
    } else {
        "last writer wins"
    };
    format!("{mode} · {scheme} · {conflict}")
}
