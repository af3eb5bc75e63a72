//! Live order lookups against local fakes of Shopify, WooCommerce and a merchant's own
//! service (`shop-fakes`, in their documented shapes), on SQLite and PostgreSQL: what a
//! shopper sees for every kind of order, that a missing order and a wrong email are one
//! answer, that a failing shop system gets a clear 503 at once and the console its reason,
//! and that a burst of lookups is one call.

mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::{Value, json};
use shop_fakes::{Fakes, Mode};
use support::{TestApp, on_every_database};
use www::Config;
use www::secrets::Secret;

#[derive(Clone, Copy, Debug)]
enum Kind {
    Shopify,
    WooCommerce,
    Service,
}

const KINDS: [Kind; 3] = [Kind::Shopify, Kind::WooCommerce, Kind::Service];

fn connect(config: &mut Config, kind: Kind, fakes: &Fakes) {
    match kind {
        Kind::Shopify => {
            config.shopify_store = Some(fakes.base());
            config.shopify_token = Some(Secret::new(shop_fakes::SHOPIFY_TOKEN));
        }
        Kind::WooCommerce => {
            config.woocommerce_url = Some(fakes.base());
            config.woocommerce_key = Some(Secret::new(shop_fakes::WOO_KEY));
            config.woocommerce_secret = Some(Secret::new(shop_fakes::WOO_SECRET));
        }
        Kind::Service => {
            config.orders_url = Some(fakes.service_url());
            config.orders_secret = Some(Secret::new(shop_fakes::SERVICE_SECRET));
        }
    }
}

async fn look_up(app: &TestApp, number: &str, email: &str) -> (StatusCode, Value) {
    let (status, _, body) = app
        .post(
            "/api/v1/orders/lookup",
            &json!({ "number": number, "email": email }),
        )
        .await;
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_source_answers_what_the_shopper_may_see() {
    for kind in KINDS {
        let fakes = Fakes::start().await;
        on_every_database(
            |c| connect(c, kind, &fakes),
            async |app| {
                let (status, body) = look_up(&app, "#41002", " BEN@example.com").await;
                assert_eq!(status, StatusCode::OK, "{kind:?} {}: {body}", app.backend);
                let order = &body["order"];
                assert_eq!(order["number"], "41002");
                assert_eq!(order["status"], "shipped");
                assert_eq!(order["placed_on"], "2026-11-18");
                assert_eq!(order["carrier"], "DHL");
                assert_eq!(
                    order["tracking_url"],
                    "https://www.dhl.com/global-en/home/tracking.html?tracking-id=JJD000390007"
                );
                assert_eq!(
                    order["items"][1],
                    json!({ "name": "Merino Hiking Socks", "quantity": 2 })
                );
                // Nothing beyond what the card shows: no email, address or payment.
                let keys: Vec<&String> = order.as_object().unwrap().keys().collect();
                assert_eq!(
                    keys,
                    [
                        "number",
                        "status",
                        "placed_on",
                        "items",
                        "carrier",
                        "tracking_url",
                        "estimated_delivery",
                        "delivered_on"
                    ]
                );
                assert!(!body.to_string().contains("ben@example.com"));

                for (number, email, status) in [
                    ("41001", "ana@example.com", "processing"),
                    // WooCommerce knows "completed" (sent), not delivered.
                    (
                        "41003",
                        "cleo@example.com",
                        if matches!(kind, Kind::WooCommerce) {
                            "shipped"
                        } else {
                            "delivered"
                        },
                    ),
                    ("41004", "dan@example.com", "cancelled"),
                    ("41005", "eva@example.com", "refunded"),
                    ("41006", "finn@example.com", "shipped"),
                    ("410010", "ana@example.com", "processing"),
                ] {
                    let (code, body) = look_up(&app, number, email).await;
                    assert_eq!(code, StatusCode::OK, "{kind:?} {number}: {body}");
                    assert_eq!(body["order"]["status"], status, "{kind:?} {number}");
                    assert_eq!(
                        body["order"]["number"], number,
                        "{kind:?}: a search for 41001 finds 410010 too"
                    );
                }
                let (_, delivered) = look_up(&app, "41003", "cleo@example.com").await;
                if !matches!(kind, Kind::WooCommerce) {
                    assert_eq!(delivered["order"]["delivered_on"], "2026-11-13", "{kind:?}");
                }
                // Two shipments: the newest one's tracking.
                let (_, two) = look_up(&app, "41006", "finn@example.com").await;
                assert_eq!(two["order"]["carrier"], "UPS", "{kind:?}");
            },
        )
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_order_and_a_wrong_email_are_one_answer_after_one_call_each() {
    for kind in KINDS {
        let fakes = Fakes::start().await;
        on_every_database(
            |c| connect(c, kind, &fakes),
            async |app| {
                let before = fakes.shared.calls();
                let wrong = look_up(&app, "41002", "eve@example.com").await;
                let between = fakes.shared.calls();
                let missing = look_up(&app, "44242", "eve@example.com").await;
                let after = fakes.shared.calls();
                assert_eq!(wrong.0, StatusCode::NOT_FOUND, "{kind:?}");
                assert_eq!(wrong, missing, "{kind:?}: the same status and body");
                assert_eq!(
                    (between - before, after - between),
                    (1, 1),
                    "{kind:?}: the shop system is asked either way"
                );
            },
        )
        .await;
    }
}

/// Each failure mode of each API: the shopper gets 503 `orders_unavailable` within the 3 s
/// limit (never a 500, never a wait), and the console's health says why in words.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_shop_system_gets_a_clear_answer_and_the_console_its_reason() {
    let modes = [
        (Mode::Unauthorized, "refused"),
        (Mode::AccessDenied, "refused"),
        (Mode::RateLimited(7), "slow down"),
        (Mode::Throttled, ""),
        (Mode::ServerError(502), "HTTP 502"),
        (Mode::Malformed, ""),
        (Mode::Html, ""),
        (Mode::Slow(5_000), "3 seconds"),
    ];
    for kind in KINDS {
        for (mode, words) in modes {
            let fakes = Fakes::start().await;
            fakes.shared.set_mode(mode);
            let mut config = Config::for_tests();
            connect(&mut config, kind, &fakes);
            let app = TestApp::sqlite(&config).await;
            let started = Instant::now();
            let (status, body) = look_up(&app, "41002", "ben@example.com").await;
            let took = started.elapsed();
            assert_eq!(
                status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{kind:?} {mode:?}: {body}"
            );
            assert_eq!(body["error"]["code"], "orders_unavailable");
            assert!(
                took < Duration::from_millis(3_600),
                "{kind:?} {mode:?} took {took:?}"
            );
            let health = app.state.orders.health();
            let (_, said) = health
                .last_error
                .expect("the failure is kept for the console");
            assert!(said.contains(words), "{kind:?} {mode:?}: {said}");
            for secret in [
                shop_fakes::SHOPIFY_TOKEN,
                shop_fakes::WOO_KEY,
                shop_fakes::WOO_SECRET,
                shop_fakes::SERVICE_SECRET,
            ] {
                assert!(
                    !said.contains(secret),
                    "{kind:?} {mode:?}: a secret in {said}"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shopifys_words_name_the_fix() {
    let fakes = Fakes::start().await;
    let mut config = Config::for_tests();
    connect(&mut config, Kind::Shopify, &fakes);
    config.orders_cache_seconds = 0;
    let app = TestApp::sqlite(&config).await;
    fakes.shared.set_mode(Mode::AccessDenied);
    look_up(&app, "41002", "ben@example.com").await;
    assert_eq!(
        app.state.orders.health().last_error.unwrap().1,
        "Shopify refused the token: check the app's read_orders access"
    );
    // A wrong token is a 401 from Shopify itself (not a mode of the fake).
    let mut config = Config::for_tests();
    connect(&mut config, Kind::Shopify, &fakes);
    config.shopify_token = Some(Secret::new("shpat_wrong"));
    let app = TestApp::sqlite(&config).await;
    fakes.shared.set_mode(Mode::Normal);
    assert_eq!(
        look_up(&app, "41002", "ben@example.com").await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert!(
        app.state
            .orders
            .health()
            .last_error
            .unwrap()
            .1
            .contains("BELLHOP_SHOPIFY_TOKEN")
    );
}

/// Throttling is respected: after a 429 with `Retry-After`, no call until it has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_that_asks_us_to_wait_is_not_called_until_then() {
    for kind in KINDS {
        let fakes = Fakes::start().await;
        let mut config = Config::for_tests();
        connect(&mut config, kind, &fakes);
        config.orders_cache_seconds = 0;
        let app = TestApp::sqlite(&config).await;
        fakes.shared.set_mode(Mode::RateLimited(1));
        assert_eq!(
            look_up(&app, "41002", "ben@example.com").await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        fakes.shared.set_mode(Mode::Normal);
        assert_eq!(
            look_up(&app, "41002", "ben@example.com").await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(fakes.shared.calls(), 1, "{kind:?}: resting, not calling");
        tokio::time::sleep(Duration::from_millis(1_100)).await;
        assert_eq!(
            look_up(&app, "41002", "ben@example.com").await.0,
            StatusCode::OK,
            "{kind:?}"
        );
        assert_eq!(fakes.shared.calls(), 2);
    }
}

/// After five failures in a row the breaker opens: a storm during an outage stays off the
/// shop system.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_trips_the_breaker() {
    let fakes = Fakes::start().await;
    let mut config = Config::for_tests();
    connect(&mut config, Kind::Shopify, &fakes);
    config.orders_cache_seconds = 0;
    config.lookups_per_minute = 1000;
    let app = TestApp::sqlite(&config).await;
    fakes.shared.set_mode(Mode::ServerError(503));
    for n in 0..50 {
        let (status, _) = look_up(&app, &format!("{}", 42000 + n), "ben@example.com").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    }
    assert_eq!(fakes.shared.calls(), 5);
    assert!(app.state.orders.health().resting.is_some());
}

/// 100 shoppers' lookups of one order at once: one call to the shop system.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_lookups_of_one_order_is_one_call() {
    for kind in [Kind::Shopify, Kind::WooCommerce] {
        let fakes = Fakes::start().await;
        fakes.shared.set_mode(Mode::Slow(50));
        let mut config = Config::for_tests();
        connect(&mut config, kind, &fakes);
        config.lookups_per_minute = 1000;
        config.lookups_per_order_per_minute = 1000;
        let app = TestApp::sqlite(&config).await;
        let burst = (0..100).map(|i| {
            let app = &app;
            async move {
                let email = if i % 10 == 0 {
                    "eve@example.com"
                } else {
                    "ben@example.com"
                };
                let client = format!("192.0.2.{}", 1 + i);
                app.post_from(
                    &client,
                    "/api/v1/orders/lookup",
                    &json!({ "number": "41002", "email": email }),
                )
                .await
                .0
            }
        });
        let answers = futures_util::future::join_all(burst).await;
        assert_eq!(answers.iter().filter(|s| **s == StatusCode::OK).count(), 90);
        assert_eq!(
            answers
                .iter()
                .filter(|s| **s == StatusCode::NOT_FOUND)
                .count(),
            10
        );
        assert_eq!(fakes.shared.calls(), 1, "{kind:?}");
    }
}

/// The service checks the email itself, so its answers are cached per number and email.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_is_asked_per_email() {
    let fakes = Fakes::start().await;
    let mut config = Config::for_tests();
    connect(&mut config, Kind::Service, &fakes);
    let app = TestApp::sqlite(&config).await;
    assert_eq!(
        look_up(&app, "41002", "eve@example.com").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        look_up(&app, "41002", "ben@example.com").await.0,
        StatusCode::OK
    );
    assert_eq!(
        look_up(&app, "41002", "BEN@example.com ").await.0,
        StatusCode::OK
    );
    assert_eq!(fakes.shared.calls(), 2);
}

/// Rate limits apply before any call: a client past its limit costs the shop system nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_come_before_the_shop_system() {
    let fakes = Fakes::start().await;
    let mut config = Config::for_tests();
    connect(&mut config, Kind::Shopify, &fakes);
    config.orders_cache_seconds = 0;
    config.lookups_per_minute = 2;
    let app = TestApp::sqlite(&config).await;
    for _ in 0..2 {
        look_up(&app, "41002", "ben@example.com").await;
    }
    assert_eq!(
        look_up(&app, "41002", "ben@example.com").await.0,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(fakes.shared.calls(), 2);
}

#[test]
fn an_incomplete_or_double_configuration_stops_the_server_with_its_reason() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let db = www::Db::connect(&format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("t.db").display()
        ))
        .await
        .unwrap();
        let mut half = Config::for_tests();
        half.shopify_store = Some("https://fernhill.myshopify.com".into());
        let e = www::AppState::new(db.clone(), &half)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("BELLHOP_SHOPIFY_TOKEN"), "{e}");
        let mut both = half.clone();
        both.shopify_token = Some(Secret::new("shpat_x"));
        both.orders_url = Some("https://shop.example/orders".into());
        both.orders_secret = Some(Secret::new("s"));
        let e = www::AppState::new(db, &both).err().unwrap().to_string();
        assert!(e.contains("one shop system"), "{e}");
    });
}

/// The console's handoff page says which shop system is connected and how it is doing, and
/// an owner can try a lookup there; no secret is ever on the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_shows_the_source_its_health_and_a_trial_lookup() {
    use support::browser::{cookies, enc, form, get, hidden, text};
    use www::orders::demo::{OWNER_EMAIL, OWNER_PASSWORD};
    let fakes = Fakes::start().await;
    let mut config = Config::for_tests();
    connect(&mut config, Kind::Shopify, &fakes);
    config.orders_cache_seconds = 0;
    let app = TestApp::sqlite(&config).await;
    let login = app
        .send(form(
            "/inbox/login",
            "",
            &format!(
                "email={}&password={}",
                enc(OWNER_EMAIL),
                enc(OWNER_PASSWORD)
            ),
        ))
        .await;
    let cookie = cookies(&login).join("; ");
    let page = text(
        app.send(get("/console/flows/demo/edit/handoff", &cookie))
            .await,
    )
    .await;
    assert!(page.contains("Where orders come from"), "{page}");
    assert!(page.contains(&format!("{}, Admin API 2026-10", fakes.base())));
    assert!(page.contains("not since the server started"));
    let csrf = hidden(&page, "csrf");

    let tried = text(
        app.send(form(
            "/console/flows/demo/orders/try",
            &cookie,
            &format!("csrf={csrf}&number=%2341002&email=ben%40example.com"),
        ))
        .await,
    )
    .await;
    assert!(
        tried.contains("Found order <strong>41002</strong>: shipped"),
        "{tried}"
    );
    assert!(tried.contains("1 × Summit Shell Jacket - M"));
    assert!(
        !tried.contains("not since the server started"),
        "the success is on the page"
    );

    fakes.shared.set_mode(Mode::AccessDenied);
    let denied = text(
        app.send(form(
            "/console/flows/demo/orders/try",
            &cookie,
            &format!("csrf={csrf}&number=41002&email=ben%40example.com"),
        ))
        .await,
    )
    .await;
    assert!(
        denied.contains("Shopify refused the token: check the app's read_orders access"),
        "{denied}"
    );
    assert!(!denied.contains(shop_fakes::SHOPIFY_TOKEN));
    // Without the CSRF token, nothing is tried.
    let calls = fakes.shared.calls();
    let refused = app
        .send(form(
            "/console/flows/demo/orders/try",
            &cookie,
            "number=41002&email=ben%40example.com",
        ))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(fakes.shared.calls(), calls);
}
