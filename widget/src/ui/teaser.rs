use flow_runtime::Input;
use flow_runtime::flow::Phrase;
use leptos::prelude::*;

use super::icons::{Icon, Shape};
use super::message::MessageView;
use super::quick_replies::QuickReplies;
use crate::run::Widget;

/// A proactive message next to the launcher. It never takes focus; Esc or × closes it
/// (which counts as "dismissed" for the trigger's caps), and clicking it opens the chat.
#[component]
pub fn Teaser(chat: Widget) -> impl IntoView {
    let visible = move || chat.teaser.with(Option::is_some) && !chat.open.get();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && visible() {
            chat.dispatch(Input::TeaserDismissed);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <Show when=visible>
            <aside class="teaser" aria-live="polite" aria-label=chat.t(Phrase::MessageFrom).replace("{name}", &chat.bot.with_value(|b| b.name.clone())) data-testid="teaser">
                <button class="teaser-close" type="button" aria-label=chat.t(Phrase::Dismiss) on:click=move |_| chat.dispatch(Input::TeaserDismissed)>
                    <Icon shape=Shape::Close size=16 />
                </button>
                <div class="teaser-body" on:click=move |_| chat.set_open(true)>
                    <For each=move || chat.teaser.get() key=|m| m.id let:message>
                        <MessageView chat message />
                    </For>
                </div>
                <QuickReplies chat />
            </aside>
        </Show>
    }
}
