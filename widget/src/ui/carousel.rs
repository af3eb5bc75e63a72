use flow_runtime::flow::Phrase;
use flow_runtime::{CardView, Input};
use leptos::html::Div;
use leptos::prelude::*;
use web_sys::{ScrollBehavior, ScrollToOptions};

use super::icons::{Icon, Shape};
use crate::run::Widget;

/// Product cards in a row: scroll-snap and swipe, previous/next buttons (disabled at the
/// ends, mirrored right to left), arrow keys, and "N of M" labels for screen readers. It
/// works the same in the panel and in a teaser, whose own click (open the chat) it keeps
/// to itself.
#[component]
pub fn Carousel(chat: Widget, message: u64, cards: Vec<CardView>) -> impl IntoView {
    let track: NodeRef<Div> = NodeRef::new();
    let count = cards.len();
    // Where the row is scrolled: at its start, at its end (both when it all fits).
    let ends = RwSignal::new((true, count <= 1));
    let measure = move || {
        if let Some(el) = track.try_get_untracked().flatten() {
            // Right to left, scrollLeft runs from 0 down to negative values.
            // Snapping may rest a few pixels from the edge (the row's padding).
            let left = f64::from(el.scroll_left()).abs();
            let room = f64::from(el.scroll_width() - el.client_width());
            ends.set((left < 8.0, left >= room - 8.0));
        }
    };
    let step = move |direction: f64| {
        if let Some(el) = track.get_untracked() {
            let card = el
                .first_element_child()
                .map_or(240.0, |c| f64::from(c.client_width()) + 12.0);
            let rtl = el.closest("[dir=rtl]").ok().flatten().is_some();
            let options = ScrollToOptions::new();
            options.set_left(if rtl { -direction } else { direction } * card);
            options.set_behavior(ScrollBehavior::Smooth);
            el.scroll_by_with_scroll_to_options(&options);
        }
    };
    // Once laid out, and again when the panel opens (a hidden row has no width).
    Effect::new(move |_| {
        chat.open.track();
        request_animation_frame(measure);
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowRight" => {
            ev.prevent_default();
            step(1.0);
        }
        "ArrowLeft" => {
            ev.prevent_default();
            step(-1.0);
        }
        _ => {}
    };
    let items = cards
        .into_iter()
        .enumerate()
        .map(|(index, card)| {
            let label = chat.t(Phrase::CardOf).replace("{n}", &(index + 1).to_string()).replace("{m}", &count.to_string());
            let buttons = card
                .buttons
                .into_iter()
                .enumerate()
                .map(|(b, button)| {
                    let press = move |ev: leptos::ev::MouseEvent| {
                        ev.stop_propagation();
                        chat.dispatch(Input::CardButton { message, card: index, button: b });
                    };
                    super::quick_replies::choice("card-button", button.href, button.label, press)
                })
                .collect_view();
            view! {
                <div class="card" role="group" aria-roledescription="slide" aria-label=label>
                    {card.image.map(|i| view! { <img src=chat.shell().asset(&i.src) alt=i.alt loading="lazy" width="240" height="180" /> })}
                    <p class="card-title">{card.title}</p>
                    {card.subtitle.map(|s| view! { <p class="card-subtitle">{s}</p> })}
                    {card.price.map(|p| view! { <p class="card-price">{p}</p> })}
                    <div class="card-buttons">{buttons}</div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="carousel" role="group" aria-roledescription="carousel" aria-label=chat.t(Phrase::Products)>
            <button class="nav prev" type="button" aria-label=chat.t(Phrase::Previous) disabled=move || ends.get().0
                on:click=move |ev| { ev.stop_propagation(); step(-1.0) }>
                <Icon shape=Shape::Previous />
            </button>
            <div class="track" tabindex="0" node_ref=track on:keydown=on_keydown on:scroll=move |_| measure()>
                {items}
            </div>
            <button class="nav next" type="button" aria-label=chat.t(Phrase::Next) disabled=move || ends.get().1
                on:click=move |ev| { ev.stop_propagation(); step(1.0) }>
                <Icon shape=Shape::Next />
            </button>
        </div>
    }
}
