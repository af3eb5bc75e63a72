//! The draft as the console's pages act on it: loaded with its compile, its problems, the
//! live version and the last draft without errors; refused when a form was made from an
//! older revision; saved back.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::{Value, json};

use super::*;

/// Everything a flow's pages show: the draft, its problems, the live version.
pub(super) struct Loaded {
    pub(super) draft: store::Draft,
    pub(super) doc: Value,
    pub(super) compiled: flow_authoring::compile::Compiled,
    pub(super) live: Option<store::Version>,
    /// What the question box and the preview try while the draft has errors: the newest
    /// draft that compiled, and its document.
    pub(super) fallback: Option<(flow_runtime::Flow, Value)>,
}

impl Loaded {
    /// The flow to try: the draft, or, while it has errors, the newest draft without; and
    /// whether it is that older one.
    pub(super) fn tryable(&self) -> Option<(&flow_runtime::Flow, &Value, bool)> {
        match (&self.compiled.flow, &self.fallback) {
            (Some(flow), _) => Some((flow, &self.doc, false)),
            (None, Some((flow, doc))) => Some((flow, doc, true)),
            (None, None) => None,
        }
    }
}

pub(super) async fn load(state: &AppState, name: &str) -> Result<Loaded, Response> {
    if !is_flow_name(name) {
        return Err(not_found("There is no flow by that name."));
    }
    state.flows.ensure(name).await.map_err(unavailable)?;
    let draft = match store::draft(&state.db, name).await {
        Ok(Some(d)) => d,
        Ok(None) => return Err(not_found("There is no flow by that name.")),
        Err(e) => return Err(unavailable(e)),
    };
    let live = match store::live_number(&state.db, name).await {
        Ok(Some(n)) => store::version(&state.db, name, n)
            .await
            .map_err(unavailable)?,
        Ok(None) => None,
        Err(e) => return Err(unavailable(e)),
    };
    let doc: Value = serde_json::from_str(&draft.source).unwrap_or_else(|_| json!({}));
    let compiled = flows::compile_off_thread(draft.source.clone())
        .await
        .ok_or_else(|| unavailable("compiling the draft took too long"))?;
    let mut fallback = None;
    if compiled.flow.is_some() {
        store::keep_good(&state.db, name, &draft.source)
            .await
            .map_err(unavailable)?;
    } else if let Some(good) = store::last_good(&state.db, name)
        .await
        .map_err(unavailable)?
    {
        let doc: Value = serde_json::from_str(&good).unwrap_or_else(|_| json!({}));
        if let Some(flow) = flows::compile_off_thread(good).await.and_then(|c| c.flow) {
            fallback = Some((flow, doc));
        }
    }
    Ok(Loaded {
        draft,
        doc,
        compiled,
        live,
        fallback,
    })
}

impl Loaded {
    pub(super) fn page<'a>(&'a self, session: &'a Session) -> pages::FlowPage<'a> {
        pages::FlowPage {
            session,
            name: &self.draft.name,
            revision: self.draft.revision,
            diags: &self.compiled.diagnostics,
            live: self.live.as_ref(),
            changed: self
                .live
                .as_ref()
                .is_none_or(|v| v.source != self.draft.source),
        }
    }
}

/// The draft an owner's form acts on, still at the revision the form was made from (else
/// [`draft_changed`]).
pub(super) async fn draft_for_form(
    state: &AppState,
    name: &str,
    revision: i64,
) -> Result<Loaded, Response> {
    let loaded = load(state, name).await?;
    if loaded.draft.revision != revision {
        return Err(draft_changed());
    }
    Ok(loaded)
}

/// The answer to an action made from a page older than the draft: nothing was applied.
pub(super) fn draft_changed() -> Response {
    Problem::new(
        Area::Console,
        StatusCode::CONFLICT,
        "Draft changed",
        "The draft changed since this page was opened: reload it and try again.",
    )
    .into_response()
}

/// Saves `doc` as the draft when it is still at `revision`, then sends the owner to `to`.
pub(super) async fn save_then(
    state: &AppState,
    owner: &Owner,
    name: &str,
    doc: &Value,
    revision: i64,
    to: String,
) -> Response {
    let source = serde_json::to_string_pretty(doc).unwrap_or_default();
    match store::save_draft(&state.db, name, &source, revision, &owner.who()).await {
        Ok(Ok(_)) => Redirect::to(&to).into_response(),
        Ok(Err(_)) => draft_changed(),
        Err(e) => unavailable(e),
    }
}
