use flow_runtime::Speaker;
use leptos::prelude::*;

use crate::chat::Chat;

/// The conversation so far. A live region, so screen readers announce new messages.
#[component]
pub fn MessageList(chat: Chat) -> impl IntoView {
    view! {
        <div class="messages" role="log" aria-live="polite" data-testid="messages">
            <For each=move || chat.messages.get() key=|m| m.id let:message>
                <p class=match message.from {
                    Speaker::Bot => "bubble bot",
                    Speaker::Shopper => "bubble shopper",
                }>{message.text}</p>
            </For>
        </div>
    }
}
