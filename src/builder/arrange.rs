//! Moving components without breaking the layout. The drawing puts each component in the column of
//! its longest wire path from the clients, and orders a column by declaration order; so the reader
//! moves a component up or down its column (which swaps two declarations), and "Arrange" reorders
//! every column to cut wire crossings. Both rewrite only the order of the declarations: the text
//! stays the one state, the layout stays tidy, and a shared link draws the same picture.

use super::{check, declaration, rewrite};
use crate::sim::params::shorten;
use crate::sim::scenario::system::{columns, parse};

/// Which way a component moves in its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// A design's components, their columns and wires (component indices in declaration order).
struct Layout {
    names: Vec<String>,
    col: Vec<usize>,
    wires: Vec<(usize, usize)>,
}

fn layout(text: &str) -> Result<Layout, String> {
    check(text)
        .map_err(|e| format!("the design must run before its components can be moved: {e}"))?;
    let d = parse::parse(text)?;
    Ok(Layout {
        names: d.comps.iter().map(|c| c.name.clone()).collect(),
        col: columns(&d),
        wires: d.wires.clone(),
    })
}

/// `text` with component `name` one place up or down its column (swapped with its neighbour
/// there). Already at the end, or alone in its column, is an error saying so.
pub fn move_component(text: &str, name: &str, dir: Direction) -> Result<String, String> {
    let l = layout(text)?;
    let Some(i) = l.names.iter().position(|n| n == name) else {
        return Err(format!(
            "`{}` is not a component of this design",
            shorten(name)
        ));
    };
    let column: Vec<usize> = (0..l.names.len())
        .filter(|&j| l.col[j] == l.col[i])
        .collect();
    let at = column.iter().position(|&j| j == i).unwrap_or(0);
    let other = match dir {
        Direction::Up => at.checked_sub(1),
        Direction::Down => Some(at + 1).filter(|&k| k < column.len()),
    };
    let Some(j) = other.map(|k| column[k]) else {
        let end = if dir == Direction::Up {
            "top"
        } else {
            "bottom"
        };
        return Err(format!("{name} is already at the {end} of its column"));
    };
    let mut order: Vec<usize> = (0..l.names.len()).collect();
    order.swap(i, j);
    Ok(reorder(text, &l.names, &order))
}

/// `text` with component `name` moved `steps` rows down its column (negative: up), as far as
/// the column goes; moving no row at all is the error `move_component` gives.
pub fn move_by(text: &str, name: &str, steps: i32) -> Result<String, String> {
    let dir = if steps < 0 {
        Direction::Up
    } else {
        Direction::Down
    };
    let mut t = move_component(text, name, dir)?;
    for _ in 1..steps.unsigned_abs() {
        match move_component(&t, name, dir) {
            Ok(next) => t = next,
            Err(_) => break,
        }
    }
    Ok(t)
}

/// `text` with each column reordered to cut wire crossings (barycentre ordering), with the
/// crossings before and after. A design already as tidy as the ordering can make it is returned
/// as it was.
pub fn arrange(text: &str) -> Result<(String, usize, usize), String> {
    let l = layout(text)?;
    let n = l.names.len();
    let current: Vec<usize> = (0..n).collect();
    let before = crossings(&l, &current);
    let cols = l.col.iter().copied().max().unwrap_or(0) + 1;
    let mut order = current.clone();
    // Column by column, each sorted against its neighbours as they stand now, there and back.
    for _ in 0..2 {
        for c in (1..cols).chain((0..cols.saturating_sub(1)).rev()) {
            order = sort_column(&l, &order, c);
        }
    }
    let after = crossings(&l, &order);
    if after >= before {
        return Ok((text.to_string(), before, before));
    }
    Ok((reorder(text, &l.names, &order), before, after))
}

/// Where each component is drawn for a declaration `order`: (column, height in its column 0..1).
fn positions(l: &Layout, order: &[usize]) -> Vec<(f64, f64)> {
    let mut pos = vec![(0.0, 0.0); l.names.len()];
    let cols = l.col.iter().copied().max().unwrap_or(0) + 1;
    for c in 0..cols {
        let members: Vec<usize> = order.iter().copied().filter(|&i| l.col[i] == c).collect();
        for (row, &i) in members.iter().enumerate() {
            pos[i] = (c as f64, (row as f64 + 1.0) / (members.len() as f64 + 1.0));
        }
    }
    pos
}

/// Column `c` sorted by the mean height of its components' wired neighbours (ties and components
/// with no wire keep their place); the other columns stay as they are.
fn sort_column(l: &Layout, order: &[usize], c: usize) -> Vec<usize> {
    let pos = positions(l, order);
    let key = |i: usize| -> f64 {
        let ys: Vec<f64> = l
            .wires
            .iter()
            .filter_map(|&(a, b)| match (a == i, b == i) {
                (true, _) => Some(pos[b].1),
                (_, true) => Some(pos[a].1),
                _ => None,
            })
            .collect();
        if ys.is_empty() {
            pos[i].1
        } else {
            ys.iter().sum::<f64>() / ys.len() as f64
        }
    };
    // (key, place in the column, component): the place breaks ties, so ties keep their order
    // as a stable sort would, with the crate's small heapsort (the standard stable sort is
    // about 3.7 KB of wasm per instance).
    let mut members: Vec<(f64, usize, usize)> = order
        .iter()
        .copied()
        .filter(|&i| l.col[i] == c)
        .enumerate()
        .map(|(place, i)| (key(i), place, i))
        .collect();
    crate::sim::compact::sort_by(&mut members, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut sorted = members.into_iter().map(|(_, _, i)| i);
    order
        .iter()
        .map(|&i| {
            if l.col[i] == c {
                sorted.next().unwrap_or(i)
            } else {
                i
            }
        })
        .collect()
}

/// How many pairs of wires cross as drawn (straight lines; wires sharing an end never count).
fn crossings(l: &Layout, order: &[usize]) -> usize {
    let pos = positions(l, order);
    let seg = |&(a, b): &(usize, usize)| (pos[a], pos[b], a, b);
    let segs: Vec<_> = l.wires.iter().map(seg).collect();
    let mut n = 0;
    for (k, s) in segs.iter().enumerate() {
        for t in &segs[k + 1..] {
            let shared = [s.2, s.3].iter().any(|e| *e == t.2 || *e == t.3);
            if !shared && cross(s.0, s.1, t.0, t.1) {
                n += 1;
            }
        }
    }
    n
}

/// Do segments p1-p2 and q1-q2 cross at a point inside both?
fn cross(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let side = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
    };
    let (d1, d2) = (side(q1, q2, p1), side(q1, q2, p2));
    let (d3, d4) = (side(p1, p2, q1), side(p1, p2, q2));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// `text` with the declarations in `order` (indices into `names`): the k-th declaration statement
/// becomes component `order[k]`'s; every other statement stays where it was.
fn reorder(text: &str, names: &[String], order: &[usize]) -> String {
    let decls: Vec<String> = names
        .iter()
        .map(|name| {
            text.split(['\n', ';'])
                .find(|st| declaration(st).is_some_and(|(n, _)| n == name))
                .map_or_else(String::new, |st| st.trim().to_string())
        })
        .collect();
    let mut k = 0;
    rewrite(text, |st| {
        if declaration(st).is_some() {
            let out = order.get(k).and_then(|&i| decls.get(i)).cloned();
            k += 1;
            out.or_else(|| Some(st.trim().to_string()))
        } else {
            Some(st.trim().to_string())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two clients wired crosswise to two services: the wires cross once.
    const CROSSED: &str = "a: clients\nb: clients\nx: service\ny: service\na -> y\nb -> x";

    #[test]
    fn moving_swaps_declarations_within_a_column_only() {
        let t = move_component(CROSSED, "y", Direction::Up).unwrap();
        assert_eq!(
            t,
            "a: clients\nb: clients\ny: service\nx: service\na -> y\nb -> x"
        );
        let e = move_component(&t, "y", Direction::Up).unwrap_err();
        assert_eq!(e, "y is already at the top of its column");
        // a and b share column 0; x is the next declaration but sits in column 1.
        let t = move_component(CROSSED, "b", Direction::Down).unwrap_err();
        assert_eq!(t, "b is already at the bottom of its column");
        assert!(move_component("users: clients", "users", Direction::Up).is_err());
        // Dragged past two nodes, or further than the column goes.
        let col = "u: clients\nu -> a\nu -> b\nu -> c\na: service\nb: service\nc: service";
        let t = move_by(col, "a", 2).unwrap();
        assert_eq!(super::super::components(&t), ["u", "b", "c", "a"]);
        assert_eq!(move_by(col, "a", 9).unwrap(), t);
        assert_eq!(
            super::super::components(&move_by(&t, "a", -1).unwrap()),
            ["u", "b", "a", "c"]
        );
    }

    #[test]
    fn arrange_uncrosses_wires_and_leaves_a_tidy_design_alone() {
        let (t, before, after) = arrange(CROSSED).unwrap();
        assert_eq!((before, after), (1, 0));
        assert_eq!(check(&t), Ok(()));
        let (again, b2, a2) = arrange(&t).unwrap();
        assert_eq!((again.as_str(), b2, a2), (t.as_str(), 0, 0));
        // The faults and wires keep their places; only declarations moved.
        let with_fault = format!("{CROSSED}\nat 100: crash x");
        let (t, _, _) = arrange(&with_fault).unwrap();
        assert!(t.ends_with("a -> y\nb -> x\nat 100: crash x"), "{t}");
    }

    #[test]
    fn every_preset_arranges_to_no_more_crossings_and_still_runs() {
        use crate::sim::scenario::system::presets::PRESETS;
        for (name, _, design) in PRESETS {
            let text = design.to_string();
            let (t, before, after) = arrange(&text).unwrap();
            assert!(after <= before, "{name}");
            assert_eq!(check(&t), Ok(()), "{name}");
            assert_eq!(
                super::super::components(&t).len(),
                super::super::components(&text).len()
            );
        }
    }

    /// The heapsort with the column place as tie-break orders a column exactly as the standard
    /// stable sort did, ties included (a fan of unwired services ties on every key).
    #[test]
    fn a_column_sorts_as_the_standard_stable_sort_would() {
        use crate::sim::scenario::system::presets::PRESETS;
        let fan = "u: clients\na: service\nb: service\nc: service\nd: service\nu -> c\nu -> a";
        let designs = PRESETS.iter().map(|(_, _, d)| d.to_string());
        for text in designs.chain([fan.to_string(), CROSSED.to_string()]) {
            let l = layout(&text).unwrap();
            let cols = l.col.iter().copied().max().unwrap_or(0) + 1;
            let mut order: Vec<usize> = (0..l.names.len()).rev().collect();
            for c in (0..cols).chain(0..cols) {
                let pos = positions(&l, &order);
                let key = |i: usize| {
                    let ys: Vec<f64> = (l.wires.iter())
                        .filter_map(|&(a, b)| {
                            (a == i).then(|| pos[b].1).or((b == i).then(|| pos[a].1))
                        })
                        .collect();
                    if ys.is_empty() {
                        pos[i].1
                    } else {
                        ys.iter().sum::<f64>() / ys.len() as f64
                    }
                };
                let mut want: Vec<usize> =
                    order.iter().copied().filter(|&i| l.col[i] == c).collect();
                want.sort_by(|&a, &b| key(a).total_cmp(&key(b)));
                let got = sort_column(&l, &order, c);
                let got_col: Vec<usize> = got.iter().copied().filter(|&i| l.col[i] == c).collect();
                assert_eq!(got_col, want, "{text}");
                order = got;
            }
        }
    }

    #[test]
    fn a_design_that_does_not_run_cannot_be_moved() {
        let e = arrange("users: clients rate=x").unwrap_err();
        assert!(e.starts_with("the design must run before"), "{e}");
    }
}
