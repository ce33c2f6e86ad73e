//! The yew front end (wasm32 only). It reads engine snapshots and sends commands; it never
//! reaches into a scenario. `start` mounts the site, `mount_lesson` a static lesson page's
//! widgets; widgets are `widget::WidgetFrame`.

mod app;
mod builder;
mod challenge;
mod chart;
mod controls;
pub mod dom;
mod home;
mod hydrate;
mod lesson;
mod panels;
mod particles;
mod predict;
pub mod progress;
mod sharing;
mod sweep;
mod topology_view;
mod visibility;
pub mod widget;
pub mod widget_page;

pub use app::App;
pub use hydrate::mount_lesson;

/// Mount the whole site into `#app`, with a panic hook that replaces a dead page with a visible
/// error and a reload link. Called by `static/boot.js` on the site's own page only.
pub fn start() {
    dom::install_panic_hook();
    if let Some(root) = dom::element_by_id("app") {
        root.set_inner_html("");
        yew::Renderer::<App>::with_root(root).render();
    }
}

/// Mount one embedded widget into `host` (an element inside a `<systems-sandbox>` shadow root).
/// Attributes are untrusted: they are parsed and checked, and problems show inside this widget only.
pub fn mount_widget(
    host: web_sys::Element,
    attrs: EmbedAttrs,
) -> yew::AppHandle<widget_page::EmbedRoot> {
    let (pairs, error) = match crate::share::parse_params_attr(&attrs.params) {
        Ok(p) => (p, None),
        Err(e) => (vec![], Some(e)),
    };
    let route = crate::route::WidgetRoute {
        kind: attrs.widget,
        pairs,
        seed: attrs.seed,
        embed: true,
        theme: attrs.theme,
        log: attrs.log,
        at: attrs.t,
    };
    let props = widget_page::EmbedProps {
        route,
        site: attrs.site.into(),
        error,
    };
    yew::Renderer::<widget_page::EmbedRoot>::with_root_and_props(host, props).render()
}

/// The attributes of a `<systems-sandbox>` element, as strings.
pub struct EmbedAttrs {
    pub widget: String,
    pub params: String,
    pub seed: Option<String>,
    pub theme: Option<String>,
    pub log: Option<String>,
    pub t: Option<String>,
    /// The sandbox site's URL (where embed.js came from), for "open in Systems Sandbox".
    pub site: String,
}
