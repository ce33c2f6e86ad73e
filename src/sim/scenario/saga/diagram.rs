//! Sequence diagrams of recent orders: one lane per node (shop, hub, inventory, payment,
//! shipping), an arrow per message from its send to its delivery (or its loss), and notes where
//! a service changed its data. Memory is bounded: the latest `KEPT` orders, plus the first
//! order found inconsistent, pinned so the reader can study it.

use super::msg::Msg;
use crate::sim::engine::Label;
use crate::sim::time::Time;
use std::collections::VecDeque;

/// Orders kept (besides the pinned one).
pub const KEPT: usize = 10;
/// Arrows kept per order (an order that retries forever stops growing).
pub const MAX_ARROWS: usize = 64;
/// Notes kept per order.
pub const MAX_NOTES: usize = 24;

/// One message in a diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub mid: u32,
    pub from: u32,
    pub to: u32,
    pub sent_us: u64,
    /// Delivery time; None while in flight or if lost.
    pub recv_us: Option<u64>,
    pub label: &'static str,
    /// Part of undoing the order (drawn dashed).
    pub compensating: bool,
    /// A second copy of a message (drawn with a mark).
    pub duplicate: bool,
    /// Dropped on the way (crashed node, cut link): drawn ending in a cross.
    pub lost_us: Option<u64>,
}

/// Something a node did for the order, drawn on its lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub at_us: u64,
    pub lane: u32,
    pub text: &'static str,
    /// Drawn as a warning (a doubled effect, a refused late step, a give-up).
    pub bad: bool,
}

/// One order's diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    pub order: u32,
    pub started_us: u64,
    pub arrows: Vec<Arrow>,
    pub notes: Vec<Note>,
}

/// The diagrams kept.
#[derive(Clone, Debug, Default)]
pub struct Diagrams {
    recent: VecDeque<Diagram>,
    pinned: Option<Diagram>,
}

impl Diagrams {
    /// Start drawing `order`, forgetting the oldest one beyond `KEPT`.
    pub fn start(&mut self, order: u32, now: Time) {
        if self.recent.len() == KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back(Diagram {
            order,
            started_us: now.0,
            arrows: Vec::new(),
            notes: Vec::new(),
        });
    }

    fn get_mut(&mut self, order: u32) -> Option<&mut Diagram> {
        let pinned = self.pinned.as_mut().filter(|d| d.order == order);
        match pinned {
            Some(d) => Some(d),
            None => self.recent.iter_mut().rev().find(|d| d.order == order),
        }
    }

    /// A message left `from` for `to`.
    pub fn sent(&mut self, msg: &Msg, from: u32, to: u32, now: Time, duplicate: bool) {
        if let Some(d) = self
            .get_mut(msg.order)
            .filter(|d| d.arrows.len() < MAX_ARROWS)
        {
            d.arrows.push(Arrow {
                mid: msg.mid,
                from,
                to,
                sent_us: now.0,
                recv_us: None,
                label: msg.label(),
                compensating: msg.compensating(),
                duplicate,
                lost_us: None,
            });
        }
    }

    fn arrow(&mut self, msg: &Msg) -> Option<&mut Arrow> {
        self.get_mut(msg.order)?
            .arrows
            .iter_mut()
            .rev()
            .find(|a| a.mid == msg.mid)
    }

    /// The message arrived.
    pub fn delivered(&mut self, msg: &Msg, now: Time) {
        if let Some(a) = self.arrow(msg) {
            a.recv_us = Some(now.0);
        }
    }

    /// The message was dropped.
    pub fn lost(&mut self, msg: &Msg, now: Time) {
        if let Some(a) = self.arrow(msg) {
            a.lost_us = Some(now.0);
        }
    }

    /// A node did something worth showing for `order`.
    pub fn note(&mut self, order: u32, lane: u32, now: Time, text: &'static str, bad: bool) {
        if let Some(d) = self.get_mut(order).filter(|d| d.notes.len() < MAX_NOTES) {
            d.notes.push(Note {
                at_us: now.0,
                lane,
                text,
                bad,
            });
        }
    }

    /// Keep `order` for good (the first inconsistent one), if it is still here.
    pub fn pin(&mut self, order: u32) {
        if self.pinned.is_some() {
            return;
        }
        if let Some(i) = self.recent.iter().position(|d| d.order == order) {
            self.pinned = self.recent.remove(i);
        }
    }

    /// The pinned order, then the recent ones, newest first.
    pub fn all(&self) -> Vec<Diagram> {
        self.pinned
            .iter()
            .chain(self.recent.iter().rev())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::msg::Body;
    use super::*;

    fn msg(order: u32, mid: u32) -> Msg {
        Msg {
            order,
            mid,
            body: Body::Place,
        }
    }

    #[test]
    fn keeps_recent_orders_and_the_pinned_one() {
        let mut d = Diagrams::default();
        for o in 0..KEPT as u32 + 5 {
            d.start(o, Time::from_ms(u64::from(o)));
            d.sent(&msg(o, o), 0, 1, Time::from_ms(u64::from(o)), false);
            if o == 7 {
                d.pin(7);
            }
        }
        let all = d.all();
        assert_eq!(all.len(), KEPT + 1);
        assert_eq!(all[0].order, 7, "pinned first");
        assert_eq!(all[1].order, KEPT as u32 + 4, "then newest first");
        d.delivered(&msg(7, 7), Time::from_ms(100));
        d.lost(&msg(14, 14), Time::from_ms(101));
        let all = d.all();
        assert_eq!(all[0].arrows[0].recv_us, Some(100_000));
        assert_eq!(all[1].arrows[0].lost_us, Some(101_000));
    }

    #[test]
    fn arrows_per_order_are_bounded() {
        let mut d = Diagrams::default();
        d.start(0, Time::ZERO);
        for m in 0..1000 {
            d.sent(&msg(0, m), 0, 1, Time::ZERO, false);
            d.note(0, 1, Time::ZERO, "x", false);
        }
        assert_eq!(d.all()[0].arrows.len(), MAX_ARROWS);
        assert_eq!(d.all()[0].notes.len(), MAX_NOTES);
    }
}
