//! `POST /insights`: a page view's report, from a flow whose merchant switched insights on.
//!
//! Sent with `navigator.sendBeacon` as the page goes, so as `text/plain` (a beacon with
//! another type would need a CORS preflight it cannot make): the body is read as JSON
//! whatever its type. Refused: bodies over [`MAX_REPORT_BYTES`], malformed or oversized
//! reports (each field has a bound no page view reaches), flows that do not exist or have
//! insights off, replays of a stored report (409), and more than `--insights-per-minute`
//! reports from one address (429).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use flow_runtime::insights::{HANDOFF_REASONS, MAX_QUESTION_CHARS, MAX_QUESTIONS, QUESTION_KINDS};
use flow_runtime::wire::InsightsBatch;

use super::{ApiError, Client};
use crate::AppState;
use crate::clock::now_ms;

/// A page view's report is a few hundred bytes; twenty long questions fit.
pub const MAX_REPORT_BYTES: usize = 16 * 1024;

fn hex(field: &str, text: &str, len: usize) -> Result<(), ApiError> {
    if text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(ApiError::invalid(
            field,
            &format!("must be {len} hex digits"),
        ))
    }
}

fn name(field: &str, text: &str) -> Result<(), ApiError> {
    if !text.is_empty() && text.chars().count() <= 64 && !text.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(ApiError::invalid(field, "must be 1 to 64 characters"))
    }
}

fn bounded(field: &str, n: u32, max: u32) -> Result<(), ApiError> {
    if n <= max {
        Ok(())
    } else {
        Err(ApiError::invalid(field, &format!("must be at most {max}")))
    }
}

fn check(b: &InsightsBatch) -> Result<(), ApiError> {
    hex("id", &b.id, 32)?;
    hex("fingerprint", &b.fingerprint, 16)?;
    if let Some(v) = &b.visitor_day {
        hex("visitor_day", v, 32)?;
    }
    bounded("conversations", b.conversations, 1)?;
    bounded("faq", b.faq.len() as u32, 100)?;
    for f in &b.faq {
        name("faq.entry", &f.entry)?;
        for n in [f.answered, f.unsure, f.missed] {
            bounded("faq", n, 200)?;
        }
    }
    bounded("questions", b.questions.len() as u32, MAX_QUESTIONS as u32)?;
    for q in &b.questions {
        if !QUESTION_KINDS.contains(&q.kind.as_str()) {
            return Err(ApiError::invalid(
                "questions.kind",
                &format!("must be one of {}", QUESTION_KINDS.join(", ")),
            ));
        }
        if q.text.trim().is_empty()
            || q.text.chars().count() > MAX_QUESTION_CHARS
            || q.text.contains('\0')
        {
            return Err(ApiError::invalid(
                "questions.text",
                &format!("must be 1 to {MAX_QUESTION_CHARS} characters"),
            ));
        }
        bounded("questions.entries", q.entries.len() as u32, 3)?;
        for e in &q.entries {
            name("questions.entries", e)?;
        }
    }
    bounded("triggers", b.triggers.len() as u32, 50)?;
    for t in &b.triggers {
        name("triggers.trigger", &t.trigger)?;
        name("triggers.variant", &t.variant)?;
        for n in [t.shown, t.dismissed, t.converted, t.held_out] {
            bounded("triggers", n, 50)?;
        }
    }
    bounded("added_to_cart", b.added_to_cart, 100)?;
    bounded("order_lookups", b.order_lookups, 100)?;
    bounded("handoffs", b.handoffs.len() as u32, 4)?;
    for h in &b.handoffs {
        if !HANDOFF_REASONS.contains(&h.name.as_str()) {
            return Err(ApiError::invalid(
                "handoffs.name",
                &format!("must be one of {}", HANDOFF_REASONS.join(", ")),
            ));
        }
        bounded("handoffs.count", h.count, 20)?;
    }
    bounded("ratings", b.ratings.len() as u32, 10)?;
    for r in &b.ratings {
        if !(r.scale == 2 || r.scale == 5) || r.score == 0 || r.score > r.scale {
            return Err(ApiError::invalid(
                "ratings",
                "a score from 1 to its scale, 2 or 5",
            ));
        }
    }
    Ok(())
}

pub async fn report(
    State(state): State<AppState>,
    Client(client): Client,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    if body.len() > MAX_REPORT_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "a report is at most 16 KiB",
        ));
    }
    state
        .limits
        .insights_by_client
        .check(&client, now_ms())
        .map_err(ApiError::rate_limited)?;
    let batch: InsightsBatch = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("not a report: {e}"),
        )
    })?;
    check(&batch)?;
    let Some(flow) = crate::flows::flow_of_file(&batch.flow) else {
        return Err(ApiError::invalid(
            "flow",
            "must be a flow's name on this server, such as `demo.json`",
        ));
    };
    // Only flows whose live version asks for insights are counted: a page cannot make the
    // server store what the merchant did not switch on.
    if !state.flows.insights_on(flow).await {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "insights_off",
            "this flow does not send insights",
        ));
    }
    let version = crate::insights::version_for(&state.db, flow, &batch.fingerprint).await?;
    if crate::insights::record(&state.db, flow, version, &batch, now_ms()).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate",
            "this report was received before",
        ))
    }
}
