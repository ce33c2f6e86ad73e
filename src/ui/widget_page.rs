//! The standalone widget page (`#/widget/<kind>?...`, also the iframe target with `embed=1`) and
//! the root of a script-tag embed. Both check everything that came from outside: a bad parameter
//! or log drops only itself, with a notice that names it; an unknown widget says which exist.

use super::dom;
use super::widget::{Replay, WidgetFrame};
use crate::content::WidgetSpec;
use crate::route::{Route, WidgetRoute};
use crate::session::link::open;
use yew::prelude::*;

/// Props: the route as parsed from the URL (or built from an embed's attributes).
#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub route: WidgetRoute,
    /// Site URL for links out of an embed (empty: this page).
    #[prop_or_default]
    pub site: AttrValue,
}

/// The spec, the run to replay, and a notice naming whatever had to be dropped.
pub fn resolve(r: &WidgetRoute) -> Result<(WidgetSpec, Option<Replay>, Option<String>), String> {
    let o = open(r)?;
    let replay = o.replays().then(|| Replay {
        log: o.log.clone(),
        at: o.at,
    });
    let notice = (!o.notices.is_empty()).then(|| o.notices.join(" "));
    Ok((o.spec, replay, notice))
}

/// The standalone page.
#[function_component(WidgetPage)]
pub fn widget_page(props: &PageProps) -> Html {
    let r = &props.route;
    let (spec, replay, notice) = match resolve(r) {
        Ok(x) => x,
        Err(e) if r.embed => return super::lesson::error_box(&format!("widget {}", r.kind), &e),
        Err(e) => return super::app::not_found(&e),
    };
    if !r.embed {
        dom::set_title(&format!("{} widget · Systems Sandbox", spec.kind));
    }
    let open = format!(
        "{}{}",
        props.site,
        Route::Widget(WidgetRoute {
            embed: false,
            theme: None,
            ..r.clone()
        })
        .to_hash()
    );
    html! {
        <div class="widget-page">
            <WidgetFrame spec={spec} notice={notice} replay={replay} site={props.site.clone()} />
            if r.embed {
                <p class="open-full"><a href={open} target="_blank" rel="noopener">{"Open in Systems Sandbox ↗"}</a></p>
            }
        </div>
    }
}

/// Props of a script-tag embed.
#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub route: WidgetRoute,
    pub site: AttrValue,
    /// An attribute problem found before mounting (e.g. a malformed `params`).
    #[prop_or_default]
    pub error: Option<String>,
}

/// Root of one `<systems-sandbox>` element: its own theme wrapper, never touching the host page.
#[function_component(EmbedRoot)]
pub fn embed_root(props: &EmbedProps) -> Html {
    let theme = props
        .route
        .theme
        .clone()
        .filter(|t| t == "light" || t == "dark");
    html! {
        <div class="sandbox-root embed" data-theme={theme}>
            if let Some(e) = &props.error {
                { super::lesson::error_box(&format!("<systems-sandbox widget=\"{}\">", props.route.kind), e) }
            } else {
                <WidgetPage route={props.route.clone()} site={props.site.clone()} />
            }
        </div>
    }
}
