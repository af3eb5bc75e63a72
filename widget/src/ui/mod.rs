//! The Leptos components. Small, each in its own file; all state lives in [`Widget`] and
//! changes only through runtime effects.

mod carousel;
mod composer;
mod csat;
mod handoff_banner;
mod helpful;
mod icons;
mod launcher;
mod message;
mod message_list;
mod order_card;
mod panel;
mod quick_replies;
mod teaser;

use leptos::prelude::*;
use web_sys::HtmlElement;

use crate::run::Widget;

/// Mounts the UI into `parent` for the life of the page.
pub fn mount(parent: HtmlElement, chat: Widget) {
    // The handle unmounts the view when dropped; the widget lives as long as the page.
    leptos::mount::mount_to(parent, move || view! { <App chat /> }).forget();
}

/// Languages written right to left: the layout mirrors.
const RTL: &[&str] = &["ar", "he", "fa", "ur"];

#[component]
fn App(chat: Widget) -> impl IntoView {
    let class = chat.bot.with_value(|b| browser::host::root_class(&b.theme));
    focus_follows_open(chat);
    // Labels are read once (see `Widget::t`): a new language makes everything anew. Keyed
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

/// Whether a link leaves the store: another origin opens in a new tab; the store's own
/// pages open in this one (the conversation carries over to the next page). The runtime
/// lets through only `http(s)://…`, `mailto:`, `tel:` and paths (`/returns`); mail and
/// phone links open their app, not a tab.
pub fn leaves_the_store(href: &str) -> bool {
    if href.starts_with("mailto:") || href.starts_with("tel:") {
        return false;
    }
    if href.starts_with('/') && !href.starts_with("//") {
        return false;
    }
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    !href
        .strip_prefix(origin.as_str())
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The `target` and `rel` of a link to `href` (see [`leaves_the_store`]).
pub fn link_target(href: Option<&str>) -> (Option<&'static str>, Option<&'static str>) {
    match href {
        Some(h) if leaves_the_store(h) => (Some("_blank"), Some("noopener noreferrer")),
        _ => (None, None),
    }
}

/// After the shopper chose a quick reply (which the runtime then takes away, with the focus
/// on it), focus goes where they carry on: the composer, or the newest message while the
/// composer waits for the server, so a screen reader reads it. Never the page's body.
pub fn focus_after_choice() {
    set_timeout(
        || {
            let target = crate::host::query("input[data-focus-first]:not([disabled])")
                .or_else(|| crate::host::query_last(".msg .bubble"));
            if let Some(el) = target {
                let _ = el.focus();
            }
        },
        std::time::Duration::from_millis(0),
    );
}

/// Focus moves into the panel when the shopper opens it and back to the launcher when they
/// close it; never when a page load merely restores an open panel.
fn focus_follows_open(chat: Widget) {
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
