//! `/metrics` in Prometheus' text format (version 0.0.4): what the server is doing, for a
//! scraper. Requests by route and status with latency histograms, lookups and handoffs by
//! outcome, order-source calls and failures, open streams, emails and webhooks waiting,
//! insight reports accepted and refused.
//!
//! Counters live in memory ([`Metrics`], per instance: Prometheus sums instances); the
//! queue lengths are read from the database at each scrape. The route is axum's matched
//! path (`/api/v1/conversations/{token}`), never the URL, so a token never becomes a label.
//! Protected by `BELLHOP_METRICS_TOKEN` (a Bearer token), or served only on
//! `BELLHOP_METRICS_ADDR` (a listener of its own, for a private network).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

#[derive(Default)]
struct Inner {
    /// (method, route, status) → requests.
    requests: BTreeMap<(String, String, u16), u64>,
    /// route → latency.
    latency: BTreeMap<String, Histogram>,
    /// (what, outcome) → count: `lookup`/`found`, `handoff`/`live`, `insights`/`refused` …
    outcomes: BTreeMap<(&'static str, &'static str), u64>,
}

/// This instance's counters (cheap to clone: one shared state).
#[derive(Clone, Default)]
pub struct Metrics {
    inner: Arc<Mutex<Inner>>,
}

impl Metrics {
    /// Counts one `outcome` of `what` (`lookup`: `found`, `not_found`, `unavailable`,
    /// `rate_limited`; `handoff`: `live`, `offline`, `rate_limited`; `insights`:
    /// `accepted`, `refused`).
    pub fn count(&self, what: &'static str, outcome: &'static str) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner.outcomes.entry((what, outcome)).or_default() += 1;
    }

    fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *inner
            .requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default() += 1;
        let h = inner.latency.entry(route.to_owned()).or_default();
        for (i, le) in BUCKETS.iter().enumerate() {
            if seconds <= *le {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }
}

/// The middleware that counts every request by its route.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    state.metrics.request(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `GET /metrics`: with `BELLHOP_METRICS_TOKEN`, only for `Authorization: Bearer <token>`;
/// without one, only on `BELLHOP_METRICS_ADDR` (the main address answers 404).
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let allowed = match &state.settings.metrics_token {
        Some(token) => {
            let given = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or("");
            crate::secrets::same_secret(given, token.expose())
        }
        None => false,
    };
    if !allowed {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    exposition(&state).await
}

/// The text of a scrape (also what the private metrics listener answers).
pub async fn exposition(state: &AppState) -> Response {
    let mut out = String::new();
    {
        let inner = state
            .metrics
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        out.push_str("# HELP bellhop_http_requests_total HTTP requests answered, by method, route and status.\n");
        out.push_str("# TYPE bellhop_http_requests_total counter\n");
        for ((method, route, status), n) in &inner.requests {
            let _ = writeln!(
                out,
                "bellhop_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}",
                label(route)
            );
        }
        out.push_str("# HELP bellhop_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE bellhop_http_request_duration_seconds histogram\n");
        for (route, h) in &inner.latency {
            let route = label(route);
            for (i, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "bellhop_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{le}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "bellhop_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "bellhop_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "bellhop_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        for (what, name, help) in [
            (
                "lookup",
                "bellhop_lookups_total",
                "Order lookups, by outcome.",
            ),
            (
                "handoff",
                "bellhop_handoffs_total",
                "Handoffs to a person, by outcome.",
            ),
            (
                "insights",
                "bellhop_insight_reports_total",
                "Insight reports, by outcome.",
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            for ((w, outcome), n) in &inner.outcomes {
                if *w == what {
                    let _ = writeln!(out, "{name}{{outcome=\"{outcome}\"}} {n}");
                }
            }
        }
    }
    let health = state.orders.health();
    out.push_str(
        "# HELP bellhop_order_source_calls_total Calls to the order source, and how many failed.\n",
    );
    out.push_str("# TYPE bellhop_order_source_calls_total counter\n");
    let source = label(health.source);
    let _ = writeln!(
        out,
        "bellhop_order_source_calls_total{{source=\"{source}\",result=\"ok\"}} {}",
        health.calls - health.failures.min(health.calls)
    );
    let _ = writeln!(
        out,
        "bellhop_order_source_calls_total{{source=\"{source}\",result=\"error\"}} {}",
        health.failures
    );
    out.push_str("# HELP bellhop_order_source_resting Whether the order source rests after failures (1) or not (0).\n");
    out.push_str("# TYPE bellhop_order_source_resting gauge\n");
    let _ = writeln!(
        out,
        "bellhop_order_source_resting{{source=\"{source}\"}} {}",
        u8::from(health.resting.is_some())
    );
    out.push_str(
        "# HELP bellhop_open_streams Shoppers' live event streams open on this instance.\n",
    );
    out.push_str("# TYPE bellhop_open_streams gauge\n");
    let _ = writeln!(
        out,
        "bellhop_open_streams {}",
        state.limits.streams.open_streams()
    );
    out.push_str(
        "# HELP bellhop_agents_here People of the team with the inbox open on this instance.\n",
    );
    out.push_str("# TYPE bellhop_agents_here gauge\n");
    let _ = writeln!(out, "bellhop_agents_here {}", state.presence.here().len());
    match waiting(state).await {
        Ok((emails, webhooks)) => {
            out.push_str("# HELP bellhop_emails_queued Emails waiting to be sent.\n");
            out.push_str("# TYPE bellhop_emails_queued gauge\n");
            let _ = writeln!(out, "bellhop_emails_queued {emails}");
            out.push_str("# HELP bellhop_webhooks_queued Webhook deliveries waiting to be sent.\n");
            out.push_str("# TYPE bellhop_webhooks_queued gauge\n");
            let _ = writeln!(out, "bellhop_webhooks_queued {webhooks}");
            out.push_str("# HELP bellhop_database_up Whether the database answered this scrape.\n");
            out.push_str("# TYPE bellhop_database_up gauge\nbellhop_database_up 1\n");
        }
        Err(e) => {
            tracing::error!("metrics: {e}");
            out.push_str("# HELP bellhop_database_up Whether the database answered this scrape.\n");
            out.push_str("# TYPE bellhop_database_up gauge\nbellhop_database_up 0\n");
        }
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        out,
    )
        .into_response()
}

/// A label value as the format wants it: `\`, `"` and newlines escaped.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Emails and webhook deliveries waiting to be sent.
async fn waiting(state: &AppState) -> sqlx::Result<(i64, i64)> {
    Ok((
        crate::mail::outbox::pending(&state.db).await?,
        crate::webhooks::pending(&state.db).await?,
    ))
}
