//! Email over SMTP to a real server (aiosmtpd on loopback), on SQLite and PostgreSQL: an
//! offline handoff's confirmation to the shopper and alerts to the team, with the headers,
//! languages and links each needs; per-person alerts; retries and the delivery log; and
//! nothing at all without SMTP.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::json;
use support::smtp::Smtp;
use support::{TestApp, handoff, on_every_database};
use www::Config;
use www::mail::worker::Worker;
use www::secrets::Secret;

const FROM: &str = "Fernhill Outfitters <help@fernhill.example>";
const TEAM: &str = "team@fernhill.example";

fn with_email(config: &mut Config, smtp: &Smtp) {
    config.smtp_url = Some(Secret::new(smtp.url()));
    config.mail_from = Some(FROM.into());
    config.team_email = Some(TEAM.into());
    config.public_url = Some("https://help.fernhill.example".into());
    // Nobody is ever in: every handoff is offline.
    config.business_hours = "never".into();
}

fn worker(app: &TestApp, smtp: &Smtp) -> Worker {
    let mut w = Worker::new(
        app.state.db.clone(),
        &Secret::new(smtp.url()),
        FROM,
        Some(TEAM),
    )
    .unwrap();
    w.base_delay = Duration::from_millis(10);
    w
}

async fn offline_handoff(app: &TestApp, label: &str, language: &str) -> String {
    let mut body = handoff(label);
    body["context"]["language"] = json!(language);
    body["transcript"][1]["text"] = json!(if language == "es" {
        "mi paquete se ha perdido"
    } else {
        "my parcel is lost"
    });
    let (status, _, answer) = app.post("/api/v1/handoffs", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["status"], "offline");
    answer["token"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_handoff_confirms_to_the_shopper_and_alerts_the_team() {
    let Some(smtp) = Smtp::start() else { return };
    let smtp = std::sync::Arc::new(smtp);
    on_every_database(
        |c| with_email(c, &smtp),
        async |app| {
            let before = smtp.received().len();
            let token = offline_handoff(&app, &format!("offline-{}", app.backend), "es").await;
            let (status, _, _) = app
                .post(
                    &format!("/api/v1/conversations/{token}/email"),
                    &json!({ "email": "Ana@Example.com" }),
                )
                .await;
            assert_eq!(status, StatusCode::NO_CONTENT);
            // The same address again (a retried request): one confirmation still.
            app.post(
                &format!("/api/v1/conversations/{token}/email"),
                &json!({ "email": "ana@example.com" }),
            )
            .await;
            assert_eq!(worker(&app, &smtp).send_due().await.unwrap(), 3);
            let got = smtp.wait_for(before + 3, Duration::from_secs(10)).await;
            let got = &got[before..];
            assert_eq!(got.len(), 3, "two people of the team and the shopper");

            let to = |r: &support::smtp::Received| {
                r.header("x-rcptto").unwrap_or("").to_ascii_lowercase()
            };
            let mut team: Vec<String> = got
                .iter()
                .filter(|r| !to(r).contains("ana@"))
                .map(to)
                .collect();
            team.sort();
            assert_eq!(team, ["agent@fernhill.example", "owner@fernhill.example"]);
            for alert in got.iter().filter(|r| !to(r).contains("ana@")) {
                assert!(
                    alert
                        .header("subject")
                        .unwrap()
                        .contains("A shopper is waiting"),
                    "{alert:?}"
                );
                let text = alert.text();
                assert!(text.contains("mi paquete se ha perdido"));
                assert!(text.contains("https://shop.example/checkout"));
                let link = format!("https://help.fernhill.example/inbox/conversations/");
                assert!(text.contains(&link), "{text}");
                assert_eq!(
                    alert.header("reply-to"),
                    None,
                    "the team's alerts have no Reply-To"
                );
            }
            let confirmation = got.iter().find(|r| to(r).contains("ana@")).unwrap();
            assert_eq!(
                confirmation.header("from"),
                Some("\"Fernhill Outfitters\" <help@fernhill.example>")
            );
            assert_eq!(confirmation.header("reply-to"), Some(TEAM));
            assert!(
                confirmation
                    .header("message-id")
                    .unwrap()
                    .ends_with("@fernhill.example>")
            );
            assert!(
                confirmation
                    .header("content-type")
                    .unwrap()
                    .starts_with("multipart/alternative")
            );
            let text = confirmation.text();
            assert!(
                text.contains("Hemos recibido tu pregunta")
                    || confirmation.header("subject").unwrap().contains("=?utf-8?"),
                "{text}"
            );
            assert!(
                text.contains("Gracias por escribirnos"),
                "in the shopper's language: {text}"
            );
            assert!(text.contains("> mi paquete se ha perdido"));
            assert!(!text.contains("<img"), "no tracking pixels");

            // The delivery log lists them as sent.
            let log = www::mail::outbox::log(&app.state.db).await.unwrap();
            assert!(log.iter().take(3).all(|e| e.status == "sent"), "{log:?}");
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_who_turned_alerts_off_gets_none() {
    let Some(smtp) = Smtp::start() else { return };
    let mut config = Config::for_tests();
    with_email(&mut config, &smtp);
    let app = TestApp::sqlite(&config).await;
    let agents = www::agents::list(&app.state.db).await.unwrap();
    let agent = agents
        .iter()
        .find(|a| a.email == www::orders::demo::AGENT_EMAIL)
        .unwrap();
    www::mail::outbox::set_alerts(&app.state.db, agent.id, false)
        .await
        .unwrap();
    offline_handoff(&app, "alerts-off", "en").await;
    worker(&app, &smtp).send_due().await.unwrap();
    let got = smtp.wait_for(1, Duration::from_secs(10)).await;
    let to: Vec<&str> = got.iter().filter_map(|r| r.header("x-rcptto")).collect();
    assert_eq!(to, ["owner@fernhill.example"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_smtp_server_that_is_down_is_tried_again_and_the_log_says_why() {
    let Some(smtp) = Smtp::start() else { return };
    let mut config = Config::for_tests();
    with_email(&mut config, &smtp);
    let app = TestApp::sqlite(&config).await;
    offline_handoff(&app, "smtp-down", "en").await;
    // A port where nothing listens.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut down = Worker::new(
        app.state.db.clone(),
        &Secret::new(format!("smtp://127.0.0.1:{dead}")),
        FROM,
        None,
    )
    .unwrap();
    down.base_delay = Duration::from_millis(10);
    assert_eq!(down.send_due().await.unwrap(), 2);
    let log = www::mail::outbox::log(&app.state.db).await.unwrap();
    assert!(
        log.iter()
            .all(|e| e.status == "pending" && e.attempts == 1 && e.last_error.is_some()),
        "{log:?}"
    );
    tokio::time::sleep(Duration::from_millis(30)).await;
    // The server is back: both go, once.
    assert_eq!(worker(&app, &smtp).send_due().await.unwrap(), 2);
    assert_eq!(worker(&app, &smtp).send_due().await.unwrap(), 0);
    assert_eq!(smtp.wait_for(2, Duration::from_secs(10)).await.len(), 2);
    let log = www::mail::outbox::log(&app.state.db).await.unwrap();
    assert!(
        log.iter().all(|e| e.status == "sent" && e.attempts == 2),
        "{log:?}"
    );
}

#[tokio::test]
async fn without_smtp_nothing_is_queued_and_the_inbox_says_email_is_off() {
    on_every_database(
        |c| c.business_hours = "never".into(),
        async |app| {
            let token = offline_handoff(&app, &format!("no-smtp-{}", app.backend), "en").await;
            app.post(
                &format!("/api/v1/conversations/{token}/email"),
                &json!({ "email": "ana@example.com" }),
            )
            .await;
            assert!(
                www::mail::outbox::log(&app.state.db)
                    .await
                    .unwrap()
                    .is_empty()
            );
        },
    )
    .await;
}

#[test]
fn mail_settings_are_checked_at_start() {
    let mut config = Config::for_tests();
    config.smtp_url = Some(Secret::new("smtp://127.0.0.1:2525"));
    assert!(config.outgoing().unwrap_err().contains("BELLHOP_MAIL_FROM"));
    config.mail_from = Some("not an address".into());
    assert!(config.outgoing().unwrap_err().contains("not an address"));
    config.mail_from = Some(FROM.into());
    let out = config.outgoing().unwrap().unwrap();
    assert_eq!(
        (out.shop.as_str(), out.domain.as_str()),
        ("Fernhill Outfitters", "fernhill.example")
    );
    assert!(www::mail::worker::transport(&Secret::new("http://x")).is_err());
    let e = www::mail::worker::transport(&Secret::new("smtp://user:hunter2@:bad"))
        .err()
        .unwrap_or_default();
    assert!(!e.contains("hunter2"), "{e}");
}

/// A live handoff nobody takes in time: the shopper's stream hears `unanswered`, the
/// conversation is no longer live (so the email the widget then asks for gets a
/// confirmation), and every person of the team is emailed. One an agent took is left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_live_handoff_becomes_an_email_promise_and_alerts_the_team() {
    let Some(smtp) = Smtp::start() else { return };
    let smtp = std::sync::Arc::new(smtp);
    on_every_database(
        |c| {
            with_email(c, &smtp);
            c.business_hours = "always".into();
        },
        async |app| {
            let before = smtp.received().len();
            let (status, _, answer) = app
                .post(
                    "/api/v1/handoffs",
                    &handoff(&format!("unanswered-{}", app.backend)),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED);
            assert_eq!(answer["status"], "available");
            let token = answer["token"].as_str().unwrap().to_owned();
            let sweep = || {
                app.state
                    .conversations
                    .sweep_unanswered(120_000, www::clock::now_ms())
            };
            // Not yet: it has waited less than two minutes.
            assert_eq!(sweep().await.unwrap(), 0);
            // Three minutes ago, as far as the database knows.
            let c = app
                .state
                .conversations
                .by_token(&token)
                .await
                .unwrap()
                .unwrap();
            sqlx::query("UPDATE conversations SET created_at = created_at - 180000 WHERE id = $1")
                .bind(c.id)
                .execute(app.state.db.pool())
                .await
                .unwrap();
            assert_eq!(sweep().await.unwrap(), 1);
            assert_eq!(sweep().await.unwrap(), 0, "once");
            let c = app
                .state
                .conversations
                .by_token(&token)
                .await
                .unwrap()
                .unwrap();
            assert!(!c.live);
            let events = app
                .state
                .conversations
                .events_after(Some(c.id), 0, &flow_runtime::wire::event::SHOPPER, 10)
                .await
                .unwrap();
            assert!(events.iter().any(|e| e.kind == "unanswered"), "{events:?}");
            app.post(
                &format!("/api/v1/conversations/{token}/email"),
                &json!({ "email": "ana@example.com" }),
            )
            .await;
            worker(&app, &smtp).send_due().await.unwrap();
            let got = smtp.wait_for(before + 3, Duration::from_secs(10)).await;
            let got = &got[before..];
            let subjects: Vec<&str> = got.iter().filter_map(|r| r.header("subject")).collect();
            assert_eq!(got.len(), 3, "{subjects:?}");
            let team: Vec<String> = got
                .iter()
                .filter(|r| r.header("subject").unwrap().contains("waiting"))
                .map(|r| r.text())
                .collect();
            assert_eq!(team.len(), 2);
            assert!(
                team[0].contains("waited 2 min for a person and nobody answered"),
                "{}",
                team[0]
            );
        },
    )
    .await;
}

/// A shopper who has left gets the team's reply by email, with the recent transcript and a
/// link back into the conversation: a resume token (not the conversation's token) that
/// opens it for 7 days. Closing asks them for a rating the same way. A shopper who is
/// following the conversation gets no email.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_to_a_shopper_who_left_is_emailed_with_a_way_back() {
    let Some(smtp) = Smtp::start() else { return };
    let smtp = std::sync::Arc::new(smtp);
    on_every_database(
        |c| {
            with_email(c, &smtp);
            c.business_hours = "always".into();
        },
        async |app| {
            let (_, _, answer) = app
                .post(
                    "/api/v1/handoffs",
                    &handoff(&format!("reply-{}", app.backend)),
                )
                .await;
            let token = answer["token"].as_str().unwrap().to_owned();
            app.post(
                &format!("/api/v1/conversations/{token}/email"),
                &json!({ "email": "ana@example.com" }),
            )
            .await;
            let c = app
                .state
                .conversations
                .by_token(&token)
                .await
                .unwrap()
                .unwrap();
            let agents = www::agents::list(&app.state.db).await.unwrap();
            let agent = agents
                .iter()
                .find(|a| a.email == www::orders::demo::AGENT_EMAIL)
                .unwrap();
            // Following: no email.
            app.state
                .conversations
                .agent_says(c.id, agent, "Looking now.", true)
                .await
                .unwrap();
            // Gone: emailed.
            app.state
                .conversations
                .agent_says(c.id, agent, "Found it: it ships Monday.", false)
                .await
                .unwrap();
            let before = smtp.received().len();
            worker(&app, &smtp).send_due().await.unwrap();
            let got = smtp.wait_for(before + 1, Duration::from_secs(10)).await;
            let got = &got[before..];
            assert_eq!(got.len(), 1, "one email: the reply the shopper did not see");
            let reply = &got[0];
            assert_eq!(reply.header("x-rcptto"), Some("ana@example.com"));
            assert_eq!(reply.header("reply-to"), Some(TEAM));
            let text = reply.text();
            assert!(text.contains("Found it: it ships Monday."), "{text}");
            assert!(
                text.contains("Looking now."),
                "the recent transcript: {text}"
            );
            assert!(text.contains("You: my parcel is lost"), "{text}");
            let link = text
                .split_whitespace()
                .find(|w| w.starts_with("https://shop.example/checkout#bellhop-resume="))
                .expect("a link back to the page it started on");
            let resume = link.split('=').nth(1).unwrap().to_owned();
            assert_ne!(resume, token, "never the conversation's own token");
            let (status, _, opened) = app
                .post("/api/v1/conversations/resume", &json!({ "resume": resume }))
                .await;
            assert_eq!(status, StatusCode::OK, "{opened}");
            assert_eq!(opened["token"], token.as_str());
            assert_eq!(opened["status"], "open");
            let (status, _, _) = app
                .post(
                    "/api/v1/conversations/resume",
                    &json!({ "resume": "0".repeat(48) }),
                )
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND);
            sqlx::query("UPDATE resume_tokens SET expires_at = 0")
                .execute(app.state.db.pool())
                .await
                .unwrap();
            let (status, _, _) = app
                .post("/api/v1/conversations/resume", &json!({ "resume": resume }))
                .await;
            assert_eq!(status, StatusCode::NOT_FOUND, "expired");

            // Closed while the shopper is away: the rating is asked by email.
            assert!(app.state.conversations.close(c.id, false).await.unwrap());
            worker(&app, &smtp).send_due().await.unwrap();
            let got = smtp.wait_for(before + 2, Duration::from_secs(10)).await;
            let rating = &got[before + 1];
            assert!(
                rating.text().contains("How did we do?"),
                "{}",
                rating.text()
            );
            assert!(rating.text().contains("#bellhop-resume="));
        },
    )
    .await;
}
