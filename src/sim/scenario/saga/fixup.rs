//! The saga's cross-field rule and its fix-up: `crash` names the central node of the chosen
//! `mode` (orchestrator for orchestration, coordinator for 2pc; choreography has none).
//! Choosing a crash target sets the mode that has it; choosing a mode moves the crash to that
//! mode's central node (or to none for choreography).

use crate::sim::fixup::{put, text};

/// The central node `mode` has, if any.
fn central(mode: &str) -> &'static str {
    match mode {
        "orchestration" => "orchestrator",
        "2pc" => "coordinator",
        _ => "none",
    }
}

/// Fix `pairs` after `changed` was set (see `sim::fixup`).
pub fn fixup(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let mode = text("saga", pairs, "mode")?;
    let crash = text("saga", pairs, "crash")?;
    if crash == "none" || crash == central(&mode) {
        return None;
    }
    if changed == "crash" {
        let fit = if crash == "coordinator" {
            "2pc"
        } else {
            "orchestration"
        };
        put(pairs, "mode", fit.into());
        return Some(format!(
            "Mode set to {fit}, the mode that has a {crash} to crash."
        ));
    }
    let target = central(&mode);
    put(pairs, "crash", target.into());
    Some(if target == "none" {
        "Crash set to none: choreography has no central node (click the event bus to crash it)."
            .into()
    } else {
        format!("Crash set to {target}, the central node of mode={mode}.")
    })
}

#[cfg(test)]
mod tests {
    use crate::sim::fixup::testing::{fixes, no_fix};

    #[test]
    fn a_crash_target_picks_its_mode() {
        let v = fixes(
            "saga",
            &[("crash", "coordinator")],
            "crash",
            "Mode set to 2pc",
        );
        assert!(v.contains(&("mode".into(), "2pc".into())));
        let v = fixes(
            "saga",
            &[("mode", "choreography"), ("crash", "orchestrator")],
            "crash",
            "Mode set to orchestration",
        );
        assert!(v.contains(&("mode".into(), "orchestration".into())));
    }

    #[test]
    fn a_mode_moves_the_crash_to_its_central_node() {
        let v = fixes(
            "saga",
            &[("crash", "orchestrator"), ("mode", "2pc")],
            "mode",
            "Crash set to coordinator",
        );
        assert!(v.contains(&("crash".into(), "coordinator".into())));
        fixes(
            "saga",
            &[("crash", "coordinator"), ("mode", "choreography")],
            "mode",
            "Crash set to none",
        );
    }

    #[test]
    fn valid_settings_are_left_alone() {
        no_fix("saga", &[("mode", "2pc"), ("crash", "coordinator")], "mode");
        no_fix("saga", &[("mode", "choreography")], "mode");
    }
}
