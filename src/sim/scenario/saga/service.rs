//! A service that owns its data: inventory (stock), payment (charges) or shipping (shipments).
//! Per order it records how many times its effect was applied and undone, which is all the
//! invariants need; with idempotency on it also remembers each request it answered, so a
//! duplicate gets the same answer and no second effect, and an undo that arrives before its
//! step leaves a tombstone that refuses the late step. 2PC participants hold locks between
//! their yes vote and the decision.

use super::config::Step;
use super::msg::Op;
use crate::sim::compact::VecMap;
use crate::sim::time::Time;

/// What one service did for one order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Times the effect was applied (stock taken, card charged, shipment booked).
    pub applied: u16,
    /// Times it was undone (stock released, card refunded, shipment cancelled).
    pub undone: u16,
    /// Idempotency memory: the answer to the step, once given (`Some(ok)`).
    did: Option<bool>,
    /// Idempotency memory: the undo was answered (a later step is refused).
    undid: bool,
    /// Idempotency memory: the 2PC decision was applied.
    decided: bool,
}

impl Ledger {
    /// Net effect: 1 done, 0 nothing (or undone), anything else is broken.
    pub fn net(&self) -> i32 {
        i32::from(self.applied) - i32::from(self.undone)
    }
}

/// What a request did, for the reply and the sequence diagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The answer: done / undone / vote yes / acknowledged.
    pub ok: bool,
    /// Did it change the service's data?
    pub effect: bool,
    /// Was it answered from memory (a recognised duplicate)?
    pub remembered: bool,
}

/// Settings a service reads when it handles a request.
#[derive(Clone, Copy, Debug)]
pub struct Rules {
    pub idempotent: bool,
    /// This request's step fails (decided by the caller: `fail_step` or a `fail_rate` draw).
    pub fails: bool,
}

/// One service.
#[derive(Clone, Debug)]
pub struct Service {
    pub step: Step,
    pub ledger: Vec<Ledger>,
    /// Effects (or compensations) applied beyond the first for the same order.
    pub duplicate_effects: u64,
    /// 2PC: orders locked here (yes vote given, decision not yet applied), since when.
    pub locks: VecMap<u32, Time>,
    /// 2PC: total time locks were held, released ones only (held ones are added live).
    pub lock_released_us: u64,
    /// Requests handled, applied and refused (for the panel).
    pub handled: u64,
}

impl Service {
    /// A service with no order yet.
    pub fn new(step: Step) -> Service {
        Service {
            step,
            ledger: Vec::new(),
            duplicate_effects: 0,
            locks: VecMap::new(),
            lock_released_us: 0,
            handled: 0,
        }
    }

    /// Make room for the next order (per-order data grows as orders are placed, so memory
    /// follows the orders placed, not the `orders` setting).
    pub fn placed(&mut self) {
        self.ledger.push(Ledger::default());
    }

    /// Handle one request for `order` at `now`.
    pub fn handle(&mut self, order: u32, op: Op, rules: Rules, now: Time) -> Outcome {
        self.handled += 1;
        let Some(l) = self.ledger.get_mut(order as usize) else {
            return Outcome {
                ok: false,
                effect: false,
                remembered: false,
            };
        };
        let fresh = |ok, effect| Outcome {
            ok,
            effect,
            remembered: false,
        };
        let again = |ok| Outcome {
            ok,
            effect: false,
            remembered: true,
        };
        match op {
            Op::Do => {
                if rules.idempotent {
                    if let Some(ok) = l.did {
                        return again(ok);
                    }
                    if l.undid {
                        // The undo overtook the step: refuse it, or the order ends half done.
                        l.did = Some(false);
                        return again(false);
                    }
                }
                let ok = !rules.fails;
                l.did = Some(ok);
                if ok {
                    l.applied = l.applied.saturating_add(1);
                    self.duplicate_effects += u64::from(l.applied > 1);
                }
                fresh(ok, ok)
            }
            Op::Undo => {
                if rules.idempotent && l.undid {
                    return again(true);
                }
                l.undid = true;
                // An undo with nothing applied changes nothing (a refund needs a charge); one
                // that finds the effect reverses it, every time it arrives unless remembered.
                let effect = if rules.idempotent {
                    l.net() > 0
                } else {
                    l.applied > 0
                };
                if effect {
                    l.undone = l.undone.saturating_add(1);
                    self.duplicate_effects += u64::from(l.undone > 1);
                }
                fresh(true, effect)
            }
            Op::Prepare => {
                if self.locks.contains_key(&order) {
                    return again(true);
                }
                if rules.idempotent {
                    if let Some(yes) = l.did {
                        return again(yes);
                    }
                }
                let yes = !rules.fails;
                l.did = Some(yes);
                if yes {
                    self.locks.insert(order, now);
                }
                fresh(yes, false)
            }
            Op::Commit | Op::Abort => {
                let held = self.locks.remove(&order);
                if let Some(since) = held {
                    self.lock_released_us += now.since(since);
                }
                if rules.idempotent && l.decided {
                    return again(true);
                }
                l.decided = true;
                // A commit applies the effect: the first from the lock, a repeated one (not
                // recognised without idempotency) applies it once more.
                let effect = op == Op::Commit && (held.is_some() || !rules.idempotent);
                if effect {
                    l.applied = l.applied.saturating_add(1);
                    self.duplicate_effects += u64::from(l.applied > 1);
                }
                fresh(true, effect)
            }
        }
    }

    /// Lock time so far, held locks included.
    pub fn lock_held_us(&self, now: Time) -> u64 {
        self.lock_released_us + self.locks.values().map(|&t| now.since(t)).sum::<u64>()
    }

    /// Locks held for longer than `patience_us`: the participant voted yes and is still
    /// waiting for a decision that is overdue (it cannot decide alone).
    pub fn blocked(&self, now: Time, patience_us: u64) -> usize {
        self.locks
            .values()
            .filter(|&&t| now.since(t) > patience_us)
            .count()
    }

    /// Totals of the data this service owns: (applied, undone) over all orders.
    pub fn totals(&self) -> (u64, u64) {
        self.ledger.iter().fold((0, 0), |(a, u), l| {
            (a + u64::from(l.applied), u + u64::from(l.undone))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ON: Rules = Rules {
        idempotent: true,
        fails: false,
    };
    const OFF: Rules = Rules {
        idempotent: false,
        fails: false,
    };
    const T: Time = Time::ZERO;

    fn svc(step: Step, orders: u32) -> Service {
        let mut s = Service::new(step);
        (0..orders).for_each(|_| s.placed());
        s
    }

    #[test]
    fn idempotent_service_applies_once_and_repeats_its_answer() {
        let mut s = svc(Step::Payment, 2);
        assert_eq!(
            s.handle(0, Op::Do, ON, T),
            Outcome {
                ok: true,
                effect: true,
                remembered: false
            }
        );
        assert_eq!(
            s.handle(0, Op::Do, ON, T),
            Outcome {
                ok: true,
                effect: false,
                remembered: true
            }
        );
        assert_eq!((s.ledger[0].net(), s.duplicate_effects), (1, 0));
        s.handle(0, Op::Undo, ON, T);
        s.handle(0, Op::Undo, ON, T);
        assert_eq!((s.ledger[0].net(), s.duplicate_effects), (0, 0));
    }

    #[test]
    fn without_idempotency_duplicates_apply_twice() {
        let mut s = svc(Step::Payment, 1);
        s.handle(0, Op::Do, OFF, T);
        s.handle(0, Op::Do, OFF, T);
        assert_eq!((s.ledger[0].net(), s.duplicate_effects), (2, 1));
        s.handle(0, Op::Undo, OFF, T);
        s.handle(0, Op::Undo, OFF, T);
        s.handle(0, Op::Undo, OFF, T);
        assert_eq!((s.ledger[0].net(), s.duplicate_effects), (-1, 3));
    }

    #[test]
    fn an_undo_that_overtakes_its_step_refuses_it_only_with_idempotency() {
        let mut s = svc(Step::Inventory, 1);
        assert!(!s.handle(0, Op::Undo, ON, T).effect);
        assert!(!s.handle(0, Op::Do, ON, T).ok);
        assert_eq!(s.ledger[0].net(), 0);
        let mut s = svc(Step::Inventory, 1);
        s.handle(0, Op::Undo, OFF, T);
        assert!(s.handle(0, Op::Do, OFF, T).effect);
        assert_eq!(
            s.ledger[0].net(),
            1,
            "the late step lands after its compensation"
        );
    }

    #[test]
    fn a_failing_step_changes_nothing() {
        let mut s = svc(Step::Shipping, 1);
        let o = s.handle(
            0,
            Op::Do,
            Rules {
                idempotent: true,
                fails: true,
            },
            T,
        );
        assert_eq!((o.ok, o.effect), (false, false));
        assert_eq!(
            s.ledger[0],
            Ledger {
                did: Some(false),
                ..Ledger::default()
            }
        );
    }

    #[test]
    fn two_phase_locks_until_the_decision() {
        let mut s = svc(Step::Inventory, 2);
        assert!(s.handle(0, Op::Prepare, ON, Time::from_ms(10)).ok);
        assert_eq!(s.blocked(Time::from_ms(100), 200_000), 0);
        assert_eq!(s.blocked(Time::from_ms(500), 200_000), 1);
        assert_eq!(s.lock_held_us(Time::from_ms(110)), 100_000);
        assert!(s.handle(0, Op::Commit, ON, Time::from_ms(60)).effect);
        assert_eq!(
            (s.ledger[0].net(), s.lock_held_us(Time::from_ms(900))),
            (1, 50_000)
        );
        assert!(
            !s.handle(0, Op::Commit, ON, Time::from_ms(70)).effect,
            "a repeated commit is remembered"
        );
        assert!(
            s.handle(0, Op::Commit, OFF, Time::from_ms(70)).effect,
            "unless nobody remembers"
        );
        let no = s.handle(
            1,
            Op::Prepare,
            Rules {
                idempotent: true,
                fails: true,
            },
            T,
        );
        assert!(!no.ok && s.locks.is_empty());
        assert!(!s.handle(1, Op::Abort, ON, T).effect);
        assert_eq!(s.ledger[1].net(), 0);
    }
}
