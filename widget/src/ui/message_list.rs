use flow_runtime::flow::Phrase;
use leptos::html::Div;
use leptos::prelude::*;

use super::message::MessageView;
use crate::run::Widget;

/// The conversation so far. A live region, so screen readers announce new messages; it
/// keeps the newest in view.
#[component]
pub fn MessageList(chat: Widget) -> impl IntoView {
    let list: NodeRef<Div> = NodeRef::new();
    Effect::new(move |_| {
        chat.messages.track();
        chat.typing.track();
        // The panel is hidden while closed, where nothing can scroll: again on opening.
        chat.open.track();
        // After the frame's DOM updates, which may come after this effect. By then this
        // list may be gone (the UI is rebuilt when the language changes), and so its ref.
        request_animation_frame(move || {
            if let Some(el) = list.try_get_untracked().flatten() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    });
    view! {
        <div class="messages" role="log" aria-live="polite" data-testid="messages" node_ref=list>
            <For each=move || chat.messages.get() key=|m| m.id let:message>
                <MessageView chat message />
            </For>
            <div class="typing" role="status" hidden=move || !chat.typing.get() aria-label=chat.t(Phrase::Typing).replace("{name}", &chat.bot.with_value(|b| b.name.clone()))>
                <span></span>
                <span></span>
                <span></span>
            </div>
        </div>
    }
}
