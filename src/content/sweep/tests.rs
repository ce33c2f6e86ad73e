//! The sweep block: parsing, resolving its points against a widget, and mistakes named by line.

use super::*;
use crate::content::parse_directive;

const WIDGET: &str = "widget system seed=2 duration_ms=2000\nlink_ms=0\nusers: clients rate=50 deadline_ms=10000\napi: service workers=1 service_ms=10\nusers -> api";

fn spec() -> WidgetSpec {
    parse_directive(WIDGET).unwrap()
}

#[test]
fn a_full_sweep_resolves_to_one_run_per_value() {
    let sw = parse_sweep(
        "sweep Latency against load",
        "vary users.rate 20 50 80\nmetric latency_mean_ms\ntheory api\nseed 3\nset duration_ms=1000\nexpect 50 latency_mean_ms ~ 20",
    )
    .unwrap();
    assert_eq!(sw.label, "Latency against load");
    assert_eq!((sw.key.as_str(), sw.values.len()), ("users.rate", 3));
    assert_eq!(sw.seed, Some(3));
    assert_eq!(sw.expect[0].0, "50");
    let pts = sw.points(&spec()).unwrap();
    assert_eq!(pts.len(), 3);
    assert!(
        (pts[1].x - 0.5).abs() < 1e-12,
        "x is utilisation: {}",
        pts[1].x
    );
    assert_eq!(pts[2].seed, 3);
    let design = &pts[2].pairs.iter().find(|(k, _)| k == "design").unwrap().1;
    assert!(
        design.contains("users: clients rate=80 deadline_ms=10000"),
        "{design}"
    );
    assert!(pts[0]
        .pairs
        .contains(&("duration_ms".into(), "1000".into())));
    assert!((pts[2].theory_ms().unwrap() - 50.0).abs() < 1e-9);
    // The theory curve spans the values, rising.
    let c = sw.curve(&spec(), 30);
    assert_eq!(c.len(), 31);
    assert!((c[0].0 - 0.2).abs() < 1e-9 && (c[30].0 - 0.8).abs() < 1e-9);
    assert!(c.windows(2).all(|w| w[1].1 > w[0].1));
    // A widget setting can be varied too; without theory the value is the x.
    let sw = parse_sweep(
        "sweep Long runs",
        "vary duration_ms 1000 2000\nmetric latency_p99_ms",
    )
    .unwrap();
    let pts = sw.points(&spec()).unwrap();
    assert_eq!(pts[1].x, 2000.0);
    assert!(pts[0]
        .run("latency_p99_ms")
        .unwrap()
        .num("latency_p99_ms")
        .is_some());
}

#[test]
fn mistakes_name_the_line_or_the_value() {
    let parse_cases = [
        (
            "sweep",
            "vary users.rate 1 2\nmetric latency_mean_ms",
            "needs a label",
        ),
        (
            "sweep X",
            "vary users.rate 1 2\nmetrik latency_mean_ms",
            "line 2 (`metrik latency_mean_ms`): unknown line",
        ),
        (
            "sweep X",
            "metric latency_mean_ms\nvary users.rate 5",
            "line 2 (`vary users.rate 5`): `vary users.rate` needs 2 to 24 values",
        ),
        (
            "sweep X",
            "vary a 1 2\nmetric m\nseed x",
            "line 3 (`seed x`): the seed is a whole number",
        ),
        ("sweep X", "vary a 1 2\nmetric m\nrun end", "unknown line"),
        ("sweep X", "metric m", "needs a `vary"),
        ("sweep X", "vary a 1 2", "needs a `metric"),
        (
            "sweep X",
            "vary a 1 2\nmetric latency_p99_ms\ntheory api",
            "needs `metric latency_mean_ms`",
        ),
        (
            "sweep X",
            "vary a 1 2\nmetric m\nexpect 3 m = 1",
            "3 is not among the values",
        ),
        (
            "sweep X",
            "vary a 1 2\nmetric m\nexpect 1 m",
            "line 3 (`expect 1 m`)",
        ),
    ];
    for (info, body, want) in parse_cases {
        let e = parse_sweep(info, body).unwrap_err();
        assert!(e.contains(want), "{body}: {e}");
    }
    let point_cases = [
        ("vary users.rat 10 20\nmetric latency_mean_ms", "line 1 (`vary users.rat`), at 10: line 2"),
        ("vary users.rate 10 -5\nmetric latency_mean_ms", "line 1 (`vary users.rate`), at -5:"),
        ("vary db.rate 10 20\nmetric latency_mean_ms", "no component `db`"),
        ("vary users.rate 10 20\nmetric latency_men_ms", "`metric latency_men_ms`: the system widget has no such metric"),
        ("vary users.rate 10 20\nmetric latency_mean_ms\ntheory users", "`theory users`: `users` is not a service"),
        ("vary users.rate 10 20\nmetric latency_mean_ms\ntheory api\ndesign link_ms=1\ndesign users: clients\ndesign api: service\ndesign users -> api", "link_ms=0"),
        ("vary nodes 3 4\nmetric latency_mean_ms", "line 1 (`vary nodes`), at 3:"),
    ];
    for (body, want) in point_cases {
        let e = parse_sweep("sweep X", body)
            .and_then(|s| s.points(&spec()))
            .unwrap_err();
        assert!(e.contains(want), "{body}: {e}");
    }
}

#[test]
fn a_key_is_set_on_its_component_only() {
    let d = "link_ms=0; users: clients rate=5; api: service; users -> api";
    assert_eq!(
        set_in_design(d, "api", "workers", "2").unwrap(),
        "link_ms=0\nusers: clients rate=5\napi: service workers=2\nusers -> api"
    );
    assert_eq!(
        set_in_design(d, "users", "rate", "9").unwrap(),
        "link_ms=0\nusers: clients rate=9\napi: service\nusers -> api"
    );
    assert!(set_in_design(d, "lb", "rate", "9").is_err());
}
