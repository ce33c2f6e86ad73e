//! Writes the static lesson pages into a built site: `lessons/<slug>.html` for every lesson, and
//! the lesson list into `index.html`. Run by Trunk's post-build hook (Trunk.toml) on the staging
//! directory (`$TRUNK_STAGING_DIR`), or by hand: `cargo run --bin pages -- DIR`.

#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};
use std::process::ExitCode;
#[cfg(not(target_arch = "wasm32"))]
use systems_sandbox::{content, pages};

/// The pages are written natively; a wasm build of this binary (e.g. `cargo test --target
/// wasm32-unknown-unknown` builds every binary) does nothing.
#[cfg(target_arch = "wasm32")]
fn main() -> ExitCode {
    ExitCode::SUCCESS
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("TRUNK_STAGING_DIR").ok())
        .map(PathBuf::from);
    let Some(dir) = dir else {
        eprintln!("pages: give the built site's directory (or run from Trunk's post_build hook)");
        return ExitCode::from(2);
    };
    match write_site(&dir) {
        Ok(n) => {
            eprintln!(
                "pages: wrote {n} lesson pages and the lesson list into {}",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pages: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn write_site(dir: &Path) -> Result<usize, String> {
    let index_path = dir.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let filled = pages::fill_index(&index)
        .ok_or_else(|| format!("{} has no <div id=\"app\"> to fill", index_path.display()))?;
    write(&index_path, &filled)?;
    let lessons = dir.join("lessons");
    std::fs::create_dir_all(&lessons)
        .map_err(|e| format!("cannot create {}: {e}", lessons.display()))?;
    for lesson in content::LESSONS {
        refuse_errors(lesson)?;
        let page = pages::lesson_page(lesson);
        // A sweep whose runs fail is only found when the page runs them.
        if page.contains("class=\"error-box\"") {
            return Err(format!(
                "lesson `{}`: a block could not be set up (see its error box)",
                lesson.slug
            ));
        }
        write(&lessons.join(format!("{}.html", lesson.slug)), &page)?;
    }
    Ok(content::LESSONS.len())
}

/// A lesson's directives must build: a block that did not parse (a widget, step, prediction,
/// challenge or sweep, its message naming the line) fails the site build instead of shipping
/// an error box.
#[cfg(not(target_arch = "wasm32"))]
fn refuse_errors(lesson: &content::Lesson) -> Result<(), String> {
    for b in lesson.blocks() {
        if let content::Block::Error { directive, message } = b {
            let first = directive.lines().next().unwrap_or("");
            return Err(format!(
                "lesson `{}`, block ```{first}: {message}",
                lesson.slug
            ));
        }
    }
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
