//! The compact form's own tests: round trips, the pinned dictionary, and every way a value can be
//! broken named in a sentence (the fuzz test in `tests/fuzz.rs` throws random bytes at it).

use super::*;

#[test]
fn texts_round_trip() {
    for t in [
        "",
        "a",
        "users: clients",
        "x; y; z",
        &"ab".repeat(5000),
        "\t\n~%",
    ] {
        let p = pack(t).unwrap();
        assert!(p.starts_with(VERSION));
        assert_eq!(unpack(&p).as_deref(), Ok(t), "{p}");
    }
    assert_eq!(pack("café"), None);
    assert_eq!(pack(&"a".repeat(MAX_TEXT + 1)), None);
    assert!(pack(&"a".repeat(MAX_TEXT)).is_some_and(|p| unpack(&p).is_ok()));
}

#[test]
fn the_version_1_dictionary_never_changes() {
    // Changing it changes what every version-1 link means: write a new version instead.
    assert_eq!((dict::V1.len(), check(dict::V1)), (894, 1102));
}

#[test]
fn broken_values_are_named() {
    let good = pack("users: clients rate=80\napi: service\nusers -> api").unwrap();
    let cases: [(String, &str); 8] = [
        (String::new(), "is empty"),
        (format!("2{}", &good[1..]), "only version `1` exists"),
        (format!("{good}="), "holds `=` at character"),
        (good[..good.len() - 3].to_string(), "cut short"),
        (format!("{good}AA"), "2 characters follow its end"),
        ("1".to_string(), "cut short"),
        ("1____".to_string(), "length does not end"),
        ("1___f".to_string(), "would expand to"),
    ];
    for (v, want) in cases {
        let e = unpack(&v).unwrap_err();
        assert!(e.contains(want), "{v}: {e}");
    }
    // One character changed: the check (or a copy, or the length) gives it away.
    let mut caught = 0;
    for i in 1..good.len() {
        let mut b = good.clone().into_bytes();
        b[i] = if b[i] == b'A' { b'B' } else { b'A' };
        let v = String::from_utf8(b).unwrap();
        caught += usize::from(unpack(&v).is_err());
    }
    assert_eq!(
        caught,
        good.len() - 1,
        "every one-character change is refused"
    );
}

#[test]
fn pairs_are_written_compact_only_when_shorter() {
    let design = "users: clients rate=80 deadline_ms=1000\napi: service workers=1 service_ms=10\nusers -> api";
    let (k, v) = write_pair("design", design, false).unwrap();
    assert_eq!(k, "design~");
    assert_eq!(read_pair(k, v), ("design".to_string(), design.to_string()));
    assert_eq!(write_pair("nodes", "6", false), None);
    assert_eq!(write_pair("design~", design, false), None);
    assert_eq!(write_pair("design", "a: service", false), None);
    // An embed's params attribute cannot carry spaces, so short text is packed there too.
    assert!(write_pair("design", "a: service", true).is_some());
    assert_eq!(
        write_pair("note", "café au lait with milk please", true),
        None
    );
}

#[test]
fn a_bad_compact_pair_is_kept_and_named() {
    let (k, v) = read_pair("design~".into(), "1zz".into());
    assert_eq!((k.as_str(), v.as_str()), ("design~", "1zz"));
    let e = dropped(&k, &v).unwrap();
    assert!(
        e.starts_with("`design~=1zz` was dropped: the compact value is cut short"),
        "{e}"
    );
    assert!(e.ends_with("or the text itself as `design=`."), "{e}");
    assert_eq!(dropped("design", "x"), None);
    assert_eq!(problem("design", "x"), None);
    let good = pack("a: service").unwrap();
    assert_eq!(problem("design~", &good), None);
    assert!(problem("~", &good).unwrap().contains("name before"));
    assert_eq!(read_pair("~".into(), good.clone()), ("~".to_string(), good));
}
