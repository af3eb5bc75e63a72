//! Trying the draft: the preview page (the real widget in a frame of ours), the draft
//! compiled for it, and the FAQ's health.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::*;

pub(super) async fn health(
    State(state): State<AppState>,
    owner: Owner,
    Path(name): Path<String>,
) -> Response {
    let loaded = match load(&state, &name).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let Some(flow) = &loaded.compiled.flow else {
        return Problem::new(
            Area::Console,
            StatusCode::OK,
            "FAQ health",
            "The draft has errors: fix them, then its FAQ can be checked.",
        )
        .into_response();
    };
    let languages = fields::Form::new(&loaded.doc, &[]).languages;
    let doc = loaded.doc.clone();
    let flow = flow.clone();
    // Off the async threads, for at most `HEALTH_TIME`, and not a moment longer than the
    // owner waits: when the browser goes, axum drops this future, and with it `_stop`,
    // which tells the check to end.
    let started = std::time::Instant::now();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _stop = StopOnDrop(stop.clone());
    let deadline = started + tryout::HEALTH_TIME;
    let report = tokio::task::spawn_blocking(move || {
        tryout::health(&flow, &doc, &languages, deadline, &stop)
    })
    .await;
    let took = started.elapsed();
    let Ok(report) = report else {
        return unavailable("the FAQ health check failed");
    };
    let entries: Vec<(usize, String)> = tryout::faq_of(&loaded.doc)
        .0
        .into_iter()
        .enumerate()
        .collect();
    Html(pages::health(
        &loaded.page(&owner.0),
        &report,
        &entries,
        took,
    ))
    .into_response()
}

/// Sets the flag when dropped: a request's work stops when its client goes.
pub(super) struct StopOnDrop(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

pub(super) async fn preview_page(
    State(state): State<AppState>,
    _owner: Owner,
    Path(name): Path<String>,
) -> Response {
    match store::draft(&state.db, &name).await {
        Ok(Some(_)) => Html(pages::preview(&name)).into_response(),
        Ok(None) => not_found("There is no flow by that name."),
        Err(e) => unavailable(e),
    }
}

#[derive(Deserialize)]
pub(super) struct Format {
    format: Option<String>,
}

/// The draft, compiled, for the preview's widget (owners only, never cached by a proxy).
pub(super) async fn preview_flow(
    State(state): State<AppState>,
    _owner: Owner,
    Path(file): Path<String>,
    Query(q): Query<Format>,
    headers: HeaderMap,
) -> Response {
    let Some(name) = flows::flow_of_file(&file) else {
        return not_found("There is no flow by that name.");
    };
    let draft = match store::draft(&state.db, name).await {
        Ok(Some(d)) => d,
        Ok(None) => return not_found("There is no flow by that name."),
        Err(e) => return unavailable(e),
    };
    // While the draft has errors, the preview runs the newest draft without (the editor
    // says so); with none yet, the problems.
    let compiled = match flows::compile_async(name, &draft.source).await {
        Ok(c) => c,
        Err(problems) => {
            let good = match store::last_good(&state.db, name).await {
                Ok(g) => g,
                Err(e) => return unavailable(e),
            };
            match good {
                Some(good) => match flows::compile_async(name, &good).await {
                    Ok(c) => c,
                    Err(problems) => {
                        return (
                            StatusCode::UNPROCESSABLE_ENTITY,
                            axum::Json(json!({ "error": "flow_invalid", "problems": problems })),
                        )
                            .into_response();
                    }
                },
                None => {
                    return (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        axum::Json(json!({ "error": "flow_invalid", "problems": problems })),
                    )
                        .into_response();
                }
            }
        }
    };
    let mut response = match q.format.as_deref() {
        Some("bhl") => {
            flows::serve_bytes(&headers, compiled.launch, "application/vnd.bellhop.launch")
        }
        Some("bhf") => flows::serve_bytes(&headers, compiled.bytes, "application/vnd.bellhop.flow"),
        _ => flows::serve_bytes(&headers, draft.source.into_bytes(), "application/json"),
    };
    response
        .headers_mut()
        .remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    response
}
