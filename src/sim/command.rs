//! Reader interventions as plain data, with a compact text form for permalinks:
//! `cut:3`, `heal:3`, `crash:2`, `restart:2`, `split:0,1|2,3`, `unsplit`, `set:loss=0.2`,
//! `do:expire-hot-key`. A logged command is `<microseconds>_<events>@<command>`: the simulated
//! time it was applied at and how many events had been processed by then, which together pin
//! its place in the run exactly (several events can share one instant).

use super::params::shorten;
use super::time::Time;

/// One intervention.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    /// Cut a link (by link id).
    Cut(u32),
    /// Restore a cut link.
    Heal(u32),
    /// Crash a node (by node id).
    Crash(u32),
    /// Restart a crashed node.
    Restart(u32),
    /// Partition nodes into groups; nodes not listed join the first group.
    Split(Vec<Vec<u32>>),
    /// Remove the partition.
    Unsplit,
    /// Change a live parameter.
    Set { key: String, value: String },
    /// A scenario-specific action (a button in its widget).
    Do(String),
}

impl Command {
    /// Parse the text form.
    pub fn parse(s: &str) -> Result<Command, String> {
        let (verb, arg) = s.split_once(':').unwrap_or((s, ""));
        let num = || {
            arg.parse::<u32>()
                .map_err(|_| format!("`{}` needs a node or link number", shorten(s)))
        };
        match verb {
            "cut" => num().map(Command::Cut),
            "heal" => num().map(Command::Heal),
            "crash" => num().map(Command::Crash),
            "restart" => num().map(Command::Restart),
            "split" => parse_groups(arg).map(Command::Split),
            "unsplit" if arg.is_empty() => Ok(Command::Unsplit),
            "set" => match arg.split_once('=') {
                Some((k, v)) if !k.is_empty() => Ok(Command::Set { key: k.into(), value: v.into() }),
                _ => Err(format!("`{}` should look like set:key=value", shorten(s))),
            },
            "do" if !arg.is_empty() && arg.len() <= 40 => Ok(Command::Do(arg.into())),
            _ => Err(format!(
                "unknown action `{}`; valid: cut:N, heal:N, crash:N, restart:N, split:0,1|2, unsplit, set:key=value, do:name",
                shorten(s)
            )),
        }
    }

    /// Short name for the trace ("cut", "crash", ...).
    pub fn verb(&self) -> &'static str {
        match self {
            Command::Cut(_) => "cut link",
            Command::Heal(_) => "heal link",
            Command::Crash(_) => "crash",
            Command::Restart(_) => "restart",
            Command::Split(_) => "partition",
            Command::Unsplit => "heal partition",
            Command::Set { .. } => "set",
            Command::Do(_) => "action",
        }
    }
}

/// Parse partition groups: `0,1|2,3,4`.
pub fn parse_groups(s: &str) -> Result<Vec<Vec<u32>>, String> {
    let err = || {
        format!(
            "`{}` is not a partition: expected groups of node numbers like 0,1|2,3",
            shorten(s)
        )
    };
    let groups: Result<Vec<Vec<u32>>, _> = s
        .split('|')
        .map(|g| g.split(',').map(|n| n.trim().parse::<u32>()).collect())
        .collect();
    match groups {
        Ok(g) if g.len() >= 2 && g.iter().all(|x| !x.is_empty()) => Ok(g),
        _ => Err(err()),
    }
}

fn fmt_groups(groups: &[Vec<u32>]) -> String {
    let parts: Vec<String> = groups
        .iter()
        .map(|g| {
            g.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    parts.join("|")
}

impl std::fmt::Display for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Command::Cut(l) => write!(f, "cut:{l}"),
            Command::Heal(l) => write!(f, "heal:{l}"),
            Command::Crash(n) => write!(f, "crash:{n}"),
            Command::Restart(n) => write!(f, "restart:{n}"),
            Command::Split(g) => write!(f, "split:{}", fmt_groups(g)),
            Command::Unsplit => write!(f, "unsplit"),
            Command::Set { key, value } => write!(f, "set:{key}={value}"),
            Command::Do(a) => write!(f, "do:{a}"),
        }
    }
}

/// A place in a run: simulated time plus events processed (exact even within one instant).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Mark {
    pub at: Time,
    pub events: u64,
}

impl Mark {
    /// Parse `<microseconds>_<events>`.
    pub fn parse(s: &str) -> Result<Mark, String> {
        let bad = || {
            format!(
                "`{}` is not a place in a run: expected <microseconds>_<events>, like 1500000_42",
                shorten(s)
            )
        };
        let (t, e) = s.split_once('_').ok_or_else(bad)?;
        Ok(Mark {
            at: Time(t.parse().map_err(|_| bad())?),
            events: e.parse().map_err(|_| bad())?,
        })
    }
}

impl std::fmt::Display for Mark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}_{}", self.at.0, self.events)
    }
}

/// A command and the place in the run where it was applied.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Timed {
    pub mark: Mark,
    pub cmd: Command,
}

impl Timed {
    /// Parse `<microseconds>_<events>@<command>`.
    pub fn parse(s: &str) -> Result<Timed, String> {
        let (m, c) = s
            .split_once('@')
            .ok_or_else(|| format!("`{}` should look like 1500000_42@cut:3", shorten(s)))?;
        Ok(Timed {
            mark: Mark::parse(m)?,
            cmd: Command::parse(c)?,
        })
    }
}

impl std::fmt::Display for Timed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.mark, self.cmd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_form_round_trips() {
        for s in [
            "cut:3",
            "heal:0",
            "crash:2",
            "restart:2",
            "split:0,1|2,3,4",
            "unsplit",
            "set:loss=0.2",
            "do:expire",
        ] {
            let c = Command::parse(s).unwrap();
            assert_eq!(c.to_string(), s);
        }
        let t = Timed::parse("1500_7@cut:3").unwrap();
        assert_eq!(
            t,
            Timed {
                mark: Mark {
                    at: Time(1500),
                    events: 7
                },
                cmd: Command::Cut(3)
            }
        );
        assert_eq!(t.to_string(), "1500_7@cut:3");
    }

    #[test]
    fn bad_text_is_an_error_not_a_panic() {
        for s in [
            "",
            "cut",
            "cut:x",
            "split:0",
            "split:|",
            "set:",
            "set:=3",
            "fly:1",
            "do:",
            "unsplit:3",
        ] {
            assert!(Command::parse(s).is_err(), "{s}");
        }
        for s in [
            "cut:3",
            "x@cut:3",
            "15@cut:3",
            "1_x@cut:3",
            "_@cut:3",
            "1_2@fly",
        ] {
            assert!(Timed::parse(s).is_err(), "{s}");
        }
    }
}
