//! Where each request of the topology scenario stands. A request is *finished* when its first
//! reply reaches the client (answered) or when no copy of it or of its reply is left anywhere in
//! the network (lost: every copy was dropped, or the client was down and never sent it). Until
//! then it is *in flight*. The network only ever drops or delivers a message, so every request
//! finishes; the model counts the copies the links make (`on_duplicate`) to know when the last
//! one is gone.
//!
//! Only requests not yet finished, and answered ones whose spare copies are still travelling,
//! are held (a window from the oldest such request to the newest), so memory stays bounded by
//! what is in the network, not by the length of the run.

use std::collections::VecDeque;

/// One request still in the window.
#[derive(Clone, Copy, Debug, Default)]
struct Slot {
    /// Copies of the request or its reply in the network now.
    copies: u32,
    answered: bool,
}

/// The requests issued so far and how each one ended.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    /// Id of the first request in `window`; every earlier one is finished with no copy left.
    base: u64,
    window: VecDeque<Slot>,
    issued: u64,
    answered: u64,
    lost: u64,
    duplicates: u64,
}

impl Ledger {
    /// A new request; `sent` is false when its client was down, so it is lost at once.
    /// Returns its id.
    pub fn issue(&mut self, sent: bool) -> u64 {
        let id = self.issued;
        self.issued += 1;
        self.window.push_back(Slot {
            copies: sent as u32,
            answered: false,
        });
        if !sent {
            self.lost += 1;
            self.trim();
        }
        id
    }

    fn slot(&mut self, id: u64) -> Option<&mut Slot> {
        let i = id.checked_sub(self.base)?;
        self.window.get_mut(usize::try_from(i).ok()?)
    }

    /// A link made one more copy of request `id` (or of its reply).
    pub fn duplicated(&mut self, id: u64) {
        if let Some(s) = self.slot(id) {
            s.copies = s.copies.saturating_add(1);
        }
    }

    /// A copy of request `id` (or of its reply) was dropped.
    pub fn dropped(&mut self, id: u64) {
        self.gone(id);
    }

    /// A reply to `id` reached its client (the copy is consumed). True if it is the first one;
    /// later ones are duplicates.
    pub fn reply(&mut self, id: u64) -> bool {
        let first = match self.slot(id) {
            // No copy of it is in the network: not a reply the network carried.
            None | Some(Slot { copies: 0, .. }) => return false,
            Some(s) => !std::mem::replace(&mut s.answered, true),
        };
        if first {
            self.answered += 1;
        } else {
            self.duplicates += 1;
        }
        self.gone(id);
        first
    }

    /// One copy of `id` left the network; if it was the last and nobody got an answer, the
    /// request is lost.
    fn gone(&mut self, id: u64) {
        let Some(s) = self.slot(id) else {
            return;
        };
        s.copies = s.copies.saturating_sub(1);
        if s.copies == 0 {
            if !s.answered {
                self.lost += 1;
            }
            self.trim();
        }
    }

    /// Forget finished requests at the front of the window that have no copy left.
    fn trim(&mut self) {
        while self.window.front().is_some_and(|s| s.copies == 0) {
            self.window.pop_front();
            self.base += 1;
        }
    }

    /// Requests issued.
    pub fn issued(&self) -> u64 {
        self.issued
    }
    /// Requests answered (first reply only).
    pub fn answered(&self) -> u64 {
        self.answered
    }
    /// Requests lost for good: no copy of them or their reply is left.
    pub fn lost(&self) -> u64 {
        self.lost
    }
    /// Spare replies that arrived after the first.
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }
    /// Requests neither answered nor lost yet.
    pub fn in_flight(&self) -> u64 {
        self.issued - self.answered - self.lost
    }
    /// Share of finished requests that were answered (1 while none has finished).
    pub fn success_ratio(&self) -> f64 {
        let finished = self.answered + self.lost;
        if finished == 0 {
            1.0
        } else {
            self.answered as f64 / finished as f64
        }
    }
    /// Requests held in memory now (tests: memory follows what is in the network).
    #[cfg(test)]
    pub fn held(&self) -> usize {
        self.window.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_decide_when_a_request_is_finished() {
        let mut l = Ledger::default();
        let a = l.issue(true);
        let b = l.issue(true);
        let c = l.issue(false);
        assert_eq!(
            (l.lost(), l.in_flight()),
            (1, 2),
            "an unsent request is lost at once"
        );
        assert_eq!(l.success_ratio(), 0.0);
        // b is duplicated; one copy is dropped, the other answered: answered, not lost.
        l.duplicated(b);
        l.dropped(b);
        assert_eq!((l.lost(), l.in_flight()), (1, 2));
        assert!(l.reply(b));
        assert_eq!((l.answered(), l.in_flight()), (1, 1));
        assert_eq!(l.success_ratio(), 0.5);
        // a: its only copy dropped: lost.
        l.dropped(a);
        assert_eq!((l.lost(), l.in_flight()), (2, 0));
        assert_eq!(l.held(), 0, "nothing left in the network, nothing held");
        assert!(!l.reply(c), "a stray reply is a duplicate, not an answer");
        assert_eq!(l.answered(), 1);
    }

    #[test]
    fn spare_copies_keep_an_answered_request_but_not_its_count() {
        let mut l = Ledger::default();
        let a = l.issue(true);
        l.duplicated(a);
        assert!(l.reply(a));
        assert_eq!(l.held(), 1);
        assert!(!l.reply(a));
        assert_eq!(
            (l.answered(), l.lost(), l.duplicates(), l.held()),
            (1, 0, 1, 0)
        );
        assert_eq!(l.success_ratio(), 1.0);
    }
}
