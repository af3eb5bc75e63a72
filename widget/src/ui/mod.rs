//! The Leptos components. Small, each in its own file; all state lives in [`Chat`] and
//! changes only through runtime effects.

mod carousel;
mod composer;
mod csat;
mod handoff_banner;
mod icons;
mod launcher;
mod message;
mod message_list;
mod order_card;
mod panel;
mod quick_replies;
mod teaser;

use flow_runtime::flow::{ColorMode, Position};
use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::chat::Chat;

/// Mounts the UI into `parent` for the life of the page.
pub fn mount(parent: HtmlElement, chat: Chat) {
    // The handle unmounts the view when dropped; the widget lives as long as the page.
    leptos::mount::mount_to(parent, move || view! { <App chat /> }).forget();
}

/// Languages written right to left: the layout mirrors.
const RTL: &[&str] = &["ar", "he", "fa", "ur"];

#[component]
fn App(chat: Chat) -> impl IntoView {
    let theme = chat.bot.with_value(|b| b.theme.clone());
    let mut class = String::from("root");
    if theme.position == Position::Left {
        class.push_str(" left");
    }
    match theme.mode {
        ColorMode::Dark => class.push_str(" dark"),
        ColorMode::Light => class.push_str(" light"),
        ColorMode::Auto => {}
    }
    focus_follows_open(chat);
    // Labels are read once (see `Chat::t`): a new language makes everything anew. Keyed
    // by the language, so the tree is only ever built, never patched in place, which
    // spares the wasm an update routine for every element of it.
    view! {
        <For each=move || std::iter::once(chat.lang.get()) key=String::clone let:lang>
            {
                let dir = if RTL.contains(&lang.get(..2).unwrap_or("")) { "rtl" } else { "ltr" };
                view! {
                    <div class=class.clone() dir=dir lang=lang>
                        <panel::Panel chat />
                        <teaser::Teaser chat />
                        <launcher::Launcher chat />
                    </div>
                }
            }
        </For>
    }
}

/// Focus moves into the panel when the shopper opens it and back to the launcher when they
/// close it; never when a page load merely restores an open panel.
fn focus_follows_open(chat: Chat) {
    Effect::new(move |_| {
        let open = chat.open.get();
        if !chat.move_focus.get_untracked() {
            return;
        }
        chat.move_focus.set(false);
        // After the DOM update that showed or hid the panel.
        set_timeout(
            move || {
                let selector = if open {
                    "[data-focus-first]"
                } else {
                    "button.launcher"
                };
                if let Some(el) = crate::host::query(selector) {
                    let _ = el.focus();
                }
            },
            std::time::Duration::from_millis(0),
        );
    });
}
