//! A live conversation after a handoff, reached by its token alone: the shopper's messages,
//! email and rating in, the agent's messages and status changes out as Server-Sent Events.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use serde::Deserialize;

use super::{ApiError, ApiJson, ApiPath, Client, email_field, text_field};
use crate::AppState;
use crate::clock::now_ms;
use crate::conversations::{Conversation, Refused};
use flow_runtime::wire::{
    ConversationStatus, EmailChange, MessageAccepted, NewMessage, NewRating, ResumeRequest,
    Resumed, event,
};

use flow_runtime::wire::limits as limit;

async fn conversation(state: &AppState, token: &str) -> Result<Conversation, ApiError> {
    if token.len() > limit::TOKEN_CHARS {
        return Err(ApiError::not_found("conversation"));
    }
    state
        .conversations
        .by_token(token)
        .await?
        .ok_or_else(|| ApiError::not_found("conversation"))
}

/// `GET /conversations/{token}`: its status now.
pub async fn show(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<ConversationStatus>, ApiError> {
    let c = conversation(&state, &token).await?;
    Ok(Json(ConversationStatus {
        status: c.status,
        live: c.live,
        agent: c.agent,
    }))
}

/// `POST /conversations/resume`: the conversation an email's link brings the shopper back
/// to. The resume token is not the conversation's token: it expires, and the answer is the
/// same 404 for an unknown and an expired one. Rate limited like handoffs.
pub async fn resume(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(r): ApiJson<ResumeRequest>,
) -> Result<Json<Resumed>, ApiError> {
    text_field("resume", &r.resume, 1, limit::TOKEN_CHARS)?;
    state
        .limits
        .handoff_by_client
        .check(&client, now_ms())
        .await
        .map_err(ApiError::rate_limited)?;
    let c = state
        .conversations
        .resume(&r.resume, now_ms())
        .await?
        .ok_or_else(|| ApiError::not_found("conversation"))?;
    Ok(Json(Resumed {
        token: c.token,
        status: c.status,
        agent: c.agent,
    }))
}

/// `POST /conversations/{token}/messages`: idempotent by `key`.
pub async fn message(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    Client(client): Client,
    ApiJson(m): ApiJson<NewMessage>,
) -> Result<Json<MessageAccepted>, ApiError> {
    text_field("key", &m.key, 1, limit::KEY_CHARS)?;
    text_field("text", &m.text, 1, limit::MESSAGE_CHARS)?;
    if m.text.trim().is_empty() {
        return Err(ApiError::invalid("text", "is blank"));
    }
    let c = conversation(&state, &token).await?;
    state
        .limits
        .messages
        .check(c.id, &client, now_ms())
        .await
        .map_err(ApiError::rate_limited)?;
    match state.conversations.shopper_says(&c, &m.key, &m.text).await {
        Ok(id) => Ok(Json(MessageAccepted { id: id.to_string() })),
        Err(Refused::Closed) => Err(closed()),
        Err(Refused::Db(e)) => Err(e.into()),
    }
}

fn closed() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "conversation_closed",
        "this conversation is closed; start a new one",
    )
}

/// `POST /conversations/{token}/email`: where an offline handoff should be answered.
pub async fn email(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    Client(client): Client,
    ApiJson(e): ApiJson<EmailChange>,
) -> Result<StatusCode, ApiError> {
    email_field("email", &e.email)?;
    let c = conversation(&state, &token).await?;
    state
        .limits
        .emails
        .check(c.id, &client, now_ms())
        .await
        .map_err(ApiError::rate_limited)?;
    let back = super::handoffs::team_back(&state, c.flow.as_deref(), now_ms()).await;
    state
        .conversations
        .set_email(&c, e.email.trim(), back.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /conversations/{token}/rating`: 1–5 (thumbs: 1 down, 2 up), once closed.
pub async fn rating(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    Client(client): Client,
    ApiJson(r): ApiJson<NewRating>,
) -> Result<StatusCode, ApiError> {
    if !(1..=5).contains(&r.score) {
        return Err(ApiError::invalid("score", "must be 1 to 5"));
    }
    if let Some(comment) = &r.comment {
        text_field("comment", comment, 0, limit::COMMENT_CHARS)?;
    }
    let c = conversation(&state, &token).await?;
    state
        .limits
        .ratings
        .check(c.id, &client, now_ms())
        .await
        .map_err(ApiError::rate_limited)?;
    if c.status != "closed" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conversation_open",
            "a conversation is rated once it is closed",
        ));
    }
    let comment = r
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    state
        .conversations
        .rate(&c, i64::from(r.score), comment)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct After {
    after: Option<String>,
}

/// `GET /conversations/{token}/events`: `joined`, `message` and `closed`, each with its id,
/// resumable with `Last-Event-ID` (or `?after=`, which survives a page load).
pub async fn events(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    Client(client): Client,
    Query(q): Query<After>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let c = conversation(&state, &token).await?;
    // Its place among the open streams lives as long as the stream.
    let slot = state.limits.streams.open(c.id, &client).ok_or_else(|| {
        ApiError::rate_limited(5)
            .with_message("too many open event streams for this conversation or address")
    })?;
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(q.after.as_deref())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let stream = state
        .conversations
        .follow(Some(c.id), after, &event::SHOPPER)
        .map(move |e| {
            let _ = &slot;
            Ok(SseEvent::default()
                .id(e.id.to_string())
                .event(e.kind)
                .data(e.data.to_string()))
        });
    Ok(Sse::new(state.stopping.ends(stream))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
