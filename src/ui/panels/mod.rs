//! Scenario-specific panels drawn under the topology: one module per widget, one match arm each.

use crate::sim::snapshot::{Extra, Snapshot};
use yew::prelude::*;

/// The panel for this snapshot's extra view (nothing for scenarios without one).
pub fn view(extra: &Extra, _snap: &Snapshot) -> Html {
    match extra {
        Extra::None => Html::default(),
    }
}
