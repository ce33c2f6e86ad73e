//! Judged challenges on a lesson page: each `section[data-challenge]` (written by
//! `pages::challenge`) is parsed again from its raw block and judged on its widget's facts after
//! every redraw (`WidgetFrame`'s `on_facts`): each goal and rule line gets a mark and a word
//! (✓ so far / ✗ not yet / ✓ met / ✗ not met / ✓ kept / ✗ broken), the run's value, and `data-ok`; the
//! section gets `data-state="open|solved"` and a status sentence. With `seeds N`, a run that meets
//! every goal is rerun on the next N − 1 seeds at once (synchronously, `Facts::rerun`) before it
//! counts. "Try N seeds" shows a result per seed; "Start the challenge" and "Apply this solution"
//! drive the widget like try-it steps. Text only, never markup.

use super::dom;
use crate::content::challenge::Challenge;
use crate::content::judge::{Line, Verdict};
use crate::content::{parse_challenge, RunTo, WidgetSpec};
use crate::session::Facts;
use gloo::events::EventListener;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::Element;

/// One challenge on the page.
struct Wired {
    section: Element,
    challenge: Rc<Challenge>,
    spec: WidgetSpec,
    /// The placeholder id of the widget it drives.
    widget: String,
    /// The latest facts of that widget's run.
    facts: Option<Rc<Facts>>,
    /// The run (settings, seed, interventions) the other seeds were tried for, and whether all
    /// of them met the goals.
    seeds_for: Option<(Rc<Facts>, bool)>,
    solved_once: bool,
}

thread_local! {
    static CHALLENGES: RefCell<Vec<Wired>> = const { RefCell::new(Vec::new()) };
    /// The latest facts of each reporting widget, kept for challenges wired after its first
    /// redraw.
    static LATEST: RefCell<Vec<(String, Rc<Facts>)>> = const { RefCell::new(Vec::new()) };
}

/// The widget ids the page's challenges drive (so only those frames report their facts).
pub fn judged_widgets() -> Vec<String> {
    dom::all("section[data-challenge]")
        .iter()
        .filter_map(|s| s.get_attribute("data-widget"))
        .collect()
}

/// Wire every challenge whose widget mounted (`spec_of` gives a mounted widget's spec by id),
/// and judge it on the facts its widget has reported so far.
pub fn wire_all(spec_of: impl Fn(&str) -> Option<WidgetSpec>) {
    for section in dom::all("section[data-challenge]") {
        let info = section
            .get_attribute("data-challenge-info")
            .unwrap_or_default();
        let body = section
            .get_attribute("data-challenge-body")
            .unwrap_or_default();
        let widget = section.get_attribute("data-widget").unwrap_or_default();
        let (Ok(c), Some(spec)) = (parse_challenge(&info, &body), spec_of(&widget)) else {
            continue; // the buttons stay disabled; the static text still reads
        };
        let c = Rc::new(c);
        for button in buttons(&section) {
            let _ = button.remove_attribute("disabled");
            let action = button
                .get_attribute("data-challenge-action")
                .unwrap_or_default();
            let (c, widget, section) = (c.clone(), widget.clone(), section.clone());
            EventListener::new(&button, "click", move |_| {
                press(&action, &c, &widget, &section)
            })
            .forget();
        }
        let before = solved_before(&section);
        let facts = LATEST.with(|l| {
            l.borrow()
                .iter()
                .find(|(id, _)| *id == widget)
                .map(|(_, f)| f.clone())
        });
        CHALLENGES.with(|all| {
            all.borrow_mut().push(Wired {
                section,
                challenge: c,
                spec,
                widget,
                facts,
                seeds_for: None,
                solved_once: before,
            });
            if let Some(w) = all.borrow_mut().last_mut() {
                judge(w);
            }
        });
    }
}

fn buttons(section: &Element) -> Vec<Element> {
    let Ok(list) = section.query_selector_all("button[data-challenge-action]") else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<Element>(n).ok())
        .collect()
}

fn press(action: &str, c: &Challenge, widget: &str, section: &Element) {
    match action {
        "start" => super::hydrate::drive(widget, &c.start, usize::MAX),
        "solution" => {
            let mut step = c.solution.clone();
            if step.run == RunTo::Start {
                step.run = RunTo::End;
            }
            super::hydrate::drive(widget, &step, usize::MAX)
        }
        "seeds" => try_seeds(section),
        _ => {}
    }
}

/// The widget `id` redrew: judge the challenges on it.
pub fn on_facts(id: &str, facts: Rc<Facts>) {
    LATEST.with(|l| {
        let mut l = l.borrow_mut();
        match l.iter_mut().find(|(w, _)| w == id) {
            Some(slot) => slot.1 = facts.clone(),
            None => l.push((id.to_string(), facts.clone())),
        }
    });
    CHALLENGES.with(|all| {
        for w in all.borrow_mut().iter_mut().filter(|w| w.widget == id) {
            w.facts = Some(facts.clone());
            judge(w);
        }
    });
}

fn judge(w: &mut Wired) {
    let Some(f) = w.facts.clone() else { return };
    let c = w.challenge.clone();
    let v = c.judge(&w.spec, &f);
    show_lines(&w.section, "goal", &v.goals, v.done, true);
    show_lines(&w.section, "keep", &v.keeps, v.done, false);
    show_lines(&w.section, "act", &v.acts, v.done, true);
    let mut seeds_ok = true;
    if v.met() && c.seeds > 1 {
        if !w.seeds_for.as_ref().is_some_and(|(k, _)| same_run(k, &f)) {
            let results = c.try_seeds(&w.spec, &f, c.seeds);
            let ok = results
                .iter()
                .all(|(_, r)| r.as_ref().is_ok_and(|v| v.met()));
            show_seeds(&w.section, &c, &results);
            w.seeds_for = Some((f.clone(), ok));
        }
        seeds_ok = w.seeds_for.as_ref().is_some_and(|(_, ok)| *ok);
    }
    let solved = v.met() && seeds_ok;
    let _ = w
        .section
        .set_attribute("data-state", if solved { "solved" } else { "open" });
    set_text(
        &w.section,
        ".challenge-status",
        &status(&c, &v, solved, w.solved_once),
    );
    if solved {
        let id = w
            .section
            .get_attribute("data-challenge")
            .unwrap_or_default();
        let digits: String = id.chars().filter(char::is_ascii_digit).collect();
        for d in dom::all(&format!("details[data-explains-challenge=\"{digits}\"]")) {
            let _ = d.set_attribute("open", "");
        }
    }
    if solved && !w.solved_once {
        w.solved_once = true;
        let id = w
            .section
            .get_attribute("data-challenge")
            .unwrap_or_default();
        if let Some(slug) = super::progress::page_slug() {
            super::progress::challenge_solved(&slug, &id);
        }
    }
}

/// This browser remembers solving this challenge (`ui::progress`).
fn solved_before(section: &Element) -> bool {
    let (Some(slug), Some(id)) = (
        super::progress::page_slug(),
        section.get_attribute("data-challenge"),
    ) else {
        return false;
    };
    super::progress::entries().iter().any(|e| {
        matches!(e, crate::progress::Entry::Challenge { slug: s, id: i } if *s == slug && *i == id)
    })
}

/// The same settings, seed and interventions (whatever the metrics).
fn same_run(a: &Facts, b: &Facts) -> bool {
    a.pairs == b.pairs && a.seed == b.seed && a.log == b.log
}

pub(crate) fn status(c: &Challenge, v: &Verdict, solved: bool, before: bool) -> String {
    let holding = v.goals.iter().filter(|l| l.ok == Some(true)).count();
    let total = v.goals.len();
    if solved {
        return match c.seeds {
            1 => "Solved ✓: the run has ended, every goal holds and every rule was kept.".into(),
            n => format!("Solved ✓: every goal holds on all {n} seeds, and every rule was kept."),
        };
    }
    let again = if before {
        " (You have solved it before.)"
    } else {
        ""
    };
    if v.keeps.iter().any(|l| l.ok != Some(true)) {
        return format!(
            "Open ✗: a setting the challenge keeps has changed, so this run does not count.{again}"
        );
    }
    if !v.done {
        return format!("Open: the run has not ended; the goals are decided when it does.{again}");
    }
    if !v.rules_kept() {
        return format!(
            "Open ✗: the run has ended, but not with the interventions the challenge asks for.{again}"
        );
    }
    if v.met() {
        return format!(
            "Open ✗: every goal holds on this seed, but not on all {} seeds (see the results below).{again}",
            c.seeds
        );
    }
    format!("Open ✗: the run has ended and {holding} of {total} goals hold.{again}")
}

/// A line's state as `data-ok`, its mark and its word: goals are decided at the end of the run
/// (`decided_at_end`), rules hold all along. Colour is never the only signal.
pub(crate) fn marks(
    l: &Line,
    decided_at_end: bool,
    done: bool,
) -> (&'static str, &'static str, &'static str) {
    match (l.ok, decided_at_end, done) {
        (None, ..) => ("unknown", "?", "cannot be read"),
        (Some(true), true, false) => ("yes", "✓", "so far"),
        (Some(false), true, false) => ("no", "✗", "not yet"),
        (Some(true), true, true) => ("yes", "✓", "met"),
        (Some(false), true, true) => ("no", "✗", "not met"),
        (Some(true), false, _) => ("yes", "✓", "kept"),
        (Some(false), false, _) => ("no", "✗", "broken"),
    }
}

/// Mark each line of a kind. `decided_at_end`: goals and intervention counts (so far / not yet,
/// then met / not met); otherwise kept settings (kept / broken, at once).
fn show_lines(section: &Element, kind: &str, lines: &[Line], done: bool, decided_at_end: bool) {
    for (k, l) in lines.iter().enumerate() {
        let Ok(Some(li)) = section.query_selector(&format!("li[data-{kind}=\"{k}\"]")) else {
            continue;
        };
        let (ok, mark, word) = marks(l, decided_at_end, done);
        if li.get_attribute("data-ok").as_deref() != Some(ok) {
            let _ = li.set_attribute("data-ok", ok);
        }
        set_text(&li, ".mark", mark);
        set_text(&li, ".word", word);
        let now = if l.now.is_empty() {
            String::new()
        } else {
            format!("({})", l.now)
        };
        set_text(&li, ".now", &now);
    }
}

/// "Try N seeds": the reader's state on N seeds from the run's own, each judged.
fn try_seeds(section: &Element) {
    let job = CHALLENGES.with(|all| {
        all.borrow()
            .iter()
            .find(|w| &w.section == section)
            .and_then(|w| Some((w.challenge.clone(), w.spec.clone(), w.facts.clone()?)))
    });
    let Some((c, spec, f)) = job else { return };
    let results = c.try_seeds(&spec, &f, c.seeds_to_try());
    show_seeds(section, &c, &results);
    let passed = results
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|v| v.met()))
        .count();
    set_text(
        section,
        ".seed-summary",
        &format!(
            "Your settings and interventions meet the challenge on {passed} of {} seeds.",
            results.len()
        ),
    );
}

fn show_seeds(section: &Element, c: &Challenge, results: &[(u64, Result<Verdict, String>)]) {
    let Ok(Some(list)) = section.query_selector(".seed-results") else {
        return;
    };
    list.set_text_content(None);
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for (seed, r) in results {
        let (ok, text) = match r {
            Ok(v) if v.met() => ("yes", format!("Seed {seed}: ✓ met")),
            Ok(v) if !v.done => ("no", format!("Seed {seed}: ✗ the run did not end")),
            Ok(v) => ("no", format!("Seed {seed}: ✗ {}", missed(c, v))),
            Err(e) => ("no", format!("Seed {seed}: ✗ {e}")),
        };
        if let Ok(li) = doc.create_element("li") {
            let _ = li.set_attribute("data-ok", ok);
            li.set_text_content(Some(&text));
            let _ = list.append_child(&li);
        }
    }
}

/// The goals a run missed, with its values.
fn missed(c: &Challenge, v: &Verdict) -> String {
    let goals = c.goals.iter().zip(&v.goals);
    let mut out: Vec<String> = goals
        .filter(|(_, l)| l.ok != Some(true))
        .map(|(g, l)| format!("{} ({})", g.text, l.now))
        .collect();
    if v.keeps.iter().any(|l| l.ok != Some(true)) {
        out.push("a kept setting changed".into());
    }
    let acts = c.acts.iter().zip(&v.acts);
    out.extend(
        acts.filter(|(_, l)| l.ok != Some(true))
            .map(|(a, l)| format!("{} ({})", a.text, l.now)),
    );
    format!("not met: {}", out.join("; "))
}

fn set_text(el: &Element, selector: &str, text: &str) {
    if let Ok(Some(e)) = el.query_selector(selector) {
        if e.text_content().as_deref() != Some(text) {
            e.set_text_content(Some(text));
        }
    }
}
