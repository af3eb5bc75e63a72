use flow_runtime::flow::{CsatScale, Phrase};
use flow_runtime::{CsatView, Input};
use leptos::html::Textarea;
use leptos::prelude::*;

use super::icons::{Icon, Shape};
use crate::chat::Chat;

/// "How did we do?": thumbs or one to five stars, then an optional comment.
#[component]
pub fn Csat(chat: Chat) -> impl IntoView {
    // Keyed, so a new prompt is built afresh rather than patched into the old one.
    view! {
        <For each=move || chat.csat.get() key=|v| (v.scale as u8, v.comment) let:view>
            <Rating chat view />
        </For>
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
    let scores: Vec<(u8, Shape, Phrase)> = match view.scale {
        CsatScale::Thumbs => vec![
            (2, Shape::ThumbUp, Phrase::ThumbsUp),
            (1, Shape::ThumbDown, Phrase::ThumbsDown),
        ],
        CsatScale::Five => (1..=5).map(|n| (n, Shape::Star, Phrase::Stars)).collect(),
    };
    let buttons = scores
        .into_iter()
        .map(|(score, shape, phrase)| {
            let label = chat.t(phrase).replace("{n}", &score.to_string());
            view! {
                <button
                    class="rate"
                    type="button"
                    aria-label=label
                    aria-pressed=move || (chosen.get().is_some_and(|c| c >= score && view.scale == CsatScale::Five) || chosen.get() == Some(score)).to_string()
                    on:click=move |_| choose(score)
                >
                    <Icon shape size=24 />
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
            <form class="csat-comment" hidden=move || chosen.get().is_none() on:submit=submit>
                <textarea node_ref=comment rows="2" maxlength="2000" aria-label=chat.t(Phrase::CommentPlaceholder) placeholder=chat.t(Phrase::CommentPlaceholder)></textarea>
                <button class="send-rating" type="submit">{chat.t(Phrase::SendRating)}</button>
            </form>
        </div>
    }
}
