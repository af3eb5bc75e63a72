//! The accounts page: owners add and remove agents and owners.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::*;
use crate::AppState;
use crate::agents::Role;

#[derive(Deserialize)]
pub(super) struct NewAccount {
    name: String,
    email: String,
    password: String,
    role: String,
}

pub(super) async fn accounts(
    State(state): State<AppState>,
    owner: Owner,
    Query(q): Query<Note>,
) -> Response {
    match agents::list(&state.db).await {
        Ok(list) => {
            // Notes are chosen here, never text from the URL: a link cannot put words on
            // an owner's page.
            let note = match q.note.as_deref() {
                Some("added") => Some("The account was saved: it can log in now."),
                Some("removed") => Some("The account was removed; its sessions ended with it."),
                _ => None,
            };
            Html(pages::accounts(&owner.0, &list, note)).into_response()
        }
        Err(e) => unavailable(e),
    }
}

pub(super) async fn add_account(
    State(state): State<AppState>,
    OwnerForm { owner, form }: OwnerForm<NewAccount>,
) -> Response {
    let role = if form.role == "owner" {
        Role::Owner
    } else {
        Role::Agent
    };
    match agents::add_with_role(
        &state.db,
        &form.email,
        &form.name,
        &form.password,
        Some(role),
    )
    .await
    {
        Ok(_) => {
            tracing::info!("console: {} added {} ({:?})", owner.who(), form.email, role);
            Redirect::to("/console/accounts?note=added").into_response()
        }
        Err(e) => Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not added",
            e.to_string(),
        )
        .into_response(),
    }
}

pub(super) async fn remove_account(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    OwnerForm { owner, .. }: OwnerForm<Nothing>,
) -> Response {
    if id == owner.0.agent.id {
        return Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not removed",
            "You cannot remove your own account.",
        )
        .into_response();
    }
    match agents::remove(&state.db, id).await {
        Ok(()) => Redirect::to("/console/accounts?note=removed").into_response(),
        Err(e) => Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not removed",
            &e.to_string(),
        )
        .into_response(),
    }
}
