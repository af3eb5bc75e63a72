//! The compact codec against serde: for every payload, what the widget writes is what the
//! server reads, field for field, and what the server writes is what the widget reads.

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::json::{FromJson, Json, ToJson, parse};
use super::*;

/// Text with everything JSON must escape, and more: quotes, backslashes, control
/// characters, a lone `/`, right-to-left text, emoji outside the BMP.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "[\"\\\\/\u{0}-\u{1f}\u{7f}\u{2028}\u{2029}é中ש😀\u{fffd}]{0,12}",
        any::<String>(),
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    prop::option::of(text())
}

fn speaker() -> impl Strategy<Value = Speaker> {
    prop::sample::select(vec![
        Speaker::Bot,
        Speaker::Shopper,
        Speaker::Agent,
        Speaker::System,
    ])
}

fn context() -> impl Strategy<Value = HandoffContext> {
    (
        (text(), text(), text(), any::<u32>(), text(), text()),
        prop::collection::vec(
            (text(), any::<u32>()).prop_map(|(name, quantity)| CartLine { name, quantity }),
            0..3,
        ),
        prop::collection::vec(
            (text(), text(), 0..=1000u16).prop_map(|(entry, question, c)| FaqTry {
                entry,
                question,
                confidence: Confidence(c),
            }),
            0..3,
        ),
        (
            opt_text(),
            opt_text(),
            any::<bool>(),
            prop::sample::select(HandoffReason::ALL),
            any::<u32>(),
            opt_text(),
        ),
    )
        .prop_map(
            |(
                (page_url, language, device, cart_items, cart_value, currency),
                cart_lines,
                faq,
                (trigger, variant, frustrated, reason, visits, email),
            )| HandoffContext {
                page_url,
                language,
                device,
                cart_items,
                cart_value,
                currency,
                cart_lines,
                faq,
                trigger,
                variant,
                frustrated,
                reason,
                visits,
                email,
            },
        )
}

fn handoff() -> impl Strategy<Value = NewHandoff> {
    (
        text(),
        prop::collection::vec(
            (any::<u64>(), speaker(), text()).prop_map(|(at, from, text)| TranscriptLine {
                at,
                from,
                text,
            }),
            0..4,
        ),
        context(),
        opt_text(),
    )
        .prop_map(|(key, transcript, context, flow)| NewHandoff {
            key,
            transcript,
            context,
            flow,
        })
}

fn order() -> impl Strategy<Value = OrderRecord> {
    (
        (text(), prop::sample::select(OrderStatus::ALL), text()),
        prop::collection::vec(
            (text(), any::<u32>()).prop_map(|(name, quantity)| OrderLine { name, quantity }),
            0..3,
        ),
        (opt_text(), opt_text(), opt_text(), opt_text()),
    )
        .prop_map(
            |(
                (number, status, placed_on),
                items,
                (carrier, tracking_url, estimated_delivery, delivered_on),
            )| {
                OrderRecord {
                    number,
                    status,
                    placed_on,
                    items,
                    carrier,
                    tracking_url,
                    estimated_delivery,
                    delivered_on,
                }
            },
        )
}

/// What the widget writes, the server reads as the same value, with the same fields.
fn sent<T: ToJson + Serialize + DeserializeOwned + PartialEq + core::fmt::Debug>(x: &T) {
    let text = x.to_json();
    let read: T = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(&read, x, "{text}");
    let ours: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(ours, serde_json::to_value(x).unwrap(), "the fields differ");
}

/// What the server writes, the widget reads as the same value.
fn received<T: FromJson + Serialize + PartialEq + core::fmt::Debug>(x: &T) {
    let text = serde_json::to_string(x).unwrap();
    assert_eq!(T::from_json(&text).as_ref(), Some(x), "{text}");
    let pretty = serde_json::to_string_pretty(x).unwrap();
    assert_eq!(T::from_json(&pretty).as_ref(), Some(x), "{pretty}");
}

proptest! {
    #[test]
    fn handoffs_reach_the_server_as_sent(h in handoff()) {
        sent(&h);
    }

    #[test]
    fn small_requests_reach_the_server_as_sent(
        a in text(), b in text(), score in any::<u8>(), comment in opt_text()
    ) {
        sent(&OrderLookup { number: a.clone(), email: b.clone() });
        sent(&NewMessage { key: a.clone(), text: b });
        sent(&EmailChange { email: a });
        sent(&NewRating { score, comment });
    }

    #[test]
    fn insights_reach_the_server_as_sent(
        a in text(), b in text(), c in opt_text(), n in any::<u32>(), score in any::<u8>(),
        words in prop::collection::vec(text(), 0..4),
    ) {
        sent(&InsightsBatch {
            id: a.clone(),
            flow: b.clone(),
            fingerprint: a.clone(),
            visitor_day: c,
            conversations: n,
            faq: vec![FaqTally { entry: a.clone(), answered: n, unsure: 1, missed: 0, unhelpful: 2 }],
            questions: QuestionKind::ALL.iter().map(|&kind| AskedQuestion { kind, text: a.clone(), entries: words.clone(), language: a.chars().take(35).collect() }).collect(),
            triggers: vec![TriggerTally { trigger: a.clone(), variant: b.clone(), shown: n, dismissed: 2, converted: 3, held_out: 4 }],
            added_to_cart: n,
            order_lookups: 1,
            handoffs: HandoffReason::ALL.iter().map(|&name| HandoffCount { name, count: n }).collect(),
            ratings: vec![RatingTally { score, scale: 5 }],
        });
        sent(&InsightsBatch::default());
    }

    #[test]
    fn answers_reach_the_widget_as_written(o in order(), a in text(), b in text(), c in text()) {
        let found = OrderFound { order: o };
        received(&found);
        received(&HandoffAccepted { token: a.clone(), status: Availability::Available });
        received(&HandoffAccepted { token: a.clone(), status: Availability::Offline });
        received(&AgentJoined { name: a.clone() });
        received(&AgentMessage { id: a.clone(), name: b.clone(), text: c });
        received(&ErrorBody { error: ErrorDetail { code: a, message: b } });
    }

    #[test]
    fn the_reader_never_panics(bytes in any::<String>()) {
        let _ = parse(&bytes);
    }
}

#[test]
fn confidence_is_a_fraction_on_the_wire() {
    for n in [0, 1, 5, 10, 99, 100, 830, 999, 1000] {
        let c = Confidence(n);
        assert_eq!(c.to_json(), serde_json::to_string(&c).unwrap(), "{n}");
        assert_eq!(serde_json::from_str::<Confidence>(&c.to_json()).unwrap(), c);
    }
    assert_eq!(Confidence(830).to_json(), "0.83");
    assert!(serde_json::from_str::<Confidence>("1.5").is_err());
    assert_eq!(Confidence(834).percent(), 83);
}

#[test]
fn the_server_reads_what_older_widgets_left_out() {
    // A context with missing fields (an older widget) still reads.
    let h: NewHandoff =
        serde_json::from_str(r#"{"key":"k","transcript":[],"context":{"page_url":"/"}}"#).unwrap();
    assert_eq!(h.context.page_url, "/");
    let h: NewHandoff = serde_json::from_str(r#"{"key":"k","transcript":[]}"#).unwrap();
    assert_eq!(h.context, HandoffContext::default());
}

#[test]
fn the_reader_refuses_what_is_not_json() {
    for bad in [
        "",
        "{",
        "[1,]",
        "{\"a\"}",
        "{\"a\":1,}",
        "nul",
        "\"\\x\"",
        "\"a\u{1}\"",
        "01x",
        "[1] 2",
        "\"\\ud83d\"",
    ] {
        assert_eq!(parse(bad), None, "{bad:?}");
    }
    let deep = "[".repeat(100) + &"]".repeat(100);
    assert_eq!(parse(&deep), None, "too deep");
    assert_eq!(
        parse(" {\"a\": [1, -2, 3.5e2, true, null, \"\\u00e9\\ud83d\\ude00\"]} "),
        Some(Json::Object(vec![(
            "a".into(),
            Json::Array(vec![
                Json::Number(1),
                Json::Number(-2),
                Json::Number(3),
                Json::Bool(true),
                Json::Null,
                Json::String("é😀".into()),
            ])
        )]))
    );
}

#[test]
fn an_agent_message_reads_without_its_own_id() {
    // The stream's event id is the cursor; a relay that drops the payload's id loses nothing.
    let m = AgentMessage::from_json(r#"{"name":"Sam","text":"Hello"}"#).unwrap();
    assert_eq!(
        (m.id.as_str(), m.name.as_str(), m.text.as_str()),
        ("", "Sam", "Hello")
    );
    let s: AgentMessage = serde_json::from_str(r#"{"name":"Sam","text":"Hello"}"#).unwrap();
    assert_eq!(s, m);
    assert_eq!(
        AgentMessage::from_json(r#"{"id":"3","text":"Hello"}"#),
        None,
        "a name is required"
    );
}
