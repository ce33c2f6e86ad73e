//! Scenario-specific panels drawn under the topology: one module per widget, one match arm each.

use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::Command;
use yew::prelude::*;

/// The panel for this snapshot's extra view (nothing for scenarios without one). Panels may send
/// commands through `on_cmd` (buttons, clicks on their own drawings).
pub fn view(extra: &Extra, _snap: &Snapshot, _on_cmd: Callback<Command>) -> Html {
    match extra {
        Extra::None => Html::default(),
        Extra::Cache(_) => Html::default(),
    }
}
