//! The agent inbox under `/inbox`: plain server-rendered HTML that a support person keeps
//! open all day, with one small script for live updates (it works without it, only less
//! live).
//!
//! Security: a session cookie (`HttpOnly`, `SameSite=Strict`, `Secure` with
//! `--secure-cookies`) holds a random id whose hash is stored; every form carries the
//! session's CSRF token, and every POST must come from the inbox's own origin. Pages are
//! served with a CSP that allows only the inbox's own script and stylesheet.

mod format;
mod pages;
pub mod throttle;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use futures_util::StreamExt;
use serde::Deserialize;

pub use pages::reason_words;

use crate::AppState;
use crate::agents;
use crate::conversations::{QueueQuery, Show};
use crate::staff::{self, AgentSession, Area, DEVICE_COOKIE, Problem, StaffForm, session as auth};
use crate::webhooks;
use flow_runtime::wire::limits::AGENT_REPLY_CHARS;

const CSS: &str = include_str!("inbox.css");
const JS: &str = include_str!("inbox.js");

pub fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/inbox", get(queue))
        .route(
            "/inbox/login",
            get(login_page)
                .post(login)
                // An email and a password fit in far less; a bigger form is no login.
                .layer(axum::extract::DefaultBodyLimit::max(16 * 1024)),
        )
        .route("/inbox/logout", post(logout))
        .route("/inbox/conversations/{id}", get(conversation))
        .route("/inbox/conversations/{id}/reply", post(reply))
        .route("/inbox/conversations/{id}/close", post(close))
        .route(
            "/inbox/conversations/{id}/close-same-address",
            post(close_same_address),
        )
        .route("/inbox/close-silent", post(close_silent))
        .route("/inbox/events", get(events))
        .route("/inbox/webhooks", get(webhook_log))
        .route("/inbox/alerts", post(set_alerts))
        .route("/inbox/away", post(set_away))
        .route(
            "/inbox/inbox.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], CSS) }),
        )
        .route(
            "/inbox/inbox.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], JS) }),
        );
    staff::private_pages(
        router,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    )
}

#[derive(Deserialize)]
struct QueueParams {
    show: Option<String>,
    order: Option<String>,
    page: Option<u32>,
    note: Option<String>,
}

async fn queue(
    State(state): State<AppState>,
    session: AgentSession,
    Query(p): Query<QueueParams>,
) -> Response {
    let q = QueueQuery {
        show: p.show.as_deref().and_then(Show::parse).unwrap_or_default(),
        newest_first: p.order.as_deref() == Some("newest"),
        page: p.page.unwrap_or(0).min(100_000),
    };
    // Notes are chosen here, never text from the URL.
    let note = match p.note.as_deref() {
        Some("closed") => Some("The conversations were closed."),
        _ => None,
    };
    // Whether this person gets alert emails (only asked when email is on).
    let alerts = if state.settings.email {
        crate::mail::outbox::alerts_of(&state.db, session.0.agent.id)
            .await
            .ok()
    } else {
        None
    };
    let away = crate::agents::is_away(&state.db, session.0.agent.id)
        .await
        .unwrap_or(false);
    match state.conversations.queue(&q).await {
        Ok(page) => {
            let last = state.conversations.last_event().await.unwrap_or(0);
            Html(pages::queue(
                &session.0,
                &q,
                &page,
                last,
                crate::clock::now_ms(),
                note,
                alerts,
                away,
            ))
            .into_response()
        }
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}

/// Closes every waiting conversation in which the shopper never wrote (a flood).
async fn close_silent(State(state): State<AppState>, posted: StaffForm<Nothing>) -> Response {
    let session = posted.session;
    match state.conversations.close_silent().await {
        Ok(n) => {
            tracing::info!(
                "inbox: {} closed {n} silent conversations",
                session.agent.email
            );
            Redirect::to("/inbox?note=closed").into_response()
        }
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}

/// Closes a conversation and every other one from the same address.
async fn close_same_address(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    posted: StaffForm<Nothing>,
) -> Response {
    let session = posted.session;
    match state.conversations.close_same_address(id).await {
        Ok(n) => {
            tracing::info!(
                "inbox: {} closed {n} conversations from one address",
                session.agent.email
            );
            Redirect::to("/inbox?note=closed").into_response()
        }
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    #[serde(default)]
    failed: bool,
}

async fn login_page(Query(q): Query<LoginQuery>) -> Html<String> {
    Html(pages::login(q.failed))
}

#[derive(Deserialize)]
struct Login {
    email: String,
    password: String,
}

/// `Secure` cookies when configured, or when our own proxy says the request came over HTTPS.
fn secure(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    state.settings.secure_cookies
        || (state.settings.trust_proxy > 0
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|p| p.eq_ignore_ascii_case("https")))
}

async fn login(
    State(state): State<AppState>,
    auth::SameOrigin: auth::SameOrigin,
    crate::api::Client(client): crate::api::Client,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<Login>,
) -> Response {
    // Emails and passwords no account can have are refused before anything is counted or
    // hashed: the throttle's memory and the password threads stay bounded.
    if form.email.chars().count() > throttle::MAX_EMAIL_CHARS
        || form.password.chars().count() > agents::MAX_PASSWORD_CHARS
    {
        return (StatusCode::UNPROCESSABLE_ENTITY, Html(pages::login(true))).into_response();
    }
    let device = auth::cookie_in(&headers, DEVICE_COOKIE).unwrap_or("");
    let known = match agents::knows_device(&state.db, device, &form.email).await {
        Ok(known) => known,
        Err(e) => return Problem::unavailable(Area::Inbox, e).into_response(),
    };
    let attempt = throttle::Attempt {
        address: &client,
        account: &form.email,
        device: known.then_some(device),
    };
    let throttle = &state.limits.logins;
    let now = crate::clock::now_ms();
    if let Err(wait) = throttle.check_everywhere(attempt, now).await {
        let mut response = (
            StatusCode::TOO_MANY_REQUESTS,
            Html(pages::login_locked(wait)),
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return response;
    }
    let agent = match agents::authenticate(&state.db, &form.email, &form.password).await {
        Ok(Some(agent)) => agent,
        Ok(None) => {
            throttle.failed_everywhere(attempt, now).await;
            return Redirect::to("/inbox/login?failed=true").into_response();
        }
        Err(e) => return Problem::unavailable(Area::Inbox, e).into_response(),
    };
    let session = match agents::start_session(&state.db, &agent).await {
        Ok(cookie) => cookie,
        Err(e) => return Problem::unavailable(Area::Inbox, e).into_response(),
    };
    throttle.succeeded_everywhere(attempt).await;
    // This browser is one the account knows from now on.
    let device = if known {
        if let Err(e) = agents::device_used(&state.db, device).await {
            tracing::warn!("inbox: remembering a device: {e}");
        }
        None
    } else {
        match agents::remember_device(&state.db, &agent).await {
            Ok(cookie) => Some(cookie),
            Err(e) => {
                tracing::warn!("inbox: remembering a device: {e}");
                None
            }
        }
    };
    tracing::info!("inbox: {} logged in", agent.email);
    // Owners come to edit the assistant; agents to answer shoppers.
    let home = match agent.role {
        agents::Role::Owner => "/console",
        agents::Role::Agent => "/inbox",
    };
    let mut response = Redirect::to(home).into_response();
    let secure = secure(&state, &headers);
    response
        .headers_mut()
        .append(header::SET_COOKIE, auth::session_cookie(&session, secure));
    if let Some(device) = device {
        response
            .headers_mut()
            .append(header::SET_COOKIE, auth::device_cookie(&device, secure));
    }
    response
}

/// A form with nothing but its token (a button).
#[derive(Deserialize)]
struct Nothing {}

async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    posted: StaffForm<Nothing>,
) -> Response {
    if let Err(e) = agents::end_session(&state.db, &posted.cookie).await {
        return Problem::unavailable(Area::Inbox, e).into_response();
    }
    let mut response = Redirect::to("/inbox/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie("", secure(&state, &headers)),
    );
    response
}

async fn conversation(
    State(state): State<AppState>,
    session: AgentSession,
    Path(id): Path<i64>,
) -> Response {
    match state.conversations.detail(id).await {
        Ok(Some(detail)) => Html(pages::conversation(
            &session.0,
            &detail,
            crate::clock::now_ms(),
        ))
        .into_response(),
        Ok(None) => {
            Problem::not_found(Area::Inbox, "There is no such conversation.").into_response()
        }
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}

#[derive(Deserialize)]
struct Reply {
    text: String,
}

async fn reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { session, form, .. }: StaffForm<Reply>,
) -> Response {
    let text = form.text.trim();
    let back = Redirect::to(&format!("/inbox/conversations/{id}")).into_response();
    if text.is_empty() {
        return back;
    }
    if text.chars().count() > AGENT_REPLY_CHARS || text.contains('\0') {
        return Problem::new(
            Area::Inbox,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Reply too long",
            format!(
                "A reply can be at most {} characters.",
                format::count(AGENT_REPLY_CHARS as i64)
            ),
        )
        .into_response();
    }
    let following = following(&state, id).await;
    match state
        .conversations
        .agent_says(id, &session.agent, text, following)
        .await
    {
        Ok(_) => back,
        Err(crate::conversations::Refused::Closed) => back,
        Err(crate::conversations::Refused::Db(sqlx::Error::RowNotFound)) => {
            Problem::not_found(Area::Inbox, "There is no such conversation.").into_response()
        }
        Err(crate::conversations::Refused::Db(e)) => {
            Problem::unavailable(Area::Inbox, e).into_response()
        }
    }
}

/// Whether the shopper follows conversation `id` on any instance (when unsure, no: an
/// email too many beats a reply never seen).
async fn following(state: &AppState, id: i64) -> bool {
    let here = state.limits.streams.following(id);
    state.cluster.following(here, id).await.unwrap_or_else(|e| {
        tracing::warn!("who follows {id}: {e}");
        false
    })
}

async fn close(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    _posted: StaffForm<Nothing>,
) -> Response {
    let following = following(&state, id).await;
    match state.conversations.close(id, following).await {
        Ok(_) => Redirect::to(&format!("/inbox/conversations/{id}")).into_response(),
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}

#[derive(Deserialize)]
struct After {
    after: Option<i64>,
}

/// Every event of every conversation, for the open inbox pages.
async fn events(
    State(state): State<AppState>,
    session: AgentSession,
    Query(q): Query<After>,
) -> Response {
    // This person counts as here while the stream is open (the guard lives in it).
    let here = state.presence.arrive(session.0.agent.id);
    let after = match q.after {
        Some(a) => a,
        None => state.conversations.last_event().await.unwrap_or(0),
    };
    let stream = state.conversations.follow(None, after, &[]).map(move |e| {
        let _here = &here;
        let data = serde_json::json!({ "conversation": e.conversation, "data": e.data });
        Ok::<_, std::convert::Infallible>(
            SseEvent::default()
                .id(e.id.to_string())
                .event(e.kind)
                .data(data.to_string()),
        )
    });
    Sse::new(state.stopping.ends(stream))
        .keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15)))
        .into_response()
}

async fn webhook_log(State(state): State<AppState>, session: AgentSession) -> Response {
    let log = async {
        Ok::<_, sqlx::Error>((
            webhooks::log(&state.db, 100).await?,
            crate::mail::outbox::log(&state.db).await?,
        ))
    };
    match log.await {
        Ok((hooks, emails)) => Html(pages::webhooks(
            &session.0,
            &hooks,
            state.settings.webhooks,
            &emails,
            state.settings.email,
        ))
        .into_response(),
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Alerts {
    alerts: String,
}

#[derive(serde::Deserialize)]
struct Away {
    away: String,
}

/// `POST /inbox/away`: this person is away (`away=yes`: an open inbox does not count them
/// for live handoffs) or back.
async fn set_away(State(state): State<AppState>, posted: StaffForm<Away>) -> Response {
    let away = posted.form.away == "yes";
    match crate::agents::set_away(&state.db, posted.session.agent.id, away).await {
        Ok(()) => Redirect::to("/inbox").into_response(),
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}

/// `POST /inbox/alerts`: this person's alert emails on (`alerts=on`) or off.
async fn set_alerts(State(state): State<AppState>, posted: StaffForm<Alerts>) -> Response {
    let on = posted.form.alerts == "on";
    match crate::mail::outbox::set_alerts(&state.db, posted.session.agent.id, on).await {
        Ok(()) => Redirect::to("/inbox").into_response(),
        Err(e) => Problem::unavailable(Area::Inbox, e).into_response(),
    }
}
