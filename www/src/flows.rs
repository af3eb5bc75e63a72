//! Flow documents under `/flows/NAME.json`.
//!
//! `GET /flows/demo.json` returns the document as the merchant wrote it (for people and
//! editors); `GET /flows/demo.json?format=bhf` returns it checked and compiled (and
//! `?format=bhl` only its launch part, for the eager stage), which is
//! what the widget downloads (see `flow_runtime::Flow::to_bytes`). Compiled forms are cached
//! by the document's content, so editing the file publishes it on the next request.
//! Both are served with `Cache-Control: no-cache` and an `ETag`: browsers revalidate
//! cheaply and pick up a newly published flow on the next page load.
//!
//! A flow with errors is never served compiled: the answer is a 422 with every problem,
//! and the widget keeps using its last good copy.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use flow_runtime::compile::compile_json;
use serde::Deserialize;
use tower_http::compression::CompressionLayer;

use crate::AppState;

/// The demo store's flow, built into the binary so `www` runs with no files around it.
const DEMO_FLOW: &str = include_str!("../flows/demo.json");

/// Where flows come from, and their compiled forms.
#[derive(Clone, Default)]
pub struct Flows {
    dir: Option<PathBuf>,
    /// Name → (hash of the source, compiled bytes or the problems found).
    compiled: Arc<Mutex<HashMap<String, (u64, Compiled)>>>,
}

type Compiled = Result<Arc<CompiledFlow>, Arc<Vec<String>>>;

/// A flow as served, and what the server itself needs of it.
pub struct CompiledFlow {
    /// What the panel downloads (`?format=bhf`).
    pub bytes: Vec<u8>,
    /// What the eager stage downloads on every page view (`?format=bhl`): the launcher's
    /// look and label and the trigger table.
    pub launch: Vec<u8>,
    /// When people are there to take over: the handoff API answers from these, so that the
    /// flow and the server cannot disagree (`None`: the flow has none).
    pub hours: Option<flow_runtime::hours::BusinessHours>,
}

impl Flows {
    pub fn new(dir: Option<PathBuf>) -> Flows {
        Flows {
            dir,
            compiled: Arc::default(),
        }
    }

    /// The source of a flow, if there is one by that name.
    async fn source(&self, name: &str) -> Option<String> {
        match &self.dir {
            Some(dir) => tokio::fs::read_to_string(dir.join(name)).await.ok(),
            None => (name == "demo.json").then(|| DEMO_FLOW.to_owned()),
        }
    }

    /// The compiled flow (cached by source), or the rendered diagnostics.
    fn compile(&self, name: &str, source: &str) -> Compiled {
        let hash = fnv1a(source.as_bytes());
        let mut cache = self.compiled.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((h, compiled)) = cache.get(name) {
            if *h == hash {
                return compiled.clone();
            }
        }
        let result = compile_json(source);
        let compiled = match result.flow {
            Some(flow) => Ok(Arc::new(CompiledFlow {
                bytes: flow.to_bytes(),
                launch: flow.launch().to_bytes(),
                hours: flow.bot.business_hours.clone(),
            })),
            None => {
                let problems: Vec<String> =
                    result.diagnostics.iter().map(|d| d.render(name)).collect();
                tracing::error!(
                    "the flow {name} has errors and is not served:\n{}",
                    problems.join("\n")
                );
                Err(Arc::new(problems))
            }
        };
        cache.insert(name.to_owned(), (hash, compiled.clone()));
        compiled
    }

    /// The business hours of flow `name` (`Some(None)`: it has none; `None`: there is no
    /// such flow, or it does not compile).
    pub async fn hours(&self, name: &str) -> Option<Option<flow_runtime::hours::BusinessHours>> {
        if !is_flow_name(name) {
            return None;
        }
        let source = self.source(name).await?;
        let compiled = self.compile(name, &source).ok()?;
        Some(compiled.hours.clone())
    }

    /// Checks every flow at start-up, so a broken one shows in the log before a shopper
    /// meets it.
    pub async fn check_all(&self) {
        let names: Vec<String> = match &self.dir {
            Some(dir) => match std::fs::read_dir(dir) {
                Ok(entries) => entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| is_flow_name(n))
                    .collect(),
                Err(e) => {
                    tracing::error!("cannot read the flows folder {}: {e}", dir.display());
                    return;
                }
            },
            None => vec!["demo.json".into()],
        };
        for name in names {
            if let Some(source) = self.source(&name).await {
                if self.compile(&name, &source).is_ok() {
                    tracing::info!("flow {name}: ok");
                }
            }
        }
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/flows/{name}", get(flow))
        .layer(CompressionLayer::new())
}

#[derive(Deserialize)]
struct FlowQuery {
    format: Option<String>,
}

async fn flow(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(q): Query<FlowQuery>,
    headers: HeaderMap,
) -> Response {
    if !is_flow_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(source) = state.flows.source(&name).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (body, content_type): (Vec<u8>, &str) = match q.format.as_deref() {
        None | Some("json") => (source.into_bytes(), "application/json"),
        Some(format @ ("bhf" | "bhl")) => match state.flows.compile(&name, &source) {
            Ok(compiled) if format == "bhl" => {
                (compiled.launch.clone(), "application/vnd.bellhop.launch")
            }
            Ok(compiled) => (compiled.bytes.clone(), "application/vnd.bellhop.flow"),
            Err(problems) => {
                let body = serde_json::json!({
                    "error": "flow_invalid",
                    "message": format!("the flow {name} has errors; fix them with `flow check`"),
                    "problems": problems.as_ref(),
                });
                return (StatusCode::UNPROCESSABLE_ENTITY, cors(), Json(body)).into_response();
            }
        },
        Some(_) => {
            return (StatusCode::BAD_REQUEST, "format must be json, bhf or bhl").into_response();
        }
    };
    let etag = format!("\"{:016x}\"", fnv1a(&body));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let common = [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        (
            header::ETAG,
            HeaderValue::from_str(&etag).expect("hex is a valid header value"),
        ),
        (header::VARY, HeaderValue::from_static("Accept-Encoding")),
    ];
    if fresh {
        return (StatusCode::NOT_MODIFIED, cors(), common).into_response();
    }
    (cors(), common, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// Flows are public and load from any storefront origin.
fn cors() -> [(header::HeaderName, HeaderValue); 1] {
    [(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    )]
}

/// `demo.json`, `summer-sale.json`: lowercase letters, digits, `-`, `_`, then `.json`.
/// Anything else (`..`, slashes, encoded tricks) never reaches the file system.
pub fn is_flow_name(name: &str) -> bool {
    name.strip_suffix(".json").is_some_and(|stem| {
        !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
    })
}

/// FNV-1a: a stable 64-bit hash for ETags and the cache (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::is_flow_name;

    #[test]
    fn only_plain_flow_names_are_served() {
        assert!(is_flow_name("demo.json"));
        assert!(is_flow_name("summer_sale-2.json"));
        for bad in [
            "../secret.json",
            ".json",
            "demo.JSON",
            "demo",
            "a/b.json",
            "demo.json.bak",
        ] {
            assert!(!is_flow_name(bad), "{bad}");
        }
    }
}
