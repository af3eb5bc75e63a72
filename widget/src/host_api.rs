//! `window.Bellhop(command, …)`: the store page's handle on the widget.
//!
//! The loader defines `Bellhop` as a queue, so calls made before the widget is ready are
//! kept; here the real function replaces it and the queue is replayed in order. Commands:
//! `open`, `close`, `toggle`, `setCart(cart)`, `identify(fields)`, `track(name)`,
//! `consent(bool)`, `on(event, callback)`, `off(event, callback)`. Unknown commands and bad
//! arguments are ignored: nothing here may throw into the store's page.

use flow_runtime::Input;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::js;
use crate::run::Widget;
use browser::signals::{cart_from_js, identity_from_js};

/// The calls the page queued before the panel started (`Bellhop.q`).
pub fn queued() -> Vec<JsValue> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let stub =
        js_sys::Reflect::get(&window, &JsValue::from_str("Bellhop")).unwrap_or(JsValue::UNDEFINED);
    js::items(&js::get(&stub, "q"))
}

/// The page's `on`/`off` subscriptions among `queued`, applied before the panel's first
/// input: the trigger that starts the panel announces `trigger_shown` at once, and the
/// page's listeners must hear it.
pub fn subscribe(queued: &[JsValue]) {
    for args in queued {
        let command = js_sys::Reflect::get_u32(args, 0).unwrap_or_default();
        if matches!(command.as_string().as_deref(), Some("on" | "off")) {
            listeners(
                command.as_string().as_deref().unwrap_or_default(),
                &js_sys::Reflect::get_u32(args, 1).unwrap_or_default(),
                &js_sys::Reflect::get_u32(args, 2).unwrap_or_default(),
            );
        }
    }
}

/// Replaces the queue with the real `Bellhop` and replays the queued calls, but the
/// subscriptions [`subscribe`] applied already.
pub fn install(chat: Widget, queued: Vec<JsValue>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let key = JsValue::from_str("Bellhop");
    let api = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(
        move |command: JsValue, a: JsValue, b: JsValue| {
            call(chat, &command, &a, &b);
        },
    );
    let function: &js_sys::Function = api.as_ref().unchecked_ref();
    // `l` marks "loaded" for the loader: a second copy of the tag then does nothing.
    let _ = js_sys::Reflect::set(function, &JsValue::from_str("l"), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&window, &key, function);
    api.forget();
    for args in queued {
        let command = js_sys::Reflect::get_u32(&args, 0).unwrap_or_default();
        if matches!(command.as_string().as_deref(), Some("on" | "off")) {
            continue;
        }
        call(
            chat,
            &command,
            &js_sys::Reflect::get_u32(&args, 1).unwrap_or_default(),
            &js_sys::Reflect::get_u32(&args, 2).unwrap_or_default(),
        );
    }
}

fn listeners(command: &str, a: &JsValue, b: &JsValue) {
    match command {
        "on" => {
            if let (Some(name), Some(f)) = (a.as_string(), b.dyn_ref::<js_sys::Function>()) {
                crate::page::listen(name, f.clone());
            }
        }
        "off" => {
            if let Some(name) = a.as_string() {
                crate::page::unlisten(&name, b.dyn_ref::<js_sys::Function>());
            }
        }
        _ => {}
    }
}

fn call(chat: Widget, command: &JsValue, a: &JsValue, b: &JsValue) {
    let Some(command) = command.as_string() else {
        return;
    };
    match command.as_str() {
        "open" => chat.set_open(true),
        "close" => chat.set_open(false),
        "toggle" => chat.set_open(!chat.open.get_untracked()),
        "setCart" => chat.dispatch(Input::CartChanged(cart_from_js(a))),
        "identify" => chat.dispatch(Input::Identify(identity_from_js(a))),
        // The console's preview fires a trigger by hand (see `Input::Preview`).
        "preview" => {
            if let Some(trigger) = a.as_string() {
                let variant = b.as_string().unwrap_or_default();
                chat.dispatch(Input::Preview { trigger, variant });
            }
        }
        "track" => {
            if let Some(name) = a.as_string() {
                chat.dispatch(Input::Custom(name.chars().take(64).collect()));
            }
        }
        // One gate, in storage: writes waiting for consent are written now, or dropped
        // with everything stored.
        "consent" => crate::storage::grant(a.is_truthy()),
        "on" | "off" => listeners(&command, a, b),
        _ => {}
    }
}
