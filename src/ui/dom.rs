//! Thin, panic-free helpers over web-sys: location hash, elements, theme, timing, panic hook.

use wasm_bindgen::JsCast;

/// The window, if there is one.
pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `location.hash` ("" when unavailable).
pub fn hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Replace the hash without adding a history entry (used for live permalinks).
pub fn replace_hash(h: &str) {
    if let Some(hist) = window().and_then(|w| w.history().ok()) {
        let _ = hist.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(h));
    }
}

/// Go to `url` (relative to this page), replacing the current history entry.
pub fn replace_location(url: &str) {
    if let Some(w) = window() {
        let _ = w.location().replace(url);
    }
}

/// This page's URL without its hash (the base for permalinks).
pub fn page_url() -> String {
    let href = window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or("").to_string()
}

/// Offer `body` as a file download. False if the browser refused.
pub fn download(filename: &str, mime: &str, body: &str) -> bool {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let Some(doc) = window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    a.set_href(&url);
    a.set_download(filename);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    true
}

/// A remembered setting (localStorage; None when storage is unavailable, e.g. blocked cookies).
pub fn stored(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Remember a setting; silently does nothing when storage is unavailable.
pub fn store(key: &str, value: &str) {
    if let Some(s) = window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item(key, value);
    }
}

/// Keep a value for this tab (sessionStorage); silently does nothing when storage is unavailable.
pub fn session_store(key: &str, value: &str) {
    if let Some(s) = window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = s.set_item(key, value);
    }
}

/// A value kept for this tab, if any.
pub fn session_stored(key: &str) -> Option<String> {
    window()?.session_storage().ok()??.get_item(key).ok()?
}

/// True when a benchmark page set `window.__sandboxPerf = []` before the app loaded: frames then
/// report their script time into that array. Readers never pay for it.
pub fn perf_enabled() -> bool {
    window()
        .and_then(|w| js_sys::Reflect::get(&w, &"__sandboxPerf".into()).ok())
        .is_some_and(|v| v.is_object())
}

/// Append one frame's script time (ms) to `window.__sandboxPerf`.
pub fn perf_record(ms: f64) {
    let Some(w) = window() else { return };
    if let Ok(arr) = js_sys::Reflect::get(&w, &"__sandboxPerf".into()) {
        if let Some(arr) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Array>(&arr) {
            arr.push(&ms.into());
        }
    }
}

/// An element by id.
pub fn element_by_id(id: &str) -> Option<web_sys::Element> {
    window()?.document()?.get_element_by_id(id)
}

/// Milliseconds since page load (monotonic).
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Does the reader prefer reduced motion?
pub fn reduced_motion() -> bool {
    window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Set `data-theme` on the root element (`light`, `dark`; anything else follows the system).
pub fn set_theme(theme: &str) {
    let root = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            "light" | "dark" => root.set_attribute("data-theme", theme),
            _ => root.remove_attribute("data-theme"),
        };
    }
}

/// Scroll to the top of the page (on navigation).
pub fn scroll_top() {
    if let Some(w) = window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Set the document title.
pub fn set_title(t: &str) {
    if let Some(d) = window().and_then(|w| w.document()) {
        d.set_title(t);
    }
}

/// Is any part of `el` inside the viewport right now?
pub fn on_screen(el: &web_sys::Element) -> bool {
    let r = el.get_bounding_client_rect();
    let height = window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    r.bottom() > 0.0 && r.top() < height
}

/// The value of the input an `input` event came from.
pub fn input_value(e: &web_sys::InputEvent) -> String {
    event_value(e)
}

/// The value of the input, text area or select an event came from.
pub fn event_value(e: &web_sys::Event) -> String {
    let Some(t) = e.target() else {
        return String::new();
    };
    if let Some(i) = t.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(a) = t.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return a.value();
    }
    t.dyn_ref::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// A long text's statements one per line, as a text area shows them.
pub fn text_lines(v: &str) -> String {
    v.split("; ").collect::<Vec<_>>().join("\n")
}

/// Set every `[data-param]` input and select under `root` to the value in force (the seed field
/// to `seed`). Skips the element being typed in only when it already holds that value.
pub fn sync_inputs(root: &web_sys::Element, values: &[(&str, String)], seed: &str) {
    let Ok(list) = root.query_selector_all("[data-param]") else {
        return;
    };
    for i in 0..list.length() {
        let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let name = el.get_attribute("data-param").unwrap_or_default();
        let want = if name == "seed" {
            Some(seed)
        } else {
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        let Some(want) = want else { continue };
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            if input.value() != want {
                input.set_value(want);
            }
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            if select.value() != want {
                select.set_value(want);
            }
        } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            // A long text (a design) is kept with `; ` between statements and edited one per line.
            let lines = text_lines(want);
            if crate::sim::params::one_line(&area.value()).as_deref() != Some(want) {
                area.set_value(&lines);
            }
        }
    }
}

/// On a panic, replace the page with a visible message and a reload link instead of a frozen page.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = format!("{info}");
        web_sys::console::error_1(&msg.clone().into());
        let Some(doc) = window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = doc.body() else { return };
        let Ok(div) = doc.create_element("div") else {
            return;
        };
        div.set_class_name("crash-banner");
        div.set_attribute("role", "alert").ok();
        let text = "Something went wrong inside the sandbox and this page stopped. ";
        div.set_text_content(Some(text));
        if let Ok(a) = doc.create_element("a") {
            a.set_attribute("href", "").ok();
            a.set_text_content(Some("Reload the page"));
            div.append_child(&a).ok();
        }
        body.prepend_with_node_1(&div).ok();
    }));
}

/// Elements matching `selector`, in document order.
pub fn all(selector: &str) -> Vec<web_sys::Element> {
    let Some(list) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(selector).ok())
    else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}
