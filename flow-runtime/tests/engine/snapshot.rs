//! Snapshots: a conversation survives page loads, and flow updates, without crashing.

use expect_test::expect;
use flow_runtime::View;

use super::{flow, run};
use flow_authoring::testing::{Driver, START};
use flow_runtime::{Conversation, Effect, Output, State};

const FLOW: &str = r##"{
  "bot": { "name": "Fern" },
  "steps": [
    { "id": "welcome", "type": "message", "text": "Hi!", "quick_replies": [ { "label": "Size help", "goto": "ask-size" } ] },
    { "id": "ask-size", "type": "ask", "text": "Your size?", "var": "size", "expect": "choice", "choices": ["S", "M", "L"], "next": "done" },
    { "id": "done", "type": "message", "text": "Size {{size}} it is." }
  ]
}"##;

fn snapshot_after(script: &str) -> State {
    let mut driver = Driver::new(flow(FLOW));
    run(&mut driver, script);
    let json = serde_json::to_string(driver.conversation().snapshot()).unwrap();
    serde_json::from_str(&json).unwrap()
}

fn replay(conversation: &mut Conversation) -> Vec<String> {
    let mut out = Vec::new();
    while let Output::Effect(e) = conversation.poll_output() {
        match e {
            Effect::View(View::ShowMessage(m)) => out.push(format!(
                "{:?}: {}",
                m.from,
                flow_authoring::testing::message_text(&m)
            )),
            Effect::View(View::SetQuickReplies(q)) if !q.is_empty() => out.push(format!(
                "[{}]",
                q.iter()
                    .map(|b| b.label.as_str())
                    .collect::<Vec<_>>()
                    .join("] [")
            )),
            Effect::View(View::OpenPanel) => out.push("(panel open)".into()),
            _ => {}
        }
    }
    out
}

#[test]
fn a_reload_in_the_middle_of_a_question_resumes_exactly() {
    let state = snapshot_after("open\npick Size help");
    let mut restored = Conversation::restore(flow(FLOW), state, START);
    expect![[r#"
        [
            "Bot: Hi!",
            "Shopper: Size help",
            "Bot: Your size?",
            "[S] [M] [L]",
            "(panel open)",
        ]
    "#]]
    .assert_debug_eq(&replay(&mut restored));
    restored.handle_input(flow_runtime::Input::Said("m".into()), START);
    assert!(replay(&mut restored).contains(&"Bot: Size M it is.".to_owned()));
}

#[test]
fn an_edited_flow_keeps_the_conversation_when_its_steps_still_exist() {
    let state = snapshot_after("open\npick Size help");
    let edited = flow(&FLOW.replace("Size {{size}} it is.", "Great, size {{size}}!"));
    let mut restored = Conversation::restore(edited, state, START);
    replay(&mut restored);
    restored.handle_input(flow_runtime::Input::QuickReply(2), START);
    assert!(replay(&mut restored).contains(&"Bot: Great, size L!".to_owned()));
}

#[test]
fn a_flow_without_the_current_step_restarts_politely() {
    let state = snapshot_after("open\npick Size help");
    let rewritten = flow(
        r#"{ "bot": { "name": "Fern" }, "steps": [ { "id": "hello", "type": "message", "text": "Hello again!" } ] }"#,
    );
    let mut restored = Conversation::restore(rewritten, state, START);
    expect![[r#"
        [
            "Bot: Hi!",
            "Shopper: Size help",
            "Bot: Your size?",
            "System: This assistant was just updated, so we’re starting over.",
            "Bot: Hello again!",
            "(panel open)",
        ]
    "#]]
    .assert_debug_eq(&replay(&mut restored));
    // Old quick replies are gone: choosing one does nothing.
    restored.handle_input(flow_runtime::Input::QuickReply(0), START);
    assert!(replay(&mut restored).is_empty());
}

#[test]
fn a_snapshot_from_another_version_starts_afresh_for_the_same_visitor() {
    let mut state = snapshot_after("open\npick Size help");
    state.version += 1;
    let restored = Conversation::restore(flow(FLOW), state, START);
    assert_eq!(restored.snapshot().visitor.id, "visitor-1");
    assert!(restored.snapshot().chat.messages.is_empty());
}

#[test]
fn snapshots_round_trip_through_json_and_the_binary_form() {
    let state = snapshot_after("open\npick Size help\nsay L");
    let json = serde_json::to_value(&state).unwrap();
    assert_eq!(json["version"], flow_runtime::SNAPSHOT_VERSION);
    let back = State::from_bytes(&state.to_bytes()).unwrap();
    assert_eq!(back, state);
    assert_eq!(State::from_bytes(b"not a snapshot"), None);
}

/// A snapshot written before the reason a person was offered was kept (it ends one byte
/// sooner) still reads, with the reason `asked`: an upgrade loses no conversation.
#[test]
fn a_snapshot_from_before_the_offer_reason_still_reads() {
    let mut state = snapshot_after("open\npick Size help");
    state.chat.offered_for = flow_runtime::OfferedFor(flow_runtime::wire::HandoffReason::Missed);
    let bytes = state.to_bytes();
    assert_eq!(State::from_bytes(&bytes).as_ref(), Some(&state));
    let older = &bytes[..bytes.len() - 1];
    let read = State::from_bytes(older).expect("an older snapshot reads");
    assert_eq!(read.chat.offered_for, flow_runtime::OfferedFor::default());
    assert_eq!(read.chat.messages, state.chat.messages);
    // A reason that is no reason is refused like any other bad byte.
    let mut bad = bytes.clone();
    *bad.last_mut().unwrap() = 9;
    assert_eq!(State::from_bytes(&bad), None);
}
