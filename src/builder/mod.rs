//! The builder's text operations, pure and tested natively: the design text is the builder's one
//! state (what the reader typed is never rewritten behind their back), and the palette and the
//! wire form only append statements to it. `check` says whether a text runs, naming the line
//! that does not; the page keeps running the last text that did.

use crate::sim::params::shorten;
use crate::sim::scenario::system::keys::{CompKind, KINDS};

mod arrange;
mod exercise;
mod settings;
mod slo;

pub use arrange::{arrange, move_by, move_component, Direction};
pub use exercise::{exercise_block, Exercise};
pub use settings::{design_part, set_key, settings, Settings};
pub use slo::Slo;

/// The kinds the palette offers, in order.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|k| k.name())
}

/// The names declared in `text` (`NAME: KIND ...` lines), in order, whether or not the rest of
/// the text is valid.
pub fn components(text: &str) -> Vec<String> {
    statements(text)
        .filter_map(|s| declaration(s).map(|(n, _)| n.to_string()))
        .collect()
}

/// The statements of a design text, trimmed, without blank lines and comments.
fn statements(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with('#'))
}

/// `text` with a new component of `kind` appended, named after its kind (`api`, `api2`, ...).
/// An unknown kind is an error naming the valid ones.
pub fn add_component(text: &str, kind: &str) -> Result<(String, String), String> {
    let Some(k) = CompKind::parse(kind) else {
        let valid: Vec<&str> = kinds().collect();
        return Err(format!(
            "`{}` is not a component kind; valid: {}",
            shorten(kind),
            valid.join(", ")
        ));
    };
    let taken = components(text);
    let base = match k {
        CompKind::Clients => "users",
        CompKind::Balancer => "lb",
        CompKind::Service => "api",
        CompKind::Cache => "cache",
        CompKind::Database => "db",
        CompKind::Queue => "queue",
        CompKind::Limiter => "limit",
    };
    let name = (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}{n}")
            }
        })
        .find(|n| !taken.contains(n))
        .unwrap_or_else(|| base.to_string());
    Ok((append(text, &format!("{name}: {}", k.name())), name))
}

/// `text` with the wire `from -> to` appended; both must be declared and different.
pub fn add_wire(text: &str, from: &str, to: &str) -> Result<String, String> {
    let names = components(text);
    for n in [from, to] {
        if !names.iter().any(|x| x == n) {
            return Err(format!(
                "`{}` is not a component of this design; declared: {}",
                shorten(n),
                names.join(", ")
            ));
        }
    }
    if from == to {
        return Err("a wire joins two different components".into());
    }
    Ok(append(text, &format!("{from} -> {to}")))
}

/// `text` without component `name`: its declaration, the wires through it (a chain is cut there,
/// keeping the pieces that still join two components) and the faults that name it. Other lines,
/// comments included, stay as they were.
pub fn remove_component(text: &str, name: &str) -> Result<String, String> {
    if !components(text).iter().any(|n| n == name) {
        return Err(format!(
            "`{}` is not a component of this design",
            shorten(name)
        ));
    }
    Ok(rewrite(text, |st| without(st, name)))
}

/// `text` with each `;`- or line-separated statement replaced by what `f` makes of it (None: the
/// statement goes). The lines, their order and the statements `f` keeps stay where they were; a
/// line left with no statement goes, a line that was blank stays.
pub(crate) fn rewrite(text: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = Vec::new();
    for line in text.lines() {
        let kept: Vec<String> = line.split(';').filter_map(&mut f).collect();
        if !kept.is_empty() || line.trim().is_empty() {
            out.push(kept.join("; "));
        }
    }
    out.join("\n")
}

/// A statement's component name and the rest (`KIND key=value ...`) if it declares one.
pub(crate) fn declaration(st: &str) -> Option<(&str, &str)> {
    let t = st.trim();
    if t.starts_with('#') || t.starts_with("at ") || t.contains("->") {
        return None;
    }
    let (name, rest) = t.split_once(':')?;
    let name = name.trim();
    let kind = rest.split_whitespace().next()?;
    let named = !name.is_empty() && !name.contains(char::is_whitespace);
    (named && CompKind::parse(kind).is_some()).then_some((name, rest.trim()))
}

/// One statement with `name` taken out (None: nothing of it is left).
fn without(st: &str, name: &str) -> Option<String> {
    let t = st.trim();
    if t.is_empty() || t.starts_with('#') {
        return Some(st.to_string());
    }
    if t.starts_with("at ") {
        let named = t
            .split(|c: char| c.is_whitespace() || c == ':')
            .any(|w| w == name);
        return (!named).then(|| t.to_string());
    }
    if t.contains("->") {
        let mut pieces: Vec<Vec<&str>> = vec![vec![]];
        for n in t.split("->").map(str::trim) {
            if n == name {
                pieces.push(vec![]);
            } else if let Some(last) = pieces.last_mut() {
                last.push(n);
            }
        }
        let chains: Vec<String> = pieces
            .into_iter()
            .filter(|p| p.len() >= 2)
            .map(|p| p.join(" -> "))
            .collect();
        return (!chains.is_empty()).then(|| chains.join("; "));
    }
    match t.split_once(':') {
        Some((n, _)) if n.trim() == name => None,
        _ => Some(t.to_string()),
    }
}

fn append(text: &str, line: &str) -> String {
    let t = text.trim_end();
    if t.is_empty() {
        line.to_string()
    } else {
        format!("{t}\n{line}")
    }
}

/// Does this design run? The error names the line, the word and what is valid.
pub fn check(text: &str) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err(
            "the design is empty: add a component from the palette, or start from a preset".into(),
        );
    }
    crate::sim::create("system", &[("design".into(), text.to_string())], 1)
        .map(|_| ())
        .map_err(|e| e.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_example_of_the_issue_builds_from_empty_with_the_palette_and_wires() {
        let mut t = String::new();
        for kind in ["clients", "balancer", "service", "database"] {
            t = add_component(&t, kind).unwrap().0;
        }
        assert_eq!(components(&t), ["users", "lb", "api", "db"]);
        for (a, b) in [("users", "lb"), ("lb", "api"), ("api", "db")] {
            t = add_wire(&t, a, b).unwrap();
        }
        assert_eq!(
            t,
            "users: clients\nlb: balancer\napi: service\ndb: database\nusers -> lb\nlb -> api\napi -> db"
        );
        assert_eq!(check(&t), Ok(()));
        let (t2, name) = add_component(&t, "service").unwrap();
        assert_eq!(name, "api2");
        assert!(t2.ends_with("\napi2: service"));
    }

    #[test]
    fn removing_a_component_takes_its_wires_and_faults_and_keeps_the_rest() {
        let t = "# shop\nusers: clients rate=5\nlb: balancer\napi: service\ndb: database\nusers -> lb -> api -> db\nat 100: crash api; at 200: slow db 2";
        let r = remove_component(t, "api").unwrap();
        assert_eq!(
            r,
            "# shop\nusers: clients rate=5\nlb: balancer\ndb: database\nusers -> lb\nat 200: slow db 2"
        );
        assert_eq!(components(&r), ["users", "lb", "db"]);
        assert!(remove_component(t, "nope").is_err());
        // `apix` is not `api`.
        let r = remove_component("api: service\napix: service\napix -> api", "api").unwrap();
        assert_eq!(r, "apix: service");
    }

    #[test]
    fn mistakes_are_named_and_nothing_typed_is_lost() {
        assert!(add_component("", "teleporter")
            .unwrap_err()
            .contains("valid: clients"));
        let t = "users: clients\napi: service";
        assert!(add_wire(t, "users", "db")
            .unwrap_err()
            .contains("declared: users, api"));
        assert!(add_wire(t, "api", "api").is_err());
        let e = check("users: clients rate=abc\napi: service\nusers -> api").unwrap_err();
        assert!(e.starts_with("line 1"), "{e}");
        assert!(check("").unwrap_err().contains("empty"));
        // A broken line does not hide the components declared around it.
        assert_eq!(
            components("users: clients\nthis is not\napi: service"),
            ["users", "api"]
        );
    }
}
