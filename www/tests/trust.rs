//! What a stranger or a careless owner can do to the server, and what holds: logins that
//! strangers cannot turn against their owners, floods that do not hide shoppers, one owner
//! at least, bounded work for every request. On SQLite and PostgreSQL.

mod support;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::browser::{cookies, enc, form, get, hidden, text};
use support::{TestApp, handoff, on_every_database};

/// `request` as if it came from `address`.
fn from(address: &str, mut request: Request<Body>) -> Request<Body> {
    let addr: SocketAddr = format!("{address}:40000").parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(addr));
    request
}

fn login(email: &str, password: &str, device: Option<&str>) -> Request<Body> {
    let cookie = device.map(|d| d.to_owned()).unwrap_or_default();
    form(
        "/inbox/login",
        &cookie,
        &format!("email={}&password={}", enc(email), enc(password)),
    )
}

const OWNER: &str = "owner@fernhill.example";
const OWNER_PASSWORD: &str = "fernhill-owner";

/// Logs the demo owner in from `address`; returns the session and device cookies.
async fn owner_logs_in(app: &TestApp, address: &str) -> (String, String) {
    let r = app
        .send(from(address, login(OWNER, OWNER_PASSWORD, None)))
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = cookies(&r);
    let session = c
        .iter()
        .find(|c| c.starts_with("bellhop_session="))
        .unwrap()
        .clone();
    let device = c
        .iter()
        .find(|c| c.starts_with("bellhop_device="))
        .unwrap()
        .clone();
    (session, device)
}

/// The attack that kept owners out: failed logins for one account from many addresses.
/// The owner's browser, which logged in before, gets in at once with the right password;
/// a browser the account does not know waits a minute at most.
#[tokio::test]
async fn strangers_cannot_lock_the_owner_out() {
    on_every_database(
        |_| {},
        async |app| {
            let (_, device) = owner_logs_in(&app, "192.0.2.50").await;
            // 300 wrong passwords from 30 addresses.
            for i in 0..300 {
                let address = format!("10.9.{}.{}", i / 10, i % 10 + 1);
                let r = app
                    .send(from(&address, login(OWNER, &format!("guess-{i}"), None)))
                    .await;
                assert!(
                    [StatusCode::SEE_OTHER, StatusCode::TOO_MANY_REQUESTS].contains(&r.status()),
                    "{}",
                    r.status()
                );
            }
            // The owner's own browser, from home or from a café: in.
            for address in ["192.0.2.50", "198.51.100.77"] {
                let r = app
                    .send(from(address, login(OWNER, OWNER_PASSWORD, Some(&device))))
                    .await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "{address}");
                assert_eq!(r.headers()[header::LOCATION], "/console");
                assert!(
                    cookies(&r)
                        .iter()
                        .any(|c| c.starts_with("bellhop_session="))
                );
            }
            // A new browser may be slowed (how much depends on how fast the failures came:
            // the throttle's unit tests hold the arithmetic), never kept out for long.
            let r = app
                .send(from("198.51.100.78", login(OWNER, OWNER_PASSWORD, None)))
                .await;
            if r.status() == StatusCode::TOO_MANY_REQUESTS {
                let wait: u64 = r.headers()[header::RETRY_AFTER]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(wait <= 60, "{wait}");
            } else {
                assert_eq!(r.status(), StatusCode::SEE_OTHER);
            }
            // A device cookie of another account, or a made-up one, is no device.
            let made_up = "ab".repeat(32);
            assert!(
                !www::agents::knows_device(&app.state.db, &made_up, OWNER)
                    .await
                    .unwrap()
            );
            let value = device.split_once('=').unwrap().1;
            assert!(
                www::agents::knows_device(&app.state.db, value, OWNER)
                    .await
                    .unwrap()
            );
            assert!(
                !www::agents::knows_device(&app.state.db, value, "agent@fernhill.example")
                    .await
                    .unwrap()
            );
            // The known device's own failures still lock it.
            for i in 0..www::inbox::throttle::DEVICE_FAILURES {
                app.send(from(
                    "192.0.2.50",
                    login(OWNER, &format!("typo-{i}"), Some(&device)),
                ))
                .await;
            }
            let r = app
                .send(from(
                    "192.0.2.50",
                    login(OWNER, OWNER_PASSWORD, Some(&device)),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        },
    )
    .await;
}

/// Emails no account can have are refused before they are counted or hashed: 300 logins
/// with 100 KB emails leave the throttle as empty as they found it.
#[tokio::test]
async fn emails_no_account_can_have_take_no_memory() {
    on_every_database(
        |_| {},
        async |app| {
            // Longer than any email (254), short enough to reach the handler.
            let long = format!("{}@x.example", "a".repeat(1_000));
            for i in 0..300 {
                let r = app
                    .send(from(
                        &format!("10.8.{}.{}", i / 200, i % 200 + 1),
                        login(&long, "guess", None),
                    ))
                    .await;
                assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            }
            assert!(app.state.limits.logins.is_empty());
            // A form bigger than any login (the 1 MB emails of the attack) is refused before
            // it is read.
            let huge = format!("email={}%40b.example&password=guess", "a".repeat(1 << 20));
            let r = app
                .send(from("10.8.9.9", form("/inbox/login", "", &huge)))
                .await;
            assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        },
    )
    .await;
}

/// A new password ends every session and forgets every device of the account: whoever
/// knew the old one is out.
#[tokio::test]
async fn a_password_reset_ends_the_accounts_sessions() {
    on_every_database(
        |_| {},
        async |app| {
            let (session, device) = owner_logs_in(&app, "192.0.2.60").await;
            assert_eq!(
                app.send(get("/console", &session)).await.status(),
                StatusCode::OK
            );
            www::agents::add(&app.state.db, OWNER, "Owner", "a-new-password-1")
                .await
                .unwrap();
            let r = app.send(get("/console", &session)).await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "the old session is over");
            let device_value = device.split_once('=').unwrap().1;
            assert!(
                !www::agents::knows_device(&app.state.db, device_value, OWNER)
                    .await
                    .unwrap()
            );
        },
    )
    .await;
}

/// Never fewer than one owner: not by demoting, not by removing, not by two owners
/// removing each other at the same moment.
#[tokio::test]
async fn there_is_always_an_owner() {
    on_every_database(
        |_| {},
        async |app| {
            let (session, _) = owner_logs_in(&app, "192.0.2.61").await;
            let page = text(app.send(get("/console/accounts", &session)).await).await;
            let csrf = hidden(&page, "csrf");
            // The "add account" form with the last owner's email and the agent role.
            let body = format!(
                "csrf={csrf}&name=Owner&email={}&password=another-password-1&role=agent",
                enc(OWNER)
            );
            let r = app.send(form("/console/accounts", &session, &body)).await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert!(text(r).await.contains("last owner"));
            let owners = |list: Vec<www::agents::Agent>| {
                list.into_iter()
                    .filter(|a| a.role == www::agents::Role::Owner)
                    .count()
            };
            assert_eq!(owners(www::agents::list(&app.state.db).await.unwrap()), 1);
            // Two owners remove each other at once, five times over: each time exactly one
            // of them wins, and an owner is left.
            let db = &app.state.db;
            let role = Some(www::agents::Role::Owner);
            for round in 0..5 {
                let a = www::agents::add_with_role(db, OWNER, "A", "a-password-12", role)
                    .await
                    .unwrap();
                let b =
                    www::agents::add_with_role(db, "b@shop.example", "B", "b-password-12", role)
                        .await
                        .unwrap();
                let (x, y) =
                    tokio::join!(www::agents::remove(db, a.id), www::agents::remove(db, b.id));
                assert!(x.is_ok() != y.is_ok(), "round {round}: {x:?} {y:?}");
                assert_eq!(
                    owners(www::agents::list(db).await.unwrap()),
                    1,
                    "round {round}"
                );
            }
        },
    )
    .await;
}

/// 210 handoffs from 21 addresses in a moment, then a real shopper: the inbox counts them
/// all, the newest-first list shows the shopper at the top, and an agent closes the flood
/// in two clicks (one address, then everything in which no shopper ever wrote).
#[tokio::test]
async fn a_flood_of_handoffs_does_not_hide_a_shopper() {
    on_every_database(
        |c| c.handoffs_per_minute = 100_000,
        async |app| {
            for i in 0..210 {
                let address = format!("203.0.113.{}", i % 21 + 1);
                let (s, _, body) = app
                    .post_from(
                        &address,
                        "/api/v1/handoffs",
                        &handoff(&format!("flood-{i}")),
                    )
                    .await;
                assert_eq!(s, StatusCode::CREATED, "{body}");
            }
            let mut real = handoff("a-real-shopper");
            real["context"]["email"] = json!("real@shopper.example");
            let (_, _, h) = app
                .post_from("198.51.100.200", "/api/v1/handoffs", &real)
                .await;
            let token = h["token"].as_str().unwrap().to_owned();
            let (s, _, _) = app
                .post_from(
                    "198.51.100.200",
                    &format!("/api/v1/conversations/{token}/messages"),
                    &json!({ "key": "k1", "text": "is anyone there? my order never came" }),
                )
                .await;
            assert_eq!(s, StatusCode::OK);

            let (session, _) = owner_logs_in(&app, "192.0.2.62").await;
            let oldest = text(app.send(get("/inbox", &session)).await).await;
            assert!(oldest.contains("Waiting (211)"), "every one counted");
            assert!(oldest.contains("of 211"));
            assert!(
                !oldest.contains("real@shopper.example"),
                "not on the first page of the oldest"
            );
            let newest = text(
                app.send(get("/inbox?show=waiting&order=newest", &session))
                    .await,
            )
            .await;
            assert!(
                newest.contains("real@shopper.example"),
                "first among the newest"
            );
            let last_page = text(app.send(get("/inbox?show=waiting&page=4", &session)).await).await;
            assert!(
                last_page.contains("real@shopper.example"),
                "and on the last page"
            );

            // One address: its conversation page offers to close all ten.
            let flood: Vec<_> = app
                .conversations()
                .await
                .into_iter()
                .filter(|c| c.email.is_none())
                .collect();
            let one = flood[0].id;
            let page = text(
                app.send(get(&format!("/inbox/conversations/{one}"), &session))
                    .await,
            )
            .await;
            assert!(
                page.contains("9 other open conversations came from the same address"),
                "{page}"
            );
            let csrf = hidden(&page, "csrf");
            let r = app
                .send(form(
                    &format!("/inbox/conversations/{one}/close-same-address"),
                    &session,
                    &format!("csrf={csrf}"),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let list = text(app.send(get("/inbox?show=waiting", &session)).await).await;
            assert!(list.contains("Waiting (201)"), "{list}");
            // Everything in which no shopper wrote: the rest of the flood, not the shopper.
            assert!(
                list.contains("200 waiting conversations have no message"),
                "{list}"
            );
            let r = app
                .send(form(
                    "/inbox/close-silent",
                    &session,
                    &format!("csrf={csrf}"),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let list = text(app.send(get("/inbox?show=waiting", &session)).await).await;
            assert!(list.contains("Waiting (1)"), "{list}");
            assert!(list.contains("real@shopper.example"));
            // Each closed conversation told its widget so.
            let (s, _, status) = app.get(&format!("/api/v1/conversations/{token}")).await;
            assert_eq!(
                (s, status["status"].as_str()),
                (StatusCode::OK, Some("waiting"))
            );
        },
    )
    .await;
}

/// The contract's lengths: a rating comment as long as the widget allows is kept; a page
/// address longer than the engine ever sends is refused (the engine cuts it first).
#[tokio::test]
async fn the_servers_limits_are_the_widgets() {
    on_every_database(
        |_| {},
        async |app| {
            let mut long_url = handoff("long-url");
            long_url["context"]["page_url"] =
                json!(format!("https://shop.example/p?{}", "u".repeat(3_000)));
            let (s, _, body) = app.post("/api/v1/handoffs", &long_url).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("page_url")
            );
            let mut cut = long_url.clone();
            cut["context"]["page_url"] = json!(flow_runtime::wire::limits::cut(
                long_url["context"]["page_url"].as_str().unwrap(),
                flow_runtime::wire::limits::PAGE_URL_CHARS
            ));
            cut["key"] = json!(support::key("long-url-cut"));
            let (s, _, h) = app.post("/api/v1/handoffs", &cut).await;
            assert_eq!(s, StatusCode::CREATED);
            let token = h["token"].as_str().unwrap().to_owned();
            let id = app
                .conversations()
                .await
                .iter()
                .find(|c| c.context.page_url.len() > 2000)
                .unwrap()
                .id;
            app.state.conversations.close(id, true).await.unwrap();
            let comment = "é".repeat(1_500);
            let (s, _, body) = app
                .post(
                    &format!("/api/v1/conversations/{token}/rating"),
                    &json!({ "score": 4, "comment": comment }),
                )
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
            let detail = app.state.conversations.detail(id).await.unwrap().unwrap();
            assert_eq!(detail.rating_comment.as_deref(), Some(comment.as_str()));
        },
    )
    .await;
}

/// The reason a shopper came to a person is the one their engine sent: the inbox and the
/// insights page show it, and nothing guesses it from the FAQ's tries.
#[tokio::test]
async fn a_handoffs_reason_is_the_engines() {
    on_every_database(
        |_| {},
        async |app| {
            let mut h = handoff("reason-missed");
            h["flow"] = json!("demo.json");
            h["context"]["reason"] = json!("missed");
            // What used to decide "missed": a strong FAQ try first. It says nothing now.
            h["context"]["faq"] =
                json!([{ "entry": "returns", "question": "Returns?", "confidence": 0.9 }]);
            let (s, _, body) = app.post("/api/v1/handoffs", &h).await;
            assert_eq!(s, StatusCode::CREATED, "{body}");
            let now = www::clock::now_ms();
            let list = www::conversations::handoffs_of(
                &app.state.db,
                "demo.json",
                now - 60_000,
                now + 60_000,
                10,
            )
            .await
            .unwrap();
            assert_eq!(list[0].reason, flow_runtime::wire::HandoffReason::Missed);
            let (session, _) = owner_logs_in(&app, "192.0.2.63").await;
            let id = app.conversations().await[0].id;
            let page = text(
                app.send(get(&format!("/inbox/conversations/{id}"), &session))
                    .await,
            )
            .await;
            assert!(
                page.contains("the bot did not understand, several times"),
                "{page}"
            );
            let mut bad = handoff("reason-bad");
            bad["context"]["reason"] = json!("bored");
            let (s, _, _) = app.post("/api/v1/handoffs", &bad).await;
            assert!(s.is_client_error());
        },
    )
    .await;
}

/// Patterns that used to stall the server compile to an error at once; the server keeps
/// answering.
#[tokio::test]
async fn a_hostile_pattern_is_refused_at_once() {
    on_every_database(
        |_| {},
        async |app| {
            let flow = r#"{ "bot": { "name": "X" }, "order_number": "((((){1000}){1000}){1000}){1000}",
              "steps": [ { "id": "hi", "type": "message", "text": "Hi" } ] }"#;
            let started = std::time::Instant::now();
            let (a, b, health) = tokio::join!(
                www::flows::admin::import(&app.state.db, "evil", flow, "test"),
                www::flows::admin::import(&app.state.db, "evil2", flow, "test"),
                app.get("/healthz"),
            );
            assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
            assert_eq!(health.0, StatusCode::NO_CONTENT);
            for outcome in [a.unwrap(), b.unwrap()] {
                let www::flows::admin::Imported::Draft(problems) = outcome else {
                    panic!("published a hostile pattern");
                };
                assert!(problems.iter().any(|p| p.contains("too large")), "{problems:?}");
            }
        },
    )
    .await;
}

/// Forms name fields by JSON pointers; a name far deeper than any form of ours is refused
/// with 422 before anything is applied (100,000 segments once overflowed the stack).
#[tokio::test]
async fn a_field_name_too_deep_is_refused() {
    on_every_database(
        |_| {},
        async |app| {
            let (session, _) = owner_logs_in(&app, "192.0.2.64").await;
            let page = text(
                app.send(get("/console/flows/demo/edit/bot", &session))
                    .await,
            )
            .await;
            let (csrf, revision) = (hidden(&page, "csrf"), hidden(&page, "revision"));
            let deep = format!("s:{}", "/a".repeat(100_000));
            let body = format!("csrf={csrf}&revision={revision}&back=bot&{}=x", enc(&deep));
            let r = app
                .send(form("/console/flows/demo/draft", &session, &body))
                .await;
            assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(app.get("/healthz").await.0, StatusCode::NO_CONTENT);
            let draft = www::flows::store::draft(&app.state.db, "demo")
                .await
                .unwrap()
                .unwrap();
            assert_eq!(draft.revision.to_string(), revision, "nothing was saved");
        },
    )
    .await;
}

/// A colour with characters of several bytes is no colour: a diagnostic, not a panic that
/// breaks every page of the flow.
#[tokio::test]
async fn a_colour_of_multibyte_characters_is_a_diagnostic() {
    on_every_database(
        |_| {},
        async |app| {
            let (session, _) = owner_logs_in(&app, "192.0.2.65").await;
            let page = text(
                app.send(get("/console/flows/demo/edit/bot", &session))
                    .await,
            )
            .await;
            let (csrf, revision) = (hidden(&page, "csrf"), hidden(&page, "revision"));
            let body = format!(
                "csrf={csrf}&revision={revision}&back=bot&{}={}",
                enc("o:/bot/theme/accent"),
                enc("#aé€")
            );
            let r = app
                .send(form("/console/flows/demo/draft", &session, &body))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let page = text(
                app.send(get("/console/flows/demo/edit/bot", &session))
                    .await,
            )
            .await;
            assert!(
                page.contains("is not a colour"),
                "the diagnostic is by the field"
            );
            let (s, _, _) = app.get("/flows/demo.json?format=bhf").await;
            assert_eq!(
                s,
                StatusCode::OK,
                "shoppers still get the published version"
            );
        },
    )
    .await;
}

/// Every 404 says what it is: a page for people, JSON for programs.
#[tokio::test]
async fn every_404_has_a_body() {
    on_every_database(
        |_| {},
        async |app| {
            for (path, kind) in [
                ("/nope", "text/html"),
                ("/flows/nope.json", "application/json"),
                ("/flows/..%2Fsecret.json", "application/json"),
                ("/api/v1/nope", "application/json"),
                ("/bellhop/nope.js", "text/plain"),
            ] {
                let r = app
                    .send(Request::get(path).body(Body::empty()).unwrap())
                    .await;
                assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
                let ct = r.headers()[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .to_owned();
                assert!(ct.starts_with(kind), "{path}: {ct}");
                assert!(!text(r).await.is_empty(), "{path}");
            }
        },
    )
    .await;
}

/// An import says what happened: published as a version, or kept as the draft only.
#[tokio::test]
async fn an_import_says_what_happened() {
    on_every_database(
        |_| {},
        async |app| {
            let (session, _) = owner_logs_in(&app, "192.0.2.66").await;
            let page = text(app.send(get("/console/flows/demo", &session)).await).await;
            let csrf = hidden(&page, "csrf");
            let broken = r#"{ "bot": { "name": "X" }, "steps": [ { "id": "a", "type": "message", "next": "b" } ] }"#;
            let r = app
                .send(form("/console/flows/demo/import", &session, &format!("csrf={csrf}&source={}", enc(broken))))
                .await;
            let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
            let page = text(app.send(get(&to, &session)).await).await;
            assert!(page.contains("not published"), "{page}");
            assert!(!page.contains("Imported and published"));
            let fine = include_str!("../flows/demo.json");
            let r = app
                .send(form("/console/flows/demo/import", &session, &format!("csrf={csrf}&source={}", enc(fine))))
                .await;
            let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
            let page = text(app.send(get(&to, &session)).await).await;
            assert!(page.contains("Imported and published as version 2"), "{page}");
        },
    )
    .await;
}

/// FAQ health takes each phrasing out of one index instead of building an index per
/// phrasing: 2,000 phrasings are checked in seconds, and the page says how long it took.
#[tokio::test]
async fn faq_health_is_linear_and_bounded() {
    on_every_database(
        |_| {},
        async |app| {
            let entries: Vec<serde_json::Value> = (0..200)
                .map(|e| {
                    json!({
                        "id": format!("topic-{e}"),
                        "question": format!("question about topic number {e} alpha{e}"),
                        "phrasings": (0..9).map(|p| format!("how about alpha{e} thing {p} beta{}", e * 7 + p)).collect::<Vec<_>>(),
                        "answer": "An answer.",
                    })
                })
                .collect();
            let flow = json!({ "bot": { "name": "X" }, "steps": [ { "id": "hi", "type": "message", "text": "Hi" } ], "faq": { "entries": entries } });
            www::flows::admin::import(&app.state.db, "big", &flow.to_string(), "test").await.unwrap();
            let (session, _) = owner_logs_in(&app, "192.0.2.67").await;
            let started = std::time::Instant::now();
            let page = text(app.send(get("/console/flows/big/health", &session)).await).await;
            let took = started.elapsed();
            eprintln!("FAQ health of 2,000 phrasings on {}: {took:?}", app.backend);
            assert!(page.contains("2000 phrasings asked in"), "{page}");
            assert!(!page.contains("The check stopped"), "it finished in time");
        },
    )
    .await;
}
