use leptos::prelude::*;

use crate::chat::Chat;

/// The round button in the corner that opens and closes the chat.
#[component]
pub fn Launcher(chat: Chat) -> impl IntoView {
    let label = move || {
        if chat.open.get() {
            "Close chat"
        } else {
            "Open chat"
        }
    };
    view! {
        <button
            class="launcher"
            type="button"
            data-testid="launcher"
            aria-label=label
            aria-expanded=move || chat.open.get().to_string()
            on:click=move |_| chat.set_open(!chat.open.get_untracked())
        >
            <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
                <path
                    fill="currentColor"
                    d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
                />
            </svg>
        </button>
    }
}
