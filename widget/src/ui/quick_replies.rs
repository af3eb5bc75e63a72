use flow_runtime::Input;
use leptos::prelude::*;

use crate::chat::Chat;

/// The buttons offered under the last bot message.
#[component]
pub fn QuickReplies(chat: Chat) -> impl IntoView {
    let replies = move || chat.quick_replies.get().into_iter().enumerate();
    view! {
        <div class="quick-replies" data-testid="quick-replies">
            <For each=replies key=|(index, reply)| (*index, reply.label.clone()) let:((index, reply))>
                <button
                    class="quick-reply"
                    type="button"
                    on:click=move |_| chat.dispatch(Input::QuickReplyChosen { index })
                >
                    {reply.label}
                </button>
            </For>
        </div>
    }
}
