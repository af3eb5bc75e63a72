use flow_runtime::flow::{CsatScale, Phrase};
use flow_runtime::{CsatView, Input};
use leptos::html::Textarea;
use leptos::prelude::*;

use super::icons::{Star, Thumb};
use crate::chat::Chat;

/// "How did we do?": thumbs or one to five stars, then an optional comment.
#[component]
pub fn Csat(chat: Chat) -> impl IntoView {
    view! {
        {move || chat.csat.get().map(|view| view! { <Rating chat view /> })}
    }
}

#[component]
fn Rating(chat: Chat, view: CsatView) -> impl IntoView {
    let chosen = RwSignal::new(None::<u8>);
    let comment: NodeRef<Textarea> = NodeRef::new();
    let choose = move |score: u8| {
        if view.comment {
            chosen.set(Some(score));
        } else {
            chat.dispatch(Input::Rated {
                score,
                comment: None,
            });
        }
    };
    let scores: Vec<(u8, AnyView, Phrase)> = match view.scale {
        CsatScale::Thumbs => vec![
            (2, view! { <Thumb up=true /> }.into_any(), Phrase::ThumbsUp),
            (
                1,
                view! { <Thumb up=false /> }.into_any(),
                Phrase::ThumbsDown,
            ),
        ],
        CsatScale::Five => (1..=5)
            .map(|n| (n, view! { <Star /> }.into_any(), Phrase::Stars))
            .collect(),
    };
    let buttons = scores
        .into_iter()
        .map(|(score, icon, phrase)| {
            let label = chat.t(phrase).replace("{n}", &score.to_string());
            view! {
                <button
                    class="rate"
                    type="button"
                    aria-label=label
                    aria-pressed=move || (chosen.get().is_some_and(|c| c >= score && view.scale == CsatScale::Five) || chosen.get() == Some(score)).to_string()
                    on:click=move |_| choose(score)
                >
                    {icon}
                </button>
            }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(score) = chosen.get_untracked() else {
            return;
        };
        let text = comment
            .get()
            .map(|c| c.value())
            .filter(|t| !t.trim().is_empty());
        chat.dispatch(Input::Rated {
            score,
            comment: text,
        });
    };
    view! {
        <div class="csat" data-testid="csat">
            <div class="rates" role="group">{buttons}</div>
            <Show when=move || chosen.get().is_some()>
                <form class="csat-comment" on:submit=submit>
                    <textarea node_ref=comment rows="2" maxlength="2000" aria-label=chat.t(Phrase::CommentPlaceholder) placeholder=chat.t(Phrase::CommentPlaceholder)></textarea>
                    <button class="send-rating" type="submit">{chat.t(Phrase::SendRating)}</button>
                </form>
            </Show>
        </div>
    }
}
