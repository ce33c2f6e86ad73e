//! Pieces of markup the static pages share: escaping, the page shell (head, site header and
//! footer, the same markup the app renders), the home page's lesson list, and link rewriting for
//! lesson prose that moves from the app's hash routes to its own file.

use crate::content::{page_path, Entry};

/// Escape text for an HTML text node or a double-quoted attribute (newlines kept as `&#10;`).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}

/// What a page's head needs besides the shared parts.
pub struct Head<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Path from the page to the site's root (`../` for a lesson page).
    pub root: &'a str,
    /// The module script that mounts the page's widgets (relative to the root).
    pub script: &'a str,
}

/// `<!doctype html>` through `<body>`: title, description, stylesheet, and the module script
/// with preloads for the engine (no inline script: strict CSP).
pub fn head(h: &Head) -> String {
    let r = h.root;
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"description\" content=\"{desc}\">\n<meta name=\"color-scheme\" content=\"light dark\">\n\
<title>{title}</title>\n<link rel=\"icon\" href=\"{r}favicon.svg\" type=\"image/svg+xml\">\n\
<link rel=\"stylesheet\" href=\"{r}style.css\">\n<link rel=\"modulepreload\" href=\"{r}app.js\">\n\
<link rel=\"preload\" href=\"{r}app_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n\
<script type=\"module\" src=\"{r}{script}\"></script>\n</head>\n<body>\n",
        desc = esc(h.description),
        title = esc(h.title),
        script = h.script,
    )
}

/// The skip link and site header (as `ui::app` renders them); `home` is the link to the list.
pub fn header(home: &str) -> String {
    format!(
        "<a class=\"skip\" href=\"#main\">Skip to content</a>\n<header class=\"site\">\
<a class=\"brand\" href=\"{home}\">Systems Sandbox</a>\
<span class=\"tagline\">learn distributed systems by breaking them</span>\
<button class=\"theme-switch\" data-action=\"theme\" title=\"Switch between the system's theme, light and dark\">Theme: auto</button>\
</header>\n"
    )
}

/// The site footer (as `ui::app` renders it).
pub fn footer(home: &str) -> String {
    format!(
        "<footer class=\"site\">Everything runs in your browser: the simulations are deterministic, \
so the same seed replays the same run. <a href=\"{home}\">All lessons</a></footer>\n"
    )
}

/// The home page's content (as `ui::home` renders it), links relative to the site's root.
pub fn home_list(entries: &[Entry]) -> String {
    let mut s = String::from(
        "<section class=\"home\"><h1>Learn distributed systems by breaking them</h1>\
<p class=\"lead\">Each lesson asks a question and hands you a live simulation to answer it: cut links, \
crash nodes, change quorums and watch what the system does, message by message.</p><ol class=\"lessons\">",
    );
    for (i, e) in entries.iter().enumerate() {
        s += &format!(
            "<li><a href=\"{href}\"><span class=\"num\" aria-hidden=\"true\">{n}</span>\
<span class=\"title\">{title}</span></a><p>{summary}</p><span class=\"meta\">about {min} min</span></li>",
            href = page_path(e.slug),
            n = i + 1,
            title = esc(e.title),
            summary = esc(e.summary),
            min = e.minutes.max(5),
        );
    }
    s + "</ol><p class=\"home-build\"><a href=\"#/build\">Build your own system →</a> compose clients, balancers, services, caches, queues and databases, then break them.</p></section>"
}

/// Rewrite the hash links of lesson prose for a page in `lessons/`: `#/lesson/x` becomes `x.html`,
/// any other `#/...` the app's page (`../index.html#/...`).
pub fn rewrite_links(html: &str) -> String {
    html.replace("href=\"#/lesson/", "href=\"#LESSON#")
        .replace("href=\"#/\"", "href=\"../index.html\"")
        .replace("href=\"#/", "href=\"../index.html#/")
        .split("href=\"#LESSON#")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                return part.to_string();
            }
            // `slug"...`: the slug runs to the closing quote.
            match part.split_once('"') {
                Some((slug, rest)) => format!("href=\"{slug}.html\"{rest}"),
                None => part.to_string(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc("a<b>&\"c'\nd"), "a&lt;b&gt;&amp;&quot;c&#39;&#10;d");
    }

    #[test]
    fn rewrites_hash_links_for_a_lesson_page() {
        let h = r##"<a href="#/lesson/cap">CAP</a> <a href="#/widget/topology?seed=3&amp;nodes=5">w</a> <a href="#/">home</a> <a href="https://x.org/#/y">x</a>"##;
        assert_eq!(
            rewrite_links(h),
            r##"<a href="cap.html">CAP</a> <a href="../index.html#/widget/topology?seed=3&amp;nodes=5">w</a> <a href="../index.html">home</a> <a href="https://x.org/#/y">x</a>"##
        );
    }
}
