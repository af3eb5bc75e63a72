//! The editor: a part of the flow as a form beside the preview, and saving a form into the
//! draft (its fields, then what its button says).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;

use super::*;

#[derive(Deserialize)]
pub(super) struct Ask {
    ask: Option<String>,
    lang: Option<String>,
}

pub(super) async fn edit(
    State(state): State<AppState>,
    owner: Owner,
    Path((name, section)): Path<(String, String)>,
    Query(q): Query<Ask>,
) -> Response {
    let Some(section) = Section::parse(&section) else {
        return not_found("There is no such part of a flow.");
    };
    page(&state, &owner, &name, section, Some(q), None).await
}

/// The editor's page for `section`, with a question tried (`ask`) or an order lookup tried
/// (`tried`, on the handoff page).
pub(super) async fn page(
    state: &AppState,
    owner: &Owner,
    name: &str,
    section: Section,
    ask: Option<Ask>,
    tried: Option<super::orders::Tried>,
) -> Response {
    let q = ask.unwrap_or(Ask {
        ask: None,
        lang: None,
    });
    let loaded = match load(state, name).await {
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
    let orders = matches!(section, Section::Handoff).then(|| {
        super::orders::panel(
            name,
            &owner.0.csrf,
            &state.orders.health(),
            tried.as_ref(),
            state.settings.email,
        )
    });
    let t = pages::Tryout {
        orders,
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
pub(super) async fn save(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<Vec<(String, String)>>,
) -> Response {
    let (back, revision) = match read(&form) {
        Ok(read) => read,
        Err(r) => return r,
    };
    let mut doc = match load(&state, &name).await {
        Ok(loaded) => loaded.doc,
        Err(r) => return r,
    };
    apply::apply(&mut doc, &form);
    let to = act(&mut doc, &form, back);
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

/// The page a form came from and the draft's revision it was made from; a form no page of
/// the console makes is refused, with nothing changed.
fn read(form: &[(String, String)]) -> Result<(Section, i64), Response> {
    if apply::too_deep(form).is_some() {
        return Err(Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Not saved",
            "This form names a field deeper than any of the console's: nothing was changed.",
        )
        .into_response());
    }
    let back = Section::parse(field(form, "back"))
        .ok_or_else(|| (StatusCode::BAD_REQUEST, "unknown part of the flow").into_response())?;
    let revision = field(form, "revision")
        .parse::<i64>()
        .map_err(|_| (StatusCode::BAD_REQUEST, "no revision").into_response())?;
    Ok((back, revision))
}

/// Does what the form's button says (`add:PTR:TEMPLATE`, `remove:PTR`, `up:PTR`,
/// `down:PTR`, `hours:add`, `hours:remove`; plain saving says nothing); returns the part of
/// the flow to show next.
fn act(doc: &mut Value, form: &[(String, String)], back: Section) -> Section {
    match field(form, "action").split_once(':') {
        Some(("add", rest)) => {
            let Some((ptr, template)) = rest.rsplit_once(':') else {
                return back;
            };
            let Some(value) = templates::new_element(doc, ptr, template, form) else {
                return back;
            };
            // A new element with a page of its own (an FAQ entry, a step) opens there.
            match apply::push(doc, ptr, value).map(|new| (Section::for_pointer(&new), new)) {
                Some((opened, new)) if opened.pointer() == new => opened,
                _ => back,
            }
        }
        Some(("remove", ptr)) => {
            apply::remove(doc, ptr);
            if ptr == back.pointer() {
                Section::parse(back.tab()).unwrap_or(Section::Bot)
            } else {
                back
            }
        }
        Some(("up", ptr)) => {
            apply::shift(doc, ptr, -1);
            back
        }
        Some(("down", ptr)) => {
            apply::shift(doc, ptr, 1);
            back
        }
        Some(("hours", "add")) => {
            apply::set(doc, "/bot/business_hours", templates::business_hours());
            back
        }
        Some(("hours", "remove")) => {
            apply::remove(doc, "/bot/business_hours");
            back
        }
        _ => back,
    }
}

#[derive(Deserialize)]
pub(super) struct TryForm {
    number: String,
    email: String,
}

/// `POST /console/flows/{name}/orders/try`: the page again, with the trial's result.
pub(super) async fn try_lookup(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<TryForm>,
) -> Response {
    let number: String = form.number.trim().chars().take(64).collect();
    let email: String = form.email.trim().chars().take(254).collect();
    let outcome = if number.is_empty() || email.is_empty() {
        Err("Give an order number and the email it was placed with.".into())
    } else {
        state.orders.try_once(&number, &email).await
    };
    let tried = super::orders::Tried { number, outcome };
    page(&state, &owner, &name, Section::Handoff, None, Some(tried)).await
}
