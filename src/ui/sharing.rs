//! The widget's Share, Embed and Download actions: permalink and snippets ready to copy, and the
//! diagram (SVG), run (JSON) and the charted metrics over simulated time (CSV) as files.

use super::dom;
use super::widget::{Msg, Sheet, WidgetFrame};
use crate::share::RunState;
use yew::html::Scope;
use yew::prelude::*;

/// The row of buttons under a widget, and the open sheet (if any).
pub fn bar(
    run: &RunState,
    site: &str,
    sheet: Sheet,
    status: Option<&str>,
    link: &Scope<WidgetFrame>,
) -> Html {
    let toggle = |s: Sheet| link.callback(move |_| Msg::Sheet(s));
    html! {
        <div class="share">
            <div class="share-buttons">
                <button data-action="share" aria-expanded={(sheet == Sheet::Share).to_string()} onclick={toggle(Sheet::Share)}>{"Share"}</button>
                <button data-action="embed" aria-expanded={(sheet == Sheet::Embed).to_string()} onclick={toggle(Sheet::Embed)}>{"Embed"}</button>
                <span class="downloads">{"Download: "}
                    <button data-action="export-svg" title="The diagram as an SVG file" aria-label="Download the diagram (SVG)" onclick={link.callback(|_| Msg::Export(Export::Svg))}>{"SVG"}</button>
                    <button data-action="export-json" title="The run as JSON: settings, fingerprint, metrics, latest events" aria-label="Download the run (JSON)" onclick={link.callback(|_| Msg::Export(Export::Json))}>{"JSON"}</button>
                    <button data-action="export-csv" title="The charted metrics over simulated time as CSV" aria-label="Download the metrics over time (CSV)" onclick={link.callback(|_| Msg::Export(Export::Csv))}>{"CSV"}</button>
                </span>
            </div>
            { sheet_view(run, site, sheet, link) }
            <p class="status" role="status" aria-live="polite">{ status.unwrap_or("") }</p>
        </div>
    }
}

fn sheet_view(run: &RunState, site: &str, sheet: Sheet, link: &Scope<WidgetFrame>) -> Html {
    match sheet {
        Sheet::None => Html::default(),
        Sheet::Share => {
            let url = run.permalink(site);
            html! {
                <div class="sheet">
                    <p>{"This link replays exactly this run: same settings, seed and interventions, up to this moment."}</p>
                    { copy_field("permalink", "Permalink", &url, false, link) }
                </div>
            }
        }
        Sheet::Embed => html! {
            <div class="sheet">
                <p>{"Paste either snippet into your page. The script tag shares one copy of the engine between all the widgets on a page; the iframe works on any host."}</p>
                { copy_field("script", "Script tag", &run.script_snippet(site), true, link) }
                { copy_field("iframe", "iframe", &run.iframe_snippet(site), true, link) }
            </div>
        },
    }
}

fn copy_field(
    id: &'static str,
    label: &'static str,
    text: &str,
    multi: bool,
    link: &Scope<WidgetFrame>,
) -> Html {
    let t = text.to_string();
    let onclick = link.callback(move |_| Msg::Copy(t.clone()));
    let field_id = format!("copy-{id}");
    html! {
        <div class="copy-field">
            <label for={field_id.clone()}>{ label }</label>
            if multi {
                <textarea id={field_id} data-copy={id} readonly=true rows="3" value={text.to_string()} />
            } else {
                <input id={field_id} data-copy={id} readonly=true value={text.to_string()} />
            }
            <button data-action={format!("copy-{id}")} {onclick}>{"Copy"}</button>
        </div>
    }
}

/// What to download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    Svg,
    Json,
    Csv,
}

/// Copy text to the clipboard (the promise's outcome is not awaited: the field stays selectable).
pub fn copy(text: &str) {
    if let Some(w) = dom::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// A standalone SVG file of the diagram, with the colours it needs written in.
pub fn svg_file(root: &web_sys::Element) -> Option<String> {
    let svg = root.query_selector("svg.topology").ok().flatten()?;
    let body = svg
        .outer_html()
        .replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1);
    let style = "<style>.wire{stroke:#334155;stroke-width:3}.cut .wire{stroke:#b91c1c;stroke-dasharray:8 7}\
        .blocked .wire{stroke:#5b6270;stroke-dasharray:2 6}.hit{stroke:none}.shape{fill:#e0e7ff;stroke:#334155;stroke-width:2}\
        .role-service .shape,.role-database .shape{fill:#dcfce7}.down .shape{fill:#fff;stroke-dasharray:4 3}\
        .crossed{stroke:#b91c1c;stroke-width:3}text{font-family:sans-serif;text-anchor:middle}.name{font-size:12px;font-weight:700}\
        .state{font-size:11px;fill:#5b6270}.cut-mark{fill:#b91c1c;font-size:13px}\
        .msg{fill:#6b7280}.msg-request{fill:#2563eb}.msg-reply{fill:#16a34a}</style>";
    Some(body.replacen('>', &format!(">{style}"), 1))
}
