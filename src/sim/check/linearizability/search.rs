//! Wing & Gong's backtracking search with Lowe's just-in-time linearization and memoization
//! (as in Porcupine), over one key's operations; see the parent module for the refinements.

use super::items::{FxBuild, Item};
use std::collections::{HashMap, HashSet};

pub(super) enum Outcome {
    Linearizable,
    /// `src` of the operation whose response could never be reached.
    Violation(usize),
    GaveUp,
}

const NIL: u32 = u32::MAX;

/// Set of linearized ids, with `p` = length of the all-ones prefix.
struct Bits {
    w: Vec<u64>,
    p: usize,
    count: usize,
}

impl Bits {
    fn set(&mut self, i: usize) {
        self.w[i / 64] |= 1 << (i % 64);
        self.count += 1;
        if i != self.p {
            return;
        }
        while self.p / 64 < self.w.len() {
            let shift = self.p % 64;
            let ones = (self.w[self.p / 64] >> shift).trailing_ones() as usize;
            self.p += ones;
            if ones < 64 - shift {
                break;
            }
        }
    }
    fn get(&self, i: usize) -> bool {
        self.w[i / 64] >> (i % 64) & 1 == 1
    }
    fn clear(&mut self, i: usize) {
        self.w[i / 64] &= !(1 << (i % 64));
        self.count -= 1;
        self.p = self.p.min(i);
    }
    /// Memo key: `[p, value_lo, value_hi, ids >= p that are set...]`.
    fn key(&self, value: u64, out: &mut Vec<u32>) {
        out.clear();
        out.extend([self.p as u32, value as u32, (value >> 32) as u32]);
        let mut need = self.count.saturating_sub(self.p);
        let mut wi = self.p / 64;
        let mut word = self.w.get(wi).copied().unwrap_or(0) & (!0u64 << (self.p % 64));
        while need > 0 {
            if word == 0 {
                wi += 1;
                match self.w.get(wi) {
                    Some(&x) => word = x,
                    None => break,
                }
                continue;
            }
            out.push((wi * 64) as u32 + word.trailing_zeros());
            word &= word - 1;
            need -= 1;
        }
    }
}

struct Search<'a> {
    it: Vec<&'a Item>, // by id (= rank in return order)
    node_id: Vec<u32>, // event node -> id
    is_ret: Vec<bool>,
    call_node: Vec<u32>,
    ret_node: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    lin: Bits,
    memo: HashSet<Box<[u32]>, FxBuild>,
    key: Vec<u32>,
    stack: Vec<(u32, u64, u32, bool)>, // (id, value and slot before it, was a forced read)
    state: u64,
    /// Values that some read returned get a slot: the ids of those reads, and whether the
    /// value has exactly one source (one write, or the initial 0 with no write of 0).
    slot: Vec<u32>, // by id: slot of the op's value, or NIL
    readers: Vec<Vec<u32>>,
    unique: Vec<bool>,
    state_slot: u32,
    deepest: usize, // furthest return node reached (all earlier returns passed)
    explored: u64,
    limit: u64,
}

enum Step {
    New,
    Seen,
    Limit,
}

impl Search<'_> {
    fn unlink(&mut self, n: u32) {
        let (p, x) = (self.prev[n as usize], self.next[n as usize]);
        self.next[p as usize] = x;
        if x != NIL {
            self.prev[x as usize] = p;
        }
    }
    fn relink(&mut self, n: u32) {
        let (p, x) = (self.prev[n as usize], self.next[n as usize]);
        self.next[p as usize] = n;
        if x != NIL {
            self.prev[x as usize] = n;
        }
    }
    /// Linearizes `id` next, leading to register value `value`, unless that configuration was seen.
    fn push(&mut self, id: usize, value: u64, forced: bool) -> Step {
        let cs = self.state_slot as usize;
        if self.it[id].write && self.state_slot != NIL && self.unique[cs] {
            // Overwriting the only source of a value that a read still needs kills that read.
            // Prune only if the read responds no later than the deepest return already reached:
            // the branch could not get further than that, so `deepest` stays exact.
            let lin = &self.lin;
            let (ret_node, deepest) = (&self.ret_node, self.deepest);
            if self.readers[cs]
                .iter()
                .any(|&r| !lin.get(r as usize) && ret_node[r as usize] as usize <= deepest)
            {
                return Step::Seen;
            }
        }
        self.lin.set(id);
        self.lin.key(value, &mut self.key);
        if self.memo.contains(self.key.as_slice()) {
            self.lin.clear(id);
            return Step::Seen;
        }
        if self.explored >= self.limit {
            return Step::Limit;
        }
        self.memo.insert(self.key.clone().into_boxed_slice());
        self.explored += 1;
        self.stack
            .push((id as u32, self.state, self.state_slot, forced));
        self.state = value;
        if self.it[id].write {
            self.state_slot = self.slot[id];
        }
        self.unlink(self.call_node[id]);
        self.unlink(self.ret_node[id]);
        Step::New
    }
    /// Undoes the last branching choice; returns the event node to try next, `None` if exhausted.
    /// Forced reads are undone transitively: if the state after one is dead, so is the state before.
    fn backtrack(&mut self) -> Option<u32> {
        while let Some((id, value, slot, forced)) = self.stack.pop() {
            let id = id as usize;
            self.lin.clear(id);
            self.state = value;
            self.state_slot = slot;
            self.relink(self.ret_node[id]);
            self.relink(self.call_node[id]);
            if !forced {
                return Some(self.next[self.call_node[id] as usize]);
            }
        }
        None
    }
}

pub(super) fn search(items: &[Item], limit: u64) -> (Outcome, u64) {
    let n = items.len();
    let mut order: Vec<usize> = (0..n).collect();
    crate::sim::compact::sort_by_key(&mut order, |&i| (items[i].ret, items[i].call, i)); // keys are unique
    let it: Vec<&Item> = order.iter().map(|&i| &items[i]).collect();
    let mut ev: Vec<(u64, bool, u32)> = Vec::with_capacity(2 * n);
    for (id, x) in it.iter().enumerate() {
        ev.push((x.call, false, id as u32));
        ev.push((x.ret, true, id as u32));
    }
    crate::sim::compact::sort(&mut ev); // calls (false) before returns (true) at equal times
    let head = ev.len();
    let mut slots: HashMap<u64, u32, FxBuild> = HashMap::default();
    let (mut readers, mut sources) = (Vec::<Vec<u32>>::new(), Vec::<u32>::new());
    for (id, x) in it.iter().enumerate().filter(|(_, x)| !x.write) {
        let k = *slots.entry(x.value).or_insert_with(|| {
            readers.push(Vec::new());
            sources.push(u32::from(x.value == 0));
            readers.len() as u32 - 1
        });
        readers[k as usize].push(id as u32);
    }
    let slot: Vec<u32> = it
        .iter()
        .map(|x| slots.get(&x.value).copied().unwrap_or(NIL))
        .collect();
    for (x, &k) in it.iter().zip(&slot) {
        if x.write && k != NIL {
            sources[k as usize] += 1;
        }
    }
    let mut s = Search {
        it,
        node_id: ev.iter().map(|e| e.2).collect(),
        is_ret: ev.iter().map(|e| e.1).collect(),
        call_node: vec![0; n],
        ret_node: vec![0; n],
        next: vec![NIL; head + 1],
        prev: vec![NIL; head + 1],
        lin: Bits {
            w: vec![0; n.div_ceil(64)],
            p: 0,
            count: 0,
        },
        memo: HashSet::default(),
        key: Vec::new(),
        stack: Vec::new(),
        state: 0,
        unique: sources.iter().map(|&c| c == 1).collect(),
        state_slot: slots.get(&0).copied().unwrap_or(NIL),
        slot,
        readers,
        deepest: 0,
        explored: 0,
        limit,
    };
    let mut last = head;
    for (k, &(_, is_ret, id)) in ev.iter().enumerate() {
        s.next[last] = k as u32;
        s.prev[k] = last as u32;
        last = k;
        if is_ret {
            s.ret_node[id as usize] = k as u32
        } else {
            s.call_node[id as usize] = k as u32
        }
    }
    'fresh: loop {
        let mut cur = s.next[head];
        if cur == NIL {
            return (Outcome::Linearizable, s.explored);
        }
        // A read that matches the current value is taken without branching.
        let mut c = cur;
        while c != NIL && !s.is_ret[c as usize] {
            let id = s.node_id[c as usize] as usize;
            if !s.it[id].write && s.it[id].value == s.state {
                match s.push(id, s.state, true) {
                    Step::New => continue 'fresh,
                    Step::Limit => return (Outcome::GaveUp, s.explored),
                    Step::Seen => match s.backtrack() {
                        Some(nx) => cur = nx,
                        None => break 'fresh,
                    },
                }
                break;
            }
            c = s.next[c as usize];
        }
        if c != NIL && s.is_ret[c as usize] {
            s.deepest = s.deepest.max(c as usize);
        }
        // Branch over the writes that may take effect next (non-matching reads cannot).
        loop {
            let node = cur as usize;
            if s.is_ret[node] {
                match s.backtrack() {
                    Some(nx) => cur = nx,
                    None => break 'fresh,
                }
                continue;
            }
            let id = s.node_id[node] as usize;
            if s.it[id].write {
                match s.push(id, s.it[id].value, false) {
                    Step::New => continue 'fresh,
                    Step::Limit => return (Outcome::GaveUp, s.explored),
                    Step::Seen => {}
                }
            }
            cur = s.next[node];
        }
    }
    let failing = s
        .node_id
        .get(s.deepest)
        .map_or(0, |&id| s.it[id as usize].src);
    (Outcome::Violation(failing), s.explored)
}
