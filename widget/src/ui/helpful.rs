use flow_runtime::Input;
use flow_runtime::flow::Phrase;
use leptos::prelude::*;

use crate::run::Widget;

/// "Did this help? Yes / No" under an FAQ answer, while the engine asks it.
#[component]
pub fn Helpful(chat: Widget) -> impl IntoView {
    let answer = move |yes: bool| move |_| chat.dispatch(Input::Helpful(yes));
    view! {
        <div class="helpful" role="group" aria-label=chat.t(Phrase::DidItHelp) data-testid="helpful" hidden=move || !chat.helpful.get()>
            <span>{chat.t(Phrase::DidItHelp)}</span>
            <button type="button" class="helpful-answer" on:click=answer(true)>{chat.t(Phrase::HelpedYes)}</button>
            <button type="button" class="helpful-answer" on:click=answer(false)>{chat.t(Phrase::HelpedNo)}</button>
        </div>
    }
}
