//! The home page: what the sandbox is and the lessons in order, linking to their static pages.
//! `index.html` carries the same markup (written by `bin/pages.rs`), readable before the wasm;
//! the app adds the reader's progress kept in this browser (`progress`) and a way to forget it.

use super::{dom, progress};
use crate::content::{page_path, INDEX};
use crate::progress::summary;
use yew::prelude::*;

/// "2 predictions (1 right) · 1 challenge solved", or nothing for a lesson not tried yet.
fn progress_line(done: (usize, usize, usize)) -> Option<String> {
    let (p, r, c) = done;
    let mut parts = vec![];
    if p > 0 {
        parts.push(format!(
            "{p} prediction{} made ({r} right)",
            if p == 1 { "" } else { "s" }
        ));
    }
    if c > 0 {
        parts.push(format!(
            "{c} challenge{} solved",
            if c == 1 { "" } else { "s" }
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Lesson list.
#[function_component(Home)]
pub fn home() -> Html {
    dom::set_title("Systems Sandbox");
    let entries = use_state(progress::entries);
    let forget = {
        let entries = entries.clone();
        Callback::from(move |_| {
            progress::reset();
            entries.set(progress::entries());
        })
    };
    html! {
        <section class="home">
            <h1>{"Learn distributed systems by breaking them"}</h1>
            <p class="lead">
                {"Each lesson asks a question and hands you a live simulation to answer it: cut links, \
                  crash nodes, change quorums and watch what the system does, message by message."}
            </p>
            <ol class="lessons">
                { for INDEX.iter().enumerate().map(|(i, l)| html! {
                    <li>
                        <a href={page_path(l.slug)}>
                            <span class="num" aria-hidden="true">{ i + 1 }</span>
                            <span class="title">{ l.title }</span>
                        </a>
                        <p>{ l.summary }</p>
                        <span class="meta">{ format!("about {} min", l.minutes.max(5)) }</span>
                        { for progress_line(summary(&entries, l.slug)).map(|t| html! {
                            <span class="progress" data-progress={l.slug}>{ "✓ " }{ t }</span>
                        }) }
                    </li>
                }) }
            </ol>
            <p class="home-build"><a href="#/build">{"Build your own system →"}</a>{" compose clients, balancers, services, caches, queues and databases, then break them."}</p>
            if !entries.is_empty() {
                <p class="progress-note">{"Your predictions and challenges are kept in this browser only. "}
                    <button data-action="forget-progress" onclick={forget}>{"Forget my progress"}</button></p>
            }
        </section>
    }
}
