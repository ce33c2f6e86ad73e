//! The home page: what the sandbox is and the lessons in order, linking to their static pages.
//! `index.html` carries the same markup (written by `bin/pages.rs`), readable before the wasm.

use super::dom;
use crate::content::{page_path, INDEX};
use yew::prelude::*;

/// Lesson list.
#[function_component(Home)]
pub fn home() -> Html {
    dom::set_title("Systems Sandbox");
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
                    </li>
                }) }
            </ol>
        </section>
    }
}
