//! Every string of the Big List of Naughty Strings as the flow's own text (messages and
//! quick replies), in headless Chromium: rendered as text or safe Markdown, never as markup,
//! and the layout holds. (Agent messages and order data get the same corpus in
//! tests/e2e/naughty.spec.ts.) A test binary of its own: one widget per page.

#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::{all, find, settle, shadow_root};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

const BLNS: &str = include_str!("../../www/tests/data/blns/blns.json");
/// Under the engine's `MAX_STEPS_PER_INPUT` (a chain of messages is cut there).
const CHUNK: usize = 60;

/// What the widget may create in its shadow root.
const ALLOWED: [&str; 26] = [
    "DIV", "SPAN", "P", "BUTTON", "A", "UL", "OL", "LI", "STRONG", "EM", "BR", "IMG", "SVG",
    "PATH", "CIRCLE", "G", "LINE", "POLYLINE", "RECT", "FORM", "TEXTAREA", "INPUT", "LABEL",
    "TIME", "H2", "STYLE",
];

fn one_message_flow(text: &str) -> serde_json::Value {
    json!({ "bot": { "name": "Testy" }, "steps": [ { "id": "m", "type": "message", "text": text } ] })
}

#[wasm_bindgen_test]
async fn naughty_flow_text_is_rendered_safely() -> Result<(), JsValue> {
    let mut corpus: Vec<String> = serde_json::from_str(BLNS).unwrap();
    corpus.extend(
        [
            "<script>window.__pwned = 1</script>",
            "<img src=x onerror=\"window.__pwned = 2\">",
            "[x](javascript:window.__pwned=3)",
        ]
        .map(String::from),
    );
    // What the compiler refuses (a merchant sees the diagnostic in `flow check`) is left out;
    // it must be refused without a panic, and be rare.
    let accepted: Vec<&String> = corpus
        .iter()
        .filter(|s| {
            flow_authoring::compile::compile_json(&one_message_flow(s).to_string())
                .flow
                .is_some()
        })
        .collect();
    assert!(
        accepted.len() * 10 >= corpus.len() * 9,
        "{} of {}",
        accepted.len(),
        corpus.len()
    );

    let chunks: Vec<&[&String]> = accepted.chunks(CHUNK).collect();
    let mut steps = Vec::new();
    for (c, chunk) in chunks.iter().enumerate() {
        for (i, s) in chunk.iter().enumerate() {
            let mut step = json!({ "id": format!("c{c}m{i}"), "type": "message", "text": s });
            if i + 1 < chunk.len() {
                step["next"] = json!(format!("c{c}m{}", i + 1));
            } else {
                // A blank label is refused by the compiler (a button with nothing on it).
                let label = chunk
                    .iter()
                    .find(|s| !s.trim().is_empty())
                    .map_or_else(|| "Again".to_owned(), |s| s.chars().take(40).collect());
                let mut replies = vec![json!({ "label": label, "goto": "c0m0" })];
                if c + 1 < chunks.len() {
                    replies.insert(
                        0,
                        json!({ "label": "More", "goto": format!("c{}m0", c + 1) }),
                    );
                }
                step["quick_replies"] = json!(replies);
            }
            steps.push(step);
        }
    }
    // Every eighth string is also an FAQ answer, asked for through the composer below.
    let faq: Vec<(String, &String)> = accepted
        .iter()
        .filter(|s| !s.trim().is_empty())
        .step_by(8)
        .enumerate()
        .map(|(i, s)| (format!("quokka{}", spell(i)), *s))
        .collect();
    let entries: Vec<serde_json::Value> = faq
        .iter()
        .enumerate()
        .map(|(i, (word, answer))| json!({ "id": format!("n{i}"), "question": word, "answer": answer }))
        .collect();
    let flow = json!({ "bot": { "name": "Testy" }, "steps": steps, "faq": { "entries": entries } });
    widget::start(
        support::compile(&flow.to_string()),
        widget::Config::default(),
        Some("naughty-visitor"),
    )?;
    settle().await;
    let root = shadow_root();
    find(&root, "button.launcher")
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    for c in 0..chunks.len() {
        for _ in 0..20 {
            settle().await;
        }
        check(&root, c);
        if c + 1 < chunks.len() {
            let more = all(&root, "button.quick-reply")
                .into_iter()
                .find(|b| b.text_content().as_deref() == Some("More"))
                .expect("the More quick reply");
            more.unchecked_into::<HtmlElement>().click();
        }
    }
    for (i, (word, _)) in faq.iter().enumerate() {
        let input: web_sys::HtmlInputElement =
            find(&root, ".composer input").unwrap().unchecked_into();
        input.set_value(word);
        input.dispatch_event(&web_sys::Event::new("input")?)?;
        find(&root, "button.send")
            .unwrap()
            .unchecked_into::<HtmlElement>()
            .click();
        settle().await;
        // The answer may be paced behind the typing indicator.
        for _ in 0..100 {
            let msgs = all(&root, ".msg");
            if !msgs.last().unwrap().class_list().contains("shopper") {
                break;
            }
            settle().await;
        }
        let msgs = all(&root, ".msg");
        let (asked, answer) = (&msgs[msgs.len() - 2], &msgs[msgs.len() - 1]);
        assert_eq!(
            asked
                .text_content()
                .unwrap_or_default()
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == ':'),
            *word
        );
        assert!(
            !answer.class_list().contains("shopper"),
            "the bot answered {word}"
        );
        check(&root, 100 + i);
    }
    Ok(())
}

/// A distinct made-up word for each number (the matcher matches words, not digits).
fn spell(n: usize) -> String {
    let letters = ["b", "d", "f", "g", "k", "l", "m", "p", "r", "t"];
    n.to_string()
        .chars()
        .map(|c| letters[c as usize - '0' as usize])
        .collect()
}

fn check(root: &web_sys::ShadowRoot, chunk: usize) {
    let pwned = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__pwned".into()).unwrap();
    assert!(
        pwned.is_undefined(),
        "a string ran as script (chunk {chunk})"
    );
    for e in all(root, "*") {
        let tag = e.tag_name().to_uppercase();
        assert!(
            ALLOWED.contains(&tag.as_str()),
            "<{tag}> appeared (chunk {chunk})"
        );
        let names = e.get_attribute_names();
        for i in 0..names.length() {
            let name = names.get(i).as_string().unwrap_or_default();
            assert!(!name.starts_with("on"), "<{tag} {name}> (chunk {chunk})");
        }
        if tag == "A" {
            let href = e.get_attribute("href").unwrap_or_default();
            assert!(
                ["https:", "http:", "mailto:", "tel:"]
                    .iter()
                    .any(|p| href.starts_with(p)),
                "a link to {href:?} (chunk {chunk})"
            );
        }
    }
    let log = find(root, "[role=log]").expect("the message log");
    let log: HtmlElement = log.unchecked_into();
    assert!(log.child_element_count() > 0);
    assert!(
        log.scroll_width() <= log.client_width(),
        "the log overflows sideways by {} px (chunk {chunk})",
        log.scroll_width() - log.client_width()
    );
}
