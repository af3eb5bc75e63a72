//! The insights page and its one-click actions: teach the draft a missed question, pick a
//! proactive message's winning variant.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::*;
use crate::AppState;

#[derive(Deserialize)]
pub(super) struct InsightsQuery {
    from: Option<String>,
    to: Option<String>,
    version: Option<i64>,
    csv: Option<String>,
    note: Option<String>,
}

fn is_day(text: &str) -> bool {
    crate::clock::parse_iso(&format!("{text}T00:00:00Z")).is_some() && text.len() == 10
}

pub(super) async fn insights_page(
    State(state): State<AppState>,
    owner: Owner,
    Path(name): Path<String>,
    Query(q): Query<InsightsQuery>,
) -> Response {
    let loaded = match load(&state, &name).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let now = now_ms();
    let period = period_of(q.from, q.to, q.version, now);
    let (from, to) = (period.from.clone(), period.to.clone());
    let (counts, visitors, questions) = match tokio::try_join!(
        crate::insights::counts(&state.db, &name, &period),
        crate::insights::visitors(&state.db, &name, &period),
        crate::insights::questions(&state.db, &name, &period, 100),
    ) {
        Ok(x) => x,
        Err(e) => return unavailable(e),
    };
    let start = crate::clock::parse_iso(&format!("{from}T00:00:00Z")).unwrap_or(0);
    let end =
        crate::clock::parse_iso(&format!("{to}T00:00:00Z")).unwrap_or(now) + crate::clock::DAY_MS;
    let handoffs =
        match crate::conversations::handoffs_of(&state.db, &format!("{name}.json"), start, end, 50)
            .await
        {
            Ok(h) => h,
            Err(e) => return unavailable(e),
        };
    let figures = figures::Figures::from_counts(&counts, visitors, &from, &to);
    let languages = fields::Form::new(&loaded.doc, &[]).languages;
    // Which of them the draft answers now, in any of its languages.
    let answers: Vec<Option<String>> = questions
        .iter()
        .map(|question| {
            let flow = loaded.compiled.flow.as_ref()?;
            languages
                .iter()
                .find_map(|lang| match flow.faq.decide(&question.text, lang) {
                    flow_runtime::faq::Decision::Answer(r) => {
                        flow.faq.entries.get(r.entry as usize).map(|e| e.id.clone())
                    }
                    _ => None,
                })
        })
        .collect();
    if let Some(table) = q.csv.as_deref() {
        let (header, rows): (&[&str], Vec<Vec<String>>) = match table {
            "summary" => (&figures::SUMMARY, figures::summary_rows(&figures)),
            "days" => (&figures::DAYS, figures::day_rows(&figures)),
            "triggers" => (&figures::TRIGGERS, figures::trigger_rows(&figures)),
            "questions" => (
                &figures::QUESTIONS,
                figures::question_rows(&questions, &answers),
            ),
            "handoffs" => (&figures::HANDOFFS, figures::handoff_rows(&handoffs)),
            _ => return not_found("There is no such table."),
        };
        return (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}-{table}-{from}-{to}.csv\""),
                ),
            ],
            figures::csv(header, rows),
        )
            .into_response();
    }
    let versions: Vec<i64> = match store::versions(&state.db, &name).await {
        Ok(v) => v.iter().map(|v| v.number).collect(),
        Err(e) => return unavailable(e),
    };
    let entries: Vec<(String, String)> = fields::Form::new(&loaded.doc, &[]).faqs;
    let insights_on = state.flows.insights_on(&name).await;
    let with_variants = draft_variants(&loaded.doc);
    let note = q.note.as_deref().and_then(|n| match n {
        "taught" => Some("Added to the draft. Publish it to answer shoppers with it."),
        "new-entry" => Some("A new FAQ entry with this question is in the draft: write its answer on the FAQ page, then publish."),
        "winner" => Some("The draft now shows only that variant. Publish it to make it live."),
        _ => None,
    });
    let page = pages::InsightsPage {
        from: &from,
        to: &to,
        version: period.version,
        versions: &versions,
        figures: &figures,
        questions: &questions,
        answers: &answers,
        handoffs: &handoffs,
        insights_on,
        entries: &entries,
        with_variants: &with_variants,
        note,
    };
    Html(pages::insights(&loaded.page(&owner.0), &page)).into_response()
}

#[derive(Deserialize)]
pub(super) struct Teach {
    revision: i64,
    question: String,
    entry: String,
    /// The language the shopper asked in, when reported: the phrasing goes there.
    #[serde(default)]
    language: String,
    #[serde(default)]
    back: String,
}

/// Whether `back` is a query this page made (`from=…&to=…&version=…`).
/// The draft's triggers that have more than one variant, with their variants' ids.
fn draft_variants(doc: &Value) -> Vec<(String, Vec<String>)> {
    doc.get("triggers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|t| {
                    let id = t.get("id").and_then(Value::as_str)?;
                    let variants: Vec<String> = t
                        .get("variants")
                        .and_then(Value::as_array)?
                        .iter()
                        .filter_map(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
                        .collect();
                    (variants.len() > 1).then(|| (id.to_owned(), variants))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The period a page's query names (`from=…&to=…&version=…`), the last 30 days by default.
fn period_of(
    from: Option<String>,
    to: Option<String>,
    version: Option<i64>,
    now: i64,
) -> crate::insights::Period {
    let to = to
        .filter(|d| is_day(d))
        .unwrap_or_else(|| crate::clock::iso_date(now));
    let from = from
        .filter(|d| is_day(d) && *d <= to)
        .unwrap_or_else(|| crate::clock::iso_date(now - 29 * crate::clock::DAY_MS));
    crate::insights::Period {
        from,
        to,
        version: version.filter(|v| *v > 0),
    }
}

fn safe_query(back: &str) -> &str {
    if back
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"=&-".contains(&b))
    {
        back
    } else {
        ""
    }
}

/// One click: a missed question becomes a phrasing of an entry (or a new entry) in the draft.
pub(super) async fn teach(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<Teach>,
) -> Response {
    let loaded = match draft_for_form(&state, &name, form.revision).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    // The placeholders that stood for an email or a number are no words a shopper types.
    let question: String = form
        .question
        .split_whitespace()
        .filter(|w| {
            *w != flow_runtime::insights::EMAIL_PLACEHOLDER
                && *w != flow_runtime::insights::NUMBER_PLACEHOLDER
        })
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(300)
        .collect();
    if question.is_empty() {
        return Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing to add",
            "The question is empty.",
        )
        .into_response();
    }
    let mut doc = loaded.doc;
    let languages = fields::Form::new(&doc, &[]).languages;
    // The shopper's language when it is one of the flow's, else the default one.
    let lang = languages
        .iter()
        .find(|l| **l == form.language)
        .unwrap_or(&languages[0])
        .clone();
    let entries = doc
        .pointer("/faq/entries")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let note;
    let to_entry = entries
        .iter()
        .position(|e| e.get("id").and_then(Value::as_str) == Some(form.entry.as_str()));
    if to_entry.is_none() && form.entry != "new" {
        return Problem::new(
            Area::Console,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing added",
            "Choose the FAQ entry the question belongs to, or “A new entry”.",
        )
        .into_response();
    }
    match to_entry {
        Some(i) => {
            let ptr = format!("/faq/entries/{i}/phrasings");
            // Phrasings written as one list are in the first language: a question in
            // another language goes into a per-language object made from that list.
            let list = match doc.pointer(&ptr) {
                Some(Value::Array(_)) if lang == languages[0] => ptr.clone(),
                Some(Value::Array(list)) => {
                    let list = list.clone();
                    if let Some(slot) = doc.pointer_mut(&ptr) {
                        *slot = json!({ languages[0].clone(): list });
                    }
                    format!("{ptr}/{lang}")
                }
                _ => format!("{ptr}/{lang}"),
            };
            let known = doc
                .pointer(&list)
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|p| p.as_str() == Some(question.as_str())));
            if !known {
                apply::push(&mut doc, &list, json!(question));
            }
            note = "taught";
        }
        None => {
            let id = unique_id(&doc, "/faq/entries", &slug(&question));
            let blank: Value =
                Value::Object(languages.iter().map(|l| (l.clone(), json!(""))).collect());
            let mut asked = blank.clone();
            asked[&lang] = json!(question);
            apply::push(
                &mut doc,
                "/faq/entries",
                json!({ "id": id, "question": asked, "phrasings": {}, "answer": { "text": blank } }),
            );
            note = "new-entry";
        }
    }
    let to = format!(
        "/console/flows/{name}/insights?{}&note={note}",
        safe_query(&form.back)
    );
    save_then(&state, &owner, &name, &doc, form.revision, to).await
}

#[derive(Deserialize)]
pub(super) struct Winner {
    revision: i64,
    trigger: String,
    variant: String,
    #[serde(default)]
    back: String,
}

/// One click: the trigger keeps only the winning variant (in the draft), without holdout.
pub(super) async fn winner(
    State(state): State<AppState>,
    Path(name): Path<String>,
    OwnerForm { owner, form }: OwnerForm<Winner>,
) -> Response {
    let loaded = match draft_for_form(&state, &name, form.revision).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let mut doc = loaded.doc;
    // Only on evidence: the period the owner was looking at must show this variant ahead.
    let back = safe_query(&form.back);
    let param = |key: &str| {
        back.split('&')
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .map(str::to_owned)
    };
    let period = period_of(
        param("from"),
        param("to"),
        param("version").and_then(|v| v.parse().ok()),
        now_ms(),
    );
    let counts = match crate::insights::counts(&state.db, &name, &period).await {
        Ok(c) => c,
        Err(e) => return unavailable(e),
    };
    let figures = figures::Figures::from_counts(&counts, 0, &period.from, &period.to);
    let variants = draft_variants(&doc)
        .into_iter()
        .find(|(t, _)| *t == form.trigger)
        .map(|(_, v)| v)
        .unwrap_or_default();
    if figures::winner(&figures, &form.trigger, &variants).as_deref() != Some(form.variant.as_str())
    {
        return Problem::new(Area::Console, StatusCode::CONFLICT, "Not a winner yet", format!(
                    "The figures of this period do not show this variant ahead: each variant needs at least {} shoppers, and the winner's 95 % interval must be above every other's.",
                    figures::MIN_WINNER_SAMPLE
                )).into_response();
    }
    let Some(trigger) = doc
        .get_mut("triggers")
        .and_then(Value::as_array_mut)
        .and_then(|triggers| {
            triggers
                .iter_mut()
                .find(|t| t.get("id").and_then(Value::as_str) == Some(form.trigger.as_str()))
        })
    else {
        return not_found("The draft has no such trigger.");
    };
    let Some(step) = trigger
        .get("variants")
        .and_then(Value::as_array)
        .and_then(|v| {
            v.iter()
                .find(|v| v.get("id").and_then(Value::as_str) == Some(form.variant.as_str()))
        })
        .and_then(|v| v.get("step").cloned())
    else {
        return not_found("The draft's trigger has no such variant.");
    };
    if let Some(t) = trigger.as_object_mut() {
        t.shift_remove("variants");
        t.shift_remove("holdout");
        t.insert("step".into(), step);
    }
    let to = format!("/console/flows/{name}/insights?{back}&note=winner");
    save_then(&state, &owner, &name, &doc, form.revision, to).await
}
