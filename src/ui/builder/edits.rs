//! The builder's edits that need more than one text operation: a dragged node let go, the wire
//! and remove forms (their selects default to the first components), and the hosted challenge's
//! Start again and Show a solution.

use super::{shown, Builder, Drive};
use crate::builder;
use std::rc::Rc;
use yew::prelude::*;

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
        if steps == 0 || self.ran != self.text {
            return false;
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
