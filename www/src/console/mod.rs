//! The merchant console under `/console`, for owners: flows (drafts, versions, publish,
//! rollback, import, export), the editor's forms, the preview and the FAQ's health, and
//! the accounts.
//!
//! Server-rendered HTML like the inbox, for the same reasons: every page works with a
//! keyboard and without a build step, the forms post to the server that checks the role on
//! every request, and the one small script (`console.js`) only keeps unsaved work across a
//! reload, reads an imported file and fires triggers in the preview. The preview itself is
//! the real widget (the same wasm shoppers get) in an iframe, loaded with the draft's
//! compiled bytes from `/console/preview/NAME.json`.
//!
//! Security: the inbox's session cookie, CSRF token and same-origin check; [`Owner`]
//! refuses agents with 403 on every page and action.

mod accounts;
mod apply;
mod draft;
mod edit;
mod editor;
mod fields;
mod figures;
mod insights;
mod kinds;
mod markdown;
mod orders;
mod overview;
mod pages;
mod preview;
mod templates;
mod tryout;
mod versions;
mod words;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::agents::{self, Session};
use crate::clock::now_ms;
use crate::flows::{self, is_flow_name, store};
use crate::staff::{Area, Owner, OwnerForm, Problem};

use draft::{draft_for_form, load, save_then};
use editor::Section;

const CSS: &str = include_str!("console.css");
const JS: &str = include_str!("console.js");

pub use overview::blank_flow;

pub fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/console", get(overview::home))
        .route("/console/flows", post(overview::create))
        .route(
            "/console/accounts",
            get(accounts::accounts).post(accounts::add_account),
        )
        .route(
            "/console/accounts/{id}/remove",
            post(accounts::remove_account),
        )
        .route("/console/flows/{name}", get(overview::overview))
        .route("/console/flows/{name}/edit/{*section}", get(edit::edit))
        .route("/console/flows/{name}/draft", post(edit::save))
        .route(
            "/console/flows/{name}/draft/export",
            get(versions::export_draft),
        )
        .route("/console/flows/{name}/publish", post(versions::publish))
        .route("/console/flows/{name}/orders/try", post(edit::try_lookup))
        .route("/console/flows/{name}/import", post(versions::import))
        .route("/console/flows/{name}/origins", post(overview::set_origins))
        .route(
            "/console/flows/{name}/versions/{number}/export",
            get(versions::export_version),
        )
        .route(
            "/console/flows/{name}/versions/{number}/rollback",
            post(versions::rollback),
        )
        .route("/console/flows/{name}/health", get(preview::health))
        .route(
            "/console/flows/{name}/insights",
            get(insights::insights_page),
        )
        .route(
            "/console/flows/{name}/insights/phrasing",
            post(insights::teach),
        )
        .route(
            "/console/flows/{name}/insights/winner",
            post(insights::winner),
        )
        .route("/console/flows/{name}/preview", get(preview::preview_page))
        .route("/console/preview/{file}", get(preview::preview_flow))
        .route(
            "/console/console.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], CSS) }),
        )
        .route(
            "/console/console.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], JS) }),
        );
    // The preview runs the widget: its wasm ('wasm-unsafe-eval') in a frame of ours.
    crate::staff::private_pages(
        router,
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'",
    )
}

fn unavailable(e: impl std::fmt::Display) -> Response {
    Problem::unavailable(Area::Console, e).into_response()
}

fn not_found(what: &str) -> Response {
    Problem::not_found(Area::Console, what).into_response()
}

#[derive(Deserialize)]
struct Note {
    note: Option<String>,
    /// The version a note is about (a number: nothing else of the URL reaches the page).
    version: Option<i64>,
}

/// A form with nothing but its token (a button).
#[derive(Deserialize)]
struct Nothing {}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// `base`, or `base-2`, `base-3`… so that no element of the array at `ptr` has that id.
fn unique_id(doc: &Value, ptr: &str, base: &str) -> String {
    let taken: Vec<&str> = doc
        .pointer(ptr)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|e| e.get("id")?.as_str()).collect())
        .unwrap_or_default();
    if !taken.contains(&base) {
        return base.to_owned();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken.contains(&id.as_str()))
        .unwrap_or_default()
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(48).collect()
}

/// This server's address as the owner's browser reached it (behind our own proxy, as the
/// proxy says it was reached).
fn this_server(state: &AppState, headers: &HeaderMap) -> String {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let forwarded = state.settings.trust_proxy > 0;
    let scheme = match header("x-forwarded-proto").filter(|_| forwarded) {
        Some(p) if p.eq_ignore_ascii_case("https") => "https",
        _ if state.settings.secure_cookies => "https",
        _ => "http",
    };
    let host = header("x-forwarded-host")
        .filter(|_| forwarded)
        .or_else(|| header("host"))
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("{scheme}://{host}")
}
