//! A handoff is live only within business hours *and* while someone of the team has the
//! inbox open without having said "away" (on SQLite and PostgreSQL).

mod support;

use axum::http::StatusCode;
use support::browser::{cookies, enc, form, get, hidden, text};
use support::{TestApp, handoff, on_every_database};
use www::orders::demo::{AGENT_EMAIL, AGENT_PASSWORD};

async fn hand_off(app: &TestApp, label: &str) -> String {
    let (status, _, answer) = app.post("/api/v1/handoffs", &handoff(label)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn live_means_someone_has_the_inbox_open_and_is_not_away() {
    on_every_database(
        |c| c.business_hours = "always".into(),
        async |mut app| {
            let b = app.backend;
            app.nobody_here();
            assert_eq!(
                hand_off(&app, &format!("nobody-{b}")).await,
                "offline",
                "within hours, nobody here"
            );

            // The agent logs in and opens the inbox: its event stream is the heartbeat.
            let login = app
                .send(form(
                    "/inbox/login",
                    "",
                    &format!(
                        "email={}&password={}",
                        enc(AGENT_EMAIL),
                        enc(AGENT_PASSWORD)
                    ),
                ))
                .await;
            let cookie = cookies(&login).join("; ");
            let stream = app.send(get("/inbox/events", &cookie)).await;
            assert_eq!(stream.status(), StatusCode::OK);
            assert_eq!(hand_off(&app, &format!("here-{b}")).await, "available");

            // "Set me away": an open inbox no longer counts.
            let page = text(app.send(get("/inbox", &cookie)).await).await;
            assert!(page.contains("Set me away"), "{page}");
            let csrf = hidden(&page, "csrf");
            let r = app
                .send(form(
                    "/inbox/away",
                    &cookie,
                    &format!("csrf={csrf}&away=yes"),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(hand_off(&app, &format!("away-{b}")).await, "offline");
            let page = text(app.send(get("/inbox", &cookie)).await).await;
            assert!(
                page.contains("I'm back") || page.contains("I&#39;m back"),
                "{page}"
            );
            app.send(form(
                "/inbox/away",
                &cookie,
                &format!("csrf={csrf}&away=no"),
            ))
            .await;
            assert_eq!(hand_off(&app, &format!("back-{b}")).await, "available");

            // The tab closes (the stream ends): nobody is here.
            drop(stream);
            assert_eq!(hand_off(&app, &format!("gone-{b}")).await, "offline");
        },
    )
    .await;
}

#[tokio::test]
async fn outside_business_hours_an_open_inbox_does_not_make_it_live() {
    on_every_database(
        |c| c.business_hours = "never".into(),
        async |app| {
            assert_eq!(
                hand_off(&app, &format!("closed-{}", app.backend)).await,
                "offline"
            );
        },
    )
    .await;
}
