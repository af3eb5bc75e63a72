use flow_runtime::Input;
use leptos::prelude::*;

use crate::chat::Chat;

/// The choices offered under the last bot message. Once one is chosen they all go away (the
/// runtime removes them). Link replies are real links.
#[component]
pub fn QuickReplies(chat: Chat) -> impl IntoView {
    let replies = move || chat.quick_replies.get().into_iter().enumerate();
    view! {
        <div class="quick-replies" data-testid="quick-replies" role="group">
            <For each=replies key=|(index, reply)| (*index, reply.label.clone()) let:((index, reply))>
                {
                    let choose = move |_| chat.dispatch(Input::QuickReply(index));
                    match reply.href {
                        Some(href) => view! {
                            <a class="quick-reply" href=href target="_blank" rel="noopener noreferrer" on:click=choose>{reply.label}</a>
                        }.into_any(),
                        None => view! { <button class="quick-reply" type="button" on:click=choose>{reply.label}</button> }.into_any(),
                    }
                }
            </For>
        </div>
    }
}
