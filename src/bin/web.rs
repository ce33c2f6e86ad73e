//! The web app's entry points (built by Trunk for wasm32 as `app.js` + `app_bg.wasm`):
//! `mount_site` is called by `static/boot.js` on the site's page, `mount_lesson` by
//! `static/lesson.js` on a static lesson page, `mount_widget` by
//! `static/embed.js` for each `<systems-sandbox>` element on someone else's page.

#[cfg(target_arch = "wasm32")]
mod web {
    use systems_sandbox::ui::{self, widget_page::EmbedRoot, EmbedAttrs};
    use wasm_bindgen::prelude::*;

    /// Mount the whole site into `#app`.
    #[wasm_bindgen]
    pub fn mount_site() {
        ui::start();
    }

    /// Mount the widgets of a static lesson page and wire its try-it buttons (`lesson.js`);
    /// `site` is the URL of the site's `index.html` (base of permalinks and embed snippets);
    /// `back`: the reader came back to the page, so widgets reopen the runs they were left at.
    #[wasm_bindgen]
    pub fn mount_lesson(site: String, back: bool) {
        ui::mount_lesson(site, back);
    }

    /// Benchmark: run a scenario to completion in wasm; returns `[events, trace_hash]` (the caller
    /// times the call). `params` are space-separated `key=value` words, as in an embed.
    #[wasm_bindgen]
    pub fn bench_run(kind: String, params: String, seed: u64) -> Result<Vec<JsValue>, JsValue> {
        let pairs = systems_sandbox::share::parse_params_attr(&params)
            .map_err(|e| JsValue::from_str(&e))?;
        let mut s = systems_sandbox::sim::create(&kind, &pairs, seed)
            .map_err(|e| JsValue::from_str(&e.0))?;
        s.run_to_end(u64::MAX);
        Ok(vec![
            JsValue::from_f64(s.events() as f64),
            JsValue::from_str(&format!("{:016x}", s.trace_hash())),
        ])
    }

    /// A mounted embed; `destroy()` unmounts it.
    #[wasm_bindgen]
    pub struct EmbeddedWidget(Option<yew::AppHandle<EmbedRoot>>);

    #[wasm_bindgen]
    impl EmbeddedWidget {
        /// Unmount the widget and free its simulation.
        pub fn destroy(&mut self) {
            if let Some(h) = self.0.take() {
                h.destroy();
            }
        }
    }

    /// Mount one widget into `host` from the element's attributes (all untrusted strings).
    #[wasm_bindgen]
    #[allow(clippy::too_many_arguments)]
    pub fn mount_widget(
        host: web_sys::Element,
        widget: String,
        params: Option<String>,
        seed: Option<String>,
        theme: Option<String>,
        log: Option<String>,
        t: Option<String>,
        site: String,
    ) -> EmbeddedWidget {
        let attrs = EmbedAttrs {
            widget,
            params: params.unwrap_or_default(),
            seed,
            theme,
            log,
            t,
            site,
        };
        EmbeddedWidget(Some(ui::mount_widget(host, attrs)))
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("`app` is the browser build: run `./dev.sh serve` and open http://127.0.0.1:8080");
    std::process::exit(2);
}
