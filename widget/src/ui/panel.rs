use flow_runtime::flow::Phrase;
use leptos::prelude::*;

use super::composer::Composer;
use super::csat::Csat;
use super::handoff_banner::HandoffBanner;
use super::helpful::Helpful;
use super::icons::{Icon, Shape};
use super::message_list::MessageList;
use super::quick_replies::QuickReplies;
use crate::run::Widget;

/// The chat panel: a dialog named after the bot, with the conversation inside.
#[component]
pub fn Panel(chat: Widget) -> impl IntoView {
    let (name, avatar) = chat.bot.with_value(|b| (b.name.clone(), b.avatar.clone()));
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            chat.set_open(false);
        }
    };
    view! {
        // Built once and hidden while closed: cheaper than building it at every opening.
        <div class="panel" role="dialog" aria-label=name data-testid="panel" hidden=move || !chat.open.get() on:keydown=on_keydown>
                <div class="header">
                    {avatar.and_then(|src| flow_runtime::safe_image(&src)).map(|src| view! { <img class="avatar" src=src alt="" width="32" height="32" /> })}
                    <h2 class="title">{chat.bot.with_value(|b| b.name.clone())}</h2>
                    <button class="close" type="button" aria-label=chat.t(Phrase::CloseChat) on:click=move |_| chat.set_open(false)>
                        <Icon shape=Shape::Close />
                    </button>
                </div>
                <HandoffBanner chat />
                {move || chat.offline.get().then(|| view! { <p class="offline" role="status">{chat.t(Phrase::Offline)}</p> })}
                <MessageList chat />
                <Helpful chat />
                <Csat chat />
                <QuickReplies chat />
                <Composer chat />
        </div>
    }
}
