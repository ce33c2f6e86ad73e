//! The widget frame's markup, from the frame's state (no state changes here): header, run bar,
//! the diagram (or its table) with the inspector under it, the metrics shown up front with their
//! charts, actions, the settings shown up front, the folds More settings and Inside the run
//! (every other metric, charts, the scenario's panel, event log), and the share bar.

use super::{Msg, WidgetFrame};
use crate::session::series::Series;
use crate::sim::metrics::Value;
use crate::sim::num_fmt::Fixed;
use crate::sim::{snapshot::Snapshot, Time};
use crate::ui::{chart, controls, sharing, topology_view};
use yew::prelude::*;

impl WidgetFrame {
    pub(super) fn render(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(session) = self.session.as_ref() else {
            return self.cannot_build(ctx);
        };
        let sim = session.sim();
        let spec = sim.spec();
        let focus = ctx.props().spec.focus_metrics();
        html! {
            <section class="widget" tabindex="0" ref={self.root.clone()} onkeydown={link.callback(Msg::Key)}
                data-widget={spec.name}
                aria-label={format!("{} widget. Space plays or pauses, S steps, B steps back, E jumps to the end, R resets.", spec.title)}>
                { for ctx.props().notice.iter().map(|n| html! { <p class="notice" role="status">{ n.clone() }</p> }) }
                <header class="widget-head">
                    <h3>{ spec.title }</h3>
                    <button class="linkish" data-action="table" aria-pressed={self.as_table.to_string()}
                        onclick={link.callback(|_| Msg::ToggleTable)}>{ if self.as_table { "Show as diagram" } else { "Show as table" } }</button>
                    <span class="clock">{ format!("t = {}", fmt_time(self.snap.now)) }</span>
                </header>
                { controls::bar(&controls::BarState {
                    playing: self.playing,
                    done: self.snap.done,
                    speed: self.speed,
                    events: self.snap.events,
                    now_ms: self.snap.now.as_ms(),
                    end_ms: self.horizon.map_or(0.0, |h| h.as_ms()).max(session.reach().as_ms()),
                    clock: format!("t = {}", fmt_time(self.snap.now)),
                }, link) }
                <div class="widget-body">
                    <div class="stage">
                        if self.as_table {
                            { topology_view::table(&self.panel) }
                        } else {
                            // Nodes, links and the diagram's text follow the panel's snapshot (at most ten
                            // redraws a second while playing, at once after a click); the messages on
                            // the canvas move every frame.
                            <topology_view::Diagram snap={self.panel.clone()} generation={self.generation}
                                on_link={self.on_link.clone()} on_node={self.on_node.clone()} on_point={self.on_point.clone()} canvas={self.canvas.clone()} />
                        }
                        { self.inspector(ctx) }
                        if !self.as_table {
                            <p class="hint">
                                <span class="wide-only">{"Click a link to cut or heal it; a node or a message to inspect it."}</span>
                                <span class="narrow-only">{"Tap a link to cut it, a node to inspect it."}</span>
                            </p>
                        }
                    </div>
                    <aside class="panel" aria-label="Metrics">
                        { focus_tiles(&self.snap, &focus, session.series()) }
                    </aside>
                </div>
                { for self.error.iter().map(|e| html! { <p class="error-line" role="alert">{ e.clone() }</p> }) }
                { for self.note.iter().map(|n| html! { <p class="note-line" role="status" data-testid="note">{ n.clone() }</p> }) }
                <controls::Actions spec={spec} on_action={self.on_action.clone()} />
                <controls::Knobs spec={spec} params={session.params().clone()} seed={session.seed()} rev={session.rev()}
                    uid={self.uid} focus={ctx.props().spec.focus.knobs.clone()} on_param={self.on_param.clone()} on_seed={self.on_seed.clone()}
                    on_new_seed={link.callback(|_| Msg::NewSeed)} />
                <details class="inside" data-more="metrics">
                    <summary>{ format!("Inside the run: all {} metrics, charts, tables, event log", self.snap.metrics.0.len()) }</summary>
                    { other_tiles(&self.snap, &focus) }
                    { charts(session.series(), &focus) }
                    <crate::ui::panels::Panel snap={self.panel.clone()} on_cmd={self.on_cmd.clone()} />
                    <details class="trace" open={self.log_open} ontoggle={link.callback(Msg::LogToggled)}>
                        <summary>{"Event log (latest events)"}</summary>
                        // Only drawn while open: a closed log would still cost 20 text updates a frame.
                        if self.log_open {
                            <ol>{ for self.snap.recent.iter().map(|l| html! { <li><code>{ l.clone() }</code></li> }) }</ol>
                        }
                    </details>
                </details>
                { sharing::bar(&session.run_state(), &self.site(ctx), self.sheet, self.status.as_deref(), link,
                    html! { <p class="run-meta" title="The run's fingerprint: the same settings, seed and actions always give the same one">{"fingerprint "}<code data-testid="trace-hash">{ format!("{:016x}", sim.trace_hash()) }</code>
                        { format!(" · seed {}", sim.seed()) }</p> }) }
                if spec.name == "system" {
                    <BuilderLink params={session.params().clone()} seed={session.seed()} site={self.site(ctx)} />
                }
                <p class="sr-only" aria-live="polite" data-testid="announce">{ self.announce.clone() }</p>
            </section>
        }
    }

    /// The settings could not be built (e.g. two values that cannot run together): say why, and
    /// offer the scenario's defaults.
    fn cannot_build(&self, ctx: &Context<Self>) -> Html {
        html! {
            <div class="cannot-build">
                { crate::ui::lesson::error_box(&ctx.props().spec.directive(), self.error.as_deref().unwrap_or("")) }
                <button class="primary" data-action="open-defaults" onclick={ctx.link().callback(|_| Msg::Defaults)}>
                    {"Open with the default settings"}</button>
            </div>
        }
    }
}

pub(super) fn fmt_time(t: Time) -> String {
    let ms = t.as_ms();
    if ms < 1000.0 {
        format!("{} ms", Fixed(ms, 1))
    } else {
        format!("{} s", Fixed(ms / 1000.0, 3))
    }
}

/// The metrics shown up front, in `focus`'s order, each with its chart when it is charted.
/// Every metric is drawn once on the widget, so `.metric[data-metric=NAME]` names one tile.
fn focus_tiles(snap: &Snapshot, focus: &[&str], series: &Series) -> Html {
    let tiles = focus
        .iter()
        .filter_map(|f| snap.metrics.0.iter().find(|(k, _)| k == f));
    html! {
        <dl class="metrics focus">
            { for tiles.map(|(k, v)| {
                let chart = series.names.iter().position(|n| n == k)
                    .map(|i| chart::spark(k, &series.column(i)));
                html! {
                    <div class="metric" data-metric={*k}>
                        <dt>{ k.replace('_', " ") }</dt>
                        <dd class={classes!(matches!(v, Value::List(_)).then_some("list"))}>{ v.to_string() }</dd>
                        { for chart }
                    </div>
                }
            }) }
        </dl>
    }
}

/// Every metric not shown up front.
fn other_tiles(snap: &Snapshot, focus: &[&str]) -> Html {
    html! {
        <dl class="metrics">
            { for snap.metrics.0.iter().filter(|(k, _)| !focus.contains(k)).map(|(k, v)| html! {
                <div class="metric" data-metric={*k}>
                    <dt>{ k.replace('_', " ") }</dt>
                    <dd>{ v.to_string() }</dd>
                </div>
            }) }
        </dl>
    }
}

/// The charts of metrics not shown up front (those are charted in their tiles).
fn charts(series: &Series, focus: &[&str]) -> Html {
    html! {
        <div class="charts">
            { for series.names.iter().enumerate().filter(|(_, n)| !focus.contains(n))
                .map(|(i, name)| chart::sparkline(name, &series.column(i))) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BuilderLinkProps {
    params: crate::sim::Params,
    seed: u64,
    site: String,
}

/// A `system` widget's way into the builder, with the design it runs (`system::design_text`: its
/// design, or its preset's). A component, so the link is rebuilt only when settings or seed change,
/// not on every frame.
#[function_component(BuilderLink)]
fn builder_link(p: &BuilderLinkProps) -> Html {
    let Ok(design) = crate::sim::scenario::system::design_text(&p.params) else {
        return Html::default();
    };
    let route = crate::route::Route::Build(crate::route::WidgetRoute {
        kind: "system".into(),
        pairs: vec![("design".into(), design)],
        seed: Some(p.seed.to_string()),
        ..Default::default()
    });
    let base = p.site.split('#').next().unwrap_or("");
    html! {
        <p class="open-builder"><a href={format!("{base}{}", route.to_hash())} data-action="open-builder">{"Open this design in the builder →"}</a></p>
    }
}
