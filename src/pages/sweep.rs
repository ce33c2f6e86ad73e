//! A sweep on the static page: a figure whose SVG has the axes and the theory's curve (dashed,
//! labelled "theory"), an empty point per run for the wasm to place when its run ends
//! (`ui::sweep`), the legend, a Run button, and a real `<table>` of every run's figure beside the
//! theory's, computed here at build time by running each point natively. The browser runs the
//! same points (same settings, same seed: the same numbers), so the table is the chart's text
//! alternative with JavaScript off, and the prose can quote it.

use super::html::esc;
use crate::content::sweep::{Point, Sweep};

/// The drawing's box (viewBox units) and the plot area inside it.
const W: f64 = 560.0;
const H: f64 = 320.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// A run's figure and the theory's, per point.
pub struct Row {
    pub measured: f64,
    pub theory: Option<f64>,
}

/// Run every point natively (errors name the value).
pub fn measure(sweep: &Sweep, points: &[Point]) -> Result<Vec<Row>, String> {
    points
        .iter()
        .map(|p| {
            let m = p.run(&sweep.metric)?;
            Ok(Row {
                measured: m.num(&sweep.metric).unwrap_or(0.0),
                theory: p.theory_ms(),
            })
        })
        .collect()
}

/// The whole figure of the sweep at block `i`.
pub fn figure(
    i: usize,
    sweep: &Sweep,
    points: &[Point],
    rows: &[Row],
    curve: &[(f64, f64)],
) -> String {
    let x_hi = points.iter().map(|p| p.x).fold(0.0, f64::max);
    let x_hi = if sweep.theory.is_some() {
        x_hi.max(1.0)
    } else {
        x_hi
    };
    let y_top = rows
        .iter()
        .flat_map(|r| [Some(r.measured), r.theory])
        .flatten()
        .fold(0.0, f64::max);
    let (x_step, x_max) = nice(x_hi);
    let (y_step, y_max) = nice(y_top * 1.05);
    let sx = |x: f64| LEFT + x / x_max * (W - LEFT - RIGHT);
    let sy = |y: f64| H - BOTTOM - y / y_max * (H - TOP - BOTTOM);
    let seed = points.first().map_or(0, |p| p.seed);
    let kind = points.first().map_or("", |p| p.kind);
    let x_title = if sweep.theory.is_some() {
        "how busy: utilisation ρ = λ / (c·μ)".to_string()
    } else {
        sweep.key.clone()
    };
    let y_title = metric_title(&sweep.metric);
    let mut s = format!(
        "<figure class=\"sweep\" id=\"block-{i}\" data-sweep data-state=\"static\" data-kind=\"{}\" data-seed=\"{seed}\" data-metric=\"{}\">\n\
<figcaption><strong>{}</strong></figcaption>\n<p class=\"sweep-axis y\" aria-hidden=\"true\">{}</p>\n",
        esc(kind),
        esc(&sweep.metric),
        esc(&sweep.label),
        esc(&y_title),
    );
    s += &format!(
        "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"sweep-{i}-title\"><title id=\"sweep-{i}-title\">{}: {} against {}, one point per run; the table below gives every figure</title>\n",
        esc(&sweep.label),
        esc(&y_title),
        esc(&x_title)
    );
    s += &axes(x_step, x_max, y_step, y_max, &sx, &sy);
    s += &theory_line(curve, y_max, &sx, &sy);
    s += &format!(
        "<g class=\"runs\" data-ybase=\"{:.2}\" data-yk=\"{:.6}\" data-ytop=\"{TOP}\">\n",
        sy(0.0),
        (H - TOP - BOTTOM) / y_max
    );
    for (p, r) in points.iter().zip(rows) {
        s += &point(sweep, p, r, sx(p.x));
    }
    s += "</g></svg>\n";
    s += &format!(
        "<p class=\"sweep-axis x\" aria-hidden=\"true\">{}</p>\n",
        esc(&x_title)
    );
    s += &legend(sweep, points);
    s += &format!(
        "<div class=\"sweep-controls\"><button type=\"button\" data-sweep-run disabled>Run the sweep</button>\
<p class=\"sweep-status\" role=\"status\">{} runs of this simulation, drawn as each ends (this needs JavaScript); the table has every figure.</p></div>\n",
        points.len()
    );
    s += &table(sweep, points, rows);
    s + "</figure>"
}

/// `latency_mean_ms` -> `latency mean (ms)`.
fn metric_title(m: &str) -> String {
    let t = m.replace('_', " ");
    match t.strip_suffix(" ms") {
        Some(t) => format!("{t} (ms)"),
        None => t,
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// A round step and the axis's end for values up to `hi`: at most about six ticks.
fn nice(hi: f64) -> (f64, f64) {
    let hi = if hi > 0.0 { hi } else { 1.0 };
    let raw = hi / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    (step, (hi / step).ceil() * step)
}

fn num(v: f64) -> String {
    let t = format!("{:.2}", v);
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn axes(
    x_step: f64,
    x_max: f64,
    y_step: f64,
    y_max: f64,
    sx: &dyn Fn(f64) -> f64,
    sy: &dyn Fn(f64) -> f64,
) -> String {
    let mut s = String::from("<g class=\"grid\">");
    let ticks = |step: f64, max: f64| {
        (0..)
            .map(move |k| k as f64 * step)
            .take_while(move |v| *v <= max + step * 1e-6)
    };
    for y in ticks(y_step, y_max) {
        s += &format!(
            "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{y0:.1}\" y2=\"{y0:.1}\"/><text class=\"tick y\" x=\"{}\" y=\"{y0:.1}\">{}</text>",
            W - RIGHT,
            LEFT - 8.0,
            num(y),
            y0 = sy(y)
        );
    }
    for x in ticks(x_step, x_max) {
        s += &format!(
            "<line class=\"v\" x1=\"{x0:.1}\" x2=\"{x0:.1}\" y1=\"{TOP}\" y2=\"{}\"/><text class=\"tick x\" x=\"{x0:.1}\" y=\"{}\">{}</text>",
            H - BOTTOM,
            H - BOTTOM + 24.0,
            num(x),
            x0 = sx(x)
        );
    }
    s += &format!(
        "</g><path class=\"axis\" d=\"M{LEFT} {TOP}V{}H{}\"/>\n",
        H - BOTTOM,
        W - RIGHT
    );
    s
}

/// The theory's polyline, stopped where it leaves the top of the chart.
fn theory_line(
    curve: &[(f64, f64)],
    y_max: f64,
    sx: &dyn Fn(f64) -> f64,
    sy: &dyn Fn(f64) -> f64,
) -> String {
    let mut pts = Vec::new();
    let mut last: Option<(f64, f64)> = None;
    for &(x, y) in curve {
        if y > y_max {
            if let Some((x0, y0)) = last {
                let xm = x0 + (x - x0) * (y_max - y0) / (y - y0);
                pts.push(format!("{:.1},{:.1}", sx(xm), sy(y_max)));
            }
            break;
        }
        pts.push(format!("{:.1},{:.1}", sx(x), sy(y)));
        last = Some((x, y));
    }
    if pts.is_empty() {
        return String::new();
    }
    format!(
        "<polyline class=\"theory\" data-theory points=\"{}\"/>\n",
        pts.join(" ")
    )
}

/// A run's point: hidden until the browser's run of it ends and places it; the build's figure
/// (`data-expect`) lets the page say whether the browser got the same.
fn point(sweep: &Sweep, p: &Point, r: &Row, cx: f64) -> String {
    let pairs: Vec<String> = p
        .pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", v.split('\n').collect::<Vec<_>>().join("; ")))
        .collect();
    let at = match p.station {
        Some(st) => format!("{} {}, ρ {:.2}", sweep.key, p.value, st.rho()),
        None => format!("{} {}", sweep.key, p.value),
    };
    format!(
        "<circle class=\"run\" cx=\"{cx:.1}\" cy=\"0\" r=\"6\" data-pairs=\"{}\" data-expect=\"{:.1}\" data-at=\"{}\"><title>{}</title></circle>\n",
        esc(&pairs.join("\n")),
        r.measured,
        esc(&at),
        esc(&at)
    )
}

fn legend(sweep: &Sweep, points: &[Point]) -> String {
    let (lo, hi) = (
        points.first().map_or("", |p| p.value.as_str()),
        points.last().map_or("", |p| p.value.as_str()),
    );
    let seed = points.first().map_or(0, |p| p.seed);
    let mut s = format!(
        "<ul class=\"sweep-legend\"><li><svg class=\"key\" viewBox=\"0 0 28 14\" aria-hidden=\"true\"><circle class=\"run key\" cx=\"14\" cy=\"7\" r=\"5\"/></svg>\
runs: one simulation per point, {} from {lo} to {hi}, seed {seed}</li>",
        esc(&sweep.key)
    );
    if let Some(name) = points.iter().find_map(|p| p.station).map(|st| st.name()) {
        s += &format!(
            "<li><svg class=\"key\" viewBox=\"0 0 28 14\" aria-hidden=\"true\"><line class=\"theory\" x1=\"1\" y1=\"7\" x2=\"27\" y2=\"7\"/></svg>theory (a formula, not a run): {}</li>",
            esc(&name)
        );
    }
    s + "</ul>\n"
}

fn table(sweep: &Sweep, points: &[Point], rows: &[Row]) -> String {
    let theory = sweep.theory.is_some();
    let what = if theory {
        "every run beside the theory"
    } else {
        "every run"
    };
    let mut s = format!(
        "<div class=\"sweep-table\"><table><caption>{}: {what}</caption><thead><tr><th scope=\"col\">{}</th>",
        esc(&capital(&metric_title(&sweep.metric))),
        esc(&sweep.key)
    );
    if theory {
        s += "<th scope=\"col\">busy ρ</th>";
    }
    s += "<th scope=\"col\">run</th>";
    if theory {
        s += "<th scope=\"col\">theory</th>";
    }
    s += "</tr></thead><tbody>";
    for (p, r) in points.iter().zip(rows) {
        s += &format!("<tr><th scope=\"row\">{}</th>", esc(&p.value));
        if let Some(st) = p.station {
            s += &format!("<td>{:.2}</td>", st.rho());
        }
        s += &format!("<td>{:.1}</td>", r.measured);
        if theory {
            s += &match r.theory {
                Some(t) => format!("<td>{t:.1}</td>"),
                None => "<td>none (ρ ≥ 1)</td>".into(),
            };
        }
        s += "</tr>";
    }
    s + "</tbody></table></div>\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice(210.0), (50.0, 250.0));
        assert_eq!(nice(1.0), (0.2, 1.0));
        assert_eq!(nice(0.0), (0.2, 1.0));
        assert_eq!(metric_title("latency_mean_ms"), "latency mean (ms)");
        assert_eq!(num(0.6000000001), "0.6");
        assert_eq!(num(150.0), "150");
    }
}
