//! Sharing a run, pure: the permalink of a widget's current state and the two embed snippets
//! (iframe and script tag). Every value that lands in HTML is attribute-escaped. Long text settings
//! (a design) go through `crate::pack` like every link: compact where shorter, and always in an
//! embed's `params` attribute, whose pairs are separated by spaces.

use crate::route::{Route, WidgetRoute};
use crate::sim::command::{Mark, Timed};
use crate::sim::replay::format_log;
use crate::sim::Time;

/// What identifies a run: scenario, setup parameters, seed, interventions and playhead.
#[derive(Clone, Debug, PartialEq)]
pub struct RunState<'a> {
    pub kind: &'a str,
    pub pairs: &'a [(String, String)],
    pub seed: u64,
    pub log: &'a [Timed],
    pub at: Mark,
}

impl RunState<'_> {
    /// The widget route that replays this run (log and playhead only when there is something to replay).
    pub fn route(&self, embed: bool) -> WidgetRoute {
        let moved = !self.log.is_empty() || self.at.events > 0 || self.at.at > Time::ZERO;
        WidgetRoute {
            kind: self.kind.to_string(),
            pairs: self.pairs.to_vec(),
            seed: Some(self.seed.to_string()),
            embed,
            theme: None,
            log: (!self.log.is_empty()).then(|| format_log(self.log)),
            at: moved.then(|| self.at.to_string()),
        }
    }

    /// Absolute permalink: `site` is the page URL without its hash (e.g. `https://x.org/sandbox/`).
    pub fn permalink(&self, site: &str) -> String {
        format!("{site}{}", Route::Widget(self.route(false)).to_hash())
    }

    /// `<iframe>` snippet for the standalone widget page in embed mode.
    pub fn iframe_snippet(&self, site: &str) -> String {
        let src = format!("{site}{}", Route::Widget(self.route(true)).to_hash());
        format!(
            "<iframe src=\"{}\" title=\"Systems Sandbox: {} widget\" width=\"100%\" height=\"880\" loading=\"lazy\" style=\"border:0\"></iframe>",
            attr(&src),
            attr(self.kind)
        )
    }

    /// `<script>` + `<systems-sandbox>` snippet for embed.js.
    pub fn script_snippet(&self, site: &str) -> String {
        // Pairs are separated by spaces there, so text with spaces (a design) goes compact.
        let params: Vec<String> = self
            .pairs
            .iter()
            .map(|(k, v)| match crate::pack::write_pair(k, v, true) {
                Some((k, v)) => format!("{k}={v}"),
                None => format!("{k}={v}"),
            })
            .collect();
        let mut el = format!("<systems-sandbox widget=\"{}\"", attr(self.kind));
        if !params.is_empty() {
            el += &format!(" params=\"{}\"", attr(&params.join(" ")));
        }
        el += &format!(" seed=\"{}\"", self.seed);
        if let Some(log) = self.route(false).log {
            el += &format!(" log=\"{}\" t=\"{}\"", attr(&log), self.at);
        } else if self.at.events > 0 || self.at.at > Time::ZERO {
            el += &format!(" t=\"{}\"", self.at);
        }
        // Content inside the element shows only where embed.js never runs (a host that refuses
        // it): a link to the same run on its own page. Once the script runs, the shadow root hides it.
        format!(
            "<script type=\"module\" src=\"{}embed.js\"></script>\n{el}><a href=\"{}\">Open the {} simulation</a></systems-sandbox>",
            attr(site_dir(site)),
            attr(&self.permalink(site)),
            attr(self.kind)
        )
    }
}

/// The directory part of a URL (`https://x.org/a/index.html` -> `https://x.org/a/`).
pub fn site_dir(site: &str) -> &str {
    match site.rfind('/') {
        Some(i) => &site[..=i],
        None => site,
    }
}

/// Escape a value for a double-quoted HTML attribute.
pub fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Parse an embed element's `params` attribute: `key=value` words separated by spaces.
pub fn parse_params_attr(s: &str) -> Result<Vec<(String, String)>, String> {
    s.split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(format!(
                "`{}` in params should be key=value",
                crate::sim::params::shorten(w)
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::command::Command;
    use crate::sim::Time;

    fn pairs() -> Vec<(String, String)> {
        vec![("nodes".into(), "6".into())]
    }

    #[test]
    fn permalink_carries_everything_needed_to_replay() {
        let p = pairs();
        let log = vec![Timed {
            mark: Mark {
                at: Time(1500),
                events: 9,
            },
            cmd: Command::Cut(2),
        }];
        let run = RunState {
            kind: "topology",
            pairs: &p,
            seed: 7,
            log: &log,
            at: Mark {
                at: Time(3000),
                events: 20,
            },
        };
        let url = run.permalink("https://example.org/sb/");
        assert_eq!(
            url,
            "https://example.org/sb/#/widget/topology?nodes=6&seed=7&log=1500_9@cut:2&t=3000_20"
        );
        let Route::Widget(w) = Route::parse(url.split_once('#').map(|x| x.1).unwrap_or("")) else {
            panic!()
        };
        assert_eq!(w, run.route(false));
        let fresh = RunState {
            log: &[],
            at: Mark::default(),
            ..run.clone()
        };
        assert_eq!(fresh.permalink("/"), "/#/widget/topology?nodes=6&seed=7");
    }

    #[test]
    fn snippets_are_escaped_and_complete() {
        let p = vec![("note".to_string(), "\"><script>".to_string())];
        let run = RunState {
            kind: "topology",
            pairs: &p,
            seed: 3,
            log: &[],
            at: Mark::default(),
        };
        let iframe = run.iframe_snippet("https://x.org/sb/index.html");
        assert!(iframe.contains("embed=1"));
        assert!(!iframe.contains("<script>"));
        let script = run.script_snippet("https://x.org/sb/index.html");
        assert!(script
            .starts_with("<script type=\"module\" src=\"https://x.org/sb/embed.js\"></script>"));
        assert!(
            script.contains("params=\"note=&quot;&gt;&lt;script&gt;\""),
            "{script}"
        );
        assert!(script.contains("seed=\"3\""));
        // A link stands in where the script never runs; the hostile value stays encoded.
        assert!(script.contains(
            "><a href=\"https://x.org/sb/index.html#/widget/topology?note=%22%3E%3Cscript%3E&amp;seed=3\">Open the topology simulation</a></systems-sandbox>"
        ), "{script}");
        assert_eq!(script.matches("<script").count(), 1, "{script}");
    }

    #[test]
    fn a_design_travels_compact_in_every_snippet() {
        let design = "users: clients rate=80 deadline_ms=1000\napi: service workers=1 service_ms=10\nusers -> api";
        let p = vec![("design".to_string(), design.to_string())];
        let run = RunState {
            kind: "system",
            pairs: &p,
            seed: 2,
            log: &[],
            at: Mark::default(),
        };
        let site = "https://x.org/sb/";
        for link in [run.permalink(site), run.iframe_snippet(site)] {
            assert!(link.contains("#/widget/system?design~=1"), "{link}");
            assert!(!link.contains("%20"), "{link}");
        }
        let script = run.script_snippet(site);
        let params = script
            .split("params=\"")
            .nth(1)
            .and_then(|s| s.split('"').next());
        let pairs = parse_params_attr(params.unwrap_or("")).unwrap();
        assert_eq!(pairs.len(), 1, "{script}");
        assert_eq!(pairs[0].0, "design~");
        let r = WidgetRoute {
            kind: "system".into(),
            pairs,
            ..Default::default()
        };
        let opened = crate::session::link::open(&r).unwrap();
        assert_eq!(opened.spec.pairs, p);
        assert!(opened.notices.is_empty());
    }

    #[test]
    fn params_attribute() {
        assert_eq!(
            parse_params_attr(" nodes=5  loss=0.1 ").map(|v| v.len()),
            Ok(2)
        );
        assert!(parse_params_attr("nodes").is_err());
        assert!(parse_params_attr("=3").is_err());
    }
}
