//! The HTTP surface through `app(state).oneshot(request)`: no socket, a real SQLite file.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use www::{AppState, Db, app};

async fn state(widget_dir: Option<&Path>) -> (AppState, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
    let db = Db::connect(&url).await.unwrap();
    let mut config = www::Config::for_tests();
    config.widget_dir = widget_dir.map(Path::to_owned);
    (AppState::new(db, &config).unwrap(), dir)
}

async fn get(
    state: &AppState,
    uri: &str,
    headers: &[(header::HeaderName, &str)],
) -> axum::response::Response {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    app(state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

async fn body(response: axum::response::Response) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec()
}

#[tokio::test]
async fn health_check_answers_when_the_database_does() {
    let (state, _dir) = state(None).await;
    assert_eq!(
        get(&state, "/healthz", &[]).await.status(),
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn the_database_file_is_created_and_migrated_on_first_start() {
    let (state, dir) = state(None).await;
    assert!(dir.path().join("test.db").is_file());
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(state.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn every_demo_page_embeds_the_widget_with_one_async_tag() {
    let (state, _dir) = state(None).await;
    for page in ["/", "/products/trail-runner", "/checkout"] {
        let response = get(&state, page, &[]).await;
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        let html = String::from_utf8(body(response).await).unwrap();
        let tag = r#"<script async src="/bellhop/bellhop.js" data-flow="/flows/demo.json" data-fallback="mailto:help@fernhill.example"></script>"#;
        assert_eq!(html.matches(tag).count(), 1, "{page}");
    }
    assert_eq!(
        get(&state, "/products/no-such-thing", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn benchmarks_can_serve_a_page_without_the_tag_or_with_another_flow() {
    let (state, _dir) = state(None).await;
    let html = |uri: &'static str| {
        let state = state.clone();
        async move { String::from_utf8(body(get(&state, uri, &[]).await).await).unwrap() }
    };
    assert!(
        !html("/products/trail-runner?bellhop=off")
            .await
            .contains("bellhop.js")
    );
    assert!(
        html("/?flow=faq-500")
            .await
            .contains(r#"data-flow="/flows/faq-500.json""#)
    );
    // Anything but a plain name keeps the demo flow.
    let odd = html("/?flow=..%2Fx%22%3E%3Cscript%3E").await;
    assert!(odd.contains(r#"data-flow="/flows/demo.json""#));
    assert!(!odd.contains("<script>"));
}

#[tokio::test]
async fn the_demo_flow_is_served_revalidated_by_etag() {
    let (state, _dir) = state(None).await;
    let response = get(&state, "/flows/demo.json", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    assert_eq!(response.headers()[header::CACHE_CONTROL], "no-cache");
    let etag = response.headers()[header::ETAG]
        .to_str()
        .unwrap()
        .to_owned();
    let flow: serde_json::Value = serde_json::from_slice(&body(response).await).unwrap();
    assert_eq!(flow["bot"]["name"], "Fern from Fernhill");

    let again = get(
        &state,
        "/flows/demo.json",
        &[(header::IF_NONE_MATCH, &etag)],
    )
    .await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(
        get(&state, "/flows/..%2Fsecret.json", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&state, "/flows/other.json", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn widget_files_are_served_precompressed_with_the_right_types_and_caching() {
    let widget = tempfile::tempdir().unwrap();
    std::fs::write(widget.path().join("bellhop.js"), "loader").unwrap();
    std::fs::write(
        widget.path().join("bellhop-0123456789abcdef_bg.wasm"),
        b"\0asm",
    )
    .unwrap();
    std::fs::write(
        widget.path().join("bellhop-0123456789abcdef_bg.wasm.br"),
        b"brotli!",
    )
    .unwrap();
    let (state, _dir) = state(Some(widget.path())).await;

    let loader = get(&state, "/bellhop/bellhop.js", &[]).await;
    assert_eq!(loader.status(), StatusCode::OK);
    assert!(
        loader.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(loader.headers()[header::CACHE_CONTROL], "no-cache");
    assert_eq!(loader.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");

    let wasm = get(
        &state,
        "/bellhop/bellhop-0123456789abcdef_bg.wasm",
        &[(header::ACCEPT_ENCODING, "br, gzip")],
    )
    .await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(wasm.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(
        wasm.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(body(wasm).await, b"brotli!");

    let plain = get(&state, "/bellhop/bellhop-0123456789abcdef_bg.wasm", &[]).await;
    assert_eq!(body(plain).await, b"\0asm");
}

#[tokio::test]
async fn the_widget_gets_the_flow_checked_and_compiled() {
    let (state, _dir) = state(None).await;
    let response = get(&state, "/flows/demo.json?format=bhf", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/vnd.bellhop.flow"
    );
    let flow = flow_runtime::Flow::from_bytes(&body(response).await).unwrap();
    assert_eq!(flow.bot.name, "Fern from Fernhill");

    // The eager stage's part: the same flow's launcher and triggers, and much smaller.
    let response = get(&state, "/flows/demo.json?format=bhl", &[]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/vnd.bellhop.launch"
    );
    assert!(response.headers().contains_key(header::ETAG));
    let bytes = body(response).await;
    let launch = flow_runtime::flow::Launch::from_bytes(&bytes).unwrap();
    assert_eq!(launch, flow.launch());
    assert!(!launch.triggers.is_empty());
    assert!(
        bytes.len() * 4 < flow.to_bytes().len(),
        "{} bytes",
        bytes.len()
    );
}

#[tokio::test]
async fn a_broken_flow_file_is_imported_as_a_draft_and_not_served() {
    let flows = tempfile::tempdir().unwrap();
    std::fs::write(
        flows.path().join("shop.json"),
        r#"{"bot": {"name": "X"}, "steps": [{"id": "a", "type": "message", "next": "b"}]}"#,
    )
    .unwrap();
    let (mut state, _dir) = state(None).await;
    state.flows = www::flows::Flows::new(state.db.clone(), Some(flows.path().to_owned()));
    // A draft never published is not served, and not compiled for whoever asks: its
    // problems are the owner's to read in the console, not an anonymous visitor's.
    let response = get(&state, "/flows/shop.json?format=bhf", &[]).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let answer: serde_json::Value = serde_json::from_slice(&body(response).await).unwrap();
    assert_eq!(answer["error"]["code"], "flow_unpublished", "{answer}");
    assert!(!answer.to_string().contains("no step"), "{answer}");
    // The draft is in the database, to fix in the console.
    let draft = www::flows::store::draft(&state.db, "shop")
        .await
        .unwrap()
        .unwrap();
    assert!(draft.source.contains("\"next\": \"b\""));
    // The file, edited later, is not what is served: the database is the truth now.
    let fixed =
        r#"{"bot": {"name": "X"}, "steps": [{"id": "a", "type": "message", "text": "Hi"}]}"#;
    std::fs::write(flows.path().join("shop.json"), fixed).unwrap();
    assert_eq!(
        get(&state, "/flows/shop.json?format=bhf", &[])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // Imported (as the console and `www flows import` do), it is published and served.
    let outcome = www::flows::admin::import(&state.db, "shop", fixed, "test")
        .await
        .unwrap();
    assert_eq!(outcome, www::flows::admin::Imported::Published(1));
    assert_eq!(
        get(&state, "/flows/shop.json?format=bhf", &[])
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_response_says_nosniff_and_every_api_error_is_json() {
    let (state, _dir) = state(None).await;
    for uri in [
        "/",
        "/products/trail-runner",
        "/healthz",
        "/flows/demo.json",
        "/api/v1/openapi.json",
        "/inbox/login",
        "/no/such/page",
        "/api/v1/no-such-route",
        "/api/v1/conversations/%FF%FE",
    ] {
        let r = get(&state, uri, &[]).await;
        assert_eq!(
            r.headers()
                .get(header::X_CONTENT_TYPE_OPTIONS)
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{uri}"
        );
        assert!(r.headers().contains_key(header::REFERRER_POLICY), "{uri}");
        if uri.starts_with("/api/v1/") && r.status() != StatusCode::OK {
            assert_eq!(
                r.headers()[header::CONTENT_TYPE],
                "application/json",
                "{uri}"
            );
            let b: serde_json::Value = serde_json::from_slice(&body(r).await).unwrap();
            assert!(b["error"]["code"].is_string(), "{uri}: {b}");
        }
    }
    // The inbox may not be framed by another site.
    let r = get(&state, "/inbox/login", &[]).await;
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    // A method the route does not have: a JSON 405.
    let r = app(state.clone())
        .oneshot(
            Request::delete("/api/v1/handoffs")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    let b: serde_json::Value = serde_json::from_slice(&body(r).await).unwrap();
    assert_eq!(b["error"]["code"], "method_not_allowed");
}
