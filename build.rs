//! Build step: render the markdown lessons in `content/` to HTML at compile time, so the
//! markdown parser never ships in the wasm. Widget directives (fenced blocks whose info string
//! starts with `widget`) are kept as raw text and parsed at run time by `content::directive`, the
//! same parser that reads URLs and embed attributes, so a bad directive shows as an error block.
//! Try-it steps, predictions, challenges and sweeps are kept as (info string, body) too.
//! Two files: `lessons.rs` (every lesson's text, compiled natively only: the static lesson pages
//! are written from it by `src/bin/pages.rs`) and `lesson_index.rs` (slugs, titles, summaries:
//! the lesson list, the only lesson data the wasm carries).

use pulldown_cmark::{html, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::fmt::Write as _;
use std::path::Path;

/// A block as compiled in: HTML, a widget directive, or a try-it step (info string and body).
enum Raw {
    Html(String),
    Widget(String),
    Try(String, String),
    Predict(String, String),
    Challenge(String, String),
    Sweep(String, String),
}

struct Lesson {
    slug: String,
    title: String,
    summary: String,
    minutes: usize,
    blocks: Vec<Raw>,
}

fn main() {
    println!("cargo:rerun-if-changed=content");
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let mut lessons = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("content")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "md"));
    files.sort();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        lessons.push(render(&path, &text));
    }
    let mut code = String::from("pub static LESSONS: &[Lesson] = &[\n");
    for l in &lessons {
        let _ = write!(
            code,
            "Lesson {{ slug: {:?}, title: {:?}, summary: {:?}, minutes: {}, blocks: &[",
            l.slug, l.title, l.summary, l.minutes
        );
        for b in &l.blocks {
            let _ = match b {
                Raw::Html(h) => write!(code, "RawBlock::Html({h:?}),"),
                Raw::Widget(d) => write!(code, "RawBlock::Widget({d:?}),"),
                Raw::Try(info, body) => write!(code, "RawBlock::Try({info:?}, {body:?}),"),
                Raw::Predict(info, body) => {
                    write!(code, "RawBlock::Predict({info:?}, {body:?}),")
                }
                Raw::Challenge(info, body) => {
                    write!(code, "RawBlock::Challenge({info:?}, {body:?}),")
                }
                Raw::Sweep(info, body) => write!(code, "RawBlock::Sweep({info:?}, {body:?}),"),
            };
        }
        code.push_str("] },\n");
    }
    code.push_str("];\n");
    write(&out, "lessons.rs", &code);
    // The lesson list alone (no lesson text): the only part the wasm carries.
    let mut index = String::from("pub static INDEX: &[Entry] = &[\n");
    for l in &lessons {
        let _ = writeln!(
            index,
            "Entry {{ slug: {:?}, title: {:?}, summary: {:?}, minutes: {} }},",
            l.slug, l.title, l.summary, l.minutes
        );
    }
    index.push_str("];\n");
    write(&out, "lesson_index.rs", &index);
}

fn write(dir: &str, name: &str, code: &str) {
    if let Err(e) = std::fs::write(Path::new(dir).join(name), code) {
        println!("cargo:warning=could not write {name}: {e}");
    }
}

/// `01-welcome.md` -> `welcome`.
fn slug_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("lesson");
    stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-')
        .to_string()
}

fn render(path: &Path, text: &str) -> Lesson {
    let opts =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let events: Vec<Event> = Parser::new_ext(text, opts).collect();
    let mut lesson = Lesson {
        slug: slug_of(path),
        title: String::new(),
        summary: String::new(),
        minutes: (text.split_whitespace().count() / 200).max(1),
        blocks: vec![],
    };
    let mut pending: Vec<Event> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_widget(info) => {
                flush(&mut lesson.blocks, &mut pending);
                // The body, if any, follows the info string after a newline (a `system`
                // widget's design).
                let mut directive = info.trim().to_string();
                let mut body = String::new();
                while i < events.len() && !matches!(events[i], Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[i] {
                        body.push_str(t);
                    }
                    i += 1;
                }
                if !body.trim().is_empty() {
                    directive = format!("{directive}\n{}", body.trim_end());
                }
                lesson.blocks.push(Raw::Widget(directive));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if is_try(info) || is_predict(info) || is_challenge(info) || is_sweep(info) =>
            {
                let predict = is_predict(info);
                let challenge = is_challenge(info);
                let sweep = is_sweep(info);
                flush(&mut lesson.blocks, &mut pending);
                let info = info.trim().to_string();
                let mut body = String::new();
                i += 1;
                while i < events.len() && !matches!(events[i], Event::End(TagEnd::CodeBlock)) {
                    if let Event::Text(t) = &events[i] {
                        body.push_str(t);
                    }
                    i += 1;
                }
                lesson.blocks.push(if sweep {
                    Raw::Sweep(info, body)
                } else if challenge {
                    Raw::Challenge(info, body)
                } else if predict {
                    Raw::Predict(info, body)
                } else {
                    Raw::Try(info, body)
                });
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if lesson.title.is_empty() => {
                lesson.title = text_until(&events[i + 1..], |e| {
                    matches!(e, Event::End(TagEnd::Heading(_)))
                });
                pending.push(events[i].clone());
            }
            Event::Start(Tag::Paragraph)
                if lesson.summary.is_empty() && !lesson.title.is_empty() =>
            {
                lesson.summary = text_until(&events[i + 1..], |e| {
                    matches!(e, Event::End(TagEnd::Paragraph))
                });
                pending.push(events[i].clone());
            }
            e => pending.push(e.clone()),
        }
        i += 1;
    }
    flush(&mut lesson.blocks, &mut pending);
    if lesson.title.is_empty() {
        lesson.title = lesson.slug.clone();
    }
    lesson
}

fn is_widget(info: &str) -> bool {
    info.trim() == "widget" || info.trim_start().starts_with("widget ")
}

fn is_predict(info: &str) -> bool {
    info.trim() == "predict" || info.trim_start().starts_with("predict ")
}

fn is_challenge(info: &str) -> bool {
    info.trim() == "challenge" || info.trim_start().starts_with("challenge ")
}

fn is_sweep(info: &str) -> bool {
    info.trim() == "sweep" || info.trim_start().starts_with("sweep ")
}

fn is_try(info: &str) -> bool {
    info.trim() == "try" || info.trim_start().starts_with("try ")
}

fn text_until(events: &[Event], end: impl Fn(&Event) -> bool) -> String {
    let mut s = String::new();
    for e in events.iter().take_while(|e| !end(e)) {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

fn flush(blocks: &mut Vec<Raw>, pending: &mut Vec<Event>) {
    if pending.is_empty() {
        return;
    }
    let mut out = String::new();
    html::push_html(&mut out, pending.drain(..));
    blocks.push(Raw::Html(out));
}
