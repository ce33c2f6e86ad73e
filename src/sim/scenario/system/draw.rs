//! What the drawing shows of a running system: each node's state line in full (for the table
//! view, the inspector and its accessible name) and short (drawn: "3/4 busy · 12 q"), its busy
//! share as a small bar, its replicas as pips (up, down, starting), its breaker when not closed,
//! and on each wire its recent request rate. Colour is never the only signal: every mark also
//! has words, in the drawing or in its `<title>`.

use super::comp::{Comp, Part};
use super::model::SystemModel;
use crate::sim::num_fmt::{Fixed, Short};
use crate::sim::snapshot::{replica_words, LinkNote, NodeMarks, NodeView, ReplicaMark, Snapshot};

impl SystemModel {
    /// Fill every node's state line and marks, and every wire's rate.
    pub fn labels(&self, snap: &mut Snapshot) {
        for (node, c) in snap.nodes.iter_mut().zip(&self.comps) {
            self.mark(node, c);
        }
        let now = self.windows(snap.now).0;
        snap.link_notes = self
            .wire_calls
            .iter()
            .zip(&self.wires)
            .enumerate()
            .map(|(k, (w, &(a, b)))| {
                let rate = w.recent(now);
                let name = |c: u16| self.comps.get(c as usize).map_or("?", |x| x.name.as_str());
                LinkNote {
                    link: k as u32,
                    text: format!("{}/s", rate_text(rate)),
                    title: format!(
                        "{} → {}: {} requests per second over the last simulated second; {} calls in all",
                        name(a),
                        name(b),
                        rate_text(rate),
                        w.total
                    ),
                }
            })
            .collect();
    }

    fn mark(&self, node: &mut NodeView, c: &Comp) {
        let badge = c
            .caller
            .breaker
            .as_ref()
            .map(|b| b.word())
            .filter(|w| *w != "closed")
            .map_or(String::new(), |w| format!("breaker {w}"));
        let (label, marks) = match &c.part {
            Part::Station(s) => {
                let st = &s.st;
                let (busy, waiting) = (st.busy(), st.waiting());
                let slots = st.workers as u64 * st.active() as u64;
                let pips = pips(c);
                let mut label = format!("{busy} of {slots} workers busy, {waiting} waiting");
                if !pips.is_empty() {
                    label += &format!(", {}", replica_words(&pips, true));
                }
                if let Some(b) = &c.caller.breaker {
                    label += &format!(", breaker {}", b.word());
                }
                let short = format!("{busy}/{slots} busy · {waiting} q");
                let load = if slots > 0 {
                    busy as f32 / slots as f32
                } else {
                    0.0
                };
                (label, marks(short, Some(load), pips, badge))
            }
            Part::Queue(b) => {
                let (depth, out) = (b.items.len(), b.in_flight);
                let label = format!(
                    "{} queued, {out} of {} consumers busy",
                    count(depth as u64, "message"),
                    b.consumers
                );
                let load = out as f32 / (b.consumers.max(1)) as f32;
                let short = format!("{depth} q · {out}/{} out", b.consumers);
                (label, marks(short, Some(load), Vec::new(), badge))
            }
            Part::Clients(_) => {
                let id = node.id as u16;
                let one = self
                    .comps
                    .iter()
                    .filter(|x| matches!(x.part, Part::Clients(_)))
                    .count()
                    == 1;
                let n = if one {
                    self.users.len()
                } else {
                    self.users.tokens_where(|u| u.comp == id).len()
                };
                let label = format!("{} waiting for an answer", count(n as u64, "request"));
                (
                    label,
                    marks(format!("{n} waiting"), None, Vec::new(), badge),
                )
            }
            Part::Balancer(lb) => {
                let up = lb.bal.healthy.iter().filter(|h| **h).count();
                let n = lb.targets.len();
                let label = format!("{up} of {n} targets in rotation");
                (
                    label,
                    marks(format!("{up}/{n} up"), None, Vec::new(), badge),
                )
            }
            Part::Limiter(b) => {
                let t = b.tokens as u64;
                (
                    format!("{} left", count(t, "token")),
                    marks(format!("{t} tokens"), None, Vec::new(), badge),
                )
            }
        };
        node.label = label;
        node.marks = marks;
    }
}

fn marks(short: String, load: Option<f32>, replicas: Vec<ReplicaMark>, badge: String) -> NodeMarks {
    NodeMarks {
        short,
        load,
        replicas,
        badge,
    }
}

/// `1 request`, `2 requests`.
fn count(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A rate as the wire shows it: whole numbers from 10 on, one decimal below.
fn rate_text(r: f64) -> String {
    if r >= 10.0 {
        Fixed(r, 0).to_string()
    } else {
        Short((r * 10.0).round() / 10.0).to_string()
    }
}

/// The replicas of a station that has more than one slot or crashes at random: those
/// provisioned (up or down) and those being started, in slot order.
fn pips(c: &Comp) -> Vec<ReplicaMark> {
    let Part::Station(s) = &c.part else {
        return Vec::new();
    };
    if s.st.replicas.len() < 2 && s.mtbf_us.is_none() {
        return Vec::new();
    }
    s.st.replicas
        .iter()
        .filter_map(|r| match (r.active, r.up, r.starting) {
            (true, true, _) => Some(ReplicaMark::Up),
            (true, false, _) => Some(ReplicaMark::Down),
            (false, _, true) => Some(ReplicaMark::Starting),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::sim::scenario::create;
    use crate::sim::snapshot::{replica_words, ReplicaMark};
    use crate::sim::time::Time;

    #[test]
    fn nodes_get_short_lines_bars_pips_and_badges_and_wires_their_rate() {
        let design = "users: clients rate=200 deadline_ms=1000\napi: service replicas=3 workers=2 service_ms=5 breaker=on timeout_ms=100\ndb: database workers=4 service_ms=2\nusers -> api -> db\nat 2000: crash db";
        let pairs = vec![("design".to_string(), design.to_string())];
        let mut s = create("system", &pairs, 1).unwrap();
        s.run_until(Time::from_ms(1_500));
        let snap = s.snapshot();
        let api = &snap.nodes[1];
        let short = &api.marks.short;
        assert!(
            short.ends_with(" q") && short.contains("/6 busy · "),
            "{short}"
        );
        assert!(
            api.label.contains("of 6 workers busy") && api.label.contains("3 replicas: 3 up"),
            "{}",
            api.label
        );
        assert_eq!(api.marks.replicas, vec![ReplicaMark::Up; 3]);
        assert!(api.marks.load.is_some_and(|l| (0.0..=1.0).contains(&l)));
        assert_eq!(api.marks.badge, "", "the breaker is closed");
        assert!(snap.nodes[0].marks.replicas.is_empty() && snap.nodes[0].marks.load.is_none());
        assert_eq!(snap.link_notes.len(), 2);
        let rate = snap.metrics.num("users.to.api.rate").unwrap();
        assert_eq!(
            snap.link_notes[0].text,
            format!("{}/s", super::rate_text(rate))
        );
        assert!(
            snap.link_notes[0].title.starts_with("users → api: ")
                && snap.link_notes[0]
                    .title
                    .contains("over the last simulated second")
        );
        // The db dies at 2 s: the api's breaker opens and says so over the node.
        s.run_until(Time::from_ms(4_000));
        let snap = s.snapshot();
        assert_eq!(snap.nodes[1].marks.badge, "breaker open");
        assert_eq!(snap.link_notes[1].text, "0/s");
    }

    #[test]
    fn replicas_in_words() {
        use ReplicaMark::*;
        assert_eq!(
            replica_words(&[Up, Down, Starting], true),
            "2 replicas: 1 up, 1 down, 1 starting"
        );
        assert_eq!(
            replica_words(&[Up, Down, Starting, Starting], false),
            "1 down, 2 starting"
        );
        assert_eq!(replica_words(&[Up], true), "1 replica: 1 up");
        assert_eq!(replica_words(&[Up, Up], false), "");
    }

    #[test]
    fn rates_are_whole_from_ten_on() {
        assert_eq!(super::rate_text(0.0), "0");
        assert_eq!(super::rate_text(1.11), "1.1");
        assert_eq!(super::rate_text(9.96), "10");
        assert_eq!(super::rate_text(284.4), "284");
    }
}
