//! History generator shared by the integration tests and `examples/bench.rs`.
#![allow(dead_code)]

use systems_sandbox::sim::check::linearizability::{Op, OpKind};

/// splitmix64: tiny deterministic PRNG.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub struct Cfg {
    pub clients: u32,
    pub keys: u32,
    pub ops: usize,
    pub write_pct: u64,
    /// Percentage of operations that never get a response.
    pub timeout_pct: u64,
    pub seed: u64,
}

impl Cfg {
    pub fn new(clients: u32, ops: usize, seed: u64) -> Cfg {
        Cfg {
            clients,
            keys: 1,
            ops,
            write_pct: 50,
            timeout_pct: 0,
            seed,
        }
    }
}

/// Simulates a correct atomic register per key: each client issues operations back to back;
/// every operation takes effect at a random instant between its call and its response, so
/// the history is linearizable by construction. Ops without a response (timeouts) take
/// effect with probability 1/2 (writes) and the client moves on after a timeout.
pub fn generate(cfg: &Cfg) -> Vec<Op> {
    let mut rng = Rng(cfg.seed);
    let mut next_call: Vec<u64> = (0..cfg.clients).map(|_| rng.below(50)).collect();
    let mut raw: Vec<(Op, Option<u64>)> = Vec::with_capacity(cfg.ops); // (op, effect instant)
    for _ in 0..cfg.ops {
        let c = (0..cfg.clients as usize)
            .min_by_key(|&c| (next_call[c], c))
            .unwrap_or(0);
        let call = next_call[c];
        let effect = call + rng.below(100);
        let ret = effect + rng.below(100);
        let write = rng.below(100) < cfg.write_pct;
        let key = rng.below(u64::from(cfg.keys)) as u32;
        let kind = if write {
            OpKind::Write { value: 0 }
        } else {
            OpKind::Read { value: 0 }
        };
        let mut op = Op {
            client: c as u32,
            key,
            call,
            ret: Some(ret),
            kind,
        };
        let mut eff = Some(effect);
        if rng.below(100) < cfg.timeout_pct {
            op.ret = None;
            if !write || rng.below(2) == 0 {
                eff = None;
            }
            next_call[c] = call + 300;
        } else {
            next_call[c] = ret + rng.below(3); // gap 0 gives equal (concurrent) timestamps
        }
        raw.push((op, eff));
    }
    let mut by_effect: Vec<usize> = (0..raw.len()).filter(|&i| raw[i].1.is_some()).collect();
    by_effect.sort_by_key(|&i| (raw[i].1, i));
    let mut current = vec![0u64; cfg.keys as usize];
    let mut next_value = 1;
    for i in by_effect {
        let k = raw[i].0.key as usize;
        match &mut raw[i].0.kind {
            OpKind::Write { value } => {
                *value = next_value;
                current[k] = next_value;
                next_value += 1;
            }
            OpKind::Read { value } => *value = current[k],
        }
    }
    for (op, eff) in raw.iter_mut() {
        if eff.is_none() {
            match &mut op.kind {
                OpKind::Write { value } => {
                    *value = next_value; // never took effect: nobody reads it
                    next_value += 1;
                }
                OpKind::Read { value } => *value = 999_999_999, // no response: must be ignored
            }
        }
    }
    raw.into_iter().map(|(op, _)| op).collect()
}

fn is_completed_write(op: &Op) -> bool {
    matches!(op.kind, OpKind::Write { .. }) && op.ret.is_some()
}

/// Makes one completed read at or after position `from` return a stale value: the value of a
/// completed write `old` that finished before another completed write `new` began, which in
/// turn finished before the read began. Guaranteed non-linearizable. Returns (read, old, new).
pub fn make_stale(h: &mut [Op], from: usize) -> Option<(usize, usize, usize)> {
    for r in from..h.len() {
        let OpKind::Read { value: rv } = h[r].kind else {
            continue;
        };
        if h[r].ret.is_none() {
            continue;
        }
        let key = h[r].key;
        let done_before =
            |a: &Op, t: u64| a.key == key && is_completed_write(a) && a.ret.is_some_and(|x| x < t);
        let Some(new) = (0..h.len())
            .filter(|&w| done_before(&h[w], h[r].call))
            .max_by_key(|&w| h[w].ret)
        else {
            continue;
        };
        let old = (0..h.len())
            .filter(|&w| done_before(&h[w], h[new].call))
            .filter(|&w| !matches!(h[w].kind, OpKind::Write { value } if value == rv))
            .max_by_key(|&w| h[w].ret);
        if let Some(old) = old {
            let OpKind::Write { value } = h[old].kind else {
                continue;
            };
            h[r].kind = OpKind::Read { value };
            return Some((r, old, new));
        }
    }
    None
}

/// Reference checker by exhaustive enumeration of orders (tiny histories only).
pub fn brute(h: &[Op]) -> bool {
    let mut keys: Vec<u32> = h.iter().map(|o| o.key).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter().all(|k| {
        let ops: Vec<&Op> = h
            .iter()
            .filter(|o| o.key == k && (o.ret.is_some() || matches!(o.kind, OpKind::Write { .. })))
            .collect();
        fn go(ops: &[&Op], used: &mut Vec<bool>, val: u64) -> bool {
            if (0..ops.len()).all(|i| used[i] || ops[i].ret.is_none()) {
                return true;
            }
            for i in 0..ops.len() {
                let blocked = (0..ops.len())
                    .any(|j| !used[j] && j != i && ops[j].ret.is_some_and(|t| t < ops[i].call));
                if used[i] || blocked {
                    continue;
                }
                let next = match ops[i].kind {
                    OpKind::Write { value } => value,
                    OpKind::Read { value } if value == val => val,
                    OpKind::Read { .. } => continue,
                };
                used[i] = true;
                let ok = go(ops, used, next);
                used[i] = false;
                if ok {
                    return true;
                }
            }
            false
        }
        go(&ops, &mut vec![false; ops.len()], 0)
    })
}

pub fn subset(h: &[Op], idx: &[usize]) -> Vec<Op> {
    idx.iter().map(|&i| h[i].clone()).collect()
}
