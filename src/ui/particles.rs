//! Messages in flight, drawn on a canvas laid over the topology SVG (same coordinate system).
//! Hundreds of moving SVG circles cost the browser ~100 ms a frame in attribute updates and
//! geometry; one canvas repaint costs well under a millisecond. The SVG keeps the structure and
//! the accessible names; messages are decoration (their counts are in the text).

use crate::sim::snapshot::{Flight, Snapshot};
use wasm_bindgen::JsCast;

/// Canvas resolution: the SVG viewBox (640 x 380) at twice the density.
pub const SCALE: f64 = 2.0;

/// Redraw every message of `snap` on `canvas`.
/// Where message `f` is drawn now, in the drawing's coordinates (`project` maps the unit square);
/// None if an end is not in the snapshot. The canvas and the inspector's pick both use it.
pub fn at(
    snap: &Snapshot,
    f: &Flight,
    project: impl Fn(f32, f32) -> (f32, f32),
) -> Option<(f32, f32)> {
    let (a, b) = (snap.node(f.from)?, snap.node(f.to)?);
    let ((x1, y1), (x2, y2)) = (project(a.x, a.y), project(b.x, b.y));
    Some((x1 + (x2 - x1) * f.progress, y1 + (y2 - y1) * f.progress))
}

pub fn draw(
    canvas: &web_sys::HtmlCanvasElement,
    snap: &Snapshot,
    project: impl Fn(f32, f32) -> (f32, f32),
) {
    let Some(ctx) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    ctx.clear_rect(0.0, 0.0, canvas.width() as f64, canvas.height() as f64);
    if snap.flights.is_empty() {
        return;
    }
    let look = look(canvas);
    let r = if look.narrow { 10.0 } else { 6.0 } * SCALE;
    // One path and one fill per colour: a few canvas calls instead of four per message.
    let mut dots: Vec<(usize, f64, f64)> = Vec::with_capacity(snap.flights.len());
    for f in &snap.flights {
        let Some((x, y)) = at(snap, f, &project) else {
            continue;
        };
        dots.push((
            look.colors.index(f.label),
            x as f64 * SCALE,
            y as f64 * SCALE,
        ));
    }
    for (i, color) in look.colors.0.iter().enumerate() {
        if !dots.iter().any(|d| d.0 == i) {
            continue;
        }
        ctx.set_fill_style_str(color);
        ctx.begin_path();
        for &(_, x, y) in dots.iter().filter(|d| d.0 == i) {
            ctx.move_to(x + r, y);
            let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        }
        ctx.fill();
    }
}

/// What the drawing reads from the page: colours and phone width, re-read at most once a second
/// (reading computed style every frame forces a style recalculation of the whole page).
#[derive(Clone)]
struct Look {
    colors: Palette,
    narrow: bool,
    read_at: f64,
}

thread_local! {
    static LOOK: std::cell::RefCell<Option<Look>> = const { std::cell::RefCell::new(None) };
}

fn look(el: &web_sys::Element) -> Look {
    let now = super::dom::now_ms();
    LOOK.with(|cell| {
        let mut cached = cell.borrow_mut();
        match cached.as_ref() {
            Some(l) if now - l.read_at < 1000.0 => l.clone(),
            _ => {
                // Bigger dots on phones, where the whole diagram is drawn at a third of its size.
                let narrow = web_sys::window()
                    .and_then(|w| w.inner_width().ok())
                    .and_then(|v| v.as_f64())
                    .is_some_and(|w| w < 560.0);
                let l = Look {
                    colors: palette(el),
                    narrow,
                    read_at: now,
                };
                *cached = Some(l.clone());
                l
            }
        }
    })
}

/// Request, reply, then four colours for other labels.
#[derive(Clone)]
struct Palette([String; 6]);

impl Palette {
    fn index(&self, label: &str) -> usize {
        match label {
            "request" => 0,
            "reply" => 1,
            l => {
                let h = l
                    .bytes()
                    .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
                2 + h % 4
            }
        }
    }
}

/// Message colours from the theme's CSS variables (so dark mode and embeds follow along).
/// The variables hold `light-dark(...)` pairs, which a canvas cannot use: each is resolved by
/// letting the canvas element take it as its `color` and reading the computed `rgb(...)` back.
fn palette(el: &web_sys::Element) -> Palette {
    let style = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten());
    let inline = el.dyn_ref::<web_sys::HtmlElement>().map(|h| h.style());
    let resolve = |name: &str, fallback: &str| {
        let (Some(style), Some(inline)) = (style.as_ref(), inline.as_ref()) else {
            return fallback.to_string();
        };
        let _ = inline.set_property("color", &format!("var({name}, {fallback})"));
        let v = style.get_property_value("color").unwrap_or_default();
        if v.trim().is_empty() {
            fallback.to_string()
        } else {
            v.trim().to_string()
        }
    };
    let colors = Palette([
        resolve("--msg-request", "#2563eb"),
        resolve("--msg-reply", "#16a34a"),
        resolve("--msg-a", "#9333ea"),
        resolve("--msg-b", "#ea580c"),
        resolve("--msg-c", "#0891b2"),
        resolve("--msg-d", "#be185d"),
    ]);
    if let Some(inline) = inline {
        let _ = inline.remove_property("color");
    }
    colors
}
