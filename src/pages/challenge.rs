//! A challenge on a static lesson page: `section[data-challenge]` with `data-state="open"`, the
//! task in the lesson's words, its goals and rules as a checklist (each line a mark and a word,
//! filled in by `ui::challenge` as the run goes), "Start the challenge" and "Try N seeds" buttons,
//! and the solution folded under "Show a solution" (readable with JavaScript off). The raw block
//! rides along in `data-challenge-info` / `data-challenge-body`, parsed again by the wasm.

use super::html::esc;
use crate::content::{Challenge, WidgetSpec};
use crate::route::{Route, WidgetRoute};

/// The whole section.
pub fn challenge_box(
    i: usize,
    c: &Challenge,
    (info, body): (&str, &str),
    (widget, spec): (usize, &WidgetSpec),
    slug: &str,
) -> String {
    let line = |kind: &str, k: usize, text: &str| {
        format!(
            "<li data-{kind}=\"{k}\"><span class=\"mark\" aria-hidden=\"true\">○</span> \
<span class=\"what\">{}</span> <span class=\"word\">not judged yet</span> <span class=\"now\"></span></li>",
            esc(text)
        )
    };
    let goals: String = c
        .goals
        .iter()
        .enumerate()
        .map(|(k, g)| line("goal", k, &g.text))
        .collect();
    let mut rules: String = (0..c.keeps.len())
        .map(|k| line("keep", k, &c.keep_text(k, spec)))
        .collect();
    rules += &c
        .acts
        .iter()
        .enumerate()
        .map(|(k, a)| line("act", k, &a.text))
        .collect::<String>();
    let rules = if rules.is_empty() {
        String::new()
    } else {
        format!("<p class=\"checks-title\" id=\"challenge-{i}-rules\">Rules</p><ul class=\"checks rules\" aria-labelledby=\"challenge-{i}-rules\">{rules}</ul>")
    };
    let seeds = match c.seeds {
        1 => String::new(),
        n => format!(
            " They must hold on {n} seeds: this run's and the next {}.",
            n - 1
        ),
    };
    format!(
        "<section class=\"challenge\" data-challenge=\"{i}\" data-state=\"open\" data-widget=\"block-{widget}\" \
aria-label=\"Challenge\" data-challenge-info=\"{info}\" data-challenge-body=\"{body}\">\
<p class=\"task\"><strong>Challenge.</strong> {task}</p>\
<p class=\"checks-title\" id=\"challenge-{i}-goals\">Goals <span class=\"hint\">(decided at the end of the run{seeds_short})</span></p>\
<ul class=\"checks goals\" aria-labelledby=\"challenge-{i}-goals\">{goals}</ul>{rules}\
<p class=\"judge-note\">Set the widget up, run it to the end, and each goal is judged on the run's own numbers.{seeds}</p>\
<p class=\"challenge-status\" role=\"status\" aria-live=\"polite\">Open.</p>\
<p class=\"challenge-actions\"><button type=\"button\" data-challenge-action=\"start\" aria-controls=\"block-{widget}\" disabled>Start the challenge</button> \
<button type=\"button\" data-challenge-action=\"seeds\" disabled>Try {n} seeds</button></p>\
<p class=\"seed-summary\" role=\"status\" aria-live=\"polite\"></p><ol class=\"seed-results\" aria-label=\"Results per seed\"></ol>\
{builder}<details class=\"solution\"><summary>Show a solution</summary><p>{solution}</p>\
<p class=\"try\"><button type=\"button\" data-challenge-action=\"solution\" aria-controls=\"block-{widget}\" disabled>\
<span aria-hidden=\"true\">▶ </span>Apply this solution</button></p></details></section>",
        info = esc(info),
        body = esc(body),
        task = inline(&c.task),
        seeds_short = if c.seeds > 1 { format!(", on {} seeds", c.seeds) } else { String::new() },
        n = c.seeds_to_try(),
        solution = inline(&c.solution.label),
        builder = in_builder((info, body), spec, slug),
    )
}

/// A `system` widget's challenge can also be taken in the builder: a link carrying the widget's
/// settings and seed, the raw block and the lesson (for the way back).
fn in_builder((info, body): (&str, &str), spec: &WidgetSpec, slug: &str) -> String {
    if spec.kind != "system" {
        return String::new();
    }
    let mut pairs = spec.pairs.clone();
    pairs.push(("challenge".into(), format!("{info}\n{body}")));
    pairs.push(("lesson".into(), slug.into()));
    let route = Route::Build(WidgetRoute {
        kind: "system".into(),
        pairs,
        seed: Some(spec.seed.to_string()),
        ..Default::default()
    });
    format!(
        "<p class=\"in-builder\"><a href=\"../index.html{}\" data-action=\"challenge-in-builder\">Take this challenge in the builder →</a> \
<span class=\"hint\">(the same goals and rules, with the palette, the inspector and the text view)</span></p>",
        esc(&route.to_hash())
    )
}

/// Escaped text with `**bold**` as `<strong>` (the only markup a fence's info string can carry).
pub fn inline(s: &str) -> String {
    let mut out = String::new();
    for (k, part) in s.split("**").enumerate() {
        if k % 2 == 1 && s.matches("**").count() % 2 == 0 {
            out += &format!("<strong>{}</strong>", esc(part));
        } else {
            if k > 0 && s.matches("**").count() % 2 == 1 {
                out += "**";
            }
            out += &esc(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_and_escaping() {
        assert_eq!(inline("a **b** <c>"), "a <strong>b</strong> &lt;c&gt;");
        assert_eq!(inline("a ** b"), "a ** b");
    }
}
