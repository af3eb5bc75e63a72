//! The Leptos components. Small, each in its own file, all state in [`Chat`].

mod launcher;
mod message_list;
mod panel;
mod quick_replies;

use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::chat::Chat;

/// Mounts the UI into `parent` for the life of the page.
pub fn mount(parent: HtmlElement, chat: Chat) {
    // The handle unmounts the view when dropped; the widget lives as long as the page.
    leptos::mount::mount_to(parent, move || view! { <App chat /> }).forget();
}

#[component]
fn App(chat: Chat) -> impl IntoView {
    view! {
        <panel::Panel chat />
        <launcher::Launcher chat />
    }
}
