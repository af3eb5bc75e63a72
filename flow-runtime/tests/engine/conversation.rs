//! Messages, quick replies, asking, branching, FAQ and escalation.

use expect_test::expect;
use flow_runtime::Announcement;

use super::check;

const SHOP: &str = r##"{
  "bot": { "name": "Fern" },
  "variables": { "name": "" },
  "order_number": "#?[0-9]{5}",
  "steps": [
    { "id": "welcome", "type": "message", "text": "Hi {{name|there}}! **How** can I help?",
      "quick_replies": [ { "label": "Shipping", "goto": "shipping" },
                         { "label": "Size help", "goto": "ask-size" },
                         { "label": "Returns", "faq": "returns" },
                         { "label": "Our blog", "url": "https://blog.example/" } ] },
    { "id": "shipping", "type": "message", "text": "We ship in *2 days*.", "next": "more" },
    { "id": "more", "type": "message", "text": "Anything else?",
      "quick_replies": [ { "label": "Returns", "faq": "returns" }, { "label": "Talk to a person", "handoff": true } ] },
    { "id": "ask-size", "type": "ask", "text": "What size do you usually wear?", "var": "size",
      "expect": "choice", "choices": ["S", "M", "L"], "max_retries": 1, "on_fail": "size-fail", "next": "size-route" },
    { "id": "size-route", "type": "condition",
      "branches": [ { "when": { "size": "L", "cart.items": { "gte": 1 } }, "goto": "size-large-cart" },
                    { "when": { "any": [ { "size": "S" }, { "size": "M" } ] }, "goto": "size-small" } ],
      "otherwise": "size-large" },
    { "id": "size-small", "type": "message", "text": "Take your usual {{size}}." },
    { "id": "size-large", "type": "message", "text": "Size {{size}} runs big." },
    { "id": "size-large-cart", "type": "message", "text": "Size {{size}} runs big; check your cart." },
    { "id": "size-fail", "type": "message", "text": "No worries, our size chart is at [sizes](/sizes)." },
    { "id": "ask-email", "type": "ask", "text": "Your email?", "var": "email", "expect": "email", "next": "thanks" },
    { "id": "thanks", "type": "end", "text": "Thanks, {{email}}!" },
    { "id": "handoff", "type": "handoff", "text": "Let me get someone.", "available": "human-soon", "offline": "ask-email", "error": "handoff-error" },
    { "id": "human-soon", "type": "message", "text": "A person will be with you shortly." },
    { "id": "handoff-error", "type": "message", "text": "I could not reach the team." }
  ],
  "faq": {
    "answer_threshold": 0.45,
    "suggest_threshold": 0.3,
    "entries": [
      { "id": "returns", "question": "How do returns work?", "phrasings": ["return an item", "send something back", "refund policy"],
        "answer": "You have **30 days** to return unworn items." },
      { "id": "shipping-cost", "question": "How much is shipping?", "phrasings": ["shipping price", "delivery cost", "postage fees"],
        "answer": { "text": "Free over $75.", "quick_replies": [ { "label": "Express?", "goto": "shipping" } ] } },
      { "id": "shipping-abroad", "question": "Do you ship abroad?", "phrasings": ["international shipping", "ship to canada"],
        "answer": "We ship to Canada and the EU." }
    ]
  }
}"##;

#[test]
fn the_greeting_runs_once_with_its_quick_replies() {
    check(
        SHOP,
        "open\nclose\nopen",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > close
              · closed
            > open
              · opened
        "#]],
    );
}

#[test]
fn quick_replies_echo_the_choice_and_follow_the_flow() {
    check(
        SHOP,
        "open\npick Shipping\npick Returns\nopen\npick 9",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > pick Shipping
              shopper: Shipping
              · quick_reply label=Shipping action=goto target=shipping
              Fern: We ship in 2 days.
              Fern: Anything else?
              [Returns] [Talk to a person]
            > pick Returns
              shopper: Returns
              · quick_reply label=Returns action=faq target=returns
              · faq_answered entry=returns confidence=1
              Fern: You have 30 days to return unworn items.
              (did this help? yes / no)
            > open
            > pick 9
        "#]],
    );
}

#[test]
fn a_stale_quick_reply_is_ignored() {
    let mut driver = flow_authoring::testing::Driver::new(super::flow(SHOP));
    super::run(&mut driver, "open\npick Shipping");
    let before = driver.transcript.len();
    // Index 3 ("Our blog") was on the first menu, not on the current one.
    driver.input(flow_runtime::Input::QuickReply(7));
    driver.input(flow_runtime::Input::QuickReply(usize::MAX));
    assert_eq!(driver.transcript.len(), before);
}

#[test]
fn asking_validates_reprompts_and_gives_up_politely() {
    check(
        SHOP,
        "open\npick Size help\nsay XXL\nsay huge\nopen",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > pick Size help
              shopper: Size help
              · quick_reply label=Size help action=goto target=ask-size
              Fern: What size do you usually wear?
              [S] [M] [L]
            > say XXL
              shopper: XXL
              Fern: Please pick one of the options.
              [S] [M] [L]
            > say huge
              shopper: huge
              · ask_failed step=ask-size
              Fern: No worries, our size chart is at sizes.
            > open
        "#]],
    );
}

#[test]
fn conditions_branch_on_answers_and_the_cart() {
    check(
        SHOP,
        "cart 2 59.90\nopen\npick Size help\npick L",
        expect![[r#"
            > cart 2 59.9
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > pick Size help
              shopper: Size help
              · quick_reply label=Size help action=goto target=ask-size
              Fern: What size do you usually wear?
              [S] [M] [L]
            > pick L
              shopper: L
              · quick_reply label=L action=answer target=L
              Fern: Size L runs big; check your cart.
        "#]],
    );
    check(
        SHOP,
        "open\npick Size help\nsay m",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > pick Size help
              shopper: Size help
              · quick_reply label=Size help action=goto target=ask-size
              Fern: What size do you usually wear?
              [S] [M] [L]
            > say m
              shopper: m
              Fern: Take your usual M.
        "#]],
    );
}

#[test]
fn markup_and_variables_are_text_never_html() {
    let flow = SHOP.replace(
        "Hi {{name|there}}!",
        "Hi {{name|there}} <img src=x onerror=alert(1)>!",
    );
    let mut driver = flow_authoring::testing::Driver::new(super::flow(&flow));
    super::run(
        &mut driver,
        "open\npick Size help\nsay <script>alert(1)</script>",
    );
    expect![[r#"
        > open
          · opened
          Fern: Hi there <img src=x onerror=alert(1)>! How can I help?
          [Shipping] [Size help] [Returns] [Our blog]
        > pick Size help
          shopper: Size help
          · quick_reply label=Size help action=goto target=ask-size
          Fern: What size do you usually wear?
          [S] [M] [L]
        > say <script>alert(1)</script>
          shopper: <script>alert(1)</script>
          Fern: Please pick one of the options.
          [S] [M] [L]
    "#]]
    .assert_eq(&(driver.transcript.join("\n") + "\n"));
}

#[test]
fn free_text_gets_an_answer_a_did_you_mean_or_the_fallback() {
    check(
        SHOP,
        "open\nsay what is your refund policy\nsay shipping info\npick How much is shipping?\nsay blorp\nsay zzzz qqq\npick No, thanks",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > say what is your refund policy
              shopper: what is your refund policy
              · faq_answered entry=returns confidence=0.6 question=what is your refund policy
              Fern: You have 30 days to return unworn items.
              (did this help? yes / no)
            > say shipping info
              shopper: shipping info
              · faq_unsure entries=shipping-cost confidences=0.387 question=shipping info language=en
              Fern: Did you mean: / - How much is shipping?
              [How much is shipping?] [None of these]
            > pick How much is shipping?
              shopper: How much is shipping?
              · quick_reply label=How much is shipping? action=faq target=shipping-cost
              · faq_answered entry=shipping-cost confidence=1
              Fern: Free over $75.
              [Express?]
              (did this help? yes / no)
            > say blorp
              shopper: blorp
              · faq_missed entries=returns,shipping-abroad confidences=0.013,0.011 question=blorp language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
            > say zzzz qqq
              shopper: zzzz qqq
              · faq_missed entries= confidences= question=zzzz qqq language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
              · human_offered reason=missed
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
            > pick No, thanks
              shopper: No, thanks
              · quick_reply label=No, thanks action=decline target=
              Fern: Alright! Ask me anything else.
        "#]],
    );
}

#[test]
fn asking_for_a_person_or_sounding_frustrated_offers_one() {
    check(
        SHOP,
        "open\nsay can I talk to a real person\npick Yes, connect me\nhandoff available",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > say can I talk to a real person
              shopper: can I talk to a real person
              · human_offered reason=asked
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
            > pick Yes, connect me
              shopper: Yes, connect me
              · quick_reply label=Yes, connect me action=handoff target=
              Fern: Let me get someone.
              → hand off (asked): 5 lines of transcript
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=asked
            > handoff available
              (handoff: a person will join)
              · handoff result=available
              Fern: A person will be with you shortly.
        "#]],
    );
    // The handoff carries why a person was offered: the server and the insights page
    // never guess it again. Declining forgets it.
    check(
        SHOP,
        "open\nsay blorp\nsay zzzz qqq\npick Yes, connect me",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > say blorp
              shopper: blorp
              · faq_missed entries=returns,shipping-abroad confidences=0.013,0.011 question=blorp language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
            > say zzzz qqq
              shopper: zzzz qqq
              · faq_missed entries= confidences= question=zzzz qqq language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
              · human_offered reason=missed
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
            > pick Yes, connect me
              shopper: Yes, connect me
              · quick_reply label=Yes, connect me action=handoff target=
              Fern: Let me get someone.
              → hand off (missed): 8 lines of transcript
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=missed
        "#]],
    );
    check(
        SHOP,
        "open\nsay this is USELESS!!!\npick No, thanks\nsay can I talk to a real person\npick Yes, connect me",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > say this is USELESS!!!
              shopper: this is USELESS!!!
              · faq_missed entries=shipping-cost,returns confidences=0.139,0.024 question=this is USELESS!!! language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
              · human_offered reason=frustrated
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
            > pick No, thanks
              shopper: No, thanks
              · quick_reply label=No, thanks action=decline target=
              Fern: Alright! Ask me anything else.
            > say can I talk to a real person
              shopper: can I talk to a real person
              · human_offered reason=asked
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
            > pick Yes, connect me
              shopper: Yes, connect me
              · quick_reply label=Yes, connect me action=handoff target=
              Fern: Let me get someone.
              → hand off (asked): 10 lines of transcript, frustrated
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=asked
        "#]],
    );
    check(
        SHOP,
        "open\nsay this is USELESS!!!",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > say this is USELESS!!!
              shopper: this is USELESS!!!
              · faq_missed entries=shipping-cost,returns confidences=0.139,0.024 question=this is USELESS!!! language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
              · human_offered reason=frustrated
              Fern: Would you like to talk to a person from our team?
              [Yes, connect me] [No, thanks]
        "#]],
    );
}

#[test]
fn order_numbers_and_emails_in_messages_become_variables() {
    let mut driver = flow_authoring::testing::Driver::new(super::flow(SHOP));
    super::run(
        &mut driver,
        "open\nsay my order #10493 never came, I'm ana@example.com",
    );
    assert_eq!(
        driver
            .conversation()
            .var("order_number")
            .map(|v| v.to_text())
            .as_deref(),
        Some("#10493")
    );
    assert_eq!(
        driver
            .conversation()
            .var("email")
            .map(|v| v.to_text())
            .as_deref(),
        Some("ana@example.com")
    );
}

#[test]
fn a_loop_of_steps_stops_instead_of_spinning() {
    // The compiler refuses such a flow; a hand-made one must still not hang the shopper.
    let mut flow = super::flow(SHOP);
    let shipping = flow.step_index("shipping").unwrap();
    let more = flow.step_index("more").unwrap();
    flow.steps[more as usize].kind = flow_runtime::flow::StepKind::Goto(shipping);
    let mut driver = flow_authoring::testing::Driver::new(flow);
    super::run(&mut driver, "open\npick Shipping");
    let said = driver
        .transcript
        .iter()
        .filter(|l| l.contains("We ship"))
        .count();
    assert_eq!(said, flow_runtime::MAX_STEPS_PER_INPUT / 2);
}

#[test]
fn the_faq_can_be_prepared_ahead_of_the_first_question_once() {
    let c = flow_runtime::Conversation::new(super::flow(SHOP), "visitor", flow_runtime::Time(1));
    assert!(c.prepare_faq(), "the first call builds the model");
    assert!(!c.prepare_faq(), "later calls find it built");
}

#[test]
fn every_event_carries_the_conversation_and_questions_leave_out_emails_and_orders() {
    use flow_runtime::{Effect, Input, Prop};
    let flow = super::flow(SHOP);
    let mut c = flow_runtime::Conversation::new(flow, "visitor-1", flow_runtime::Time(1));
    let mut events = Vec::new();
    for (t, input) in [
        Input::Opened,
        Input::Said("where is my order #10234? ana@example.com, call +1 555 010 2030".into()),
        Input::Said("what is your refund policy".into()),
        Input::QuickReply(0),
    ]
    .into_iter()
    .enumerate()
    {
        c.handle_input(input, flow_runtime::Time(10 + t as u64));
        while let flow_runtime::Output::Effect(e) = c.poll_output() {
            if let Effect::Announce(Announcement::Track(track)) = e {
                events.push(track);
            }
        }
    }
    assert!(events.len() >= 3, "{events:?}");
    let id = |t: &flow_runtime::Track| {
        t.props
            .iter()
            .find(|(k, _)| k == "conversation")
            .map(|(_, v)| v.to_string())
    };
    let first = id(&events[0]).expect("a conversation id");
    assert_eq!(first.len(), 16);
    assert!(events.iter().all(|e| id(e).as_deref() == Some(&first)));
    let questions: Vec<String> = events
        .iter()
        .flat_map(|e| e.props.iter())
        .filter(|(k, _)| k == "question")
        .map(|(_, v)| v.to_string())
        .collect();
    assert!(!questions.is_empty());
    for q in &questions {
        assert!(
            !q.contains("10234") && !q.contains('@') && !q.contains("555"),
            "{q}"
        );
    }
    let answered = events.iter().find(|e| e.name == "faq_answered").unwrap();
    assert!(
        answered
            .props
            .iter()
            .any(|(k, v)| k == "confidence"
                && matches!(v, Prop::Number(n) if n.0 > 0 && n.0 <= 1000))
    );
}

/// A flow without a handoff step has no person to offer: asking for one, missing twice or
/// sounding frustrated never offers "connect me" (whose yes would lead nowhere); the words
/// go to the FAQ, whose contact entry answers them.
#[test]
fn a_flow_without_a_handoff_step_never_offers_a_person() {
    const NO_PERSON: &str = r##"{
      "bot": { "name": "Fern" },
      "steps": [ { "id": "welcome", "type": "message", "text": "Hi!" } ],
      "faq": { "entries": [
        { "id": "contact", "question": "How can I contact you?",
          "phrasings": ["talk to someone", "talk to a person", "customer service", "phone number"],
          "answer": "Write to us at help@example.com." } ] }
    }"##;
    check(
        NO_PERSON,
        "open\nsay can I talk to a real person\nsay blorp\nsay zzzz qqq\nsay this is USELESS!!!",
        expect![[r#"
            > open
              · opened
              Fern: Hi!
            > say can I talk to a real person
              shopper: can I talk to a real person
              · faq_answered entry=contact confidence=0.57 question=can I talk to a real person
              Fern: Write to us at help@example.com.
              (did this help? yes / no)
            > say blorp
              shopper: blorp
              · faq_missed entries= confidences= question=blorp language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
            > say zzzz qqq
              shopper: zzzz qqq
              · faq_missed entries= confidences= question=zzzz qqq language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
            > say this is USELESS!!!
              shopper: this is USELESS!!!
              · faq_missed entries=contact confidences=0.022 question=this is USELESS!!! language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
        "#]],
    );
}

/// "Did this help?" follows an FAQ answer; the shopper's answer is counted with the
/// question (for the merchant's insights), and a "no" gets a way forward. Doing anything
/// else takes the question away.
#[test]
fn did_this_help_after_an_faq_answer() {
    check(
        SHOP,
        "open\nsay what is your refund policy\nhelpful no\nsay how much is shipping\nhelpful yes\nsay what is your refund policy\nsay blorp\nhelpful no",
        expect![[r#"
            > open
              · opened
              Fern: Hi there! How can I help?
              [Shipping] [Size help] [Returns] [Our blog]
            > say what is your refund policy
              shopper: what is your refund policy
              · faq_answered entry=returns confidence=0.6 question=what is your refund policy
              Fern: You have 30 days to return unworn items.
              (did this help? yes / no)
            > helpful no
              · faq_feedback entry=returns helpful=no question=what is your refund policy language=en
              Fern: Thanks for telling us. Try asking it another way, or ask for a person.
              [Talk to a person]
            > say how much is shipping
              shopper: how much is shipping
              · faq_answered entry=shipping-cost confidence=1 question=how much is shipping
              Fern: Free over $75.
              [Express?]
              (did this help? yes / no)
            > helpful yes
              · faq_feedback entry=shipping-cost helpful=yes question=how much is shipping language=en
            > say what is your refund policy
              shopper: what is your refund policy
              · faq_answered entry=returns confidence=0.6 question=what is your refund policy
              Fern: You have 30 days to return unworn items.
              (did this help? yes / no)
            > say blorp
              shopper: blorp
              · faq_missed entries=returns,shipping-abroad confidences=0.013,0.011 question=blorp language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
            > helpful no
        "#]],
    );
}
