//! A lesson page: trusted HTML compiled from markdown, live widgets, and error boxes for any
//! directive that did not parse.

use super::dom;
use super::widget::{Drive, WidgetFrame};
use crate::content::{self, Block};
use std::rc::Rc;
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
    // The latest try-it step pressed: which widget it drives, and the step (a new Rc each press,
    // so pressing the same step again re-applies it).
    let drive = use_state(|| None::<(usize, Drive)>);
    let blocks = lesson.blocks();
    let next = content::next(lesson.slug);
    let press = {
        let drive = drive.clone();
        Callback::from(move |(widget, step): (usize, Rc<content::Step>)| {
            drive.set(Some((widget, Drive(step))))
        })
    };
    html! {
        <article class="lesson">
            { for blocks.into_iter().enumerate().map(|(i, b)| block(i, b, &drive, &press)) }
            <nav class="next">
                { match next {
                    Some(n) => html! { <a href={format!("#/lesson/{}", n.slug)}>{ format!("Next: {} →", n.title) }</a> },
                    None => html! { <a href="#/">{"Back to all lessons"}</a> },
                } }
            </nav>
        </article>
    }
}

fn block(
    i: usize,
    b: Block,
    drive: &Option<(usize, Drive)>,
    press: &Callback<(usize, Rc<content::Step>)>,
) -> Html {
    match b {
        // Lesson HTML is trusted: it is compiled from our own markdown at build time.
        Block::Html(h) => {
            html! { <div class="prose" key={i}>{ Html::from_html_unchecked(AttrValue::Static(h)) }</div> }
        }
        Block::Widget(spec) => {
            let drive = drive
                .as_ref()
                .filter(|(w, _)| *w == i)
                .map(|(_, d)| d.clone());
            html! {
                <div class="lesson-widget" key={i} id={format!("block-{i}")}>
                    <WidgetFrame spec={spec} drive={drive} />
                </div>
            }
        }
        Block::Step { step, widget } => try_button(i, step, widget, press),
        Block::Error { directive, message } => error_box(&directive, &message),
    }
}

/// A try-it step: one button that puts its widget into the step's state.
fn try_button(
    i: usize,
    step: content::Step,
    widget: usize,
    press: &Callback<(usize, Rc<content::Step>)>,
) -> Html {
    let label = step.label.clone();
    // The claims a lesson test checks in the browser too (the reader never sees them).
    let expect: Vec<String> = step.expect.iter().map(|c| c.to_string()).collect();
    let step = Rc::new(step);
    let press = press.clone();
    let onclick = Callback::from(move |_| press.emit((widget, Rc::new((*step).clone()))));
    html! {
        <p class="try" key={i}>
            <button type="button" data-try={i.to_string()} aria-controls={format!("block-{widget}")}
                data-expect={expect.join("; ")} {onclick}>
                <span aria-hidden="true">{"▶ "}</span>{ label }</button>
        </p>
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
