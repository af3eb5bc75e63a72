//! Telling the store's page: analytics events and `Bellhop('on', …)` callbacks.

use std::cell::RefCell;

use flow_runtime::Prop;
use wasm_bindgen::{JsCast, JsValue};

use crate::js;

thread_local! {
    /// `Bellhop('on', name, callback)` subscriptions (`*` for every event).
    static LISTENERS: RefCell<Vec<(String, js_sys::Function)>> = const { RefCell::new(Vec::new()) };
}

/// `Bellhop('on', name, callback)`.
pub fn listen(name: String, callback: js_sys::Function) {
    LISTENERS.with(|l| l.borrow_mut().push((name, callback)));
}

/// `Bellhop('off', name, callback)`; without a callback, every one for `name`.
pub fn unlisten(name: &str, callback: Option<&js_sys::Function>) {
    LISTENERS.with(|l| {
        l.borrow_mut()
            .retain(|(n, g)| !(n == name && callback.is_none_or(|f| f == g)))
    });
}

/// Tells the store's page: a `bellhop:NAME` event on `window`, a `dataLayer` entry when the
/// page has one (Google Tag Manager's convention), and `Bellhop('on', NAME, …)` callbacks.
/// Numbers arrive as numbers and lists as arrays. The shopper's words are only an FAQ
/// event's `question` (the engine already took out emails and order numbers), and not
/// even that when `with_text` is off (`data-analytics-text="off"`).
pub fn announce(name: &str, props: &[(String, Prop)], with_text: bool) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let fields: Vec<(&str, JsValue)> = props
        .iter()
        .filter(|(k, _)| with_text || k != "question")
        .map(|(k, v)| (k.as_str(), prop(v)))
        .collect();
    let detail = js::object(&fields);
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict(&format!("bellhop:{name}"), &init)
    {
        let _ = window.dispatch_event(&event);
    }
    let data_layer = js_sys::Reflect::get(&window, &JsValue::from_str("dataLayer"))
        .unwrap_or(JsValue::UNDEFINED);
    if let Some(layer) = data_layer.dyn_ref::<js_sys::Array>() {
        let entry = js::object(&fields);
        let _ = js_sys::Reflect::set(
            &entry,
            &JsValue::from_str("event"),
            &JsValue::from_str(&format!("bellhop.{name}")),
        );
        layer.push(&entry);
    }
    let listeners: Vec<js_sys::Function> = LISTENERS.with(|l| {
        l.borrow()
            .iter()
            .filter(|(n, _)| n == name || n == "*")
            .map(|(_, f)| f.clone())
            .collect()
    });
    for f in listeners {
        // A throwing callback is the page's problem, not ours: it must not stop the widget.
        let _ = f.call2(&JsValue::NULL, &JsValue::from_str(name), &detail);
    }
}

/// An analytics value as JavaScript: a string, a number or an array.
fn prop(v: &Prop) -> JsValue {
    match v {
        Prop::Text(t) => js::str(t),
        Prop::Number(n) => js::num(n.0 as f64 / flow_runtime::value::Num::SCALE as f64),
        Prop::List(items) => js::array(items.iter().map(prop)),
    }
}
