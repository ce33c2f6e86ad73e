//! The design text: one statement per line (or separated by `;`). A component is
//! `NAME: KIND key=value ...`, a wire chain `A -> B -> C`, a timed fault `at MS: COMMAND`, a
//! design-wide setting `link_ms=N`, a comment `# ...`. Every error names the line (statements
//! are numbered from 1, `;` counting as a line break), quotes it, names the word that is wrong
//! and what would be valid.

use super::keys::{CompKind, KIND_NAMES};
use crate::sim::num::parse_f64;
use crate::sim::params::{shorten, Params};
use crate::sim::time::Time;

/// Most components in one design.
pub const MAX_COMPONENTS: usize = 32;
/// Most statements in one design.
pub const MAX_STATEMENTS: usize = 300;
/// Longest component name.
pub const MAX_NAME: usize = 24;

/// A declared component.
#[derive(Clone, Debug)]
pub struct CompDef {
    pub name: String,
    pub kind: CompKind,
    pub params: Params,
    /// Where it was declared (for later errors).
    pub line: usize,
    pub text: String,
}

/// What a timed fault does (components by index).
#[derive(Clone, Debug, PartialEq)]
pub enum FaultAction {
    Crash(usize),
    Restart(usize),
    /// Multiply service time by this factor (1 restores).
    Slow(usize, f64),
    /// Fail this share of requests (0 restores).
    Fail(usize, f64),
    Cut(usize, usize),
    Heal(usize, usize),
}

/// A fault at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub at: Time,
    pub action: FaultAction,
}

/// A parsed design, names resolved, not yet checked as a graph.
#[derive(Clone, Debug)]
pub struct Design {
    pub comps: Vec<CompDef>,
    /// (caller, callee), in the order written.
    pub wires: Vec<(usize, usize)>,
    pub faults: Vec<Fault>,
    pub link_ms: f64,
}

/// A statement with its number, for error messages.
#[derive(Clone, Copy)]
struct Line<'a> {
    n: usize,
    text: &'a str,
}

impl Line<'_> {
    fn err(&self, msg: impl std::fmt::Display) -> String {
        format!("line {} (`{}`): {msg}", self.n, shorten(self.text))
    }
}

/// Parse a design.
pub fn parse(text: &str) -> Result<Design, String> {
    let lines: Vec<Line> = text
        .split(['\n', ';'])
        .enumerate()
        .map(|(i, t)| Line {
            n: i + 1,
            text: t.trim(),
        })
        .filter(|l| !l.text.is_empty() && !l.text.starts_with('#'))
        .collect();
    if lines.len() > MAX_STATEMENTS {
        return Err(format!(
            "the design has {} statements; at most {MAX_STATEMENTS} are allowed",
            lines.len()
        ));
    }
    let mut d = Design {
        comps: Vec::new(),
        wires: Vec::new(),
        faults: Vec::new(),
        link_ms: 1.0,
    };
    let (mut wires, mut faults) = (Vec::new(), Vec::new());
    for l in &lines {
        if is_fault(l.text) {
            faults.push(*l);
        } else if l.text.contains("->") {
            wires.push(*l);
        } else if let Some((name, rest)) = l.text.split_once(':') {
            component(&mut d, *l, name.trim(), rest.trim())?;
        } else {
            setting(&mut d, *l)?;
        }
    }
    if d.comps.is_empty() {
        return Err(
            "the design declares no component; declare one as `NAME: KIND key=value ...`, e.g. `api: service workers=4`"
                .into(),
        );
    }
    for l in wires {
        chain(&mut d, l)?;
    }
    for l in faults {
        let f = fault(&d, l)?;
        d.faults.push(f);
    }
    Ok(d)
}

fn is_fault(t: &str) -> bool {
    t.strip_prefix("at")
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_whitespace()))
}

fn valid_name(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && s.len() <= MAX_NAME
}

const NAME_RULE: &str =
    "a name starts with a letter and holds letters, digits, `_` or `-` (at most 24)";

fn component(d: &mut Design, l: Line, name: &str, rest: &str) -> Result<(), String> {
    if !valid_name(name) {
        return Err(l.err(format_args!(
            "`{}` is not a component name: {NAME_RULE}",
            shorten(name)
        )));
    }
    if d.comps.iter().any(|c| c.name == name) {
        return Err(l.err(format_args!(
            "`{name}` is declared twice; give each component its own name"
        )));
    }
    if d.comps.len() == MAX_COMPONENTS {
        return Err(l.err(format_args!(
            "too many components; at most {MAX_COMPONENTS}"
        )));
    }
    let mut words = rest.split_ascii_whitespace();
    let Some(kind_word) = words.next() else {
        return Err(l.err(format_args!(
            "`{name}` needs a kind after the colon; valid kinds: {KIND_NAMES}"
        )));
    };
    let Some(kind) = CompKind::parse(kind_word) else {
        return Err(l.err(format_args!(
            "unknown kind `{}`; valid kinds: {KIND_NAMES}",
            shorten(kind_word)
        )));
    };
    let mut pairs = Vec::new();
    for w in words {
        match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => pairs.push((k.to_string(), v.to_string())),
            _ => {
                return Err(l.err(format_args!(
                    "`{}` should be key=value; {} keys: {}",
                    shorten(w),
                    kind.name(),
                    key_names(kind)
                )))
            }
        }
    }
    let params = Params::parse(kind.name(), kind.keys(), &pairs).map_err(|e| l.err(e.0))?;
    d.comps.push(CompDef {
        name: name.to_string(),
        kind,
        params,
        line: l.n,
        text: l.text.to_string(),
    });
    Ok(())
}

fn key_names(kind: CompKind) -> String {
    let names: Vec<&str> = kind.keys().iter().map(|p| p.name).collect();
    names.join(", ")
}

fn setting(d: &mut Design, l: Line) -> Result<(), String> {
    match l.text.split_once('=') {
        Some((k, v)) if k.trim() == "link_ms" => match parse_f64(v.trim()) {
            Some(x) if x.is_finite() && (0.0..=10_000.0).contains(&x) => {
                d.link_ms = x;
                Ok(())
            }
            _ => Err(l.err(format_args!(
                "`link_ms={}` is not valid: expected milliseconds from 0 to 10000",
                shorten(v.trim())
            ))),
        },
        Some((k, _)) => Err(l.err(format_args!(
            "unknown design setting `{}`; valid: link_ms",
            shorten(k.trim())
        ))),
        None => Err(l.err(
            "not a statement: write `NAME: KIND key=value ...`, `A -> B`, `at MS: COMMAND` or `link_ms=N`",
        )),
    }
}

fn find(d: &Design, l: Line, name: &str) -> Result<usize, String> {
    d.comps.iter().position(|c| c.name == name).ok_or_else(|| {
        let names: Vec<&str> = d.comps.iter().map(|c| c.name.as_str()).collect();
        l.err(format_args!(
            "no component is called `{}`; components: {}",
            shorten(name),
            names.join(", ")
        ))
    })
}

fn chain(d: &mut Design, l: Line) -> Result<(), String> {
    let names: Vec<&str> = l.text.split("->").map(str::trim).collect();
    if names.iter().any(|n| n.is_empty()) {
        return Err(l.err("a wire needs a component name on each side of `->`"));
    }
    let ids = names
        .iter()
        .map(|n| find(d, l, n))
        .collect::<Result<Vec<_>, _>>()?;
    for w in ids.windows(2) {
        let (a, b) = (w[0], w[1]);
        if d.wires.contains(&(a, b)) {
            return Err(l.err(format_args!(
                "the wire {} -> {} is given twice",
                d.comps[a].name, d.comps[b].name
            )));
        }
        d.wires.push((a, b));
    }
    Ok(())
}

const FAULTS: &str =
    "crash NAME, restart NAME, slow NAME FACTOR, fail NAME SHARE, cut A B, heal A B";

fn fault(d: &Design, l: Line) -> Result<Fault, String> {
    let body = l.text.get(2..).unwrap_or("").trim();
    let Some((when, cmd)) = body.split_once(':') else {
        return Err(l.err("a timed fault is `at MS: COMMAND`"));
    };
    let at = match parse_f64(when.trim()) {
        Some(ms) if ms.is_finite() && (0.0..=1e9).contains(&ms) => Time::from_ms_f64(ms),
        _ => {
            return Err(l.err(format_args!(
                "`at {}` is not a time: expected milliseconds from 0 to 1000000000",
                shorten(when.trim())
            )))
        }
    };
    let words: Vec<&str> = cmd.split_ascii_whitespace().collect();
    let number = |w: &str, lo: f64, hi: f64, what: &str| match parse_f64(w) {
        Some(x) if x.is_finite() && (lo..=hi).contains(&x) => Ok(x),
        _ => Err(l.err(format_args!(
            "`{}` is not valid: expected {what}",
            shorten(w)
        ))),
    };
    let action = match words.as_slice() {
        ["crash", n] => FaultAction::Crash(find(d, l, n)?),
        ["restart", n] => FaultAction::Restart(find(d, l, n)?),
        ["slow", n, k] => FaultAction::Slow(
            find(d, l, n)?,
            number(k, 0.01, 1000.0, "a factor from 0.01 to 1000 (1 restores)")?,
        ),
        ["fail", n, s] => FaultAction::Fail(
            find(d, l, n)?,
            number(s, 0.0, 1.0, "a share from 0 to 1 (0 restores)")?,
        ),
        ["cut" | "heal", a, b] => {
            let (a, b) = (find(d, l, a)?, find(d, l, b)?);
            if !d.wires.contains(&(a, b)) && !d.wires.contains(&(b, a)) {
                return Err(l.err(format_args!(
                    "there is no wire between `{}` and `{}`",
                    d.comps[a].name, d.comps[b].name
                )));
            }
            match words.first() {
                Some(&"cut") => FaultAction::Cut(a, b),
                _ => FaultAction::Heal(a, b),
            }
        }
        _ => {
            return Err(l.err(format_args!(
                "unknown fault `{}`; valid: {FAULTS}",
                shorten(cmd.trim())
            )))
        }
    };
    if let FaultAction::Slow(c, _) | FaultAction::Fail(c, _) = action {
        if !d.comps[c].kind.is_station() {
            return Err(l.err(format_args!(
                "`{}` is a {}; only a service, cache or database can be slowed or made to fail",
                d.comps[c].name,
                d.comps[c].kind.name()
            )));
        }
    }
    Ok(Fault { at, action })
}
