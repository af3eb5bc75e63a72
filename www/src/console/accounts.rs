//! The accounts page: owners add and remove agents and owners.

use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::*;
use crate::AppState;

#[derive(Deserialize)]
pub(super) struct NewAccount {
    csrf: String,
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
    owner: Owner,
    Form(form): Form<NewAccount>,
) -> Response {
    if let Err(r) = owner.check(&form.csrf) {
        return r;
    }
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
        Ok(_) => Redirect::to("/console/accounts?note=added").into_response(),
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(pages::problem("Not added", &e.to_string())),
        )
            .into_response(),
    }
}

pub(super) async fn remove_account(
    State(state): State<AppState>,
    owner: Owner,
    Path(id): Path<i64>,
    Form(form): Form<Csrf>,
) -> Response {
    if let Err(r) = owner.check(&form.csrf) {
        return r;
    }
    if id == owner.0.agent.id {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(pages::problem(
                "Not removed",
                "You cannot remove your own account.",
            )),
        )
            .into_response();
    }
    match agents::remove(&state.db, id).await {
        Ok(()) => Redirect::to("/console/accounts?note=removed").into_response(),
        Err(e) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(pages::problem("Not removed", &e.to_string())),
        )
            .into_response(),
    }
}
