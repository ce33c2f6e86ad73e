//! The load balancer's cross-field rules and their fix-ups: `speeds` lists at most one number
//! per server, and `fail` names a server that exists. Changing `speeds` or `fail` past the
//! servers there are adds servers (up to 64); changing `servers` (or anything else) trims the
//! speeds list and clears `fail`.

use crate::sim::fixup::{int, joined, put, text};

const KIND: &str = "load-balancer";
/// The `servers` parameter's maximum.
const MAX_SERVERS: i64 = 64;

/// Fix `pairs` after `changed` was set (see `sim::fixup`).
pub fn fixup(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let mut notes = Vec::new();
    notes.extend(fix_speeds(pairs, changed));
    notes.extend(fix_fail(pairs, changed));
    joined(notes)
}

fn fix_speeds(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let servers = int(KIND, pairs, "servers")?;
    let speeds = text(KIND, pairs, "speeds")?;
    let parts: Vec<&str> = speeds.split(',').map(str::trim).collect();
    let listed = parts.len() as i64;
    if listed <= servers {
        return None;
    }
    if changed == "speeds" && listed <= MAX_SERVERS {
        put(pairs, "servers", listed.to_string());
        return Some(format!(
            "Servers set to {listed} so every speed in the list has a server."
        ));
    }
    let kept = parts.get(..servers as usize)?.join(",");
    put(pairs, "speeds", kept.clone());
    Some(format!(
        "Speeds trimmed to {kept}: there are only {servers} servers."
    ))
}

fn fix_fail(pairs: &mut Vec<(String, String)>, changed: &str) -> Option<String> {
    let servers = int(KIND, pairs, "servers")?;
    let fail = text(KIND, pairs, "fail")?;
    let n: i64 = fail.trim().parse().ok()?;
    if n <= servers {
        return None;
    }
    if changed == "fail" && n <= MAX_SERVERS {
        put(pairs, "servers", n.to_string());
        return Some(format!("Servers set to {n} so server s{n} exists to fail."));
    }
    put(pairs, "fail", "none".into());
    Some(format!(
        "Fail set to none: server s{n} does not exist with {servers} servers."
    ))
}

#[cfg(test)]
mod tests {
    use crate::sim::fixup::testing::{fixes, no_fix};

    #[test]
    fn fewer_servers_trim_speeds_and_clear_fail() {
        let v = fixes(
            "load-balancer",
            &[("speeds", "1,1,0.25,2"), ("fail", "4"), ("servers", "2")],
            "servers",
            "Speeds trimmed to 1,1: there are only 2 servers. Fail set to none",
        );
        assert!(v.contains(&("speeds".into(), "1,1".into())));
        assert!(v.contains(&("fail".into(), "none".into())));
    }

    #[test]
    fn a_longer_speed_list_or_a_higher_fail_adds_servers() {
        let v = fixes(
            "load-balancer",
            &[("speeds", "1,1,1,1,0.5,0.5")],
            "speeds",
            "Servers set to 6",
        );
        assert!(v.contains(&("servers".into(), "6".into())));
        let v = fixes(
            "load-balancer",
            &[("fail", "7")],
            "fail",
            "Servers set to 7",
        );
        assert!(v.contains(&("servers".into(), "7".into())));
    }

    #[test]
    fn valid_settings_are_left_alone() {
        no_fix(
            "load-balancer",
            &[("speeds", "1,2"), ("fail", "4")],
            "servers",
        );
        let mut far = crate::sim::fixup::testing::pairs(&[("fail", "99")]);
        assert_eq!(
            super::fixup(&mut far, "fail").as_deref(),
            Some("Fail set to none: server s99 does not exist with 4 servers.")
        );
    }
}
