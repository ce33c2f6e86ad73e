//! Scenario-specific panels drawn under the topology: one module per widget, one match arm each.

mod cache;
mod load_balancer;
mod replication;
mod saga;
mod sharding;

use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::Command;
use yew::prelude::*;

/// The panel for this snapshot's extra view (nothing for scenarios without one). Panels may send
/// commands through `on_cmd` (buttons, clicks on their own drawings).
pub fn view(extra: &Extra, snap: &Snapshot, on_cmd: Callback<Command>) -> Html {
    match extra {
        Extra::None => Html::default(),
        Extra::Replication(v) => replication::view(v, snap, on_cmd),
        Extra::LoadBalancer(v) => load_balancer::view(v, snap, on_cmd),
        Extra::Sharding(v) => sharding::view(v),
        Extra::Cache(v) => html! { <cache::CachePanel view={v.clone()} {on_cmd} /> },
        Extra::Saga(v) => html! { <saga::SagaPanel view={(**v).clone()} {on_cmd} /> },
    }
}
