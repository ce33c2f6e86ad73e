//! Lessons: the markdown in `content/` is rendered to HTML at build time (see `build.rs`) and
//! compiled in natively (`LESSONS`, from which `bin/pages.rs` writes one static page per lesson);
//! the wasm carries only the lesson list (`INDEX`). Widget directives stay raw and are parsed
//! here, so a bad one becomes a visible error block instead of a failure.

pub mod challenge;
pub mod cond;
pub mod directive;
pub mod judge;
pub mod predict;
pub mod step;
pub mod sweep;
pub mod theory;

pub use challenge::{parse_challenge, Challenge};
pub use directive::{parse_directive, Focus, WidgetSpec};
pub use predict::{parse_prediction, Prediction};
pub use step::{parse_step, RunTo, Step};
pub use sweep::{parse_sweep, Sweep};

/// A lesson block as compiled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawBlock {
    /// Trusted HTML rendered from the lesson's markdown.
    Html(&'static str),
    /// A widget directive, e.g. `widget topology nodes=5 seed=7`.
    Widget(&'static str),
    /// A try-it step: its info string (`try LABEL`) and body.
    Try(&'static str, &'static str),
    /// A prediction: its info string (`predict QUESTION`) and body.
    Predict(&'static str, &'static str),
    /// A challenge: its info string (`challenge TASK`) and body.
    Challenge(&'static str, &'static str),
    /// A sweep: its info string (`sweep LABEL`) and body.
    Sweep(&'static str, &'static str),
}

/// A compiled-in lesson.
#[derive(Clone, Copy, Debug)]
pub struct Lesson {
    pub slug: &'static str,
    pub title: &'static str,
    /// The first paragraph, as plain text (for the lesson list).
    pub summary: &'static str,
    /// Reading time, roughly.
    pub minutes: usize,
    pub blocks: &'static [RawBlock],
}

/// A lesson in the list: no text beyond its title and summary (the wasm carries these only).
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub slug: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub minutes: usize,
}

// Every lesson's text: native only, so the wasm carries none of it (the pages are static HTML).
#[cfg(not(target_arch = "wasm32"))]
include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
include!(concat!(env!("OUT_DIR"), "/lesson_index.rs"));

/// The static page of lesson `slug`, relative to the site's root (`index.html`'s directory).
pub fn page_path(slug: &str) -> String {
    format!("lessons/{slug}.html")
}

/// The lesson list's entry for `slug`.
pub fn entry(slug: &str) -> Option<&'static Entry> {
    INDEX.iter().find(|l| l.slug == slug)
}

/// A lesson block ready to show.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Html(&'static str),
    Widget(WidgetSpec),
    /// A try-it step and the widget it drives (the nearest widget above it, by block index).
    Step {
        step: Step,
        widget: usize,
    },
    /// A prediction and the try-it step that decides it (the next step below it, by block index).
    Predict {
        prediction: Prediction,
        decided_by: usize,
    },
    /// A challenge and the widget it drives (by block index).
    Challenge {
        challenge: Box<Challenge>,
        widget: usize,
    },
    /// A sweep, its points resolved against the widget it repeats (by block index).
    Sweep {
        sweep: Box<Sweep>,
        points: Vec<sweep::Point>,
        widget: usize,
    },
    /// A directive that did not parse: what it said and what is wrong.
    Error {
        directive: String,
        message: String,
    },
}

impl Lesson {
    /// The lesson's blocks with every directive parsed (never fails: errors become blocks).
    pub fn blocks(&self) -> Vec<Block> {
        let mut out = Vec::with_capacity(self.blocks.len());
        let mut widget = None;
        for (i, b) in self.blocks.iter().enumerate() {
            let block = match b {
                RawBlock::Html(h) => Block::Html(h),
                RawBlock::Widget(d) => match parse_directive(d) {
                    Ok(spec) => {
                        widget = Some(i);
                        Block::Widget(spec)
                    }
                    Err(message) => Block::Error {
                        directive: d.to_string(),
                        message,
                    },
                },
                // Parsed once every step is known (`link_predictions`).
                RawBlock::Predict(..) => Block::Html(""),
                RawBlock::Challenge(info, body) => challenge_block(info, body, widget, &out),
                RawBlock::Sweep(info, body) => sweep_block(info, body, widget, &out),
                RawBlock::Try(info, body) => match (parse_step(info, body), widget) {
                    (Ok(step), Some(w)) => Block::Step { step, widget: w },
                    (Ok(_), None) => Block::Error {
                        directive: info.to_string(),
                        message:
                            "a try-it step drives the nearest widget above it, and there is none"
                                .into(),
                    },
                    (Err(message), _) => Block::Error {
                        directive: format!("{info}\n{body}"),
                        message,
                    },
                },
            };
            out.push(block);
        }
        self.link_predictions(&mut out);
        out
    }

    /// Parse each prediction and point it at the next try-it step below it.
    fn link_predictions(&self, out: &mut [Block]) {
        for (i, b) in self.blocks.iter().enumerate() {
            let RawBlock::Predict(info, body) = b else {
                continue;
            };
            let next = (i + 1..out.len()).find(|&j| matches!(out[j], Block::Step { .. }));
            out[i] = match (parse_prediction(info, body), next) {
                (Ok(prediction), Some(decided_by)) => Block::Predict { prediction, decided_by },
                (Ok(_), None) => Block::Error {
                    directive: info.to_string(),
                    message: "a prediction is decided by the next try-it step below it, and there is none".into(),
                },
                (Err(message), _) => Block::Error {
                    directive: format!("{info}\n{body}"),
                    message,
                },
            };
        }
    }
}

/// A challenge linked to its widget (the nearest above, or the lesson's Nth with `widget N`),
/// its kept settings checked against that widget.
fn challenge_block(info: &str, body: &str, nearest: Option<usize>, before: &[Block]) -> Block {
    let error = |message: String| Block::Error {
        directive: format!("{info}\n{body}"),
        message,
    };
    let c = match parse_challenge(info, body) {
        Ok(c) => c,
        Err(e) => return error(e),
    };
    let widgets: Vec<usize> = (0..before.len())
        .filter(|&j| matches!(before[j], Block::Widget(_)))
        .collect();
    let widget = match c.widget {
        Some(n) => match widgets.get(n - 1) {
            Some(&w) => w,
            None => {
                return error(format!(
                    "`widget {n}`: there are {} widgets above this challenge",
                    widgets.len()
                ))
            }
        },
        None => match nearest {
            Some(w) => w,
            None => {
                return error(
                    "a challenge drives the nearest widget above it, and there is none".into(),
                )
            }
        },
    };
    let Some(Block::Widget(spec)) = before.get(widget) else {
        return error("its widget did not parse".into());
    };
    match c.check_keys(spec) {
        Ok(()) => Block::Challenge {
            challenge: Box::new(c),
            widget,
        },
        Err(e) => error(e),
    }
}

/// A sweep with every point resolved against the nearest widget above it.
fn sweep_block(info: &str, body: &str, widget: Option<usize>, before: &[Block]) -> Block {
    let resolved = parse_sweep(info, body).and_then(|sw| {
        let Some((w, Some(Block::Widget(spec)))) = widget.map(|w| (w, before.get(w))) else {
            return Err("a sweep repeats the nearest widget above it, and there is none".into());
        };
        let points = sw.points(spec)?;
        Ok(Block::Sweep {
            sweep: Box::new(sw),
            points,
            widget: w,
        })
    });
    resolved.unwrap_or_else(|message| Block::Error {
        directive: format!("{info}\n{body}"),
        message,
    })
}

/// Look a lesson up by slug.
#[cfg(not(target_arch = "wasm32"))]
pub fn find(slug: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.slug == slug)
}

/// The lesson after this one, for "next" links.
#[cfg(not(target_arch = "wasm32"))]
pub fn next(slug: &str) -> Option<&'static Lesson> {
    let i = LESSONS.iter().position(|l| l.slug == slug)?;
    LESSONS.get(i + 1)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_lesson_parses_without_error_blocks() {
        assert!(!LESSONS.is_empty(), "no lessons compiled in");
        for lesson in LESSONS {
            assert!(!lesson.title.is_empty(), "{} has no title", lesson.slug);
            assert!(
                !lesson.summary.is_empty(),
                "{} has no summary paragraph",
                lesson.slug
            );
            for b in lesson.blocks() {
                if let Block::Error { directive, message } = b {
                    panic!(
                        "lesson `{}`: directive `{directive}`: {message}",
                        lesson.slug
                    );
                }
            }
        }
    }

    #[test]
    fn welcome_comes_first_and_has_a_widget() {
        assert_eq!(LESSONS.first().map(|l| l.slug), Some("welcome"));
        let blocks = find("welcome").map(|l| l.blocks()).unwrap_or_default();
        assert!(blocks
            .iter()
            .any(|b| matches!(b, Block::Widget(w) if w.kind == "topology")));
        assert!(find("nope").is_none());
    }

    #[test]
    fn the_index_lists_every_lesson_in_order() {
        let slugs: Vec<_> = INDEX.iter().map(|e| e.slug).collect();
        let full: Vec<_> = LESSONS.iter().map(|l| l.slug).collect();
        assert_eq!(slugs, full);
        assert_eq!(entry("cap").map(|e| e.title), find("cap").map(|l| l.title));
    }
}
