//! Publishing, rolling back, importing and exporting a flow's versions.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;

use super::*;
use crate::AppState;

#[derive(Deserialize)]
pub(super) struct Publish {
    revision: i64,
    #[serde(default)]
    note: String,
}

pub(super) async fn publish(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<Publish>,
) -> Response {
    let loaded = match draft_for_form(&state, &name, form.revision).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    if loaded.compiled.errors() > 0 {
        return Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not published",
            "The draft has errors: fix them first (the flow's page lists them).",
        )
        .into_response();
    }
    let note: String = form.note.trim().chars().take(200).collect();
    match store::publish(&state.db, &name, &loaded.draft.source, &owner.who(), &note).await {
        Ok(n) => {
            tracing::info!(
                "console: {} published {name} version {n}",
                owner.0.agent.email
            );
            Redirect::to(&format!("/console/flows/{name}?note=published")).into_response()
        }
        Err(e) => unavailable(e),
    }
}

/// Publishes a copy of an older version; the draft follows it unless it held unpublished
/// changes (those are never thrown away).
pub(super) async fn rollback(
    State(state): State<AppState>,
    Path((name, number)): Path<(String, i64)>,
    OwnerForm { owner, .. }: OwnerForm<Nothing>,
) -> Response {
    let loaded = match load(&state, &name).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let old = match store::version(&state.db, &name, number).await {
        Ok(Some(v)) => v,
        Ok(None) => return not_found("There is no such version."),
        Err(e) => return unavailable(e),
    };
    let unchanged = loaded
        .live
        .as_ref()
        .is_some_and(|v| v.source == loaded.draft.source);
    let note = format!("rollback to version {number}");
    if let Err(e) = store::publish(&state.db, &name, &old.source, &owner.who(), &note).await {
        return unavailable(e);
    }
    if unchanged {
        if let Err(e) = store::replace_draft(&state.db, &name, &old.source, &owner.who()).await {
            return unavailable(e);
        }
    }
    tracing::info!(
        "console: {} rolled {name} back to version {number}",
        owner.0.agent.email
    );
    Redirect::to(&format!("/console/flows/{name}?note=rolled-back")).into_response()
}

#[derive(Deserialize)]
pub(super) struct Import {
    source: String,
}

pub(super) async fn import(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<Import>,
) -> Response {
    if !is_flow_name(&name) {
        return not_found("There is no flow by that name.");
    }
    if form.source.len() > 2 << 20 {
        return Problem::new(
            Area::Console,
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too large",
            "A flow file can be at most 2 MiB.",
        )
        .into_response();
    }
    if let Err(e) = serde_json::from_str::<Value>(&form.source) {
        return Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not imported",
            format!("This is not a JSON document: {e}. Nothing was changed."),
        )
        .into_response();
    }
    match flows::admin::import(&state.db, &name, &form.source, &owner.who()).await {
        // Said as it happened: published (and as which version), or kept as the draft.
        Ok(flows::admin::Imported::Published(n)) => {
            Redirect::to(&format!("/console/flows/{name}?note=imported&version={n}"))
                .into_response()
        }
        Ok(flows::admin::Imported::Draft(_)) => {
            Redirect::to(&format!("/console/flows/{name}?note=import-errors")).into_response()
        }
        Err(e) => unavailable(e),
    }
}

fn download(name: String, source: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        source,
    )
        .into_response()
}

pub(super) async fn export_version(
    State(state): State<AppState>,
    _owner: Owner,
    Path((name, number)): Path<(String, i64)>,
) -> Response {
    match store::version(&state.db, &name, number).await {
        Ok(Some(v)) => download(format!("{name}-v{number}.json"), v.source),
        Ok(None) => not_found("There is no such version."),
        Err(e) => unavailable(e),
    }
}

pub(super) async fn export_draft(
    State(state): State<AppState>,
    _owner: Owner,
    Path(name): Path<String>,
) -> Response {
    match store::draft(&state.db, &name).await {
        Ok(Some(d)) => download(format!("{name}-draft.json"), d.source),
        Ok(None) => not_found("There is no flow by that name."),
        Err(e) => unavailable(e),
    }
}
