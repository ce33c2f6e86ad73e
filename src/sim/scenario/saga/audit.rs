//! The auditor: reads the three services' own data for each order that has ended and sorts it
//! into committed (every effect in place once), compensated (no effect left) or inconsistent,
//! and checks the three invariants the widget shows, keeping the orders that break each.
//! Incremental: an order is re-judged whenever its data changes, so late duplicates count.

use super::service::Service;
use crate::sim::compact::VecSet;

/// Where an order stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Class {
    /// Not ended yet.
    #[default]
    InFlight,
    Committed,
    Compensated,
    Inconsistent,
}

/// The invariants, in display order.
pub const INVARIANTS: [(&str, &str); 3] = [
    (
        "stock conserved",
        "stock left the shelf only for an order that shipped, once",
    ),
    (
        "money conserved",
        "a card was charged only for an order that shipped, once",
    ),
    (
        "no shipment without payment",
        "every shipment booked was paid for",
    ),
];

/// Net effects of one order at inventory, payment and shipping.
pub type Nets = [i32; 3];

/// Which invariants `nets` breaks.
pub fn broken(nets: Nets) -> [bool; 3] {
    let [stock, paid, shipped] = nets;
    let unit = |x: i32| x == 0 || x == 1;
    [
        !(unit(stock) && stock == shipped),
        !(unit(paid) && paid == shipped),
        shipped > 0 && paid != 1,
    ]
}

/// The class of an ended order with these net effects.
pub fn judge(nets: Nets) -> Class {
    match nets {
        [1, 1, 1] => Class::Committed,
        [0, 0, 0] => Class::Compensated,
        _ => Class::Inconsistent,
    }
}

/// Per-order classes and the counts and offenders that follow from them.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    class: Vec<Class>,
    /// Orders per class, indexed like `Class`.
    pub counts: [u64; 4],
    /// Ended orders breaking each invariant.
    pub offenders: [VecSet<u32>; 3],
}

fn slot(c: Class) -> usize {
    c as usize
}

impl Audit {
    /// Count a newly placed order (the next number) as in flight.
    pub fn placed(&mut self) {
        self.class.push(Class::InFlight);
        self.counts[slot(Class::InFlight)] += 1;
    }

    /// The class of `order` now.
    pub fn class(&self, order: u32) -> Class {
        self.class.get(order as usize).copied().unwrap_or_default()
    }

    /// Nets of `order` from the services' ledgers.
    pub fn nets(services: &[Service; 3], order: u32) -> Nets {
        let net = |s: &Service| s.ledger.get(order as usize).map_or(0, |l| l.net());
        [net(&services[0]), net(&services[1]), net(&services[2])]
    }

    /// (Re)judge an ended order from the services' data; returns its class.
    pub fn judge(&mut self, services: &[Service; 3], order: u32) -> Class {
        let nets = Self::nets(services, order);
        let new = judge(nets);
        let Some(c) = self.class.get_mut(order as usize) else {
            return new;
        };
        self.counts[slot(*c)] -= 1;
        self.counts[slot(new)] += 1;
        *c = new;
        for (set, bad) in self.offenders.iter_mut().zip(broken(nets)) {
            if bad {
                set.insert(order);
            } else {
                set.remove(&order);
            }
        }
        new
    }

    /// Has `order` ended?
    pub fn ended(&self, order: u32) -> bool {
        self.class(order) != Class::InFlight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_orders_break_nothing() {
        assert_eq!(broken([1, 1, 1]), [false; 3]);
        assert_eq!(broken([0, 0, 0]), [false; 3]);
        assert_eq!(judge([1, 1, 1]), Class::Committed);
        assert_eq!(judge([0, 0, 0]), Class::Compensated);
    }

    #[test]
    fn every_partial_or_doubled_order_breaks_an_invariant() {
        for a in -1..=2 {
            for b in -1..=2 {
                for c in -1..=2 {
                    let nets = [a, b, c];
                    let whole = nets == [0, 0, 0] || nets == [1, 1, 1];
                    assert_eq!(broken(nets).contains(&true), !whole, "{nets:?}");
                    assert_eq!(judge(nets) == Class::Inconsistent, !whole, "{nets:?}");
                }
            }
        }
        assert_eq!(broken([0, 0, 1]), [true, true, true], "shipped unpaid");
        assert_eq!(
            broken([1, 0, 0]),
            [true, false, false],
            "stock held for nothing"
        );
        assert_eq!(
            broken([0, 2, 0]),
            [false, true, false],
            "charged twice, refunded never"
        );
    }
}
