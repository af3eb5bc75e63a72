//! Flow documents under `/flows/NAME.json`, as published in the console.
//!
//! `GET /flows/demo.json` returns the live version's document as the merchant wrote it (for
//! people and editors); `GET /flows/demo.json?format=bhf` returns it compiled (and
//! `?format=bhl` only its launch part, for the eager stage), which is what the widget
//! downloads (see `flow_runtime::Flow::to_bytes`). Both are served with
//! `Cache-Control: no-cache` and an `ETag`: browsers revalidate cheaply and pick up a newly
//! published version on the next page load.
//!
//! Flows live in the database ([`store`]): a draft and numbered versions. Flow files (the
//! `--flows-dir` folder, or the built-in demo) are imported the first time their name is
//! asked for, or at start: from then on the console's versions are what is served, and a
//! file edited later is only reported in the log. A version is published only without
//! errors; a flow never published answers 404 (drafts are compiled for owners only, never
//! for an anonymous request).

pub mod admin;
pub mod origins;
pub mod store;

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
use flow_authoring::compile::compile_json;
use serde::Deserialize;
use tower_http::compression::CompressionLayer;

use crate::AppState;
use crate::db::Db;

/// The demo store's flow, built into the binary so `www` runs with no files around it.
pub const DEMO_FLOW: &str = include_str!("../../flows/demo.json");

/// Where flows come from, and their compiled forms.
#[derive(Clone)]
pub struct Flows {
    db: Db,
    dir: Option<PathBuf>,
    /// Name → (live version, its source and compiled form).
    live: Arc<Mutex<HashMap<String, Live>>>,
    /// (name, version) → the names its insight reports may use.
    names: Arc<Mutex<HashMap<(String, i64), Arc<VersionNames>>>>,
    /// Name → (live version, its problems) for a version this compiler refuses: compiled
    /// once, not on every request.
    broken: Arc<Mutex<HashMap<String, (i64, Vec<String>)>>>,
}

/// What a published version calls its FAQ entries, triggers and their variants: an
/// insights report naming anything else is refused.
#[derive(Debug, Default)]
pub struct VersionNames {
    pub entries: std::collections::HashSet<String>,
    /// Trigger id → its variants' ids.
    pub triggers: HashMap<String, Vec<String>>,
}

/// How long compiling may take before the request gives up on it (the compiler's own
/// budgets bound its work; this bounds a request's wait on a busy machine).
pub const COMPILE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Compiles `source` on a blocking thread, never on the async workers that serve every
/// other request, and gives up waiting after [`COMPILE_TIMEOUT`].
pub async fn compile_off_thread(source: String) -> Option<flow_authoring::compile::Compiled> {
    let work = tokio::task::spawn_blocking(move || compile_json(&source));
    match tokio::time::timeout(COMPILE_TIMEOUT, work).await {
        Ok(Ok(compiled)) => Some(compiled),
        Ok(Err(e)) => {
            tracing::error!("compiling a flow failed: {e}");
            None
        }
        Err(_) => {
            tracing::error!("compiling a flow took longer than {COMPILE_TIMEOUT:?}");
            None
        }
    }
}

#[derive(Clone)]
struct Live {
    number: i64,
    source: Arc<str>,
    compiled: Arc<CompiledFlow>,
}

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
    /// Whether the widget sends insights (and the server takes them).
    pub insights: bool,
}

/// What `/flows/NAME.json` finds.
enum Found {
    Live(Live),
    /// Published by an older compiler that allowed what this one does not: the problems.
    Broken(Vec<String>),
    /// A draft, never published.
    Unpublished,
    Missing,
}

/// Compiles `source`; the flow's problems rendered for people on failure.
pub fn compile(name: &str, source: &str) -> Result<CompiledFlow, Vec<String>> {
    served(name, compile_json(source))
}

/// [`compile`], off the async workers (see [`compile_off_thread`]).
pub async fn compile_async(name: &str, source: &str) -> Result<CompiledFlow, Vec<String>> {
    match compile_off_thread(source.to_owned()).await {
        Some(compiled) => served(name, compiled),
        None => Err(vec![format!(
            "{name}.json could not be compiled in time; try again in a moment"
        )]),
    }
}

fn served(
    name: &str,
    result: flow_authoring::compile::Compiled,
) -> Result<CompiledFlow, Vec<String>> {
    match result.flow {
        Some(flow) => Ok(CompiledFlow {
            bytes: flow.to_bytes(),
            launch: flow.launch().to_bytes(),
            hours: flow.bot.business_hours.clone(),
            insights: flow.insights,
        }),
        None => Err(result
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.render(&format!("{name}.json")))
            .collect()),
    }
}

impl Flows {
    pub fn new(db: Db, dir: Option<PathBuf>) -> Flows {
        Flows {
            db,
            dir,
            live: Arc::default(),
            names: Arc::default(),
            broken: Arc::default(),
        }
    }

    /// The file a flow is imported from, if there is one by that name.
    async fn file(&self, name: &str) -> Option<String> {
        match &self.dir {
            Some(dir) => tokio::fs::read_to_string(dir.join(format!("{name}.json")))
                .await
                .ok(),
            None => (name == "demo").then(|| DEMO_FLOW.to_owned()),
        }
    }

    /// Brings a flow file into the database as flow `name`: its draft, and version 1 when it
    /// compiles. Nothing happens when the database has a flow by that name already.
    pub async fn import(&self, name: &str, source: &str, from: &str) -> sqlx::Result<bool> {
        if !store::create(&self.db, name, source, from).await? {
            return Ok(false);
        }
        match compile_async(name, source).await {
            Ok(_) => {
                let number = store::publish(
                    &self.db,
                    name,
                    source,
                    from,
                    &format!("imported from {from}"),
                )
                .await?;
                tracing::info!("flow {name}: imported from {from} as version {number}");
            }
            Err(problems) => tracing::error!(
                "flow {name}: imported from {from} as a draft; it has errors and is not served until they are fixed in the console:\n{}",
                problems.join("\n")
            ),
        }
        Ok(true)
    }

    /// Makes sure a flow file by this name, if any, is in the database.
    pub async fn ensure(&self, name: &str) -> sqlx::Result<()> {
        if store::draft(&self.db, name).await?.is_none() {
            if let Some(source) = self.file(name).await {
                self.import(name, &source, &format!("{name}.json")).await?;
            }
        }
        Ok(())
    }

    /// The live version of flow `name`.
    async fn find(&self, name: &str) -> sqlx::Result<Found> {
        let mut number = store::live_number(&self.db, name).await?;
        if number.is_none() && store::draft(&self.db, name).await?.is_none() {
            let Some(source) = self.file(name).await else {
                return Ok(Found::Missing);
            };
            self.import(name, &source, &format!("{name}.json")).await?;
            number = store::live_number(&self.db, name).await?;
        }
        let Some(number) = number else {
            // Never published. The draft is the owner's business: it is not compiled for
            // whoever asks (that made every anonymous request a compile).
            return Ok(match store::draft(&self.db, name).await? {
                Some(_) => Found::Unpublished,
                None => Found::Missing,
            });
        };
        if let Some(live) = self.cached(name).filter(|l| l.number == number) {
            return Ok(Found::Live(live));
        }
        let Some(version) = store::version(&self.db, name, number).await? else {
            return Ok(Found::Missing);
        };
        if let Some((n, problems)) = self
            .broken
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            && *n == number
        {
            return Ok(Found::Broken(problems.clone()));
        }
        // A compile that did not finish in time is a passing trouble (a 503), not a verdict.
        let compiled = compile_off_thread(version.source.clone())
            .await
            .ok_or_else(|| sqlx::Error::Protocol("compiling the flow took too long".into()))?;
        let compiled = match served(name, compiled) {
            Ok(c) => c,
            // Published by an older compiler that allowed what this one does not.
            Err(problems) => {
                self.broken
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(name.to_owned(), (number, problems.clone()));
                return Ok(Found::Broken(problems));
            }
        };
        let live = Live {
            number,
            source: version.source.into(),
            compiled: Arc::new(compiled),
        };
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_owned(), live.clone());
        Ok(Found::Live(live))
    }

    fn cached(&self, name: &str) -> Option<Live> {
        self.live
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }

    /// The names a published version of flow `name` uses (`None`: no such version).
    pub async fn version_names(
        &self,
        name: &str,
        number: i64,
    ) -> sqlx::Result<Option<Arc<VersionNames>>> {
        let key = (name.to_owned(), number);
        if let Some(n) = self
            .names
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return Ok(Some(n.clone()));
        }
        let Some(version) = store::version(&self.db, name, number).await? else {
            return Ok(None);
        };
        let Some(flow) = compile_off_thread(version.source)
            .await
            .and_then(|c| c.flow)
        else {
            return Ok(None);
        };
        let names = Arc::new(VersionNames {
            entries: flow.faq.entries.iter().map(|e| e.id.clone()).collect(),
            triggers: flow
                .triggers
                .iter()
                .map(|t| {
                    (
                        t.id.clone(),
                        t.variants.iter().map(|v| v.id.clone()).collect(),
                    )
                })
                .collect(),
        });
        let mut cache = self.names.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > 256 {
            cache.clear();
        }
        cache.insert(key, names.clone());
        Ok(Some(names))
    }

    /// Whether the live version of flow `name` has insights on.
    pub async fn insights_on(&self, name: &str) -> bool {
        match self.find(name).await {
            Ok(Found::Live(live)) => live.compiled.insights,
            _ => false,
        }
    }

    /// The business hours of flow `name` (`Some(None)`: it has none; `None`: there is no
    /// such flow, or it is not published).
    pub async fn hours(&self, name: &str) -> Option<Option<flow_runtime::hours::BusinessHours>> {
        let name = flow_of_file(name)?;
        match self.find(name).await {
            Ok(Found::Live(live)) => Some(live.compiled.hours.clone()),
            Ok(_) => None,
            Err(e) => {
                tracing::error!("flow {name}: {e}");
                None
            }
        }
    }

    /// Imports every flow file not in the database yet, and says in the log which files
    /// differ from what is served (the console's versions win).
    pub async fn import_all(&self) -> anyhow::Result<()> {
        let names: Vec<String> = match &self.dir {
            Some(dir) => std::fs::read_dir(dir)
                .map_err(|e| {
                    anyhow::anyhow!("cannot read the flows folder {}: {e}", dir.display())
                })?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|n| flow_of_file(&n).map(str::to_owned))
                .collect(),
            None => vec!["demo".into()],
        };
        for name in names {
            let Some(source) = self.file(&name).await else {
                continue;
            };
            if self.import(&name, &source, &format!("{name}.json")).await? {
                continue;
            }
            if let Some(n) = store::live_number(&self.db, &name).await? {
                let live = store::version(&self.db, &name, n).await?;
                if live.is_some_and(|v| v.source != source) {
                    tracing::warn!(
                        "flow {name}: {name}.json differs from version {n}, which is what is served; import the file in the console (or with `www flows import`) to publish it"
                    );
                }
            }
        }
        Ok(())
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/flows/{name}", get(flow))
        .route("/flow.schema.json", get(schema))
        .layer(CompressionLayer::new())
}

#[derive(Deserialize)]
struct FlowQuery {
    format: Option<String>,
}

async fn flow(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(q): Query<FlowQuery>,
    headers: HeaderMap,
) -> Response {
    let missing = || {
        let body = serde_json::json!({ "error": { "code": "flow_not_found", "message": "there is no flow by that name on this server" } });
        (StatusCode::NOT_FOUND, cors(), Json(body)).into_response()
    };
    let Some(name) = flow_of_file(&file) else {
        return missing();
    };
    let live = match state.flows.find(name).await {
        Ok(Found::Live(live)) => live,
        Ok(Found::Missing) => return missing(),
        Ok(Found::Unpublished) => {
            let body = serde_json::json!({ "error": {
                "code": "flow_unpublished",
                "message": format!("the flow {name} has not been published yet: publish it in the console"),
            } });
            return (StatusCode::NOT_FOUND, cors(), Json(body)).into_response();
        }
        Ok(Found::Broken(problems)) => {
            let body = serde_json::json!({
                "error": { "code": "flow_invalid", "message": format!("the flow {name} has errors; fix them in the console and publish it again") },
                "problems": problems,
            });
            return (StatusCode::UNPROCESSABLE_ENTITY, cors(), Json(body)).into_response();
        }
        Err(e) => {
            tracing::error!("flow {name}: {e}");
            let body = serde_json::json!({ "error": { "code": "unavailable", "message": "the flow cannot be read right now; try again in a moment" } });
            return (StatusCode::SERVICE_UNAVAILABLE, cors(), Json(body)).into_response();
        }
    };
    let (body, content_type): (Vec<u8>, &str) = match q.format.as_deref() {
        None | Some("json") => (live.source.as_bytes().to_vec(), "application/json"),
        Some("bhl") => (
            live.compiled.launch.clone(),
            "application/vnd.bellhop.launch",
        ),
        Some("bhf") => (live.compiled.bytes.clone(), "application/vnd.bellhop.flow"),
        Some(_) => {
            let body = serde_json::json!({ "error": { "code": "bad_format", "message": "format must be json, bhf or bhl" } });
            return (StatusCode::BAD_REQUEST, cors(), Json(body)).into_response();
        }
    };
    serve_bytes(&headers, body, content_type)
}

/// `body` with the caching headers the widget expects: `no-cache`, an `ETag`, CORS.
pub fn serve_bytes(headers: &HeaderMap, body: Vec<u8>, content_type: &'static str) -> Response {
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

/// The flow a file name names (`demo.json` → `demo`): how the widget, its handoffs and
/// its insight reports name a flow on this server.
pub fn flow_of_file(file: &str) -> Option<&str> {
    file.strip_suffix(".json").filter(|n| is_flow_name(n))
}

/// `demo`, `summer-sale`: 1 to 64 lowercase letters, digits, `-` and `_` (served as
/// `NAME.json`). Anything else (`..`, slashes, encoded tricks) never reaches the file system
/// or the database.
pub fn is_flow_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
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
        assert!(is_flow_name("demo"));
        assert!(is_flow_name("summer_sale-2"));
        for bad in ["../secret", "", "Demo", "demo.json", "a/b", "demo json"] {
            assert!(!is_flow_name(bad), "{bad}");
        }
    }
}

/// The flow format's JSON Schema, for editors (`"$schema":
/// "https://your-bellhop-server.example/flow.schema.json"`): the compiler's own, so it is the
/// format this server reads.
async fn schema() -> Response {
    static SCHEMA: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        serde_json::to_string_pretty(&flow_authoring::doc::schema()).unwrap_or_default()
    });
    (
        [
            (header::CONTENT_TYPE, "application/schema+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        SCHEMA.as_str(),
    )
        .into_response()
}
