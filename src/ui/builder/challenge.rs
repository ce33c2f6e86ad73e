//! A challenge hosted in the builder: a lesson's design challenge (or a teacher's) opened from a
//! link that carries the block (`challenge=` the fence's info line, a newline, its body) with the
//! widget's settings and seed. The reader edits the design in the builder; every run is the
//! challenge's start (its settings and interventions) with the reader's design in place, and it
//! is judged by the same `content::judge` as on the lesson page, on the same seeds.

use crate::content::challenge::Challenge;
use crate::content::judge::{Line, Verdict};
use crate::content::{parse_challenge, RunTo, Step, WidgetSpec};
use crate::session::Facts;
use std::rc::Rc;
use yew::prelude::*;

/// Each seed tried, with its run's verdict (or why it could not run).
type SeedResults = Vec<(u64, Result<Verdict, String>)>;

/// The hosted challenge and what the latest run made of it.
pub(super) struct Hosted {
    pub challenge: Rc<Challenge>,
    /// The widget the challenge was written for (its settings and seed).
    pub spec: WidgetSpec,
    /// The lesson it comes from (a page slug), for the way back.
    pub lesson: Option<String>,
    pub verdict: Option<Verdict>,
    /// The run the other seeds were tried for, and their verdicts.
    pub seeds: Option<(Rc<Facts>, SeedResults)>,
}

impl Hosted {
    /// Read a link's challenge; every mistake says what was wrong.
    pub fn open(
        raw: &str,
        pairs: Vec<(String, String)>,
        seed: Option<&str>,
        lesson: Option<&str>,
    ) -> Result<Hosted, String> {
        let (info, body) = raw.split_once('\n').unwrap_or((raw, ""));
        let challenge = parse_challenge(info, body)
            .map_err(|e| format!("The challenge in this link could not be read: {e}"))?;
        if !pairs.iter().any(|(k, _)| k == "design" || k == "preset") {
            return Err(
                "The challenge in this link has no design to start from: a challenge link carries `design=` (or `preset=`) beside `challenge=`."
                    .into(),
            );
        }
        let spec = WidgetSpec::new("system", pairs, seed)?;
        challenge
            .check_keys(&spec)
            .map_err(|e| format!("The challenge in this link does not fit its design: {e}"))?;
        let slug = lesson.filter(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        Ok(Hosted {
            challenge: Rc::new(challenge),
            spec,
            lesson: slug.map(str::to_string),
            verdict: None,
            seeds: None,
        })
    }

    /// The design a step leaves the widget with.
    pub fn design_after(&self, step: &Step) -> String {
        let pairs = step.applied_to(&self.spec.pairs);
        crate::sim::find("system")
            .and_then(|s| crate::sim::Params::parse(s.name, s.params, &pairs).ok())
            .and_then(|p| crate::sim::scenario::system::design_text(&p).ok())
            .map(|d| crate::ui::dom::text_lines(&d))
            .unwrap_or_default()
    }

    /// The run of `design` under this challenge: its start (settings, seed, interventions) with
    /// the reader's design in place.
    pub fn step(&self, design: &str, seed: u64) -> Step {
        let mut s = self.challenge.start.clone();
        crate::sim::fixup::put(&mut s.set, "design", design.to_string());
        s.seed = Some(seed);
        s.run = RunTo::Start;
        s.label = "Your design".into();
        s
    }

    /// Judge the latest run: rerun the other seeds once it meets every goal. True when what
    /// the page shows changed.
    pub fn judge(&mut self, f: &Rc<Facts>) -> bool {
        let c = self.challenge.clone();
        let v = c.judge(&self.spec, f);
        if v.met() && c.seeds > 1 && !self.seeds.as_ref().is_some_and(|(k, _)| same_run(k, f)) {
            self.seeds = Some((f.clone(), c.try_seeds(&self.spec, f, c.seeds)));
        }
        let changed = self.verdict.as_ref() != Some(&v);
        self.verdict = Some(v);
        changed
    }

    /// Every goal holds on every seed and every rule was kept.
    pub fn solved(&self) -> bool {
        let met = self.verdict.as_ref().is_some_and(Verdict::met);
        let seeds = self.challenge.seeds <= 1
            || self
                .seeds
                .as_ref()
                .is_some_and(|(_, r)| r.iter().all(|(_, v)| v.as_ref().is_ok_and(Verdict::met)));
        met && seeds
    }

    pub fn view(&self, on_start: Callback<MouseEvent>, on_solution: Callback<MouseEvent>) -> Html {
        let c = &self.challenge;
        let solved = self.solved();
        let done = self.verdict.as_ref().is_some_and(|v| v.done);
        let lines =
            |kind: &'static str, texts: Vec<String>, got: Option<&Vec<Line>>, at_end: bool| {
                texts
                    .into_iter()
                    .enumerate()
                    .map(|(k, text)| {
                        let l = got.and_then(|g| g.get(k));
                        let (ok, mark, word) = l.map_or(("", "○", "not judged yet"), |l| {
                            crate::ui::challenge::marks(l, at_end, done)
                        });
                        let now = l
                            .filter(|l| !l.now.is_empty())
                            .map(|l| format!("({})", l.now));
                        html! {
                            <li data-kind={kind} data-ok={ok}>
                                <span class="mark" aria-hidden="true">{ mark }</span>{" "}
                                <span class="what">{ text }</span>{" "}
                                <span class="word">{ word }</span>{" "}
                                <span class="now">{ now.unwrap_or_default() }</span>
                            </li>
                        }
                    })
                    .collect::<Html>()
            };
        let v = self.verdict.as_ref();
        let goals = lines(
            "goal",
            c.goals.iter().map(|g| g.text.clone()).collect(),
            v.map(|v| &v.goals),
            true,
        );
        let keeps = lines(
            "keep",
            (0..c.keeps.len())
                .map(|i| c.keep_text(i, &self.spec))
                .collect(),
            v.map(|v| &v.keeps),
            false,
        );
        let acts = lines(
            "act",
            c.acts.iter().map(|a| a.text.clone()).collect(),
            v.map(|v| &v.acts),
            true,
        );
        let status = v.map_or_else(
            || "Open: run the design to the end; the goals are judged on its numbers.".to_string(),
            |v| crate::ui::challenge::status(c, v, solved, false),
        );
        let seeds = self.seeds.as_ref().map(|(_, r)| {
            let failed: Vec<String> = r
                .iter()
                .filter(|(_, v)| !v.as_ref().is_ok_and(Verdict::met))
                .map(|(s, _)| s.to_string())
                .collect();
            if failed.is_empty() {
                format!("Met on all {} seeds ({}).", r.len(), seed_list(r))
            } else {
                format!("Not met on seed {} of {}.", failed.join(", "), seed_list(r))
            }
        });
        html! {
            <section class="challenge builder-challenge" data-testid="builder-challenge"
                data-state={if solved { "solved" } else { "open" }} aria-label="Challenge">
                <p class="task"><strong>{"Challenge. "}</strong>{ bold(&c.task) }</p>
                <p class="checks-title">{"Goals "}<span class="hint">{ if c.seeds > 1 { format!("(decided at the end of the run, on {} seeds)", c.seeds) } else { "(decided at the end of the run)".into() } }</span></p>
                <ul class="checks goals">{ goals }</ul>
                if !c.keeps.is_empty() || !c.acts.is_empty() {
                    <p class="checks-title">{"Rules"}</p>
                    <ul class="checks rules">{ keeps }{ acts }</ul>
                }
                <p class="challenge-status" role="status" aria-live="polite">{ status }</p>
                if let Some(s) = seeds { <p class="seed-summary">{ s }</p> }
                <p class="challenge-actions">
                    <button type="button" data-action="challenge-start" onclick={on_start}>{"Start again from the challenge's design"}</button>
                    if let Some(slug) = &self.lesson {
                        <a href={format!("lessons/{slug}.html")} data-action="back-to-lesson">{"← Back to the lesson"}</a>
                    }
                </p>
                <details class="solution"><summary>{"Show a solution"}</summary>
                    <p>{ bold(&c.solution.label) }</p>
                    <p><button type="button" data-action="challenge-solution" onclick={on_solution}>{"Apply this solution"}</button></p>
                </details>
            </section>
        }
    }
}

fn seed_list(r: &[(u64, Result<Verdict, String>)]) -> String {
    let s: Vec<String> = r.iter().map(|(s, _)| s.to_string()).collect();
    format!("seeds {}", s.join(", "))
}

/// The same settings, seed and interventions (the other seeds need no rerun).
fn same_run(a: &Facts, b: &Facts) -> bool {
    a.pairs == b.pairs && a.seed == b.seed && a.log == b.log
}

/// Text with `**bold**` as `<strong>` (text nodes only, never markup).
fn bold(s: &str) -> Html {
    let even = s.matches("**").count() % 2 == 0;
    s.split("**")
        .enumerate()
        .map(|(k, part)| {
            if k % 2 == 1 && even {
                html! { <strong>{ part.to_string() }</strong> }
            } else {
                html! { { part.to_string() } }
            }
        })
        .collect()
}
