//! Who is using the inbox: the session cookie, the CSRF token and the same-origin check.

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

impl AgentSession {
    pub fn check_csrf(&self, token: &str) -> Result<(), Response> {
        check_csrf(&self.0, token)
    }
}

/// Whether a form's `token` is the session's CSRF token (compared in constant time); the
/// 403 to answer when it is not. The inbox's and the console's forms both go through here.
pub fn check_csrf(session: &Session, token: &str) -> Result<(), Response> {
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
                tracing::error!("inbox session: {e}");
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
