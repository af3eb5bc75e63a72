//! No flow document and no sequence of inputs makes the engine panic or spin.
//!
//! Random documents are built near the shape of real flows (so that many compile and the
//! engine gets exercised, not just the parser), then driven with random inputs at random
//! times. `PROPTEST_CASES=100000 cargo test -p flow-runtime --release --test properties`
//! runs a long campaign; CI runs the default number of cases.

use flow_authoring::compile::{compile_json, compile_value};
use flow_runtime::{
    AgentEvent, Cart, Conversation, Device, Flow, HandoffAnswer, Input, Order, OrderAnswer,
    OrderItem, Output, Page, State, Time,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z ]{0,12}",
        r"[*_\[\]()\{\}|\\#a-z0-9 <>&:/.-]{0,24}",
        Just("**bold** *it* [x](https://x.example) {{name|friend}}\n- one\n- two".to_owned()),
        Just("{{order.status}} [t]({{order.tracking_url}}) javascript:alert(1)".to_owned()),
        "\\PC{0,10}",
    ]
}

/// A reference: mostly to a step that exists (so that many documents compile), sometimes not.
#[derive(Clone, Debug)]
struct Ref(u8);

impl Ref {
    /// Any step (for edges that wait for the shopper).
    fn any(&self, n: usize) -> String {
        if self.0 % 17 == 0 {
            "missing".into()
        } else {
            format!("s{}", self.0 as usize % n)
        }
    }
    /// A later step, or none (automatic edges must not loop, or the flow rightly fails).
    fn later(&self, i: usize, n: usize) -> Option<String> {
        let span = n - i - 1;
        if self.0 % 17 == 0 {
            Some("missing".into())
        } else if span == 0 || self.0 % 5 == 0 {
            None
        } else {
            Some(format!("s{}", i + 1 + self.0 as usize % span))
        }
    }
}

fn reference() -> impl Strategy<Value = Ref> {
    any::<u8>().prop_map(Ref)
}

fn button(n: usize) -> impl Strategy<Value = Value> {
    (text(), reference(), 0..5u8).prop_map(move |(label, target, kind)| match kind {
        0 | 1 => json!({ "label": label, "goto": target.any(n) }),
        2 => json!({ "label": label, "url": format!("https://x.example/{}", target.0) }),
        3 => json!({ "label": label, "handoff": true }),
        _ => json!({ "label": label, "faq": if target.0 % 2 == 0 { "ship" } else { "where" } }),
    })
}

#[allow(clippy::type_complexity)]
fn step(i: usize, n: usize) -> impl Strategy<Value = Value> {
    (text(), prop::collection::vec(button(n), 0..4), reference(), reference(), 0..11u8).prop_map(move |(text, qr, a, b, kind)| {
        let id = format!("s{i}");
        let later = a.later(i, n);
        let card_buttons: Vec<Value> = qr.iter().filter(|b| b.get("handoff").is_none()).cloned().collect();
        match kind {
            0 => json!({ "id": id, "type": "message", "text": text, "quick_replies": qr }),
            1 => json!({ "id": id, "type": "message", "text": text, "next": later }),
            2 => json!({ "id": id, "type": "ask", "text": text, "var": "v", "expect": "email", "next": a.any(n), "on_fail": b.any(n) }),
            3 => json!({ "id": id, "type": "ask", "text": text, "var": "n", "expect": "number", "min": 1, "max": 9, "next": a.any(n) }),
            4 => json!({ "id": id, "type": "condition", "branches": [ { "when": { "v": { "set": true }, "cart.items": { "gte": 1 } }, "goto": later.clone().unwrap_or_else(|| "s0".into()) } ], "otherwise": b.later(i, n) }),
            5 => json!({ "id": id, "type": "set", "set": { "v": text }, "next": later }),
            6 => json!({ "id": id, "type": "order_lookup", "found": later, "not_found": b.later(i, n), "error": later }),
            7 => json!({ "id": id, "type": "handoff", "available": a.any(n), "offline": b.any(n), "error": a.any(n) }),
            8 => json!({ "id": id, "type": "csat", "text": text, "scale": "five", "comment": true, "next": a.any(n) }),
            9 => json!({ "id": id, "type": "carousel", "cards": [ { "title": text, "buttons": card_buttons } ] }),
            _ => json!({ "id": id, "type": "end", "text": text }),
        }
    })
}

fn document() -> impl Strategy<Value = Value> {
    (2..9usize)
        .prop_flat_map(|n| {
            let steps: Vec<_> = (0..n).map(|i| step(i, n)).collect();
            (steps, reference(), text(), 0..4u8, Just(n))
        })
        .prop_map(|(mut steps, target, question, triggers, n)| {
            // Buttons may hand off; a flow needs a handoff step for that.
            steps.push(json!({ "id": "human", "type": "handoff", "available": "s0" }));
            let trigger_kinds = [json!("exit_intent"), json!({ "time_on_page": 3 }), json!({ "idle": 2 }), json!("cart_changed")];
            let triggers: Vec<Value> = (0..triggers)
                .map(|i| json!({ "id": format!("t{i}"), "on": trigger_kinds[i as usize], "frequency": "always",
                                 "variants": [ { "id": "x", "step": target.any(n) }, { "id": "y", "step": "s0" } ], "holdout": 0.2 }))
                .collect();
            json!({
                "bot": { "name": "Fuzz", "languages": ["en", "es"] },
                "order_number": "#?[0-9]{3,5}",
                "steps": steps,
                "faq": { "entries": [ { "id": "ship", "question": question, "phrasings": ["shipping cost", "return policy"], "answer": "ok" },
                                      { "id": "where", "question": "where is my order", "goto": target.any(n) } ] },
                "triggers": triggers,
            })
        })
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        Just(Input::Opened),
        Just(Input::Closed),
        text().prop_map(Input::Said),
        (0..6usize).prop_map(Input::QuickReply),
        (0..40u64, 0..3usize, 0..3usize).prop_map(|(message, card, button)| Input::CardButton {
            message,
            card,
            button
        }),
        (0..7u8, proptest::option::of(text()))
            .prop_map(|(score, comment)| Input::Rated { score, comment }),
        Just(Input::TeaserDismissed),
        any::<bool>().prop_map(Input::Typing),
        (
            "/[a-z/]{0,10}",
            prop::sample::select(&["en", "es-MX", "", "zz"][..]),
            any::<bool>()
        )
            .prop_map(|(path, lang, visible)| {
                Input::PageView(Page {
                    url: format!("https://s{path}"),
                    path,
                    language: lang.into(),
                    device: Device::Phone,
                    visible,
                })
            }),
        any::<bool>().prop_map(Input::Visibility),
        (any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(top, viewport, height)| {
            Input::Scrolled(flow_runtime::Scroll {
                top,
                viewport,
                height,
            })
        }),
        Just(Input::Activity),
        Just(Input::PointerLeft),
        Just(Input::PointerBack),
        (0..5u32, any::<i64>(), text()).prop_map(|(items, v, name)| Input::CartChanged(Cart {
            items,
            value: flow_runtime::value::Num(v),
            currency: "USD".into(),
            lines: vec![flow_runtime::CartLine {
                name,
                quantity: items
            }],
        })),
        text().prop_map(Input::Custom),
        Just(Input::Tick),
        (0..40u64, 0..3u8, text()).prop_map(|(request, kind, status)| Input::OrderAnswered {
            request,
            answer: match kind {
                0 => OrderAnswer::Found(Order {
                    number: "1".into(),
                    status,
                    items: vec![OrderItem {
                        name: "x".into(),
                        quantity: 2
                    }],
                    ..Order::default()
                }),
                1 => OrderAnswer::NotFound,
                _ => OrderAnswer::Error,
            },
        }),
        (0..40u64, 0..3u8).prop_map(|(request, kind)| Input::HandoffAnswered {
            request,
            answer: match kind {
                0 => HandoffAnswer::Available { token: "t".into() },
                1 => HandoffAnswer::Offline { token: "t".into() },
                _ => HandoffAnswer::Error,
            },
        }),
        (0..40u64, any::<bool>()).prop_map(|(request, ok)| Input::Delivered { request, ok }),
        (0..3u8, text()).prop_map(|(kind, t)| Input::Agent(match kind {
            0 => AgentEvent::Joined {
                event: String::new(),
                name: t
            },
            1 => AgentEvent::Message {
                event: t.clone(),
                name: "A".into(),
                text: t
            },
            _ => AgentEvent::Closed {
                event: String::new()
            },
        })),
    ]
}

/// Runs inputs at increasing random times; every poll ends, and timers move forward.
fn drive(flow: Flow, inputs: &[(Input, u32)]) -> State {
    let mut c = Conversation::new(flow, "fuzz-visitor", Time(1_000_000));
    let mut now = Time(1_000_000);
    for (input, dt) in inputs {
        now = now.plus_millis(u64::from(*dt));
        c.handle_input(input.clone(), now);
        let mut effects = 0;
        loop {
            match c.poll_output() {
                Output::Effect(_) => {
                    effects += 1;
                    assert!(effects < 10_000, "one input produced endless effects");
                }
                Output::Timeout(Some(at)) if at <= now => {
                    // A timer due now must be spent by a tick, not come back forever.
                    c.handle_input(Input::Tick, now);
                    let again = loop {
                        match c.poll_output() {
                            Output::Effect(_) => {}
                            Output::Timeout(t) => break t,
                        }
                    };
                    assert!(
                        again.is_none_or(|t| t > now),
                        "a due timer stays due after a tick"
                    );
                    break;
                }
                Output::Timeout(_) => break,
            }
        }
    }
    c.snapshot().clone()
}

proptest! {

    #[test]
    fn the_faq_matcher_takes_any_text_in_any_language(
        phrasings in prop::collection::vec("\\PC{0,30}", 1..6),
        question in "\\PC{0,60}",
        language in prop::sample::select(vec!["en", "es", "fr", "de", "pt", "it", "nl", "", "es-MX"]),
    ) {
        use flow_runtime::faq::{FaqIndex, Language, Phrasing};
        let phrases: Vec<Phrasing> = phrasings
            .iter()
            .enumerate()
            .map(|(i, t)| Phrasing { entry: (i % 3) as u32, language: language.into(), text: t.clone() })
            .collect();
        let index = FaqIndex::build(&phrases, &[phrasings.clone()]);
        let ranked = index.rank(&question, language, 3);
        prop_assert!(ranked.len() <= 3);
        prop_assert!(ranked.windows(2).all(|w| w[0].confidence >= w[1].confidence));
        for word in flow_runtime::faq::words(&question) {
            let _ = Language::from_code(language).stem(&word);
        }
    }

    #[test]
    fn compiling_any_document_never_panics(doc in document()) {
        let _ = compile_value(&doc);
    }

    #[test]
    fn compiling_any_text_never_panics(source in "\\PC{0,200}") {
        let _ = compile_json(&source);
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        // The header of the current format, so that the bytes reach the decoder.
        let mut with_magic = b"BHF".to_vec();
        with_magic.push(flow_runtime::flow::FORMAT_VERSION);
        with_magic.extend(&bytes);
        for candidate in [&bytes, &with_magic] {
            let _ = Flow::from_bytes(candidate);
        }
    }

    /// Random bytes after the header almost never decode; a real flow with a few bytes
    /// changed, inserted or cut often does, and then it is driven like any other flow:
    /// whatever decodes must run without panicking.
    #[test]
    fn a_damaged_flow_that_still_decodes_runs(
        doc in document(),
        edits in prop::collection::vec((any::<u16>(), any::<u8>(), 0..3u8), 1..4),
        inputs in prop::collection::vec((input(), 0..40_000u32), 1..12),
    ) {
        if let Some(flow) = compile_value(&doc).flow {
            if let Some(damaged) = Flow::from_bytes(&damage(flow.to_bytes(), &edits)).ok() {
                drive(damaged, &inputs);
            }
        }
    }

    #[test]
    fn no_input_sequence_breaks_a_compiled_flow(doc in document(), inputs in prop::collection::vec((input(), 0..40_000u32), 1..40)) {
        if let Some(flow) = compile_value(&doc).flow {
            let bytes = flow.to_bytes();
            let decoded = Flow::from_bytes(&bytes).expect("a compiled flow decodes");
            prop_assert_eq!(&decoded, &flow);
            let state = drive(flow.clone(), &inputs);
            let back = State::from_bytes(&state.to_bytes());
            prop_assert_eq!(back.as_ref(), Some(&state));
            // The state survives storage and a restore, even under another flow.
            let json = serde_json::to_string(&state).unwrap();
            let back: State = serde_json::from_str(&json).unwrap();
            let other = compile_json(r#"{"bot":{"name":"B"},"steps":[{"id":"x","type":"message","text":"hi"}]}"#).flow.unwrap();
            let mut restored = Conversation::restore(other, back, Time(9_000_000_000));
            restored.handle_input(Input::QuickReply(0), Time(9_000_000_001));
            while let Output::Effect(_) = restored.poll_output() {}
        }
    }
}

/// `bytes` with `edits` applied: `(where, byte, kind)`, kind 0 replaces a byte, 1 inserts
/// one, 2 cuts the rest off (never the 4-byte header).
fn damage(mut bytes: Vec<u8>, edits: &[(u16, u8, u8)]) -> Vec<u8> {
    for &(at, byte, kind) in edits {
        let i = 4 + usize::from(at) % bytes.len().saturating_sub(4).max(1);
        match kind {
            0 if i < bytes.len() => bytes[i] = byte,
            1 => bytes.insert(i.min(bytes.len()), byte),
            _ => bytes.truncate(i),
        }
    }
    bytes
}

/// Guards the damaged-flow test: if almost no damaged flow decoded, it would only test
/// the decoder's refusals and never drive one.
#[test]
fn damaged_flows_often_decode_and_are_driven() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let edits = prop::collection::vec((any::<u16>(), any::<u8>(), 0..2u8), 1..3);
    let (mut compiled, mut decoded) = (0, 0);
    for _ in 0..400 {
        let doc = document().new_tree(&mut runner).unwrap().current();
        let Some(flow) = compile_value(&doc).flow else {
            continue;
        };
        compiled += 1;
        let e = edits.new_tree(&mut runner).unwrap().current();
        if let Ok(damaged) = Flow::from_bytes(&damage(flow.to_bytes(), &e)) {
            decoded += 1;
            drive(
                damaged,
                &[
                    (Input::Opened, 1),
                    (Input::Said("hello".into()), 1),
                    (Input::QuickReply(0), 1),
                ],
            );
        }
    }
    eprintln!("{decoded} of {compiled} damaged flows decoded and were driven");
    assert!(
        decoded * 10 >= compiled,
        "only {decoded} of {compiled} damaged flows decoded"
    );
}

/// Guards the generator itself: if too few random documents compiled, the test above
/// would mostly exercise the compiler's error paths and not the engine.
#[test]
fn the_random_documents_often_compile() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let compiled = (0..400)
        .filter(|_| {
            compile_value(&document().new_tree(&mut runner).unwrap().current())
                .flow
                .is_some()
        })
        .count();
    eprintln!("{compiled} of 400 random documents compiled");
    assert!(
        compiled >= 80,
        "only {compiled} of 400 random documents compiled"
    );
}
