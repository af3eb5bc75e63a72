//! Webhooks to a real HTTP receiver: signed, retried with backoff, logged.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use support::{handoff, on_every_database};

type Received = Arc<Mutex<Vec<(HeaderMap, String)>>>;

/// A help desk that fails the first request it gets, then accepts.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    let r = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: String| {
            let r = r.clone();
            async move {
                let mut list = r.lock().unwrap();
                list.push((headers, body));
                if list.len() == 1 {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

#[tokio::test]
async fn conversation_events_reach_the_help_desk_signed_and_retried_until_accepted() {
    on_every_database(
        |c| c.webhook_url = Some("http://placeholder".into()),
        async |app| {
            let (url, received) = receiver().await;
            let mut worker = www::webhooks::Worker::new(app.state.db.clone(), url, "s3cret".into());
            worker.base_delay = Duration::from_millis(50);

            let (_, _, h) = app.post("/api/v1/handoffs", &handoff("hook-1-1")).await;
            let token = h["token"].as_str().unwrap().to_owned();
            app.post(
                &format!("/api/v1/conversations/{token}/messages"),
                &json!({ "key": "k1", "text": "hello?" }),
            )
            .await;
            let id = app.conversations().await[0].id;
            app.state.conversations.close(id, true).await.unwrap();

            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            loop {
                worker.send_due().await.unwrap();
                let log = www::webhooks::log(&app.state.db, 10).await.unwrap();
                if log.len() == 3 && log.iter().all(|d| d.status == "delivered") {
                    break;
                }
                assert!(
                    tokio::time::Instant::now() < deadline,
                    "not delivered: {log:?}"
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let got = received.lock().unwrap().clone();
            assert_eq!(got.len(), 4, "three events, the first tried twice");
            let events: Vec<String> = got
                .iter()
                .map(|(_, b)| {
                    serde_json::from_str::<Value>(b).unwrap()["event"]
                        .as_str()
                        .unwrap()
                        .to_owned()
                })
                .collect();
            assert_eq!(
                events,
                [
                    "conversation.created",
                    "conversation.created",
                    "conversation.shopper_message",
                    "conversation.closed"
                ]
            );
            // A retry is the same delivery; each request is signed over its timestamp and body.
            assert_eq!(got[0].0["bellhop-delivery"], got[1].0["bellhop-delivery"]);
            assert_ne!(got[1].0["bellhop-delivery"], got[2].0["bellhop-delivery"]);
            for (headers, body) in &got {
                let ts: i64 = headers["bellhop-timestamp"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert_eq!(
                    headers["bellhop-signature"].to_str().unwrap(),
                    www::webhooks::signature("s3cret", ts, body)
                );
                assert_ne!(
                    headers["bellhop-signature"].to_str().unwrap(),
                    www::webhooks::signature("other", ts, body)
                );
            }
            let created: Value = serde_json::from_str(&got[0].1).unwrap();
            assert_eq!(created["transcript"][1]["text"], "my parcel is lost");
            assert_eq!(
                created["conversation"]["context"]["trigger"],
                "exit-checkout"
            );
            let log = www::webhooks::log(&app.state.db, 10).await.unwrap();
            let first = log
                .iter()
                .find(|d| d.event == "conversation.created")
                .unwrap();
            assert_eq!(first.attempts, 2);
            assert_eq!(first.last_status, Some(200));
        },
    )
    .await;
}

#[tokio::test]
async fn an_unreachable_help_desk_is_retried_with_growing_delays_and_then_given_up() {
    on_every_database(
        |c| c.webhook_url = Some("http://placeholder".into()),
        async |app| {
            // Nothing listens on this port.
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut worker = www::webhooks::Worker::new(
                app.state.db.clone(),
                format!("http://127.0.0.1:{port}/"),
                "k".into(),
            );
            worker.base_delay = Duration::from_millis(5);
            app.post("/api/v1/handoffs", &handoff("hook-2-1")).await;
            // Each gap is measured from just before the attempt, so a slow machine can only
            // make it look longer than the delay, never shorter: the lower bounds below hold.
            let mut gaps = Vec::new();
            let mut due = www::clock::now_ms();
            for _ in 0..www::webhooks::MAX_ATTEMPTS {
                let wait = (due - www::clock::now_ms()).max(0) as u64 + 5;
                tokio::time::sleep(Duration::from_millis(wait)).await;
                let before = www::clock::now_ms();
                assert_eq!(worker.send_due().await.unwrap(), 1);
                let d = &www::webhooks::log(&app.state.db, 1).await.unwrap()[0];
                gaps.push(d.next_attempt_at - before);
                due = d.next_attempt_at;
            }
            for (n, gap) in gaps.iter().take(gaps.len() - 1).enumerate() {
                assert!(
                    *gap >= 5 << n,
                    "attempt {} waits at least {} ms: {gaps:?}",
                    n + 1,
                    5 << n
                );
            }
            let d = &www::webhooks::log(&app.state.db, 1).await.unwrap()[0];
            assert_eq!(d.status, "failed");
            assert_eq!(d.attempts, www::webhooks::MAX_ATTEMPTS);
            assert!(d.last_error.is_some());
            assert_eq!(
                worker.send_due().await.unwrap(),
                0,
                "a failed delivery is not tried again"
            );
        },
    )
    .await;
}
