//! Helpers shared by the widget's browser tests: compile a test flow as `www` serves it,
//! let the browser settle, and look inside the widget's shadow root.

#![allow(dead_code)] // each test file uses its own subset

use flow_runtime::Flow;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, ShadowRoot};

/// A test flow, compiled and sent through the binary form, as `www` serves it.
pub fn compile(source: &str) -> Flow {
    let compiled = flow_authoring::compile::compile_json(source);
    let flow = compiled
        .flow
        .unwrap_or_else(|| panic!("the test flow compiles: {:?}", compiled.diagnostics));
    Flow::from_bytes(&flow.to_bytes()).expect("test flow decodes")
}

/// Lets the browser run pending microtasks and timers (Leptos updates the DOM after events).
pub async fn settle() {
    wait(10).await;
}

/// Waits `ms` milliseconds of the browser's time.
pub async fn wait(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// The widget's open shadow root.
pub fn shadow_root() -> ShadowRoot {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document
        .query_selector(widget::host::HOST_TAG)
        .unwrap()
        .expect("the widget's host element exists");
    host.shadow_root()
        .expect("the host has an open shadow root")
}

pub fn find(root: &ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

pub fn all(root: &ShadowRoot, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn all_text(root: &ShadowRoot, selector: &str) -> Vec<String> {
    all(root, selector)
        .iter()
        .filter_map(|e| e.text_content())
        .collect()
}

pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}
