use flow_runtime::HandoffStatus;
use flow_runtime::flow::Phrase;
use leptos::prelude::*;

use crate::run::Widget;

/// "Connecting you to a person" / "Maya has joined" / "We will email you".
#[component]
pub fn HandoffBanner(chat: Widget) -> impl IntoView {
    let text = move || {
        chat.handoff.get().map(|status| match status {
            HandoffStatus::Connecting => chat.t(Phrase::HandoffConnecting),
            HandoffStatus::Waiting => chat.t(Phrase::HandoffWaiting),
            HandoffStatus::Joined { name } => {
                chat.t(Phrase::HandoffJoined).replace("{name}", &name)
            }
            HandoffStatus::Offline => chat.t(Phrase::HandoffOffline),
            HandoffStatus::Closed => chat.t(Phrase::HandoffClosed),
        })
    };
    view! {
        <div class="banner" role="status" data-testid="handoff-banner" class:hidden=move || text().is_none()>
            {text}
        </div>
    }
}
