//! Order lookups, handoff to a person, the live conversation and the rating.

use expect_test::expect;
use flow_runtime::{Request, View};

use super::check;

const STORE: &str = r##"{
  "bot": { "name": "Fern" },
  "order_number": "#?[0-9]{5}",
  "steps": [
    { "id": "welcome", "type": "message", "text": "Hi!",
      "quick_replies": [ { "label": "Track my order", "goto": "ask-number" }, { "label": "Talk to a person", "handoff": true } ] },
    { "id": "ask-number", "type": "ask", "text": "Your order number?", "var": "order_number", "expect": "order_number", "next": "ask-email" },
    { "id": "ask-email", "type": "ask", "text": "And the email you ordered with?", "var": "email", "expect": "email", "next": "lookup" },
    { "id": "lookup", "type": "order_lookup", "text": "One moment…", "found": "found", "not_found": "not-found", "error": "lookup-error" },
    { "id": "found", "type": "message", "text": "Order {{order.number}} is **{{order.status}}**: {{order.items}}. [Track it]({{order.tracking_url}})", "show_order": true },
    { "id": "not-found", "type": "message", "text": "I could not find that order.",
      "quick_replies": [ { "label": "Try again", "goto": "ask-number" }, { "label": "Talk to a person", "handoff": true } ] },
    { "id": "lookup-error", "type": "message", "text": "Our order system is not answering; try again soon." },
    { "id": "handoff", "type": "handoff", "text": "Connecting you…", "available": "soon", "offline": "offline", "error": "handoff-error" },
    { "id": "soon", "type": "message", "text": "Someone will join in a moment." },
    { "id": "offline", "type": "ask", "text": "We're away. Your email, so we can reply?", "var": "email", "expect": "email", "next": "send-email" },
    { "id": "send-email", "type": "handoff_email", "next": "promised", "error": "handoff-error" },
    { "id": "promised", "type": "end", "text": "Thanks! We'll email {{email}} within a day." },
    { "id": "handoff-error", "type": "message", "text": "I could not reach the team. Please email help@shop.example." },
    { "id": "rate", "type": "csat", "text": "How did we do?", "scale": "five", "comment": true, "next": "bye" },
    { "id": "bye", "type": "end", "text": "Thank you!" }
  ],
  "escalation": { "after_handoff": "rate" }
}"##;

#[test]
fn an_order_is_looked_up_with_what_the_shopper_gave() {
    let mut driver = flow_authoring::testing::Driver::new(super::flow(STORE));
    driver.orders = vec![flow_authoring::testing::FixtureOrder {
        number: "10493".into(),
        email: "ana@example.com".into(),
        status: "shipped".into(),
        items: vec![flow_authoring::testing::FixtureItem {
            name: "Trail Runner".into(),
            quantity: 2,
        }],
        carrier: Some("UPS".into()),
        tracking_url: Some("https://ups.example/track/1Z999".into()),
        estimated_delivery: Some("2026-11-05".into()),
    }];
    super::run(
        &mut driver,
        "open\npick Track my order\nsay it's 1234\nsay #10493\nsay ana@example\nsay ANA@example.com\norder fixture",
    );
    expect![[r#"
        > open
          · opened
          Fern: Hi!
          [Track my order] [Talk to a person]
        > pick Track my order
          shopper: Track my order
          · quick_reply label=Track my order action=goto target=ask-number
          Fern: Your order number?
        > say it's 1234
          shopper: it's 1234
          Fern: That doesn’t look right. Could you check it?
        > say #10493
          shopper: #10493
          Fern: And the email you ordered with?
        > say ana@example
          shopper: ana@example
          Fern: That doesn’t look like an email address. Could you check it?
        > say ANA@example.com
          shopper: ANA@example.com
          Fern: One moment…
          → look up order 10493 for ana@example.com
          (composer waits: Looking up your order…)
        > order fixture
          · order_lookup result=found
          Fern: Order 10493 is shipped: 2 × Trail Runner. Track it
            [order 10493 · shipped]
    "#]]
    .assert_eq(&(driver.transcript.join("\n") + "\n"));
    let found = driver.recent.iter().find_map(|e| match e {
        flow_runtime::Effect::View(View::ShowMessage(m)) if m.order.is_some() => Some(m.clone()),
        _ => None,
    });
    let message = found.expect("the order card is shown");
    let link = message
        .text
        .iter()
        .flat_map(|b| match b {
            flow_runtime::BlockView::Paragraph(spans) => spans.clone(),
            _ => Vec::new(),
        })
        .find(|s| s.href.is_some())
        .expect("a link");
    assert_eq!(
        link.href.as_deref(),
        Some("https://ups.example/track/1Z999")
    );
    assert_eq!(message.order.unwrap().carrier.as_deref(), Some("UPS"));
}

#[test]
fn unknown_orders_and_server_errors_have_their_own_branches() {
    check(
        STORE,
        "open\npick Track my order\nsay 10493\nsay ana@example.com\norder not_found\npick Try again\nsay 10494\nsay ana@example.com\norder error",
        expect![[r#"
            > open
              · opened
              Fern: Hi!
              [Track my order] [Talk to a person]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: Your order number?
            > say 10493
              shopper: 10493
              Fern: And the email you ordered with?
            > say ana@example.com
              shopper: ana@example.com
              Fern: One moment…
              → look up order 10493 for ana@example.com
              (composer waits: Looking up your order…)
            > order not_found
              · order_lookup result=not_found
              Fern: I could not find that order.
              [Try again] [Talk to a person]
            > pick Try again
              shopper: Try again
              · quick_reply label=Try again action=goto target=ask-number
              Fern: Your order number?
            > say 10494
              shopper: 10494
              Fern: And the email you ordered with?
            > say ana@example.com
              shopper: ana@example.com
              Fern: One moment…
              → look up order 10494 for ana@example.com
              (composer waits: Looking up your order…)
            > order error
              · order_lookup result=error
              Fern: Our order system is not answering; try again soon.
        "#]],
    );
}

#[test]
fn a_live_handoff_carries_messages_both_ways_and_ends_with_a_rating() {
    check(
        STORE,
        "open\npick Talk to a person\nhandoff available\nsay hello?\nagent joins Alex\nagent says Alex: Hi, I'm Alex. How can I help?\nsay my parcel is late\nagent closes\nrate 5 Alex was great\ndelivered ok",
        expect![[r#"
            > open
              · opened
              Fern: Hi!
              [Track my order] [Talk to a person]
            > pick Talk to a person
              shopper: Talk to a person
              · quick_reply label=Talk to a person action=handoff target=
              Fern: Connecting you…
              → hand off (asked): 3 lines of transcript
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=asked
            > handoff available
              (handoff: a person will join)
              · handoff result=available
              Fern: Someone will join in a moment.
            > say hello?
              shopper: hello?
              → to the agent: hello?
            > agent joins Alex
              (handoff: Alex joined)
              ·: Alex joined the conversation
            > agent says Alex: Hi, I'm Alex. How can I help?
              Alex: Hi, I'm Alex. How can I help?
            > say my parcel is late
              shopper: my parcel is late
              → to the agent: my parcel is late
            > agent closes
              (handoff: closed)
              ·: The conversation was closed. Thank you!
              Fern: How did we do?
              (rating asked: 1 out of 5=1, 2 out of 5=2, 3 out of 5=3, 4 out of 5=4, 5 out of 5=5 with comment)
            > rate 5 Alex was great
              · csat score=5 scale=5
              → rating 5: Alex was great
              Fern: Thank you!
            > delivered ok
        "#]],
    );
}

#[test]
fn offline_handoffs_collect_an_email_and_promise_a_reply() {
    check(
        STORE,
        "open\npick Talk to a person\nhandoff offline\nsay ana@example.com\ndelivered ok",
        expect![[r#"
            > open
              · opened
              Fern: Hi!
              [Track my order] [Talk to a person]
            > pick Talk to a person
              shopper: Talk to a person
              · quick_reply label=Talk to a person action=handoff target=
              Fern: Connecting you…
              → hand off (asked): 3 lines of transcript
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=asked
            > handoff offline
              (handoff: offline, reply by email)
              · handoff result=offline
              Fern: We're away. Your email, so we can reply?
            > say ana@example.com
              shopper: ana@example.com
              → email for the team: ana@example.com
              (composer waits: Sending…)
            > delivered ok
              Fern: Thanks! We'll email ana@example.com within a day.
        "#]],
    );
}

#[test]
fn a_failed_handoff_tells_the_shopper_what_to_do() {
    check(
        STORE,
        "open\npick Talk to a person\nhandoff error\nsay still there?",
        expect![[r#"
            > open
              · opened
              Fern: Hi!
              [Track my order] [Talk to a person]
            > pick Talk to a person
              shopper: Talk to a person
              · quick_reply label=Talk to a person action=handoff target=
              Fern: Connecting you…
              → hand off (asked): 3 lines of transcript
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=asked
            > handoff error
              · handoff result=error
              Fern: I could not reach the team. Please email help@shop.example.
            > say still there?
              shopper: still there?
              · faq_missed entries= confidences= question=still there? language=en
              Fern: Sorry, I didn’t understand that. Could you say it another way?
        "#]],
    );
}

#[test]
fn late_or_duplicate_server_answers_are_ignored() {
    let mut driver = flow_authoring::testing::Driver::new(super::flow(STORE));
    super::run(
        &mut driver,
        "open\npick Talk to a person\nhandoff available\nagent joins Alex",
    );
    let before = driver.transcript.len();
    driver.input(flow_runtime::Input::HandoffAnswered {
        request: 999,
        answer: flow_runtime::HandoffAnswer::Error,
    });
    driver.input(flow_runtime::Input::OrderAnswered {
        request: 1,
        answer: flow_runtime::OrderAnswer::NotFound,
    });
    driver.input(flow_runtime::Input::Agent(
        flow_runtime::AgentEvent::Joined {
            event: String::new(),
            name: "Alex".into(),
        },
    ));
    for _ in 0..2 {
        driver.input(flow_runtime::Input::Agent(
            flow_runtime::AgentEvent::Message {
                event: "m1".into(),
                name: "Alex".into(),
                text: "once".into(),
            },
        ));
    }
    let after: Vec<&String> = driver.transcript[before..].iter().collect();
    assert_eq!(after, ["  Alex: once"]);
}

#[test]
fn a_second_handoff_reports_only_the_shoppers_and_the_bots_recent_lines() {
    use flow_runtime::{Effect, Input, Output, Time};
    let day = 24 * 3600 * 1000;
    let mut c = flow_runtime::Conversation::new(super::flow(STORE), "v", Time(1_000));
    let mut transcripts = Vec::new();
    let feed = |c: &mut flow_runtime::Conversation, input: Input, at: u64, out: &mut Vec<_>| {
        c.handle_input(input, Time(at));
        while let Output::Effect(e) = c.poll_output() {
            if let Effect::Request(Request::HandOff(h)) = e {
                out.push((h.request, h.transcript));
            }
        }
    };
    feed(&mut c, Input::Opened, 1_000, &mut transcripts);
    feed(
        &mut c,
        Input::Said("an old question".into()),
        2_000,
        &mut transcripts,
    );
    // 100 days later: a handoff, an agent's reply, the conversation closed, another handoff.
    let later = 100 * day;
    feed(
        &mut c,
        Input::Said("talk to a person".into()),
        later,
        &mut transcripts,
    );
    feed(
        &mut c,
        Input::QuickReply(0),
        later + 1_000,
        &mut transcripts,
    );
    let request = transcripts.last().map(|(r, _)| *r).expect("a handoff");
    feed(
        &mut c,
        Input::HandoffAnswered {
            request,
            answer: flow_runtime::HandoffAnswer::Available { token: "t".into() },
        },
        later + 2_000,
        &mut transcripts,
    );
    feed(
        &mut c,
        Input::Agent(flow_runtime::AgentEvent::Message {
            event: "a1".into(),
            name: "Alex".into(),
            text: "Refund approved by supervisor.".into(),
        }),
        later + 3_000,
        &mut transcripts,
    );
    feed(
        &mut c,
        Input::Agent(flow_runtime::AgentEvent::Closed {
            event: String::new(),
        }),
        later + 4_000,
        &mut transcripts,
    );
    feed(
        &mut c,
        Input::Said("I want a human again".into()),
        later + 5_000,
        &mut transcripts,
    );
    feed(
        &mut c,
        Input::QuickReply(0),
        later + 6_000,
        &mut transcripts,
    );
    let (_, last) = transcripts.last().expect("a second handoff");
    assert!(transcripts.len() >= 2, "{transcripts:?}");
    assert!(!last.is_empty());
    for line in last {
        assert!(
            matches!(
                line.from,
                flow_runtime::wire::Speaker::Shopper | flow_runtime::wire::Speaker::Bot
            ),
            "{line:?}"
        );
        assert!(line.at >= later - 90 * day, "{line:?}");
        assert!(!line.text.contains("old question"));
    }
}

/// A flow without `error` branches still tells the shopper what happened when the server
/// cannot answer, and offers what else there is: try again, or a person.
#[test]
fn failures_without_error_branches_say_so_and_offer_a_way_forward() {
    const BARE: &str = r##"{
      "bot": { "name": "Fern" },
      "order_number": "#?[0-9]{5}",
      "steps": [
        { "id": "welcome", "type": "message", "text": "Hi!",
          "quick_replies": [ { "label": "Track my order", "goto": "ask-number" }, { "label": "Talk to a person", "handoff": true } ] },
        { "id": "ask-number", "type": "ask", "text": "Your order number?", "var": "order_number", "expect": "order_number", "next": "ask-email" },
        { "id": "ask-email", "type": "ask", "text": "And the email you ordered with?", "var": "email", "expect": "email", "next": "lookup" },
        { "id": "lookup", "type": "order_lookup", "text": "One moment…", "found": "found" },
        { "id": "found", "type": "message", "text": "Found it.", "show_order": true },
        { "id": "handoff", "type": "handoff", "text": "Connecting you…" }
      ]
    }"##;
    check(
        BARE,
        "open\npick Track my order\nsay 10493\nsay ana@example.com\norder error\npick Try again\norder error\npick Talk to a person\nhandoff error\npick Try again\nhandoff available",
        expect![[r#"
            > open
              · opened
              Fern: Hi!
              [Track my order] [Talk to a person]
            > pick Track my order
              shopper: Track my order
              · quick_reply label=Track my order action=goto target=ask-number
              Fern: Your order number?
            > say 10493
              shopper: 10493
              Fern: And the email you ordered with?
            > say ana@example.com
              shopper: ana@example.com
              Fern: One moment…
              → look up order 10493 for ana@example.com
              (composer waits: Looking up your order…)
            > order error
              · order_lookup result=error
              Fern: I can’t check orders right now: the shop’s system did not answer.
              [Try again] [Talk to a person]
            > pick Try again
              shopper: Try again
              · quick_reply label=Try again action=goto target=lookup
              Fern: One moment…
              → look up order 10493 for ana@example.com
              (composer waits: Looking up your order…)
            > order error
              · order_lookup result=error
              Fern: I can’t check orders right now: the shop’s system did not answer.
              [Try again] [Talk to a person]
            > pick Talk to a person
              shopper: Talk to a person
              · quick_reply label=Talk to a person action=handoff target=
              Fern: Connecting you…
              → hand off (asked): 13 lines of transcript
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=asked
            > handoff error
              · handoff result=error
              Fern: I couldn’t reach the team just now.
              [Try again]
            > pick Try again
              shopper: Try again
              · quick_reply label=Try again action=handoff target=
              Fern: Connecting you…
              → hand off (asked): 16 lines of transcript
              (handoff: connecting)
              (composer waits: Connecting you to a person…)
              · handoff_requested reason=asked
            > handoff available
              (handoff: a person will join)
              · handoff result=available
        "#]],
    );
}

/// An order number (or an email) in the shopper's own words is the lookup, wherever it is
/// said: "where is 10240?" starts it, an email finishes it, and asking to track again
/// asks for the order afresh instead of showing the last one.
#[test]
fn order_numbers_in_free_text_start_the_lookup() {
    let mut driver = flow_authoring::testing::Driver::new(super::flow(include_str!(
        "../../../www/flows/demo.json"
    )));
    driver.orders = vec![
        flow_authoring::testing::FixtureOrder {
            number: "10234".into(),
            email: "ana@example.com".into(),
            status: "shipped".into(),
            items: vec![flow_authoring::testing::FixtureItem {
                name: "Trail Runner".into(),
                quantity: 1,
            }],
            ..Default::default()
        },
        flow_authoring::testing::FixtureOrder {
            number: "10240".into(),
            email: "sam@example.com".into(),
            status: "processing".into(),
            items: vec![flow_authoring::testing::FixtureItem {
                name: "Day Pack".into(),
                quantity: 1,
            }],
            ..Default::default()
        },
    ];
    super::run(
        &mut driver,
        "open\npick Track my order\nsay 10234\nsay ana@example.com\norder fixture\nsay track my order\nsay nevermind\nsay where is 10234?\norder fixture\nsay can you check 10240 for sam@example.com\norder fixture\nsay and 10234?\nsay ana@example.com\norder fixture",
    );
    expect![[r#"
        > open
          · opened
          Fern from Fernhill: Hi, I'm Fern! I can help with orders, shipping, returns and sizing, any time.
          [Track my order] [Shipping] [Returns] [Sizing] [Talk to a person]
        > pick Track my order
          shopper: Track my order
          · quick_reply label=Track my order action=goto target=track
          Fern from Fernhill: What's your order number? It's in your confirmation email, like #10234.
        > say 10234
          shopper: 10234
          Fern from Fernhill: And the email address you ordered with?
        > say ana@example.com
          shopper: ana@example.com
          Fern from Fernhill: Let me look that up…
          → look up order 10234 for ana@example.com
          (composer waits: Looking up your order…)
        > order fixture
          · order_lookup result=found
          Fern from Fernhill: Good news: order 10234 is on its way with the carrier, expected soon. Track the parcel
            [order 10234 · shipped]
          Fern from Fernhill: Anything else I can help with?
          [Track my order] [Shipping] [Returns] [Sizing]
        > say track my order
          shopper: track my order
          · faq_answered entry=order-status confidence=1 question=track my order
          Fern from Fernhill: What's your order number? It's in your confirmation email, like #10234.
        > say nevermind
          shopper: nevermind
          Fern from Fernhill: OK, let’s leave that.
          Fern from Fernhill: Anything else I can help with?
          [Track my order] [Shipping] [Returns] [Sizing]
          · question_left step=ask-number
        > say where is 10234?
          shopper: where is 10234?
          Fern from Fernhill: Let me look that up…
          → look up order 10234 for ana@example.com
          (composer waits: Looking up your order…)
        > order fixture
          · order_lookup result=found
          Fern from Fernhill: Good news: order 10234 is on its way with the carrier, expected soon. Track the parcel
            [order 10234 · shipped]
          Fern from Fernhill: Anything else I can help with?
          [Track my order] [Shipping] [Returns] [Sizing]
        > say can you check 10240 for sam@example.com
          shopper: can you check 10240 for sam@example.com
          Fern from Fernhill: Let me look that up…
          → look up order 10240 for sam@example.com
          (composer waits: Looking up your order…)
        > order fixture
          · order_lookup result=found
          Fern from Fernhill: Order 10240 is being packed and ships within one business day. We'll email you the tracking link.
            [order 10240 · processing]
          Fern from Fernhill: Anything else I can help with?
          [Track my order] [Shipping] [Returns] [Sizing]
        > say and 10234?
          shopper: and 10234?
          Fern from Fernhill: Let me look that up…
          → look up order 10234 for sam@example.com
          (composer waits: Looking up your order…)
        > say ana@example.com
          shopper: ana@example.com
          Fern from Fernhill: Let me look that up…
          → look up order 10234 for ana@example.com
        > order fixture
          · order_lookup result=found
          Fern from Fernhill: Good news: order 10234 is on its way with the carrier, expected soon. Track the parcel
            [order 10234 · shipped]
          Fern from Fernhill: Anything else I can help with?
          [Track my order] [Shipping] [Returns] [Sizing]
    "#]]
    .assert_eq(&(driver.transcript.join("\n") + "\n"));
}

/// A live handoff nobody takes in time: the shopper is told, and the flow's own offline
/// branch asks for an email (the server has stopped counting it as live). Once a person
/// has joined, or after the email promise, a late `unanswered` changes nothing.
#[test]
fn an_unanswered_live_handoff_becomes_an_email_promise() {
    let mut driver = flow_authoring::testing::Driver::new(super::flow(STORE));
    super::run(
        &mut driver,
        "open\npick Talk to a person\nhandoff available",
    );
    let before = driver.transcript.len();
    driver.input(flow_runtime::Input::Agent(
        flow_runtime::AgentEvent::Unanswered { event: "e9".into() },
    ));
    let after = driver.transcript[before..].join("\n");
    assert!(
        after.contains("Nobody from the team is free right now, so we'll answer by email."),
        "{after}"
    );
    assert!(
        after.contains("We're away. Your email, so we can reply?"),
        "{after}"
    );
    // A second one (a reconnect replays it) changes nothing.
    let now = driver.transcript.len();
    driver.input(flow_runtime::Input::Agent(
        flow_runtime::AgentEvent::Unanswered { event: "e9".into() },
    ));
    assert_eq!(driver.transcript.len(), now);

    // Someone joined in time: a late `unanswered` is ignored.
    let mut joined = flow_authoring::testing::Driver::new(super::flow(STORE));
    super::run(
        &mut joined,
        "open\npick Talk to a person\nhandoff available\nagent joins Alex",
    );
    let now = joined.transcript.len();
    joined.input(flow_runtime::Input::Agent(
        flow_runtime::AgentEvent::Unanswered {
            event: "e10".into(),
        },
    ));
    assert_eq!(joined.transcript.len(), now);
}

/// Back through an email's link on another device: the conversation is taken up (its
/// stream followed from the start, so the team's reply shows), or, once closed, the rating
/// is asked. The same conversation already in this browser changes nothing.
#[test]
fn a_shopper_back_through_an_emails_link_takes_up_the_conversation() {
    use flow_runtime::{Effect, Input, Output, Request, Time};
    let follows = |c: &mut flow_runtime::Conversation| {
        let mut out = Vec::new();
        while let Output::Effect(e) = c.poll_output() {
            if let Effect::Request(Request::Follow { token, after }) = e {
                out.push((token, after));
            }
        }
        out
    };
    let mut c = flow_runtime::Conversation::new(super::flow(STORE), "v", Time(1_000));
    c.handle_input(Input::Opened, Time(1_000));
    follows(&mut c);
    c.handle_input(
        Input::Resumed {
            token: "t1".into(),
            agent: Some("Alex".into()),
            closed: false,
        },
        Time(2_000),
    );
    assert_eq!(follows(&mut c), [("t1".to_owned(), String::new())]);
    c.handle_input(
        Input::Resumed {
            token: "t1".into(),
            agent: Some("Alex".into()),
            closed: false,
        },
        Time(3_000),
    );
    assert!(
        follows(&mut c).is_empty(),
        "the same conversation: nothing new"
    );

    let mut driver = flow_authoring::testing::Driver::new(super::flow(STORE));
    super::run(&mut driver, "open");
    driver.input(Input::Resumed {
        token: "t2".into(),
        agent: None,
        closed: false,
    });
    driver.input(Input::Agent(flow_runtime::AgentEvent::Message {
        event: "5".into(),
        name: "Alex".into(),
        text: "It ships Monday.".into(),
    }));
    assert!(
        driver
            .transcript
            .join("\n")
            .contains("Alex: It ships Monday."),
        "{:?}",
        driver.transcript
    );

    let mut closed = flow_authoring::testing::Driver::new(super::flow(STORE));
    super::run(&mut closed, "open");
    closed.input(Input::Resumed {
        token: "t3".into(),
        agent: Some("Alex".into()),
        closed: true,
    });
    assert!(
        closed.transcript.join("\n").contains("How did we do?"),
        "{:?}",
        closed.transcript
    );
}
