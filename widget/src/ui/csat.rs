use flow_runtime::flow::Phrase;
use flow_runtime::{CsatView, Input, RatingIcon};
use leptos::html::Textarea;
use leptos::prelude::*;

use super::icons::{Icon, Shape};
use crate::run::Widget;

/// "How did we do?": the engine's choices (thumbs, or one to five stars, with their scores
/// and labels), then an optional comment.
#[component]
pub fn Csat(chat: Widget) -> impl IntoView {
    // Keyed, so a new prompt is built afresh rather than patched into the old one.
    view! {
        <For each=move || chat.csat.get() key=|v| (v.scale as u8, v.comment) let:view>
            <Rating chat view />
        </For>
    }
}

#[component]
fn Rating(chat: Widget, view: CsatView) -> impl IntoView {
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
    let buttons = view
        .choices()
        .iter()
        .map(|&choice| {
            let score = choice.score;
            let star = choice.icon == RatingIcon::Star;
            let shape = match choice.icon {
                RatingIcon::ThumbUp => Shape::ThumbUp,
                RatingIcon::ThumbDown => Shape::ThumbDown,
                RatingIcon::Star => Shape::Star,
            };
            view! {
                <button
                    class="rate"
                    type="button"
                    aria-label=chat.t(choice.phrase()).replace("{n}", &score.to_string())
                    // A row of stars fills up to the one chosen.
                    aria-pressed=move || chosen.get().is_some_and(|c| c == score || (star && c >= score)).to_string()
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
                <textarea node_ref=comment rows="2" maxlength=flow_runtime::wire::limits::COMMENT_CHARS aria-label=chat.t(Phrase::CommentPlaceholder) placeholder=chat.t(Phrase::CommentPlaceholder)></textarea>
                <button class="send-rating" type="submit">{chat.t(Phrase::SendRating)}</button>
            </form>
        </div>
    }
}
