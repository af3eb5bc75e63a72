use leptos::prelude::*;

use super::{message_list::MessageList, quick_replies::QuickReplies};
use crate::chat::Chat;

/// The chat panel: a dialog named after the bot, with the conversation inside.
#[component]
pub fn Panel(chat: Chat) -> impl IntoView {
    let name = chat.bot_name.get_value();
    view! {
        <Show when=move || chat.open.get()>
            <div class="panel" role="dialog" aria-label=name.clone() data-testid="panel">
                <header class="header">
                    <h2 class="title">{name.clone()}</h2>
                    <button
                        class="close"
                        type="button"
                        aria-label="Close chat"
                        on:click=move |_| chat.set_open(false)
                    >
                        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                            <path
                                fill="currentColor"
                                d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z"
                            />
                        </svg>
                    </button>
                </header>
                <MessageList chat />
                <QuickReplies chat />
            </div>
        </Show>
    }
}
