//! Who is using the inbox or the console: the session cookie, the CSRF token, the role
//! and the same-origin check.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::agents::{self, SESSION_MS, Session};

pub const SESSION_COOKIE: &str = "bellhop_session";
/// A browser that logged in before (see `throttle`): strangers' failed logins do not
/// lock it out.
pub const DEVICE_COOKIE: &str = "bellhop_device";

/// The device cookie: sent only to the login form, kept as long as the server remembers
/// the device.
pub fn device_cookie(value: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{DEVICE_COOKIE}={value}; Path=/inbox/login; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        agents::DEVICE_MS / 1000
    ))
    .expect("a cookie of hex digits")
}

pub fn session_cookie(value: &str, secure: bool) -> HeaderValue {
    let max_age = if value.is_empty() {
        0
    } else {
        SESSION_MS / 1000
    };
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("a cookie of hex digits")
}

fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    cookie_in(&parts.headers, name)
}

/// The value of cookie `name` in a request's headers.
pub fn cookie_in<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A logged-in agent and their cookie. Pages redirect to the login form without one; other
/// requests get 401. POSTs must also pass [`SameOrigin`].
pub struct AgentSession(pub Session, pub String);

/// Whether a form's `token` is the session's CSRF token (compared in constant time); the
/// 403 to answer when it is not. Only [`super::form`]'s extractors call it: a handler
/// receives a staff form already checked.
pub(super) fn check_csrf(session: &Session, token: &str) -> Result<(), Response> {
    if bool::from(token.as_bytes().ct_eq(session.csrf.as_bytes())) {
        Ok(())
    } else {
        Err((
            StatusCode::FORBIDDEN,
            "This form has expired: go back, reload the page and try again.",
        )
            .into_response())
    }
}

impl FromRequestParts<AppState> for AgentSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if parts.method == Method::POST {
            SameOrigin::from_request_parts(parts, state).await?;
        }
        let value = cookie(parts, SESSION_COOKIE).unwrap_or("").to_owned();
        let session = if value.is_empty() {
            None
        } else {
            agents::session(&state.db, &value).await.map_err(|e| {
                tracing::error!("staff session: {e}");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            })?
        };
        match session {
            Some(s) => Ok(AgentSession(s, value)),
            None if parts.method == Method::GET
                && parts.uri.path() != "/inbox/events"
                && !parts.uri.path().starts_with("/console/preview/") =>
            {
                Err(Redirect::to("/inbox/login").into_response())
            }
            None => {
                Err((StatusCode::UNAUTHORIZED, "Log in again at /inbox/login.").into_response())
            }
        }
    }
}

/// A POST from a page of this server: `Origin` (or, failing that, `Referer`) names the same
/// host as `Host`. Browsers send `Origin` with every cross-site POST, so a forged form from
/// another site is refused even before the CSRF token is looked at.
pub struct SameOrigin;

impl FromRequestParts<AppState> for SameOrigin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Response> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        let source = parts
            .headers
            .get(header::ORIGIN)
            .or_else(|| parts.headers.get(header::REFERER))
            .and_then(|h| h.to_str().ok());
        let same = match (host, source) {
            (_, None) => true, // not a browser's cross-site request
            (Some(host), Some(source)) => source
                .split_once("://")
                .map(|(_, rest)| rest.split('/').next() == Some(host))
                .unwrap_or(false),
            (None, Some(_)) => false,
        };
        if same {
            Ok(SameOrigin)
        } else {
            Err((
                StatusCode::FORBIDDEN,
                "Cross-site form submissions are refused.",
            )
                .into_response())
        }
    }
}

/// A logged-in owner. Agents get 403, whatever they ask for; nobody gets the login page
/// redirect for a POST.
pub struct Owner(pub Session);

impl FromRequestParts<AppState> for Owner {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let AgentSession(session, _) = AgentSession::from_request_parts(parts, state).await?;
        Owner::of(session, parts.uri.path())
    }
}

impl Owner {
    /// `session`, if it is an owner's (asking for `path`).
    pub(super) fn of(session: Session, path: &str) -> Result<Owner, Response> {
        if session.agent.role != agents::Role::Owner {
            tracing::warn!(
                "console: {} (an agent) was refused {path}",
                session.agent.email
            );
            return Err(super::page::Problem::new(
                super::page::Area::Console,
                StatusCode::FORBIDDEN,
                "Owners only",
                "The console is for the store's owners. Your account answers shoppers in the inbox; ask an owner if you need to change the assistant.",
            )
            .into_response());
        }
        Ok(Owner(session))
    }

    /// The owner as version notes name them: `Name <email>`.
    pub fn who(&self) -> String {
        format!("{} <{}>", self.0.agent.name, self.0.agent.email)
    }
}
