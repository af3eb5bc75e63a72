//! Speaking first: exit intent, time on page, caps, dismissal, A/B variants.

use expect_test::expect;
use flow_runtime::{Announcement, View};

use super::{check, flow, run};
use flow_authoring::testing::Driver;

const PROACTIVE: &str = r##"{
  "bot": { "name": "Fern" },
  "seed": 7,
  "steps": [
    { "id": "welcome", "type": "message", "text": "Hi!" },
    { "id": "rescue-a", "type": "message", "text": "Wait! Free shipping on this order.",
      "quick_replies": [ { "label": "Tell me more", "goto": "rescue-more" } ] },
    { "id": "rescue-b", "type": "message", "text": "Leaving already? Here's 10% off: STAY10",
      "quick_replies": [ { "label": "Tell me more", "goto": "rescue-more" } ] },
    { "id": "rescue-more", "type": "message", "text": "Just complete checkout; it's automatic." },
    { "id": "offer", "type": "carousel", "text": "Runners who bought this also liked:",
      "cards": [ { "title": "Merino Hoodie", "price": "$119", "image": { "src": "/img/hoodie.svg", "alt": "A brown hoodie" },
                   "buttons": [ { "label": "View", "url": "/products/merino-hoodie" },
                                { "label": "Add to cart", "add_to_cart": { "sku": "FH-MH-03" } } ] },
                 { "title": "Day Pack", "price": "$89", "buttons": [ { "label": "View", "url": "/products/day-pack" } ] } ] },
    { "id": "idle-help", "type": "message", "text": "Need a hand?" }
  ],
  "triggers": [
    { "id": "cart-rescue", "on": "exit_intent", "pages": ["/checkout*"], "when": { "cart.items": { "gte": 1 } },
      "frequency": "once_per_session", "priority": 10,
      "variants": [ { "id": "free-shipping", "weight": 1, "step": "rescue-a" }, { "id": "discount", "weight": 1, "step": "rescue-b" } ] },
    { "id": "product-offer", "on": { "time_on_page": 30 }, "pages": ["/products/*"], "frequency": { "once_per_days": 7 }, "step": "offer" },
    { "id": "idle", "on": { "idle": 60 }, "pages": ["/help"], "frequency": "always", "step": "idle-help" }
  ]
}"##;

#[test]
fn exit_intent_on_checkout_with_a_cart_shows_the_rescue_teaser() {
    check(
        PROACTIVE,
        "page /checkout\nexit\ncart 2 129\nexit\nexit\npick Tell me more",
        expect![[r#"
            > page /checkout
            > exit
            > cart 2 129
            > exit
              Fern: Leaving already? Here's 10% off: STAY10
              [Tell me more]
              teaser: Leaving already? Here's 10% off: STAY10
              · trigger_shown trigger=cart-rescue variant=discount
            > exit
            > pick Tell me more
              (teaser hidden)
              · trigger_converted trigger=cart-rescue variant=discount
              (panel opens)
              shopper: Tell me more
              · quick_reply label=Tell me more action=goto target=rescue-more
              Fern: Just complete checkout; it's automatic.
        "#]],
    );
}

#[test]
fn time_on_a_product_page_counts_only_while_the_tab_is_visible() {
    check(
        PROACTIVE,
        "page /products/trail-runner\nwait 20\nhidden\nwait 60\nvisible\nwait 9\nwait 1\ncard 1 Add to cart",
        expect![[r#"
            > page /products/trail-runner
            > wait 20
            > hidden
            > wait 60
            > visible
            > wait 9
            > wait 1
              Fern: Runners who bought this also liked:
                [card] Merino Hoodie — $119 {View | Add to cart}
                [card] Day Pack — $89 {View}
              teaser: Runners who bought this also liked:
              · trigger_shown trigger=product-offer variant=default
            > card 1 Add to cart
              → add to cart: FH-MH-03 × 1
        "#]],
    );
}

#[test]
fn caps_hold_across_reloads_and_lift_with_time() {
    check(
        PROACTIVE,
        "page /products/trail-runner\nwait 31\ndismiss\nreload\nwait 31\npage /products/day-pack\nwait 31",
        expect![[r#"
            > page /products/trail-runner
            > wait 31
              Fern: Runners who bought this also liked:
                [card] Merino Hoodie — $119 {View | Add to cart}
                [card] Day Pack — $89 {View}
              teaser: Runners who bought this also liked:
              · trigger_shown trigger=product-offer variant=default
            > dismiss
              (teaser hidden)
              · trigger_dismissed trigger=product-offer variant=default
            > reload
              Fern: Runners who bought this also liked:
                [card] Merino Hoodie — $119 {View | Add to cart}
                [card] Day Pack — $89 {View}
            > wait 31
            > page /products/day-pack
            > wait 31
        "#]],
    );
    // once_per_days 7, not dismissed: back a week later (a new visit), it shows again.
    let mut driver = Driver::new(flow(PROACTIVE));
    run(
        &mut driver,
        "page /products/trail-runner\nwait 31\npage /products/trail-runner\nwait 31",
    );
    assert_eq!(
        driver
            .transcript
            .iter()
            .filter(|l| l.contains("teaser:"))
            .count(),
        1
    );
    run(
        &mut driver,
        "wait 604800\npage /products/trail-runner\nwait 31",
    );
    assert_eq!(
        driver
            .transcript
            .iter()
            .filter(|l| l.contains("teaser:"))
            .count(),
        2
    );
}

#[test]
fn nothing_interrupts_a_shopper_who_is_chatting_or_typing() {
    let mut driver = Driver::new(flow(PROACTIVE));
    run(
        &mut driver,
        "cart 1 50\npage /checkout\nopen\nexit\nclose\ntyping on\nexit\ntyping off\nsay hello\nexit",
    );
    assert!(
        !driver.transcript.iter().any(|l| l.contains("teaser:")),
        "{}",
        driver.transcript.join("\n")
    );
    // Ten minutes after the shopper's last word, the conversation no longer counts as active.
    run(&mut driver, "wait 601\npage /checkout\nexit");
    assert_eq!(
        driver
            .transcript
            .iter()
            .filter(|l| l.contains("teaser:"))
            .count(),
        1
    );
}

#[test]
fn idle_triggers_fire_after_inactivity_once_per_page() {
    let mut driver = Driver::new(flow(PROACTIVE));
    run(&mut driver, "page /help\nwait 50\nactivity\nwait 50");
    assert!(!driver.transcript.iter().any(|l| l.contains("teaser:")));
    run(&mut driver, "wait 11\ndismiss\nwait 120");
    assert_eq!(
        driver
            .transcript
            .iter()
            .filter(|l| l.contains("teaser: Need a hand?"))
            .count(),
        1
    );
}

#[test]
fn ab_variants_are_stable_per_visitor_and_split_by_weight() {
    use flow_runtime::{Cart, Conversation, EXIT_GRACE_MS, Effect, Input, Output, Page, Time};
    let flow = flow(PROACTIVE);
    let variant_of = |visitor: &str| -> Option<String> {
        let mut c = Conversation::new(flow.clone(), visitor, Time(0));
        let page = Page {
            url: "https://s/checkout".into(),
            path: "/checkout".into(),
            visible: true,
            ..Page::default()
        };
        c.handle_input(Input::PageView(page), Time(1));
        c.handle_input(
            Input::CartChanged(Cart {
                items: 1,
                ..Cart::default()
            }),
            Time(2),
        );
        c.handle_input(Input::PointerLeft, Time(3));
        c.handle_input(Input::Tick, Time(3 + EXIT_GRACE_MS));
        let mut variant = None;
        while let Output::Effect(e) = c.poll_output() {
            if let Effect::Announce(Announcement::Track(t)) = e {
                if t.name == "trigger_shown" {
                    variant = t
                        .props
                        .iter()
                        .find(|(k, _)| k == "variant")
                        .map(|(_, v)| v.to_string());
                }
            }
        }
        variant
    };
    let first: Vec<_> = (0..200)
        .map(|i| variant_of(&format!("visitor-{i}")))
        .collect();
    let again: Vec<_> = (0..200)
        .map(|i| variant_of(&format!("visitor-{i}")))
        .collect();
    assert_eq!(
        first, again,
        "the same visitor always gets the same variant"
    );
    let a = first
        .iter()
        .filter(|v| v.as_deref() == Some("free-shipping"))
        .count();
    let b = first
        .iter()
        .filter(|v| v.as_deref() == Some("discount"))
        .count();
    assert_eq!(a + b, 200);
    assert!(
        (80..=120).contains(&a),
        "weights 1:1 split about evenly, got {a}:{b}"
    );

    // A 30 % holdout sees nothing, and is reported as such.
    let held = PROACTIVE.replace(r#""priority": 10,"#, r#""priority": 10, "holdout": 0.3,"#);
    let flow = super::flow(&held);
    let mut shown = 0;
    for i in 0..300 {
        let mut c = Conversation::new(flow.clone(), &format!("visitor-{i}"), Time(0));
        let page = Page {
            url: "https://s/checkout".into(),
            path: "/checkout".into(),
            visible: true,
            ..Page::default()
        };
        c.handle_input(Input::PageView(page), Time(1));
        c.handle_input(
            Input::CartChanged(Cart {
                items: 1,
                ..Cart::default()
            }),
            Time(2),
        );
        c.handle_input(Input::PointerLeft, Time(3));
        c.handle_input(Input::Tick, Time(3 + EXIT_GRACE_MS));
        while let Output::Effect(e) = c.poll_output() {
            if matches!(e, Effect::View(View::ShowTeaser(_))) {
                shown += 1;
            }
        }
    }
    assert!(
        (180..=240).contains(&shown),
        "about 70 % see the teaser, got {shown}/300"
    );
}

#[test]
fn phones_count_the_exit_signal_the_trigger_chose() {
    let scroll_only = PROACTIVE.replace(
        r#""on": "exit_intent","#,
        r#""on": "exit_intent", "mobile": "scroll_up","#,
    );
    let mut driver = Driver::new(flow(&scroll_only));
    run(
        &mut driver,
        "cart 1 20\npage /checkout en phone\nexit tab_return",
    );
    assert!(!driver.transcript.iter().any(|l| l.contains("teaser:")));
    run(&mut driver, "exit scroll_up");
    assert!(driver.transcript.iter().any(|l| l.contains("teaser:")));
}

/// A trigger's conditions are judged again when what they depend on changes: a returning
/// visitor whose cart the page sets after it loaded (`Bellhop('setCart', …)`, the Shopify
/// cart read a moment later) still gets "welcome back", once; likewise a timed offer whose
/// condition came true after its moment.
#[test]
fn conditions_are_judged_again_when_the_cart_arrives() {
    const BACK: &str = r##"{
      "bot": { "name": "Fern" },
      "steps": [
        { "id": "welcome", "type": "message", "text": "Hi!" },
        { "id": "welcome-back", "type": "message", "text": "Welcome back! Your cart is waiting." },
        { "id": "nudge", "type": "message", "text": "Still thinking it over?" }
      ],
      "triggers": [
        { "id": "welcome-back", "on": "returning_visit", "pages": ["/"], "when": { "cart.items": { "gte": 1 } },
          "frequency": { "once_per_days": 7 }, "step": "welcome-back" },
        { "id": "nudge", "on": { "time_on_page": 20 }, "pages": ["/products/*"], "when": { "cart.items": { "gte": 2 } },
          "frequency": "always", "step": "nudge" }
      ]
    }"##;
    check(
        BACK,
        "page /\nwait 1860\npage /\ncart 1 59\ncart 1 60\ndismiss\npage /products/boots\nwait 25\ncart 2 99\ncart 3 150",
        expect![[r#"
            > page /
            > wait 1860
            > page /
            > cart 1 59
              Fern: Welcome back! Your cart is waiting.
              teaser: Welcome back! Your cart is waiting.
              · trigger_shown trigger=welcome-back variant=default
            > cart 1 60
            > dismiss
              (teaser hidden)
              · trigger_dismissed trigger=welcome-back variant=default
            > page /products/boots
            > wait 25
            > cart 2 99
              Fern: Still thinking it over?
              teaser: Still thinking it over?
              · trigger_shown trigger=nudge variant=default
            > cart 3 150
        "#]],
    );
}

/// The offer on a product page does not recommend the product on screen.
#[test]
fn a_carousel_leaves_out_the_page_it_is_on() {
    check(
        PROACTIVE,
        "page /products/day-pack\nwait 31\nopen",
        expect![[r#"
            > page /products/day-pack
            > wait 31
              Fern: Runners who bought this also liked:
                [card] Merino Hoodie — $119 {View | Add to cart}
              teaser: Runners who bought this also liked:
              · trigger_shown trigger=product-offer variant=default
            > open
              · opened
              (teaser hidden)
              · trigger_converted trigger=product-offer variant=default
        "#]],
    );
}
