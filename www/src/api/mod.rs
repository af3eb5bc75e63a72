//! The HTTP API the widget calls, version 1, under `/api/v1`: order lookup and handoff, and
//! the live conversation that follows a handoff. `openapi.json` (served at
//! `/api/v1/openapi.json`) documents it; a test keeps it in step with [`routes_table`].

mod conversations;
mod error;
mod handoffs;
mod insights;
pub mod limits;
mod orders;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::routing::{MethodRouter, get, post};
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use error::{ApiError, ApiJson, ApiPath, DigestedJson};

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
            Method::POST,
            "/conversations/resume",
            post(conversations::resume),
        ),
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
        (Method::POST, "/insights", post(insights::report)),
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
    // The server's `--allowed-origins` and each flow's own (set in the console, at once).
    let origins = state.origins.clone();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::async_predicate(
            move |origin: HeaderValue, _: &Parts| {
                let origins = origins.clone();
                async move {
                    match origin.to_str() {
                        Ok(o) => origins.allows(o).await,
                        Err(_) => false,
                    }
                }
            },
        ))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            "last-event-id".parse().expect("a header name"),
        ])
        .max_age(std::time::Duration::from_secs(3600));
    // Every answer under /api/v1 is JSON, also for a path or a method that is not there.
    let router = router
        .fallback(|| async { ApiError::not_found("route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this method is not allowed on this path",
            )
        });
    Router::new()
        .nest("/api/v1", router)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors)
}

async fn openapi() -> impl axum::response::IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI)
}

/// The client's address, for rate limits: the socket's peer, or, behind `--trust-proxy N`,
/// the entry N from the end of `X-Forwarded-For` (each proxy of ours appends the address
/// it saw; what comes before them is the client's own claim and proves nothing). Written
/// one way whatever form it came in (`1.2.3.4:5678`, `[::ffff:1.2.3.4]:80` and `1.2.3.4`
/// are the same client), so that one client has one rate-limit bucket.
pub struct Client(pub String);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Client, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let hops = usize::from(state.settings.trust_proxy);
        let forwarded = (hops > 0)
            .then(|| {
                let header = parts.headers.get_all("x-forwarded-for");
                let entries: Vec<&str> = header
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .collect();
                entries
                    .len()
                    .checked_sub(hops)
                    .and_then(|i| client_address(entries[i]))
            })
            .flatten();
        let ip = forwarded.or(peer.map(canonical));
        Ok(Client(
            ip.map_or_else(|| "unknown".into(), |ip| ip.to_string()),
        ))
    }
}

/// An address as a proxy writes it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`,
/// `[2001:db8::1]:443`, `::ffff:1.2.3.4`; `None` for anything else.
pub fn client_address(text: &str) -> Option<std::net::IpAddr> {
    let text = text.trim().trim_matches('"');
    let ip = text
        .parse::<std::net::IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|a| a.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|t| t.split_once(']'))
                .and_then(|(ip, _)| ip.parse().ok())
        })?;
    Some(canonical(ip))
}

/// IPv4 written as IPv6 (`::ffff:1.2.3.4`) is IPv4.
fn canonical(ip: std::net::IpAddr) -> std::net::IpAddr {
    match ip {
        std::net::IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or(std::net::IpAddr::V6(v6), std::net::IpAddr::V4),
        v4 => v4,
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

/// A plausible email address: a local part of letters, digits and the characters RFC 5322
/// allows unquoted (`.!#$%&'*+/=?^_`{|}~-`), one `@`, and a domain of labels of letters,
/// digits and `-` with a dot between two of them. No spaces, quotes, brackets or markup:
/// `<svg/onload=…>@evil.example` is refused, not merely escaped where it is shown (it
/// would travel raw in webhook JSON to a help desk).
pub fn email_field(field: &str, value: &str) -> Result<(), ApiError> {
    text_field(field, value, 3, flow_runtime::wire::limits::EMAIL_CHARS)?;
    // The same rule as the engine's (one rule, in flow_runtime::fields).
    let ok = flow_runtime::fields::is_email(value.trim());
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid(field, "is not an email address"))
    }
}

#[cfg(test)]
mod tests {
    use super::client_address;

    #[test]
    fn addresses_in_every_form_proxies_write_them() {
        for (text, ip) in [
            ("198.51.100.7", "198.51.100.7"),
            (" 198.51.100.7:4711 ", "198.51.100.7"),
            ("::ffff:198.51.100.7", "198.51.100.7"),
            ("[::ffff:198.51.100.7]:443", "198.51.100.7"),
            ("2001:db8::1", "2001:db8::1"),
            ("[2001:db8::1]:8080", "2001:db8::1"),
            ("\"[2001:db8::1]\"", "2001:db8::1"),
        ] {
            assert_eq!(
                client_address(text).map(|i| i.to_string()).as_deref(),
                Some(ip),
                "{text}"
            );
        }
        for bad in ["", "unknown", "spoofed", "1.2.3", "[::1"] {
            assert_eq!(client_address(bad), None, "{bad}");
        }
    }
}
