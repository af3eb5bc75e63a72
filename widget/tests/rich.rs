//! Rich text, right-to-left layout, the composer and the page glue, in headless Chromium.
//! A test binary of its own: each binary gets a fresh page, so one widget per file.

#![cfg(target_arch = "wasm32")]

mod support;

use support::{all, compile, find, settle, shadow_root, wait};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A flow in Arabic whose text carries links and markup. (A `javascript:` link does not get
/// this far: `flow check` refuses it, see flow-runtime's tests/check.)
const FLOW: &str = r#"{
  "bot": { "name": "Testy", "languages": ["ar"] },
  "steps": [
    { "id": "hello", "type": "message",
      "text": "مرحبا **there**: [returns](https://shop.example/returns), [mail](mailto:help@shop.example), [call](tel:+15550100) <img src=x onerror=alert(1)>" }
  ],
  "faq": { "entries": [
    { "id": "refunds", "question": "When will I get my refund?", "phrasings": ["refund status", "money back"],
      "answer": "Five to seven days." }
  ] }
}"#;

#[wasm_bindgen_test]
async fn rich_text_is_safe_the_layout_mirrors_and_the_composer_asks_the_faq() -> Result<(), JsValue>
{
    widget::start(
        compile(FLOW),
        widget::Config::default(),
        Some("rtl-visitor"),
    )?;
    settle().await;
    let root = shadow_root();
    // The FAQ model is built when the panel opens, after it paints, not at page load.
    let models_built = || {
        js_sys::eval("performance.getEntriesByName('bellhop:faq-model').length")
            .ok()
            .and_then(|n| n.as_f64())
    };
    assert_eq!(
        models_built(),
        Some(0.0),
        "nothing is built before the shopper opens the chat"
    );
    find(&root, "button.launcher")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    wait(300).await;
    assert_eq!(
        models_built(),
        Some(1.0),
        "opening the panel builds the FAQ model"
    );

    // Right to left: the language and direction reach the widget's root.
    let top = find(&root, ".root").expect("the widget's root element");
    assert_eq!(top.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(top.get_attribute("lang").as_deref(), Some("ar"));

    // Markdown made markup; everything else stayed text.
    assert!(find(&root, ".bubble strong").is_some());
    assert!(
        find(&root, ".bubble img").is_none(),
        "no element from a string"
    );
    let links: Vec<(String, String, String)> = all(&root, ".bubble a")
        .iter()
        .map(|a| {
            (
                a.get_attribute("href").unwrap_or_default(),
                a.get_attribute("rel").unwrap_or_default(),
                a.get_attribute("target").unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(links.len(), 3, "{links:?}");
    assert_eq!(links[0].0, "https://shop.example/returns");
    assert!(links[0].1.contains("noopener"));
    assert_eq!(links[0].2, "_blank");
    assert_eq!(links[1].0, "mailto:help@shop.example");
    assert_eq!(links[2].0, "tel:+15550100");
    let text = find(&root, ".bubble").unwrap().text_content().unwrap();
    assert!(
        text.contains("<img src=x onerror=alert(1)>"),
        "shown as text: {text}"
    );

    // Typing and Enter: the shopper's words, then the FAQ's answer, offline.
    let input: HtmlInputElement = find(&root, ".composer input").unwrap().unchecked_into();
    input.set_value("where is my money back?");
    input.dispatch_event(&web_sys::Event::new("input")?)?;
    find(&root, "button.send")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    let bubbles: Vec<String> = all(&root, ".bubble")
        .iter()
        .filter_map(|b| b.text_content())
        .collect();
    assert_eq!(bubbles[1], "where is my money back?");
    assert_eq!(
        bubbles.last().map(String::as_str),
        Some("Five to seven days.")
    );
    assert_eq!(input.value(), "", "the composer is cleared after sending");
    assert_eq!(models_built(), Some(1.0), "built once");
    Ok(())
}

#[wasm_bindgen_test]
fn carts_from_the_page_are_read_defensively() {
    let cart = |js: &str| widget::glue::cart_from_js(&js_sys::eval(&format!("({js})")).unwrap());
    let c = cart("{items: [{sku: 'a', quantity: 2}, {sku: 'b'}], value: 129.5, currency: 'USD'}");
    assert_eq!(
        (c.items, c.value.0, c.currency.as_str()),
        (3, 129_500, "USD")
    );
    assert_eq!(cart("{items: 4, value: 10}").items, 4);
    let junk = cart("{items: 'many', value: NaN, currency: 'a very long currency name'}");
    assert_eq!((junk.items, junk.value.0, junk.currency.len()), (0, 0, 8));
    assert_eq!(cart("null").items, 0);
    assert_eq!(cart("{items: -5}").items, 0);
}

#[wasm_bindgen_test]
fn stored_snapshots_from_elsewhere_are_refused() {
    for junk in [
        "",
        "1:",
        "1:!!!!",
        "2:AAAA",
        "not even close",
        "1:AAAAAAAAAAAAAAAA",
    ] {
        assert!(widget::glue::decode_state(junk).is_none(), "{junk:?}");
    }
}
