//! Every link from a lesson to a widget's own page (`#/widget/...`) opens exactly one of that
//! lesson's widgets: same scenario, same parameters (defaults filled in) and same seed, so the
//! prose's "the same run" is true.
#![cfg(not(target_arch = "wasm32"))]

use systems_sandbox::content::{Block, WidgetSpec, LESSONS};
use systems_sandbox::route::Route;
use systems_sandbox::sim::{self, Params};

/// The widget links in a block of rendered HTML, `&amp;` decoded.
fn widget_links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with("#/widget/"))
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

/// A widget's effective parameters and seed.
fn state(spec: &WidgetSpec) -> (&'static str, Params, u64) {
    let s = sim::find(spec.kind).unwrap();
    let p = Params::parse(s.name, s.params, &spec.pairs).unwrap();
    (spec.kind, p, spec.seed)
}

#[test]
fn widget_links_open_the_lessons_own_widgets() {
    let mut checked = 0;
    for lesson in LESSONS {
        let blocks = lesson.blocks();
        let widgets: Vec<_> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Widget(w) => Some(state(w)),
                _ => None,
            })
            .collect();
        for b in &blocks {
            let Block::Html(h) = b else { continue };
            for link in widget_links(h) {
                let Route::Widget(w) = Route::parse(&link) else {
                    panic!("{}: `{link}` is not a widget route", lesson.slug);
                };
                let spec = WidgetSpec::new(&w.kind, w.pairs.clone(), w.seed.as_deref())
                    .unwrap_or_else(|e| panic!("{}: `{link}`: {e}", lesson.slug));
                let s = state(&spec);
                assert!(
                    widgets.contains(&s),
                    "{}: `{link}` opens a run none of the lesson's widgets shows",
                    lesson.slug
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 1,
        "the welcome lesson links to its widget's page"
    );
}

#[test]
fn a_link_missing_a_parameter_is_caught() {
    // The welcome lesson's old link left out `requests=400`.
    let html = r##"<a href="#/widget/topology?nodes=5&amp;rate=25&amp;seed=7">x</a>"##;
    let links = widget_links(html);
    assert_eq!(
        links,
        vec!["#/widget/topology?nodes=5&rate=25&seed=7".to_string()]
    );
    let Route::Widget(w) = Route::parse(&links[0]) else {
        panic!()
    };
    let got = state(&WidgetSpec::new(&w.kind, w.pairs, w.seed.as_deref()).unwrap());
    let want = state(
        &WidgetSpec::new(
            "topology",
            vec![
                ("nodes".into(), "5".into()),
                ("shape".into(), "ring".into()),
                ("rate".into(), "25".into()),
                ("requests".into(), "400".into()),
            ],
            Some("7"),
        )
        .unwrap(),
    );
    assert_ne!(got, want);
}
