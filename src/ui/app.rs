//! The app shell: follows `location.hash`, renders the page for each route, and leaves out the
//! site chrome when a widget is embedded. Lessons are static pages: an old `#/lesson/<slug>`
//! link is replaced by the lesson's page (`lessons/<slug>.html`).

use super::{dom, home::Home, widget_page::WidgetPage};
use crate::route::Route;
use gloo::events::EventListener;
use yew::prelude::*;

/// Root component.
pub struct App {
    route: Route,
    /// The reader's theme choice: `auto` (follow the system), `light` or `dark`; remembered.
    theme: String,
    _listener: Option<EventListener>,
}

/// Messages the shell handles.
pub enum Msg {
    HashChanged,
    CycleTheme,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let link = ctx.link().clone();
        let listener = dom::window().map(|w| {
            EventListener::new(&w, "hashchange", move |_| {
                link.send_message(Msg::HashChanged)
            })
        });
        let route = Route::parse(&dom::hash());
        open_lesson_page(&route);
        let theme = dom::stored("sandbox-theme")
            .filter(|t| t == "light" || t == "dark")
            .unwrap_or_else(|| "auto".into());
        apply_theme(&route, &theme);
        App {
            route,
            theme,
            _listener: listener,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::HashChanged => {
                let route = Route::parse(&dom::hash());
                if route == self.route {
                    return false;
                }
                open_lesson_page(&route);
                let same_page = matches!((&route, &self.route), (Route::Widget(a), Route::Widget(b)) if a.kind == b.kind);
                apply_theme(&route, &self.theme);
                self.route = route;
                if !same_page {
                    dom::scroll_top();
                }
                true
            }
            Msg::CycleTheme => {
                self.theme = match self.theme.as_str() {
                    "auto" => "light",
                    "light" => "dark",
                    _ => "auto",
                }
                .to_string();
                dom::store("sandbox-theme", &self.theme);
                apply_theme(&self.route, &self.theme);
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        if let Route::Widget(w) = &self.route {
            if w.embed {
                return html! { <main class="embed"><WidgetPage route={w.clone()} /></main> };
            }
        }
        html! {
            <>
                <a class="skip" href="#main" onclick={Callback::from(|e: MouseEvent| { e.prevent_default(); focus_main(); })}>{"Skip to content"}</a>
                <header class="site">
                    <a class="brand" href="#/">{"Systems Sandbox"}</a>
                    <span class="tagline">{"learn distributed systems by breaking them"}</span>
                    <button class="theme-switch" data-action="theme" onclick={ctx.link().callback(|_| Msg::CycleTheme)}
                        title="Switch between the system's theme, light and dark">{ format!("Theme: {}", self.theme) }</button>
                </header>
                <main id="main" tabindex="-1">{ self.page() }</main>
                <footer class="site">
                    {"Everything runs in your browser: the simulations are deterministic, so the same seed replays the same run. "}
                    <a href="#/">{"All lessons"}</a>
                </footer>
            </>
        }
    }
}

impl App {
    fn page(&self) -> Html {
        match &self.route {
            Route::Home => html! { <Home /> },
            Route::Lesson(slug) => match crate::content::entry(slug) {
                Some(e) => html! {
                    <p class="loading"><a href={crate::content::page_path(e.slug)}>{ format!("Opening “{}”…", e.title) }</a></p>
                },
                None => not_found(&format!("There is no lesson called “{slug}”.")),
            },
            Route::Widget(w) => html! { <WidgetPage route={w.clone()} /> },
            Route::Build(w) => html! { <super::builder::Builder route={w.clone()} /> },
            Route::NotFound(path) => not_found(&format!("There is no page at “{path}”.")),
        }
    }
}

/// An old lesson link (`#/lesson/<slug>`) of a lesson that exists: go to its page instead,
/// replacing this history entry so Back does not return to the redirect.
fn open_lesson_page(route: &Route) {
    if let Route::Lesson(slug) = route {
        if let Some(e) = crate::content::entry(slug) {
            dom::replace_location(&crate::content::page_path(e.slug));
        }
    }
}

/// A widget URL's `theme=` wins (iframe embeds); otherwise the reader's choice.
fn apply_theme(route: &Route, chosen: &str) {
    let theme = match route {
        Route::Widget(w) => w.theme.clone().unwrap_or_else(|| chosen.to_string()),
        _ => chosen.to_string(),
    };
    dom::set_theme(&theme);
}

fn focus_main() {
    use wasm_bindgen::JsCast;
    if let Some(m) =
        dom::element_by_id("main").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = m.focus();
    }
}

/// The not-found page: what was asked for, and the way home.
pub fn not_found(what: &str) -> Html {
    dom::set_title("Not found · Systems Sandbox");
    html! {
        <section class="not-found">
            <h1>{"Page not found"}</h1>
            <p>{ what }</p>
            <p><a href="#/">{"Go to the list of lessons"}</a></p>
        </section>
    }
}
