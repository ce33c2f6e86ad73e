//! The web app's entry points (built by Trunk for wasm32 as `app.js` + `app_bg.wasm`):
//! `mount_site` is called by `static/boot.js` on the site's page, `mount_widget` by
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
        let attrs = EmbedAttrs { widget, params: params.unwrap_or_default(), seed, theme, log, t, site };
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
