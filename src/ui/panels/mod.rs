//! Scenario-specific panels drawn under the topology: one module per widget, one match arm each.

pub mod cache;

use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::Command;
use yew::prelude::*;

/// The panel for this snapshot's extra view (nothing for scenarios without one). Panels may send
/// commands through `on_cmd` (buttons, clicks on their own drawings).
pub fn view(extra: &Extra, _snap: &Snapshot, on_cmd: Callback<Command>) -> Html {
    match extra {
        Extra::None => Html::default(),
        Extra::Cache(v) => html! { <cache::CachePanel view={v.clone()} {on_cmd} /> },
    }
}
