//! The flows and their pages: the list, a new flow (blank or a copy), a flow's overview
//! (versions, the tag to install, where it is installed).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use super::*;

pub(super) async fn home(State(state): State<AppState>, owner: Owner) -> Response {
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
pub(super) struct NewFlow {
    name: String,
    from: String,
}

/// A new flow: blank, or a copy of another's draft.
pub(super) async fn create(
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

pub(super) async fn overview(
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
pub(super) struct OriginsForm {
    origins: String,
}

/// Where the flow is installed: the storefronts whose pages may call the API for it.
pub(super) async fn set_origins(
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
