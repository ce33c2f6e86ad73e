//! The prose is held to the widget: every try-it step of every lesson is run natively exactly as
//! the button runs it, every claim it carries (`expect ...`) must hold where the run stands, and
//! every number a claim states must appear in the prose right after the step, so a prose change
//! that breaks a claim, or a model change that breaks the prose, fails the build.
#![cfg(not(target_arch = "wasm32"))]

use systems_sandbox::content::cond::{Op, Target};
use systems_sandbox::content::{Block, RunTo, WidgetSpec, LESSONS};
use systems_sandbox::session::{speed, Session};

/// The text of the prose blocks after block `i`, up to the next widget or step.
fn prose_after(blocks: &[Block], i: usize) -> String {
    let mut text = String::new();
    for b in &blocks[i + 1..] {
        match b {
            Block::Html(h) => text.push_str(&strip_tags(h)),
            _ => break,
        }
    }
    text
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&").replace("&quot;", "\"")
}

/// Does `number` appear in `text` as a number of its own (not inside a longer one)?
fn mentions(text: &str, number: &str) -> bool {
    text.match_indices(number).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + number.len()..].chars().next();
        let digitish = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let decimal_after = text[at + number.len()..]
            .strip_prefix('.')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        !digitish(before) && !digitish(after) && !decimal_after && before != Some('.')
    })
}

#[test]
fn every_step_runs_and_every_claim_holds_and_is_in_the_prose() {
    let mut problems = Vec::new();
    let mut claims = 0;
    for lesson in LESSONS {
        let blocks = lesson.blocks();
        for (i, b) in blocks.iter().enumerate() {
            let Block::Step { step, widget } = b else {
                continue;
            };
            let Some(Block::Widget(spec)) = blocks.get(*widget) else {
                problems.push(format!(
                    "{}: step `{}` has no widget",
                    lesson.slug, step.label
                ));
                continue;
            };
            let here = format!("{} · `{}`", lesson.slug, step.label);
            let s = match Session::from_step(spec, step) {
                // A `play` step's claims are about the run the reader watches, once it ends.
                Ok(mut s) if step.run == RunTo::Play => {
                    s.run_to_end(u64::MAX);
                    s
                }
                Ok(s) => s,
                Err(e) => {
                    problems.push(format!("{here}: {e}"));
                    continue;
                }
            };
            let metrics = s.sim().metrics();
            let prose = prose_after(&blocks, i);
            for c in &step.expect {
                claims += 1;
                match c.holds(&metrics) {
                    Ok(true) => {}
                    Ok(false) => problems.push(format!(
                        "{here}: claim `{c}` does not hold: the run gives {}",
                        c.observed(&metrics).unwrap_or_default()
                    )),
                    Err(e) => problems.push(format!("{here}: claim `{c}`: {e}")),
                }
                if let (Op::Eq | Op::About(_), Target::Num { text, .. }) = (c.op, &c.target) {
                    if !mentions(&prose, text) {
                        problems.push(format!(
                            "{here}: claim `{c}` states {text}, which the prose after the step never says"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    eprintln!("{claims} claims checked");
}

/// Every sweep's claims hold on the run of the value they name, and every number they state
/// appears in the prose after the sweep (the figures a chart and its table show come from the
/// same runs).
#[test]
fn every_sweep_claim_holds_and_is_in_the_prose() {
    let mut problems = Vec::new();
    let mut claims = 0;
    for lesson in LESSONS {
        let blocks = lesson.blocks();
        for (i, b) in blocks.iter().enumerate() {
            let Block::Sweep { sweep, points, .. } = b else {
                continue;
            };
            let prose = prose_after(&blocks, i);
            for (value, c) in &sweep.expect {
                claims += 1;
                let here = format!("{} · sweep `{}` at {value}", lesson.slug, sweep.label);
                let Some(p) = points.iter().find(|p| &p.value == value) else {
                    problems.push(format!("{here}: no such point"));
                    continue;
                };
                match p.run(&sweep.metric).map(|m| (c.holds(&m), m)) {
                    Ok((Ok(true), _)) => {}
                    Ok((Ok(false), m)) => problems.push(format!(
                        "{here}: claim `{c}` does not hold: the run gives {}",
                        c.observed(&m).unwrap_or_default()
                    )),
                    Ok((Err(e), _)) | Err(e) => problems.push(format!("{here}: {e}")),
                }
                if let (Op::Eq | Op::About(_), Target::Num { text, .. }) = (c.op, &c.target) {
                    if !mentions(&prose, text) {
                        problems.push(format!(
                            "{here}: claim `{c}` states {text}, which the prose after the sweep never says"
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(claims >= 8, "only {claims} sweep claims");
    eprintln!("{claims} sweep claims checked");
}

#[test]
fn numbers_are_found_only_whole() {
    assert!(mentions("about 0.87 by the end", "0.87"));
    assert!(!mentions("about 10.87 by the end", "0.87"));
    assert!(!mentions("15 or 150", "1"));
    assert!(mentions("(15 in this run)", "15"));
    assert!(!mentions("1.5", "1"));
    assert!(mentions("1,994 of 10,000", "1,994"));
}

#[test]
fn a_step_is_absolute_whatever_came_before() {
    // The same step from a widget that was already driven elsewhere gives the same run.
    let spec = WidgetSpec::new("topology", vec![("requests".into(), "200".into())], None).unwrap();
    let step = systems_sandbox::content::parse_step(
        "try Lose some",
        "set loss=0.2\nat 100 cut:1\nrun end",
    )
    .unwrap();
    let a = Session::from_step(&spec, &step).unwrap();
    let b = Session::from_step(&spec, &step).unwrap();
    assert_eq!(a.sim().trace_hash(), b.sim().trace_hash());
    assert_eq!(a.sim().log().len(), 1);
    assert!(a.sim().is_done());
}

/// Each run a learner watches (a widget as the lesson opens it, and every `play` step) ends,
/// and plays within 20 s at the speed the widget starts at. Prints, per lesson, the wall time of
/// watching every `play` step at those speeds.
#[test]
fn every_watched_run_plays_within_twenty_seconds() {
    let mut slow = Vec::new();
    for lesson in LESSONS {
        let blocks = lesson.blocks();
        let mut watch_ms = 0.0;
        for b in &blocks {
            let (state, what) = match b {
                Block::Widget(spec) => (
                    Session::new(spec.kind, &spec.pairs, spec.seed),
                    spec.directive(),
                ),
                Block::Step { step, widget } if step.run == RunTo::Play => {
                    match blocks.get(*widget) {
                        Some(Block::Widget(spec)) => (
                            Session::from_step(spec, step),
                            format!("step `{}`", step.label),
                        ),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let Ok(s) = state else { continue };
            let Some(end) = s.end_estimate(300_000) else {
                slow.push(format!(
                    "{}: {what} does not end within 300,000 events",
                    lesson.slug
                ));
                continue;
            };
            let ms = speed::wall_ms(end, speed::watchable(end));
            if ms > speed::WATCH_LIMIT_MS {
                slow.push(format!(
                    "{}: {what} takes {:.1} s",
                    lesson.slug,
                    ms / 1000.0
                ));
            }
            if matches!(b, Block::Step { .. }) {
                watch_ms += ms;
            }
        }
        eprintln!(
            "{}: the play steps take {:.0} s at their starting speeds",
            lesson.slug,
            watch_ms / 1000.0
        );
    }
    assert!(slow.is_empty(), "{}", slow.join("\n"));
}

/// Every prediction is decided by the run of the step below it: exactly one answer holds there.
#[test]
fn every_prediction_has_exactly_one_right_answer() {
    let mut problems = Vec::new();
    let mut decided = 0;
    for lesson in LESSONS {
        let blocks = lesson.blocks();
        for b in &blocks {
            let Block::Predict {
                prediction,
                decided_by,
            } = b
            else {
                continue;
            };
            let here = format!("{} · `{}`", lesson.slug, prediction.question);
            let (Some(Block::Step { step, widget }), ..) = (blocks.get(*decided_by), ()) else {
                problems.push(format!("{here}: no deciding step"));
                continue;
            };
            let Some(Block::Widget(spec)) = blocks.get(*widget) else {
                continue;
            };
            let Ok(mut s) = Session::from_step(spec, step) else {
                problems.push(format!("{here}: its step does not run"));
                continue;
            };
            if step.run == RunTo::Play {
                s.run_to_end(u64::MAX);
            }
            match prediction.holding(&s.sim().metrics()) {
                Ok(h) if h.len() == 1 => decided += 1,
                Ok(h) => problems.push(format!(
                    "{here}: {} answers hold on the run of `{}` (answers {:?})",
                    h.len(),
                    step.label,
                    h
                )),
                Err(e) => problems.push(format!("{here}: {e}")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("{decided} predictions decided");
}

/// Every fenced block a lesson's source opens as a step, a prediction or a challenge became one: a fence whose
/// first line markdown cannot read as an info string (a backtick in a question, say) would
/// otherwise turn silently into prose.
#[test]
fn every_step_prediction_and_challenge_fence_in_the_source_is_a_block() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "md"));
    assert_eq!(files.len(), LESSONS.len());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let fences = |word: &str| {
            text.lines()
                .filter(|l| l.starts_with(&format!("```{word} ")))
                .count()
        };
        let slug = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        let Some(lesson) = LESSONS.iter().find(|l| l.slug == slug) else {
            panic!("{slug}: not compiled in");
        };
        let blocks = lesson.blocks();
        let steps = blocks
            .iter()
            .filter(|b| matches!(b, Block::Step { .. }))
            .count();
        let predictions = blocks
            .iter()
            .filter(|b| matches!(b, Block::Predict { .. }))
            .count();
        let challenges = blocks
            .iter()
            .filter(|b| matches!(b, Block::Challenge { .. }))
            .count();
        assert_eq!(
            challenges,
            fences("challenge"),
            "{slug}: a ```challenge fence did not become a challenge"
        );
        assert_eq!(
            steps,
            fences("try"),
            "{slug}: a ```try fence did not become a step"
        );
        let sweeps = blocks
            .iter()
            .filter(|b| matches!(b, Block::Sweep { .. }))
            .count();
        assert_eq!(
            sweeps,
            fences("sweep"),
            "{slug}: a ```sweep fence did not become a sweep"
        );
        assert_eq!(
            predictions,
            fences("predict"),
            "{slug}: a ```predict fence did not become a prediction"
        );
    }
}

/// Every challenge is judged for real: its solution meets every goal and keeps every rule on
/// each of its seeds, and its start (the widget as the lesson opens it, with the challenge's
/// `start` lines) misses at least one goal, so a challenge can neither be impossible nor already
/// solved.
#[test]
fn every_challenge_solution_passes_and_its_start_fails() {
    use systems_sandbox::content::judge::Verdict;
    let mut problems = Vec::new();
    let mut judged = 0;
    let show = |v: &Verdict| {
        let lines: Vec<String> = v
            .goals
            .iter()
            .chain(&v.keeps)
            .chain(&v.acts)
            .map(|l| format!("{:?} {}", l.ok, l.now))
            .collect();
        lines.join("; ")
    };
    for lesson in LESSONS {
        let blocks = lesson.blocks();
        for b in &blocks {
            let Block::Challenge {
                challenge: c,
                widget,
            } = b
            else {
                continue;
            };
            let Some(Block::Widget(spec)) = blocks.get(*widget) else {
                problems.push(format!("{}: a challenge without its widget", lesson.slug));
                continue;
            };
            let here = format!("{} · `{}`", lesson.slug, c.task);
            let first = c.solution.seed.unwrap_or(spec.seed);
            for seed in c.seeds_from(first, c.seeds) {
                let mut step = c.solution.clone();
                step.seed = Some(seed);
                step.run = RunTo::End;
                match Session::from_step(spec, &step) {
                    Ok(s) => {
                        let v = c.judge(spec, &s.facts());
                        if !v.met() {
                            problems.push(format!(
                                "{here}: the solution fails on seed {seed}: {}",
                                show(&v)
                            ));
                        }
                    }
                    Err(e) => problems.push(format!("{here}: the solution does not run: {e}")),
                }
            }
            let mut start = c.start.clone();
            start.run = RunTo::End;
            match Session::from_step(spec, &start) {
                Ok(s) => {
                    let v = c.judge(spec, &s.facts());
                    if v.met() {
                        problems.push(format!("{here}: the start already meets it: {}", show(&v)));
                    }
                    // Not just a missing intervention: the start's own run misses a goal.
                    if v.goals.iter().all(|l| l.ok == Some(true)) {
                        problems.push(format!("{here}: the start meets every goal: {}", show(&v)));
                    }
                    if v.goals.iter().any(|l| l.ok.is_none()) {
                        problems.push(format!("{here}: a goal names no metric: {}", show(&v)));
                    }
                }
                Err(e) => problems.push(format!("{here}: the start does not run: {e}")),
            }
            judged += 1;
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(judged >= 11, "only {judged} challenges");
    eprintln!("{judged} challenges judged");
}

/// "Try N seeds" reruns the reader's own state: on its own seed the rerun is the very run, and
/// interventions are replayed at their times on the others.
#[test]
fn a_rerun_on_its_own_seed_is_the_same_run() {
    let spec = WidgetSpec::new("topology", vec![("requests".into(), "200".into())], None).unwrap();
    let step = systems_sandbox::content::parse_step("try Cut", "at 100 cut:1\nrun end").unwrap();
    let s = Session::from_step(&spec, &step).unwrap();
    let f = s.facts();
    assert_eq!(f.rerun(f.seed).unwrap(), f);
    let other = f.rerun(f.seed + 1).unwrap();
    assert!(other.done);
    assert_eq!(other.log.len(), 1);
    assert_eq!(other.log[0].cmd, f.log[0].cmd);
    assert_ne!(other.metrics, f.metrics);
}

/// A prediction is answered where the reader looks: every metric its answers name is among the
/// metrics its widget shows up front (the directive's `show=` or the scenario's default).
#[test]
fn every_prediction_is_answered_by_metrics_shown_up_front() {
    let mut problems = Vec::new();
    for lesson in LESSONS {
        let blocks = lesson.blocks();
        for (i, b) in blocks.iter().enumerate() {
            let Block::Predict {
                prediction,
                decided_by,
            } = b
            else {
                continue;
            };
            let Some(Block::Step { widget, .. }) = blocks.get(*decided_by) else {
                continue; // every_prediction_has_exactly_one_right_answer reports it
            };
            let Some(Block::Widget(spec)) = blocks.get(*widget) else {
                continue;
            };
            let shown = spec.focus_metrics();
            for a in &prediction.answers {
                for c in &a.conds {
                    // A list metric's item (`share.2`) is shown with its list; a component's
                    // metric (`api.probes`) is a name of its own.
                    let name = match c.metric.rsplit_once('.') {
                        Some((list, n)) if n.chars().all(|d| d.is_ascii_digit()) => list,
                        _ => c.metric.as_str(),
                    };
                    if !shown.contains(&name) {
                        problems.push(format!(
                            "{} block {i}: `{}` is not shown up front on its widget (show={})",
                            lesson.slug,
                            c.metric,
                            shown.join(",")
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
