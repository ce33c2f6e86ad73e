//! A teacher's exercise, written from the builder: the design readers start from, a target (the
//! SLO's two figures as goals), which parts of the design they must leave alone, how many seeds,
//! and the teacher's own design as the solution. The result is a challenge block (the same
//! language as a lesson's, parsed by the same parser), so the builder hosts it like a lesson's.

use super::{components, design_part, Slo};
use crate::content::parse_challenge;
use crate::sim::num_fmt::Short;
use crate::sim::params::shorten;

/// What the teacher chose.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// The task in the teacher's words (one line).
    pub task: String,
    pub slo: Slo,
    /// The timed faults stay as the start has them.
    pub keep_faults: bool,
    /// Components whose lines stay as the start has them.
    pub keep: Vec<String>,
    /// Seeds the goals must hold on (1 to 20).
    pub seeds: u32,
}

/// The challenge block (info line, newline, body) for `ex`, with `solution` (a design text) as
/// its solution. Every mistake names what is wrong: an empty task, a kept component the start
/// lacks, a solution that changes what the exercise keeps.
pub fn exercise_block(ex: &Exercise, start: &str, solution: &str) -> Result<String, String> {
    let task = ex.task.split_whitespace().collect::<Vec<_>>().join(" ");
    if task.is_empty() {
        return Err("the exercise needs a task: say what the reader should achieve".into());
    }
    if task.len() > 400 {
        return Err(format!(
            "the task is {} characters long; at most 400",
            task.len()
        ));
    }
    let names = components(start);
    let mut kept = Vec::new();
    if ex.keep_faults {
        kept.push("faults".to_string());
    }
    for k in &ex.keep {
        if !names.contains(k) {
            return Err(format!(
                "`{}` is not a component of the start; its components: {}",
                shorten(k),
                names.join(", ")
            ));
        }
        kept.push(k.clone());
    }
    for part in &kept {
        if design_part(start, part)? != design_part(solution, part)? {
            return Err(format!(
                "your design changes {} from the start, which the exercise keeps; change it back, or keep less",
                if part == "faults" { "the faults".to_string() } else { format!("the {part} line") }
            ));
        }
    }
    let (a, p) = (Short(ex.slo.availability), Short(ex.slo.p99_ms));
    let mut body = format!(
        "goal Availability at least {a} | availability >= {a}\ngoal p99 at most {p} ms | latency_p99_ms <= {p}\n"
    );
    for part in &kept {
        body += &format!("keep design {part}\n");
    }
    body += &format!(
        "seeds {}\nsolution The teacher's design.\n",
        ex.seeds.clamp(1, 20)
    );
    for line in solution
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        body += &format!("design {line}\n");
    }
    body += "run end";
    let info = format!("challenge {task}");
    parse_challenge(&info, &body)?;
    Ok(format!("{info}\n{body}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::WidgetSpec;
    use crate::session::Session;

    const START: &str = "users: clients rate=200 deadline_ms=1000\napi: service workers=1 service_ms=10\nusers -> api\nat 2000: slow api 2";
    const FIXED: &str = "users: clients rate=200 deadline_ms=1000\napi: service replicas=4 workers=1 service_ms=10\nusers -> api\nat 2000: slow api 2";

    fn ex() -> Exercise {
        Exercise {
            task: "Keep the  SLO\nthrough the slowdown".into(),
            slo: Slo {
                availability: 0.99,
                p99_ms: 300.0,
            },
            keep_faults: true,
            keep: vec!["users".into()],
            seeds: 2,
        }
    }

    #[test]
    fn the_block_parses_and_its_solution_meets_its_goals_and_the_start_does_not() {
        let block = exercise_block(&ex(), START, FIXED).unwrap();
        let (info, body) = block.split_once('\n').unwrap();
        assert_eq!(info, "challenge Keep the SLO through the slowdown");
        let c = parse_challenge(info, body).unwrap();
        let spec =
            WidgetSpec::new("system", vec![("design".into(), START.into())], Some("1")).unwrap();
        c.check_keys(&spec).unwrap();
        assert_eq!(c.seeds, 2);
        let solved = Session::from_step(&spec, &c.solution).unwrap().facts();
        assert!(
            c.judge(&spec, &solved).met(),
            "{:?}",
            c.judge(&spec, &solved)
        );
        let mut start = Session::from_step(&spec, &c.start).unwrap();
        start.run_to_end(u64::MAX);
        assert!(!c.judge(&spec, &start.facts()).met());
    }

    #[test]
    fn mistakes_are_named() {
        let mut e = ex();
        e.task = "  ".into();
        assert!(exercise_block(&e, START, FIXED)
            .unwrap_err()
            .contains("needs a task"));
        let mut e = ex();
        e.keep = vec!["db".into()];
        assert!(exercise_block(&e, START, FIXED)
            .unwrap_err()
            .contains("its components: users, api"));
        let moved = FIXED.replace("at 2000", "at 9000");
        assert!(exercise_block(&ex(), START, &moved)
            .unwrap_err()
            .contains("changes the faults"));
        let faster = FIXED.replace("rate=200", "rate=20");
        assert!(exercise_block(&ex(), START, &faster)
            .unwrap_err()
            .contains("changes the users line"));
    }
}
