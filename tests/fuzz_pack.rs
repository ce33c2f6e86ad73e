//! Property tests for compact link values (`systems_sandbox::pack`): random text round-trips
//! exactly; random characters, random truncations and random one-character changes of real
//! values never panic, a truncation is always refused, and a link holding any of them still
//! opens with its seed, naming the one part it dropped. For many more cases:
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz_pack`.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use systems_sandbox::pack::{pack, unpack, MAX_TEXT};
use systems_sandbox::route::{Route, WidgetRoute};
use systems_sandbox::session::link::open;
use systems_sandbox::sim::scenario::system::presets::PRESETS;

fn widget(hash: &str) -> WidgetRoute {
    match Route::parse(hash) {
        Route::Widget(w) => w,
        other => panic!("not a widget route: {other:?}"),
    }
}

/// Open `#/widget/system?design~=VALUE&seed=9`: it opens, keeps the seed, and names at most the
/// design as dropped.
fn opens_with_seed(value: &str) -> Result<(), TestCaseError> {
    let hash = format!(
        "#/widget/system?design~={}&seed=9",
        systems_sandbox::route::encode(value)
    );
    let o = open(&widget(&hash)).map_err(TestCaseError::fail)?;
    prop_assert_eq!(o.spec.seed, 9);
    prop_assert!(o.notices.len() <= 1, "{:?}", o.notices);
    if let Some(n) = o.notices.first() {
        prop_assert!(
            n.starts_with("`design~=") && n.contains("was dropped"),
            "{}",
            n
        );
        prop_assert!(!n.contains('\n') && n.chars().count() < 400, "{}", n);
    }
    Ok(())
}

proptest! {
    #[test]
    fn ascii_text_round_trips(t in "[ -~\t\n]{0,600}") {
        let p = pack(&t).expect("ASCII packs");
        prop_assert_eq!(unpack(&p), Ok(t));
    }

    #[test]
    fn random_values_never_panic(s in prop_oneof![".{0,80}", "1[A-Za-z0-9_-]{0,400}"]) {
        if let Err(e) = unpack(&s) {
            prop_assert!(e.starts_with("the compact value"), "{}", e);
        }
        opens_with_seed(&s)?;
    }

    #[test]
    fn truncations_are_refused(i in 0..PRESETS.len(), cut in 0.0f64..1.0) {
        let p = pack(PRESETS[i].2).expect("presets pack");
        let keep = (cut * p.len() as f64) as usize;
        prop_assert!(unpack(&p[..keep]).is_err(), "{} of {}", keep, p.len());
        opens_with_seed(&p[..keep])?;
    }

    #[test]
    fn changed_characters_never_panic(i in 0..PRESETS.len(), at in 0.0f64..1.0, c in "[A-Za-z0-9_~%.-]") {
        let p = pack(PRESETS[i].2).expect("presets pack");
        let at = (at * p.len() as f64) as usize;
        let changed = format!("{}{c}{}", &p[..at], &p[at + 1..]);
        if let Ok(t) = unpack(&changed) {
            // Rarely a change leaves a valid value: then it is ASCII text of the announced size.
            prop_assert!(t.is_ascii() && t.len() <= MAX_TEXT);
        }
        opens_with_seed(&changed)?;
    }
}

#[test]
fn the_largest_expansion_is_capped_and_the_design_limit_still_applies() {
    let bomb = pack(&"a".repeat(MAX_TEXT)).unwrap();
    assert!(bomb.len() < 400, "{} characters", bomb.len());
    assert_eq!(unpack(&bomb).map(|t| t.len()), Ok(MAX_TEXT));
    let o = open(&widget(&format!("#/widget/system?design~={bomb}&seed=4"))).unwrap();
    assert_eq!(o.spec.seed, 4);
    assert!(o.notices[0].contains("was dropped"), "{:?}", o.notices);
}
