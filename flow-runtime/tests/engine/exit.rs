//! Exit intent read from raw page signals, on virtual time: the shell reports what the
//! browser saw (pointer out and back, visibility, every scroll position) and the engine
//! judges, so these rules are tested here, to the millisecond, with no browser.

use super::{flow, run};
use flow_authoring::testing::Driver;
use flow_runtime::{EXIT_GRACE_MS, Input, Scroll, TAB_RETURN_MS};

const RESCUE: &str = r##"{
  "bot": { "name": "Fern" },
  "steps": [
    { "id": "welcome", "type": "message", "text": "Hi!" },
    { "id": "rescue", "type": "message", "text": "Wait! Free shipping on this order." }
  ],
  "triggers": [
    { "id": "cart-rescue", "on": "exit_intent", "pages": ["/checkout*"], "step": "rescue" }
  ]
}"##;

/// A shopper with a cart on the checkout page, on `device`.
fn on_checkout(device: &str) -> Driver {
    let mut driver = Driver::new(flow(RESCUE));
    run(
        &mut driver,
        &format!("cart 1 20\npage /checkout en {device}"),
    );
    driver
}

fn rescued(driver: &Driver) -> bool {
    driver.transcript.iter().any(|l| l.contains("teaser:"))
}

fn scroll(driver: &mut Driver, top: u32) {
    driver.input(Input::Scrolled(Scroll {
        top,
        viewport: 800,
        height: 12_000,
    }));
}

#[test]
fn the_pointer_must_stay_out_for_the_grace_period() {
    let mut driver = on_checkout("desktop");
    // To the tabs and straight back: not leaving.
    driver.input(Input::PointerLeft);
    driver.wait(EXIT_GRACE_MS - 50);
    driver.input(Input::PointerBack);
    driver.wait(5_000);
    assert!(!rescued(&driver), "{}", driver.transcript.join("\n"));
    // Out, and it stays out: the timer the engine asked for fires at the end of the grace.
    driver.input(Input::PointerLeft);
    driver.wait(EXIT_GRACE_MS - 1);
    assert!(!rescued(&driver));
    driver.wait(1);
    assert!(rescued(&driver), "{}", driver.transcript.join("\n"));
}

#[test]
fn a_phone_coming_back_to_the_tab_after_a_short_absence_is_leaving() {
    let away = |ms: u64, device: &str| {
        let mut driver = on_checkout(device);
        driver.input(Input::Visibility(false));
        driver.wait(ms);
        driver.input(Input::Visibility(true));
        rescued(&driver)
    };
    assert!(
        !away(TAB_RETURN_MS.start - 1, "phone"),
        "a glance at a notification"
    );
    assert!(away(TAB_RETURN_MS.start, "phone"));
    assert!(away(5 * 60_000, "tablet"));
    assert!(!away(TAB_RETURN_MS.end, "phone"), "a new visit of its own");
    assert!(!away(5_000, "desktop"), "desktops have a pointer for that");
}

#[test]
fn a_fast_swipe_to_the_top_counts_even_after_a_long_pause_to_read() {
    let mut driver = on_checkout("phone");
    scroll(&mut driver, 4_000);
    // The shopper reads for a while: the swipe's speed is measured from its own start.
    driver.wait(20_000);
    scroll(&mut driver, 2_500);
    driver.wait(120);
    scroll(&mut driver, 1_000);
    driver.wait(120);
    assert!(!rescued(&driver), "not near the top yet");
    scroll(&mut driver, 200);
    assert!(rescued(&driver), "{}", driver.transcript.join("\n"));
}

#[test]
fn a_slow_or_short_scroll_up_is_reading_not_leaving() {
    // Slowly: 20 px a frame, about 3 s from 4,000 px to the top.
    let mut slow = on_checkout("phone");
    for top in (100..=4_000).rev().step_by(20) {
        scroll(&mut slow, top);
        slow.wait(16);
    }
    assert!(!rescued(&slow), "{}", slow.transcript.join("\n"));
    // Quick, but less than a screen.
    let mut short = on_checkout("phone");
    scroll(&mut short, 700);
    short.wait(5_000);
    scroll(&mut short, 300);
    short.wait(50);
    scroll(&mut short, 0);
    assert!(!rescued(&short), "{}", short.transcript.join("\n"));
    // Quick and long, but on a desktop (the pointer says it better there).
    let mut desktop = on_checkout("desktop");
    for top in [4_000, 2_000, 100] {
        scroll(&mut desktop, top);
        desktop.wait(100);
    }
    assert!(!rescued(&desktop));
}

#[test]
fn scroll_depth_is_measured_from_positions() {
    assert_eq!(
        Scroll {
            top: 0,
            viewport: 800,
            height: 8_000
        }
        .depth(),
        10
    );
    assert_eq!(
        Scroll {
            top: 7_200,
            viewport: 800,
            height: 8_000
        }
        .depth(),
        100
    );
    // A page shorter than the screen is all seen; a zero height never divides by zero.
    assert_eq!(
        Scroll {
            top: 0,
            viewport: 800,
            height: 400
        }
        .depth(),
        100
    );
    assert_eq!(
        Scroll {
            top: 0,
            viewport: 0,
            height: 0
        }
        .depth(),
        0
    );
}
