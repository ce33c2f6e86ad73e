//! The system's cross-field rule and its fix-up: a run uses `design` or `preset`, not both.
//! Writing a design sets the preset to none; choosing a preset empties the design.

use crate::sim::fixup::{put, text};

/// Fix `pairs` after `changed` was set (see `sim::fixup`).
pub fn fixup(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let design = text("system", pairs, "design")?;
    let preset = text("system", pairs, "preset")?;
    if design.trim().is_empty() || preset == "none" {
        return None;
    }
    if changed == "preset" {
        put(pairs, "design", String::new());
        return Some(format!("Design emptied: the run uses the preset {preset}."));
    }
    put(pairs, "preset", "none".into());
    Some("Preset set to none: the run uses the design as written.".into())
}

#[cfg(test)]
mod tests {
    use crate::sim::fixup::testing::{fixes, no_fix};

    #[test]
    fn design_and_preset_exclude_each_other() {
        no_fix("system", &[("preset", "metastable")], "preset");
        no_fix(
            "system",
            &[("design", "users: clients; api: service; users -> api")],
            "design",
        );
        let both = [
            ("preset", "metastable"),
            ("design", "users: clients; api: service; users -> api"),
        ];
        let v = fixes("system", &both, "design", "Preset set to none");
        assert!(v.contains(&("preset".to_string(), "none".to_string())));
        let v = fixes("system", &both, "preset", "the preset metastable");
        assert!(v.contains(&("design".to_string(), String::new())));
    }
}
