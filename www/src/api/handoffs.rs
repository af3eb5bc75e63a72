//! `POST /handoffs`: hand the conversation to a person.
//!
//! The widget sends an idempotency key, the transcript and the context. The key is bound to
//! the request that first used it, as payment APIs do: a retry with the same key and the
//! same body gets the same conversation back (200 instead of 201), never a second one; the
//! same key with another body is refused (409) and gets no token.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use flow_runtime::wire::{Availability, HandoffAccepted};

use super::{ApiError, Client, DigestedJson, email_field, text_field};
use crate::AppState;
use crate::clock::now_ms;
use crate::conversations::{Handoff, NewHandoff};
use flow_runtime::wire::Speaker;
use flow_runtime::wire::limits as limit;

pub async fn create(
    State(state): State<AppState>,
    Client(client): Client,
    DigestedJson(h, digest): DigestedJson<NewHandoff>,
) -> Result<(StatusCode, Json<HandoffAccepted>), ApiError> {
    validate(&h, now_ms())?;
    state
        .limits
        .handoff_by_client
        .check(&client, now_ms())
        .await
        .map_err(ApiError::rate_limited)?;
    let live = available(&state, h.flow.as_deref(), now_ms()).await;
    state
        .metrics
        .count("handoff", if live { "live" } else { "offline" });
    let back = team_back(&state, h.flow.as_deref(), now_ms()).await;
    let (c, status) = match state
        .conversations
        .hand_off(&h, &digest, live, &client, back.as_deref())
        .await?
    {
        Handoff::Created(c) => (c, StatusCode::CREATED),
        Handoff::Again(c) => (c, StatusCode::OK),
        Handoff::KeyReused => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "key_reused",
                "this idempotency key was used with another request; make a new key",
            ));
        }
    };
    Ok((
        status,
        Json(HandoffAccepted {
            token: c.token,
            status: if c.live {
                Availability::Available
            } else {
                Availability::Offline
            },
        }),
    ))
}

/// Whether a person can take the conversation now: within business hours, and someone of
/// the team has the inbox open without having said "away".
async fn available(state: &AppState, flow: Option<&str>, now: i64) -> bool {
    if !in_hours(state, flow, now).await {
        return false;
    }
    let here = match state.cluster.agents_here(&state.presence).await {
        Ok(here) => here,
        Err(e) => {
            tracing::error!("who is here: {e}");
            return false;
        }
    };
    match crate::agents::any_available(&state.db, &here).await {
        Ok(any) => any,
        Err(e) => {
            tracing::error!("who is available: {e}");
            false
        }
    }
}

/// The business hours of the flow the conversation came from (the same rule the engine
/// applies to that flow's `business_hours` conditions, so the two always agree), or, for a
/// flow without hours or an unknown one, the server's `--business-hours`.
async fn in_hours(state: &AppState, flow: Option<&str>, now: i64) -> bool {
    let hours = match flow {
        Some(name) => state.flows.hours(name).await.flatten(),
        None => None,
    };
    let now = flow_runtime::Time(u64::try_from(now).unwrap_or(0));
    match hours {
        Some(hours) => hours.is_open(now),
        None => state.settings.hours.is_open(now),
    }
}

/// When the team is next in, as an email tells the shopper: the store's local time and its
/// zone (`2026-12-07 09:00 (Europe/Berlin)`); `None` when the hours never open.
pub async fn team_back(state: &AppState, flow: Option<&str>, now: i64) -> Option<String> {
    let hours = match flow {
        Some(name) => state.flows.hours(name).await.flatten(),
        None => None,
    };
    let hours = hours.unwrap_or_else(|| state.settings.hours.clone());
    let at = hours.next_open(flow_runtime::Time(u64::try_from(now).unwrap_or(0)))?;
    let local = hours.local(at);
    let zone = if hours.time_zone.is_empty() {
        "UTC".to_owned()
    } else {
        hours.time_zone.clone()
    };
    Some(format!(
        "{} ({zone})",
        crate::clock::iso_minute(local).trim_end_matches(" UTC")
    ))
}

/// How far back a transcript line may be dated: a conversation kept in a browser for weeks
/// is still one conversation; a line from years ago, or from the future, is made up.
pub const TRANSCRIPT_MAX_AGE_MS: i64 = 90 * 24 * 3600 * 1000;
/// Clocks drift: a line may be this far ahead of the server's clock.
pub const TRANSCRIPT_MAX_AHEAD_MS: i64 = 5 * 60 * 1000;

/// Every bound is the contract's (`flow_runtime::wire::limits`): the engine cuts what it
/// sends to them, so a widget of ours never hits one.
fn validate(h: &NewHandoff, now: i64) -> Result<(), ApiError> {
    if !(limit::KEY_MIN_CHARS..=limit::KEY_CHARS).contains(&h.key.len())
        || !h
            .key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::invalid(
            "key",
            &format!(
                "must be {} to {} letters, digits, `-` or `_`",
                limit::KEY_MIN_CHARS,
                limit::KEY_CHARS
            ),
        ));
    }
    if h.transcript.len() > limit::TRANSCRIPT_LINES {
        return Err(ApiError::invalid(
            "transcript",
            &format!("may have at most {} lines", limit::TRANSCRIPT_LINES),
        ));
    }
    for (i, line) in h.transcript.iter().enumerate() {
        text_field(
            &format!("transcript[{i}].text"),
            &line.text,
            0,
            limit::TRANSCRIPT_LINE_CHARS,
        )?;
        // The browser reports what the shopper and the bot said; what a person or the
        // system says is written by this server alone.
        if !matches!(line.from, Speaker::Shopper | Speaker::Bot) {
            return Err(ApiError::invalid(
                &format!("transcript[{i}].from"),
                "must be `shopper` or `bot`",
            ));
        }
        let at = i64::try_from(line.at).unwrap_or(i64::MAX);
        if at < now - TRANSCRIPT_MAX_AGE_MS || at > now + TRANSCRIPT_MAX_AHEAD_MS {
            return Err(ApiError::invalid(
                &format!("transcript[{i}].at"),
                "must be a time in the last 90 days (Unix milliseconds)",
            ));
        }
    }
    if let Some(flow) = &h.flow {
        if crate::flows::flow_of_file(flow).is_none() {
            return Err(ApiError::invalid(
                "flow",
                "must be a flow's name on this server, such as `demo.json`",
            ));
        }
    }
    let c = &h.context;
    text_field("context.page_url", &c.page_url, 0, limit::PAGE_URL_CHARS)?;
    text_field("context.language", &c.language, 0, limit::LANGUAGE_CHARS)?;
    text_field("context.device", &c.device, 0, limit::DEVICE_CHARS)?;
    text_field(
        "context.cart_value",
        &c.cart_value,
        0,
        limit::CART_VALUE_CHARS,
    )?;
    text_field("context.currency", &c.currency, 0, limit::CURRENCY_CHARS)?;
    if c.cart_lines.len() > limit::CART_LINES {
        return Err(ApiError::invalid(
            "context.cart_lines",
            &format!("may have at most {} lines", limit::CART_LINES),
        ));
    }
    for (i, line) in c.cart_lines.iter().enumerate() {
        text_field(
            &format!("context.cart_lines[{i}].name"),
            &line.name,
            1,
            limit::CART_LINE_NAME_CHARS,
        )?;
    }
    if c.faq.len() > limit::FAQ_TRIES {
        return Err(ApiError::invalid(
            "context.faq",
            &format!("may have at most {} entries", limit::FAQ_TRIES),
        ));
    }
    for (i, f) in c.faq.iter().enumerate() {
        text_field(
            &format!("context.faq[{i}].entry"),
            &f.entry,
            0,
            limit::NAME_CHARS,
        )?;
        text_field(
            &format!("context.faq[{i}].question"),
            &f.question,
            0,
            limit::FAQ_QUESTION_CHARS,
        )?;
        // A confidence outside 0..1 does not even read (`wire::Confidence`).
    }
    for (field, value) in [
        ("context.trigger", &c.trigger),
        ("context.variant", &c.variant),
    ] {
        if let Some(v) = value {
            text_field(field, v, 0, limit::NAME_CHARS)?;
        }
    }
    if let Some(email) = &c.email {
        email_field("context.email", email)?;
    }
    Ok(())
}
