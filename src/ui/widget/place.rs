//! Your place is kept: a lesson widget given a `place` key writes its run (settings, seed,
//! interventions and playhead, as the permalink's route) to the tab's session storage when the
//! page is left, and `ui::hydrate` reopens that run when the reader comes Back to the page.

use super::{Msg, WidgetFrame};
use gloo::events::EventListener;
use yew::prelude::*;

/// Listen for the page being left (Back, a link, a reload, closing the tab): then save the run.
pub(super) fn listen(ctx: &Context<WidgetFrame>) -> Option<EventListener> {
    ctx.props().place.as_ref()?;
    let window = web_sys::window()?;
    let link = ctx.link().clone();
    Some(EventListener::new(&window, "pagehide", move |_| {
        link.send_message(Msg::SavePlace)
    }))
}

impl WidgetFrame {
    /// Write the run under the widget's place key (nothing when storage is unavailable).
    pub(super) fn save_place(&self, ctx: &Context<Self>) {
        let (Some(key), Some(session)) = (ctx.props().place.as_ref(), self.session.as_ref()) else {
            return;
        };
        let hash = session.run_state().route(false).to_hash();
        crate::ui::dom::session_store(key, &hash);
    }
}
