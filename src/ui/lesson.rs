//! What lesson pages and widget pages share in the app: the error box for a directive, step or
//! parameter that did not parse. Lessons themselves are static pages (`pages`, `ui::hydrate`).

use yew::prelude::*;

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

/// Props of [`ErrorBox`]: what was written and what is wrong with it.
#[derive(Properties, PartialEq)]
pub struct ErrorProps {
    pub directive: String,
    pub message: String,
}

/// The error box as a component, mounted in place of a lesson page's bad widget or step.
#[function_component(ErrorBox)]
pub fn error_box_component(props: &ErrorProps) -> Html {
    error_box(&props.directive, &props.message)
}
