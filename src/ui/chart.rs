//! Small SVG line charts of a metric over simulated time.

use crate::sim::metrics::round3;
use crate::sim::num_fmt::{Fixed, Short};
use yew::prelude::*;

const W: f64 = 220.0;
const H: f64 = 56.0;

/// A sparkline with its name and latest value; the text states the figures, so the chart is
/// never the only way to read them.
pub fn sparkline(name: &str, pts: &[(f64, f64)]) -> Html {
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
    let label = name.replace('_', " ");
    html! {
        <figure class="chart">
            <figcaption>{ format!("{label}: {}", Short(round3(last))) }<span class="range">{ format!(" (max {})", Short(round3(hi))) }</span></figcaption>
            <svg viewBox={format!("0 0 {} {}", Short(W), Short(H))} preserveAspectRatio="none" role="img" aria-label={format!("{label} over time, now {}", Short(round3(last)))}>
                <line class="axis" x1="0" y1={Short(H - 4.0).to_string()} x2={Short(W).to_string()} y2={Short(H - 4.0).to_string()} />
                <polyline class="series" points={points.join(" ")} />
            </svg>
        </figure>
    }
}
