//! Local fakes of the shop systems Bellhop reads orders from, for tests: one HTTP server
//! answering as
//!
//! - Shopify's Admin GraphQL API (`POST /admin/api/{version}/graphql.json`),
//! - WooCommerce's REST API v3 (`GET /wp-json/wc/v3/orders`),
//! - a merchant's own order service as `openapi.json`'s `orderService` callback describes
//!   it (`GET /orders?number=…&email=…`, signed),
//!
//! each in its documented request and response shapes, with the same few orders
//! ([`orders::SEEDS`]) and the failure modes the real ones have ([`Mode`]): 401, missing
//! scopes, 429 with `Retry-After`, GraphQL throttling, 5xx, slowness, malformed JSON, an
//! HTML error page. Tests start one in-process ([`Fakes::start`]); the end-to-end suite runs
//! the `shop-fakes` binary and switches modes over HTTP (`POST /_fake/mode`).

pub mod orders;
mod service;
mod shopify;
mod woocommerce;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

/// The Shopify custom app's Admin API token the fake accepts.
pub const SHOPIFY_TOKEN: &str = "shpat_fake0123456789abcdef0123456789";
/// The WooCommerce consumer key and secret the fake accepts.
pub const WOO_KEY: &str = "ck_fake0123456789abcdef0123456789abcdef01";
pub const WOO_SECRET: &str = "cs_fake0123456789abcdef0123456789abcdef01";
/// The secret the fake order service checks signatures with.
pub const SERVICE_SECRET: &str = "fake-order-service-secret-0123456789";

/// How the fakes answer, all three alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Normal,
    /// 401 with each API's own body.
    Unauthorized,
    /// The credentials work but lack the scope (Shopify: `ACCESS_DENIED`; WooCommerce: 403).
    AccessDenied,
    /// 429 with `Retry-After` in seconds.
    RateLimited(u64),
    /// Shopify: 200 with a `THROTTLED` error and an empty cost bucket; others: 429.
    Throttled,
    /// This HTTP status with an error page.
    ServerError(u16),
    /// Answers normally after this many milliseconds.
    Slow(u64),
    /// 200 with a cut-off JSON body.
    Malformed,
    /// 200 with an HTML page (a login wall, a proxy's page).
    Html,
}

impl Mode {
    /// `normal`, `401`, `denied`, `429 2`, `throttled`, `500`, `slow 5000`, `malformed`, `html`.
    pub fn parse(text: &str) -> Option<Mode> {
        let mut words = text.split_whitespace();
        let mode = match (words.next()?, words.next()) {
            ("normal", None) => Mode::Normal,
            ("401", None) => Mode::Unauthorized,
            ("denied", None) => Mode::AccessDenied,
            ("429", n) => Mode::RateLimited(n.map_or(Some(2), |n| n.parse().ok())?),
            ("throttled", None) => Mode::Throttled,
            ("slow", Some(ms)) => Mode::Slow(ms.parse().ok()?),
            ("malformed", None) => Mode::Malformed,
            ("html", None) => Mode::Html,
            (code, None) => {
                Mode::ServerError(code.parse().ok().filter(|c| (500..600).contains(c))?)
            }
            _ => return None,
        };
        Some(mode)
    }
}

/// What the fakes share: the mode and how many API calls they answered.
#[derive(Default)]
pub struct Shared {
    mode: Mutex<Mode>,
    calls: AtomicU64,
}

impl Shared {
    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// API calls answered (the control routes not counted).
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    /// Counts a call and answers it as the mode says, unless the mode is normal (`None`);
    /// a slow mode waits first. `api` shapes the errors.
    async fn misbehave(&self, api: Api) -> Option<Response> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let mode = *self.mode.lock().unwrap();
        match mode {
            Mode::Normal => None,
            Mode::Slow(ms) => {
                tokio::time::sleep(Duration::from_millis(ms)).await;
                None
            }
            Mode::Malformed => Some(json_text(
                StatusCode::OK,
                "{\"data\": {\"orders\": {\"nodes\": [{\"name\": \"#10",
            )),
            Mode::Html => Some(
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    "<!doctype html><title>Log in</title><p>Please log in.",
                )
                    .into_response(),
            ),
            Mode::ServerError(code) => Some(
                (
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    "<!doctype html><title>Error</title><p>Something went wrong.",
                )
                    .into_response(),
            ),
            Mode::RateLimited(secs) => Some(api.rate_limited(secs)),
            Mode::Throttled => Some(api.throttled()),
            Mode::Unauthorized => Some(api.unauthorized()),
            Mode::AccessDenied => Some(api.access_denied()),
        }
    }
}

/// Which API a response speaks for.
#[derive(Clone, Copy)]
enum Api {
    Shopify,
    WooCommerce,
    Service,
}

impl Api {
    fn unauthorized(self) -> Response {
        match self {
            Api::Shopify => shopify::unauthorized(),
            Api::WooCommerce => woocommerce::error(
                StatusCode::UNAUTHORIZED,
                "woocommerce_rest_cannot_view",
                "Sorry, you cannot list resources.",
            ),
            Api::Service => StatusCode::UNAUTHORIZED.into_response(),
        }
    }

    fn access_denied(self) -> Response {
        match self {
            Api::Shopify => shopify::access_denied(),
            Api::WooCommerce => woocommerce::error(
                StatusCode::FORBIDDEN,
                "woocommerce_rest_cannot_view",
                "Sorry, you cannot list resources.",
            ),
            Api::Service => StatusCode::FORBIDDEN.into_response(),
        }
    }

    fn rate_limited(self, secs: u64) -> Response {
        let body = match self {
            Api::Shopify => {
                "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.\"}"
            }
            _ => {
                "{\"code\":\"too_many_requests\",\"message\":\"Too many requests\",\"data\":{\"status\":429}}"
            }
        };
        let mut r = json_text(StatusCode::TOO_MANY_REQUESTS, body);
        r.headers_mut()
            .insert(header::RETRY_AFTER, secs.to_string().parse().unwrap());
        r
    }

    fn throttled(self) -> Response {
        match self {
            Api::Shopify => shopify::throttled(),
            _ => self.rate_limited(2),
        }
    }
}

fn json_text(status: StatusCode, body: impl Into<String>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
        .body(Body::from(body.into()))
        .unwrap()
}

/// The fakes' routes (all three APIs and the control routes).
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/admin/api/{version}/graphql.json", post(shopify::graphql))
        .route("/wp-json/wc/v3/orders", get(woocommerce::orders))
        .route("/orders", get(service::order))
        .route("/_fake/mode", post(set_mode))
        .route("/_fake/calls", get(calls))
        .route("/healthz", get(|| async { "ok" }))
        .with_state(shared)
}

async fn set_mode(State(shared): State<Arc<Shared>>, body: String) -> Response {
    match Mode::parse(&body) {
        Some(mode) => {
            shared.set_mode(mode);
            StatusCode::NO_CONTENT.into_response()
        }
        None => (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("unknown mode `{body}`"),
        )
            .into_response(),
    }
}

async fn calls(State(shared): State<Arc<Shared>>) -> String {
    shared.calls().to_string()
}

/// A running fake server.
pub struct Fakes {
    pub addr: SocketAddr,
    pub shared: Arc<Shared>,
}

impl Fakes {
    /// Serves the fakes on a free loopback port, in the background of the current runtime.
    pub async fn start() -> Fakes {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared::default());
        let app = router(Arc::clone(&shared));
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fakes { addr, shared }
    }

    /// `http://127.0.0.1:port`: the Shopify store, the WooCommerce site.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The order service's URL.
    pub fn service_url(&self) -> String {
        format!("http://{}/orders", self.addr)
    }
}
