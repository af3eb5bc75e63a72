//! `/metrics` scraped as Prometheus would: only with the Bearer token (or on the private
//! metrics address), in the text format, with what the server did.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::{TestApp, handoff};
use www::Config;
use www::secrets::Secret;

const TOKEN: &str = "scrape-me-0123456789";

async fn scrape(app: &TestApp, bearer: Option<&str>) -> (StatusCode, String) {
    let mut request = Request::get("/metrics");
    if let Some(b) = bearer {
        request = request.header(header::AUTHORIZATION, format!("Bearer {b}"));
    }
    let response = app.send(request.body(Body::empty()).unwrap()).await;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn metrics_are_served_only_to_the_token_and_say_what_happened() {
    let mut config = Config::for_tests();
    config.metrics_token = Some(Secret::new(TOKEN));
    config.lookups_per_minute = 1000;
    let app = TestApp::sqlite(&config).await;
    assert_eq!(scrape(&app, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(scrape(&app, Some("wrong")).await.0, StatusCode::NOT_FOUND);

    let (status, _, _) = app
        .post(
            "/api/v1/orders/lookup",
            &json!({ "number": "10234", "email": "ana@example.com" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    app.post(
        "/api/v1/orders/lookup",
        &json!({ "number": "10234", "email": "eve@example.com" }),
    )
    .await;
    let (_, _, answer) = app.post("/api/v1/handoffs", &handoff("metrics")).await;
    let token = answer["token"].as_str().unwrap().to_owned();
    app.get(&format!("/api/v1/conversations/{token}")).await;
    assert_eq!(app.get("/readyz").await.0, StatusCode::NO_CONTENT);

    let (status, text) = scrape(&app, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        r#"bellhop_http_requests_total{method="POST",route="/api/v1/orders/lookup",status="200"} 1"#,
        r#"bellhop_http_requests_total{method="POST",route="/api/v1/orders/lookup",status="404"} 1"#,
        r#"bellhop_http_requests_total{method="GET",route="/api/v1/conversations/{token}",status="200"} 1"#,
        r#"bellhop_lookups_total{outcome="found"} 1"#,
        r#"bellhop_lookups_total{outcome="not_found"} 1"#,
        r#"bellhop_handoffs_total{outcome="live"} 1"#,
        r#"bellhop_http_request_duration_seconds_count{route="/api/v1/orders/lookup"} 2"#,
        r#"bellhop_order_source_calls_total{source="Imported orders",result="ok"} 2"#,
        "bellhop_emails_queued 0",
        "bellhop_webhooks_queued 0",
        "bellhop_database_up 1",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
    }
    assert!(
        !text.contains(&token),
        "a conversation's token is never a label"
    );
    // The text format: every sample is `name{labels} number`, every family has HELP and TYPE.
    for l in text.lines().filter(|l| !l.starts_with('#')) {
        let (name_labels, value) = l.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{l}");
        let name = name_labels.split('{').next().unwrap();
        let family = name
            .trim_end_matches("_bucket")
            .trim_end_matches("_sum")
            .trim_end_matches("_count");
        assert!(
            text.contains(&format!("# TYPE {family} "))
                || text.contains(&format!("# TYPE {name} ")),
            "no TYPE for {name}"
        );
    }
}

#[tokio::test]
async fn without_a_token_the_main_address_has_no_metrics() {
    let app = TestApp::sqlite(&Config::for_tests()).await;
    assert_eq!(scrape(&app, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(scrape(&app, Some("")).await.0, StatusCode::NOT_FOUND);
}
