//! Tells a widget whether it is on screen (IntersectionObserver), so off-screen widgets stop
//! requesting animation frames and cost nothing.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::Callback;

/// Keeps the observer and its callback alive; disconnects when dropped.
pub struct Visibility {
    observer: web_sys::IntersectionObserver,
    _closure: Closure<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>,
}

impl Visibility {
    /// Observe `el`; `on_change` receives true when any part of it is within 100 px of the viewport.
    pub fn watch(el: &web_sys::Element, on_change: Callback<bool>) -> Option<Visibility> {
        let closure = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, _obs: web_sys::IntersectionObserver| {
                let last = entries
                    .iter()
                    .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                    .next_back();
                if let Some(entry) = last {
                    on_change.emit(entry.is_intersecting());
                }
            },
        );
        let init = web_sys::IntersectionObserverInit::new();
        init.set_root_margin("100px");
        let observer = web_sys::IntersectionObserver::new_with_options(
            closure.as_ref().unchecked_ref(),
            &init,
        )
        .ok()?;
        observer.observe(el);
        Some(Visibility {
            observer,
            _closure: closure,
        })
    }
}

impl Drop for Visibility {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
