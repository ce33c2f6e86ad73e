//! A design as a graph: checks that each kind has the wires it needs, that calls flow one way
//! (a loop in the wires is an error naming the loop), and lays the components out in columns
//! by depth for the view, as a petgraph topology with one link per wire.

use super::keys::CompKind;
use super::parse::Design;
use crate::sim::dist::{Latency, Spread};
use crate::sim::params::shorten;
use crate::sim::topology::{LinkInfo, NodeId, Topology};

/// Check the wires: fan-out per kind, nothing calls clients, at least one clients, no loop.
pub fn check(d: &Design) -> Result<(), String> {
    let n = d.comps.len();
    if !d.comps.iter().any(|c| c.kind == CompKind::Clients) {
        return Err(
            "the design has no clients: add one, e.g. `users: clients rate=100`, and wire it to a component"
                .into(),
        );
    }
    for (i, c) in d.comps.iter().enumerate() {
        let outs = d.wires.iter().filter(|w| w.0 == i).count();
        let (lo, hi) = c.kind.fan_out();
        let where_ = format!("line {} (`{}`)", c.line, shorten(&c.text));
        if outs < lo || outs > hi {
            let want = match (lo, hi) {
                (0, 0) => "no downstream wire (it calls nothing)".to_string(),
                (a, b) if a == b => format!("exactly {a} downstream wire"),
                (a, b) => format!("from {a} to {b} downstream wires"),
            };
            return Err(format!(
                "{where_}: `{}` is a {} with {outs} downstream wires; a {} takes {want}",
                c.name,
                c.kind.name(),
                c.kind.name()
            ));
        }
        if c.kind == CompKind::Clients && d.wires.iter().any(|w| w.1 == i) {
            return Err(format!(
                "{where_}: `{}` is clients; nothing can call clients (wire them only as callers)",
                c.name
            ));
        }
    }
    if let Some(cycle) = find_loop(n, &d.wires) {
        let names: Vec<&str> = cycle.iter().map(|&i| d.comps[i].name.as_str()).collect();
        return Err(format!(
            "the wires make a loop: {}; calls must flow one way",
            names.join(" -> ")
        ));
    }
    Ok(())
}

/// A loop in the directed wires, as the components along it with the first repeated at the end.
fn find_loop(n: usize, wires: &[(usize, usize)]) -> Option<Vec<usize>> {
    // 0 unvisited, 1 on the current path, 2 done.
    let mut colour = vec![0u8; n];
    let mut path = Vec::new();
    for start in 0..n {
        if colour[start] == 0 {
            if let Some(c) = visit(start, wires, &mut colour, &mut path) {
                return Some(c);
            }
        }
    }
    None
}

fn visit(
    v: usize,
    wires: &[(usize, usize)],
    colour: &mut [u8],
    path: &mut Vec<usize>,
) -> Option<Vec<usize>> {
    colour[v] = 1;
    path.push(v);
    for &(a, b) in wires {
        if a != v {
            continue;
        }
        match colour.get(b) {
            Some(1) => {
                let from = path.iter().position(|&p| p == b).unwrap_or(0);
                let mut cycle = path[from..].to_vec();
                cycle.push(b);
                return Some(cycle);
            }
            Some(0) => {
                if let Some(c) = visit(b, wires, colour, path) {
                    return Some(c);
                }
            }
            _ => {}
        }
    }
    path.pop();
    colour[v] = 2;
    None
}

/// Each component's column in the drawing: its longest wire path from a component nobody calls.
pub fn columns(d: &Design) -> Vec<usize> {
    depths(d.comps.len(), &d.wires)
}

/// Longest wire path from a component nobody calls, per component (the design has no loop).
fn depths(n: usize, wires: &[(usize, usize)]) -> Vec<usize> {
    let mut depth = vec![0usize; n];
    // Relax n times: enough for any loop-free graph of n nodes.
    for _ in 0..n {
        let mut changed = false;
        for &(a, b) in wires {
            if depth[b] < depth[a] + 1 {
                depth[b] = depth[a] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

/// The topology: one node per component (in design order, so node i is component i), one link
/// per wire (link k is wire k), laid out in columns by depth.
pub fn topology(d: &Design) -> Topology {
    let n = d.comps.len();
    let depth = depths(n, &d.wires);
    let cols = depth.iter().copied().max().unwrap_or(0) + 1;
    let mut t = Topology::default();
    for (i, c) in d.comps.iter().enumerate() {
        let col = depth[i];
        let in_col: Vec<usize> = (0..n).filter(|&j| depth[j] == col).collect();
        let row = in_col.iter().position(|&j| j == i).unwrap_or(0);
        let x = 0.08 + 0.84 * col as f32 / (cols.max(2) - 1) as f32;
        let y = (row as f32 + 1.0) / (in_col.len() as f32 + 1.0);
        t.add_node(c.name.clone(), c.kind.role(), x, y);
    }
    let info = LinkInfo {
        latency: Latency::ms(d.link_ms, Spread::Const),
        loss: 0.0,
        duplicate: 0.0,
    };
    for &(a, b) in &d.wires {
        t.add_link(NodeId(a as u32), NodeId(b as u32), info);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_are_named_in_order() {
        let w = [(0, 1), (1, 2), (2, 3), (3, 1)];
        assert_eq!(find_loop(4, &w), Some(vec![1, 2, 3, 1]));
        assert_eq!(find_loop(3, &[(0, 1), (1, 2), (0, 2)]), None);
        assert_eq!(depths(3, &[(0, 1), (1, 2), (0, 2)]), vec![0, 1, 2]);
    }
}
