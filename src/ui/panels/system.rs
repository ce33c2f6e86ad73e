//! The `system` panel: one row per component with its busy workers and waiting requests as bars
//! and numbers, replicas up, utilisation so far and its state in words, and buttons to crash or
//! restart it and to slow a station down or make it fail half its requests. Every figure is also
//! text; the bars reuse the load-balancer panel's classes, so no inline styles and no new CSS.

use crate::sim::num_fmt::Fixed;
use crate::sim::scenario::system::{CompView, SystemView};
use crate::sim::Command;
use yew::prelude::*;

/// Render the system's extra view.
pub fn view(v: &SystemView, on_cmd: Callback<Command>) -> Html {
    let w_max = v.comps.iter().map(|c| c.waiting).fold(8, u64::max);
    html! {
        <section class="lb-panel" aria-label="Components: busy workers, waiting requests, replicas and state">
            <div class="lb-table-wrap">
            <table class="lb-servers">
                <caption class="sr-only">{"Every component of the design, now"}</caption>
                <thead><tr>
                    <th scope="col">{"component"}</th><th scope="col">{"busy"}</th><th scope="col">{"waiting"}</th>
                    <th scope="col">{"utilisation so far"}</th><th scope="col">{"state"}</th><th scope="col">{"actions"}</th>
                </tr></thead>
                <tbody>{ for v.comps.iter().map(|c| row(c, w_max, &on_cmd)) }</tbody>
            </table>
            </div>
        </section>
    }
}

fn bar(share: f64, text: String, testid: &'static str) -> Html {
    let w = (100.0 * share).clamp(0.0, 100.0);
    html! {
        <>
            <svg class="lb-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                <rect class="lb-track" x="0" y="0" width="100" height="10" />
                <rect class="lb-fill" x="0" y="0" width={Fixed(w, 1).to_string()} height="10" />
            </svg>
            <span class="lb-num" data-testid={testid}>{ text }</span>
        </>
    }
}

fn button(on_cmd: &Callback<Command>, cmd: Command, label: &'static str, action: String) -> Html {
    let cb = on_cmd.clone();
    let onclick = Callback::from(move |_: MouseEvent| cb.emit(cmd.clone()));
    html! { <button type="button" {onclick} data-action={action}>{ label }</button> }
}

fn row(c: &CompView, w_max: u64, on_cmd: &Callback<Command>) -> Html {
    let busy = if c.slots > 0 {
        bar(
            c.busy as f64 / c.slots as f64,
            format!("{}/{}", c.busy, c.slots),
            "busy",
        )
    } else {
        html! { <span class="lb-num">{"—"}</span> }
    };
    let waiting = bar(
        c.waiting as f64 / w_max as f64,
        c.waiting.to_string(),
        "waiting",
    );
    let crash = if c.up {
        button(
            on_cmd,
            Command::Crash(c.node),
            "Crash",
            format!("crash-{}", c.name),
        )
    } else {
        button(
            on_cmd,
            Command::Restart(c.node),
            "Restart",
            format!("restart-{}", c.name),
        )
    };
    let state_class = if !c.up {
        "down"
    } else if c.state() == "up" {
        "up"
    } else {
        "slow"
    };
    html! {
        <tr class={classes!("lb-server", format!("lb-{state_class}"))} data-component={c.name.clone()}>
            <th scope="row">{ format!("{} ({})", c.name, c.kind) }</th>
            <td class="lb-q">{ busy }</td>
            <td class="lb-q">{ waiting }</td>
            <td class="lb-share">{ if c.slots > 0 { format!("{}%", Fixed(100.0 * c.utilization, 1)) } else { "—".to_string() } }</td>
            <td class="lb-state">{ c.state() }</td>
            <td class="lb-try">{ crash }{ faults(c, on_cmd) }</td>
        </tr>
    }
}

/// A component's faults besides a crash: slow it ×4 or back, fail half its requests or none, and
/// for clients a traffic spike (three times their rate for two seconds from now). Its panel row
/// and its inspector card both show these.
pub(crate) fn faults(c: &CompView, on_cmd: &Callback<Command>) -> Html {
    let tune = c.station.then(|| {
        let (slow, slow_label) = if c.slow == 1.0 { ("4", "Slow ×4") } else { ("1", "Full speed") };
        let (fail, fail_label) = if c.fail == 0.0 { ("0.5", "Fail half") } else { ("0", "Stop failing") };
        html! {
            <>
                { button(on_cmd, Command::Do(format!("slow:{}:{slow}", c.name)), slow_label, format!("slow-{}", c.name)) }
                { button(on_cmd, Command::Do(format!("fail:{}:{fail}", c.name)), fail_label, format!("fail-{}", c.name)) }
            </>
        }
    });
    let spike = (c.kind == "clients").then(|| {
        button(
            on_cmd,
            Command::Do(format!("spike:{}:3:2000", c.name)),
            "Spike ×3 for 2 s",
            format!("spike-{}", c.name),
        )
    });
    html! { <>{ for tune }{ for spike }</> }
}
