//! Exports of a run as text files: the run and its recent trace as JSON, the metrics as CSV.
//! Hand-written JSON (no serde_json in the wasm build), with proper string escaping.

use super::metrics::{Items, Value};
use super::num_fmt::Short;
use super::replay::format_log;
use super::scenario::Scenario;

/// Quote and escape a string for JSON.
pub fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_value(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_finite() => Short(*f).to_string(),
        Value::Float(_) => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Word(w) => json_str(w),
        Value::List(Items { values: l, .. }) => {
            let items: Vec<String> = l
                .iter()
                .map(|f| {
                    if f.is_finite() {
                        Short(*f).to_string()
                    } else {
                        "null".into()
                    }
                })
                .collect();
            format!("[{}]", items.join(","))
        }
    }
}

/// The run (scenario, parameters, seed, interventions, playhead), its digest and metrics, and the
/// recent trace lines. Everything needed to replay it with `sandbox` or a permalink.
pub fn trace_json(s: &dyn Scenario) -> String {
    let params: Vec<String> = s
        .params()
        .iter()
        .map(|(k, v)| format!("{}: {}", json_str(k), json_str(&v.to_string())))
        .collect();
    let metrics: Vec<String> = s
        .metrics()
        .0
        .iter()
        .map(|(k, v)| format!("{}: {}", json_str(k), json_value(v)))
        .collect();
    let recent: Vec<String> = s
        .snapshot()
        .recent
        .iter()
        .map(|l| json_str(l.trim()))
        .collect();
    format!(
        "{{\n  \"scenario\": {},\n  \"seed\": {},\n  \"params\": {{{}}},\n  \"log\": {},\n  \"playhead\": {},\n  \"events\": {},\n  \"sim_time_ms\": {},\n  \"trace_hash\": \"{:016x}\",\n  \"metrics\": {{{}}},\n  \"recent_events\": [\n    {}\n  ]\n}}\n",
        json_str(s.spec().name),
        s.seed(),
        params.join(", "),
        json_str(&format_log(s.log())),
        json_str(&s.mark().to_string()),
        s.events(),
        Short(s.now().as_ms()),
        s.trace_hash(),
        metrics.join(", "),
        recent.join(",\n    ")
    )
}

/// `metric,value` rows (lists joined with `;`).
pub fn metrics_csv(s: &dyn Scenario) -> String {
    let mut out = String::from("metric,value\n");
    for (k, v) in s.metrics().0 {
        let cell = match &v {
            Value::List(Items { values: l, .. }) => l
                .iter()
                .map(|f| Short(*f).to_string())
                .collect::<Vec<_>>()
                .join(";"),
            other => other.to_string(),
        };
        out += &format!("{k},{cell}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{create, Command};

    #[test]
    fn escapes_what_json_needs() {
        assert_eq!(json_str("a\"b\\c\nd\u{1}"), "\"a\\\"b\\\\c\\nd\\u0001\"");
        assert_eq!(json_str("<script>"), "\"<script>\"");
    }

    #[test]
    fn exports_describe_the_run() {
        let mut s = create("topology", &[("requests".into(), "50".into())], 4).unwrap();
        s.run_until(crate::sim::Time::from_ms(1000));
        s.apply(&Command::Cut(2)).unwrap();
        s.run_to_end(u64::MAX);
        let j = trace_json(s.as_ref());
        assert!(j.contains("\"scenario\": \"topology\""));
        assert!(j.contains(&format!("\"trace_hash\": \"{:016x}\"", s.trace_hash())));
        assert!(j.contains("@cut:2"));
        assert!(j.contains("\"requests\": \"50\""));
        let csv = metrics_csv(s.as_ref());
        assert!(csv.starts_with("metric,value\nsent,50\n"), "{csv}");
    }

    #[test]
    fn a_verdict_word_is_a_json_string_and_a_plain_csv_cell() {
        let mut s = create("replication", &[("ops".into(), "20".into())], 1).unwrap();
        s.run_to_end(u64::MAX);
        assert!(trace_json(s.as_ref()).contains("\"linearizable\": \"yes\""));
        assert!(metrics_csv(s.as_ref()).contains("\nlinearizable,yes\n"));
        assert_eq!(json_value(&Value::Word("undecided")), "\"undecided\"");
    }
}
