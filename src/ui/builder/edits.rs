//! The builder's edits that need more than one text operation: a dragged node let go, the wire
//! and remove forms (their selects default to the first components), and the hosted challenge's
//! Start again and Show a solution.

use super::{shown, Builder, Drive};
use crate::builder;
use std::rc::Rc;
use yew::prelude::*;

/// Why the drawing does not take an edit while the text holds changes not yet run.
const UNRUN: &str = "The drawing shows the last design that ran: run the text (Ctrl+Enter) before editing on the drawing.";

impl Builder {
    /// A dragged node was let go: move its component past the nodes it was dragged past.
    pub(super) fn drop(&mut self, e: &PointerEvent) -> bool {
        let Some(d) = self.drag.take() else {
            return false;
        };
        let node = d.node;
        let steps = d.finish(e);
        let Some(name) = builder::components(&self.ran).get(node).cloned() else {
            return false;
        };
        if steps == 0 {
            return false;
        }
        if self.ran != self.text {
            self.status = UNRUN.into();
            return true;
        }
        match builder::move_by(&self.text, &name, steps) {
            Ok(t) => {
                let way = if steps < 0 { "up" } else { "down" };
                self.selected.clone_from(&name);
                self.apply(t, format!("Moved {name} {way} its column."));
            }
            Err(e) => self.status = e,
        }
        true
    }

    pub(super) fn wire(&mut self) {
        let names = builder::components(&self.text);
        let pick = |v: &str, i: usize| {
            if v.is_empty() {
                names.get(i).cloned().unwrap_or_default()
            } else {
                v.to_string()
            }
        };
        let (from, to) = (pick(&self.from, 0), pick(&self.to, 1));
        match builder::add_wire(&self.text, &from, &to) {
            Ok(t) => self.apply(t, format!("Wired {from} to {to}.")),
            Err(e) => self.error = Some(e),
        }
    }

    pub(super) fn remove(&mut self) {
        let names = builder::components(&self.text);
        let name = if self.remove.is_empty() {
            names.first().cloned().unwrap_or_default()
        } else {
            self.remove.clone()
        };
        match builder::remove_component(&self.text, &name) {
            Ok(t) => {
                self.remove.clear();
                if self.selected == name {
                    self.selected.clear();
                }
                self.apply(t, format!("Removed {name} and its wires."));
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// A key on the drawing, about the focused component: W starts a wire from it (the next
    /// component picked is its callee), Delete removes it, Escape cancels a wire.
    pub(super) fn drawing_key(&mut self, e: &KeyboardEvent) -> bool {
        let key = e.key();
        if key == "Escape" && self.wiring.take().is_some() {
            self.status = "Wire cancelled.".into();
            return true;
        }
        let Some(name) =
            super::drag::node_of(e).and_then(|i| builder::components(&self.ran).get(i).cloned())
        else {
            return false;
        };
        let edits = matches!(key.as_str(), "w" | "W" | "Delete");
        if edits && self.ran != self.text {
            self.status = UNRUN.into();
            return true;
        }
        match key.as_str() {
            "w" | "W" => {
                self.selected = name;
                self.update_wiring();
            }
            "Delete" => {
                e.prevent_default();
                self.remove = name;
                self.remove();
            }
            _ => return false,
        }
        true
    }

    /// Wait for the callee of a wire from the selected component.
    pub(super) fn update_wiring(&mut self) {
        self.status = format!(
            "Wiring from {}: now pick the component it calls (click it, or press Enter on it). Escape cancels.",
            self.selected
        );
        self.wiring = Some(self.selected.clone());
    }

    /// The hosted challenge's own design again.
    pub(super) fn challenge_start(&mut self) {
        if let Some(h) = &self.hosted {
            let t = h.design_after(&h.challenge.start);
            self.apply(t, "Back at the challenge's design.".into());
        }
    }

    /// The hosted challenge's solution: its design in the text, its run (to the end) in the frame.
    pub(super) fn challenge_solution(&mut self) {
        if let Some(h) = &self.hosted {
            let t = h.design_after(&h.challenge.solution);
            let step = Rc::new(h.challenge.solution.clone());
            let spec = shown(h.spec.clone());
            self.edit(t);
            self.error = None;
            self.status = "Applied the solution; it runs to the end.".into();
            self.running = Some((spec, None));
            self.drive = Some(Drive(step));
        }
    }
}
