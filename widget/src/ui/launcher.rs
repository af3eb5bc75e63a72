use flow_runtime::flow::Phrase;
use leptos::prelude::*;

use super::icons::{Icon, Shape};
use crate::run::Widget;

/// The round button in the corner, with the count of unread messages.
#[component]
pub fn Launcher(chat: Widget) -> impl IntoView {
    let tooltip = chat.bot.with_value(|b| b.theme.launcher_label.clone());
    let label = move || {
        let unread = chat.unread.get();
        let base = chat.t(if chat.open.get() {
            Phrase::CloseChat
        } else {
            Phrase::OpenChat
        });
        if unread > 0 && !chat.open.get() {
            format!(
                "{base}, {}",
                chat.t(Phrase::Unread).replace("{n}", &unread.to_string())
            )
        } else {
            base
        }
    };
    view! {
        <button
            class=move || match (chat.open.get(), chat.unread.get() > 0) {
                (true, _) => "launcher open",
                (false, true) => "launcher unread",
                (false, false) => "launcher",
            }
            type="button"
            data-testid="launcher"
            title=tooltip
            aria-label=label
            aria-expanded=move || chat.open.get().to_string()
            on:click=move |_| chat.set_open(!chat.open.get_untracked())
        >
            // Both icons are there; the stylesheet shows the one that fits (`.open`).
            <Icon shape=Shape::Widget size=28 />
            <Icon shape=Shape::Close size=26 />
            <span class="badge" aria-hidden="true">{move || chat.unread.get().min(99)}</span>
        </button>
    }
}
