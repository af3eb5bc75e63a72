//! Bellhop's browser shell.
//!
//! The widget turns page events into [`flow_runtime::Input`]s and the runtime's
//! [`flow_runtime::Effect`]s into DOM, storage and HTTP. It makes no conversation
//! decisions of its own: everything a shopper reads comes from the flow, through the
//! runtime.
//!
//! Loading order: the hand-written loader `loader/bellhop.js` waits for the host page's
//! `load` event, imports the wasm-bindgen glue and calls [`boot`] with the settings it read
//! from its `<script>` tag. `boot` fetches the flow, creates the shadow host and mounts
//! the Leptos UI inside it.

mod api;
mod chat;
mod config;
pub mod host;
mod ui;

use wasm_bindgen::prelude::*;

pub use chat::Chat;
pub use config::Config;

/// Starts Bellhop on the current page. Called once by the loader.
///
/// Errors are returned to the loader (which logs them quietly) rather than thrown into the
/// host page.
#[wasm_bindgen]
pub async fn boot(config: JsValue) -> Result<(), JsValue> {
    let config = Config::from_js(&config)?;
    let flow = api::fetch_flow(&config.flow_url).await?;
    let visitor = format!("v{:x}", (js_sys::Math::random() * 1e15) as u64);
    start(flow, &visitor)
}

/// Shows the widget for `flow` on the current page: creates the shadow host, mounts the UI.
pub fn start(flow: flow_runtime::Flow, visitor: &str) -> Result<(), JsValue> {
    let mount = host::attach()?;
    let chat = Chat::new(flow, visitor);
    chat.page_view();
    ui::mount(mount, chat);
    Ok(())
}
