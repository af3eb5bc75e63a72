//! Shopify's Admin GraphQL API, as far as an order lookup reaches: `orders(query:)` with a
//! `name:` search, the access token header, `extensions.cost`, and Shopify's errors.
//! <https://shopify.dev/docs/api/admin-graphql>, <https://shopify.dev/docs/api/usage/limits>

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::orders::{SEEDS, shopify_node};
use crate::{Api, SHOPIFY_TOKEN, Shared, json_text};

/// The cost Shopify reports for Bellhop's query (2 orders × their connections).
const COST: f64 = 102.0;

fn cost(available: f64) -> Value {
    json!({ "cost": {
        "requestedQueryCost": COST,
        "actualQueryCost": if available >= COST { Some(COST / 2.0) } else { None },
        "throttleStatus": { "maximumAvailable": 2000.0, "currentlyAvailable": available, "restoreRate": 100.0 },
    }})
}

pub async fn graphql(
    State(shared): State<Arc<Shared>>,
    Path(version): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Response {
    // An unknown version is a 404, as for a store without the Admin API.
    let version_ok = version.len() == 7 && version.as_bytes()[4] == b'-' || version == "unstable";
    if !version_ok {
        return json_text(StatusCode::NOT_FOUND, "{\"errors\":\"Not Found\"}");
    }
    if headers
        .get("x-shopify-access-token")
        .and_then(|v| v.to_str().ok())
        != Some(SHOPIFY_TOKEN)
    {
        return unauthorized();
    }
    if let Some(r) = shared.misbehave(Api::Shopify).await {
        return r;
    }
    let Ok(request) = serde_json::from_str::<Value>(&body) else {
        return json_text(
            StatusCode::BAD_REQUEST,
            "{\"errors\":{\"query\":\"Required parameter missing or invalid\"}}",
        );
    };
    let query = request.get("query").and_then(Value::as_str).unwrap_or("");
    if !query.contains("orders(") {
        return Json(json!({ "errors": [{ "message": "Field 'orders' is missing", "extensions": { "code": "undefinedField" } }] })).into_response();
    }
    let search = request
        .pointer("/variables/query")
        .and_then(Value::as_str)
        .unwrap_or("");
    // `name:"41001"` matches names that start with it, as Shopify's name search does
    // (`#41001` and `#410010`): the caller must pick the exact one.
    let wanted = search
        .strip_prefix("name:")
        .map(|n| n.trim_matches('"').trim_start_matches('#'))
        .unwrap_or("");
    let nodes: Vec<Value> = SEEDS
        .iter()
        .filter(|s| !wanted.is_empty() && s.number.starts_with(wanted))
        .take(2)
        .map(shopify_node)
        .collect();
    Json(json!({ "data": { "orders": { "nodes": nodes } }, "extensions": cost(1898.0) }))
        .into_response()
}

pub fn unauthorized() -> Response {
    json_text(
        StatusCode::UNAUTHORIZED,
        "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong password)\"}",
    )
}

pub fn access_denied() -> Response {
    Json(json!({
        "data": null,
        "errors": [{
            "message": "Access denied for orders field. Required access: `read_orders` access scope. Also: Levels of access apply to orders.",
            "locations": [{ "line": 2, "column": 3 }],
            "path": ["orders"],
            "extensions": { "code": "ACCESS_DENIED", "documentation": "https://shopify.dev/api/usage/access-scopes", "requiredAccess": "`read_orders` access scope." },
        }],
        "extensions": cost(1998.0),
    }))
    .into_response()
}

pub fn throttled() -> Response {
    Json(json!({
        "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits" } }],
        "extensions": cost(2.0),
    }))
    .into_response()
}
