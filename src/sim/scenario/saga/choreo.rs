//! Choreography: no orchestrator. Each service reacts to the event before it and publishes the
//! next one through the event bus (node 1, which relays without deciding anything):
//!
//! ```text
//! shop ─placed→ inventory ─reserved→ payment ─captured→ shipping ─shipped→ shop
//!                  │                    │                   └─shipping-failed→ payment
//!                  │                    ├─payment-failed→ inventory          └─refunded→ inventory
//!                  └─rejected→ shop     │                                        └─released→ shop
//! ```
//!
//! A service that recognises a duplicate (idempotency on) publishes nothing again; one that does
//! not, applies the effect again and publishes again, so the duplicate travels downstream.
//! Nobody retries: the bus delivers unless the reader crashes a node or cuts a link, and then
//! nobody notices that the order stopped (it stays in flight).

use super::config::Step;
use super::model::{SagaModel, SHOP};
use super::msg::{Body, Ev, Msg, Op, Timer};
use crate::sim::engine::Ctx;

/// What a service does with an event: its step, the operation, the event to publish on
/// success and to whom, the event to publish on failure and to whom.
type Reaction = (Step, Op, (Ev, u32), (Ev, u32));

/// How the service at `node` reacts to `ev`, if it does.
fn reaction(node: u32, ev: Ev) -> Option<Reaction> {
    let inv = Step::Inventory;
    let pay = Step::Payment;
    let ship = Step::Shipping;
    Some(match (node, ev) {
        (n, Ev::Placed) if n == inv.node() => (
            inv,
            Op::Do,
            (Ev::Reserved, pay.node()),
            (Ev::Rejected, SHOP),
        ),
        (n, Ev::Reserved) if n == pay.node() => (
            pay,
            Op::Do,
            (Ev::Charged, ship.node()),
            (Ev::PaymentFailed, inv.node()),
        ),
        (n, Ev::Charged) if n == ship.node() => (
            ship,
            Op::Do,
            (Ev::Shipped, SHOP),
            (Ev::ShippingFailed, pay.node()),
        ),
        (n, Ev::ShippingFailed) if n == pay.node() => (
            pay,
            Op::Undo,
            (Ev::Refunded, inv.node()),
            (Ev::Refunded, inv.node()),
        ),
        (n, Ev::PaymentFailed | Ev::Refunded) if n == inv.node() => {
            (inv, Op::Undo, (Ev::Released, SHOP), (Ev::Released, SHOP))
        }
        _ => return None,
    })
}

/// An event reached a service.
pub fn on_event(m: &mut SagaModel, ctx: &mut Ctx<Msg, Timer>, node: u32, msg: Msg) {
    let Body::Event(ev) = msg.body else { return };
    let Some((step, op, (yes, yes_to), (no, no_to))) = reaction(node, ev) else {
        return;
    };
    let out = m.serve(ctx, step, msg.order, op);
    if out.remembered {
        return; // already published when the first copy came
    }
    let (next, to) = if out.ok { (yes, yes_to) } else { (no, no_to) };
    m.send(ctx, node, to, msg.order, Body::Event(next));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_one_subscriber_and_the_chain_ends_at_the_shop() {
        // Follow the success chain and each failure chain to the shop.
        let mut ends = Vec::new();
        for fail_at in [
            None,
            Some(Ev::Placed),
            Some(Ev::Reserved),
            Some(Ev::Charged),
        ] {
            let (mut node, mut ev, mut hops) = (Step::Inventory.node(), Ev::Placed, 0);
            while node != SHOP && hops < 10 {
                let Some((_, _, yes, no)) = reaction(node, ev) else {
                    break;
                };
                (ev, node) = if Some(ev) == fail_at { no } else { yes };
                hops += 1;
            }
            assert_eq!(node, SHOP, "{fail_at:?} did not reach the shop");
            ends.push((ev, hops));
        }
        assert_eq!(
            ends,
            vec![
                (Ev::Shipped, 3),
                (Ev::Rejected, 1),
                (Ev::Released, 3),
                (Ev::Released, 5)
            ]
        );
        assert!(reaction(Step::Shipping.node(), Ev::Placed).is_none());
    }
}
