//! The yew front end (wasm32 only). It reads engine snapshots and sends commands; it never
//! reaches into a scenario. `start` mounts the site; widgets are `widget::WidgetFrame`.

mod app;
mod chart;
mod controls;
pub mod dom;
mod home;
mod lesson;
mod panels;
mod topology_view;
pub mod widget;

pub use app::App;

/// Mount the whole site into `#app` (or the body), with a panic hook that replaces a dead page
/// with a visible error and a reload link.
pub fn start() {
    dom::install_panic_hook();
    match dom::element_by_id("app") {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}
