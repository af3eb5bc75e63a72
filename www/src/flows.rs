//! Flow documents under `/flows/NAME.json`.
//!
//! Served with `Cache-Control: no-cache` and an `ETag`, so a browser revalidates cheaply
//! and a newly published flow is picked up on the next page load.

use axum::{
    Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use tower_http::compression::CompressionLayer;

use crate::AppState;

/// The demo store's flow, built into the binary so `www` runs with no files around it.
const DEMO_FLOW: &str = include_str!("../flows/demo.json");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/flows/{name}", get(flow))
        .layer(CompressionLayer::new())
}

async fn flow(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !is_flow_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let body = match &state.flows_dir {
        Some(dir) => match tokio::fs::read_to_string(dir.join(&name)).await {
            Ok(body) => body,
            Err(_) => return StatusCode::NOT_FOUND.into_response(),
        },
        None if name == "demo.json" => DEMO_FLOW.to_owned(),
        None => return StatusCode::NOT_FOUND.into_response(),
    };
    let etag = format!("\"{:016x}\"", fnv1a(body.as_bytes()));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let common = [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ),
        (
            header::ETAG,
            HeaderValue::from_str(&etag).expect("hex is a valid header value"),
        ),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (common, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// `demo.json`, `summer-sale.json`: lowercase letters, digits, `-`, `_`, then `.json`.
/// Anything else (`..`, slashes, encoded tricks) never reaches the file system.
fn is_flow_name(name: &str) -> bool {
    name.strip_suffix(".json").is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    })
}

/// FNV-1a: a stable 64-bit hash for ETags (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::is_flow_name;

    #[test]
    fn only_plain_flow_names_are_served() {
        assert!(is_flow_name("demo.json"));
        assert!(is_flow_name("summer_sale-2.json"));
        for bad in [
            "../secret.json",
            ".json",
            "demo.JSON",
            "demo",
            "a/b.json",
            "demo.json.bak",
        ] {
            assert!(!is_flow_name(bad), "{bad}");
        }
    }
}
