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
use flow_runtime::wire::InsightsBatch;
use flow_runtime::wire::limits as limit;

use super::{ApiError, Client};
use crate::AppState;
use crate::clock::now_ms;
use crate::flows::VersionNames;
use crate::insights::NotStored;

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
    if !text.is_empty()
        && text.chars().count() <= limit::REPORT_NAME_CHARS
        && !text.chars().any(char::is_control)
    {
        Ok(())
    } else {
        Err(ApiError::invalid(
            field,
            &format!("must be 1 to {} characters", limit::REPORT_NAME_CHARS),
        ))
    }
}

fn bounded(field: &str, n: usize, max: usize) -> Result<(), ApiError> {
    if n <= max {
        Ok(())
    } else {
        Err(ApiError::invalid(field, &format!("must be at most {max}")))
    }
}

/// The report's shape: every count within what one page view can do (the contract's
/// limits), every text bounded.
fn check(b: &InsightsBatch) -> Result<(), ApiError> {
    hex("id", &b.id, 32)?;
    hex("fingerprint", &b.fingerprint, 16)?;
    if let Some(v) = &b.visitor_day {
        hex("visitor_day", v, 32)?;
    }
    let count = |n: u32| n as usize;
    bounded("conversations", count(b.conversations), 1)?;
    bounded("faq", b.faq.len(), limit::REPORT_FAQ_ENTRIES)?;
    for f in &b.faq {
        name("faq.entry", &f.entry)?;
        for n in [f.answered, f.unsure, f.missed, f.unhelpful] {
            bounded("faq", count(n), count(limit::REPORT_FAQ_COUNT))?;
        }
    }
    bounded("questions", b.questions.len(), limit::REPORT_QUESTIONS)?;
    for q in &b.questions {
        if q.text.trim().is_empty()
            || q.text.chars().count() > limit::REPORT_QUESTION_CHARS
            || q.text.contains('\0')
        {
            return Err(ApiError::invalid(
                "questions.text",
                &format!("must be 1 to {} characters", limit::REPORT_QUESTION_CHARS),
            ));
        }
        bounded(
            "questions.entries",
            q.entries.len(),
            limit::REPORT_QUESTION_ENTRIES,
        )?;
        for e in &q.entries {
            name("questions.entries", e)?;
        }
        if q.language.chars().count() > limit::LANGUAGE_CHARS
            || !q
                .language
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(ApiError::invalid(
                "questions.language",
                &format!(
                    "must be a language code of at most {} characters",
                    limit::LANGUAGE_CHARS
                ),
            ));
        }
    }
    bounded("triggers", b.triggers.len(), limit::REPORT_TRIGGERS)?;
    for t in &b.triggers {
        name("triggers.trigger", &t.trigger)?;
        name("triggers.variant", &t.variant)?;
        for n in [t.shown, t.dismissed, t.converted, t.held_out] {
            bounded("triggers", count(n), count(limit::REPORT_TRIGGER_COUNT))?;
        }
    }
    bounded(
        "added_to_cart",
        count(b.added_to_cart),
        count(limit::REPORT_ADDED_TO_CART),
    )?;
    bounded(
        "order_lookups",
        count(b.order_lookups),
        count(limit::REPORT_ORDER_LOOKUPS),
    )?;
    // One page view, one conversation: one handoff and one rating at most.
    bounded("handoffs", b.handoffs.len(), limit::REPORT_HANDOFFS)?;
    for h in &b.handoffs {
        bounded("handoffs.count", count(h.count), 1)?;
    }
    bounded("ratings", b.ratings.len(), limit::REPORT_RATINGS)?;
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

/// Every entry, trigger and variant the report names is one of the version it came from.
fn names_exist(b: &InsightsBatch, names: &VersionNames) -> Result<(), ApiError> {
    let entry = |field: &str, id: &str| {
        if names.entries.contains(id) {
            Ok(())
        } else {
            Err(ApiError::invalid(field, "is not an FAQ entry of this flow"))
        }
    };
    for f in &b.faq {
        entry("faq.entry", &f.entry)?;
    }
    for q in &b.questions {
        for e in &q.entries {
            entry("questions.entries", e)?;
        }
    }
    for t in &b.triggers {
        match names.triggers.get(&t.trigger) {
            Some(variants) if variants.contains(&t.variant) => {}
            Some(_) => {
                return Err(ApiError::invalid(
                    "triggers.variant",
                    "is not a variant of this trigger",
                ));
            }
            None => {
                return Err(ApiError::invalid(
                    "triggers.trigger",
                    "is not a trigger of this flow",
                ));
            }
        }
    }
    Ok(())
}

pub async fn report(
    State(state): State<AppState>,
    Client(client): Client,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let result = accept(&state, client, body).await;
    state.metrics.count(
        "insights",
        if result.is_ok() {
            "accepted"
        } else {
            "refused"
        },
    );
    result
}

async fn accept(state: &AppState, client: String, body: Bytes) -> Result<StatusCode, ApiError> {
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
        .await
        .map_err(ApiError::rate_limited)?;
    // Not JSON: 400. JSON that is no report (a field of the wrong type, a reason or kind
    // not in its list): 422, saying where.
    let batch: InsightsBatch = serde_json::from_slice(&body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_field",
            format!("not a report: {e}"),
        ),
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("not a report: {e}"),
        ),
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
    // A report comes from a version shoppers were given, and names only what it has.
    let Some(version) = crate::insights::version_for(&state.db, flow, &batch.fingerprint).await?
    else {
        return Err(ApiError::invalid(
            "fingerprint",
            "is not a published version of this flow",
        ));
    };
    let Some(names) = state.flows.version_names(flow, version).await? else {
        return Err(ApiError::invalid(
            "fingerprint",
            "is not a published version of this flow",
        ));
    };
    names_exist(&batch, &names)?;
    let client = state.conversations.address_digest(&client).await?;
    match crate::insights::record(&state.db, flow, version, &batch, &client, now_ms()).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(NotStored::Replay) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate",
            "this report was received before",
        )),
        Err(NotStored::Full) => Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "insights_full",
            "this flow has all the reports it keeps for today",
        )),
        Err(NotStored::Db(e)) => Err(e.into()),
    }
}
