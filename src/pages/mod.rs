//! Static lesson pages (native only): every lesson becomes `lessons/<slug>.html` with its whole
//! prose in the HTML, readable with JavaScript off and by search engines. Each widget is a
//! placeholder carrying its directive (`data-directive`) and each try-it step a disabled button
//! carrying its text (`data-step-info`, `data-step`); `static/lesson.js` loads the wasm, whose
//! `mount_lesson` (`ui::hydrate`) mounts a widget into every placeholder and wires every button.
//! `bin/pages.rs` writes the files into the built site; the home list goes into `index.html`.

pub mod challenge;
pub mod html;
pub mod sweep;

use crate::content::{self, Block, Lesson, Prediction, Step, WidgetSpec};
use crate::route::{Route, WidgetRoute};
use html::{esc, Head};

/// The home page's static content (site header, lesson list, footer), for `index.html`'s `#app`:
/// the app renders the same markup when the wasm mounts, so nothing moves (`data-static` marks
/// the build's copy; the app's has none).
pub fn home_content() -> String {
    format!(
        "{}<main id=\"main\" tabindex=\"-1\" data-static>{}</main>{}",
        html::header("#/"),
        html::home_list(content::INDEX),
        html::footer("#/")
    )
}

/// Put the static home content into the built `index.html` in place of the loading line.
/// `None` if the page has no `#app` element with a single loading paragraph.
pub fn fill_index(index: &str) -> Option<String> {
    let start = index
        .find("id=\"app\">")
        .map(|i| i + "id=\"app\">".len())
        .or_else(|| index.find("id=app>").map(|i| i + "id=app>".len()))?;
    let end = start + index[start..].find("</div>")?;
    Some(format!(
        "{}{}{}",
        &index[..start],
        home_content(),
        &index[end..]
    ))
}

/// The whole static page of `lesson`.
pub fn lesson_page(lesson: &Lesson) -> String {
    let title = format!("{} · Systems Sandbox", lesson.title);
    let mut s = html::head(&Head {
        title: &title,
        description: lesson.summary,
        root: "../",
        script: "lesson.js",
    });
    s += &html::header("../index.html");
    s += &format!(
        "<main id=\"main\" class=\"lesson-main\" tabindex=\"-1\">\n<article class=\"lesson\" data-slug=\"{}\">\n",
        esc(lesson.slug)
    );
    let blocks = lesson.blocks();
    // The prose right after a step that decides a prediction is its explanation: folded until the
    // run has answered (readable with JavaScript off: a <details> opens by hand).
    let deciding: Vec<(usize, usize)> = blocks
        .iter()
        .enumerate()
        .filter_map(|(p, b)| match b {
            Block::Predict { decided_by, .. } => Some((*decided_by, p)),
            _ => None,
        })
        .collect();
    let mut open: Option<usize> = None;
    // A scene: a widget and the prose after it, up to the next widget. On a wide screen the
    // widget stays in view beside the prose that drives it (CSS: sticky); narrower, it sits
    // above that prose as before.
    let mut scene = false;
    let mut after_challenge: Option<usize> = None;
    for (i, b) in blocks.into_iter().enumerate() {
        let prose = matches!(b, Block::Html(_));
        if open.is_some() && !prose {
            s += "</details>\n";
            open = None;
        }
        if matches!(b, Block::Widget(_)) {
            if scene {
                s += "</div></section>\n";
            }
            s += &format!("<section class=\"scene\" id=\"scene-{i}\">\n");
            s += &block(i, b, lesson);
            s += "\n<div class=\"scene-prose\">\n";
            scene = true;
            continue;
        }
        // The prose after a challenge: its first paragraph (the question it leaves) stays, the
        // rest (the answer) folds until the challenge is solved or the reader opens it.
        if let (Some(c), Block::Html(h)) = (after_challenge.take(), &b) {
            let h = html::rewrite_links(h);
            let cut = h.find("</p>").map_or(h.len(), |k| k + "</p>".len());
            s += &format!("<div class=\"prose\">{}</div>\n", &h[..cut]);
            s += &format!(
                "<details class=\"explain\" data-explains-challenge=\"{c}\"><summary>The answer (opens when you solve the challenge, or open it now)</summary>\n<div class=\"prose\">{}</div>\n",
                &h[cut..]
            );
            open = Some(c);
            continue;
        }
        let challenge = matches!(b, Block::Challenge { .. });
        s += &block(i, b, lesson);
        s.push('\n');
        if challenge {
            after_challenge = Some(i);
        }
        if let Some((_, p)) = deciding.iter().find(|(d, _)| *d == i) {
            s += &format!(
                "<details class=\"explain\" data-explains=\"{p}\"><summary>Why? (opens when the run has answered your prediction)</summary>\n"
            );
            open = Some(*p);
        }
    }
    if open.is_some() {
        s += "</details>\n";
    }
    if scene {
        s += "</div></section>\n";
    }
    s += &next_link(lesson.slug);
    s += "</article>\n</main>\n";
    s += &html::footer("../index.html");
    s + "</body>\n</html>\n"
}

fn block(i: usize, b: Block, lesson: &Lesson) -> String {
    match b {
        Block::Html(h) => format!("<div class=\"prose\">{}</div>", html::rewrite_links(h)),
        Block::Widget(spec) => placeholder(i, &spec, lesson),
        Block::Step { step, widget } => try_button(i, &step, widget, lesson),
        Block::Predict {
            prediction,
            decided_by,
        } => predict_box(i, &prediction, decided_by),
        Block::Challenge { challenge, widget } => {
            let raw = match lesson.blocks.get(i) {
                Some(content::RawBlock::Challenge(info, body)) => (*info, *body),
                _ => ("", ""),
            };
            match widget_spec(lesson, widget) {
                Some(spec) => {
                    challenge::challenge_box(i, &challenge, raw, (widget, &spec), lesson.slug)
                }
                None => error_box(raw.0, "its widget did not parse"),
            }
        }
        Block::Sweep {
            sweep: sw,
            points,
            widget,
        } => {
            let curve = widget_spec(lesson, widget).map_or(vec![], |w| sw.curve(&w, 120));
            match sweep::measure(&sw, &points) {
                Ok(rows) => sweep::figure(i, &sw, &points, &rows, &curve),
                Err(e) => error_box(&sw.label, &e),
            }
        }
        Block::Error { directive, message } => error_box(&directive, &message),
    }
}

/// The spec of the widget at block `i`.
fn widget_spec(lesson: &Lesson, i: usize) -> Option<WidgetSpec> {
    match lesson.blocks.get(i) {
        Some(content::RawBlock::Widget(d)) => content::parse_directive(d).ok(),
        _ => None,
    }
}

/// A widget's place: its directive for the wasm, a reserved height (per kind, in the CSS) so the
/// mounted widget does not push the text, and with JavaScript off a link to the widget's page.
fn placeholder(i: usize, spec: &WidgetSpec, lesson: &Lesson) -> String {
    let directive = match lesson.blocks.get(i) {
        Some(content::RawBlock::Widget(d)) => *d,
        _ => "",
    };
    let link = Route::Widget(WidgetRoute {
        kind: spec.kind.to_string(),
        pairs: spec.pairs.clone(),
        seed: Some(spec.seed.to_string()),
        ..Default::default()
    })
    .to_hash();
    format!(
        "<div class=\"lesson-widget\" id=\"block-{i}\" data-kind=\"{kind}\" data-directive=\"{d}\">\
<div class=\"widget-placeholder\" data-kind=\"{kind}\"><p class=\"loading\">Loading the live {kind} simulation…</p>\
<p class=\"needs-js\">This live simulation ({kind}) runs in your browser and needs JavaScript and WebAssembly. \
<a href=\"../index.html{link}\">Open the {kind} widget on its own page</a>.</p></div></div>",
        kind = esc(spec.kind),
        d = esc(directive),
        link = esc(&link),
    )
}

/// A prediction: a question and radio answers (each carrying the conditions that make it the
/// run's answer), disabled until the wasm is there; the step below it decides it.
fn predict_box(i: usize, p: &Prediction, decided_by: usize) -> String {
    let answers: String = p
        .answers
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let conds: Vec<String> = a.conds.iter().map(|c| c.to_string()).collect();
            format!(
                "<label><input type=\"radio\" name=\"predict-{i}\" value=\"{k}\" data-cond=\"{c}\" disabled> {t}</label>",
                c = esc(&conds.join("; ")),
                t = esc(&a.text)
            )
        })
        .collect();
    format!(
        "<fieldset class=\"predict\" data-predict=\"{i}\" data-decided-by=\"{decided_by}\">\
<legend><strong>Predict.</strong> {q}</legend>{answers}\
<p class=\"predict-hint\">Pick an answer, then press the step below: the run will tell.</p>\
<p class=\"outcome\" role=\"status\" aria-live=\"polite\"></p></fieldset>",
        q = esc(&p.question)
    )
}

/// A try-it step: a real button, disabled until the wasm has mounted its widget.
fn try_button(i: usize, step: &Step, widget: usize, lesson: &Lesson) -> String {
    let (info, body) = match lesson.blocks.get(i) {
        Some(content::RawBlock::Try(info, body)) => (*info, *body),
        _ => ("", ""),
    };
    let expect: Vec<String> = step.expect.iter().map(|c| c.to_string()).collect();
    format!(
        "<p class=\"try\"><button type=\"button\" data-try=\"{i}\" aria-controls=\"block-{widget}\" \
data-expect=\"{e}\" data-step-info=\"{info}\" data-step=\"{body}\" disabled>\
<span aria-hidden=\"true\">▶ </span>{label}</button></p>",
        e = esc(&expect.join("; ")),
        info = esc(info),
        body = esc(body),
        label = esc(&step.label),
    )
}

/// The same error box `ui::lesson::error_box` renders.
pub fn error_box(directive: &str, message: &str) -> String {
    format!(
        "<div class=\"error-box\" role=\"alert\"><strong>This widget could not be set up. </strong>{}\
<pre><code>{}</code></pre></div>",
        esc(message),
        esc(directive)
    )
}

fn next_link(slug: &str) -> String {
    match content::next(slug) {
        Some(n) => format!(
            "<nav class=\"next\"><a href=\"{}.html\">Next: {} →</a></nav>\n",
            n.slug,
            esc(n.title)
        ),
        None => {
            "<nav class=\"next\"><a href=\"../index.html\">Back to all lessons</a></nav>\n".into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_page_carries_its_prose_placeholders_and_steps() {
        let cap = content::find("cap").expect("cap lesson");
        let page = lesson_page(cap);
        assert!(page.contains("<title>CAP"));
        assert!(page.contains(&format!("content=\"{}\"", esc(cap.summary))));
        assert!(page.contains("data-directive=\"widget replication"));
        assert!(page.contains("data-try=") && page.contains("aria-controls=\"block-"));
        assert!(page.contains("<a href=\"quorums.html\">Next:"));
        // The challenge: open, its task and goals in the HTML, its raw block for the wasm.
        assert!(page.contains("<section class=\"challenge\" data-challenge=\""));
        assert!(page.contains("data-state=\"open\""));
        assert!(page.contains("<strong>Challenge.</strong> Keep the partition"));
        assert!(
            page.contains("Every operation succeeds") && page.contains("Partition stays 0|1,2")
        );
        assert!(page.contains("data-challenge-body=\"goal Every operation succeeds"));
        assert!(!page.contains("<script>") && !page.contains("style="));
        // Every step's text and the widget it drives survive the trip through the attributes.
        let steps = page.matches("data-step-info=").count();
        let want = cap
            .blocks()
            .iter()
            .filter(|b| matches!(b, Block::Step { .. }))
            .count();
        assert_eq!(steps, want);
    }

    #[test]
    fn the_index_gets_the_lesson_list() {
        let index = "<body><div id=app><p class=loading>Loading</p></div></body>";
        let filled = fill_index(index).expect("filled");
        assert!(filled.contains("<a href=\"lessons/welcome.html\">"));
        assert!(filled.ends_with("</main><footer class=\"site\">Everything runs in your browser: the simulations are deterministic, so the same seed replays the same run. <a href=\"#/\">All lessons</a></footer>\n</div></body>"));
        assert!(fill_index("<body></body>").is_none());
    }
}
