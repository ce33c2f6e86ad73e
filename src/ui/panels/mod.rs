//! Scenario-specific panels drawn under the topology: one module per widget, one match arm each.

mod cache;
mod load_balancer;
mod replication;
mod saga;
mod sharding;
pub(crate) mod system;

use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::Command;
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

thread_local! {
    /// Ids handed out so far on this page (every widget's panels share one wasm instance).
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
}

/// An element id unique on the page (`prefix-N`), the same for this component instance on every
/// render: a page can hold several widgets of one kind, and `for`/`aria-describedby` need ids.
#[hook]
pub fn use_unique_id(prefix: &'static str) -> String {
    let n = use_state(|| {
        NEXT_ID.with(|c| {
            c.set(c.get() + 1);
            c.get()
        })
    });
    format!("{prefix}-{}", *n)
}

/// Props of the panel component: the snapshot it shows (compared by pointer, so an unchanged
/// snapshot costs no render at all) and the frame's command channel.
#[derive(Properties)]
pub struct PanelProps {
    pub snap: Rc<Snapshot>,
    pub on_cmd: Callback<Command>,
}

impl PartialEq for PanelProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.snap, &other.snap) && self.on_cmd == other.on_cmd
    }
}

/// The scenario's panel as a component: it renders only when handed a new snapshot.
#[function_component(Panel)]
pub fn panel(props: &PanelProps) -> Html {
    view(&props.snap.extra, &props.snap, props.on_cmd.clone())
}

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
        Extra::System(v) => system::view(v, on_cmd),
    }
}
