//! The eager stage's watcher and the panel taking over from it, on virtual time: the
//! watcher calls the panel exactly when the panel's own rules would speak, and the panel
//! carries on from the page as watched (time on the page, visits, caps).

use super::flow;
use flow_runtime::PREFETCH_LEAD_MS;
use flow_runtime::flow::Flow;
use flow_runtime::{
    Conversation, Device, Effect, Handover, Input, Need, Output, Page, State, Time, View, Watch,
    Watched, Watcher,
};

const SHOP: &str = r##"{
  "bot": { "name": "Fern" },
  "steps": [
    { "id": "welcome", "type": "message", "text": "Hi!" },
    { "id": "offer", "type": "message", "text": "Need a size?" },
    { "id": "rescue", "type": "message", "text": "Free shipping today." }
  ],
  "triggers": [
    { "id": "size-help", "on": { "time_on_page": 30 }, "pages": ["/products/*"], "step": "offer",
      "frequency": "once_per_session" },
    { "id": "cart-rescue", "on": "exit_intent", "pages": ["/checkout*"], "step": "rescue",
      "when": { "cart.items": { "gt": 0 } } }
  ]
}"##;

fn page(path: &str) -> Page {
    Page {
        url: format!("https://shop.example{path}"),
        path: path.to_owned(),
        language: "en".into(),
        device: Device::Desktop,
        visible: true,
    }
}

/// What the watcher said, until its next timer.
fn drain(w: &mut Watcher) -> (Vec<Need>, Option<Vec<u8>>, Option<Time>) {
    let (mut needs, mut saved) = (Vec::new(), None);
    loop {
        match w.poll_output() {
            Watch::Panel(n) => needs.push(n),
            Watch::Save(bytes) => saved = Some(bytes),
            Watch::Timeout(t) => return (needs, saved, t),
        }
    }
}

/// The panel starting from `handover`, as the widget does: restore (or a new
/// conversation), then take over. Returns the teasers it showed and its saved record.
fn panel(
    flow: &Flow,
    state: Option<State>,
    handover: Handover,
    now: Time,
) -> (Conversation, Vec<String>, Watched) {
    let mut c = match state {
        Some(s) => Conversation::restore(flow.clone(), s, now),
        None => Conversation::new(flow.clone(), &handover.visitor.id, now),
    };
    c.handle_input(Input::TakeOver(Box::new(handover)), now);
    let (mut teasers, mut watched) = (Vec::new(), None);
    while let Output::Effect(e) = c.poll_output() {
        match e {
            Effect::View(View::ShowTeaser(m)) => teasers.push(m.plain_text()),
            Effect::Save(saved) => watched = Watched::from_bytes(&saved.watched),
            _ => {}
        }
    }
    (
        c,
        teasers,
        watched.expect("the panel saves the shared record"),
    )
}

#[test]
fn a_page_without_a_ready_trigger_never_calls_the_panel() {
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/")), Time(0));
    let (needs, saved, timer) = drain(&mut w);
    assert_eq!(needs, vec![]);
    assert_eq!(timer, None, "nothing to wait for on the home page");
    let record = Watched::from_bytes(&saved.unwrap()).unwrap();
    assert_eq!(record.visitor.visits, 1);
    // Leaving through the top of the home page: no trigger there.
    w.handle_input(Input::PointerLeft, Time(1_000));
    w.handle_input(Input::Tick, Time(2_000));
    assert_eq!(drain(&mut w).0, vec![]);
}

#[test]
fn time_on_a_product_page_prefetches_then_calls_the_panel_which_shows_the_teaser() {
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/products/rain-shell")), Time(0));
    let (needs, _, timer) = drain(&mut w);
    assert_eq!(
        needs,
        vec![],
        "most shoppers leave before 30 s: nothing fetched yet"
    );
    assert_eq!(
        timer,
        Some(Time(30_000 - PREFETCH_LEAD_MS)),
        "woken ahead of the moment"
    );
    // Ten seconds hidden do not count.
    w.handle_input(Input::Visibility(false), Time(10_000));
    w.handle_input(Input::Visibility(true), Time(20_000));
    let (_, _, timer) = drain(&mut w);
    assert_eq!(timer, Some(Time(40_000 - PREFETCH_LEAD_MS)));
    w.handle_input(Input::Tick, Time(40_000 - PREFETCH_LEAD_MS));
    let (needs, _, timer) = drain(&mut w);
    assert_eq!(
        needs,
        vec![Need::Soon],
        "the offer is near: fetch the panel now"
    );
    assert_eq!(timer, Some(Time(40_000)));
    w.handle_input(Input::Tick, Time(40_000));
    let (needs, _, timer) = drain(&mut w);
    assert_eq!(needs, vec![Need::Now]);
    assert_eq!(timer, None, "the watcher is done once the panel is called");
    let (c, teasers, record) = panel(&flow, None, w.handover(), Time(40_050));
    assert_eq!(teasers, vec!["Need a size?".to_owned()]);
    assert_eq!(
        c.snapshot().visitor.visits,
        1,
        "the visit is counted once, by the watcher"
    );
    assert_eq!(record.visitor.history("size-help").unwrap().shown, 1);
    assert!(record.chat.teaser);
}

#[test]
fn the_panel_carries_on_the_page_time_the_watcher_measured() {
    // Called for another reason (the shopper opened the chat) after 20 s: the panel's
    // own 30 s timer has 10 s left, not 30.
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/products/rain-shell")), Time(0));
    w.handle_input(Input::Opened, Time(20_000));
    assert_eq!(drain(&mut w).0, vec![Need::Now]);
    let handover = w.handover();
    assert_eq!(handover.cue, None);
    let mut c = Conversation::new(flow.clone(), "v1", Time(20_000));
    c.handle_input(Input::TakeOver(Box::new(handover)), Time(20_000));
    let timer = loop {
        if let Output::Timeout(t) = c.poll_output() {
            break t;
        }
    };
    assert_eq!(timer, Some(Time(30_000)));
}

#[test]
fn exit_intent_calls_the_panel_only_when_the_trigger_conditions_hold() {
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/checkout")), Time(0));
    assert_eq!(
        drain(&mut w).0,
        vec![],
        "an empty cart: the rescue is not ready"
    );
    w.handle_input(Input::PointerLeft, Time(1_000));
    w.handle_input(Input::Tick, Time(1_400));
    assert_eq!(drain(&mut w).0, vec![]);
    w.handle_input(Input::PointerBack, Time(2_000));
    let cart = flow_runtime::Cart {
        items: 2,
        value: flow_runtime::value::Num::from_int(60),
        currency: "USD".into(),
        lines: vec![],
    };
    w.handle_input(Input::CartChanged(cart), Time(3_000));
    assert_eq!(
        drain(&mut w).0,
        vec![Need::Soon],
        "a full cart on checkout: fetch ahead"
    );
    w.handle_input(Input::PointerLeft, Time(4_000));
    assert_eq!(drain(&mut w).2, Some(Time(4_300)), "the grace period");
    w.handle_input(Input::Tick, Time(4_300));
    assert_eq!(drain(&mut w).0, vec![Need::Now]);
    let (_, teasers, _) = panel(&flow, None, w.handover(), Time(4_400));
    assert_eq!(teasers, vec!["Free shipping today.".to_owned()]);
}

#[test]
fn caps_written_by_the_panel_hold_in_the_next_pages_watcher() {
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/products/a")), Time(0));
    w.handle_input(Input::Tick, Time(30_000));
    let (_, teasers, mut record) = panel(&flow, None, w.handover(), Time(30_000));
    assert_eq!(teasers.len(), 1);
    // The shopper read the teaser, closed it and moved on (an unread teaser would bring
    // the panel at once, with its badge).
    assert_eq!(record.chat.unread, 1);
    record.chat.teaser = false;
    record.chat.unread = 0;
    let bytes = record.to_bytes();
    let mut next = Watcher::new(
        flow.launch(),
        Watched::from_bytes(&bytes),
        "v1",
        Time(60_000),
    );
    next.handle_input(Input::PageView(page("/products/b")), Time(60_000));
    let (needs, saved, timer) = drain(&mut next);
    assert_eq!(
        needs,
        vec![],
        "once per visit: shown already, so not even fetched ahead"
    );
    assert_eq!(
        timer,
        Some(Time(90_000)),
        "the timer still runs (spent when it comes)"
    );
    assert_eq!(
        Watched::from_bytes(&saved.unwrap()).unwrap().visitor.visits,
        1
    );
    next.handle_input(Input::Tick, Time(90_000));
    assert_eq!(drain(&mut next).0, vec![]);
}

#[test]
fn an_open_or_unread_or_live_conversation_gets_the_panel_at_once() {
    let flow = flow(SHOP);
    for change in [
        |r: &mut Watched| r.chat.open = true,
        |r: &mut Watched| r.chat.unread = 2,
        |r: &mut Watched| r.chat.live = true,
        |r: &mut Watched| r.chat.teaser = true,
    ] {
        let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
        w.handle_input(Input::PageView(page("/")), Time(0));
        let mut record = Watched::from_bytes(&drain(&mut w).1.unwrap()).unwrap();
        change(&mut record);
        let mut w = Watcher::new(flow.launch(), Some(record), "v1", Time(1_000));
        w.handle_input(Input::PageView(page("/")), Time(1_000));
        assert_eq!(drain(&mut w).0, vec![Need::Now]);
    }
}

#[test]
fn another_visitors_record_is_not_taken() {
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/")), Time(0));
    let mut record = Watched::from_bytes(&drain(&mut w).1.unwrap()).unwrap();
    record.chat.open = true;
    let mut other = Watcher::new(flow.launch(), Some(record), "v2", Time(0));
    other.handle_input(Input::PageView(page("/")), Time(0));
    let (needs, saved, _) = drain(&mut other);
    assert_eq!(needs, vec![]);
    assert_eq!(
        Watched::from_bytes(&saved.unwrap()).unwrap().visitor.id,
        "v2"
    );
}

#[test]
fn records_and_handovers_read_back_and_refuse_garbage() {
    let flow = flow(SHOP);
    let launch = flow.launch();
    assert_eq!(
        flow_runtime::flow::Launch::from_bytes(&launch.to_bytes()),
        Some(launch.clone())
    );
    assert!(launch.to_bytes().len() < flow.to_bytes().len() / 2);
    let mut w = Watcher::new(launch, None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/products/x")), Time(0));
    let h = w.handover();
    assert_eq!(Handover::from_bytes(&h.to_bytes()), Some(h));
    for junk in [&b""[..], b"\x01", b"BHL\x01\xff\xff", b"\x02abc"] {
        assert_eq!(Watched::from_bytes(junk), None);
        assert_eq!(flow_runtime::flow::Launch::from_bytes(junk), None);
    }
}

#[test]
fn a_teaser_left_from_an_earlier_visit_is_taken_away_when_the_panel_takes_over() {
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/products/a")), Time(0));
    w.handle_input(Input::Tick, Time(30_000));
    let (c, teasers, record) = panel(&flow, None, w.handover(), Time(30_000));
    assert_eq!(teasers.len(), 1);
    let state = c.snapshot().clone();
    // Four days later: the unread teaser brings the panel at once, on a new visit.
    let later = Time(4 * 86_400_000);
    let mut w = Watcher::new(flow.launch(), Some(record), "v1", later);
    w.handle_input(Input::PageView(page("/products/b")), later);
    assert_eq!(drain(&mut w).0, vec![Need::Now]);
    let mut c = Conversation::restore(flow.clone(), state, later);
    c.handle_input(Input::TakeOver(Box::new(w.handover())), later);
    let mut hidden = false;
    while let Output::Effect(e) = c.poll_output() {
        hidden |= e == Effect::View(View::HideTeaser);
    }
    assert!(hidden, "the stale teaser goes");
    assert_eq!(c.snapshot().visitor.visits, 2);
    // And the product offer may show again on this visit, on the panel's own clock.
    c.handle_input(Input::Tick, Time(later.0 + 30_000));
    let mut shown = false;
    while let Output::Effect(e) = c.poll_output() {
        shown |= matches!(e, Effect::View(View::ShowTeaser(_)));
    }
    assert!(shown);
}

#[test]
fn the_panel_opens_by_itself_only_where_it_was_open_on_arrival() {
    let flow = flow(SHOP);
    let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
    w.handle_input(Input::PageView(page("/")), Time(0));
    let mut record = Watched::from_bytes(&drain(&mut w).1.unwrap()).unwrap();
    // Another tab opens its chat: this tab's watcher calls the panel, closed.
    let mut other = record.clone();
    other.chat.open = true;
    w.adopt(other);
    assert_eq!(drain(&mut w).0, vec![Need::Now]);
    assert!(!w.handover().open);
    // A page arrived on with the chat open: it stays open.
    record.chat.open = true;
    let mut w = Watcher::new(flow.launch(), Some(record), "v1", Time(1_000));
    w.handle_input(Input::PageView(page("/")), Time(1_000));
    assert_eq!(drain(&mut w).0, vec![Need::Now]);
    assert!(w.handover().open);
}

/// In the browser the eager stage watches the page when the cart arrives after it loaded
/// (the returning visitor's "welcome back"): it calls the panel then, and the panel, taking
/// over, shows the teaser.
#[test]
fn a_cart_set_after_the_page_loaded_lets_welcome_back_speak() {
    let flow = flow(
        r##"{
      "bot": { "name": "Fern" },
      "steps": [ { "id": "welcome", "type": "message", "text": "Hi!" },
                 { "id": "back", "type": "message", "text": "Welcome back! Your cart is waiting." } ],
      "triggers": [ { "id": "welcome-back", "on": "returning_visit", "pages": ["/"],
                      "when": { "cart.items": { "gte": 1 } }, "step": "back" } ]
    }"##,
    );
    // A first visit, then a second one 31 minutes later (its record carried over).
    let mut first = Watcher::new(flow.launch(), None, "v1", Time(0));
    first.handle_input(Input::PageView(page("/")), Time(0));
    let record = drain(&mut first).1.unwrap();
    let later = Time(31 * 60_000);
    let mut w = Watcher::new(flow.launch(), Watched::from_bytes(&record), "v1", later);
    w.handle_input(Input::PageView(page("/")), later);
    assert_eq!(drain(&mut w).0, vec![], "no cart yet: nothing to say");
    let cart = flow_runtime::Cart {
        items: 1,
        value: flow_runtime::value::Num::from_int(59),
        currency: "USD".into(),
        lines: Vec::new(),
    };
    w.handle_input(Input::CartChanged(cart), later.plus_millis(800));
    assert_eq!(drain(&mut w).0, vec![Need::Now]);
    let (_, teasers, _) = panel(&flow, None, w.handover(), later.plus_millis(900));
    assert_eq!(
        teasers,
        vec!["Welcome back! Your cart is waiting.".to_owned()]
    );
}

/// Every context name a flow can test means the same in the eager stage's watcher and in
/// the panel's engine (one table, `flow::CONTEXT`, read in one place): a trigger that
/// tests it fires in both or in neither.
#[test]
fn every_context_name_reads_the_same_in_the_watcher_and_the_panel() {
    use flow_runtime::flow::CONTEXT;
    use flow_runtime::{Cart, CartLine, value::Num};
    let situations: [(&str, Option<Cart>); 2] = [
        ("/", None),
        (
            "/checkout",
            Some(Cart {
                items: 2,
                value: Num::from_int(59),
                currency: "EUR".into(),
                lines: vec![CartLine {
                    name: "Rain shell".into(),
                    quantity: 2,
                }],
            }),
        ),
    ];
    let mut fired_somewhere = 0;
    for (name, _) in &CONTEXT {
        if *name == "variant" {
            continue; // no variant before a trigger fires, by design, in both
        }
        for test in [r#"{"set": true}"#, r#"{"set": false}"#] {
            let source = format!(
                r#"{{ "bot": {{ "name": "Fern" }},
                  "steps": [ {{ "id": "hi", "type": "message", "text": "Hi" }} ],
                  "triggers": [ {{ "id": "t", "on": "page_view", "frequency": "always",
                                   "when": {{ "{name}": {test} }}, "step": "hi" }} ] }}"#
            );
            let flow = flow(&source);
            for (path, cart) in &situations {
                let mut w = Watcher::new(flow.launch(), None, "v1", Time(0));
                let mut c = Conversation::new(flow.clone(), "v1", Time(0));
                let mut inputs = vec![Input::PageView(page(path))];
                inputs.extend(cart.clone().map(Input::CartChanged));
                for input in inputs {
                    w.handle_input(input.clone(), Time(1));
                    c.handle_input(input, Time(1));
                }
                let called = drain(&mut w).0.contains(&Need::Now);
                let mut shown = false;
                while let Output::Effect(e) = c.poll_output() {
                    shown |= matches!(e, Effect::View(View::ShowTeaser(_)));
                }
                assert_eq!(called, shown, "{name} {test} on {path}");
                fired_somewhere += usize::from(shown);
            }
        }
    }
    assert!(
        fired_somewhere > 10,
        "the triggers fire where their condition holds"
    );
}
