//! Pure: fitting a node's name and state line into the diagram. Text widths are estimated from
//! character classes (the page's sans-serif font, measured roughly: narrow, average, wide), so a
//! box grows to hold its name up to a limit, and text past that limit is cut with an ellipsis;
//! the diagram then puts the full text in a `<title>` (the node's `aria-label` has it too).

/// Font sizes (px) the stylesheet gives `.node .name` and `.node .state`.
pub const NAME_PX: f32 = 12.0;
pub const STATE_PX: f32 = 11.0;
/// Boxes (services, databases, ...): at least the classic 52 px, at most this wide.
pub const BOX_MIN: f32 = 52.0;
pub const BOX_MAX: f32 = 96.0;
/// Circles (clients): radius range.
pub const R_MIN: f32 = 20.0;
pub const R_MAX: f32 = 28.0;
/// Widest a state line under a node may be.
pub const STATE_MAX: f32 = 136.0;
/// Room left and right of a name inside its shape, in total.
const PAD: f32 = 10.0;

/// Estimated width of one character, in ems (bold, so a little wide).
fn em(c: char) -> f32 {
    match c {
        'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '|' | '!' | '\'' | ' ' | '(' | ')' => 0.3,
        'f' | 't' | 'r' | '1' | '[' | ']' | '/' => 0.42,
        'm' | 'w' | 'M' | 'W' | '@' | '%' => 0.92,
        '…' | '✕' | '·' => 0.8,
        c if c.is_ascii_uppercase() => 0.72,
        _ => 0.6,
    }
}

/// Estimated width of `s` at `px` pixels.
pub fn width(s: &str, px: f32) -> f32 {
    s.chars().map(em).sum::<f32>() * px
}

/// `s` if it fits in `max` px at `px`, else its longest prefix that fits with "…" after it.
/// The second value says whether it was cut.
pub fn clip(s: &str, px: f32, max: f32) -> (String, bool) {
    if width(s, px) <= max {
        return (s.to_string(), false);
    }
    let room = max - width("…", px);
    let mut used = 0.0;
    let mut out = String::new();
    for c in s.chars() {
        used += em(c) * px;
        if used > room {
            break;
        }
        out.push(c);
    }
    (out.trim_end().to_string() + "…", true)
}

/// How a node is drawn: its shape's size, the name and state line as shown, and whether either
/// was cut (then the full text goes in a `<title>`).
#[derive(Clone, Debug, PartialEq)]
pub struct NodeFit {
    /// Box width, or circle diameter.
    pub size: f32,
    pub name: String,
    pub state: String,
    pub clipped: bool,
}

/// Fit `name` and `state` to a box (`circle` false) or a circle.
pub fn node(name: &str, state: &str, circle: bool) -> NodeFit {
    let (lo, hi) = if circle {
        (2.0 * R_MIN, 2.0 * R_MAX)
    } else {
        (BOX_MIN, BOX_MAX)
    };
    let size = (width(name, NAME_PX) + PAD).clamp(lo, hi);
    let (name, a) = clip(name, NAME_PX, size - PAD);
    let (state, b) = clip(state, STATE_PX, STATE_MAX);
    NodeFit {
        size,
        name,
        state,
        clipped: a || b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_keep_the_classic_shapes() {
        let f = node("c1", "3/4 answered", true);
        assert_eq!((f.size, f.name.as_str(), f.clipped), (40.0, "c1", false));
        let f = node("server", "served 12", false);
        assert_eq!(
            (f.size, f.name.as_str(), f.clipped),
            (52.0, "server", false)
        );
    }

    #[test]
    fn boxes_grow_to_their_names_and_text_never_overflows() {
        for name in [
            "database",
            "orchestrator",
            "coordinator",
            "inventory",
            "event bus",
        ] {
            let f = node(name, "", false);
            assert_eq!(f.name, name, "{name} fits whole");
            assert!(
                f.size > BOX_MIN || width(name, NAME_PX) + PAD <= BOX_MIN,
                "{name}"
            );
            assert!(width(&f.name, NAME_PX) <= f.size - PAD, "{name}");
        }
        let long = node(
            "a-very-long-service-name",
            "12 reads now, 3 queued, and more",
            false,
        );
        assert_eq!(long.size, BOX_MAX);
        assert!(long.clipped && long.name.ends_with('…') && long.state.ends_with('…'));
        assert!(width(&long.name, NAME_PX) <= BOX_MAX - PAD);
        assert!(width(&long.state, STATE_PX) <= STATE_MAX);
        assert!("a-very-long-service-name".starts_with(long.name.trim_end_matches('…')));
        let client = node("customer-42", "", true);
        assert_eq!(client.size, 2.0 * R_MAX);
        assert!(client.clipped && width(&client.name, NAME_PX) <= client.size - PAD);
    }

    #[test]
    fn the_lessons_state_lines_fit_whole() {
        for s in [
            "weighted-round-robin",
            "12 reads now, 3 queued",
            "L1 50/50, 3 busy",
            "400/400 answered",
        ] {
            assert_eq!(clip(s, STATE_PX, STATE_MAX), (s.to_string(), false), "{s}");
        }
    }
}
