use flow_runtime::{BlockView, Message, Span, Speaker};
use leptos::prelude::*;

use crate::chat::Chat;

/// The conversation so far. A live region, so screen readers announce new messages.
#[component]
pub fn MessageList(chat: Chat) -> impl IntoView {
    view! {
        <div class="messages" role="log" aria-live="polite" data-testid="messages">
            <For each=move || chat.messages.get() key=|m| m.id let:message>
                <Bubble message />
            </For>
        </div>
    }
}

#[component]
fn Bubble(message: Message) -> impl IntoView {
    let class = match message.from {
        Speaker::Bot => "bubble bot",
        Speaker::Shopper => "bubble shopper",
        Speaker::Agent => "bubble agent",
        Speaker::System => "note",
    };
    let blocks = message.text.into_iter().map(block).collect_view();
    view! { <div class=class>{blocks}</div> }
}

fn block(b: BlockView) -> AnyView {
    match b {
        BlockView::Paragraph(spans) => view! { <p>{spans.into_iter().map(span).collect_view()}</p> }.into_any(),
        BlockView::List { ordered: false, items } => {
            view! { <ul>{items.into_iter().map(|i| view! { <li>{i.into_iter().map(span).collect_view()}</li> }).collect_view()}</ul> }
                .into_any()
        }
        BlockView::List { ordered: true, items } => {
            view! { <ol>{items.into_iter().map(|i| view! { <li>{i.into_iter().map(span).collect_view()}</li> }).collect_view()}</ol> }
                .into_any()
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
        // The runtime already allowed only http(s), mailto, tel and same-site paths.
        Some(href) => {
            view! { <a href=href target="_blank" rel="noopener noreferrer">{text}</a> }.into_any()
        }
        None => text,
    }
}
