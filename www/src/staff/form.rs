//! Forms posted by staff, CSRF-checked on the way in: a handler takes a [`StaffForm`] (any
//! logged-in person) or an [`OwnerForm`] (owners only) and never sees a form whose token
//! was not the session's, so a new handler cannot forget the check.
//!
//! The body is read twice: once for its `csrf` field, once as the handler's form (which
//! need not name `csrf`).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::session::{AgentSession, Owner, check_csrf};
use crate::AppState;
use crate::agents::Session;

/// A form from a logged-in member of staff, its token checked.
pub struct StaffForm<F> {
    pub session: Session,
    /// The session cookie's value (logging out ends that session).
    pub cookie: String,
    pub form: F,
}

/// A form from an owner (agents get 403), its token checked.
pub struct OwnerForm<F> {
    pub owner: Owner,
    pub form: F,
}

#[derive(Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// The session, and the body once its token is checked.
async fn checked<F: DeserializeOwned>(
    req: Request,
    state: &AppState,
) -> Result<(AgentSession, String, F), Response> {
    let (mut parts, body) = req.into_parts();
    let session = AgentSession::from_request_parts(&mut parts, state).await?;
    let path = parts.uri.path().to_owned();
    let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(IntoResponse::into_response)?;
    let Token { csrf } = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| (StatusCode::BAD_REQUEST, "This is not a form.").into_response())?;
    check_csrf(&session.0, &csrf)?;
    let form = serde_urlencoded::from_bytes(&bytes).map_err(|e| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("This form is not one of ours: {e}."),
        )
            .into_response()
    })?;
    Ok((session, path, form))
}

impl<F: DeserializeOwned + Send> FromRequest<AppState> for StaffForm<F> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (AgentSession(session, cookie), _, form) = checked(req, state).await?;
        Ok(StaffForm {
            session,
            cookie,
            form,
        })
    }
}

impl<F: DeserializeOwned + Send> FromRequest<AppState> for OwnerForm<F> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (AgentSession(session, _), path, form) = checked(req, state).await?;
        Ok(OwnerForm {
            owner: Owner::of(session, &path)?,
            form,
        })
    }
}
