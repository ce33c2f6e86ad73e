//! What the reader does to a run: commands (cuts, crashes, live settings, actions), keyboard
//! shortcuts, share links and downloads, each announced in words for screen readers.

use super::{Msg, WidgetFrame};
use crate::session::Change;
use crate::sim::{export, snapshot::Snapshot, Command};
use crate::ui::dom;
use crate::ui::sharing::{self, Export};
use yew::prelude::*;

impl WidgetFrame {
    pub(super) fn site(&self, ctx: &Context<Self>) -> String {
        let site = ctx.props().site.to_string();
        if site.is_empty() {
            dom::page_url()
        } else {
            site
        }
    }

    pub(super) fn command(&mut self, cmd: Command) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        self.error = s.apply(&cmd).err();
        self.refresh();
        if self.error.is_none() {
            self.announce = describe(&cmd, &self.snap);
        }
    }

    pub(super) fn toggle_link(&mut self, l: u32) {
        let cut = self
            .snap
            .links
            .iter()
            .find(|x| x.id == l)
            .is_some_and(|x| x.cut);
        self.command(if cut {
            Command::Heal(l)
        } else {
            Command::Cut(l)
        });
    }

    pub(super) fn toggle_node(&mut self, n: u32) {
        let up = self
            .snap
            .nodes
            .iter()
            .find(|x| x.id == n)
            .is_none_or(|x| x.up);
        self.command(if up {
            Command::Crash(n)
        } else {
            Command::Restart(n)
        });
    }

    /// A knob changed: the session decides (live, setup, fixed up or refused).
    pub(super) fn set_param(&mut self, key: &'static str, value: String) {
        let Some(s) = self.session.as_mut() else {
            return;
        };
        let live = s
            .sim()
            .spec()
            .params
            .iter()
            .any(|p| p.name == key && p.live);
        let before = s.sim().log().len();
        let change = s.set_param(key, &value);
        // A live change mid-run is logged and keeps playing; anything else restarted the run.
        let restarted = !live || s.sim().log().len() == before;
        if matches!(change, Change::Applied(None)) && !restarted {
            self.announce = format!("{} set to {value}.", key.replace('_', " "));
        }
        self.changed_by_reader(change, restarted);
    }

    pub(super) fn on_key(&mut self, ctx: &Context<Self>, e: KeyboardEvent) -> bool {
        use wasm_bindgen::JsCast;
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.tag_name());
        let typing = matches!(
            tag.as_deref(),
            Some("INPUT" | "SELECT" | "TEXTAREA" | "BUTTON" | "SUMMARY" | "g" | "G")
        );
        if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
            return false;
        }
        let msg = match e.key().as_str() {
            " " | "k" => Msg::TogglePlay,
            "s" | "." => Msg::Step,
            "b" | "," => Msg::StepBack,
            "e" => Msg::RunToEnd,
            "r" => Msg::Reset,
            _ => return false,
        };
        e.prevent_default();
        Component::update(self, ctx, msg)
    }

    pub(super) fn export(&mut self, kind: Export) {
        let Some(session) = self.session.as_ref() else {
            return;
        };
        let s = session.sim();
        let name = s.spec().name;
        let file = match kind {
            Export::Json => Some((
                format!("{name}-run.json"),
                "application/json",
                export::trace_json(s),
            )),
            Export::Csv => Some((
                format!("{name}-series.csv"),
                "text/csv",
                session.series().csv(),
            )),
            Export::Svg => self
                .root
                .cast::<web_sys::Element>()
                .and_then(|r| sharing::svg_file(&r))
                .map(|svg| (format!("{name}-topology.svg"), "image/svg+xml", svg)),
        };
        self.status = match file {
            Some((f, mime, body)) if dom::download(&f, mime, &body) => {
                Some(format!("Downloaded {f}."))
            }
            _ => Some("The download could not be started in this browser.".into()),
        };
    }
}

/// One sentence for screen readers about an intervention that just took effect.
pub(super) fn describe(cmd: &Command, snap: &Snapshot) -> String {
    let node = |n: &u32| {
        snap.node(*n)
            .map_or_else(|| format!("node {n}"), |x| x.name.clone())
    };
    let link = |l: &u32| match snap.links.iter().find(|x| x.id == *l) {
        Some(x) => format!("Link between {} and {}", node(&x.a), node(&x.b)),
        None => format!("Link {l}"),
    };
    match cmd {
        Command::Cut(l) => format!("{} cut.", link(l)),
        Command::Heal(l) => format!("{} repaired.", link(l)),
        Command::Crash(n) => format!("{} crashed.", node(n)),
        Command::Restart(n) => format!("{} restarted.", node(n)),
        Command::Split(_) => "Network partitioned.".into(),
        Command::Unsplit => "Partition healed.".into(),
        Command::Set { key, value } => format!("{} set to {value}.", key.replace('_', " ")),
        Command::Do(a) => format!("{} done.", a.replace('-', " ")),
    }
}
