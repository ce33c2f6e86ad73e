//! Dragging a component up or down its column on the drawing. The drawing keeps its tidy layout
//! (columns by wire depth, rows by declaration order): while the pointer moves, the node follows
//! it vertically; when it is let go, the component moves past as many nodes of its column as it
//! was dragged past (`builder::move_component`, one text edit, undoable), and the layout draws
//! it in its new row. Keyboard users have the inspector's Up and Down buttons.

use wasm_bindgen::JsCast;
use web_sys::{Element, PointerEvent};

/// Less than this (CSS px) is a click, not a drag.
const SLOP: f64 = 8.0;

/// A node being dragged.
pub(super) struct Drag {
    /// The node's index: component `node` in declaration order.
    pub node: usize,
    g: Element,
    y0: f64,
    /// Screen px per SVG unit (the drawing scales with its box).
    scale: f64,
}

/// The drawing's node an event happened on (its index: the component's place in the design).
pub(super) fn node_of(e: &web_sys::Event) -> Option<usize> {
    let target: Element = e.target()?.dyn_into().ok()?;
    let g = target.closest("svg.topology g.node").ok()??;
    g.get_attribute("data-node")?.parse().ok()
}

/// The pointer went down on a node of the builder's drawing: start dragging it.
pub(super) fn start(e: &PointerEvent) -> Option<Drag> {
    if e.button() != 0 {
        return None;
    }
    let target: Element = e.target()?.dyn_into().ok()?;
    let g = target.closest("svg.topology g.node").ok()??;
    let node = g.get_attribute("data-node")?.parse().ok()?;
    let svg = g.closest("svg.topology").ok()??;
    // The crate's parser: `str::parse::<f64>` costs about 14 KB of wasm (its power-of-five table).
    let view_h =
        crate::sim::num::parse_f64(svg.get_attribute("viewBox")?.split_whitespace().nth(3)?)?;
    let scale = svg.get_bounding_client_rect().height() / view_h;
    let _ = g.set_pointer_capture(e.pointer_id());
    Some(Drag {
        node,
        g,
        y0: f64::from(e.client_y()),
        scale: if scale > 0.0 { scale } else { 1.0 },
    })
}

impl Drag {
    /// Follow the pointer vertically (drawn only: the design changes when it is let go).
    pub fn follow(&self, e: &PointerEvent) {
        let dy = f64::from(e.client_y()) - self.y0;
        let style = if dy.abs() < SLOP {
            String::new()
        } else {
            // `Fixed`, not `{:.1}`: core's float formatting is about 12 KB of wasm.
            let dy = crate::sim::num_fmt::Fixed(dy / self.scale, 1);
            format!("translate: 0 {dy}px; cursor: grabbing")
        };
        let _ = self.g.set_attribute("style", &style);
    }

    /// Let go: how many rows the node moves (negative: up), counting the nodes of its column
    /// whose centres it passed. 0 for a click.
    pub fn finish(self, e: &PointerEvent) -> i32 {
        let _ = self.g.remove_attribute("style");
        let y = f64::from(e.client_y());
        if (y - self.y0).abs() < SLOP {
            return 0;
        }
        let Some(col) = translate_x(&self.g) else {
            return 0;
        };
        let Some(parent) = self.g.parent_element() else {
            return 0;
        };
        let nodes = parent.children();
        let mut steps = 0;
        for i in 0..nodes.length() {
            let Some(other) = nodes.item(i) else { continue };
            if other == self.g || translate_x(&other).is_none_or(|x| (x - col).abs() > 0.5) {
                continue;
            }
            let r = other.get_bounding_client_rect();
            let centre = r.top() + r.height() / 2.0;
            if centre < self.y0 && centre > y {
                steps -= 1;
            } else if centre > self.y0 && centre < y {
                steps += 1;
            }
        }
        steps
    }
}

/// The x of a node's `translate(x,y)`: nodes of one column share it.
fn translate_x(g: &Element) -> Option<f64> {
    let t = g.get_attribute("transform")?;
    let inner = t.strip_prefix("translate(")?;
    // The crate's parser, as for the view box: `str::parse::<f64>` costs about 14 KB of wasm.
    crate::sim::num::parse_f64(inner.split(',').next()?.trim())
}
