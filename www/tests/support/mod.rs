//! What the server's tests share: an app on a real database, SQLite and, when
//! `cargo xtask test` has started one, PostgreSQL; and JSON requests through `oneshot`.
#![allow(dead_code)]

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::Connection;
use tower::ServiceExt;
use www::{AppState, Config, Db, app};

/// An app on a fresh database.
pub struct TestApp {
    pub backend: &'static str,
    pub state: AppState,
    _dir: Option<tempfile::TempDir>,
    /// The demo agent has the inbox open (so live handoffs are live within business hours);
    /// `None` after [`TestApp::nobody_here`].
    pub here: Option<www::staff::presence::Here>,
}

/// Where `cargo xtask test` started PostgreSQL (a server URL, e.g.
/// `postgres://postgres@127.0.0.1:5439/postgres`); each test makes its own database there.
pub const POSTGRES_ENV: &str = "BELLHOP_TEST_POSTGRES";

/// Runs `test` against SQLite, then PostgreSQL when there is one. Under `cargo xtask test`
/// (`BELLHOP_TEST_POSTGRES` set) PostgreSQL is never skipped.
pub async fn on_every_database(configure: impl Fn(&mut Config), test: impl AsyncFn(TestApp)) {
    let mut config = Config::for_tests();
    config.lookups_per_minute = 1000;
    config.lookups_per_order_per_minute = 1000;
    config.handoffs_per_minute = 1000;
    configure(&mut config);
    test(TestApp::sqlite(&config).await).await;
    match std::env::var(POSTGRES_ENV) {
        Ok(url) if !url.is_empty() => test(TestApp::postgres(&config, &url).await).await,
        _ => eprintln!(
            "note: {POSTGRES_ENV} is not set, so this ran on SQLite only (cargo xtask test runs both)"
        ),
    }
}

impl TestApp {
    pub async fn sqlite(config: &Config) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
        let db = Db::connect(&url).await.unwrap();
        www::seed_demo(&db).await.unwrap();
        TestApp::present(TestApp {
            backend: "sqlite",
            state: AppState::new(db, config).unwrap(),
            _dir: Some(dir),
            here: None,
        })
        .await
    }

    pub async fn postgres(config: &Config, server: &str) -> TestApp {
        let name = format!("bellhop_test_{}", www::secrets::random_hex(6));
        let mut admin = sqlx::PgConnection::connect(server)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={server}: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap();
        let base = server.rsplit_once('/').map_or(server, |(b, _)| b);
        let db = Db::connect(&format!("{base}/{name}")).await.unwrap();
        www::seed_demo(&db).await.unwrap();
        TestApp::present(TestApp {
            backend: "postgres",
            state: AppState::new(db, config).unwrap(),
            _dir: None,
            here: None,
        })
        .await
    }

    /// The demo agent opens the inbox, as one would on a store's working day.
    async fn present(mut app: TestApp) -> TestApp {
        let agents = www::agents::list(&app.state.db).await.unwrap();
        let agent = agents
            .iter()
            .find(|a| a.email == www::orders::demo::AGENT_EMAIL)
            .unwrap();
        app.here = Some(app.state.presence.arrive(agent.id));
        app
    }

    /// Nobody of the team has the inbox open any more.
    pub fn nobody_here(&mut self) {
        self.here = None;
    }

    pub async fn send(&self, request: Request<Body>) -> axum::response::Response {
        app(self.state.clone()).oneshot(request).await.unwrap()
    }

    /// POSTs JSON as if from `client`; returns the status, headers and JSON body.
    pub async fn post_from(
        &self,
        client: &str,
        path: &str,
        body: &Value,
    ) -> (StatusCode, HeaderMap, Value) {
        let mut request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let addr: SocketAddr = format!("{client}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
        let response = self.send(request).await;
        split(response).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, HeaderMap, Value) {
        self.post_from("192.0.2.1", path, body).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, HeaderMap, Value) {
        split(
            self.send(Request::get(path).body(Body::empty()).unwrap())
                .await,
        )
        .await
    }
}

pub async fn split(response: axum::response::Response) -> (StatusCode, HeaderMap, Value) {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, headers, json)
}

/// An idempotency key as long as the widget's (128 random bits in hex), made from a label
/// so that a test can use the same one twice.
pub fn key(label: &str) -> String {
    format!("{label}-{}", www::secrets::sha256_hex(label))
        .chars()
        .take(64)
        .collect()
}

/// When the test transcripts were said: a minute before this test process started, the
/// same for every call, so that the same handoff sent twice is the same request.
pub fn said_at() -> i64 {
    static AT: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *AT.get_or_init(|| www::clock::now_ms() - 60_000)
}

/// A handoff body as the widget sends it, with the key made from `label`.
pub fn handoff(label: &str) -> Value {
    let at = said_at();
    serde_json::json!({
        "key": key(label),
        "transcript": [
            { "at": at, "from": "bot", "text": "Hi, I'm Fern!" },
            { "at": at + 1_000, "from": "shopper", "text": "my parcel is lost" }
        ],
        "context": {
            "page_url": "https://shop.example/checkout",
            "language": "en",
            "device": "desktop",
            "cart_items": 2,
            "cart_value": "218.00",
            "currency": "EUR",
            "faq": [{ "entry": "shipping-times", "question": "How long does shipping take?", "confidence": 0.41 }],
            "trigger": "exit-checkout",
            "variant": "b",
            "frustrated": true,
            "visits": 3,
            "email": null
        }
    })
}

impl TestApp {
    /// Every conversation the inbox can list, oldest first (the first page).
    pub async fn conversations(&self) -> Vec<www::conversations::Summary> {
        let all = www::conversations::QueueQuery {
            show: www::conversations::Show::All,
            ..Default::default()
        };
        self.state.conversations.queue(&all).await.unwrap().list
    }
}

pub mod smtp;

/// A browser's requests to the inbox and the console: same host, same origin.
pub mod browser {
    use axum::body::Body;
    use axum::http::{Request, header};

    pub const HOST: &str = "console.test";
    pub const ORIGIN: &str = "http://console.test";

    /// A form POST with the session `cookie` (may be empty).
    pub fn form(path: &str, cookie: &str, body: &str) -> Request<Body> {
        Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, HOST)
            .header(header::ORIGIN, ORIGIN)
            .header(header::COOKIE, cookie)
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    pub fn get(path: &str, cookie: &str) -> Request<Body> {
        Request::get(path)
            .header(header::HOST, HOST)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap()
    }

    pub async fn text(r: axum::response::Response) -> String {
        let bytes = axum::body::to_bytes(r.into_body(), 8 << 20).await.unwrap();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Form encoding.
    pub fn enc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }

    /// The value of each `Set-Cookie` of a response, as `name=value`.
    pub fn cookies(r: &axum::response::Response) -> Vec<String> {
        r.headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
            .collect()
    }

    /// The value of the first `name="csrf"` (or other) hidden field on a page.
    pub fn hidden(page: &str, name: &str) -> String {
        let at = page
            .find(&format!("name=\"{name}\" value=\""))
            .unwrap_or_else(|| panic!("no {name} in {page}"));
        let rest = &page[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}
