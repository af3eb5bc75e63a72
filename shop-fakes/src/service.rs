//! A merchant's own order service as Bellhop's `openapi.json` describes it (the
//! `orderService` callback): signed `GET /orders?number=…&email=…`, an `Order` or 404.

use std::sync::Arc;

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::orders::{find, service_order};
use crate::{Api, SERVICE_SECRET, Shared};

pub async fn order(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let query = query.unwrap_or_default();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let timestamp = header("bellhop-timestamp");
    let mut mac = Hmac::<Sha256>::new_from_slice(SERVICE_SECRET.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{query}").as_bytes());
    let expected = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let fresh = timestamp
        .parse::<i64>()
        .is_ok_and(|t| (now - t).abs() <= 300);
    if header("bellhop-signature") != expected || !fresh {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if let Some(r) = shared.misbehave(Api::Service).await {
        return r;
    }
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            Some((decode(k), decode(v)))
        })
        .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    match find(get("number")) {
        Some(seed) if seed.email.eq_ignore_ascii_case(get("email").trim()) => {
            Json(service_order(seed)).into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `application/x-www-form-urlencoded` decoding.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b'+', ..) => {
                out.push(b' ');
                i += 1;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
