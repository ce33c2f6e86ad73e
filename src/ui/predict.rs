//! Committed predictions on a lesson page: each `fieldset[data-predict]` (written by
//! `pages::predict_box`) is decided when the try-it step below it (`data-decided-by`) has run:
//! the answer whose conditions hold on the run's metrics is the run's answer; the fieldset gets
//! `data-outcome="right|wrong|unanswered"`, a sentence saying what the reader said and what the
//! run gave (with the figures), and the explanation after the step unfolds. Text only, never markup.

use super::{dom, progress};
use crate::content::cond::Cond;
use crate::progress::Entry;
use crate::sim::metrics::Metrics;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// Enable the answers of every prediction whose deciding step can run (the button is enabled).
pub fn enable_all() {
    for fs in dom::all("fieldset[data-predict]") {
        let step = fs.get_attribute("data-decided-by").unwrap_or_default();
        let ready = dom::all(&format!("button[data-try=\"{}\"]", css_num(&step)))
            .first()
            .is_some_and(|b| !b.has_attribute("disabled"));
        if ready {
            for input in inputs(&fs) {
                input.set_disabled(false);
            }
        }
    }
}

/// The step at block `step` has run and stands where it says: decide the predictions it answers.
pub fn decide(step: usize, m: &Metrics) {
    for fs in dom::all(&format!("fieldset[data-decided-by=\"{step}\"]")) {
        decide_one(&fs, m);
    }
}

fn decide_one(fs: &Element, m: &Metrics) {
    let answers = inputs(fs);
    let truth = answers.iter().position(|i| holds(i, m));
    let picked = answers.iter().position(|i| i.checked());
    let text = |k: Option<usize>| {
        k.and_then(|k| answers.get(k))
            .map(label_of)
            .unwrap_or_default()
    };
    let figures = truth
        .and_then(|k| answers.get(k))
        .map(|i| figures(i, m))
        .unwrap_or_default();
    let (outcome, sentence) = match (picked, truth) {
        (Some(p), Some(t)) if p == t => (
            "right",
            format!(
                "✓ You said “{}”, and the run agrees ({figures}).",
                text(Some(p))
            ),
        ),
        (Some(p), Some(_)) => (
            "wrong",
            format!(
                "✗ You said “{}”; the run gave “{}” ({figures}).",
                text(Some(p)),
                text(truth)
            ),
        ),
        (None, Some(_)) => (
            "unanswered",
            format!(
                "The run gave “{}” ({figures}). Next time, commit to an answer first.",
                text(truth)
            ),
        ),
        (_, None) => (
            "unanswered",
            "This run matches none of the answers: it was changed after the step.".to_string(),
        ),
    };
    show(fs, outcome, &sentence);
    let (Some(slug), Some(block)) = (progress::page_slug(), fs.get_attribute("data-predict"))
    else {
        return;
    };
    progress::record(Entry::Prediction {
        slug,
        block,
        outcome: outcome.into(),
        picked,
        sentence,
    });
}

/// Show a decided prediction: its outcome, the sentence, the explanation unfolded.
fn show(fs: &Element, outcome: &str, sentence: &str) {
    let _ = fs.set_attribute("data-outcome", outcome);
    if let Ok(Some(p)) = fs.query_selector(".outcome") {
        p.set_text_content(Some(sentence));
    }
    let id = fs.get_attribute("data-predict").unwrap_or_default();
    for d in dom::all(&format!(
        "details.explain[data-explains=\"{}\"]",
        css_num(&id)
    )) {
        let _ = d.set_attribute("open", "");
    }
}

/// Put back the predictions this reader already decided on this lesson (stored in this browser):
/// the answer they picked, the outcome and the sentence, the explanation unfolded.
pub fn restore() {
    let Some(slug) = progress::page_slug() else {
        return;
    };
    for e in progress::entries() {
        let Entry::Prediction {
            slug: s,
            block,
            outcome,
            picked,
            sentence,
        } = e
        else {
            continue;
        };
        if s != slug {
            continue;
        }
        let Some(fs) = dom::all(&format!("fieldset[data-predict=\"{}\"]", css_num(&block)))
            .into_iter()
            .next()
        else {
            continue;
        };
        if let Some(input) = picked.and_then(|k| inputs(&fs).into_iter().nth(k)) {
            input.set_checked(true);
        }
        show(&fs, &outcome, &sentence);
    }
}

fn inputs(fs: &Element) -> Vec<HtmlInputElement> {
    let Ok(list) = fs.query_selector_all("input[type=radio]") else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|n| n.dyn_into::<HtmlInputElement>().ok())
        .collect()
}

fn conds(input: &HtmlInputElement) -> Vec<Cond> {
    input
        .get_attribute("data-cond")
        .unwrap_or_default()
        .split(';')
        .filter_map(|c| Cond::parse(c).ok())
        .collect()
}

fn holds(input: &HtmlInputElement, m: &Metrics) -> bool {
    let cs = conds(input);
    !cs.is_empty() && cs.iter().all(|c| c.holds(m).unwrap_or(false))
}

/// `metric value` for each condition of an answer, as the run gave them.
fn figures(input: &HtmlInputElement, m: &Metrics) -> String {
    let mut seen: Vec<String> = Vec::new();
    conds(input)
        .iter()
        // Two conditions on one metric (a range) name it once.
        .filter(|c| {
            let new = !seen.contains(&c.metric);
            seen.push(c.metric.clone());
            new
        })
        .filter_map(|c| {
            c.observed(m)
                .map(|v| format!("{} {v}", c.metric.replace('_', " ")))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn label_of(input: &HtmlInputElement) -> String {
    input
        .parent_element()
        .and_then(|l| l.text_content())
        .map(|t| t.trim().to_string())
        .unwrap_or_default()
}

/// Keep only digits (the ids are block numbers), so a selector can never be broken.
fn css_num(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}
