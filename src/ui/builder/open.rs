//! Opening the builder from its address: `design` (or a compact one), `seed`, `log`, `slo`, and a
//! hosted `challenge` with its `lesson`. What cannot be used is named, beside whatever can run.

use super::{challenge, exercise, shown, Builder, Msg, SLO_DEFAULT};
use crate::builder;
use crate::route::WidgetRoute;
use crate::ui::dom;
use yew::prelude::*;

impl Builder {
    /// The builder as an address opens it: its design (shown a statement per line), SLO, seed and
    /// interventions, or the challenge it hosts; every mistake in the address is named.
    pub(super) fn open(ctx: &Context<Self>) -> Self {
        dom::set_title("Builder · Systems Sandbox");
        let mut r = ctx.props().route.clone();
        let take = |r: &mut WidgetRoute, key: &str| {
            let v = r
                .pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone());
            r.pairs.retain(|(k, _)| k != key);
            v
        };
        let slo = take(&mut r, "slo");
        let hosted = take(&mut r, "challenge");
        let lesson = take(&mut r, "lesson");
        let text = r
            .pairs
            .iter()
            .find(|(k, _)| k == "design")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        // A design on one line (a lesson widget's, statements joined by `; `) is shown a
        // statement per line.
        let text = if text.contains('\n') {
            text
        } else {
            dom::text_lines(&text)
        };
        let mut b = Builder {
            selected: builder::components(&text)
                .into_iter()
                .next()
                .unwrap_or_default(),
            edits: 0,
            text,
            running: None,
            error: None,
            notice: None,
            from: String::new(),
            to: String::new(),
            status: String::new(),
            remove: String::new(),
            history: Vec::new(),
            future: Vec::new(),
            slo: (SLO_DEFAULT.0.into(), SLO_DEFAULT.1.into()),
            verdict: Vec::new(),
            done: false,
            last: None,
            address: String::new(),
            followed: None,
            ran: String::new(),
            drag: None,
            wiring: None,
            exercise: exercise::Form::new(),
            hosted: None,
            drive: None,
            on_facts: ctx.link().callback(Msg::Facts),
            on_inspect: ctx.link().callback(Msg::Select),
        };
        let slo_error = slo.and_then(|s| b.read_slo(&s).err());
        if let Some(raw) = hosted {
            match challenge::Hosted::open(
                &raw,
                r.pairs.clone(),
                r.seed.as_deref(),
                lesson.as_deref(),
            ) {
                Ok(h) => {
                    b.text = h.design_after(&h.challenge.start);
                    b.selected = builder::components(&b.text)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    b.hosted = Some(h);
                    b.start();
                    return b;
                }
                Err(e) => b.notice = Some(e),
            }
        }
        if !b.text.trim().is_empty() {
            match builder::check(&b.text).and_then(|()| crate::ui::widget_page::resolve(&r)) {
                Ok((spec, replay, notice)) => {
                    b.ran.clone_from(&b.text);
                    b.running = Some((shown(spec), replay));
                    b.notice = match (b.notice.take(), notice) {
                        (Some(a), Some(n)) => Some(format!("{a} {n}")),
                        (a, n) => a.or(n),
                    };
                }
                Err(e) => b.error = Some(e),
            }
        } else {
            // A compact design that does not unpack (a damaged link) is named, not ignored.
            b.error = r.pairs.iter().find_map(|(k, v)| crate::pack::dropped(k, v));
        }
        if let Some(e) = slo_error {
            b.notice = Some(b.notice.take().map_or(e.clone(), |n| format!("{n} {e}")));
        }
        b
    }
}
