//! A lesson page: trusted HTML compiled from markdown, live widgets, and error boxes for any
//! directive that did not parse.

use super::dom;
use super::widget::WidgetFrame;
use crate::content::{self, Block};
use yew::prelude::*;

/// Props: which lesson.
#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub slug: &'static str,
}

/// One lesson.
#[function_component(LessonPage)]
pub fn lesson_page(props: &LessonProps) -> Html {
    let Some(lesson) = content::find(props.slug) else {
        return super::app::not_found("That lesson does not exist.");
    };
    dom::set_title(&format!("{} · Systems Sandbox", lesson.title));
    let blocks = lesson.blocks();
    let next = content::next(lesson.slug);
    html! {
        <article class="lesson">
            { for blocks.into_iter().enumerate().map(|(i, b)| block(i, b)) }
            <nav class="next">
                { match next {
                    Some(n) => html! { <a href={format!("#/lesson/{}", n.slug)}>{ format!("Next: {} →", n.title) }</a> },
                    None => html! { <a href="#/">{"Back to all lessons"}</a> },
                } }
            </nav>
        </article>
    }
}

fn block(i: usize, b: Block) -> Html {
    match b {
        // Lesson HTML is trusted: it is compiled from our own markdown at build time.
        Block::Html(h) => {
            html! { <div class="prose" key={i}>{ Html::from_html_unchecked(AttrValue::Static(h)) }</div> }
        }
        Block::Widget(spec) => html! { <WidgetFrame key={i} spec={spec} /> },
        Block::Error { directive, message } => error_box(&directive, &message),
    }
}

/// A visible, contained error for a bad directive or parameter.
pub fn error_box(directive: &str, message: &str) -> Html {
    html! {
        <div class="error-box" role="alert">
            <strong>{"This widget could not be set up. "}</strong>
            { message.to_string() }
            <pre><code>{ directive.to_string() }</code></pre>
        </div>
    }
}
