//! `window.Bellhop(command, …)` once the panel runs: the queued calls replayed in order,
//! then the real function. Which commands exist, and what the engine hears from them, is
//! [`browser::commands::Command`]: the same table the eager stage reads.

use browser::commands::Command;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::run::Widget;
use crate::web::Js;

/// The calls the page queued before the panel ran (`window.Bellhop.q`), each `[command,
/// a, b]`.
pub fn queued() -> Vec<JsValue> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    crate::js::items(&crate::js::get(&crate::js::get(&window, "Bellhop"), "q"))
}

/// Argument `i` of a queued call.
fn arg(call: &JsValue, i: u32) -> JsValue {
    js_sys::Reflect::get_u32(call, i).unwrap_or_default()
}

/// The command a call names.
fn named(name: &JsValue) -> Option<Command> {
    Command::named(&name.as_string()?)
}

/// The page's `on`/`off` subscriptions among `queued`, applied before the panel's first
/// input: the trigger that starts the panel announces `trigger_shown` at once, and the
/// page's listeners must hear it.
pub fn subscribe(queued: &[JsValue]) {
    for q in queued {
        if let Some(c @ (Command::On | Command::Off)) = named(&arg(q, 0)) {
            listeners(c, &arg(q, 1), &arg(q, 2));
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
            if let Some(command) = named(&command) {
                call(chat, command, &a, &b);
            }
        },
    );
    let function: &js_sys::Function = api.as_ref().unchecked_ref();
    // `l` marks "loaded" for the loader: a second copy of the tag then does nothing.
    let _ = js_sys::Reflect::set(function, &JsValue::from_str("l"), &JsValue::TRUE);
    let _ = js_sys::Reflect::set(&window, &key, function);
    api.forget();
    for q in &queued {
        match named(&arg(q, 0)) {
            Some(Command::On | Command::Off) | None => {}
            Some(command) => call(chat, command, &arg(q, 1), &arg(q, 2)),
        }
    }
}

fn listeners(command: Command, a: &JsValue, b: &JsValue) {
    let Some(name) = a.as_string() else {
        return;
    };
    match command {
        Command::On => {
            if let Some(f) = b.dyn_ref::<js_sys::Function>() {
                crate::page::listen(name, f.clone());
            }
        }
        Command::Off => crate::page::unlisten(&name, b.dyn_ref::<js_sys::Function>()),
        _ => {}
    }
}

fn call(chat: Widget, command: Command, a: &JsValue, b: &JsValue) {
    match command {
        Command::Open => chat.set_open(true),
        Command::Close => chat.set_open(false),
        Command::Toggle => chat.set_open(!chat.open.get_untracked()),
        // One gate, in storage: writes waiting for consent are written now, or dropped
        // with everything stored.
        Command::Consent => crate::storage::grant(a.is_truthy()),
        Command::On | Command::Off => listeners(command, a, b),
        Command::SetCart | Command::Identify | Command::Track | Command::Preview => {
            if let Some(input) = command.input(&Js(a.clone()), &Js(b.clone())) {
                chat.dispatch(input);
            }
        }
    }
}
