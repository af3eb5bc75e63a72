//! A handoff from the shopper's side (the event stream) and the agent's (the inbox), on
//! SQLite and PostgreSQL.

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::json;
use support::{TestApp, handoff, on_every_database};

/// Reads an event stream until `until` appears in it (or fails after 5 s).
async fn read_stream(body: &mut Body, text: &mut String, until: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !text.contains(until) {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .unwrap_or_else(|_| panic!("no `{until}` in the stream; it says:\n{text}"));
        if let Some(Ok(frame)) = frame {
            if let Some(data) = frame.data_ref() {
                text.push_str(&String::from_utf8_lossy(data));
            }
        }
    }
}

async fn open_stream(app: &TestApp, token: &str, last_event: Option<&str>) -> Body {
    let mut request = Request::get(format!("/api/v1/conversations/{token}/events"));
    if let Some(id) = last_event {
        request = request.header("last-event-id", id);
    }
    let response = app.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    response.into_body()
}

#[tokio::test]
async fn the_shopper_sees_the_agent_join_reply_and_close_live_and_resumes_without_repeats() {
    on_every_database(
        |_| {},
        async |app| {
            let (_, _, h) = app.post("/api/v1/handoffs", &handoff("live-1-1")).await;
            let token = h["token"].as_str().unwrap().to_owned();
            let id = app.conversations().await[0].id;
            let agent = www::agents::add(
                &app.state.db,
                "alex@shop.example",
                "Alex",
                "correct horse battery",
            )
            .await
            .unwrap();

            let mut stream = open_stream(&app, &token, None).await;
            let mut seen = String::new();
            app.state
                .conversations
                .agent_says(id, &agent, "Hi, I'm Alex. Let me check.", true)
                .await
                .ok()
                .unwrap();
            read_stream(&mut stream, &mut seen, "Let me check").await;
            assert!(
                seen.contains("event: joined\ndata: {\"name\":\"Alex\"}"),
                "{seen}"
            );
            assert!(seen.contains("event: message"), "{seen}");

            // The shopper answers, twice with the same key (a retry): stored once.
            for _ in 0..2 {
                let (s, _, _) = app
                    .post(
                        &format!("/api/v1/conversations/{token}/messages"),
                        &json!({ "key": "m-1", "text": "Thanks! It's order 10234" }),
                    )
                    .await;
                assert_eq!(s, StatusCode::OK);
            }
            let detail = app.state.conversations.detail(id).await.unwrap().unwrap();
            let shopper: Vec<_> = detail
                .messages
                .iter()
                .filter(|m| m.text.contains("order 10234"))
                .collect();
            assert_eq!(shopper.len(), 1);
            assert_eq!(detail.summary.status, "open");
            assert!(
                !seen.contains("order 10234"),
                "the shopper's own words are not echoed"
            );

            // Rating before the end is refused; after it, kept.
            let rate = json!({ "score": 5, "comment": "quick and kind" });
            let (s, _, _) = app
                .post(&format!("/api/v1/conversations/{token}/rating"), &rate)
                .await;
            assert_eq!(s, StatusCode::CONFLICT);
            let last_id = seen
                .lines()
                .filter_map(|l| l.strip_prefix("id: "))
                .last()
                .unwrap()
                .to_owned();
            drop(stream);

            // While the shopper is away: another reply, then the close.
            app.state
                .conversations
                .agent_says(id, &agent, "It arrives Tuesday.", true)
                .await
                .ok()
                .unwrap();
            assert!(app.state.conversations.close(id, true).await.unwrap());
            let mut stream = open_stream(&app, &token, Some(&last_id)).await;
            let mut resumed = String::new();
            read_stream(&mut stream, &mut resumed, "event: closed").await;
            assert!(resumed.contains("It arrives Tuesday."), "{resumed}");
            assert!(
                !resumed.contains("Let me check"),
                "nothing is repeated: {resumed}"
            );
            assert!(!resumed.contains("joined"), "{resumed}");

            let (s, _, _) = app
                .post(&format!("/api/v1/conversations/{token}/rating"), &rate)
                .await;
            assert_eq!(s, StatusCode::NO_CONTENT);
            let (s, _, body) = app
                .post(
                    &format!("/api/v1/conversations/{token}/messages"),
                    &json!({ "key": "m-2", "text": "one more thing" }),
                )
                .await;
            assert_eq!(s, StatusCode::CONFLICT);
            assert_eq!(body["error"]["code"], "conversation_closed");
            let (_, _, status) = app.get(&format!("/api/v1/conversations/{token}")).await;
            assert_eq!(status["status"], "closed");
            assert_eq!(status["agent"], "Alex");
            let detail = app.state.conversations.detail(id).await.unwrap().unwrap();
            assert_eq!(detail.summary.rating, Some(5));
            assert_eq!(detail.rating_comment.as_deref(), Some("quick and kind"));
        },
    )
    .await;
}

fn form(path: &str, cookie: Option<&str>, origin: Option<&str>, body: &str) -> Request<Body> {
    let mut r = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, "inbox.test");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    if let Some(o) = origin {
        r = r.header(header::ORIGIN, o);
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

fn page(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test]
async fn an_agent_logs_in_sees_the_queue_and_context_replies_and_closes() {
    on_every_database(
        |_| {},
        async |app| {
            // Not logged in: sent to the login form.
            let r = app
                .send(Request::get("/inbox").body(Body::empty()).unwrap())
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(r.headers()[header::LOCATION], "/inbox/login");

            // A wrong password, then the right one (the demo agent).
            let r = app
                .send(form(
                    "/inbox/login",
                    None,
                    Some("http://inbox.test"),
                    "email=agent%40fernhill.example&password=wrong",
                ))
                .await;
            assert_eq!(r.headers()[header::LOCATION], "/inbox/login?failed=true");
            assert!(r.headers().get(header::SET_COOKIE).is_none());
            let r = app
                .send(form(
                    "/inbox/login",
                    None,
                    Some("http://inbox.test"),
                    "email=Agent%40fernhill.example&password=fernhill-demo",
                ))
                .await;
            assert_eq!(r.headers()[header::LOCATION], "/inbox");
            let set = r.headers()[header::SET_COOKIE].to_str().unwrap().to_owned();
            for flag in ["HttpOnly", "SameSite=Strict", "Path=/;"] {
                assert!(set.contains(flag), "{set}");
            }
            let cookie = set.split(';').next().unwrap().to_owned();

            // A login from another site's form is refused.
            let r = app
                .send(form(
                    "/inbox/login",
                    None,
                    Some("https://evil.example"),
                    "email=a&password=b",
                ))
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN);

            let (_, _, h) = app.post("/api/v1/handoffs", &handoff("inbox-1-1")).await;
            let token = h["token"].as_str().unwrap().to_owned();
            let (_, _, queue) = support::split(app.send(page("/inbox", &cookie)).await).await;
            let queue = queue.as_str().unwrap().to_owned();
            assert!(
                queue.contains("my parcel is lost"),
                "the last shopper message shows"
            );
            assert!(queue.contains("https://shop.example/checkout"));
            let id = app.conversations().await[0].id;

            let (s, _, html) = support::split(
                app.send(page(&format!("/inbox/conversations/{id}"), &cookie))
                    .await,
            )
            .await;
            assert_eq!(s, StatusCode::OK);
            let html = html.as_str().unwrap().to_owned();
            for expected in [
                "Fern!",
                "my parcel is lost",
                "2 items · €218.00",
                "exit-checkout",
                "(variant b)",
                "sounded frustrated",
                "How long does shipping take?",
                "41 % sure",
            ] {
                assert!(
                    html.contains(expected),
                    "{expected} in the conversation page"
                );
            }
            let csrf = html
                .split("name=\"csrf\" value=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned();

            // A reply without the CSRF token is refused, with it it reaches the shopper.
            let r = app
                .send(form(
                    &format!("/inbox/conversations/{id}/reply"),
                    Some(&cookie),
                    None,
                    "csrf=nope&text=hello",
                ))
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
            let r = app
                .send(form(
                    &format!("/inbox/conversations/{id}/reply"),
                    Some(&cookie),
                    Some("http://inbox.test"),
                    &format!("csrf={csrf}&text=%3Cb%3EHello%3C%2Fb%3E"),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let (_, _, status) = app.get(&format!("/api/v1/conversations/{token}")).await;
            assert_eq!(status["status"], "open");
            assert_eq!(status["agent"], "Alex");
            let (_, _, html) = support::split(
                app.send(page(&format!("/inbox/conversations/{id}"), &cookie))
                    .await,
            )
            .await;
            assert!(
                html.as_str().unwrap().contains("&lt;b&gt;Hello&lt;/b&gt;"),
                "agent text is escaped too"
            );

            let r = app
                .send(form(
                    &format!("/inbox/conversations/{id}/close"),
                    Some(&cookie),
                    None,
                    &format!("csrf={csrf}"),
                ))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            let (_, _, status) = app.get(&format!("/api/v1/conversations/{token}")).await;
            assert_eq!(status["status"], "closed");

            // The webhook delivery log is part of the inbox.
            let (s, _, html) =
                support::split(app.send(page("/inbox/webhooks", &cookie)).await).await;
            assert_eq!(s, StatusCode::OK);
            assert!(html.as_str().unwrap().contains("No webhook is configured"));

            // Logging out ends the session.
            let r = app
                .send(form(
                    "/inbox/logout",
                    Some(&cookie),
                    None,
                    &format!("csrf={csrf}"),
                ))
                .await;
            assert!(
                r.headers()[header::SET_COOKIE]
                    .to_str()
                    .unwrap()
                    .contains("Max-Age=0")
            );
            let r = app.send(page("/inbox", &cookie)).await;
            assert_eq!(r.headers()[header::LOCATION], "/inbox/login");
        },
    )
    .await;
}

#[tokio::test]
async fn the_session_cookie_is_secure_over_https() {
    on_every_database(
        |c| c.trust_proxy = 1,
        async |app| {
            let mut request = form(
                "/inbox/login",
                None,
                Some("http://inbox.test"),
                "email=agent%40fernhill.example&password=fernhill-demo",
            );
            request
                .headers_mut()
                .insert("x-forwarded-proto", "https".parse().unwrap());
            let r = app.send(request).await;
            let set = r.headers()[header::SET_COOKIE].to_str().unwrap();
            assert!(set.ends_with("; Secure"), "{set}");
        },
    )
    .await;
}

/// An agent replying while the shopper writes: every write lands, none is refused. On
/// SQLite a transaction that reads before it writes used to fail at once with
/// `SQLITE_BUSY` when the other side wrote in between (CI saw an agent's reply refused
/// with 503); writers now take the lock when they begin and wait their turn.
#[tokio::test]
async fn an_agent_and_the_shopper_writing_at_once_both_land() {
    on_every_database(
        |_| {},
        async |app| {
            let (_, _, h) = app
                .post("/api/v1/handoffs", &handoff("busy-writers-1"))
                .await;
            let token = h["token"].as_str().unwrap().to_owned();
            let id = app.conversations().await[0].id;
            let agent = www::agents::add(
                &app.state.db,
                "sam@shop.example",
                "Sam",
                "correct horse battery",
            )
            .await
            .unwrap();
            let conversation = app
                .state
                .conversations
                .by_token(&token)
                .await
                .unwrap()
                .unwrap();
            let conversations = &app.state.conversations;
            let before = conversations
                .detail(id)
                .await
                .unwrap()
                .unwrap()
                .messages
                .len();
            let agent_writes = (0..12).map(|i| {
                let agent = &agent;
                async move {
                    conversations
                        .agent_says(id, agent, &format!("agent {i}"), true)
                        .await
                        .map_err(|e| format!("{e:?}"))
                }
            });
            let shopper_writes = (0..12).map(|i| {
                let conversation = &conversation;
                async move {
                    conversations
                        .shopper_says(conversation, &format!("k-{i}"), &format!("shopper {i}"))
                        .await
                        .map_err(|e| format!("{e:?}"))
                }
            });
            let (agent, shopper) = tokio::join!(
                futures_util::future::join_all(agent_writes),
                futures_util::future::join_all(shopper_writes)
            );
            for result in agent.iter().chain(&shopper) {
                assert!(
                    result.is_ok(),
                    "{} refused a write: {result:?}",
                    app.backend
                );
            }
            let detail = conversations.detail(id).await.unwrap().unwrap();
            assert_eq!(detail.messages.len(), before + 24, "{}", app.backend);
        },
    )
    .await;
}

#[tokio::test]
async fn password_guessing_is_slowed_down_per_address_and_per_account() {
    on_every_database(
        |_| {},
        async |app| {
            let login = |password: &str| {
                form(
                    "/inbox/login",
                    None,
                    Some("http://inbox.test"),
                    &format!("email=agent%40fernhill.example&password={password}"),
                )
            };
            for i in 0..www::inbox::throttle::PAIR_FAILURES {
                // Mistyping is allowed a few times.
                let r = app.send(login(&format!("guess-{i}"))).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "guess {i}");
            }
            // From now on every guess waits, longer and longer, and costs no hashing.
            let mut waits = Vec::new();
            for i in 0..25 {
                let r = app.send(login(&format!("more-{i}"))).await;
                assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "guess {i}");
                waits.push(
                    r.headers()[header::RETRY_AFTER]
                        .to_str()
                        .unwrap()
                        .parse::<u64>()
                        .unwrap(),
                );
                let html = String::from_utf8(
                    axum::body::to_bytes(r.into_body(), 1 << 20)
                        .await
                        .unwrap()
                        .to_vec(),
                )
                .unwrap();
                assert!(html.contains("Too many failed logins"), "{html}");
            }
            assert!(waits.iter().all(|&w| w >= 1));
            // Even the right password is refused while the account is locked out.
            let r = app.send(login("fernhill-demo")).await;
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(r.headers().get(header::SET_COOKIE).is_none());
        },
    )
    .await;
}

#[tokio::test]
async fn a_live_conversation_is_rate_limited_and_its_streams_are_capped() {
    on_every_database(
        |_| {},
        async |app| {
            let (_, _, h) = app.post("/api/v1/handoffs", &handoff("limits-1")).await;
            let token = h["token"].as_str().unwrap().to_owned();
            // Messages: a person's pace goes through, a script's burst does not.
            let mut statuses = Vec::new();
            for i in 0..40 {
                let (s, headers, _) = app
                    .post(
                        &format!("/api/v1/conversations/{token}/messages"),
                        &json!({ "key": format!("burst-{i}"), "text": "x".repeat(2000) }),
                    )
                    .await;
                if s == StatusCode::TOO_MANY_REQUESTS {
                    assert!(headers.contains_key(header::RETRY_AFTER));
                }
                statuses.push(s.as_u16());
            }
            assert_eq!(
                statuses.iter().filter(|&&s| s == 200).count(),
                30,
                "{statuses:?}"
            );
            assert_eq!(statuses.iter().filter(|&&s| s == 429).count(), 10);
            // Email changes and ratings likewise.
            for (path, body, allowed) in [
                ("email", json!({ "email": "ana@example.com" }), 5),
                ("rating", json!({ "score": 5 }), 5),
            ] {
                let mut limited = 0;
                for _ in 0..8 {
                    let (s, _, _) = app
                        .post(&format!("/api/v1/conversations/{token}/{path}"), &body)
                        .await;
                    if s == StatusCode::TOO_MANY_REQUESTS {
                        limited += 1;
                    }
                }
                assert_eq!(limited, 8 - allowed, "{path}");
            }
            // Event streams: a few per conversation (tabs), then 429 until one closes.
            let mut open = Vec::new();
            for _ in 0..4 {
                open.push(open_stream(&app, &token, None).await);
            }
            let r = app
                .send(
                    Request::get(format!("/api/v1/conversations/{token}/events"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            drop(open.pop());
            open.push(open_stream(&app, &token, None).await);
        },
    )
    .await;
}
