//! What the `sharding` model reports and how it is steered: metrics (all measured from the
//! simulated placement, data locations and requests), node labels, the extra view, live
//! parameter changes and the add/remove buttons.

use super::model::{Msg, ShardingModel, Timer};
use super::place::Strategy;
use super::view;
use crate::sim::engine::{Ctx, NetStats};
use crate::sim::metrics::Metrics;
use crate::sim::network::Network;
use crate::sim::params::Value;
use crate::sim::scenario::Model;
use crate::sim::snapshot::{Extra, Snapshot};
use crate::sim::time::Time;

/// Max over mean and coefficient of variation (population) of `v`; (0, 0) when empty or all zero.
pub fn spread(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n.max(1.0);
    if v.is_empty() || mean <= 0.0 {
        return (0.0, 0.0);
    }
    let max = v.iter().copied().fold(0.0, f64::max);
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n;
    (max / mean, libm::sqrt(var) / mean)
}

impl ShardingModel {
    fn per_active(&self, v: &[u64]) -> Vec<f64> {
        self.place
            .active()
            .iter()
            .map(|&s| v.get(s as usize).copied().unwrap_or(0) as f64)
            .collect()
    }
}

impl Model for ShardingModel {
    fn metrics(&self, net: NetStats, _now: Time) -> Metrics {
        let keys = self.place.keys().max(1) as f64;
        let held: Vec<u64> = self.held.iter().map(|&h| h as u64).collect();
        let (load_max, load_cv) = spread(&self.per_active(&held));
        let (req_max, _) = spread(&self.per_active(&self.hits));
        let fanout = if self.window_requests == 0 {
            0.0
        } else {
            self.fanout_sum as f64 / self.window_requests as f64
        };
        let hot = if self.window_requests == 0 || self.hot_key().is_none() {
            0.0
        } else {
            self.hot_hits as f64 / self.window_requests as f64
        };
        let mut m = Metrics::default();
        m.int("shards", self.place.active().len() as i64)
            .int("keys_moved", self.keys_moved as i64)
            .float("keys_moved_fraction", self.keys_moved as f64 / keys)
            .int("keys_in_transit", self.in_transit() as i64)
            .float("load_max_over_mean", load_max)
            .float("load_cv", load_cv)
            .float("request_max_over_mean", req_max)
            .float("fanout_mean", fanout)
            .float("hot_key_share", hot)
            .int("requests", self.issued as i64)
            .int("range_scans", self.scans as i64)
            .int("unanswered", self.parts.saturating_sub(self.replies) as i64)
            .int("migration_failed", self.failed_keys as i64)
            .int("dropped", net.dropped as i64);
        m
    }

    fn decorate(&self, snap: &mut Snapshot) {
        let v = view::build(self);
        for n in &mut snap.nodes {
            if n.id == 0 {
                n.label = format!("{} requests", self.issued);
                continue;
            }
            let slot = (n.id - 1) as u8;
            n.label = match v.shards.iter().find(|b| b.slot == slot) {
                None => "spare".into(),
                Some(b) => {
                    let mut l = format!("{} keys", b.keys);
                    if !b.active {
                        l.push_str(" · leaving");
                    }
                    if b.hot {
                        l.push_str(" · HOT");
                    }
                    l
                }
            };
        }
        snap.extra = Extra::Sharding(Box::new(v));
    }

    fn set(&mut self, key: &str, value: &Value, _net: &mut Network) -> Result<(), String> {
        match (key, value) {
            ("strategy", Value::Word(w)) => {
                let s = Strategy::parse(w).ok_or_else(|| format!("unknown strategy `{w}`"))?;
                if s == self.place.strategy() {
                    return Ok(());
                }
                self.apply_change(format!("strategy → {w}"), |p| {
                    p.set_strategy(s);
                    Ok(())
                })
            }
            ("vnodes", Value::Int(v)) => {
                let v = (*v).clamp(1, 1000) as u32;
                if self.place.strategy() != Strategy::Consistent {
                    self.place.set_vnodes(v);
                    return Ok(());
                }
                self.apply_change(format!("vnodes → {v}"), |p| {
                    p.set_vnodes(v);
                    Ok(())
                })
            }
            ("rate", Value::Float(r)) => {
                self.set_rate(*r);
                Ok(())
            }
            _ => Err(format!(
                "`{key}` cannot change during a run; reset with the new value"
            )),
        }
    }

    fn after_set(&mut self, key: &str, ctx: &mut Ctx<Msg, Timer>) {
        if key == "strategy" || key == "vnodes" {
            self.plan_moves(ctx);
        }
    }

    fn action(&mut self, name: &str, ctx: &mut Ctx<Msg, Timer>) -> Result<(), String> {
        match name {
            "add-shard" => self.add_shard(ctx),
            "remove-shard" => self.remove_shard(ctx),
            _ => Err(format!(
                "this scenario has no action `{}`; valid: add-shard, remove-shard",
                crate::sim::params::shorten(name)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn spread_of_equal_and_skewed_loads() {
        assert_eq!(spread(&[5.0, 5.0, 5.0]), (1.0, 0.0));
        let (max, cv) = spread(&[0.0, 2.0]);
        assert_eq!(max, 2.0);
        assert!((cv - 1.0).abs() < 1e-12);
        assert_eq!(spread(&[]), (0.0, 0.0));
        assert_eq!(spread(&[0.0, 0.0]), (0.0, 0.0));
    }
}
