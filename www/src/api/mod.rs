//! The HTTP API the widget calls, version 1, under `/api/v1`: order lookup and handoff, and
//! the live conversation that follows a handoff. `openapi.json` (served at
//! `/api/v1/openapi.json`) documents it; a test keeps it in step with [`routes_table`].

mod conversations;
mod error;
mod handoffs;
pub mod limits;
mod orders;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{MethodRouter, get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use error::{ApiError, ApiJson, DigestedJson};

use crate::AppState;

/// Requests bigger than this are refused before they are read (a transcript of 500 long
/// messages fits).
pub const MAX_BODY_BYTES: usize = 512 * 1024;

/// The API's document, served as it is.
pub const OPENAPI: &str = include_str!("../../openapi.json");

/// Every route: (method, path under `/api/v1`, handler).
pub fn routes_table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::POST, "/orders/lookup", post(orders::look_up)),
        (Method::POST, "/handoffs", post(handoffs::create)),
        (
            Method::GET,
            "/conversations/{token}",
            get(conversations::show),
        ),
        (
            Method::POST,
            "/conversations/{token}/messages",
            post(conversations::message),
        ),
        (
            Method::POST,
            "/conversations/{token}/email",
            post(conversations::email),
        ),
        (
            Method::POST,
            "/conversations/{token}/rating",
            post(conversations::rating),
        ),
        (
            Method::GET,
            "/conversations/{token}/events",
            get(conversations::events),
        ),
        (Method::GET, "/openapi.json", get(openapi)),
    ]
}

/// The (method, path) pairs of [`routes_table`], for the OpenAPI test.
pub fn routes() -> Vec<(Method, &'static str)> {
    routes_table().into_iter().map(|(m, p, _)| (m, p)).collect()
}

pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new();
    for (_, path, handler) in routes_table() {
        router = router.route(path, handler);
    }
    let origins: Vec<HeaderValue> = state
        .settings
        .allowed_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim().trim_end_matches('/')).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            "last-event-id".parse().expect("a header name"),
        ])
        .max_age(std::time::Duration::from_secs(3600));
    Router::new()
        .nest("/api/v1", router)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors)
}

async fn openapi() -> impl axum::response::IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// The client's address, for rate limits: the socket's peer, or the last hop of
/// `X-Forwarded-For` when `--trust-proxy` says a proxy sets it.
pub struct Client(pub String);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Client, Self::Rejection> {
        if state.settings.trust_proxy {
            if let Some(last) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
            {
                return Ok(Client(last.trim().to_owned()));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(Client(peer))
    }
}

/// Checks a text field: length in characters, and no NUL (which PostgreSQL cannot store).
pub fn text_field(field: &str, value: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ApiError::invalid(
            field,
            &if min > 0 {
                format!("must be {min} to {max} characters (it is {n})")
            } else {
                format!("must be at most {max} characters (it is {n})")
            },
        ));
    }
    if value.contains('\0') {
        return Err(ApiError::invalid(field, "must not contain NUL characters"));
    }
    Ok(())
}

/// A plausible email address: one `@`, something either side, a dot in the domain.
pub fn email_field(field: &str, value: &str) -> Result<(), ApiError> {
    text_field(field, value, 3, 254)?;
    let ok = match value.trim().split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.trim().contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(field, "is not an email address"))
    }
}
