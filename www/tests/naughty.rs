//! Every string of the Big List of Naughty Strings (tests/data/blns) into every endpoint, on
//! SQLite and PostgreSQL: each is refused with a clear 4xx or stored exactly as sent, never
//! a 5xx, and the inbox shows it as text.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::{handoff, on_every_database};

fn corpus() -> Vec<String> {
    let mut all: Vec<String> = serde_json::from_str(include_str!("data/blns/blns.json")).unwrap();
    // And the classic XSS payloads, whatever the list's version has.
    all.extend(
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "\"><svg/onload=alert(1)>",
            "javascript:alert(1)",
            "[click](javascript:alert(1))",
        ]
        .map(String::from),
    );
    all
}

fn acceptable(status: StatusCode, what: &str, s: &str) {
    assert!(
        status.is_success()
            || status == StatusCode::UNPROCESSABLE_ENTITY
            || status == StatusCode::NOT_FOUND,
        "{what} with {s:?} answered {status}"
    );
}

#[tokio::test]
async fn naughty_strings_are_refused_clearly_or_stored_exactly_never_a_server_error() {
    on_every_database(
        // Hundreds of strings into one conversation: no rate limits here (they have tests
        // of their own); every answer must still be clear.
        |c| {
            c.messages_per_minute = 0;
            c.changes_per_minute = 0;
            c.lookups_per_minute = 0;
            c.lookups_per_order_per_minute = 0;
            c.handoffs_per_minute = 0;
        },
        async |app| {
            let agent = www::agents::add(&app.state.db, "n@shop.example", "N", "a long password!")
                .await
                .unwrap();
            let session = www::agents::start_session(&app.state.db, &agent)
                .await
                .unwrap();
            let cookie = format!("{}={session}", www::staff::SESSION_COOKIE);
            let mut stored_exactly = 0;
            for (i, s) in corpus().iter().enumerate() {
                let (status, _, body) = app
                    .post("/api/v1/orders/lookup", &json!({ "number": s, "email": s }))
                    .await;
                acceptable(status, "lookup", s);
                assert!(body["error"]["code"].is_string(), "lookup {s:?}: {body}");

                let mut h = handoff(&format!("naughty-{i}"));
                h["transcript"][1]["text"] = json!(s);
                h["context"]["page_url"] = json!(s);
                let trigger: String = s.chars().take(100).collect();
                h["context"]["trigger"] = json!(trigger);
                let (status, _, body) = app.post("/api/v1/handoffs", &h).await;
                acceptable(status, "handoff", s);
                let Some(token) = body["token"].as_str().map(str::to_owned) else {
                    assert!(
                        s.contains('\0'),
                        "only NUL is refused in a transcript: {s:?} {body}"
                    );
                    continue;
                };
                let (status, _, _) = app
                    .post(
                        &format!("/api/v1/conversations/{token}/messages"),
                        &json!({ "key": format!("k{i}"), "text": s }),
                    )
                    .await;
                acceptable(status, "message", s);
                let (status, _, _) = app
                    .post(
                        &format!("/api/v1/conversations/{token}/email"),
                        &json!({ "email": s }),
                    )
                    .await;
                acceptable(status, "email", s);

                let c = app
                    .state
                    .conversations
                    .by_token(&token)
                    .await
                    .unwrap()
                    .unwrap();
                app.state
                    .conversations
                    .agent_says(c.id, &agent, s, true)
                    .await
                    .ok();
                app.state.conversations.close(c.id, true).await.unwrap();
                let (status, _, _) = app
                    .post(
                        &format!("/api/v1/conversations/{token}/rating"),
                        &json!({ "score": 3, "comment": s }),
                    )
                    .await;
                acceptable(status, "rating", s);

                let detail = app.state.conversations.detail(c.id).await.unwrap().unwrap();
                assert_eq!(
                    detail.messages[1].text, *s,
                    "the transcript keeps the string exactly"
                );
                assert_eq!(detail.summary.context.page_url, *s);
                assert_eq!(
                    detail.summary.context.trigger.as_deref(),
                    Some(trigger.as_str())
                );
                if !s.trim().is_empty() && !s.contains('\0') {
                    assert!(detail.messages.iter().any(|m| m.text == *s
                        && m.sender == flow_runtime::wire::Speaker::Shopper
                        && m.id != detail.messages[1].id));
                    stored_exactly += 1;
                }
                // The inbox page shows it as text: no tag from the string survives.
                let page = Request::get(format!("/inbox/conversations/{}", c.id))
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .unwrap();
                let (status, _, html) = support::split(app.send(page).await).await;
                assert_eq!(status, StatusCode::OK);
                let html = html.as_str().unwrap().to_owned();
                if s.contains('<') {
                    assert!(
                        !html.contains(s.as_str()),
                        "{s:?} reached the inbox's HTML unescaped"
                    );
                }

                // As a conversation token in the URL: not found, never an error.
                let path = format!("/api/v1/conversations/{}", utf8_percent(s));
                if let Ok(request) = Request::get(path).body(Body::empty()) {
                    let status = app.send(request).await.status();
                    assert!(status.is_client_error(), "token {s:?}: {status}");
                }
            }
            assert!(stored_exactly > 400, "{stored_exactly}");
            // Oversized and malformed bodies on every POST endpoint.
            let (_, _, h) = app
                .post("/api/v1/handoffs", &handoff("naughty-final"))
                .await;
            let token = h["token"].as_str().unwrap();
            for path in [
                "/api/v1/orders/lookup".to_owned(),
                "/api/v1/handoffs".to_owned(),
                format!("/api/v1/conversations/{token}/messages"),
                format!("/api/v1/conversations/{token}/email"),
                format!("/api/v1/conversations/{token}/rating"),
            ] {
                for (body, expected) in [
                    (
                        "x".repeat(www::api::MAX_BODY_BYTES + 10),
                        StatusCode::PAYLOAD_TOO_LARGE,
                    ),
                    ("{\"a\":".to_owned(), StatusCode::BAD_REQUEST),
                    ("[]".to_owned(), StatusCode::UNPROCESSABLE_ENTITY),
                    ("\u{feff}{}".to_owned(), StatusCode::BAD_REQUEST),
                ] {
                    let request = Request::post(&path)
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(body))
                        .unwrap();
                    let (status, _, json) = support::split(app.send(request).await).await;
                    assert_eq!(status, expected, "{path}: {json}");
                    assert!(json["error"]["code"].is_string(), "{path}: {json}");
                }
            }
        },
    )
    .await;
}

fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
