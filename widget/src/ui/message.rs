use flow_runtime::{BlockView, Message, Span, Speaker};
use leptos::prelude::*;

use super::carousel::Carousel;
use super::order_card::OrderCard;
use crate::chat::Chat;

/// One message: its text (a safe Markdown subset, already parsed by the runtime), image,
/// product cards and order card, and its time on demand (hover or focus).
#[component]
pub fn MessageView(chat: Chat, message: Message) -> impl IntoView {
    let class = match message.from {
        Speaker::Bot => "msg bot",
        Speaker::Shopper => "msg shopper",
        Speaker::Agent => "msg agent",
        Speaker::System => "msg note",
    };
    let time = clock(message.at.0);
    let author = message
        .author
        .clone()
        .filter(|_| message.from == Speaker::Agent);
    let text = (!message.text.is_empty()).then(|| {
        let blocks = message.text.into_iter().map(block).collect_view();
        view! { <div class="bubble" tabindex="-1">{blocks}</div> }
    });
    let image = message
        .image
        .map(|i| view! { <img class="picture" src=i.src alt=i.alt loading="lazy" /> });
    let cards = (!message.cards.is_empty())
        .then(|| view! { <Carousel chat message=message.id cards=message.cards /> });
    let order = message
        .order
        .map(|order| view! { <OrderCard chat order /> });
    view! {
        <div class=class>
            {author.map(|a| view! { <span class="author">{a}</span> })}
            {text}
            {image}
            {cards}
            {order}
            <time class="time">{time}</time>
        </div>
    }
}

/// `14:05` in the shopper's local time.
fn clock(ms: u64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

fn block(b: BlockView) -> AnyView {
    match b {
        BlockView::Paragraph(spans) => {
            view! { <p>{spans.into_iter().map(span).collect_view()}</p> }.into_any()
        }
        BlockView::List { ordered, items } => {
            let items = items
                .into_iter()
                .map(|i| view! { <li>{i.into_iter().map(span).collect_view()}</li> })
                .collect_view();
            if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
    }
}

/// A run of text, as text: never parsed as HTML.
fn span(s: Span) -> AnyView {
    let text = match (s.bold, s.italic) {
        (true, true) => view! { <strong><em>{s.text}</em></strong> }.into_any(),
        (true, false) => view! { <strong>{s.text}</strong> }.into_any(),
        (false, true) => view! { <em>{s.text}</em> }.into_any(),
        (false, false) => s.text.into_any(),
    };
    match s.href {
        // The runtime allowed only http(s), mailto, tel and same-site paths.
        Some(href) => {
            view! { <a href=href target="_blank" rel="noopener noreferrer">{text}</a> }.into_any()
        }
        None => text,
    }
}
