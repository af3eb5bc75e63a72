use flow_runtime::Input;
use leptos::prelude::*;

use crate::run::Widget;

/// The choices offered under the last bot message. Once one is chosen they all go away (the
/// runtime removes them). Link replies are real links.
///
/// Not a keyed `<For>`: a new set of replies patches the buttons in place (label, link),
/// which keeps the DOM as small as the list and spared the panel 21 KB of keyed-diff code
/// instantiated for this element type (issue 32).
#[component]
pub fn QuickReplies(chat: Widget) -> impl IntoView {
    let replies = move || {
        chat.quick_replies
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, reply)| {
                let choose = move |_| {
                    chat.dispatch(Input::QuickReply(index));
                    super::focus_after_choice();
                };
                choice("quick-reply", reply.href, reply.label, choose)
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="quick-replies" data-testid="quick-replies" role="group">
            {replies}
        </div>
    }
}

/// A choice the shopper clicks: a real link when it goes to a page (the store's own pages in
/// this tab, others in a new one), else a button. One element type for both, the tag chosen
/// when it is made.
pub fn choice(
    class: &'static str,
    href: Option<String>,
    label: String,
    on_click: impl FnMut(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let link = href.is_some();
    let (target, rel) = super::link_target(href.as_deref());
    leptos::html::custom(if link { "a" } else { "button" })
        .attr("class", class)
        .attr("type", (!link).then_some("button"))
        .attr("href", href)
        .attr("target", target)
        .attr("rel", rel)
        .on(leptos::ev::click, on_click)
        .child(label)
}
