//! The widget in a real browser (headless Chromium via `cargo xtask test`): mounted in its
//! shadow root, clicked like a shopper would.

#![cfg(target_arch = "wasm32")]

mod support;

use support::{all_text, click, compile, find, settle, shadow_root};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

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

#[wasm_bindgen_test]
async fn launcher_opens_a_panel_whose_quick_replies_work_inside_the_shadow_root()
-> Result<(), JsValue> {
    widget::start(
        compile(FLOW),
        widget::Config::default(),
        Some("test-visitor"),
    )?;
    settle().await;
    let root = shadow_root();

    let launcher = find(&root, "button.launcher").expect("a launcher");
    assert_eq!(
        launcher.get_attribute("aria-label").as_deref(),
        Some("Open chat")
    );
    assert!(
        find(&root, "[role=dialog]:not([hidden])").is_none(),
        "the panel starts closed (built, hidden)"
    );

    click(&launcher);
    settle().await;
    let panel = find(&root, "[role=dialog]:not([hidden])").expect("the panel opened");
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
    assert!(find(&root, "[role=dialog]:not([hidden])").is_none());
    click(&launcher);
    settle().await;
    assert_eq!(all_text(&root, ".bubble").len(), 3);
    Ok(())
}
