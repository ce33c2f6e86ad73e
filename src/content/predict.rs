//! Committed predictions: a question with 2 to 4 answers, each a condition on the run's metrics.
//! The reader picks one before the run; the next try-it step below the question is the run that
//! decides it (the lesson tests check that exactly one answer holds on that run):
//!
//! ````md
//! ```predict What happens to c0's operations during the partition?
//! answer They all fail, the others carry on | availability < 1
//! answer They wait and succeed after the heal | availability = 1
//! ```
//! ````
//!
//! An answer is `answer TEXT | CONDITION` (several conditions joined by `;` must all hold).

use super::cond::Cond;
use crate::sim::metrics::Metrics;
use crate::sim::params::shorten;

/// One answer: what the reader reads, and when it is the run's answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub text: String,
    pub conds: Vec<Cond>,
}

/// A parsed prediction.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    pub question: String,
    pub answers: Vec<Answer>,
}

/// Parse a prediction block: its info string (`predict QUESTION`) and body. Errors name the line.
pub fn parse_prediction(info: &str, body: &str) -> Result<Prediction, String> {
    let question = info
        .trim()
        .strip_prefix("predict")
        .map(str::trim)
        .unwrap_or("");
    if question.is_empty() {
        return Err("a prediction needs its question after `predict`".into());
    }
    let mut answers = Vec::new();
    for (n, line) in body.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let here = |e: String| format!("line {} (`{}`): {e}", n + 1, shorten(line));
        let rest = line
            .strip_prefix("answer ")
            .ok_or_else(|| here("unknown line; valid: answer TEXT | CONDITION".into()))?;
        let (text, conds) = rest
            .split_once('|')
            .ok_or_else(|| here("an answer is `answer TEXT | CONDITION`".into()))?;
        let conds: Result<Vec<Cond>, String> = conds.split(';').map(Cond::parse).collect();
        let text = text.trim();
        if text.is_empty() {
            return Err(here("the answer has no text".into()));
        }
        answers.push(Answer {
            text: text.to_string(),
            conds: conds.map_err(here)?,
        });
    }
    if !(2..=4).contains(&answers.len()) {
        return Err(format!(
            "a prediction has 2 to 4 answers, this one has {}",
            answers.len()
        ));
    }
    Ok(Prediction {
        question: question.to_string(),
        answers,
    })
}

impl Prediction {
    /// Which answers hold for these metrics (errors: a condition names no metric).
    pub fn holding(&self, m: &Metrics) -> Result<Vec<usize>, String> {
        let mut out = Vec::new();
        for (i, a) in self.answers.iter().enumerate() {
            let mut all = true;
            for c in &a.conds {
                all &= c.holds(m)?;
            }
            if all {
                out.push(i);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_decides() {
        let p = parse_prediction(
            "predict How many?",
            "answer None | stale_reads = 0\nanswer Some | stale_reads > 0; stale_reads < 10\nanswer Many | stale_reads >= 10\n",
        )
        .unwrap();
        assert_eq!(p.answers.len(), 3);
        let mut m = Metrics::default();
        m.int("stale_reads", 4);
        assert_eq!(p.holding(&m), Ok(vec![1]));
    }

    #[test]
    fn mistakes_name_the_line() {
        let cases = [
            ("predict", "", "needs its question"),
            ("predict Q", "answer A | x = 1", "2 to 4 answers"),
            ("predict Q", "answer A x = 1\nanswer B | x = 2", "line 1"),
            (
                "predict Q",
                "reply A | x = 1\nanswer B | x = 2",
                "unknown line",
            ),
            (
                "predict Q",
                "answer A | x is 1\nanswer B | x = 2",
                "comes a comparison",
            ),
        ];
        for (info, body, want) in cases {
            let e = parse_prediction(info, body).unwrap_err();
            assert!(e.contains(want), "{body}: {e}");
        }
    }
}
