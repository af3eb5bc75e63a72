use std::cell::Cell;
use std::rc::Rc;

use flow_runtime::flow::Phrase;
use flow_runtime::{Composer as State, Input, InputHint};
use leptos::html::Input as InputElement;
use leptos::prelude::*;

use super::icons::{Icon, Shape};
use crate::run::Widget;

/// Stop counting the shopper as typing after this long without a key.
const TYPING_IDLE_MS: u64 = 2_500;

/// Where the shopper types. Enter or the button sends. While the bot waits for the server,
/// the field is disabled and says why.
#[component]
pub fn Composer(chat: Widget) -> impl IntoView {
    let input: NodeRef<InputElement> = NodeRef::new();
    let waiting = move || match chat.composer.get() {
        State::Waiting { reason } => Some(reason),
        State::Ready { .. } => None,
    };
    let mode = move || match chat.composer.get() {
        State::Ready {
            hint: InputHint::Email,
        } => "email",
        State::Ready {
            hint: InputHint::Phone,
        } => "tel",
        State::Ready {
            hint: InputHint::Number,
        } => "decimal",
        _ => "text",
    };
    let typing_since = Rc::new(Cell::new(None::<TimeoutHandle>));
    let typing_since2 = typing_since.clone();
    let on_input = move |_| {
        if let Some(h) = typing_since.take() {
            h.clear();
        } else {
            chat.dispatch(Input::Typing(true));
        }
        let handle = set_timeout_with_handle(
            {
                let t = typing_since.clone();
                move || {
                    t.set(None);
                    chat.dispatch(Input::Typing(false));
                }
            },
            std::time::Duration::from_millis(TYPING_IDLE_MS),
        );
        typing_since.set(handle.ok());
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(el) = input.get() else { return };
        let text = el.value();
        if text.trim().is_empty() || waiting().is_some() {
            return;
        }
        el.set_value("");
        if let Some(h) = typing_since2.take() {
            h.clear();
            chat.dispatch(Input::Typing(false));
        }
        chat.dispatch(Input::Said(text));
    };
    view! {
        <form class="composer" on:submit=send>
            <input
                node_ref=input
                type="text"
                data-focus-first
                dir="auto"
                inputmode=mode
                enterkeyhint="send"
                autocomplete="off"
                maxlength=flow_runtime::MAX_MESSAGE_CHARS
                aria-label=chat.t(Phrase::Placeholder)
                placeholder=chat.t(Phrase::Placeholder)
                disabled=move || waiting().is_some()
                on:input=on_input
            />
            <button class="send" type="submit" aria-label=chat.t(Phrase::Send) disabled=move || waiting().is_some()>
                <Icon shape=Shape::Send />
            </button>
        </form>
        <p class="composer-note" role="status">{waiting}</p>
    }
}
