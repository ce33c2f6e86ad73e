//! Browser tests (wasm32 in headless Chromium via wasm-bindgen-test): the wasm build replays the
//! golden traces to the same digests as the native build, and a mounted widget reacts to Step,
//! to a link click and to a node click.
#![cfg(target_arch = "wasm32")]

use systems_sandbox::content::parse_directive;
use systems_sandbox::sim::replay;
use systems_sandbox::ui::widget::{FrameProps, WidgetFrame};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("golden/traces.txt");

#[wasm_bindgen_test]
fn wasm_trace_digests_equal_the_native_golden_ones() {
    let mut checked = 0;
    for line in GOLDEN
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (desc, want) = line.split_once(" => ").expect("golden line");
        let got = format!(
            "{:016x}",
            replay::run_line(desc.trim()).expect("runs").trace_hash()
        );
        assert_eq!(
            got,
            want.trim(),
            "wasm digest differs from native for `{desc}`"
        );
        checked += 1;
    }
    assert!(checked >= 3);
}

fn query(root: &web_sys::Element, sel: &str) -> web_sys::Element {
    root.query_selector(sel)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no element matches {sel}"))
}

fn click(el: &web_sys::Element) {
    let init = web_sys::MouseEventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).expect("event");
    el.dispatch_event(&ev).expect("dispatch");
}

#[wasm_bindgen_test]
async fn widget_steps_cuts_a_link_and_crashes_a_node() {
    let doc = gloo::utils::document();
    let host = doc.create_element("div").expect("div");
    gloo::utils::body().append_child(&host).expect("append");
    let spec = parse_directive("widget topology nodes=5 seed=7").expect("valid directive");
    let handle = yew::Renderer::<WidgetFrame>::with_root_and_props(
        host.clone(),
        // props! fills every optional prop with its default, so new ones need no change here.
        yew::props!(FrameProps { spec }),
    )
    .render();
    yew::scheduler::flush().await;

    let events = || {
        query(&host, "[data-testid=events]")
            .text_content()
            .unwrap_or_default()
    };
    assert_eq!(events(), "0 events");
    click(&query(&host, "button[data-action=step]"));
    yew::scheduler::flush().await;
    assert_eq!(events(), "1 events");

    let link = query(&host, "g.link[data-link='0']");
    assert!(!link.class_list().contains("cut"));
    click(&link);
    yew::scheduler::flush().await;
    let link = query(&host, "g.link[data-link='0']");
    assert!(link.class_list().contains("cut"), "clicking a link cuts it");
    assert!(
        link.text_content().unwrap_or_default().contains("cut"),
        "a cut is labelled, not only coloured"
    );

    // A click on a node opens the inspector; its button crashes the node.
    click(&query(&host, "g.node[data-node='2']"));
    yew::scheduler::flush().await;
    click(&query(&host, "[data-action=inspect-toggle]"));
    yew::scheduler::flush().await;
    let node = query(&host, "g.node[data-node='2']");
    assert!(node.class_list().contains("down"));
    assert!(node.text_content().unwrap_or_default().contains("down"));
    let label = node.get_attribute("aria-label").unwrap_or_default();
    assert!(
        label.contains("down") && label.contains("inspect it"),
        "{label}"
    );
    let html = host
        .dyn_ref::<web_sys::HtmlElement>()
        .map(|h| h.inner_html())
        .unwrap_or_default();
    assert!(
        html.contains("1 links cut, 1 nodes down"),
        "text alternative tracks state"
    );
    handle.destroy();
}
