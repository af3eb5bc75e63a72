//! Bellhop's browser shell.
//!
//! The widget turns page events into [`flow_runtime::Input`]s and the runtime's
//! [`flow_runtime::Effect`]s into DOM, storage and HTTP. It makes no conversation
//! decisions of its own: everything a shopper reads comes from the flow, through the
//! runtime.
//!
//! This is the second stage, the panel: the eager stage (`launcher`) watched the page with the
//! flow's trigger rules and calls [`boot`] when the shopper shows intent or a trigger fires,
//! with a [`flow_runtime::Handover`]. `boot` fetches the compiled flow, creates the shadow
//! host, resumes the conversation from storage, takes over the page from the eager stage,
//! mounts the Leptos UI, replaces the `Bellhop` queue with the real API (replaying the calls
//! made so far) and watches the page from then on.
//!
//! Module map (arrows are `use`; there is no cycle):
//!
//! ```text
//! lib ──► run ──► io ──► api, outbox
//!  │       ├────► page        (analytics events, `Bellhop('on', …)`)
//!  │       └────► storage     (the one consent gate)
//!  ├──► host_api ──► run, page, storage   (`window.Bellhop`)
//!  ├──► host                  (the shadow root)
//!  └──► ui/* ──► run          (components)
//! ```
//!
//! `run` owns the engine and routes its effects; `io` performs requests and answers through
//! the [`io::Sink`] trait, so it never names the UI. `storage` and the page's raw signals
//! are the `browser` crate's, shared with the eager stage.

mod api;
mod config;
pub mod host;
mod host_api;
mod insights;
mod io;
mod js;
mod outbox;
mod page;
pub mod run;
mod ui;
mod web;

use browser::{signals, storage};

use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

pub use config::Config;
pub use run::Widget;

/// The browser glue's pure parts, for the `wasm-bindgen-test` tests.
#[doc(hidden)]
pub mod glue {
    pub use browser::storage::decode as decode_state;

    /// A cart the page passed, as both stages read it.
    pub fn cart_from_js(v: &wasm_bindgen::JsValue) -> flow_runtime::Cart {
        browser::signals::cart(&crate::web::Js(v.clone()))
    }
}

/// Starts the panel on the current page. Called once by the loader, with what the eager
/// stage handed over (its [`flow_runtime::Handover`] bytes; none: a page view of its own)
/// and the compiled flow the loader fetched with the panel (none, or not a flow: fetched
/// here, else the last good copy).
///
/// Errors are returned to the loader (which logs them quietly) rather than thrown into the
/// host page.
#[wasm_bindgen]
pub async fn boot(
    config: JsValue,
    handover: Option<Vec<u8>>,
    flow: Option<Vec<u8>>,
) -> Result<(), JsValue> {
    browser::install(&web::Web);
    let config = Config::from_js(&config)?;
    // Before anything is read or written: with consent required, writes wait for it.
    storage::require_consent(config.consent_required);
    let flow = match flow.and_then(|b| api::accept_flow(&config.flow_url, &b)) {
        Some(flow) => flow,
        None => api::load_flow(&config.flow_url).await?,
    };
    let handover = handover.and_then(|b| flow_runtime::Handover::from_bytes(&b));
    start_after(flow, config, None, handover)?;
    Ok(())
}

/// Shows the widget for `flow` on the current page (`visitor` overrides the stored id, for
/// tests).
pub fn start(
    flow: flow_runtime::Flow,
    config: Config,
    visitor: Option<&str>,
) -> Result<Widget, JsValue> {
    browser::install(&web::Web);
    start_after(flow, config, visitor, None)
}

fn start_after(
    flow: flow_runtime::Flow,
    config: Config,
    visitor: Option<&str>,
    handover: Option<flow_runtime::Handover>,
) -> Result<Widget, JsValue> {
    storage::require_consent(config.consent_required);
    let theme = flow.bot.theme.clone();
    let mount = host::attach()?;
    host::apply_theme(&mount, &theme);
    let chat = Widget::new(flow, config, visitor);
    // The page's listeners first: the panel's first input may announce (a trigger shown).
    let queued = host_api::queued();
    host_api::subscribe(&queued);
    // The page first: it sets the conversation's language from the page's, so the UI is
    // built once in that language rather than built and rebuilt.
    chat.dispatch(match handover {
        Some(h) => flow_runtime::Input::TakeOver(Box::new(h)),
        None => flow_runtime::Input::PageView(signals::page()),
    });
    ui::mount(mount, chat);
    // In the same task as the mount, so a page never shows two launchers.
    host::remove_eager_launcher();
    host_api::install(chat, queued);
    follow_other_tabs(chat);
    WIDGET.with(|w| w.set(Some(chat)));
    resume_from_link(chat);
    Ok(chat)
}

/// Back through an email's link (`#bellhop-resume=…`): the server exchanges the link's
/// token for the conversation, which the engine takes up; the token leaves the address
/// either way. An expired link leaves the chat as it was.
fn resume_from_link(chat: Widget) {
    let Some(resume) = browser::signals::resume_token() else {
        return;
    };
    forget_resume_token();
    let api = api::Api::new(&chat.shell().config.api);
    wasm_bindgen_futures::spawn_local(async move {
        use flow_runtime::wire::json::ToJson;
        let body = flow_runtime::wire::ResumeRequest { resume }.to_json();
        if let Some(input) = api::resumed(&api.post("/conversations/resume", &body).await) {
            chat.dispatch(input);
        }
    });
}

/// Takes the resume token out of the address (it was used; a bookmark or a shared link
/// must not carry it), keeping the page where it is.
fn forget_resume_token() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let clean = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
    }
}

thread_local! {
    /// The widget on this page, for the loader's [`signal`]s.
    static WIDGET: std::cell::Cell<Option<Widget>> = const { std::cell::Cell::new(None) };
}

/// A raw signal from the page, which the loader observes and hands to the running stage
/// (see `browser::signals`).
#[wasm_bindgen]
pub fn signal(kind: &str, a: JsValue, b: f64, c: f64) {
    if let (Some(chat), Some(input)) = (
        WIDGET.with(|w| w.get()),
        signals::input(kind, &web::Js(a), b, c),
    ) {
        chat.dispatch(input);
    }
}

/// Another tab of the same store changed the conversation: show it here too. Back online:
/// send what waited.
fn follow_other_tabs(chat: Widget) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_storage =
        Closure::<dyn FnMut(web_sys::StorageEvent)>::new(move |e: web_sys::StorageEvent| {
            if e.key().as_deref() == Some(storage::STATE_KEY) {
                if let Some(state) = e.new_value().as_deref().and_then(storage::decode) {
                    chat.adopt(state);
                }
            }
        });
    let _ = window.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
    let on_online = Closure::<dyn FnMut()>::new(move || chat.shell().io.pump(chat));
    let _ = window.add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
    on_online.forget();
}
