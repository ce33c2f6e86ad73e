//! A component's settings as the builder's inspector edits them: what its declaration writes, and
//! the design text with one key set. Only that declaration is rewritten (as
//! `NAME: KIND key=value ...`); every other statement, comment and line stays as typed. A value
//! is checked by the key's own `ParamSpec`, so the inspector's errors are the engine's.

use super::{declaration, rewrite};
use crate::sim::params::shorten;
use crate::sim::scenario::system::keys::CompKind;

/// What a component's declaration says.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub kind: CompKind,
    /// The keys written in the declaration, in order, as written.
    pub written: Vec<(String, String)>,
}

impl Settings {
    /// The value the run uses for `key`: as written, or the kind's default.
    pub fn value(&self, key: &str) -> Option<String> {
        self.written
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .or_else(|| {
                self.kind
                    .keys()
                    .iter()
                    .find(|p| p.name == key)
                    .map(|p| p.default.to_string())
            })
    }
}

/// The settings of component `name` (None: `text` declares no such component).
pub fn settings(text: &str, name: &str) -> Option<Settings> {
    text.split(['\n', ';']).find_map(|st| {
        let (n, rest) = declaration(st)?;
        (n == name).then(|| parse_rest(rest)).flatten()
    })
}

fn parse_rest(rest: &str) -> Option<Settings> {
    let mut words = rest.split_whitespace();
    let kind = CompKind::parse(words.next()?)?;
    let written = words
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (w.to_string(), String::new()),
        })
        .collect();
    Some(Settings { kind, written })
}

/// `text` with `key=value` on component `name`'s declaration (replacing what it wrote for `key`,
/// or added at its end). An unknown component or key, or a value the key does not take, is an
/// error naming it and what is valid; the text is then unchanged.
pub fn set_key(text: &str, name: &str, key: &str, value: &str) -> Result<String, String> {
    let Some(s) = settings(text, name) else {
        return Err(format!(
            "`{}` is not a component of this design",
            shorten(name)
        ));
    };
    let Some(spec) = s.kind.keys().iter().find(|p| p.name == key) else {
        let keys: Vec<&str> = s.kind.keys().iter().map(|p| p.name).collect();
        return Err(format!(
            "a {} has no setting `{}`; its settings: {}",
            s.kind.name(),
            shorten(key),
            keys.join(", ")
        ));
    };
    let value = value.trim();
    if value.contains(|c: char| c.is_whitespace() || c == ';' || c == '#') {
        return Err(format!(
            "`{key}={}` is not valid: a value is one word, without spaces, `;` or `#`",
            shorten(value)
        ));
    }
    spec.parse(value).map_err(|e| format!("{name}: {e}"))?;
    let mut written = s.written.clone();
    match written.iter_mut().find(|(k, _)| k == key) {
        Some(pair) => pair.1 = value.to_string(),
        None => written.push((key.to_string(), value.to_string())),
    }
    let line = declare(name, s.kind, &written);
    Ok(rewrite(text, |st| match declaration(st) {
        Some((n, _)) if n == name => Some(line.clone()),
        _ => Some(st.trim().to_string()),
    }))
}

/// One part of a design, in a form that compares equal when the part is unchanged (spacing and
/// key order aside): `faults` (the timed faults), `wires`, `NAME` (a component's declaration) or
/// `NAME.KEY` (the value one setting runs with). A challenge keeps a part with `keep design PART`.
pub fn design_part(text: &str, part: &str) -> Result<String, String> {
    let statements =
        || super::statements(text).map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
    match part {
        "faults" => Ok(statements()
            .filter(|s| s.starts_with("at "))
            .collect::<Vec<_>>()
            .join("; ")),
        "wires" => Ok(statements()
            .filter(|s| s.contains("->"))
            .collect::<Vec<_>>()
            .join("; ")),
        _ => {
            let (name, key) = match part.split_once('.') {
                Some((n, k)) => (n, Some(k)),
                None => (part, None),
            };
            let s = settings(text, name).ok_or_else(|| {
                format!(
                    "`{}` is not a component of the design; a kept part is faults, wires, NAME or NAME.KEY",
                    shorten(name)
                )
            })?;
            match key {
                Some(k) => s
                    .value(k)
                    .ok_or_else(|| format!("a {} has no setting `{}`", s.kind.name(), shorten(k))),
                None => {
                    let mut written = s.written.clone();
                    // Equal pairs are identical, so the crate's small unstable sort gives the
                    // same text as the standard one, without its ~3.4 KB of wasm.
                    crate::sim::compact::sort(&mut written);
                    Ok(declare(name, s.kind, &written))
                }
            }
        }
    }
}

fn declare(name: &str, kind: CompKind, written: &[(String, String)]) -> String {
    let mut line = format!("{name}: {}", kind.name());
    for (k, v) in written {
        line.push(' ');
        line.push_str(k);
        if !v.is_empty() {
            line.push('=');
            line.push_str(v);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: &str = "# shop\nusers: clients rate=50\napi: service workers=2; db: database\nusers -> api -> db\n\nat 100: crash db";

    #[test]
    fn a_key_is_replaced_or_added_on_its_declaration_only() {
        let t = set_key(SHOP, "users", "rate", "80").unwrap();
        assert_eq!(
            t,
            "# shop\nusers: clients rate=80\napi: service workers=2; db: database\nusers -> api -> db\n\nat 100: crash db"
        );
        let t = set_key(&t, "db", "workers", "4").unwrap();
        assert!(
            t.contains("api: service workers=2; db: database workers=4\n"),
            "{t}"
        );
        let s = settings(&t, "db").unwrap();
        assert_eq!(s.kind, CompKind::Database);
        assert_eq!(s.value("workers").as_deref(), Some("4"));
        assert_eq!(s.value("service_ms").as_deref(), Some("5"));
        assert_eq!(super::super::check(&t), Ok(()));
    }

    #[test]
    fn a_design_part_compares_equal_until_it_changes() {
        let moved = "users: clients rate=50\n# a comment\ndb: database\napi: service  workers=2\nusers -> api -> db\nat 100:  crash db";
        for part in ["faults", "wires", "api", "users.rate", "db.workers"] {
            assert_eq!(design_part(SHOP, part), design_part(moved, part), "{part}");
        }
        assert_eq!(design_part(SHOP, "db.workers").unwrap(), "8");
        assert_eq!(design_part(SHOP, "faults").unwrap(), "at 100: crash db");
        let changed = set_key(SHOP, "users", "rate", "60").unwrap();
        assert_ne!(
            design_part(SHOP, "users.rate"),
            design_part(&changed, "users.rate")
        );
        assert_ne!(design_part(SHOP, "users"), design_part(&changed, "users"));
        assert_eq!(design_part(SHOP, "api"), design_part(&changed, "api"));
        assert!(design_part(SHOP, "nope")
            .unwrap_err()
            .contains("faults, wires, NAME or NAME.KEY"));
        assert!(design_part(SHOP, "api.colour")
            .unwrap_err()
            .contains("no setting `colour`"));
    }

    #[test]
    fn bad_edits_are_named_and_change_nothing() {
        assert!(set_key(SHOP, "cache", "rate", "1")
            .unwrap_err()
            .contains("`cache` is not a component"));
        let e = set_key(SHOP, "api", "speed", "2").unwrap_err();
        assert!(
            e.contains("a service has no setting `speed`; its settings: replicas, workers"),
            "{e}"
        );
        let e = set_key(SHOP, "api", "workers", "0").unwrap_err();
        assert!(e.contains("`workers=0` is not valid: expected"), "{e}");
        let e = set_key(SHOP, "api", "queue", "5; x: service").unwrap_err();
        assert!(e.contains("a value is one word"), "{e}");
        assert_eq!(settings(SHOP, "nope"), None);
    }
}
