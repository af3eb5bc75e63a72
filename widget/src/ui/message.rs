use flow_runtime::{BlockView, Format, Message, Span, Speaker};
use leptos::prelude::*;

use super::carousel::Carousel;
use super::order_card::OrderCard;
use crate::run::Widget;

/// One message: its text (a safe Markdown subset, already parsed by the runtime), image,
/// product cards and order card, and its time on demand (hover or focus).
#[component]
pub fn MessageView(chat: Widget, message: Message) -> impl IntoView {
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
    let locale = crate::js::locale(&chat.lang.get_untracked());
    let text = (!message.text.is_empty()).then(|| {
        let blocks = message
            .text
            .into_iter()
            .map(|b| block(b, &locale))
            .collect_view();
        view! { <div class="bubble" tabindex="-1" dir="auto">{blocks}</div> }
    });
    let image = message
        .image
        .map(|i| view! { <img class="picture" src=chat.shell().asset(&i.src) alt=i.alt loading="lazy" /> });
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

/// A paragraph or a list. Both have the same shape, an element of items of runs (a
/// paragraph is one item), so that every block is one element type: the widget is built for
/// size, and each shape of view is code of its own.
fn block(b: BlockView, locale: &str) -> impl IntoView + use<> {
    let (tag, item, items) = match b {
        BlockView::Paragraph(spans) => ("p", "span", vec![spans]),
        BlockView::List { ordered, items } => (if ordered { "ol" } else { "ul" }, "li", items),
    };
    let items = items
        .into_iter()
        .map(|runs| {
            leptos::html::custom(item)
                .child(runs.into_iter().map(|s| span(s, locale)).collect_view())
        })
        .collect_view();
    leptos::html::custom(tag).child(items)
}

/// A run of text, as text: never parsed as HTML. Links are `<a>`, other runs `<strong>`,
/// `<em>` or `<span>`; what the tag cannot say (bold and italic, a bold link) is a class.
fn span(s: Span, locale: &str) -> impl IntoView + use<> {
    let (tag, class) = match (&s.href, s.bold, s.italic) {
        (Some(_), true, true) => ("a", Some("b i")),
        (Some(_), true, false) => ("a", Some("b")),
        (Some(_), false, true) => ("a", Some("i")),
        (Some(_), false, false) => ("a", None),
        (None, true, true) => ("strong", Some("i")),
        (None, true, false) => ("strong", None),
        (None, false, true) => ("em", None),
        (None, false, false) => ("span", None),
    };
    // The runtime allowed only http(s), mailto, tel and same-site paths.
    let (target, rel) = super::link_target(s.href.as_deref());
    leptos::html::custom(tag)
        .attr("class", class)
        .attr("href", s.href)
        .attr("target", target)
        .attr("rel", rel)
        .child(match &s.format {
            Some(Format::Date) => crate::js::date(&s.text, locale),
            Some(Format::Money(currency)) => crate::js::money(&s.text, currency, locale),
            None => s.text,
        })
}
