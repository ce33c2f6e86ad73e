//! Small SVG line charts of a metric over simulated time.

use crate::sim::metrics::round3;
use crate::sim::num_fmt::{Fixed, Short};
use yew::prelude::*;

const W: f64 = 220.0;
const H: f64 = 56.0;

/// The polyline of `pts` scaled into the chart's box, with the latest value and the top of the
/// value axis.
fn line(pts: &[(f64, f64)]) -> (String, f64, f64) {
    let last = pts.last().map_or(0.0, |p| p.1);
    let (lo, hi) = pts
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let (lo, hi) = if pts.is_empty() {
        (0.0, 1.0)
    } else {
        (lo.min(0.0), hi.max(lo + 1e-9))
    };
    let (t0, t1) = (
        pts.first().map_or(0.0, |p| p.0),
        pts.last().map_or(1.0, |p| p.0).max(1e-9),
    );
    let span = (t1 - t0).max(1e-9);
    let points: Vec<String> = pts
        .iter()
        .map(|(t, v)| {
            format!(
                "{},{}",
                Fixed((t - t0) / span * W, 1),
                Fixed(H - 4.0 - (v - lo) / (hi - lo) * (H - 8.0), 1)
            )
        })
        .collect();
    (points.join(" "), last, hi)
}

/// The chart itself: an axis and the line, named for screen readers.
fn svg(label: &str, pts: &[(f64, f64)]) -> Html {
    let (points, last, _) = line(pts);
    html! {
        <svg viewBox={format!("0 0 {} {}", Short(W), Short(H))} preserveAspectRatio="none" role="img" aria-label={format!("{label} over time, now {}", Short(round3(last)))}>
            <line class="axis" x1="0" y1={Short(H - 4.0).to_string()} x2={Short(W).to_string()} y2={Short(H - 4.0).to_string()} />
            <polyline class="series" {points} />
        </svg>
    }
}

/// A sparkline with its name and latest value; the text states the figures, so the chart is
/// never the only way to read them.
pub fn sparkline(name: &str, pts: &[(f64, f64)]) -> Html {
    let (_, last, hi) = line(pts);
    let label = name.replace('_', " ");
    html! {
        <figure class="chart">
            <figcaption>{ format!("{label}: {}", Short(round3(last))) }<span class="range">{ format!(" (max {})", Short(round3(hi))) }</span></figcaption>
            { svg(&label, pts) }
        </figure>
    }
}

/// A bare sparkline for a metric tile, whose name and value the tile already states.
pub fn spark(name: &str, pts: &[(f64, f64)]) -> Html {
    html! { <div class="spark">{ svg(&name.replace('_', " "), pts) }</div> }
}
