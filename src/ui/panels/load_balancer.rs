//! The `load-balancer` panel: per-server queues, shares and states, and p50/p99 over time.

use crate::sim::scenario::load_balancer::LbView;
use crate::sim::snapshot::Snapshot;
use crate::sim::Command;
use yew::prelude::*;

/// Render the load balancer's extra view.
pub fn view(_v: &LbView, _snap: &Snapshot, _on_cmd: Callback<Command>) -> Html {
    Html::default()
}
