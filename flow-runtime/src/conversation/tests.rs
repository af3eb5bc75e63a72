use expect_test::{Expect, expect};

use super::*;

const FLOW: &str = r#"{
  "bot": { "name": "Bella" },
  "start": "welcome",
  "steps": [
    { "id": "welcome", "type": "message", "text": "Hi! How can I help?",
      "quick_replies": [ { "label": "Shipping", "goto": "shipping" },
                         { "label": "Returns", "goto": "returns" } ] },
    { "id": "shipping", "type": "message", "text": "We ship in 2 days.", "next": "more" },
    { "id": "returns", "type": "message", "text": "30 days to return.", "next": "nowhere" },
    { "id": "more", "type": "message", "text": "Anything else?",
      "quick_replies": [ { "label": "Returns", "goto": "returns" } ] },
    { "id": "loop-a", "type": "message", "text": "a", "next": "loop-b" },
    { "id": "loop-b", "type": "message", "text": "b", "next": "loop-a" }
  ]
}"#;

/// Runs `inputs` (one per line: `open`, `close`, `pick N`) and renders every effect.
fn check(flow: &str, inputs: &str, expect: Expect) {
    let flow: Flow = serde_json::from_str(flow).expect("test flow parses");
    let mut conversation = Conversation::new(flow, Time(0));
    let mut transcript = String::new();
    for (t, line) in inputs.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let input = match line.split_once(' ') {
            None if line == "open" => Input::Opened,
            None if line == "close" => Input::Closed,
            Some(("pick", n)) => Input::QuickReplyChosen { index: n.parse().unwrap() },
            _ => panic!("unknown test input {line:?}"),
        };
        transcript.push_str(&format!("> {line}\n"));
        conversation.handle_input(input, Time(t as u64 * 1000));
        while let Output::Effect(effect) = conversation.poll_output() {
            let line = match effect {
                Effect::ShowMessage { from, text } => format!("{from:?}: {text}"),
                Effect::ShowQuickReplies { replies } => {
                    let labels: Vec<_> = replies.into_iter().map(|r| r.label).collect();
                    format!("[{}]", labels.join(" | "))
                }
            };
            transcript.push_str(&line);
            transcript.push('\n');
        }
    }
    expect.assert_eq(&transcript);
}

#[test]
fn opening_shows_the_greeting_once() {
    check(
        FLOW,
        "open\nclose\nopen",
        expect![[r#"
            > open
            Bot: Hi! How can I help?
            [Shipping | Returns]
            > close
            > open
        "#]],
    );
}

#[test]
fn a_quick_reply_echoes_its_label_and_follows_next_steps() {
    check(
        FLOW,
        "open\npick 0\npick 0",
        expect![[r#"
            > open
            Bot: Hi! How can I help?
            [Shipping | Returns]
            > pick 0
            []
            Shopper: Shipping
            Bot: We ship in 2 days.
            Bot: Anything else?
            [Returns]
            > pick 0
            []
            Shopper: Returns
            Bot: 30 days to return.
            Bot: Sorry, I lost my place. Please try again.
        "#]],
    );
}

#[test]
fn stale_quick_reply_indexes_are_ignored() {
    check(
        FLOW,
        "pick 0\nopen\npick 7",
        expect![[r#"
            > pick 0
            > open
            Bot: Hi! How can I help?
            [Shipping | Returns]
            > pick 7
        "#]],
    );
}

#[test]
fn a_loop_of_steps_stops_instead_of_spinning() {
    let flow = FLOW.replace(r#""start": "welcome""#, r#""start": "loop-a""#);
    let flow: Flow = serde_json::from_str(&flow).unwrap();
    let mut conversation = Conversation::new(flow, Time(0));
    conversation.handle_input(Input::Opened, Time(0));
    let mut n = 0;
    while let Output::Effect(_) = conversation.poll_output() {
        n += 1;
    }
    assert_eq!(n, MAX_STEPS_PER_INPUT);
}
