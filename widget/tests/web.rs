//! The widget in a real browser (headless Chromium via `cargo xtask test`): mounted in its
//! shadow root, clicked like a shopper would.

#![cfg(target_arch = "wasm32")]

use flow_runtime::Flow;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const FLOW: &str = r#"{
  "bot": { "name": "Testy" },
  "steps": [
    { "id": "hello", "type": "message", "text": "Hello <b>there</b>",
      "quick_replies": [ { "label": "Shipping", "goto": "shipping" } ] },
    { "id": "shipping", "type": "message", "text": "Two days.",
      "quick_replies": [ { "label": "Thanks", "goto": "bye" } ] },
    { "id": "bye", "type": "message", "text": "Bye!" }
  ]
}"#;

/// The test flow, compiled and sent through the binary form, as `www` serves it.
fn flow() -> Flow {
    let compiled = flow_runtime::compile::compile_json(FLOW)
        .flow
        .expect("the test flow compiles");
    Flow::from_bytes(&compiled.to_bytes()).expect("test flow decodes")
}

/// Lets the browser run pending microtasks and timers (Leptos updates the DOM after events).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

fn shadow_root() -> ShadowRoot {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document
        .query_selector(widget::host::HOST_TAG)
        .unwrap()
        .expect("the widget's host element exists");
    host.shadow_root()
        .expect("the host has an open shadow root")
}

fn find(root: &ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn all_text(root: &ShadowRoot, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.text_content())
        .collect()
}

fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn launcher_opens_a_panel_whose_quick_replies_work_inside_the_shadow_root()
-> Result<(), JsValue> {
    widget::start(flow(), widget::Config::default(), Some("test-visitor"))?;
    settle().await;
    let root = shadow_root();

    let launcher = find(&root, "button.launcher").expect("a launcher");
    assert_eq!(
        launcher.get_attribute("aria-label").as_deref(),
        Some("Open chat")
    );
    assert!(
        find(&root, "[role=dialog]").is_none(),
        "the panel starts closed"
    );

    click(&launcher);
    settle().await;
    let panel = find(&root, "[role=dialog]").expect("the panel opened");
    assert_eq!(panel.get_attribute("aria-label").as_deref(), Some("Testy"));
    assert!(find(&root, "[role=log]").is_some());
    // Flow text is text: the markup in it is shown, never parsed.
    assert_eq!(all_text(&root, ".bubble"), ["Hello <b>there</b>"]);
    assert!(find(&root, ".bubble b").is_none());

    // A click inside the shadow root reaches its handler (Leptos' `delegation` is off).
    click(&find(&root, "button.quick-reply").expect("a quick reply"));
    settle().await;
    assert_eq!(
        all_text(&root, ".bubble"),
        ["Hello <b>there</b>", "Shipping", "Two days."]
    );
    assert_eq!(all_text(&root, "button.quick-reply"), ["Thanks"]);

    // Closing and reopening keeps the conversation and does not greet again.
    click(&find(&root, "button.close").expect("a close button"));
    settle().await;
    assert!(find(&root, "[role=dialog]").is_none());
    click(&launcher);
    settle().await;
    assert_eq!(all_text(&root, ".bubble").len(), 3);
    Ok(())
}
