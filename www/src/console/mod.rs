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
mod editor;
mod fields;
mod figures;
mod insights;
mod kinds;
mod markdown;
mod pages;
mod tryout;
mod versions;
mod words;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::agents::{self, Session};
use crate::clock::now_ms;
use crate::flows::{self, is_flow_name, store};
use crate::staff::{Area, Owner, OwnerForm, Problem};

use editor::Section;

const CSS: &str = include_str!("console.css");
const JS: &str = include_str!("console.js");

pub fn routes() -> Router<AppState> {
    let router = Router::new()
        .route("/console", get(home))
        .route("/console/flows", post(create))
        .route(
            "/console/accounts",
            get(accounts::accounts).post(accounts::add_account),
        )
        .route(
            "/console/accounts/{id}/remove",
            post(accounts::remove_account),
        )
        .route("/console/flows/{name}", get(overview))
        .route("/console/flows/{name}/edit/{*section}", get(edit))
        .route("/console/flows/{name}/draft", post(save))
        .route(
            "/console/flows/{name}/draft/export",
            get(versions::export_draft),
        )
        .route("/console/flows/{name}/publish", post(versions::publish))
        .route("/console/flows/{name}/import", post(versions::import))
        .route("/console/flows/{name}/origins", post(set_origins))
        .route(
            "/console/flows/{name}/versions/{number}/export",
            get(versions::export_version),
        )
        .route(
            "/console/flows/{name}/versions/{number}/rollback",
            post(versions::rollback),
        )
        .route("/console/flows/{name}/health", get(health))
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
        .route("/console/flows/{name}/preview", get(preview_page))
        .route("/console/preview/{file}", get(preview_flow))
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

async fn home(State(state): State<AppState>, owner: Owner) -> Response {
    // Flow files not asked for yet come in now, so that the console lists them.
    if let Err(e) = state.flows.import_all().await {
        tracing::error!("console: {e}");
    }
    match store::list(&state.db).await {
        Ok(list) => Html(pages::home(&owner.0, &list, now_ms())).into_response(),
        Err(e) => unavailable(e),
    }
}

#[derive(Deserialize)]
struct NewFlow {
    name: String,
    from: String,
}

/// A new flow: blank, or a copy of another's draft.
async fn create(
    State(state): State<AppState>,
    OwnerForm { owner, form }: OwnerForm<NewFlow>,
) -> Response {
    // A natural name ("Tea Shop") becomes a valid one (`tea-shop`) rather than an error:
    // the name is the assistant's address, and the owner is told what it became.
    let typed = form.name.trim();
    let (name, renamed) = if is_flow_name(typed) {
        (typed.to_owned(), false)
    } else {
        (slug(typed).chars().take(64).collect::<String>(), true)
    };
    let name = name.as_str();
    if !is_flow_name(name) {
        return Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose another name",
            "A name needs at least one letter or digit, such as “Tea shop”.",
        )
        .into_response();
    }
    let source = if form.from == "blank" {
        blank_flow()
    } else {
        match store::draft(&state.db, &form.from).await {
            Ok(Some(d)) => d.source,
            Ok(None) => return not_found("There is no flow to copy by that name."),
            Err(e) => return unavailable(e),
        }
    };
    match store::create(&state.db, name, &source, &owner.who()).await {
        Ok(true) if renamed => {
            Redirect::to(&format!("/console/flows/{name}?note=named")).into_response()
        }
        Ok(true) => Redirect::to(&format!("/console/flows/{name}")).into_response(),
        Ok(false) => Problem::new(
            Area::Console,
            StatusCode::CONFLICT,
            "Name taken",
            "There is a flow by that name already.",
        )
        .into_response(),
        Err(e) => unavailable(e),
    }
}

/// A new flow that works end to end as created: a greeting, an FAQ entry, and a way to a
/// person (live in business hours, else an email to reply to; a clear message when the
/// team cannot be reached), so that nothing a shopper can tap leads nowhere.
pub fn blank_flow() -> String {
    serde_json::to_string_pretty(&json!({
        "version": 1,
        "bot": { "name": "Assistant", "greeting": "welcome", "languages": ["en"] },
        "steps": [
            { "id": "welcome", "type": "message", "text": { "en": "Hi! Ask me anything about our shop." },
              "quick_replies": [ { "label": { "en": "Talk to a person" }, "handoff": true } ] },
            { "id": "handoff", "type": "handoff", "text": { "en": "Let me find someone from the team…" },
              "available": "handoff-available", "offline": "handoff-offline", "error": "handoff-error" },
            { "id": "handoff-available", "type": "message",
              "text": { "en": "Someone from the team will join in a moment. You can keep typing: they'll see everything." } },
            { "id": "handoff-offline", "type": "ask", "text": { "en": "Our team is away right now. What email can we reply to?" },
              "var": "email", "expect": "email", "next": "handoff-send-email" },
            { "id": "handoff-send-email", "type": "handoff_email", "var": "email", "next": "handoff-promise", "error": "handoff-error" },
            { "id": "handoff-promise", "type": "end", "text": { "en": "Thanks! We'll reply to {{email}} as soon as we can." } },
            { "id": "handoff-error", "type": "message",
              "text": { "en": "I couldn't reach the team just now. Please write to us at help@example.com." } }
        ],
        "faq": { "entries": [
            { "id": "contact", "question": { "en": "How can I contact you?" },
              "phrasings": { "en": ["phone number", "email address", "customer service", "how do i reach you"] },
              "answer": { "text": { "en": "Write to us at help@example.com, or ask for a person here." } } }
        ] }
    }))
    .unwrap_or_default()
}

/// Everything a flow's pages show: the draft, its problems, the live version.
struct Loaded {
    draft: store::Draft,
    doc: Value,
    compiled: flow_authoring::compile::Compiled,
    live: Option<store::Version>,
    /// What the question box and the preview try while the draft has errors: the newest
    /// draft that compiled, and its document.
    fallback: Option<(flow_runtime::Flow, Value)>,
}

impl Loaded {
    /// The flow to try: the draft, or, while it has errors, the newest draft without; and
    /// whether it is that older one.
    fn tryable(&self) -> Option<(&flow_runtime::Flow, &Value, bool)> {
        match (&self.compiled.flow, &self.fallback) {
            (Some(flow), _) => Some((flow, &self.doc, false)),
            (None, Some((flow, doc))) => Some((flow, doc, true)),
            (None, None) => None,
        }
    }
}

async fn load(state: &AppState, name: &str) -> Result<Loaded, Response> {
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
    fn page<'a>(&'a self, session: &'a Session) -> pages::FlowPage<'a> {
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

#[derive(Deserialize)]
struct Note {
    note: Option<String>,
    /// The version a note is about (a number: nothing else of the URL reaches the page).
    version: Option<i64>,
}

async fn overview(
    State(state): State<AppState>,
    owner: Owner,
    Path(name): Path<String>,
    Query(q): Query<Note>,
    headers: HeaderMap,
) -> Response {
    let loaded = match load(&state, &name).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let versions = match store::versions(&state.db, &name).await {
        Ok(v) => v,
        Err(e) => return unavailable(e),
    };
    let note = q.note.as_deref().and_then(|n| match n {
        "published" => Some("Published: shoppers get the new version on their next page.".to_owned()),
        "rolled-back" => Some("Rolled back: the old version is live again, as a new version.".to_owned()),
        "imported" => Some(match q.version {
            Some(v) => format!("Imported and published as version {v}: shoppers get it on their next page."),
            None => "Imported and published.".to_owned(),
        }),
        "import-errors" => Some(
            "Imported as the draft only, not published: it has errors (listed below). Shoppers still get the version that was live.".to_owned(),
        ),
        "origins" => Some("Saved: pages of those addresses can use this assistant now.".to_owned()),
        "named" => Some(format!(
            "Created as “{name}”: the name is the assistant's address (/flows/{name}.json), written in lowercase letters, digits and hyphens."
        )),
        _ => None,
    });
    let origins = match store::origins(&state.db, &name).await {
        Ok(o) => o,
        Err(e) => return unavailable(e),
    };
    let install = pages::Install {
        script_src: format!("{}/bellhop/bellhop.js", this_server(&state, &headers)),
        origins,
        server_wide: state.origins.server_wide(),
    };
    Html(pages::overview(
        &loaded.page(&owner.0),
        &versions,
        &install,
        now_ms(),
        note.as_deref(),
    ))
    .into_response()
}

#[derive(Deserialize)]
struct Ask {
    ask: Option<String>,
    lang: Option<String>,
}

async fn edit(
    State(state): State<AppState>,
    owner: Owner,
    Path((name, section)): Path<(String, String)>,
    Query(q): Query<Ask>,
) -> Response {
    let Some(section) = Section::parse(&section) else {
        return not_found("There is no such part of a flow.");
    };
    let loaded = match load(&state, &name).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    if loaded.doc.pointer(&section.pointer()).is_none()
        && !matches!(
            section,
            Section::Bot
                | Section::Hours
                | Section::Handoff
                | Section::Faq
                | Section::Steps
                | Section::Triggers
        )
    {
        return Redirect::to(&format!("/console/flows/{name}/edit/{}", section.tab()))
            .into_response();
    }
    let form = fields::Form::new(&loaded.doc, &[]);
    let languages = form.languages.clone();
    let explained = match (loaded.tryable(), q.ask.as_deref().map(str::trim)) {
        (Some((flow, _, _)), Some(question)) if !question.is_empty() => {
            let question: String = question.chars().take(500).collect();
            let lang = q
                .lang
                .filter(|l| languages.contains(l))
                .unwrap_or_else(|| languages[0].clone());
            Some(tryout::explain(flow, &question, &lang))
        }
        _ => None,
    };
    let triggers = loaded
        .doc
        .get("triggers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|t| {
                    let id = t.get("id")?.as_str()?.to_owned();
                    let variants = t
                        .get("variants")
                        .and_then(Value::as_array)
                        .map(|v| {
                            v.iter()
                                .filter_map(|v| v.get("id")?.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default();
                    Some((id, variants))
                })
                .collect()
        })
        .unwrap_or_default();
    let t = pages::Tryout {
        explained: explained.as_ref(),
        triggers,
        languages: &languages,
        // While the draft has errors, what is tried is the newest draft without.
        stale: loaded.tryable().map(|(_, _, stale)| stale),
    };
    Html(pages::editor(
        &loaded.page(&owner.0),
        section,
        &loaded.doc,
        &t,
    ))
    .into_response()
}

/// Saves a form of the editor into the draft, then does what its button says.
async fn save(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<Vec<(String, String)>>,
) -> Response {
    if apply::too_deep(&form).is_some() {
        return Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not saved",
            "This form names a field deeper than any of the console's: nothing was changed.",
        )
        .into_response();
    }
    let Some(back) = Section::parse(field(&form, "back")) else {
        return (StatusCode::BAD_REQUEST, "unknown part of the flow").into_response();
    };
    let Ok(revision) = field(&form, "revision").parse::<i64>() else {
        return (StatusCode::BAD_REQUEST, "no revision").into_response();
    };
    let loaded = match load(&state, &name).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let mut doc = loaded.doc;
    apply::apply(&mut doc, &form);
    let mut to = back;
    let action = field(&form, "action");
    let languages: Vec<String> = fields::Form::new(&doc, &[]).languages;
    let blank = || Value::Object(languages.iter().map(|l| (l.clone(), json!(""))).collect());
    match action.split_once(':') {
        Some(("add", rest)) => {
            if let Some((ptr, template)) = rest.rsplit_once(':') {
                let value = match template {
                    "button" => Some(json!({ "label": blank() })),
                    "faq" => Some(json!({
                        "id": unique_id(&doc, "/faq/entries", "new-question"),
                        "question": blank(),
                        "phrasings": Value::Object(languages.iter().map(|l| (l.clone(), json!([]))).collect()),
                        "answer": { "text": blank() },
                    })),
                    "step" => {
                        let kind = kinds::named(field(&form, "new_kind"))
                            .or_else(|| kinds::named("message"));
                        kind.map(|kind| {
                            let wanted = slug(field(&form, "new_id"));
                            let id = unique_id(
                                &doc,
                                "/steps",
                                if wanted.is_empty() {
                                    &kind.name
                                } else {
                                    &wanted
                                },
                            );
                            kind.new_step(&id, &blank())
                        })
                    }
                    "trigger" => Some(
                        json!({ "id": unique_id(&doc, "/triggers", "new-trigger"), "on": "exit_intent" }),
                    ),
                    "variant" => {
                        // The trigger's single step becomes the first variant.
                        let trigger = ptr.trim_end_matches("/variants");
                        let existing = doc
                            .pointer(ptr)
                            .and_then(Value::as_array)
                            .map(Vec::len)
                            .unwrap_or(0);
                        let step = doc.pointer(&format!("{trigger}/step")).cloned();
                        if existing == 0 {
                            if let Some(step) = step.clone() {
                                apply::push(
                                    &mut doc,
                                    ptr,
                                    json!({ "id": "a", "weight": 1, "step": step }),
                                );
                                apply::remove(&mut doc, &format!("{trigger}/step"));
                            }
                        }
                        let n = doc
                            .pointer(ptr)
                            .and_then(Value::as_array)
                            .map(Vec::len)
                            .unwrap_or(0);
                        let id = ((b'a' + (n as u8 % 26)) as char).to_string();
                        Some(json!({ "id": id, "weight": 1, "step": step.unwrap_or(json!("")) }))
                    }
                    "card" => Some(json!({ "title": blank(), "buttons": [] })),
                    "branch" => Some(json!({ "when": {}, "goto": "" })),
                    _ => None,
                };
                if let Some(value) = value {
                    if let Some(new) = apply::push(&mut doc, ptr, value) {
                        let opened = Section::for_pointer(&new);
                        if opened.pointer() == new {
                            to = opened;
                        }
                    }
                }
            }
        }
        Some(("remove", ptr)) => {
            apply::remove(&mut doc, ptr);
            if ptr == back.pointer() {
                to = Section::parse(back.tab()).unwrap_or(Section::Bot);
            }
        }
        Some(("up", ptr)) => apply::shift(&mut doc, ptr, -1),
        Some(("down", ptr)) => apply::shift(&mut doc, ptr, 1),
        Some(("hours", "add")) => apply::set(
            &mut doc,
            "/bot/business_hours",
            json!({ "time_zone": "UTC", "weekly": { "mon": ["09:00-17:00"], "tue": ["09:00-17:00"], "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"] }, "closed": [] }),
        ),
        Some(("hours", "remove")) => apply::remove(&mut doc, "/bot/business_hours"),
        _ => {}
    }
    let source = serde_json::to_string_pretty(&doc).unwrap_or_default();
    match store::save_draft(&state.db, &name, &source, revision, &owner.who()).await {
        Ok(Ok(new)) => Redirect::to(&format!(
            "/console/flows/{name}/edit/{}?saved={new}",
            to.path()
        ))
        .into_response(),
        Ok(Err(_stale)) => (
            StatusCode::CONFLICT,
            Html(pages::stale(&name, &back.path())),
        )
            .into_response(),
        Err(e) => unavailable(e),
    }
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

async fn health(State(state): State<AppState>, owner: Owner, Path(name): Path<String>) -> Response {
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

#[derive(Deserialize)]
struct OriginsForm {
    origins: String,
}

/// Where the flow is installed: the storefronts whose pages may call the API for it.
async fn set_origins(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<OriginsForm>,
) -> Response {
    let origins = match flows::origins::parse(&form.origins) {
        Ok(o) => o,
        Err(problems) => {
            return Problem::new(Area::Console, StatusCode::UNPROCESSABLE_ENTITY, "Not saved", format!(
                        "Some addresses are not a shop's address ({}). Write each as https://www.your-shop.example, one per line. Nothing was changed.",
                        problems.join("; ")
                    )).into_response();
        }
    };
    match store::set_origins(&state.db, &name, &origins).await {
        Ok(true) => {
            state.origins.changed();
            tracing::info!(
                "console: {} set where {name} is installed: {origins:?}",
                owner.who()
            );
            Redirect::to(&format!("/console/flows/{name}?note=origins")).into_response()
        }
        Ok(false) => not_found("There is no flow by that name."),
        Err(e) => unavailable(e),
    }
}

/// Sets the flag when dropped: a request's work stops when its client goes.
struct StopOnDrop(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

async fn preview_page(
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
struct Format {
    format: Option<String>,
}

/// The draft, compiled, for the preview's widget (owners only, never cached by a proxy).
async fn preview_flow(
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

/// The draft an owner's form acts on, still at the revision the form was made from (else
/// [`draft_changed`]).
async fn draft_for_form(state: &AppState, name: &str, revision: i64) -> Result<Loaded, Response> {
    let loaded = load(state, name).await?;
    if loaded.draft.revision != revision {
        return Err(draft_changed());
    }
    Ok(loaded)
}

/// The answer to an action made from a page older than the draft: nothing was applied.
fn draft_changed() -> Response {
    Problem::new(
        Area::Console,
        StatusCode::CONFLICT,
        "Draft changed",
        "The draft changed since this page was opened: reload it and try again.",
    )
    .into_response()
}

/// Saves `doc` as the draft when it is still at `revision`, then sends the owner to `to`.
async fn save_then(
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

#[cfg(test)]
mod blank_flow_tests {
    use flow_authoring::testing::{Driver, parse_act};

    /// A new flow works end to end as created: it compiles without errors, and every way to
    /// a person leads somewhere (live, by email, or a clear message when the team cannot be
    /// reached).
    #[test]
    fn a_new_flow_reaches_a_person() {
        let compiled = flow_authoring::compile::compile_json(&super::blank_flow());
        assert_eq!(compiled.errors(), 0, "{:?}", compiled.diagnostics);
        assert_eq!(compiled.warnings(), 0, "{:?}", compiled.diagnostics);
        let flow = compiled.flow.unwrap();
        for (script, ends_with) in [
            (
                "open\npick Talk to a person\nhandoff available",
                "will join in a moment",
            ),
            (
                "open\nsay can I talk to someone\npick Yes, connect me\nhandoff offline\nsay ana@example.com\ndelivered",
                "reply to ana@example.com",
            ),
            (
                "open\npick Talk to a person\nhandoff error",
                "help@example.com",
            ),
        ] {
            let mut driver = Driver::new(flow.clone());
            for line in script.lines() {
                driver.act(&parse_act(line).unwrap()).unwrap();
            }
            let said = driver.transcript.join("\n");
            assert!(!said.contains("lost my place"), "{said}");
            assert!(
                said.trim_end()
                    .lines()
                    .rev()
                    .take(4)
                    .any(|l| l.contains(ends_with)),
                "{script}:\n{said}"
            );
        }
    }
}
