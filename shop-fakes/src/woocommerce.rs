//! WooCommerce's REST API v3, `GET /wp-json/wc/v3/orders` with basic auth (a consumer key
//! and secret) and `search`, and its `{code, message, data: {status}}` errors.
//! <https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-orders>

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;

use crate::orders::{SEEDS, woocommerce_order};
use crate::{Api, Shared, WOO_KEY, WOO_SECRET};

pub async fn orders(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{WOO_KEY}:{WOO_SECRET}"))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return error(
            StatusCode::UNAUTHORIZED,
            "woocommerce_rest_cannot_view",
            "Sorry, you cannot list resources.",
        );
    }
    if let Some(r) = shared.misbehave(Api::WooCommerce).await {
        return r;
    }
    let per_page: usize = q.get("per_page").and_then(|p| p.parse().ok()).unwrap_or(10);
    if !(1..=100).contains(&per_page) {
        return error(
            StatusCode::BAD_REQUEST,
            "rest_invalid_param",
            "Invalid parameter(s): per_page",
        );
    }
    // WooCommerce's search matches the order id and text fields; a number search finds
    // the order and others that contain it.
    let search = q.get("search").map(String::as_str).unwrap_or("");
    let list: Vec<_> = SEEDS
        .iter()
        .enumerate()
        .filter(|(_, s)| search.is_empty() || s.number.contains(search) || s.email.contains(search))
        .take(per_page)
        .map(|(i, s)| woocommerce_order(s, i))
        .collect();
    Json(list).into_response()
}

pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({ "code": code, "message": message, "data": { "status": status.as_u16() } })),
    )
        .into_response()
}
