//! The standalone widget page (`#/widget/<kind>?...`, also the iframe target with `embed=1`) and
//! the root of a script-tag embed. Both check everything that came from outside: a bad parameter
//! or log opens the defaults with a notice that names the problem; an unknown widget says which exist.

use super::dom;
use super::widget::{Replay, WidgetFrame};
use crate::content::WidgetSpec;
use crate::route::{Route, WidgetRoute};
use crate::sim::command::Mark;
use crate::sim::replay::parse_log;
use yew::prelude::*;

/// Props: the route as parsed from the URL (or built from an embed's attributes).
#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub route: WidgetRoute,
    /// Site URL for links out of an embed (empty: this page).
    #[prop_or_default]
    pub site: AttrValue,
}

/// The spec, the run to replay, and a notice when something had to be dropped.
pub fn resolve(r: &WidgetRoute) -> Result<(WidgetSpec, Option<Replay>, Option<String>), String> {
    let spec = match WidgetSpec::new(&r.kind, r.pairs.clone(), r.seed.as_deref()) {
        Ok(spec) => spec,
        Err(e) => {
            let spec = WidgetSpec::new(&r.kind, vec![], None)?;
            let notice = format!(
                "These settings could not be used ({e}), so the widget opened with its defaults."
            );
            return Ok((spec, None, Some(notice)));
        }
    };
    let log = parse_log(r.log.as_deref().unwrap_or(""));
    let at = r.at.as_deref().map(Mark::parse).transpose();
    match (log, at) {
        (Ok(log), Ok(at)) if !log.is_empty() || at.is_some() => {
            Ok((spec, Some(Replay { log, at }), None))
        }
        (Ok(_), Ok(_)) => Ok((spec, None, None)),
        (Err(e), _) | (_, Err(e)) => Ok((
            spec,
            None,
            Some(format!(
                "The recorded actions in this link could not be read ({e}); the run starts fresh."
            )),
        )),
    }
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
